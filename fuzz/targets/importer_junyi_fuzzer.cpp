// Junyi Academy importer (LoadJunyi): the exercise table, the prerequisite edges and the gzipped
// attempt log (so zlib's inflate is fuzzed too), joined by RS.
// fuzz-seeds: @junyi
#include "importer_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto dir = pathlight::fuzz::WriteImporterInput(
      "junyi", data, size, {"junyi_Exercise_table.csv", "exercise_prerequisites.csv", "user_exercise_train.csv.gz"});
  pathlight::fuzz::CheckDataset(pathlight::trainer::LoadJunyi(dir.string()));
  return 0;
}
