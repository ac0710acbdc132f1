// Metacademy importer (LoadMetacademy): concepts, prerequisites, resources and concept → resource
// links, joined by RS.
// fuzz-seeds: @metacademy
#include "importer_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto dir = pathlight::fuzz::WriteImporterInput(
      "metacademy", data, size, {"concepts.csv", "concept_prerequisites.csv", "resources.csv", "concept_resources.csv"});
  pathlight::fuzz::CheckDataset(pathlight::trainer::LoadMetacademy(dir.string()));
  return 0;
}
