// Importer harness helpers: an importer reads a folder of files, so a fuzz input is split into
// those files (fuzz_util.h, kFileSeparator) and written to a scratch folder first. Whatever the
// importer returns must be a Dataset that the trainer can use or a named error.
#pragma once

#include <cmath>
#include <initializer_list>

#include "fuzz_util.h"
#include "pathlight/trainer/dataset.h"

namespace pathlight::fuzz {

/// Writes the pieces of the input to `files` (paths relative to the scratch folder, in order;
/// "-" skips a piece, so a file can be left absent) and returns the scratch folder.
inline std::filesystem::path WriteImporterInput(const char* name, const uint8_t* data, size_t size,
                                                std::initializer_list<const char*> files) {
  const std::filesystem::path dir = ScratchDir(name);
  const auto pieces = SplitFiles(std::string_view(reinterpret_cast<const char*>(data), size), files.size());
  size_t j = 0;
  for (const char* f : files) {
    if (std::string_view(f) != "-") WriteFile(dir / f, pieces[j]);
    ++j;
  }
  return dir;
}

/// The importer contract: an error has a code and a message; a dataset has interactions inside
/// its catalog and learners with finite, non-negative weights.
inline void CheckDataset(const StatusOr<trainer::Dataset>& ds) {
  if (!ds.ok()) {
    PATHLIGHT_FUZZ_CHECK(ds.status().code() != ErrorCode::kOk && !ds.status().message().empty());
    return;
  }
  for (const auto* split : {&ds->train, &ds->test})
    for (const Interaction& x : *split) {
      PATHLIGHT_FUZZ_CHECK(x.user >= 0 && x.user < ds->num_users());
      PATHLIGHT_FUZZ_CHECK(x.item >= 0 && x.item < ds->catalog.num_items());
      PATHLIGHT_FUZZ_CHECK(std::isfinite(x.weight) && x.weight >= 0);
    }
  PATHLIGHT_FUZZ_CHECK(static_cast<int32_t>(ds->catalog.topological_order().size()) == ds->catalog.num_concepts());
}

}  // namespace pathlight::fuzz
