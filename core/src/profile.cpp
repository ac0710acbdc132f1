#include "pathlight/profile.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "pathlight/json_limits.h"
#include "pathlight/signals.h"

namespace pathlight {
namespace {

using nlohmann::json;

constexpr const char* kEventNames[] = {"view",         "bookmark",      "enroll",       "complete",  "rate", "dismiss",
                                       "know_concept", "mentor_booked", "mentor_rated", "compacted"};
constexpr size_t kMaxEventIdBytes = 128;

Status Bad(const std::string& where, const std::string& what) {
  return Status(ErrorCode::kParseError, "profile: " + where + ": " + what);
}

// Depth of a parsed JSON value (iterative: a hostile document cannot overflow the stack here,
// and the parser itself is bounded by the depth callback below).
int Depth(const json& j) {
  int best = 0;
  std::vector<std::pair<const json*, int>> stack = {{&j, 1}};
  while (!stack.empty()) {
    auto [v, d] = stack.back();
    stack.pop_back();
    best = std::max(best, d);
    if (v->is_structured())
      for (const json& c : *v) stack.push_back({&c, d + 1});
  }
  return best;
}

// An unknown key is an error naming it and the keys that are allowed.
Status OnlyKeys(const json& obj, std::initializer_list<const char*> allowed, const std::string& where) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return it.key() == a; }) != allowed.end())
      continue;
    std::string list;
    for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
    return Bad(where, "unknown key \"" + it.key().substr(0, 64) + "\" (expected " + list + ")");
  }
  return Status::Ok();
}

Status String(const json& j, const char* key, std::string* out, const std::string& where, size_t max_bytes) {
  auto it = j.find(key);
  if (it == j.end()) return Status::Ok();
  if (!it->is_string()) return Bad(where, std::string("\"") + key + "\" must be a string");
  if (it->get_ref<const std::string&>().size() > max_bytes)
    return Status(ErrorCode::kLimitExceeded,
                  "profile: " + where + ": \"" + key + "\" is longer than " + std::to_string(max_bytes) + " bytes");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status Number(const json& j, const char* key, double lo, double hi, double* out, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return Status::Ok();
  if (!it->is_number()) return Bad(where, std::string("\"") + key + "\" must be a number");
  const double v = it->get<double>();
  if (!std::isfinite(v) || v < lo || v > hi) {
    std::ostringstream range;
    range << "[" << lo << ", " << hi << "]";
    return Status(ErrorCode::kInvalidArgument,
                  "profile: " + where + ": \"" + key + "\" = " + it->dump() + ", expected a number in " + range.str());
  }
  *out = v;
  return Status::Ok();
}

Status Bool(const json& j, const char* key, bool* out, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return Status::Ok();
  if (!it->is_boolean()) return Bad(where, std::string("\"") + key + "\" must be true or false");
  *out = it->get<bool>();
  return Status::Ok();
}

bool IsRating(EventType t) { return t == EventType::kRate || t == EventType::kMentorRated; }

}  // namespace

const char* EventTypeName(EventType t) { return kEventNames[static_cast<int>(t)]; }
std::optional<EventType> ParseEventType(std::string_view name) {
  for (int i = 0; i < 10; ++i)
    if (name == kEventNames[i]) return static_cast<EventType>(i);
  return std::nullopt;
}

json Profile::EventToJson(const Event& e) {
  json j = {{"type", EventTypeName(e.type)}, {"t", e.time}};
  if (!e.id.empty()) j["id"] = e.id;
  if (!e.item.empty()) j["item"] = e.item;
  if (!e.concept.empty()) j["concept"] = e.concept;
  if (e.rating > 0) j["rating"] = e.rating;
  if (e.type == EventType::kCompacted) {
    j["weight"] = e.weight;
    j["preference"] = e.preference;
    for (auto [key, flag] : {std::pair{"dismissed", e.dismissed}, {"enrolled", e.enrolled}, {"completed", e.completed},
                             {"bookmarked", e.bookmarked}, {"booked", e.booked}})
      if (flag) j[key] = true;
  }
  return j;
}

json Profile::ToJson() const {
  json ev = json::array();
  for (const Event& e : events) ev.push_back(EventToJson(e));
  json out = {{"format", "pathlight-profile"}, {"version", kProfileFormatVersion},
              {"events", std::move(ev)}, {"goals", goals}, {"known", known}, {"currency", currency},
              {"language", language}, {"weeklyHours", weekly_hours}};
  if (budget >= 0) out["budget"] = budget;
  if (level) out["level"] = LevelName(*level);
  return out;
}

std::vector<float> RatingScale::Choices(int max_choices) const {
  max_choices = std::max(max_choices, 2);
  std::vector<float> out;
  const double lo = min, hi = max;
  const auto add = [&](double v) {
    const float f = static_cast<float>(v);
    if (out.empty() || f > out.back()) out.push_back(f);
  };
  if (step > 0) {
    const double points = std::floor((hi - lo) / step + 1e-6) + 1;  // grid points within [min, max]
    // Every point when they fit; else every stride-th, leaving room for max.
    const double stride = points <= max_choices ? 1 : std::ceil((points - 1) / (max_choices - 2));
    for (double j = 0; j < points; j += stride) add(lo + j * step);
  } else {
    const double whole = std::floor(hi) - std::ceil(lo) + 1;
    if (whole + 2 <= max_choices) {
      add(lo);
      for (double v = std::ceil(lo); v <= hi; v += 1) add(v);
    } else {
      for (int j = 0; j + 1 < max_choices; ++j) add(lo + (hi - lo) * j / (max_choices - 1));
    }
  }
  if (out.back() < max) {
    if (static_cast<int>(out.size()) >= max_choices) out.pop_back();
    add(hi);
  }
  return out;
}

StatusOr<Profile> Profile::Parse(std::string_view text, const ProfileLimits& limits) {
  if (text.size() > limits.max_json_bytes)
    return Status(ErrorCode::kLimitExceeded, "profile: " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                                                 std::to_string(limits.max_json_bytes));
  PATHLIGHT_ASSIGN_OR_RETURN(json doc, ParseBoundedJson(text, "profile", limits.max_json_depth));
  return FromJson(doc, limits);
}

StatusOr<Event> Profile::EventFromJson(const json& j, const std::string& where, const ProfileLimits& limits) {
  if (!j.is_object()) return Bad(where, "expected an object");
  PATHLIGHT_RETURN_IF_ERROR(OnlyKeys(j, {"type", "id", "item", "concept", "t", "rating", "weight", "preference", "consumed",
                                         "dismissed", "enrolled", "completed", "bookmarked", "booked"},
                                     where));
  Event e;
  std::string type;
  PATHLIGHT_RETURN_IF_ERROR(String(j, "type", &type, where, limits.max_string_bytes));
  auto t = ParseEventType(type);
  if (!t) return Bad(where, "unknown event type \"" + type.substr(0, 64) + "\"");
  e.type = *t;
  PATHLIGHT_RETURN_IF_ERROR(String(j, "id", &e.id, where, kMaxEventIdBytes));
  PATHLIGHT_RETURN_IF_ERROR(String(j, "item", &e.item, where, limits.max_string_bytes));
  PATHLIGHT_RETURN_IF_ERROR(String(j, "concept", &e.concept, where, limits.max_string_bytes));
  if (e.type == EventType::kKnowConcept ? e.concept.empty() : e.item.empty())
    return Bad(where, e.type == EventType::kKnowConcept ? "know_concept needs \"concept\"" : "needs \"item\"");
  if (e.type == EventType::kKnowConcept ? !e.item.empty() : !e.concept.empty())
    return Bad(where, e.type == EventType::kKnowConcept ? "know_concept takes \"concept\", not \"item\""
                                                       : "an item event takes \"item\", not \"concept\"");
  double time = 0, rating = 0, weight = 0, preference = -1;
  PATHLIGHT_RETURN_IF_ERROR(Number(j, "t", 0, kMaxEventTime, &time, where));
  PATHLIGHT_RETURN_IF_ERROR(Number(j, "rating", 0, kMaxRating, &rating, where));
  if (IsRating(e.type) && !(rating > 0)) return Bad(where, "a rating event needs \"rating\" (a number on the bundle's scale)");
  if (j.contains("rating") && !IsRating(e.type) && e.type != EventType::kCompacted)
    return Bad(where, std::string("a ") + EventTypeName(e.type) + " event has no \"rating\"");
  if (e.type == EventType::kCompacted) {
    PATHLIGHT_RETURN_IF_ERROR(Number(j, "weight", 0, kMaxCompactedWeight, &weight, where));
    PATHLIGHT_RETURN_IF_ERROR(Number(j, "preference", -1, 1, &preference, where));
    e.preference = preference < 0 ? -1.f : preference < 0.5 ? 0.f : 1.f;
    bool consumed = false;  // version 1 summaries: consumed without saying how (read as enrolled)
    PATHLIGHT_RETURN_IF_ERROR(Bool(j, "consumed", &consumed, where));
    PATHLIGHT_RETURN_IF_ERROR(Bool(j, "dismissed", &e.dismissed, where));
    PATHLIGHT_RETURN_IF_ERROR(Bool(j, "enrolled", &e.enrolled, where));
    PATHLIGHT_RETURN_IF_ERROR(Bool(j, "completed", &e.completed, where));
    PATHLIGHT_RETURN_IF_ERROR(Bool(j, "bookmarked", &e.bookmarked, where));
    PATHLIGHT_RETURN_IF_ERROR(Bool(j, "booked", &e.booked, where));
    if (consumed && !e.completed && !e.booked && !(rating > 0)) e.enrolled = true;
  } else {
    for (const char* key : {"weight", "preference", "consumed", "dismissed", "enrolled", "completed", "bookmarked", "booked"})
      if (j.contains(key)) return Bad(where, std::string("\"") + key + "\" belongs to compacted summaries only");
  }
  e.time = time;
  e.rating = static_cast<float>(rating);
  e.weight = static_cast<float>(weight);
  return e;
}

StatusOr<Profile> Profile::FromJson(const json& doc, const ProfileLimits& limits) {
  if (Depth(doc) > limits.max_json_depth)
    return Status(ErrorCode::kLimitExceeded, "profile: JSON nested deeper than " + std::to_string(limits.max_json_depth));
  // find + is_string rather than value(): value() throws type_error on a non-string "format".
  const auto format = doc.is_object() ? doc.find("format") : doc.end();
  if (!doc.is_object() || format == doc.end() || !format->is_string() || *format != "pathlight-profile")
    return Status(ErrorCode::kParseError, "profile: not a Pathlight profile (expected \"format\": \"pathlight-profile\")");
  if (!doc.contains("version") || !doc["version"].is_number_integer())
    return Bad("version", "missing integer \"version\"");
  const int64_t version = doc["version"].get<int64_t>();
  if (version > kProfileFormatVersion || version < 1)
    return Status(ErrorCode::kUnsupportedVersion, "profile version " + std::to_string(version) +
                                                      " is not supported (this app reads versions 1.." +
                                                      std::to_string(kProfileFormatVersion) + "); update the app");
  // Version 1 → 2: "weekly_hours" became "weeklyHours" (camelCase at the JS boundary); version 2
  // added "level", event ids and the relation flags of compacted summaries.
  const char* hours_key = version == 1 ? "weekly_hours" : "weeklyHours";
  if (version == 1)
    PATHLIGHT_RETURN_IF_ERROR(OnlyKeys(doc, {"format", "version", "events", "goals", "known", "budget", "currency",
                                             "language", "weekly_hours"}, "profile"));
  else
    PATHLIGHT_RETURN_IF_ERROR(OnlyKeys(doc, {"format", "version", "events", "goals", "known", "budget", "currency",
                                             "language", "weeklyHours", "level"}, "profile"));
  Profile p;
  auto list = [&](const char* key, std::vector<std::string>* out) -> Status {
    auto it = doc.find(key);
    if (it == doc.end()) return Status::Ok();
    if (!it->is_array()) return Bad(key, "expected an array of concept ids");
    const size_t max = std::string(key) == "goals" ? limits.max_goals : limits.max_list;
    if (it->size() > max)
      return Status(ErrorCode::kLimitExceeded, std::string("profile: \"") + key + "\" has more than " +
                                                   std::to_string(max) + " entries");
    for (const json& v : *it) {
      if (!v.is_string() || v.get_ref<const std::string&>().size() > limits.max_string_bytes)
        return Bad(key, "expected strings of at most " + std::to_string(limits.max_string_bytes) + " bytes");
      out->push_back(v.get<std::string>());
    }
    return Status::Ok();
  };
  PATHLIGHT_RETURN_IF_ERROR(list("goals", &p.goals));
  PATHLIGHT_RETURN_IF_ERROR(list("known", &p.known));
  PATHLIGHT_RETURN_IF_ERROR(String(doc, "currency", &p.currency, "profile", limits.max_string_bytes));
  PATHLIGHT_RETURN_IF_ERROR(String(doc, "language", &p.language, "profile", limits.max_string_bytes));
  for (const char* key : {"budget", hours_key}) {
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) continue;
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0)
      return Bad(key, "expected a finite number >= 0");
    (std::string(key) == "budget" ? p.budget : p.weekly_hours) = it->get<double>();
  }
  if (auto it = doc.find("level"); it != doc.end() && !it->is_null()) {
    const auto level = it->is_string() ? ParseLevel(it->get<std::string>()) : std::nullopt;
    if (!level || *level == Level::kAll) return Bad("level", "expected \"beginner\", \"intermediate\" or \"advanced\"");
    p.level = level;
  }
  auto events = doc.find("events");
  if (events != doc.end()) {
    if (!events->is_array()) return Bad("events", "expected an array");
    if (events->size() > 100 * limits.max_events)
      return Status(ErrorCode::kLimitExceeded, "profile: more than " + std::to_string(100 * limits.max_events) + " events");
    p.events.reserve(events->size());
    for (size_t i = 0; i < events->size(); ++i) {
      PATHLIGHT_ASSIGN_OR_RETURN(Event e, EventFromJson((*events)[i], "events[" + std::to_string(i) + "]", limits));
      p.events.push_back(std::move(e));
    }
  }
  // Within the caps of events and of JSON bytes, so that what is exported always imports again.
  double now = 0;
  for (const Event& e : p.events) now = std::max(now, e.time);
  PATHLIGHT_RETURN_IF_ERROR(p.Bound(limits, now, ConfidenceOptions()));
  return p;
}

namespace {

// The oldest `n_old` events folded into summaries: know_concept statements (one per concept, the
// latest), then one summary per item in id order.
std::vector<Event> Summaries(const std::vector<Event>& events, size_t n_old, double now, const ConfidenceOptions& options,
                             const RatingScale& scale) {
  std::map<std::string, ItemSignal> summary;  // ordered: deterministic output
  std::vector<Event> out;
  std::map<std::string, size_t> known_at;  // concept → its slot in out (a repeat adds nothing)
  for (size_t i = 0; i < n_old; ++i) {
    const Event& e = events[i];
    if (e.type == EventType::kKnowConcept) {
      auto [slot, fresh] = known_at.emplace(e.concept, out.size());
      if (fresh) out.push_back(e);
      else out[slot->second] = e;  // keep the latest statement
      continue;
    }
    Accumulate(e, Decay(now - e.time, options.half_life_days), options, scale, &summary[e.item]);
  }
  for (const auto& [id, s] : summary) {
    Event c;
    c.type = EventType::kCompacted;
    c.item = id;
    c.time = now;
    c.weight = std::min(s.weight, static_cast<float>(kMaxCompactedWeight));  // 250,000 completes and more: already certain
    c.preference = s.preference;
    c.rating = s.rating;
    c.dismissed = s.dismissed;
    c.enrolled = s.enrolled;
    c.completed = s.completed;
    c.bookmarked = s.bookmarked;
    c.booked = s.booked;
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

void Profile::Compact(size_t max_events, double now, const ConfidenceOptions& options, const RatingScale& scale) {
  if (events.size() <= max_events || max_events == 0) return;
  // The oldest half of the log (at least the overflow) becomes one summary per distinct item;
  // when the summaries and the newer half still exceed the cap, the whole log is summarized.
  const size_t n_old = std::max(events.size() - max_events / 2, events.size() - max_events);
  std::vector<Event> out = Summaries(events, n_old, now, options, scale);
  if (out.size() + (events.size() - n_old) > max_events) {
    out = Summaries(events, events.size(), now, options, scale);
    if (out.size() > max_events) {
      // More distinct items and concepts than the cap: the strongest summaries stay (stated known
      // concepts first, then items by decayed weight, ties by id) and the weakest are dropped — the
      // only case in which compaction loses a signal (docs/API.md, "Profiles").
      std::stable_sort(out.begin(), out.end(), [](const Event& a, const Event& b) {
        const bool ka = a.type == EventType::kKnowConcept, kb = b.type == EventType::kKnowConcept;
        if (ka != kb) return ka;
        return !ka && a.weight > b.weight;
      });
      out.resize(max_events);
    }
    events = std::move(out);
    return;
  }
  out.insert(out.end(), events.begin() + static_cast<std::ptrdiff_t>(n_old), events.end());
  events = std::move(out);
}

size_t Profile::JsonBytes() const {
  return ToJson().dump(-1, ' ', false, json::error_handler_t::replace).size();
}

Status Profile::Bound(const ProfileLimits& limits, double now, const ConfidenceOptions& options, const RatingScale& scale) {
  Compact(limits.max_events, now, options, scale);
  size_t bytes = JsonBytes();
  // Halve the log's cap until the text fits (each pass summarizes; summaries are small).
  for (size_t cap = events.size() / 2; bytes > limits.max_json_bytes && cap > 0; cap /= 2) {
    Compact(cap, now, options, scale);
    bytes = JsonBytes();
  }
  if (bytes > limits.max_json_bytes)
    return Status(ErrorCode::kLimitExceeded, "profile: " + std::to_string(bytes) + " bytes of JSON even with every event "
                                             "summarized, over the limit of " + std::to_string(limits.max_json_bytes) +
                                             " (the goals and known concepts alone are too long)");
  return Status::Ok();
}

}  // namespace pathlight
