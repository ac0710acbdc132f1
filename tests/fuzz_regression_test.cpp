// Regression tests for crashes in the inputs the libFuzzer harnesses (fuzz/targets/) cover: each
// test is named after the bug, says how it was found, and replays the input that showed it.
// docs/SECURITY.md lists them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "pathlight/catalog.h"
#include "pathlight/trainer/dataset.h"
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

// Found by importer_coco_fuzzer in a fresh-clone CI run (2026-11-29, 498 executions): a price in
// udemy-catalog/coco_course_meta.csv that is not a number made std::stod throw, uncaught, and
// LoadCoco aborted. The harness's input (tests/data/fuzz/importer_coco-stod-price.bin) is its seven
// files joined by 0x1E, written here as the harness writes them (fuzz/importer_util.h).
TEST(CocoImportFuzzTest, Regression_NonNumericPriceAbortedTheImport) {
  std::ifstream in(testing::SourcePath("tests/data/fuzz/importer_coco-stod-price.bin"), std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string data = ss.str();
  ASSERT_FALSE(data.empty());
  const char* files[] = {"coco-udemy/e_map.txt", "coco-udemy/i2kg_map.txt", "coco-udemy/kg_final.txt", "coco-udemy/valid.txt",
                         "coco-udemy/test.txt", "udemy-catalog/coco_course_meta.csv",
                         "mentorcruise-2023/mentorcruise_mentors_2023-08.csv"};
  const std::filesystem::path dir = testing::TempDir("coco-fuzz");
  size_t start = 0;
  for (size_t f = 0; f < 7; ++f) {
    const size_t end = f + 1 < 7 ? data.find('\x1e', start) : std::string::npos;
    const std::string part = data.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::filesystem::create_directories((dir / files[f]).parent_path());
    std::ofstream(dir / files[f], std::ios::binary) << part;
    start = end == std::string::npos ? data.size() : end + 1;
  }
  StatusOr<trainer::Dataset> ds = trainer::LoadCoco((dir / "coco-udemy").string());  // used to abort here
  if (!ds.ok()) EXPECT_FALSE(ds.status().message().empty());
}

}  // namespace
}  // namespace pathlight
