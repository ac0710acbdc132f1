// The compact catalog part (Catalog::ParseBinary, catalog-v1): counts, offsets, string and concept
// indices, UTF-8, numbers, the prerequisite DAG. A catalog that parses must write back to bytes
// that parse to the same catalog, and give a full topological order.
// fuzz-seeds: @catalog_bins
#include "fuzz_util.h"

using namespace pathlight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  StatusOr<Catalog> cat = Catalog::ParseBinary(bytes, "fuzz");
  if (!cat.ok()) {
    PATHLIGHT_FUZZ_CHECK(cat.status().code() != ErrorCode::kOk && !cat.status().message().empty());
    return 0;
  }
  PATHLIGHT_FUZZ_CHECK(static_cast<int32_t>(cat->topological_order().size()) == cat->num_concepts());
  const std::string again_bytes = cat->ToBinary();
  StatusOr<Catalog> again = Catalog::ParseBinary(again_bytes, "round-trip");
  PATHLIGHT_FUZZ_CHECK(again.ok());
  PATHLIGHT_FUZZ_CHECK(again->ToBinary() == again_bytes);
  PATHLIGHT_FUZZ_CHECK(again->num_items() == cat->num_items() && again->num_concepts() == cat->num_concepts());
  for (int32_t i = 0; i < cat->num_items(); ++i)
    PATHLIGHT_FUZZ_CHECK(cat->FindItem(cat->item(ItemIndex(i)).id) == ItemIndex(i));
  return 0;
}
