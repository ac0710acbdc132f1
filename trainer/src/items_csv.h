// The rows of an items.csv (docs/csv-schema.md), shared by `--dataset csv` and by the update CSV
// of `pathlight bundle update` (the same columns plus "action").
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "pathlight/catalog.h"
#include "pathlight/status.h"

namespace pathlight::trainer {

struct ItemRow {
  Item item;            // the whole record (only `id` for a retirement)
  std::string category;  // optional column "category" (kg mine's item groups; not in the bundle)
  bool retire = false;  // action "retire"
  unsigned line = 0;    // line in the file (1 = header)
  int64_t duplicate_list_entries = 0;  // repeats dropped from teaches/requires (a repeat counts once)
};

/// Reads `path` in the items.csv schema, resolving concept ids through `concept_of` (id → index).
/// `with_action`: the optional column "action" = upsert (default: add, or replace the item with
/// that id) | retire (only the id is read). Errors name the file, line and column: parse_error,
/// unknown_id (a concept), io_error (cannot open).
StatusOr<std::vector<ItemRow>> ReadItemsCsv(const std::string& path,
                                            const std::unordered_map<std::string, int32_t>& concept_of, bool with_action);

}  // namespace pathlight::trainer
