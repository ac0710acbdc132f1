// MovieLens 100k importer (LoadMovieLens, fold 1): u.genre, u.item, u1.base, u1.test, joined by RS.
// fuzz-seeds: @movielens
#include "importer_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto dir = pathlight::fuzz::WriteImporterInput("movielens", data, size,
                                                       {"u.genre", "u.item", "u1.base", "u1.test"});
  pathlight::fuzz::CheckDataset(pathlight::trainer::LoadMovieLens(dir.string(), 1));
  return 0;
}
