// The learner's profile: everything Pathlight knows about one learner, kept only on their device.
// An append-only event log plus stated goals, known concepts, budget and language, serialized as
// versioned JSON ("pathlight-profile", version 1) that later versions migrate forward.
//
// Events become implicit-feedback confidence weights (Hu, Koren & Volinsky 2008) per item:
//   w_i = Σ_events on i  base(type) · decay(now − t),   decay(Δ) = 2^(−Δ / half_life)
// with preference p_i = 0 when the learner's latest explicit signal on i is negative (dismiss, or a
// rating ≤ 2) and 1 otherwise; confidence c_i = 1 + α·w_i. Base weights and the half-life are in
// ConfidenceOptions and docs/HYPERPARAMETERS.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "pathlight/catalog.h"
#include "pathlight/fold_in.h"
#include "pathlight/status.h"

namespace pathlight {

inline constexpr int kProfileFormatVersion = 1;

/// Latest time an event (or the engine's clock, `now`) may carry, in unix seconds: 10^11 is
/// about the year 5138. A profile whose times exceed it does not import, so the clock must not
/// either: compaction stamps its summaries with `now`.
inline constexpr double kMaxEventTime = 1e11;

/// Largest confidence weight a compacted summary may carry (import checks it; Compact caps its
/// sums at it, so an exported profile always imports). A complete event weighs 4.
inline constexpr double kMaxCompactedWeight = 1e6;

enum class EventType {
  kView,           // "view"
  kBookmark,       // "bookmark"
  kEnroll,         // "enroll" (enrolled or purchased)
  kComplete,       // "complete"
  kRate,           // "rate" (rating 1..5)
  kDismiss,        // "dismiss" (not interested: negative feedback)
  kKnowConcept,    // "know_concept" ("I already know this concept"; `concept` set, `item` empty)
  kMentorBooked,   // "mentor_booked"
  kMentorRated,    // "mentor_rated" (rating 1..5)
  kCompacted,      // "compacted": summary of older events on one item (Profile::Compact)
};
const char* EventTypeName(EventType t);
std::optional<EventType> ParseEventType(std::string_view name);

struct Event {
  EventType type = EventType::kView;
  std::string item;      // item id (empty for know_concept)
  std::string concept;   // concept id (know_concept only)
  double time = 0;       // unix seconds, 0..kMaxEventTime
  float rating = 0;      // 1..5 for rate / mentor_rated, else 0
  // Compacted summaries only: decayed weight at `time`, preference (0/1, or −1 for none) and
  // whether the item was consumed / is dismissed; `rating` keeps the item's latest rating (0: none).
  float weight = 0;
  float preference = -1;
  bool consumed = false, dismissed = false;
};

/// Limits that keep a hostile or runaway profile bounded (errors name the limit).
struct ProfileLimits {
  size_t max_events = 5000;        // older events are compacted into per-item summaries, not dropped
  size_t max_json_bytes = 8u << 20;
  int max_json_depth = 64;
  size_t max_string_bytes = 1024;
  size_t max_list = 10000;         // goals, known concepts
};

/// How events become confidence weights. Ranges and tuning: docs/HYPERPARAMETERS.md.
struct ConfidenceOptions {
  float view = 0.5f, bookmark = 1.f, enroll = 3.f, complete = 4.f, mentor_booked = 3.f;
  float rating_scale = 1.f;            // rate r: weight |r − 3|·scale + 1; p = 1 if r ≥ 3 else 0
  float dismiss = 4.f;                 // weight of the p = 0 signal from a dismissal
  double half_life_days = 180;         // decay half-life; ≤ 0 disables decay
};

struct Profile {
  std::vector<Event> events;          // in the order they happened
  std::vector<std::string> goals;     // concept ids the learner wants to reach
  std::vector<std::string> known;     // concept ids stated as known at onboarding
  double budget = -1;                 // max price per item in `currency`; < 0 = no limit
  std::string currency = "USD";
  std::string language;               // preferred BCP-47 language; empty = any
  double weekly_hours = 0;            // ≥ 0

  /// Serializes as {"format": "pathlight-profile", "version": 1, ...}.
  nlohmann::json ToJson() const;
  /// Parses (and migrates older versions of) a profile. Errors: parse_error (names the field or
  /// event index), unsupported_version (newer than this reader), limit_exceeded (depth, sizes).
  static StatusOr<Profile> Parse(std::string_view text, const ProfileLimits& limits = {});
  static StatusOr<Profile> FromJson(const nlohmann::json& doc, const ProfileLimits& limits = {});

  /// Folds the oldest events into one summary event per item ("compacted", weight = their decayed
  /// weight at `now`) so that at most `max_events` remain. No signal is dropped.
  void Compact(size_t max_events, double now, const ConfidenceOptions& options);
};

/// Base weight (before decay) and preference of one event: preference 1 or 0 for an explicit
/// signal, −1 for none (a view, a know_concept). Compacted summaries carry their own.
std::pair<float, float> EventSignal(const Event& event, const ConfidenceOptions& options);

/// Per-item (weight, preference) for fold-in from a profile's events at time `now`: every event
/// on a catalog item contributes base·decay; the latest explicit signal sets the preference.
/// Events naming items not in `catalog` are returned in `unknown` (never silently dropped).
struct ItemSignals {
  std::vector<WeightedItem> items;     // one entry per item, weight > 0, preference 0 or 1
  std::vector<ItemIndex> consumed;     // enrolled / completed / booked / rated (excluded from lists)
  std::vector<ItemIndex> dismissed;
  std::vector<std::string> unknown;    // ids of events whose item is not in the catalog
  std::vector<ItemRating> ratings;     // the latest rating (1..5) of each rated item, by first rating
};
ItemSignals ItemSignalsOf(const Profile& profile, const Catalog& catalog, double now,
                          const ConfidenceOptions& options = {});

}  // namespace pathlight
