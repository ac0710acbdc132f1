// Generic CSV importer (LoadCsvDataset, docs/csv-schema.md): concepts, edges, items and
// interactions, joined by RS.
// fuzz-seeds: @csv
#include "importer_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto dir = pathlight::fuzz::WriteImporterInput("csv", data, size,
                                                       {"concepts.csv", "edges.csv", "items.csv", "interactions.csv"});
  pathlight::fuzz::CheckDataset(pathlight::trainer::LoadCsvDataset(dir.string()));
  return 0;
}
