// Scale-out import: item factors trained elsewhere (Spark MLlib ALS `model.itemFactors`, written
// with `.write.json(...)`): JSON lines {"id": <int or string>, "features": [f32, …]}.
#pragma once

#include <string>
#include <vector>

#include "pathlight/catalog.h"
#include "pathlight/status.h"
#include "pathlight/types.h"

namespace pathlight::trainer {

struct SparkFactors {
  RowMatrix item_factors;            // catalog.num_items() × k; rows of items absent from the file are 0
  int32_t factors = 0;               // k
  int64_t lines = 0;                 // non-empty lines read
  int32_t matched = 0;               // catalog items found in the file
  int32_t missing = 0;               // catalog items absent from the file (cold: zero factors)
  int64_t unmatched = 0;             // file ids not in the catalog (ignored)
  std::vector<std::string> unmatched_examples;  // up to 10 of them
};

/// Reads every file of `path` (one file, or a Spark output folder of part-*.json files in name
/// order), matching ids to catalog item ids as strings. Errors (parse_error, "file:line: …"):
/// a line that is not a JSON object, a missing or non-integer/non-string "id", a "features" that is
/// not an array of finite numbers, a dimension different from the first line's or outside
/// 1..1024, a repeated id; limit_exceeded ("file:line: …") for a line nested deeper than 64 levels;
/// io_error when nothing can be read; invalid_argument when no id matches.
StatusOr<SparkFactors> ReadSparkItemFactors(const std::string& path, const Catalog& catalog);

}  // namespace pathlight::trainer
