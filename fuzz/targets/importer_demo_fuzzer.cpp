// Demo importer (LoadDemo): a catalog JSON plus simulated learners walking its prerequisite DAG.
// fuzz-seeds: data/demo/catalog.json @catalogs
#include "importer_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto dir = pathlight::fuzz::WriteImporterInput("demo", data, size, {"catalog.json"});
  pathlight::trainer::DemoOptions options;
  options.learners = 20;  // the generator, not the volume, is under test
  pathlight::fuzz::CheckDataset(pathlight::trainer::LoadDemo((dir / "catalog.json").string(), options));
  return 0;
}
