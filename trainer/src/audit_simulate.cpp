// The audit's two drivers (audit.h): seeded simulated learners against the engine's JSON API,
// and a claims file of answers collected elsewhere (the Playwright truth test).
//
// A simulated learner (docs/AUDIT.md, "Simulated learners"): onboarding with goals, known skills,
// a budget, a currency, a language, weekly hours, a level and some earlier history; then a random
// sequence of actions — events of every type (views, bookmarks, enrolments, completions, ratings
// on the bundle's scale, dismissals, "I know this", mentor bookings and ratings), an off-scale
// rating the engine must refuse, preference changes, forgetting a skill, a page reload — each
// followed by the requests the app makes (recommend with the product defaults, path, mentors,
// learner) and some with filters. Every answer is checked against the learner's own record of
// what they did, kept here, never read back from the engine.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "audit_reference.h"
#include "pathlight/api.h"
#include "pathlight/trainer/audit.h"

namespace pathlight::trainer {

using nlohmann::json;

namespace {

// SplitMix64 (Steele, Lea & Flood 2014): a tiny seeded generator whose sequence is the same on
// every platform (std:: distributions are not).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return double(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  int Below(int n) { return n <= 0 ? 0 : static_cast<int>(Next() % uint64_t(n)); }
  bool Chance(double p) { return Uniform() < p; }
  template <class T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(static_cast<int>(v.size()))];
  }

 private:
  uint64_t state_;
};

constexpr double kStartOfTime = 1.75e9;  // the first learner's onboarding (unix seconds, 2025)

// What the catalog offers a simulated learner to pick from.
struct Menu {
  std::vector<int> items, mentors, memberships, concepts, deep_concepts;
  std::vector<std::string> languages;  // one entry per item: picks weighted by the catalog's mix
  std::vector<std::string> currencies;
  std::vector<double> prices;  // known prices, sorted
};

Menu MenuOf(const GraphReference& g) {
  Menu m;
  const Catalog& cat = g.catalog();
  for (int i = 0; i < cat.num_items(); ++i) {
    const Item& it = cat.items()[i];
    (it.kind == ItemKind::kMentor ? m.mentors : m.items).push_back(i);
    if (it.kind == ItemKind::kMembership) m.memberships.push_back(i);
    m.languages.push_back(it.language);
    if (std::find(m.currencies.begin(), m.currencies.end(), it.currency) == m.currencies.end())
      m.currencies.push_back(it.currency);
    if (it.price_known) m.prices.push_back(it.price);
  }
  std::sort(m.prices.begin(), m.prices.end());
  for (int c = 0; c < cat.num_concepts(); ++c) {
    m.concepts.push_back(c);
    if (g.Depth(c) >= 1) m.deep_concepts.push_back(c);
  }
  if (m.deep_concepts.empty()) m.deep_concepts = m.concepts;
  return m;
}

class Simulation {
 public:
  Simulation(const Bundle& bundle, Session& session, const TruthAudit& audit, const SimulationOptions& o,
             AuditReport* report)
      : bundle_(bundle),
        session_(session),
        audit_(audit),
        options_(o),
        report_(report),
        graph_(bundle.catalog),
        menu_(MenuOf(graph_)) {
    const json info = session_.Call("info", json::object())["result"];
    scale_ = {info["ratingScale"][0].get<float>(), info["ratingScale"][1].get<float>()};
  }

  void Run(int learner) {
    rng_ = Random(options_.seed * 0x2545f4914f6cdd1dULL + uint64_t(learner) + 1);
    label_ = "learner-" + std::to_string(learner);
    next_event_ = 0;
    last_feed_.clear();
    last_mentors_.clear();
    last_path_items_.clear();
    time_ = kStartOfTime + rng_.Uniform() * 3e7;
    Onboard();
    const int steps = options_.min_steps + rng_.Below(options_.max_steps - options_.min_steps + 1);
    for (int s = 0; s < steps; ++s) {
      time_ += 60 + rng_.Uniform() * (rng_.Chance(0.2) ? 30 * 86400.0 : 86400.0);
      Act();
      Ask(s + 1 == steps);
    }
  }

 private:
  std::string ConceptId(int c) const { return bundle_.catalog.concepts()[c].id; }
  std::string ItemId(int i) const { return bundle_.catalog.items()[i].id; }

  json Call(const std::string& method, const json& params) { return session_.Call(method, params); }

  // A result, or the engine's error as a violation (the engine refused a valid request).
  json Result(const std::string& view, const std::string& method, const json& params) {
    json r = Call(method, params);
    ++report_->claims_checked;
    if (r.contains("error")) {
      report_->Add(
          {label_, view, "", method + " " + params.dump(), "the engine refused a valid request: " + r["error"].dump()});
      return json();
    }
    return r["result"];
  }

  float Rating() {
    if (rng_.Chance(0.8) && std::floor(scale_.min) == scale_.min && std::floor(scale_.max) == scale_.max)
      return scale_.min + float(rng_.Below(int(scale_.max - scale_.min) + 1));
    return scale_.min + float(rng_.Uniform()) * (scale_.max - scale_.min);
  }

  json ItemEvent(const std::string& type, int item, double t) {
    json e = {{"type", type}, {"id", "e" + std::to_string(next_event_++)}, {"item", ItemId(item)}, {"t", t}};
    if (type == "rate" || type == "mentor_rated") e["rating"] = Rating();
    return e;
  }

  void Onboard() {
    doc_ = {{"format", "pathlight-profile"}, {"version", 2}};
    const bool cold = rng_.Chance(0.1);
    json goals = json::array(), known = json::array(), events = json::array();
    if (!cold) {
      for (int n = 1 + rng_.Below(3); n > 0; --n) goals.push_back(ConceptId(rng_.Pick(menu_.deep_concepts)));
      for (int n = rng_.Below(5); n > 0; --n) known.push_back(ConceptId(rng_.Pick(menu_.concepts)));
      if (rng_.Chance(0.05)) known.push_back(goals[0]);  // a goal already reached
      const char* types[] = {"view", "view", "bookmark", "enroll", "complete", "rate", "dismiss"};
      for (int n = rng_.Below(7); n > 0; --n) {
        const std::string type = types[rng_.Below(7)];
        events.push_back(ItemEvent(type, rng_.Pick(menu_.items), time_ - rng_.Uniform() * 400 * 86400.0));
      }
      std::sort(events.begin(), events.end(), [](const json& a, const json& b) { return a["t"] < b["t"]; });
    }
    doc_["goals"] = goals;
    doc_["known"] = known;
    doc_["events"] = events;
    RandomSettings(&doc_, true);
    Load();
  }

  // Budget, currency, language, weekly hours, level — each changed with probability `p` (all at onboarding).
  void RandomSettings(json* into, bool all) {
    const double p = all ? 1.0 : 0.35;
    if (rng_.Chance(p)) {
      if (rng_.Chance(0.5) || menu_.prices.empty())
        (*into)["budget"] = all ? json() : json(nullptr);
      else
        (*into)["budget"] = std::round(menu_.prices[rng_.Below(int(menu_.prices.size()))] * (0.5 + rng_.Uniform()));
      if (all && (*into)["budget"].is_null()) into->erase("budget");
    }
    if (rng_.Chance(p)) (*into)["currency"] = rng_.Pick(menu_.currencies);
    if (rng_.Chance(p)) (*into)["language"] = rng_.Chance(0.4) ? std::string() : rng_.Pick(menu_.languages);
    if (rng_.Chance(p)) (*into)["weeklyHours"] = rng_.Chance(0.2) ? 0.0 : double(1 + rng_.Below(20));
    if (rng_.Chance(p)) {
      const char* levels[] = {"beginner", "intermediate", "advanced"};
      if (rng_.Chance(0.5))
        (*into)["level"] = all ? json() : json(nullptr);
      else
        (*into)["level"] = levels[rng_.Below(3)];
      if (all && (*into)["level"].is_null()) into->erase("level");
    }
  }

  // setProfile at the current time (onboarding, or a page reload): the learner's clock.
  void Load() {
    clock_ = time_;
    json r = Result("onboarding", "setProfile", {{"profile", doc_}, {"now", clock_}});
    if (r.is_object() && !r["rejected"].empty())
      report_->Add(
          {label_, "onboarding", "", "setProfile", "events of a valid profile were rejected: " + r["rejected"].dump()});
  }

  // An item a learner would act on: mostly from what they were just shown.
  int SomeItem() {
    if (!last_path_items_.empty() && rng_.Chance(0.2)) return rng_.Pick(last_path_items_);
    if (!last_feed_.empty() && rng_.Chance(0.6)) return rng_.Pick(last_feed_);
    return rng_.Pick(menu_.items);
  }
  int SomeMentor() {
    if (!last_mentors_.empty() && rng_.Chance(0.6)) return rng_.Pick(last_mentors_);
    return menu_.mentors.empty() ? rng_.Pick(menu_.items) : rng_.Pick(menu_.mentors);
  }

  void Send(json event) {
    const std::string view = "event";
    json r = Call("addEvent", {{"event", event}});
    ++report_->answers_checked;
    ++report_->claims_checked;
    if (r.contains("error")) {
      report_->Add({label_, view, event.value("item", event.value("concept", "")), "addEvent " + event.dump(),
                    "a valid event was refused: " + r["error"].dump()});
      return;
    }
    doc_["events"].push_back(std::move(event));
  }

  void Act() {
    const double r = rng_.Uniform();
    const double t = time_;
    if (r < 0.62) {
      // An event of a type drawn by how often learners do it.
      static const std::pair<const char*, int> kTypes[] = {
          {"view", 6},    {"bookmark", 2},     {"enroll", 3},        {"complete", 3},    {"rate", 2},
          {"dismiss", 2}, {"know_concept", 2}, {"mentor_booked", 1}, {"mentor_rated", 1}};
      int total = 0;
      for (const auto& [type, w] : kTypes) total += w;
      int x = rng_.Below(total);
      std::string type;
      for (const auto& [name, w] : kTypes)
        if ((x -= w) < 0) {
          type = name;
          break;
        }
      if (type == "know_concept") {
        int c = rng_.Pick(menu_.concepts);
        const json goals = doc_["goals"];
        if (!goals.empty() && rng_.Chance(0.3))
          c = graph_.FindConcept(goals[rng_.Below(int(goals.size()))].get<std::string>());
        Send({{"type", type}, {"id", "e" + std::to_string(next_event_++)}, {"concept", ConceptId(c)}, {"t", t}});
      } else if (type == "mentor_booked" || type == "mentor_rated") {
        Send(ItemEvent(type, SomeMentor(), t));
      } else {
        const bool on_mentor = (type == "view" || type == "dismiss" || type == "bookmark") && rng_.Chance(0.15);
        Send(ItemEvent(type, on_mentor ? SomeMentor() : SomeItem(), t));
      }
    } else if (r < 0.66) {
      // A rating off the bundle's scale: the engine must refuse it and keep nothing.
      json e = ItemEvent("rate", SomeItem(), t);
      e["rating"] = rng_.Chance(0.5) ? scale_.max + 1.f : scale_.min / 2.f;
      json res = Call("addEvent", {{"event", e}});
      ++report_->answers_checked;
      ++report_->claims_checked;
      if (!res.contains("error") || res["error"]["code"] != "invalid_argument") {
        report_->Add({label_, "event", e["item"].get<std::string>(), "addEvent " + e.dump(),
                      "a rating off the scale " + std::to_string(scale_.min) + ".." + std::to_string(scale_.max) +
                          " was not refused with invalid_argument: " + res.dump()});
        if (!res.contains("error")) doc_["events"].push_back(e);
      }
    } else if (r < 0.82) {
      // setPreferences: new goals, more known skills, other settings.
      json prefs = json::object();
      if (rng_.Chance(0.5)) {
        json goals = json::array();
        for (int n = rng_.Below(3); n >= 0; --n) goals.push_back(ConceptId(rng_.Pick(menu_.deep_concepts)));
        prefs["goals"] = goals;
      }
      if (rng_.Chance(0.4)) {
        json known = doc_["known"];
        known.push_back(ConceptId(rng_.Pick(menu_.concepts)));
        prefs["known"] = known;
      }
      RandomSettings(&prefs, false);
      if (Result("settings", "setPreferences", prefs).is_null()) return;
      for (auto it = prefs.begin(); it != prefs.end(); ++it) {
        if (it.value().is_null())
          doc_.erase(it.key());
        else
          doc_[it.key()] = it.value();
      }
    } else if (r < 0.9) {
      // Forget a skill stated as known (onboarding or "I know this").
      std::vector<std::string> stated;
      for (const json& k : doc_["known"]) stated.push_back(k.get<std::string>());
      for (const json& e : doc_["events"])
        if (e["type"] == "know_concept") stated.push_back(e["concept"].get<std::string>());
      if (stated.empty()) return;
      const std::string c = rng_.Pick(stated);
      if (Result("privacy", "forgetConcept", {{"concept", c}}).is_null()) return;
      json known = json::array(), events = json::array();
      for (const json& k : doc_["known"])
        if (k != c) known.push_back(k);
      for (const json& e : doc_["events"])
        if (!(e["type"] == "know_concept" && e["concept"] == c)) events.push_back(e);
      doc_["known"] = known;
      doc_["events"] = events;
    } else if (r < 0.93) {
      Load();  // a page reload: the profile is imported again at the current time
    }
    // else: the learner only looks.
  }

  json RandomFilters(bool recommend) {
    json p = json::object();
    static const std::vector<std::string> kKinds = {"course", "ebook", "consultation", "membership", "mentor"};
    static const std::vector<std::string> kLevels = {"beginner", "intermediate", "advanced", "all"};
    if (rng_.Chance(0.4)) p["kinds"] = json::array({rng_.Pick(kKinds), rng_.Pick(kKinds)});
    if (rng_.Chance(0.3) && !menu_.prices.empty()) p["maxPrice"] = menu_.prices[rng_.Below(int(menu_.prices.size()))];
    if (rng_.Chance(0.2)) p["levels"] = json::array({rng_.Pick(kLevels)});
    if (rng_.Chance(0.2)) p["languages"] = json::array({rng_.Pick(menu_.languages)});
    if (!recommend) return p;
    if (rng_.Chance(0.3)) p["k"] = 1 + rng_.Below(30);
    if (rng_.Chance(0.1)) p["pure"] = true;
    if (rng_.Chance(0.1)) p["hideKnown"] = false;
    if (rng_.Chance(0.1)) p["matchMentors"] = false;
    if (rng_.Chance(0.1)) p["excludeConsumed"] = false;
    if (rng_.Chance(0.1)) p["minReadiness"] = 0.5;
    if (rng_.Chance(0.1)) p["mmrLambda"] = 1.0;
    return p;
  }

  void Ask(bool all) {
    std::vector<AuditAnswer> answers;
    auto ask = [&](const std::string& view, const std::string& method, const json& params) {
      json r = Result(view, method, params);
      if (r.is_null()) return json();
      answers.push_back({view, method, params, r});
      return r;
    };
    const json feed = ask("feed", "recommend", json::object());
    last_feed_.clear();
    if (feed.is_object())
      for (const json& i : feed["items"]) last_feed_.push_back(graph_.FindItem(i["id"].get<std::string>()));
    if (all || rng_.Chance(0.4)) {
      const json path = ask("path", "path", json::object());
      last_path_items_.clear();
      if (path.is_object())
        for (const json& s : path["steps"])
          if (s["item"].is_string()) last_path_items_.push_back(graph_.FindItem(s["item"].get<std::string>()));
    }
    if (all || rng_.Chance(0.3)) {
      const json mentors = ask("mentors", "mentors", rng_.Chance(0.5) ? json{{"k", 8}} : json::object());
      last_mentors_.clear();
      if (mentors.is_object())
        for (const json& m : mentors["items"]) last_mentors_.push_back(graph_.FindItem(m["id"].get<std::string>()));
    }
    if (all || rng_.Chance(0.25)) ask("learning", "learner", json::object());
    if (rng_.Chance(0.2)) ask("feed", "recommend", RandomFilters(true));
    if (rng_.Chance(0.15)) {
      json p = RandomFilters(false);
      const json goals = doc_["goals"];
      if (!goals.empty() && rng_.Chance(0.5))
        p["goals"] = json::array({goals[rng_.Below(int(goals.size()))]});
      else if (rng_.Chance(0.3))
        p["goals"] = json::array({ConceptId(rng_.Pick(menu_.deep_concepts))});
      ask("path", "path", p);
    }
    if (rng_.Chance(0.1)) {
      json gap = json::array();
      for (int n = 1 + rng_.Below(3); n > 0; --n) gap.push_back(ConceptId(rng_.Pick(menu_.concepts)));
      ask("mentors", "mentors", {{"gap", gap}, {"k", 1 + rng_.Below(10)}});
    }
    StatusOr<Profile> profile = Profile::FromJson(doc_);
    if (!profile.ok()) {  // the simulation's own record: a bug here, not in the engine
      report_->Add({label_, "simulation", "", "profile record", profile.status().ToString()});
      return;
    }
    audit_.Check(*profile, clock_, answers, label_, report_);
  }

  const Bundle& bundle_;
  Session& session_;
  const TruthAudit& audit_;
  const SimulationOptions options_;
  AuditReport* report_;
  const GraphReference graph_;
  const Menu menu_;
  RatingScale scale_;
  Random rng_{0};
  std::string label_;
  json doc_;
  double time_ = 0, clock_ = 0;
  int next_event_ = 0;
  std::vector<int> last_feed_, last_mentors_, last_path_items_;
};

Status Bad(const std::string& source, const std::string& field, const std::string& what) {
  return Status(ErrorCode::kInvalidArgument, source + ": " + field + ": " + what);
}

}  // namespace

StatusOr<AuditReport> SimulateAndAudit(const std::string& bundle_dir, const SimulationOptions& options) {
  if (options.learners < 0 || options.min_steps < 1 || options.max_steps < options.min_steps)
    return Status(ErrorCode::kInvalidArgument, "audit: --learners must be ≥ 0");
  PATHLIGHT_ASSIGN_OR_RETURN(Bundle bundle, ReadBundleDir(bundle_dir));  // verified
  // The item factors the engine scores with: content factors for items without a trained row
  // (the engine fills them at load; the reference re-solves with the same rows).
  PATHLIGHT_RETURN_IF_ERROR(FillContentFactors(&bundle).status());
  Session session;  // the engine exactly as the browser's Worker runs it, on its own copy
  session.Install(bundle);
  const TruthAudit audit(bundle);
  AuditReport report;
  report.keep = options.keep;
  Simulation sim(bundle, session, audit, options, &report);
  for (int l = 0; l < options.learners; ++l) {
    sim.Run(l);
    ++report.learners;
    if ((l + 1) % 100 == 0 && options.progress) options.progress(report);
  }
  return report;
}

StatusOr<AuditReport> AuditClaims(const Bundle& bundle, const json& claims, const std::string& source, size_t keep) {
  if (!claims.is_object()) return Bad(source, "(top)", "expected an object {profile, now, answers}");
  for (auto it = claims.begin(); it != claims.end(); ++it)
    if (it.key() != "profile" && it.key() != "now" && it.key() != "answers")
      return Bad(source, it.key(), "unknown key (expected profile, now, answers)");
  if (!claims.contains("profile")) return Bad(source, "profile", "missing (the learner's exported profile)");
  StatusOr<Profile> profile = Profile::FromJson(claims["profile"]);
  if (!profile.ok()) return Bad(source, "profile", profile.status().message());
  if (!claims.contains("now") || !claims["now"].is_number() || !std::isfinite(claims["now"].get<double>()) ||
      claims["now"].get<double>() < 0 || claims["now"].get<double>() > kMaxEventTime)
    return Bad(source, "now", "expected unix seconds in [0, 1e11] (the clock the answers were computed at)");
  if (!claims.contains("answers") || !claims["answers"].is_array()) return Bad(source, "answers", "expected an array");
  std::vector<AuditAnswer> answers;
  const json& list = claims["answers"];
  for (size_t j = 0; j < list.size(); ++j) {
    const std::string where = "answers[" + std::to_string(j) + "]";
    const json& a = list[j];
    if (!a.is_object()) return Bad(source, where, "expected an object {view, method, result}");
    for (auto it = a.begin(); it != a.end(); ++it)
      if (it.key() != "view" && it.key() != "method" && it.key() != "result" && it.key() != "params")
        return Bad(source, where + "." + it.key(), "unknown key (expected view, method, params, result)");
    if (!a.contains("view") || !a["view"].is_string()) return Bad(source, where + ".view", "expected a string");
    const std::string method = a.value("method", json()).is_string() ? a["method"].get<std::string>() : "";
    if (method != "recommend" && method != "path" && method != "mentors" && method != "learner")
      return Bad(source, where + ".method", "expected \"recommend\", \"path\", \"mentors\" or \"learner\"");
    if (!a.contains("result") || !a["result"].is_object()) return Bad(source, where + ".result", "expected an object");
    if (a.contains("params") && !a["params"].is_object() && !a["params"].is_null())
      return Bad(source, where + ".params", "expected an object (the request's parameters) or null");
    answers.push_back({a["view"].get<std::string>(), method, a.value("params", json()), a["result"]});
  }
  const TruthAudit audit(bundle);
  AuditReport report;
  report.keep = keep;
  audit.Check(*profile, claims["now"].get<double>(), answers, "", &report);
  return report;
}

StatusOr<AuditReport> AuditClaimsFile(const std::string& bundle_dir, const std::string& claims_path, size_t keep) {
  std::ifstream in(claims_path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, claims_path + ": cannot be read");
  std::stringstream ss;
  ss << in.rdbuf();
  json claims = json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (claims.is_discarded()) return Status(ErrorCode::kParseError, claims_path + ": not valid JSON");
  PATHLIGHT_ASSIGN_OR_RETURN(Bundle bundle, ReadBundleDir(bundle_dir));
  PATHLIGHT_RETURN_IF_ERROR(FillContentFactors(&bundle).status());  // as the engine does at load
  return AuditClaims(bundle, claims, claims_path, keep);
}

}  // namespace pathlight::trainer
