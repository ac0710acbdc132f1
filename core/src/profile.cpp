#include "pathlight/profile.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace pathlight {
namespace {

using nlohmann::json;

constexpr const char* kEventNames[] = {"view",         "bookmark",      "enroll",       "complete",  "rate", "dismiss",
                                       "know_concept", "mentor_booked", "mentor_rated", "compacted"};

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

double Decay(double age_seconds, double half_life_days) {
  if (half_life_days <= 0 || age_seconds <= 0) return 1.0;
  return std::exp2(-age_seconds / (half_life_days * 86400.0));
}

bool Consumes(EventType t) {
  return t == EventType::kEnroll || t == EventType::kComplete || t == EventType::kMentorBooked ||
         t == EventType::kRate || t == EventType::kMentorRated;
}

}  // namespace

std::pair<float, float> EventSignal(const Event& e, const ConfidenceOptions& o) {
  switch (e.type) {
    case EventType::kView: return {o.view, -1.f};
    case EventType::kBookmark: return {o.bookmark, 1.f};
    case EventType::kEnroll: return {o.enroll, 1.f};
    case EventType::kComplete: return {o.complete, 1.f};
    case EventType::kMentorBooked: return {o.mentor_booked, 1.f};
    case EventType::kRate:
    case EventType::kMentorRated:
      return {std::fabs(e.rating - 3.f) * o.rating_scale + 1.f, e.rating >= 3.f ? 1.f : 0.f};
    case EventType::kDismiss: return {o.dismiss, 0.f};
    case EventType::kKnowConcept: return {0.f, -1.f};
    case EventType::kCompacted: return {e.weight, e.preference};
  }
  return {0.f, -1.f};
}

const char* EventTypeName(EventType t) { return kEventNames[static_cast<int>(t)]; }
std::optional<EventType> ParseEventType(std::string_view name) {
  for (int i = 0; i < 10; ++i)
    if (name == kEventNames[i]) return static_cast<EventType>(i);
  return std::nullopt;
}

json Profile::ToJson() const {
  json ev = json::array();
  for (const Event& e : events) {
    json j = {{"type", EventTypeName(e.type)}, {"t", e.time}};
    if (!e.item.empty()) j["item"] = e.item;
    if (!e.concept.empty()) j["concept"] = e.concept;
    if (e.rating > 0) j["rating"] = e.rating;
    if (e.type == EventType::kCompacted) {
      j["weight"] = e.weight;
      j["preference"] = e.preference;
      j["consumed"] = e.consumed;
      j["dismissed"] = e.dismissed;
    }
    ev.push_back(std::move(j));
  }
  json out = {{"format", "pathlight-profile"}, {"version", kProfileFormatVersion},
              {"events", ev}, {"goals", goals}, {"known", known}, {"currency", currency},
              {"language", language}, {"weekly_hours", weekly_hours}};
  if (budget >= 0) out["budget"] = budget;
  return out;
}

StatusOr<Profile> Profile::Parse(std::string_view text, const ProfileLimits& limits) {
  if (text.size() > limits.max_json_bytes)
    return Status(ErrorCode::kLimitExceeded, "profile: " + std::to_string(text.size()) + " bytes exceeds the limit of " +
                                                 std::to_string(limits.max_json_bytes));
  bool too_deep = false;
  const json::parser_callback_t depth_guard = [&](int depth, json::parse_event_t, json&) {
    if (depth > limits.max_json_depth) too_deep = true;
    return !too_deep;
  };
  json doc = json::parse(text, depth_guard, /*allow_exceptions=*/false);
  if (too_deep)
    return Status(ErrorCode::kLimitExceeded, "profile: JSON nested deeper than " + std::to_string(limits.max_json_depth));
  if (doc.is_discarded()) return Status(ErrorCode::kParseError, "profile: not valid JSON");
  return FromJson(doc, limits);
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
  // Migration point: when version 2 exists, convert a version-1 document here before reading.
  Profile p;
  auto str = [&](const json& j, const char* key, std::string* out, const std::string& where) -> Status {
    auto it = j.find(key);
    if (it == j.end()) return Status::Ok();
    if (!it->is_string()) return Bad(where, std::string("\"") + key + "\" must be a string");
    if (it->get_ref<const std::string&>().size() > limits.max_string_bytes)
      return Status(ErrorCode::kLimitExceeded, "profile: " + where + ": \"" + key + "\" is longer than " +
                                                   std::to_string(limits.max_string_bytes) + " bytes");
    *out = it->get<std::string>();
    return Status::Ok();
  };
  auto list = [&](const char* key, std::vector<std::string>* out) -> Status {
    auto it = doc.find(key);
    if (it == doc.end()) return Status::Ok();
    if (!it->is_array()) return Bad(key, "expected an array of concept ids");
    if (it->size() > limits.max_list)
      return Status(ErrorCode::kLimitExceeded, std::string("profile: \"") + key + "\" has more than " +
                                                   std::to_string(limits.max_list) + " entries");
    for (const json& v : *it) {
      if (!v.is_string() || v.get_ref<const std::string&>().size() > limits.max_string_bytes)
        return Bad(key, "expected strings of at most " + std::to_string(limits.max_string_bytes) + " bytes");
      out->push_back(v.get<std::string>());
    }
    return Status::Ok();
  };
  PATHLIGHT_RETURN_IF_ERROR(list("goals", &p.goals));
  PATHLIGHT_RETURN_IF_ERROR(list("known", &p.known));
  PATHLIGHT_RETURN_IF_ERROR(str(doc, "currency", &p.currency, "profile"));
  PATHLIGHT_RETURN_IF_ERROR(str(doc, "language", &p.language, "profile"));
  for (const char* key : {"budget", "weekly_hours"}) {
    auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) continue;
    if (!it->is_number() || !std::isfinite(it->get<double>()) || it->get<double>() < 0)
      return Bad(key, "expected a finite number >= 0");
    (std::string(key) == "budget" ? p.budget : p.weekly_hours) = it->get<double>();
  }
  auto events = doc.find("events");
  if (events != doc.end()) {
    if (!events->is_array()) return Bad("events", "expected an array");
    if (events->size() > 100 * limits.max_events)
      return Status(ErrorCode::kLimitExceeded, "profile: more than " + std::to_string(100 * limits.max_events) + " events");
    for (size_t i = 0; i < events->size(); ++i) {
      const json& j = (*events)[i];
      const std::string where = "events[" + std::to_string(i) + "]";
      if (!j.is_object()) return Bad(where, "expected an object");
      Event e;
      std::string type;
      PATHLIGHT_RETURN_IF_ERROR(str(j, "type", &type, where));
      auto t = ParseEventType(type);
      if (!t) return Bad(where, "unknown event type \"" + type + "\"");
      e.type = *t;
      PATHLIGHT_RETURN_IF_ERROR(str(j, "item", &e.item, where));
      PATHLIGHT_RETURN_IF_ERROR(str(j, "concept", &e.concept, where));
      if (e.type == EventType::kKnowConcept ? e.concept.empty() : e.item.empty())
        return Bad(where, e.type == EventType::kKnowConcept ? "know_concept needs \"concept\"" : "needs \"item\"");
      auto num = [&](const char* key, double lo, double hi, double* out) -> Status {
        auto it = j.find(key);
        if (it == j.end()) return Status::Ok();
        if (!it->is_number()) return Bad(where, std::string("\"") + key + "\" must be a number");
        if (!std::isfinite(it->get<double>()) || it->get<double>() < lo || it->get<double>() > hi)
          return Status(ErrorCode::kInvalidArgument, "profile: " + where + ": \"" + key + "\" = " + it->dump() +
                                                         ", expected a number in [" + std::to_string(lo) + ", " +
                                                         std::to_string(hi) + "]");
        *out = it->get<double>();
        return Status::Ok();
      };
      double time = 0, rating = 0, weight = 0, preference = -1;
      PATHLIGHT_RETURN_IF_ERROR(num("t", 0, kMaxEventTime, &time));
      PATHLIGHT_RETURN_IF_ERROR(num("rating", 1, 5, &rating));
      if (e.type == EventType::kCompacted) {
        PATHLIGHT_RETURN_IF_ERROR(num("weight", 0, kMaxCompactedWeight, &weight));
        PATHLIGHT_RETURN_IF_ERROR(num("preference", -1, 1, &preference));
        e.preference = preference < 0 ? -1.f : preference < 0.5 ? 0.f : 1.f;
        e.consumed = j.contains("consumed") && j["consumed"] == true;  // not value(): it throws on a non-bool
        e.dismissed = j.contains("dismissed") && j["dismissed"] == true;
      }
      if ((e.type == EventType::kRate || e.type == EventType::kMentorRated) && rating == 0)
        return Bad(where, "a rating event needs \"rating\" in 1..5");
      e.time = time;
      e.rating = static_cast<float>(rating);
      e.weight = static_cast<float>(weight);
      p.events.push_back(std::move(e));
    }
  }
  if (p.events.size() > limits.max_events) {
    double now = 0;
    for (const Event& e : p.events) now = std::max(now, e.time);
    p.Compact(limits.max_events, now, ConfidenceOptions());
  }
  return p;
}

void Profile::Compact(size_t max_events, double now, const ConfidenceOptions& options) {
  if (events.size() <= max_events || max_events == 0) return;
  // Summaries need one slot per distinct item among the oldest events; compact the oldest half
  // of the log (at least the overflow) into them.
  const size_t n_old = std::max(events.size() - max_events / 2, events.size() - max_events);
  std::map<std::string, Event> summary;  // ordered: deterministic output
  std::vector<Event> kept_signals;
  std::map<std::string, size_t> known_at;  // concept → its slot in kept_signals (a repeat adds nothing)
  for (size_t i = 0; i < n_old; ++i) {
    const Event& e = events[i];
    if (e.type == EventType::kKnowConcept) {
      auto [slot, fresh] = known_at.emplace(e.concept, kept_signals.size());
      if (fresh) kept_signals.push_back(e);
      else kept_signals[slot->second] = e;  // keep the latest statement
      continue;
    }
    const auto [base, pref] = EventSignal(e, options);
    Event& s = summary[e.item];
    s.type = EventType::kCompacted;
    s.item = e.item;
    s.time = now;
    s.weight += static_cast<float>(base * Decay(now - e.time, options.half_life_days));
    if (pref >= 0) s.preference = pref;  // the latest explicit signal wins, as in ItemSignalsOf
    s.consumed = s.consumed || Consumes(e.type) || (e.type == EventType::kCompacted && e.consumed);
    if (e.type == EventType::kDismiss || (e.type == EventType::kCompacted && e.dismissed)) s.dismissed = true;
    if (pref == 1.f) s.dismissed = false;
    if (e.rating > 0 && (e.type == EventType::kRate || e.type == EventType::kMentorRated ||
                         e.type == EventType::kCompacted))
      s.rating = e.rating;  // explicit-rating models fold the latest rating in
  }
  std::vector<Event> out = std::move(kept_signals);
  for (auto& [id, s] : summary) {
    s.weight = std::min(s.weight, static_cast<float>(kMaxCompactedWeight));  // 250,000 completes and more: already certain
    out.push_back(s);
  }
  out.insert(out.end(), events.begin() + static_cast<std::ptrdiff_t>(n_old), events.end());
  events = std::move(out);
}

ItemSignals ItemSignalsOf(const Profile& profile, const Catalog& catalog, double now, const ConfidenceOptions& o) {
  ItemSignals out;
  std::unordered_map<int32_t, size_t> slot, rating_slot;
  std::vector<uint8_t> consumed(catalog.num_items(), 0), dismissed(catalog.num_items(), 0);
  for (const Event& e : profile.events) {
    if (e.type == EventType::kKnowConcept) continue;
    auto idx = catalog.FindItem(e.item);
    if (!idx) {
      out.unknown.push_back(e.item);
      continue;
    }
    const auto [base, pref] = EventSignal(e, o);
    auto [it, inserted] = slot.emplace(idx->value(), out.items.size());
    if (inserted) out.items.push_back({idx->value(), 0.f, 1.f});
    WeightedItem& w = out.items[it->second];
    w.weight += static_cast<float>(base * Decay(now - e.time, o.half_life_days));
    if (pref >= 0) w.preference = pref;  // the latest explicit signal wins
    if (Consumes(e.type) || (e.type == EventType::kCompacted && e.consumed)) consumed[idx->value()] = 1;
    if (e.type == EventType::kDismiss || (e.type == EventType::kCompacted && e.dismissed)) dismissed[idx->value()] = 1;
    if (pref == 1.f) dismissed[idx->value()] = 0;  // a later positive signal lifts a dismissal
    if (e.rating > 0 && (e.type == EventType::kRate || e.type == EventType::kMentorRated ||
                         e.type == EventType::kCompacted)) {  // a compacted summary keeps the latest
      auto [r, fresh] = rating_slot.emplace(idx->value(), out.ratings.size());
      if (fresh) out.ratings.push_back({idx->value(), e.rating});
      else out.ratings[r->second].rating = e.rating;  // the latest rating wins
    }
  }
  out.items.erase(std::remove_if(out.items.begin(), out.items.end(), [](const WeightedItem& w) { return !(w.weight > 0); }),
                  out.items.end());
  for (int32_t i = 0; i < catalog.num_items(); ++i) {
    if (consumed[i]) out.consumed.push_back(ItemIndex(i));
    if (dismissed[i]) out.dismissed.push_back(ItemIndex(i));
  }
  return out;
}

}  // namespace pathlight
