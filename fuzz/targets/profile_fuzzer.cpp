// Profile import (Profile::Parse): the JSON a learner restores from a file or from on-device
// storage. Every input gives a profile or a named error; a profile that parses round-trips, stays
// within the event limit, and gives finite signals against the demo catalog.
// fuzz-seeds: @profiles
#include <cmath>

#include <nlohmann/json.hpp>

#include "fuzz_util.h"
#include "pathlight/profile.h"
#include "pathlight/signals.h"

using namespace pathlight;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const Catalog catalog = fuzz::DemoBundle().catalog;
  ProfileLimits limits;
  limits.max_events = 64;  // small, so the compaction path runs often
  StatusOr<Profile> p = Profile::Parse(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (!p.ok()) {
    PATHLIGHT_FUZZ_CHECK(p.status().code() != ErrorCode::kOk && !p.status().message().empty());
    return 0;
  }
  PATHLIGHT_FUZZ_CHECK(p->events.size() <= limits.max_events);
  const std::string text = p->ToJson().dump();
  StatusOr<Profile> again = Profile::Parse(text, limits);
  PATHLIGHT_FUZZ_CHECK(again.ok());
  PATHLIGHT_FUZZ_CHECK(again->events.size() == p->events.size());
  PATHLIGHT_FUZZ_CHECK(again->ToJson() == p->ToJson());  // what is written reads back the same
  const ItemSignals s = ItemSignalsOf(*p, catalog, 2e9);
  for (const auto& [item, signal] : s.items) PATHLIGHT_FUZZ_CHECK(std::isfinite(signal.weight) && signal.weight >= 0);
  return 0;
}
