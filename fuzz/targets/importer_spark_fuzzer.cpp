// Spark MLlib itemFactors import (ReadSparkItemFactors): JSON lines {"id", "features"} matched to
// the demo catalog's item ids. Whatever is read must be finite factors of one rank, 1..1024.
// fuzz-seeds: @spark
#include <cmath>

#include "importer_util.h"
#include "pathlight/trainer/spark.h"

using namespace pathlight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Catalog catalog = fuzz::DemoBundle().catalog;
  const auto dir = fuzz::WriteImporterInput("spark", data, size, {"part-00000.json"});
  StatusOr<trainer::SparkFactors> f = trainer::ReadSparkItemFactors((dir / "part-00000.json").string(), catalog);
  if (!f.ok()) {
    PATHLIGHT_FUZZ_CHECK(f.status().code() != ErrorCode::kOk && !f.status().message().empty());
    return 0;
  }
  PATHLIGHT_FUZZ_CHECK(f->factors >= 1 && f->factors <= 1024);
  PATHLIGHT_FUZZ_CHECK(f->item_factors.rows() == catalog.num_items() && f->item_factors.cols() == f->factors);
  PATHLIGHT_FUZZ_CHECK(f->item_factors.allFinite());
  PATHLIGHT_FUZZ_CHECK(f->matched >= 1 && f->matched + f->missing == catalog.num_items());
  return 0;
}
