// The bundle reader (DecodeBundle) on a manifest and part files from the network. Every input must
// give a bundle or a documented error code — never a crash, a hang or an exception — and a bundle
// that decodes must encode again and rank with finite scores.
// Input: the container of fuzz_util.h (flags byte, then manifest and parts as length-prefixed
// records); with the re-sign flag the harness fixes sizes and checksums so that mutations reach
// the catalog and float decoders behind the SHA-256 check.
// fuzz-seeds: @bundle
#include <cmath>

#include "fuzz_util.h"
#include "pathlight/recommender.h"

using namespace pathlight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::BundleInput in = fuzz::DecodeContainer(data, size);
  if (in.resign) fuzz::Resign(&in);
  StatusOr<Bundle> b = DecodeBundle(in.manifest, in.parts);
  if (!b.ok()) {
    const ErrorCode c = b.status().code();
    PATHLIGHT_FUZZ_CHECK(c != ErrorCode::kOk && c != ErrorCode::kDiverged);
    PATHLIGHT_FUZZ_CHECK(!b.status().message().empty());
    return 0;
  }
  std::string manifest;
  StatusOr<BundleParts> parts = EncodeBundle(*b, &manifest);
  PATHLIGHT_FUZZ_CHECK(parts.ok());
  PATHLIGHT_FUZZ_CHECK(DecodeBundle(manifest, *parts).ok());
  if (b->catalog.num_items() > 2000) return 0;  // keep executions fast; the reader was the target
  const Recommender rec(std::move(b).value());
  Profile profile;
  if (rec.num_items() > 0) {
    Event e;
    e.type = EventType::kEnroll;
    e.item = rec.catalog().item(ItemIndex(0)).id;
    e.time = 1;
    profile.events.push_back(e);
  }
  const LearnerState learner = rec.Learner(profile, 2);
  RankOptions o;
  o.k = 20;
  for (const Recommendation& r : rec.Rank(learner, o)) PATHLIGHT_FUZZ_CHECK(std::isfinite(r.score));
  return 0;
}
