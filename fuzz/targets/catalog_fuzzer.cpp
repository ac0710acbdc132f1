// Catalog and knowledge-graph JSON (Catalog::Parse): ids, references, prices, the prerequisite
// DAG. A catalog that parses must round-trip through ToJson and give a full topological order.
// fuzz-seeds: data/demo/*.json @catalogs
#include "fuzz_util.h"

using namespace pathlight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  StatusOr<Catalog> cat = Catalog::Parse(text, "fuzz");
  if (!cat.ok()) {
    PATHLIGHT_FUZZ_CHECK(cat.status().code() != ErrorCode::kOk && !cat.status().message().empty());
    return 0;
  }
  PATHLIGHT_FUZZ_CHECK(static_cast<int32_t>(cat->topological_order().size()) == cat->num_concepts());
  std::vector<ConceptIndex> all;
  for (int32_t c = 0; c < cat->num_concepts(); ++c) all.push_back(ConceptIndex(c));
  PATHLIGHT_FUZZ_CHECK(static_cast<int32_t>(cat->PrerequisiteClosure(all).size()) <= cat->num_concepts());
  StatusOr<Catalog> again = Catalog::Parse(cat->ToJson().dump(), "round-trip");
  PATHLIGHT_FUZZ_CHECK(again.ok());
  PATHLIGHT_FUZZ_CHECK(again->num_items() == cat->num_items() && again->num_concepts() == cat->num_concepts());
  return 0;
}
