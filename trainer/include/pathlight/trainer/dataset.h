// Importers: every data source becomes one internal schema, a Dataset (catalog + learners +
// train/test interactions). Native only (reads files; CSV via the fast-cpp-csv-parser library).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pathlight/catalog.h"
#include "pathlight/interactions.h"
#include "pathlight/status.h"

namespace pathlight::trainer {

struct Dataset {
  std::string name;                    // "demo", "coco", ...
  Catalog catalog;                     // items (dense indices 0..n-1) and concepts
  std::vector<std::string> user_ids;   // dense learner index → source id
  std::vector<Interaction> train;      // implicit events (weights w ≥ 0)
  std::vector<Interaction> test;       // held-out events (same learners); may be empty
  std::vector<std::string> notes;      // importer report lines (matches, skipped rows, ...)
  int32_t num_users() const { return static_cast<int32_t>(user_ids.size()); }
};

/// CoCo (coco-udemy): trains on valid.txt, tests on test.txt (per-learner temporal split).
/// Items = courses seen in valid.txt; concepts from kg_final's related_to_concept triples;
/// level and language from the KG. Titles and USD prices are joined by course id from
/// `<dir>/../udemy-catalog/coco_course_meta.csv` when that file exists (others keep their slug as
/// title and no price). Test interactions on courses absent from valid.txt are skipped and counted.
/// Errors name the file, line and what was expected.
StatusOr<Dataset> LoadCoco(const std::string& dir);

/// Demo: the project's own catalog (data/demo/catalog.json) plus simulated learners whose
/// generating process is documented in data/demo/README.md. Deterministic for a seed.
struct DemoOptions {
  int32_t learners = 2000;
  uint64_t seed = 7;
};
StatusOr<Dataset> LoadDemo(const std::string& catalog_path, const DemoOptions& options);

}  // namespace pathlight::trainer
