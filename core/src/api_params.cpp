#include "pathlight/api_params.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "pathlight/profile.h"
#include "pathlight/ranking.h"

namespace pathlight {
namespace {

using nlohmann::json;

ParamSpec Bool(const char* name, const char* def, const char* doc) {
  ParamSpec p;
  p.name = name;
  p.type = ParamType::kBool;
  p.default_value = def;
  p.doc = doc;
  return p;
}
ParamSpec Int(const char* name, double lo, double hi, const char* def, const char* doc) {
  ParamSpec p = Bool(name, def, doc);
  p.type = ParamType::kInteger;
  p.min = lo;
  p.max = hi;
  return p;
}
ParamSpec Num(const char* name, double lo, double hi, const char* def, const char* doc) {
  ParamSpec p = Int(name, lo, hi, def, doc);
  p.type = ParamType::kNumber;
  return p;
}
ParamSpec Str(const char* name, size_t max_bytes, const char* def, const char* doc) {
  ParamSpec p = Bool(name, def, doc);
  p.type = ParamType::kString;
  p.max = static_cast<double>(max_bytes);
  return p;
}
ParamSpec List(const char* name, size_t max_entries, size_t max_bytes, const char* def, const char* doc) {
  ParamSpec p = Bool(name, def, doc);
  p.type = ParamType::kStringList;
  p.max = static_cast<double>(max_entries);
  p.max_bytes = max_bytes;
  return p;
}
ParamSpec Enum(const char* name, std::vector<std::string> values, bool list, const char* def, const char* doc) {
  ParamSpec p = Bool(name, def, doc);
  p.type = list ? ParamType::kEnumList : ParamType::kEnum;
  p.values = std::move(values);
  return p;
}
ParamSpec Required(ParamSpec p) {
  p.required = true;
  return p;
}
ParamSpec Nullable(ParamSpec p) {
  p.nullable = true;
  return p;
}

const ProfileLimits kLimits;
const std::vector<std::string> kKinds = {"course", "ebook", "consultation", "membership", "mentor"};
const std::vector<std::string> kLevels = {"beginner", "intermediate", "advanced", "all"};

// Item filters shared by recommend, similar and path.
std::vector<ParamSpec> Filters() {
  return {
      Enum("kinds", kKinds, true, "all kinds", "item kinds to include"),
      Num("maxPrice", 0, 1e9, "recommend and path: the learner's budget; similar: none",
          "highest price to take an item once, in its currency (a consultation's session: its price per hour × its hours; a "
          "membership's month; a mentor passes when one offering's price per seat does); items with an unknown one pass"),
      Enum("levels", kLevels, true, "all levels", "item levels to include"),
      List("languages", 64, 35, "recommend and path: the learner's language; similar: any",
           "BCP-47 languages to include (a mentor passes when they work in any of them)"),
  };
}

// The language of the page showing a list, for the language a card marks.
ParamSpec PageLanguage() {
  return Str("pageLanguage", 35, "none (no item carries otherLanguage)",
             "BCP-47 language of the page showing the list; an item not in it (a mentor: who does not speak "
             "it) carries `otherLanguage`, its own language, for its card to mark");
}

std::vector<ParamSpec> RankParams() {
  std::vector<ParamSpec> p = {
      Int("k", 1, 1000, "10", "list length"),
      Bool("pure", "false", "start from the plain MF ranking (all terms 0, no diversity, no caps, no hiding) "
                            "instead of the product defaults"),
      Bool("excludeConsumed", "true", "leave out items the learner took (enrolled, completed, booked, rated)"),
      Bool("excludeDismissed", "true", "leave out dismissed items"),
      Bool("hideKnown", "true (pure: false)", "leave out items all of whose taught concepts the learner knows"),
      Bool("matchMentors", "true (pure: false)",
           "list a mentor only when mentor matching would (covers the gap, budget, open slot, language)"),
  };
  for (ParamSpec& f : Filters()) p.push_back(std::move(f));
  p.push_back(Num("minReadiness", 0, 1, "0", "drop items whose readiness is below this"));
  for (const RankingTerm& t : RankingTerms()) {
    std::ostringstream def;
    def << t.product_weight << " (pure: 0)";
    p.push_back(Num(t.option, 0, 100, def.str().c_str(), t.doc));
  }
  p.push_back(Num("mmrLambda", 0, 1, "0.8 (pure: 1)", "MMR trade-off: 1 = relevance only, lower = more diverse"));
  p.push_back(Int("maxMentors", 0, 1000, "1 (pure, or kinds: [\"mentor\"]: no cap)", "at most this many mentors in the list"));
  p.push_back(Int("maxMemberships", 0, 1000, "1 (pure, or kinds: [\"membership\"]: no cap)",
                  "at most this many memberships in the list"));
  p.push_back(Int("candidatePool", 1, 100000, "200", "MMR chooses among the best this-many items (at least k)"));
  p.push_back(PageLanguage());
  return p;
}

std::vector<MethodSpec> BuildMethods() {
  const std::string item_doc = "item id";
  std::vector<MethodSpec> m;
  m.push_back({"info", {}, "{dataset, formatVersion, algorithm, factors, items, concepts, regularization, alpha, metrics, "
                           "factorEncoding, encodingReason, int8Overlap, parent, ratingScale: [min, max], ratingStep, ratingChoices: [the ratings a rating control offers, ascending: the scale's grid, at most 21, min and max among them], predictsRatings, "
                           "priceUnits: {kind: \"once\" | \"hour\" | \"month\"} (what each kind's price is per; a session costs "
                           "its price per hour × its hours)}"});
  m.push_back({"describe", {}, "this table: {methods, reasonKinds, eventTypes, rankingTerms, bundleFormats: [versions this engine reads]}"});
  m.push_back({"catalog", {}, "the verified catalog document {concepts, items}"});
  m.push_back({"setProfile",
               {Required([] {
                  ParamSpec p = Bool("profile", "", "the profile document (object or JSON text)");
                  p.type = ParamType::kProfile;
                  return p;
                }()),
                Bool("lenient", "false",
                     "leave out events that cannot be used (malformed, or a rating off this bundle's scale) and "
                     "report them in `rejected`, instead of refusing the whole profile")},
               "{unknownIds, events, rejected: [{index, id?, code, message}]}"});
  m.push_back({"exportProfile", {}, "the profile document (format pathlight-profile, version 2)"});
  m.push_back({"addEvent",
               {Required([] {
                 ParamSpec p = Bool("event", "", "{type, id?, item | concept, t, rating?}");
                 p.type = ParamType::kObject;
                 return p;
               }())},
               "{events}"});
  m.push_back({"setPreferences",
               {List("goals", kLimits.max_goals, kLimits.max_string_bytes, "unchanged", "goal concept ids"),
                List("known", kLimits.max_list, kLimits.max_string_bytes, "unchanged", "concept ids stated as known"),
                Nullable(Num("budget", 0, 1e9, "unchanged", "highest price to take an item once (as maxPrice); null = no limit")),
                Str("currency", 16, "unchanged", "ISO 4217 code of the budget"),
                Str("language", 35, "unchanged", "preferred BCP-47 content language; \"\" = any"),
                Num("weeklyHours", 0, 168, "unchanged", "hours per week the learner can spend"),
                Nullable(Enum("level", {"beginner", "intermediate", "advanced"}, false, "unchanged",
                              "the learner's stated level; null = not stated"))},
               "{unknownIds}; only the given preferences change"});
  m.push_back({"forgetConcept",
               {Required(Str("concept", kLimits.max_string_bytes, "", "concept id"))},
               "{removedEvents: [event ids], known: [the stated known list], stillKnown: null | {via}}"});
  m.push_back({"learner", {}, "{goals: [{id, reached}], known: [{id, via, stated, events, completed, impliedBy, forgettable}], "
                              "items: [{id, group, rating?, booking? (mentors not in group booked: as in recommend, within the learner's budget)}], events, "
                              "unknownIds, outOfScale, basis: {items: catalog items with any event (views included), "
                              "skills: concepts stated known or marked \"I know this\"}}"});
  m.push_back({"recommend", RankParams(),
               "{items: [{id, index, score, personal, readiness, goalRelevance, reasons, predictedRating?, "
               "otherLanguage?, booking? (mentors: the offering the learner would book, as mentors books it — the "
               "cheapest open one within maxPrice — {format, seats, openSeats, pricePerSeat, currency}, or null)}], "
               "fallback: \"popular\" | null, sharedReasons, goals: [{id, reached}], "
               "goalsServed: [concept ids the list's heading may name: the open goals its shown reasons name, "
               "in goal order; empty when none does], "
               "goalsUnserved: [the open goals no shown reason names, in goal order], "
               "unpriced: how many listed items have no known price (a mentor: its booking's) and so pass maxPrice "
               "(0 without one), excluded: null for a list of k items; else the catalog's items counted at the first "
               "filter that leaves each out, in this order: {kinds, consumed (taken), dismissed, levels, budget, "
               "language, known (teaches only known concepts), mentors (not matched), readiness, eligible (passed "
               "all)}}"});
  {
    std::vector<ParamSpec> p = {Required(Str("id", kLimits.max_string_bytes, "", item_doc.c_str())),
                                Int("k", 1, 1000, "10", "list length")};
    for (ParamSpec& f : Filters()) p.push_back(std::move(f));
    m.push_back({"similar", std::move(p), "{items: [{id, index, score}]} (cosine of item factors)"});
  }
  m.push_back({"explain", {Required(Str("id", kLimits.max_string_bytes, "", item_doc.c_str()))},
               "{score, contributions: [{id | concept, value, goal?}], reasons, predictedRating?, prior?}"});
  {
    std::vector<ParamSpec> p = {List("goals", kLimits.max_goals, kLimits.max_string_bytes, "the learner's goals",
                                     "goal concept ids")};
    for (ParamSpec& f : Filters()) p.push_back(std::move(f));
    m.push_back({"path", std::move(p),
                 "{goals: [{id, reached}], steps: [{concept, state, item, taking, depth, itemAlsoNeeds: [concepts item requires that stop it — unknown, and for a later step not a step of this path either — when no eligible item can be taken at the step yet]}], hardest, mentor, "
                 "mentorDiagnostics, memberships: [{id, covers, held}], totals, unreachable}"});
  }
  m.push_back({"mentors",
               {List("gap", kLimits.max_list, kLimits.max_string_bytes, "the learner's gap", "concepts to match"),
                Int("k", 1, 1000, "5", "list length"),
                Enum("format", {"any", "one_to_one", "group"}, false, "any",
                     "only mentors with an offering in this format (one-to-one, or a group paying per seat)"),
                PageLanguage()},
               "{items: [{id, score, coverage, personal, covers, withinBudget, hasCapacity, speaksLanguage, "
               "offerings: [{format, seats, openSeats, pricePerSeat, currency, status, booked}], booking, reasons, "
               "otherLanguage?}], "
               "gap, diagnostics: {mentors, experts, budget, language, capacity, dismissed, format}, "
               "goalsServed: [the open goals whose way (the goal or its prerequisite closure) the listed mentors "
               "cover, in goal order]}"});
  m.push_back({"nextConcepts",
               {Required(List("concepts", kLimits.max_goals, kLimits.max_string_bytes, "", "concept ids"))},
               "{concepts}: each concept the learner does not know yet, or, for one they know, up to three unknown "
               "concepts it is a direct prerequisite of"});
  m.push_back({"foldIn", {}, "{factors} (the learner's x_u, length k)"});
  m.push_back({"refine", {Int("epochs", 1, 1000, "10", "SGD epochs")}, "{offsets}"});
  m.push_back({"resetPersonalization", {}, "{} (undoes refine exactly)"});
  return m;
}

std::string Describe(const json& v) {
  if (v.is_number()) return v.dump();
  return (v.is_array() || v.is_object() ? "an " : "a ") + std::string(v.type_name());
}

std::string Range(double lo, double hi) {
  std::ostringstream s;
  s << "[" << lo << ", " << hi << "]";
  return s.str();
}

std::string OneOf(const std::vector<std::string>& values) {
  std::string s;
  for (const std::string& v : values) s += (s.empty() ? "" : ", ") + v;
  return s;
}

Status Invalid(const std::string& method, const ParamSpec& p, const std::string& what) {
  return Status(ErrorCode::kInvalidArgument, method + ": parameter \"" + p.name + "\" " + what);
}

Status CheckOne(const std::string& method, const ParamSpec& p, const json& v) {
  switch (p.type) {
    case ParamType::kBool:
      if (!v.is_boolean()) return Invalid(method, p, "must be true or false, got " + Describe(v));
      return Status::Ok();
    case ParamType::kInteger:
    case ParamType::kNumber: {
      const bool integer = p.type == ParamType::kInteger;
      const double x = v.is_number() ? v.get<double>() : std::nan("");
      if (!v.is_number() || !std::isfinite(x) || (integer && x != std::trunc(x)))
        return Invalid(method, p, std::string("must be ") + (integer ? "an integer" : "a number") + " in " +
                                      Range(p.min, p.max) + ", got " + Describe(v));
      if (x < p.min || x > p.max) return Invalid(method, p, "must be in " + Range(p.min, p.max) + ", got " + Describe(v));
      return Status::Ok();
    }
    case ParamType::kString:
      if (!v.is_string()) return Invalid(method, p, "must be a string, got " + Describe(v));
      if (v.get_ref<const std::string&>().size() > p.max)
        return Status(ErrorCode::kLimitExceeded, method + ": parameter \"" + p.name + "\" is longer than " +
                                                     std::to_string(static_cast<size_t>(p.max)) + " bytes");
      return Status::Ok();
    case ParamType::kEnum:
      if (!v.is_string() || std::find(p.values.begin(), p.values.end(), v.get<std::string>()) == p.values.end())
        return Invalid(method, p, "must be one of " + OneOf(p.values) + ", got " +
                                      (v.is_string() ? "\"" + v.get<std::string>().substr(0, 64) + "\"" : Describe(v)));
      return Status::Ok();
    case ParamType::kStringList:
    case ParamType::kEnumList: {
      const bool is_enum = p.type == ParamType::kEnumList;
      if (!v.is_array()) return Invalid(method, p, "must be an array of strings, got " + Describe(v));
      if (!is_enum && v.size() > p.max)
        return Status(ErrorCode::kLimitExceeded, method + ": parameter \"" + p.name + "\" has more than " +
                                                     std::to_string(static_cast<size_t>(p.max)) + " entries");
      for (size_t j = 0; j < v.size(); ++j) {
        const json& s = v[j];
        const std::string at = "[" + std::to_string(j) + "]";
        if (!s.is_string()) return Invalid(method, p, at + " must be a string, got " + Describe(s));
        if (is_enum && std::find(p.values.begin(), p.values.end(), s.get<std::string>()) == p.values.end())
          return Invalid(method, p, at + " must be one of " + OneOf(p.values) + ", got \"" +
                                        s.get<std::string>().substr(0, 64) + "\"");
        if (!is_enum && s.get_ref<const std::string&>().size() > p.max_bytes)
          return Status(ErrorCode::kLimitExceeded, method + ": parameter \"" + p.name + "\"" + at + " is longer than " +
                                                       std::to_string(p.max_bytes) + " bytes");
      }
      return Status::Ok();
    }
    case ParamType::kObject:
      if (!v.is_object()) return Invalid(method, p, "must be an object, got " + Describe(v));
      return Status::Ok();
    case ParamType::kProfile:
      if (!v.is_object() && !v.is_string())
        return Invalid(method, p, "must be a profile document (an object or its JSON text), got " + Describe(v));
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace

const char* ParamTypeName(ParamType t) {
  switch (t) {
    case ParamType::kBool: return "boolean";
    case ParamType::kInteger: return "integer";
    case ParamType::kNumber: return "number";
    case ParamType::kString: return "string";
    case ParamType::kEnum: return "enum";
    case ParamType::kStringList: return "string[]";
    case ParamType::kEnumList: return "enum[]";
    case ParamType::kObject: return "object";
    case ParamType::kProfile: return "profile";
  }
  return "object";
}

const std::vector<MethodSpec>& ApiMethods() {
  static const std::vector<MethodSpec> kMethods = BuildMethods();
  return kMethods;
}

const MethodSpec* FindMethod(std::string_view name) {
  for (const MethodSpec& m : ApiMethods())
    if (m.name == name) return &m;
  return nullptr;
}

const ParamSpec& NowParam() {
  static const ParamSpec kNow = Num("now", 0, kMaxEventTime, "the session's clock",
                                    "unix seconds: the reference time of the decay of event weights");
  return kNow;
}

Status CheckParams(const MethodSpec& spec, const json& params) {
  if (!params.is_object()) return Status(ErrorCode::kInvalidArgument, spec.name + ": params must be an object, got " + Describe(params));
  for (auto it = params.begin(); it != params.end(); ++it) {
    const ParamSpec* p = it.key() == "now" ? &NowParam() : nullptr;
    for (const ParamSpec& q : spec.params)
      if (q.name == it.key()) p = &q;
    if (!p) {
      std::string known;
      for (const ParamSpec& q : spec.params) known += (known.empty() ? "" : ", ") + q.name;
      known += (known.empty() ? "" : ", ") + std::string("now");
      return Status(ErrorCode::kInvalidArgument, spec.name + ": unknown parameter \"" + it.key().substr(0, 64) +
                                                     "\" (expected " + known + ")");
    }
    if (it->is_null()) continue;  // absent, or (nullable) cleared
    PATHLIGHT_RETURN_IF_ERROR(CheckOne(spec.name, *p, *it));
  }
  for (const ParamSpec& p : spec.params)
    if (p.required && (!params.contains(p.name) || params[p.name].is_null()))
      return Status(ErrorCode::kInvalidArgument, spec.name + ": parameter \"" + p.name + "\" is required");
  return Status::Ok();
}

json DescribeMethods() {
  json methods = json::array();
  auto param = [](const ParamSpec& p) {
    json j = {{"name", p.name}, {"type", ParamTypeName(p.type)}, {"required", p.required}, {"nullable", p.nullable},
              {"default", p.default_value}, {"doc", p.doc}};
    if (p.type == ParamType::kInteger || p.type == ParamType::kNumber) {
      j["min"] = p.min;
      j["max"] = p.max;
    }
    if (p.type == ParamType::kString) j["maxBytes"] = p.max;
    if (p.type == ParamType::kStringList) {
      j["maxEntries"] = p.max;
      j["maxBytes"] = p.max_bytes;
    }
    if (!p.values.empty()) j["values"] = p.values;
    return j;
  };
  for (const MethodSpec& m : ApiMethods()) {
    json params = json::array();
    for (const ParamSpec& p : m.params) params.push_back(param(p));
    methods.push_back({{"name", m.name}, {"params", params}, {"result", m.result}});
  }
  return {{"methods", methods}, {"now", param(NowParam())}};
}

}  // namespace pathlight
