// Regression tests for crashes in the inputs the libFuzzer harnesses (fuzz/targets/) cover: each
// test is named after the bug, says how it was found, and replays the input that showed it.
// docs/SECURITY.md lists them.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "pathlight/catalog.h"
#include "pathlight/trainer/spark.h"
#include "test_util.h"

namespace pathlight {
namespace {

// Found reviewing ReadSparkItemFactors while adding fuzz/targets/importer_spark_fuzzer.cpp (the
// harness had not reached it in its first runs): a "features" element nested 200,000 arrays deep
// was parsed, then dump()ed recursively into the error message — a stack overflow (SIGSEGV).
TEST(SparkImportFuzzTest, Regression_DeeplyNestedFeatureOverflowedStackInDump) {
  StatusOr<Catalog> catalog = Catalog::Parse(R"({"concepts": [], "items": [{"id": "x"}]})", "t");
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  const std::string path = testing::TempDir("spark-deep") + "/part-00000.json";
  const int depth = 200000;
  std::ofstream(path) << "{\"id\":\"x\",\"features\":[" << std::string(depth, '[') << std::string(depth, ']') << "]}\n";
  StatusOr<trainer::SparkFactors> f = trainer::ReadSparkItemFactors(path, *catalog);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), ErrorCode::kLimitExceeded) << f.status().ToString();
  EXPECT_NE(f.status().message().find("part-00000.json:1"), std::string::npos) << f.status().message();
}

}  // namespace
}  // namespace pathlight
