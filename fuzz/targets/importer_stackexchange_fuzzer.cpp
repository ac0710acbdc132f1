// Stack Exchange importer (LoadStackExchange): answerer and asker tag tables, joined by RS.
// fuzz-seeds: @stackexchange
#include "importer_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto dir = pathlight::fuzz::WriteImporterInput("stackexchange", data, size,
                                                       {"answerer_tag_stats.csv", "asker_tag_counts.csv"});
  pathlight::fuzz::CheckDataset(pathlight::trainer::LoadStackExchange(dir.string()));
  return 0;
}
