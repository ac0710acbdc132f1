// CoCo importer (LoadCoco): the TSV files of coco-udemy plus the optional Udemy catalogue and
// MentorCruise CSVs it joins from sibling folders. Input: the seven files joined by RS (0x1E).
// fuzz-seeds: @coco
#include "importer_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto dir = pathlight::fuzz::WriteImporterInput(
      "coco", data, size,
      {"coco-udemy/e_map.txt", "coco-udemy/i2kg_map.txt", "coco-udemy/kg_final.txt", "coco-udemy/valid.txt",
       "coco-udemy/test.txt", "udemy-catalog/coco_course_meta.csv",
       "mentorcruise-2023/mentorcruise_mentors_2023-08.csv"});
  pathlight::fuzz::CheckDataset(pathlight::trainer::LoadCoco((dir / "coco-udemy").string()));
  return 0;
}
