// The learner's profile: everything Pathlight knows about one learner, kept only on their device.
// An append-only event log plus stated goals, known concepts, budget, language, weekly hours and
// level, serialized as versioned JSON ("pathlight-profile", version 2; version 1 is migrated
// forward on reading). How events become signals: signals.h. Base weights and the half-life are
// in ConfidenceOptions and docs/HYPERPARAMETERS.md.
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
#include "pathlight/limits.h"
#include "pathlight/status.h"
#include "pathlight/types.h"

namespace pathlight {

/// Version 2: camelCase keys ("weeklyHours"), event ids, compacted summaries that keep the
/// learner's relation to the item, the stated level. Version 1 documents are read and migrated.
inline constexpr int kProfileFormatVersion = 2;

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

/// The scale of a bundle's ratings (rate / mentor_rated events): [min, max], 0 < min < max.
/// Implicit bundles use 1..5; explicit-rating bundles carry their own (info `ratingScale`).
struct RatingScale {
  float min = 1, max = 5;
  float step = 1;  // the grid a rating control offers (0.5: half stars; 0: any value in [min, max])
  bool Contains(float r) const { return r >= min && r <= max; }
  /// The ratings a control offers, ascending, at most `max_choices` (≥ 2) of them, min and max
  /// always among them: every point min + j·step of the grid when there are that few; else every
  /// s-th point (the smallest whole s that fits) with max added; with step 0 (any value), the
  /// whole numbers in [min, max] with min and max, or evenly spaced points when those are too
  /// many. 1..5 step 1 → 1, 2, 3, 4, 5; 0.5..5 step 0.5 → 0.5, 1, …, 5 (10 choices).
  std::vector<float> Choices(int max_choices = 21) const;
};

/// Largest rating any profile may hold (the bundle's scale is checked when the profile is folded in).
inline constexpr double kMaxRating = 1000;

struct Event {
  EventType type = EventType::kView;
  std::string id;        // the caller's id for this event (≤ 128 bytes; may be empty): lets a
                         // learner remove one event later (docs/API.md)
  std::string item;      // item id (empty for know_concept)
  std::string concept;   // concept id (know_concept only)
  double time = 0;       // unix seconds, 0..kMaxEventTime
  float rating = 0;      // rate / mentor_rated: on the bundle's RatingScale (checked at fold-in), else 0
  // Compacted summaries only: decayed weight at `time`, preference (0/1, or −1 for none), the
  // latest rating (0: none) and the learner's relation to the item.
  float weight = 0;
  float preference = -1;
  bool dismissed = false, enrolled = false, completed = false, bookmarked = false, booked = false;
};

/// Limits that keep a hostile or runaway profile bounded (errors name the limit).
struct ProfileLimits {
  size_t max_events = 5000;        // older events are compacted into per-item summaries, not dropped
  size_t max_json_bytes = 8u << 20;
  int max_json_depth = 64;
  size_t max_string_bytes = limits::kMaxIdBytes;  // an event's item, concept and type; currency; language
  size_t max_list = 10000;         // known concepts (and a mentors request's gap)
  size_t max_goals = 100;          // goals (and concepts in one request): a path to 100 goals is already a curriculum
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
  double weekly_hours = 0;            // hours per week the learner can spend, ≥ 0 (JSON "weeklyHours")
  std::optional<Level> level;         // the learner's stated level (beginner / intermediate / advanced)

  /// Serializes as {"format": "pathlight-profile", "version": 2, ...}.
  nlohmann::json ToJson() const;
  /// Parses (and migrates version 1 of) a profile. Unknown keys, at the top or in an event, are
  /// errors naming the key. Errors: parse_error (names the field or event index),
  /// unsupported_version (newer than this reader), limit_exceeded (depth, sizes), invalid_argument
  /// (a number out of range).
  static StatusOr<Profile> Parse(std::string_view text, const ProfileLimits& limits = {});
  static StatusOr<Profile> FromJson(const nlohmann::json& doc, const ProfileLimits& limits = {});
  /// One event object as in a profile's "events" (the addEvent request): same checks and errors.
  static StatusOr<Event> EventFromJson(const nlohmann::json& event, const std::string& where,
                                       const ProfileLimits& limits = {});
  static nlohmann::json EventToJson(const Event& event);

  /// Folds the oldest events into one summary event per item ("compacted", weight = their decayed
  /// weight at `now`) so that at most `max_events` remain — always: the oldest half first, the
  /// whole log when that is not enough. No signal is dropped (signals.h) unless the learner acted
  /// on more than `max_events` distinct items and concepts: then the summaries with the smallest
  /// decayed weight are dropped. O(n log n) in the number of events.
  void Compact(size_t max_events, double now, const ConfidenceOptions& options,
               const RatingScale& scale = RatingScale());
  /// Bytes of ToJson() as text.
  size_t JsonBytes() const;
  /// Keeps the profile within `limits` at every change (import, addEvent, preferences): at most
  /// max_events events and max_json_bytes of JSON text, compacting further as needed — so that any
  /// exported profile imports again, as text or as object. Errors: limit_exceeded when the goals
  /// and known concepts alone exceed the text limit.
  Status Bound(const ProfileLimits& limits, double now, const ConfidenceOptions& options,
               const RatingScale& scale = RatingScale());
};

}  // namespace pathlight
