#include "pathlight/api.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <type_traits>

#include "pathlight/json_limits.h"

namespace pathlight {
namespace {

using nlohmann::json;

Status Invalid(const std::string& what) { return Status(ErrorCode::kInvalidArgument, what); }

// A parameter's value in an error message: a number as written, anything else by its type (a
// string may be long).
std::string Described(const json& v) {
  if (v.is_number()) return v.dump();
  return (v.is_array() || v.is_object() ? "an " : "a ") + std::string(v.type_name());
}

// What a parameter of type T must be, for error messages.
template <class T>
constexpr const char* ExpectedType() {
  if constexpr (std::is_same_v<T, bool>) return "true or false";
  else if constexpr (std::is_floating_point_v<T>) return "a number";
  else if constexpr (std::is_same_v<T, std::string>) return "a string";
  else {
    static_assert(std::is_same_v<T, std::vector<std::string>>, "ExpectedType: name this parameter type");
    return "an array of strings";
  }
}

// Typed parameter readers: a wrong type is invalid_argument naming the parameter.
// An integer parameter must be a whole number within T's range: nlohmann's get<int>() casts a
// double (3.9e112) or an unsigned (2^32 + 1) to int unchecked — undefined behaviour or a silent
// wrap to an accepted value (found by fuzz/targets/api_fuzzer.cpp in a CI run).
template <class T>
Status Get(const json& p, const char* key, T* out) {
  auto it = p.find(key);
  if (it == p.end() || it->is_null()) return Status::Ok();
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    using Limits = std::numeric_limits<T>;
    const double v = it->is_number() ? it->get<double>() : std::nan("");
    // [min, 2^digits): both bounds are exact in double, also for 64-bit T.
    if (!(v >= double(Limits::min()) && v < std::ldexp(1.0, Limits::digits) && v == std::trunc(v)))
      return Invalid(std::string("parameter \"") + key + "\" must be an integer in [" + std::to_string(Limits::min()) +
                     ", " + std::to_string(Limits::max()) + "], got " +
                     Described(*it));
    *out = static_cast<T>(v);
  } else {
    try {
      *out = it->get<T>();
    } catch (const json::exception&) {
      return Invalid(std::string("parameter \"") + key + "\" must be " + ExpectedType<T>() + ", got " +
                     Described(*it));
    }
  }
  return Status::Ok();
}

Status ReadRankOptions(const json& p, const Catalog& cat, RankOptions* o) {
  if (!p.is_object()) return Invalid("params must be an object");
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "k", &o->k));
  if (o->k < 1 || o->k > 1000) return Invalid("k must be in 1..1000, got " + std::to_string(o->k));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "excludeConsumed", &o->exclude_consumed));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "excludeDismissed", &o->exclude_dismissed));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "maxPrice", &o->max_price));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "minReadiness", &o->min_readiness));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "readinessWeight", &o->readiness_weight));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "goalWeight", &o->goal_weight));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "knownPenalty", &o->known_penalty));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "mmrLambda", &o->mmr_lambda));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "maxMentors", &o->max_mentors));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "maxMemberships", &o->max_memberships));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "candidatePool", &o->candidate_pool));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "languages", &o->languages));
  for (float v : {o->min_readiness, o->readiness_weight, o->goal_weight, o->known_penalty, o->mmr_lambda})
    if (!std::isfinite(v)) return Invalid("ranking weights must be finite numbers");
  if (o->readiness_weight < 0 || o->goal_weight < 0 || o->known_penalty < 0 || o->mmr_lambda < 0 || o->mmr_lambda > 1)
    return Invalid("readinessWeight, goalWeight and knownPenalty must be >= 0 and mmrLambda in [0, 1]");
  if (!std::isfinite(o->max_price)) return Invalid("maxPrice must be a finite number");
  o->candidate_pool = std::clamp(o->candidate_pool, 1, std::max(1, cat.num_items()));
  std::vector<std::string> kinds, levels;
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "kinds", &kinds));
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "levels", &levels));
  for (const std::string& k : kinds) {
    auto kind = ParseItemKind(k);
    if (!kind) return Invalid("unknown kind \"" + k + "\" (course, ebook, consultation, membership, mentor)");
    o->kinds.push_back(*kind);
  }
  for (const std::string& l : levels) {
    auto level = ParseLevel(l);
    if (!level) return Invalid("unknown level \"" + l + "\" (beginner, intermediate, advanced, all)");
    o->levels.push_back(*level);
  }
  return Status::Ok();
}

StatusOr<std::vector<ConceptIndex>> Concepts(const json& p, const char* key, const Catalog& cat) {
  std::vector<std::string> ids;
  PATHLIGHT_RETURN_IF_ERROR(Get(p, key, &ids));
  std::vector<ConceptIndex> out;
  for (const std::string& id : ids) {
    auto c = cat.FindConcept(id);
    if (!c) return Status(ErrorCode::kUnknownId, "concept \"" + id + "\" is not in this bundle's knowledge graph");
    out.push_back(*c);
  }
  return out;
}

StatusOr<ItemIndex> ItemParam(const json& p, const Catalog& cat) {
  std::string id;
  PATHLIGHT_RETURN_IF_ERROR(Get(p, "id", &id));
  auto i = cat.FindItem(id);
  if (!i) return Status(ErrorCode::kUnknownId, "item \"" + id + "\" is not in this bundle's catalog");
  return *i;
}

json ReasonsJson(const std::vector<Reason>& reasons, const Catalog& cat) {
  json out = json::array();
  for (const Reason& r : reasons) {
    json j = {{"kind", ReasonKindName(r.kind)}};
    if (r.concept.value() >= 0) j["concept"] = cat.concept_at(r.concept).id;
    if (r.goal.value() >= 0) j["goal"] = cat.concept_at(r.goal).id;
    out.push_back(std::move(j));
  }
  return out;
}

json ContributionsJson(const std::vector<Contribution>& cs, const Catalog& cat, size_t limit) {
  json out = json::array();
  for (size_t j = 0; j < cs.size() && j < limit; ++j) {
    if (cs[j].concept.value() >= 0) out.push_back({{"concept", cat.concept_at(cs[j].concept).id}, {"value", cs[j].value}});
    else out.push_back({{"id", cat.item(cs[j].item).id}, {"value", cs[j].value}});
  }
  return out;
}

json MentorJson(const MentorMatch& m, const Catalog& cat) {
  json covers = json::array();
  for (ConceptIndex c : m.covers) covers.push_back(cat.concept_at(c).id);
  return {{"id", cat.item(m.mentor).id}, {"score", m.score}, {"coverage", m.coverage}, {"personal", m.personal},
          {"covers", covers}, {"withinBudget", m.within_budget}, {"hasCapacity", m.has_capacity},
          {"speaksLanguage", m.speaks_language}};
}

// Product defaults for the learner app and widget (docs/HYPERPARAMETERS.md, "Ranking").
RankOptions ProductDefaults(const Profile& p) {
  RankOptions o;
  o.readiness_weight = 0.3f;
  o.goal_weight = 0.3f;
  o.known_penalty = 0.3f;
  o.mmr_lambda = 0.8f;
  o.max_mentors = 1;
  o.max_memberships = 1;
  if (p.budget >= 0) o.max_price = p.budget;
  if (!p.language.empty()) o.languages = {p.language};  // mentors pass when they speak it
  return o;
}

}  // namespace

Status Session::Load(std::string_view manifest_text, const BundleParts& parts) {
  StatusOr<Bundle> b = DecodeBundle(manifest_text, parts);
  if (!b.ok()) return b.status();
  Install(std::move(b).value());
  return Status::Ok();
}

void Session::Install(Bundle bundle) {
  auto rec = std::make_unique<Recommender>(std::move(bundle));
  learner_ = std::make_unique<LearnerState>(rec->Learner(profile_, now_));
  rec_ = std::move(rec);
}

std::string Session::CallJson(const std::string& request_json) {
  // Bounded depth: params are copied and dumped below, which recurses once per nesting level.
  StatusOr<json> parsed = ParseBoundedJson(request_json, "request");
  if (!parsed.ok() && parsed.status().code() == ErrorCode::kLimitExceeded)
    return json{{"error", {{"code", "limit_exceeded"}, {"message", parsed.status().message()}}}}.dump();
  if (!parsed.ok())
    return json{{"error", {{"code", "parse_error"}, {"message", parsed.status().message()}}}}.dump();
  const json req = std::move(parsed).value();
  if (!req.is_object() || !req.contains("method") || !req["method"].is_string())
    return json{{"error", {{"code", "invalid_argument"}, {"message", "request must be {\"method\": string, \"params\": object}"}}}}.dump();
  return Call(req["method"].get<std::string>(), req.value("params", json::object())).dump();
}

json Session::Call(const std::string& method, const json& params) {
  const double now_before = now_;  // a failed request changes nothing, its clock included
  try {
    StatusOr<json> r = Dispatch(method, params.is_null() ? json::object() : params);
    if (r.ok()) return {{"result", std::move(r).value()}};
    now_ = now_before;
    return {{"error", {{"code", ErrorCodeName(r.status().code())}, {"message", r.status().message()}}}};
  } catch (const std::exception& e) {  // defensive: the core reports errors as values
    now_ = now_before;
    return {{"error", {{"code", "invalid_argument"}, {"message", std::string("request failed: ") + e.what()}}}};
  }
}

StatusOr<json> Session::Dispatch(const std::string& method, const json& p) {
  if (!p.is_object()) return Invalid("params must be an object");
  if (!rec_) return Invalid("no bundle is loaded");
  const Recommender& rec = *rec_;
  const Catalog& cat = rec.catalog();
  LearnerState& learner = *learner_;
  if (p.contains("now")) {
    double now = 0;
    PATHLIGHT_RETURN_IF_ERROR(Get(p, "now", &now));
    // Bounded like event times: compaction stamps its summaries with now, and the exported profile must import.
    if (!(now >= 0 && now <= kMaxEventTime)) return Invalid("now must be unix seconds in [0, 1e11], got " + p["now"].dump());
    now_ = now;
  }

  if (method == "info") {
    const Bundle& b = rec.bundle();
    return json{{"dataset", b.info.dataset}, {"formatVersion", kBundleFormatVersion}, {"algorithm", b.info.algorithm},
                {"factors", b.info.factors}, {"items", cat.num_items()}, {"concepts", cat.num_concepts()},
                {"regularization", b.info.regularization}, {"alpha", b.info.alpha}, {"metrics", b.info.metrics},
                {"factorEncoding", FactorEncodingName(b.item_factors.encoding())},
                {"ratingScale", b.info.ratings ? json{b.info.ratings->min_rating, b.info.ratings->max_rating} : json(nullptr)}};
  }
  if (method == "catalog") return cat.ToJson();
  if (method == "setProfile") {
    if (!p.contains("profile")) return Invalid("setProfile needs {profile}");
    PATHLIGHT_ASSIGN_OR_RETURN(Profile prof, p["profile"].is_string() ? Profile::Parse(p["profile"].get<std::string>())
                                                                        : Profile::FromJson(p["profile"]));
    profile_ = std::move(prof);
    *learner_ = rec.Learner(profile_, now_);
    return json{{"unknownIds", learner.unknown_ids()}, {"events", profile_.events.size()}};
  }
  if (method == "exportProfile") return learner.profile().ToJson();
  if (method == "addEvent") {
    if (!p.contains("event")) return Invalid("addEvent needs {event}");
    Profile wrapper;
    json doc = {{"format", "pathlight-profile"}, {"version", kProfileFormatVersion}, {"events", json::array({p["event"]})}};
    PATHLIGHT_ASSIGN_OR_RETURN(wrapper, Profile::FromJson(doc));
    if (wrapper.events.front().type == EventType::kCompacted)
      return Invalid("addEvent: \"compacted\" is the profile's own summary type, not an event");
    PATHLIGHT_RETURN_IF_ERROR(rec.AddEvent(learner, wrapper.events.front()));
    profile_.events.push_back(learner.profile().events.back());  // O(1): profile_ mirrors the learner's
    // Keep a live session's log as bounded as an imported one (Profile::Parse compacts too): fold
    // the oldest events into per-item summaries (no signal is dropped) and re-solve once.
    if (const size_t max_events = ProfileLimits().max_events; profile_.events.size() > max_events) {
      profile_.Compact(max_events, now_, rec.learner_options().confidence);
      *learner_ = rec.Learner(profile_, now_);
    }
    return json{{"events", profile_.events.size()}};
  }
  if (method == "setPreferences") {
    json doc = p;
    doc["format"] = "pathlight-profile";
    doc["version"] = kProfileFormatVersion;
    doc.erase("events");
    doc.erase("now");
    PATHLIGHT_ASSIGN_OR_RETURN(Profile prefs, Profile::FromJson(doc));
    rec.UpdatePreferences(learner, prefs);
    profile_ = learner.profile();
    return json{{"unknownIds", learner.unknown_ids()}};
  }
  if (method == "recommend") {
    RankOptions o = ProductDefaults(learner.profile());
    bool pure = false;
    PATHLIGHT_RETURN_IF_ERROR(Get(p, "pure", &pure));
    if (pure) o = RankOptions();
    PATHLIGHT_RETURN_IF_ERROR(ReadRankOptions(p, cat, &o));
    const bool fallback = !learner.has_history() && learner.goals().empty() && learner.profile().known.empty();
    json items = json::array();
    for (const Recommendation& r : rec.Rank(learner, o)) {
      json j = {{"id", cat.item(r.item).id}, {"index", r.item.value()}, {"score", r.score}, {"personal", r.personal},
                {"readiness", r.readiness}, {"goalRelevance", r.goal_relevance}, {"reasons", ReasonsJson(r.reasons, cat)}};
      if (!fallback) {
        Explanation ex = rec.Explain(learner, r.item);
        // "Because you liked …": the learner's own items with the largest positive shares.
        ex.contributions.erase(std::remove_if(ex.contributions.begin(), ex.contributions.end(),
                                              [](const Contribution& c) { return c.value <= 0; }),
                               ex.contributions.end());
        j["because"] = ContributionsJson(ex.contributions, cat, 3);
      }
      if (auto rating = rec.PredictRating(learner, r.item)) j["predictedRating"] = *rating;
      items.push_back(std::move(j));
    }
    return json{{"items", items}, {"fallback", fallback ? json("popular") : json(nullptr)}};
  }
  if (method == "similar") {
    PATHLIGHT_ASSIGN_OR_RETURN(ItemIndex item, ItemParam(p, cat));
    RankOptions o;
    PATHLIGHT_RETURN_IF_ERROR(ReadRankOptions(p, cat, &o));
    json items = json::array();
    for (const Recommendation& r : rec.Similar(item, o)) items.push_back({{"id", cat.item(r.item).id}, {"score", r.score}});
    return json{{"items", items}};
  }
  if (method == "explain") {
    PATHLIGHT_ASSIGN_OR_RETURN(ItemIndex item, ItemParam(p, cat));
    const Explanation ex = rec.Explain(learner, item);
    json out = {{"score", ex.score}, {"contributions", ContributionsJson(ex.contributions, cat, ex.contributions.size())},
                {"reasons", ReasonsJson(ex.reasons, cat)}};
    if (auto r = rec.PredictRating(learner, item)) out["predictedRating"] = *r;
    if (ex.prior != 0) out["prior"] = ex.prior;
    return out;
  }
  if (method == "path") {
    PATHLIGHT_ASSIGN_OR_RETURN(std::vector<ConceptIndex> goals, Concepts(p, "goals", cat));
    RankOptions o = ProductDefaults(learner.profile());
    PATHLIGHT_RETURN_IF_ERROR(ReadRankOptions(p, cat, &o));
    const LearningPath path = rec.Path(learner, goals, o);
    json steps = json::array(), unreachable = json::array(), goal_ids = json::array();
    for (const PathStep& s : path.steps) {
      json j = {{"concept", cat.concept_at(s.concept).id}, {"state", PathStateName(s.state)}, {"depth", s.depth}};
      j["item"] = s.best_item ? json(cat.item(*s.best_item).id) : json(nullptr);
      steps.push_back(std::move(j));
    }
    for (ConceptIndex c : path.unreachable) unreachable.push_back(cat.concept_at(c).id);
    for (ConceptIndex c : path.goals) goal_ids.push_back(cat.concept_at(c).id);
    return json{{"goals", goal_ids}, {"steps", steps},
                {"hardest", path.hardest ? json(cat.concept_at(*path.hardest).id) : json(nullptr)},
                {"mentor", path.mentor ? MentorJson(*path.mentor, cat) : json(nullptr)},
                {"totalPrice", path.total_price}, {"totalHours", path.total_hours},
                {"unpricedItems", path.unpriced_items}, {"unreachable", unreachable}};
  }
  if (method == "mentors") {
    PATHLIGHT_ASSIGN_OR_RETURN(std::vector<ConceptIndex> gap, Concepts(p, "gap", cat));
    MentorOptions o;
    PATHLIGHT_RETURN_IF_ERROR(Get(p, "k", &o.k));
    if (o.k < 1 || o.k > 1000) return Invalid("k must be in 1..1000");
    json out = json::array();
    for (const MentorMatch& m : rec.Mentors(learner, gap, o)) out.push_back(MentorJson(m, cat));
    return json{{"mentors", out}};
  }
  if (method == "foldIn") {
    const Vector x = learner.user();
    return json{{"factors", std::vector<float>(x.data(), x.data() + x.size())}};
  }
  if (method == "refine") {
    RefineOptions o;
    PATHLIGHT_RETURN_IF_ERROR(Get(p, "epochs", &o.epochs));
    if (o.epochs < 1 || o.epochs > 1000) return Invalid("epochs must be in 1..1000");
    rec.Refine(learner, o);
    return json{{"offsets", learner.bias_offsets().size()}};
  }
  if (method == "resetPersonalization") {
    rec.ResetPersonalization(learner);
    return json::object();
  }
  return Invalid("unknown method \"" + method + "\"");
}

}  // namespace pathlight
