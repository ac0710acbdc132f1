// The audit's checks (audit.h): every field of an answer that states something about the
// learner, the catalog or the knowledge graph is compared with the references of
// audit_reference.h. The rules checked are those of reasons.h, recommender.h (paths, totals,
// memberships, mentor matching and diagnostics, "My learning") and ranking.h (filters), as
// documented; docs/AUDIT.md lists them.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "audit_reference.h"
#include "pathlight/knowledge_graph.h"
#include "pathlight/trainer/audit.h"

namespace pathlight::trainer {

using nlohmann::json;

void AuditReport::Add(AuditViolation v) {
  ++violations;
  if (examples.size() < std::max(keep, kMaxExamples)) examples.push_back(std::move(v));
}

json AuditReport::ToJson() const {
  json ex = json::array();
  for (size_t e = 0; e < examples.size() && e < kMaxExamples; ++e) {
    const AuditViolation& v = examples[e];
    json j;
    if (!v.learner.empty()) j["learner"] = v.learner;
    j["view"] = v.view;
    if (!v.item.empty()) j["item"] = v.item;
    j["claim"] = v.claim;
    j["why"] = v.why;
    ex.push_back(std::move(j));
  }
  return {{"learners", learners},
          {"answers_checked", answers_checked},
          {"claims_checked", claims_checked},
          {"violations", violations},
          {"examples", ex}};
}

namespace {

// Whether item `it` is in (a mentor: works in) any of `languages`, by primary language subtag
// (pathlight::PrimaryLanguage, RFC 5646 §2.2.1): "zh-CN" and "zh" are one language.
bool InAnyLanguage(const Item& it, const std::vector<std::string>& languages) {
  for (const std::string& want : languages) {
    const std::string w = PrimaryLanguage(want);
    if (PrimaryLanguage(it.language) == w) return true;
    for (const std::string& l : it.languages)
      if (PrimaryLanguage(l) == w) return true;
  }
  return false;
}


// Tolerances: scores and shares are float in the engine and double here.
constexpr double kScoreTolerance = 2e-3;  // relative to max(1, |value|)
constexpr double kShareTolerance = 1e-5;  // relative to Σ|shares| (rounding of a share near 0)

// A number as people write it: 4, 4.5, 0.125.
std::string Number(double v) {
  std::ostringstream ss;
  ss.precision(10);
  ss << v;
  return ss.str();
}

bool Near(double a, double b, double tol = 1e-6) { return std::fabs(a - b) <= tol * std::max(1.0, std::fabs(b)); }

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
const json* Field(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}
std::vector<std::string> Strings(const json* j) {
  std::vector<std::string> out;
  if (j && j->is_array())
    for (const json& v : *j)
      if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

// The item filters and list rules of one request (ranking.h RankOptions, api.cpp defaults).
struct Filters {
  std::vector<std::string> kinds, levels, languages;  // empty = all
  double max_price = -1;
  double min_readiness = 0;
  bool exclude_consumed = true, exclude_dismissed = true, hide_known = false, match_mentors = false;
};

// recommend: the product defaults (hideKnown, matchMentors, the profile's budget and language)
// unless `pure`, then the request's own parameters. path: the profile's budget and language, then
// the request's filters.
Filters RequestFilters(const json& params, const Profile& p, bool recommend) {
  Filters f;
  const json q = params.is_object() ? params : json::object();
  const bool pure = recommend && q.value("pure", false);
  if (!pure) {
    if (p.budget >= 0) f.max_price = p.budget;
    if (!p.language.empty()) f.languages = {p.language};
    f.hide_known = f.match_mentors = recommend;
  }
  auto flag = [&](const char* key, bool* out) {
    if (recommend && q.contains(key) && q[key].is_boolean()) *out = q[key].get<bool>();
  };
  flag("excludeConsumed", &f.exclude_consumed);
  flag("excludeDismissed", &f.exclude_dismissed);
  flag("hideKnown", &f.hide_known);
  flag("matchMentors", &f.match_mentors);
  if (q.contains("kinds")) f.kinds = Strings(&q["kinds"]);
  if (q.contains("levels")) f.levels = Strings(&q["levels"]);
  if (q.contains("languages")) f.languages = Strings(&q["languages"]);
  if (q.contains("maxPrice") && q["maxPrice"].is_number()) f.max_price = q["maxPrice"].get<double>();
  if (recommend && q.contains("minReadiness") && q["minReadiness"].is_number())
    f.min_readiness = q["minReadiness"].get<double>();
  return f;
}

// Item relations of reasons.h (ItemRelation) and the "My learning" groups (recommender.h).
std::string StrongestAction(const ItemFacts& s) {
  if (s.completed) return "completed";
  if (s.enrolled) return "enrolled";
  if (s.booked) return "booked";
  if (s.rating > 0) return "rated";
  if (s.bookmarked) return "saved";
  return "viewed";
}
std::string LearningGroup(const ItemFacts& s, bool mentor) {
  if (s.dismissed) return "dismissed";
  if (s.done(mentor)) return "completed";
  if (s.enrolled) return "enrolled";
  if (s.booked || (s.rating > 0 && mentor)) return "booked";
  if (s.bookmarked) return "saved";
  return "viewed";
}

// Everything the learner did with an item, for messages ("rated 4, never enrolled").
std::string Relations(const ItemFacts& s) {
  std::string out;
  auto add = [&](bool on, const std::string& what) {
    if (on) out += (out.empty() ? "" : ", ") + what;
  };
  add(s.completed, "completed");
  add(s.enrolled, "enrolled");
  add(s.booked, "booked");
  add(s.rating > 0, "rated " + Number(s.rating));
  add(s.bookmarked, "saved");
  add(s.dismissed, "dismissed");
  if (!s.enrolled && !s.completed && !s.booked) out += std::string(out.empty() ? "" : ", ") + "never enrolled";
  return out;
}

// What taking an item once costs, by docs/csv-schema.md's `price`: per hour for consultations and
// mentors (a session: price × hours, the session's length), per month for memberships, else once;
// unknown without a price or, for a session, without its length.
std::optional<double> CostToTake(const Item& it) {
  if (!it.price_known) return std::nullopt;
  if (it.kind != ItemKind::kConsultation && it.kind != ItemKind::kMentor) return it.price;
  if (it.hours > 0) return it.price * it.hours;
  return std::nullopt;
}

// What mentor matching decides for one mentor and one gap (recommender.h MatchMentor, default
// MentorOptions: capacity, budget and language required; not dismissed).
struct MentorTruth {
  bool expert = false;  // expertise in the gap (every mentor when the gap is empty)
  bool within_budget = true, has_capacity = true, speaks = true, dismissed = false;
  // Group mentoring (docs/API.md, "Offerings"), recomputed from the catalog: the mentor's
  // offerings (its listed ones, else one-to-one at CostToTake, open when capacity > 0) and the one
  // the learner would book — the cheapest known price per seat among those with an open seat
  // within the budget (unknown prices last, ties first listed); -1 when none.
  std::vector<Offering> offerings;
  int booking = -1;
  std::vector<int> covers;
  double coverage = 0;
  bool passes() const { return expert && within_budget && has_capacity && speaks && !dismissed; }
};

class Checker {
 public:
  Checker(const AuditReference& ref, const LearnerFacts& l, const std::string& label, AuditReport* report)
      : ref_(ref), g_(ref.graph), cat_(ref.bundle.catalog), l_(l), label_(label), report_(report) {}

  void Check(const AuditAnswer& a) {
    ++report_->answers_checked;
    view_ = a.view;
    if (!a.result.is_object()) {
      Fail("", "result of " + a.method, "not a JSON object");
      return;
    }
    if (a.method == "recommend")
      Feed(a.params, a.result);
    else if (a.method == "path")
      Path(a.params, a.result);
    else if (a.method == "mentors")
      Mentors(a.params, a.result);
    else if (a.method == "learner")
      Learning(a.result);
    else
      Fail("", "answer of method \"" + a.method + "\"", "the audit checks recommend, path, mentors and learner");
  }

 private:
  // ---- bookkeeping ----
  bool Ok(bool ok) {
    ++report_->claims_checked;
    return ok;
  }
  void Fail(const std::string& item, const std::string& claim, const std::string& why) {
    report_->Add({label_, view_, item, claim, why});
  }
  const std::string& ItemId(int i) const { return cat_.items()[i].id; }
  const std::string& ConceptId(int c) const { return cat_.concepts()[c].id; }
  const Item& ItemAt(int i) const { return cat_.items()[i]; }
  std::string Names(const std::vector<int>& cs) const {
    std::string s;
    for (int c : cs) s += (s.empty() ? "" : ", ") + ConceptId(c);
    return s.empty() ? "none" : s;
  }
  // An id the answer names: must exist in the catalog.
  int ItemOf(const std::string& id, const std::string& claim) {
    const int i = g_.FindItem(id);
    if (!Ok(i >= 0)) Fail(id, claim, "item \"" + id + "\" is not in the bundle's catalog");
    return i;
  }
  int ConceptOf(const std::string& id, const std::string& item, const std::string& claim) {
    const int c = g_.FindConcept(id);
    if (!Ok(c >= 0)) Fail(item, claim, "concept \"" + id + "\" is not in the bundle's knowledge graph");
    return c;
  }

  const FoldInReference::Solved& Solved() {
    if (!solved_) solved_ = ref_.fold_in.Solve(l_);
    return *solved_;
  }
  const FoldInReference::Shares& SharesOf(int item) {
    auto it = shares_.find(item);
    if (it == shares_.end()) it = shares_.emplace(item, ref_.fold_in.Explain(l_, Solved(), item)).first;
    return it->second;
  }
  double Personal(int item) { return ref_.fold_in.Personal(Solved(), item); }

  // The item filters in the engine's documented order (recommend's `excluded`): kinds, levels,
  // budget, language. Returns the first that leaves item i out ("" when none does), with why.
  std::string FailingFilter(int i, const Filters& f, std::string* why) const {
    const Item& it = ItemAt(i);
    if (!f.kinds.empty() && std::find(f.kinds.begin(), f.kinds.end(), ItemKindName(it.kind)) == f.kinds.end())
      return *why = std::string("its kind ") + ItemKindName(it.kind) + " was filtered out", "kinds";
    if (!f.levels.empty() && std::find(f.levels.begin(), f.levels.end(), LevelName(it.level)) == f.levels.end())
      return *why = std::string("its level ") + LevelName(it.level) + " was filtered out", "levels";
    if (it.kind == ItemKind::kMentor && f.max_price >= 0) {
      // A mentor's price is per offering: it passes when one offering's known price per seat
      // (or an unknown one) is within the limit (docs/API.md, maxPrice).
      const std::optional<double> session = CostToTake(it);
      bool any = it.offerings.empty() && (!session || *session <= f.max_price);
      for (const Offering& o : it.offerings) any = any || !o.price_known || o.price_per_seat <= f.max_price;
      if (!any) return *why = "every offering's price per seat is over the limit " + Number(f.max_price), "budget";
    } else if (const std::optional<double> cost = CostToTake(it); f.max_price >= 0 && cost && *cost > f.max_price) {
      return *why = "taking it costs " + Number(*cost) + ", over the limit " + Number(f.max_price), "budget";
    }
    if (!f.languages.empty()) {
      const bool any = std::find(f.languages.begin(), f.languages.end(), "") != f.languages.end() ||
                       InAnyLanguage(it, f.languages);
      if (!any) return *why = "its language " + it.language + " is not among the requested languages", "language";
    }
    return "";
  }
  bool PassesFilters(int i, const Filters& f, std::string* why) const { return FailingFilter(i, f, why).empty(); }
  bool AllTaughtKnown(int i) const {
    const std::vector<int>& t = g_.TaughtConcepts(i);
    return !t.empty() && std::all_of(t.begin(), t.end(), [&](int c) { return l_.Knows(c); });
  }
  double Readiness(int i) const {
    const std::vector<int>& req = g_.Requires(i);
    if (req.empty()) return 1.0;
    int known = 0;
    for (int c : req) known += l_.Knows(c);
    return double(known) / double(req.size());
  }
  // 1: teaches a next step (prerequisites known) toward an open goal; 0.5: a later step or the
  // goal itself not yet ready; 0: off every open goal's path.
  double GoalRelevance(int i) const {
    double rel = 0;
    for (int c : g_.TaughtConcepts(i)) {
      if (!l_.in_gap[c]) continue;
      bool ready = true;
      for (int p : g_.Prerequisites(c)) ready = ready && l_.Knows(p);
      rel = std::max(rel, ready ? 1.0 : 0.5);
    }
    return rel;
  }

  // `budget`: the one the answer was given under (a feed's maxPrice); unset: the profile's.
  MentorTruth Mentor(int m, const std::vector<int>& gap, std::optional<double> budget = std::nullopt) const {
    MentorTruth t;
    const Item& it = ItemAt(m);
    Profile p = l_.profile;
    if (budget) p.budget = *budget;
    double sum = 0;
    for (int c : gap) {
      const double w = g_.Expertise(m, c);
      if (w > 0) t.covers.push_back(c), sum += w;
    }
    t.expert = gap.empty() || !t.covers.empty();
    t.coverage = gap.empty() ? 0.0 : sum / double(gap.size());
    if (it.offerings.empty()) {
      Offering one;  // a session: its price per hour × its hours
      const std::optional<double> session = CostToTake(it);
      one.price_per_seat = session.value_or(0);
      one.price_known = session.has_value();
      one.open_seats = it.capacity > 0 ? 1 : 0;
      t.offerings.push_back(one);
    } else {
      t.offerings = it.offerings;
    }
    // Within budget: an open offering's price per seat; a mentor with no open seat is judged on
    // its prices alone (it is out for capacity anyway).
    t.has_capacity = false;
    bool any_affordable = false, open_affordable = false;
    for (size_t o = 0; o < t.offerings.size(); ++o) {
      const Offering& x = t.offerings[o];
      const bool affordable = p.budget < 0 || !x.price_known || x.price_per_seat <= p.budget;
      t.has_capacity = t.has_capacity || x.open_seats > 0;
      any_affordable = any_affordable || affordable;
      if (x.open_seats == 0 || !affordable) continue;
      open_affordable = true;
      const bool cheaper = t.booking < 0 || (x.price_known && (!t.offerings[t.booking].price_known ||
                                                              x.price_per_seat < t.offerings[t.booking].price_per_seat));
      if (cheaper) t.booking = static_cast<int>(o);
    }
    t.within_budget = t.has_capacity ? open_affordable : any_affordable;
    t.speaks = p.language.empty() || InAnyLanguage(it, {p.language});
    t.dismissed = l_.Dismissed(m);
    return t;
  }
  std::vector<int> LearnerGap() const {
    std::vector<int> gap;
    for (int c = 0; c < g_.num_concepts(); ++c)
      if (l_.in_gap[c]) gap.push_back(c);
    return gap;
  }
  double MentorScore(int m, const MentorTruth& t) {
    // MentorOptions defaults: coverage 1, personal 0.5, rating 0.2 (docs/HYPERPARAMETERS.md).
    const MentorOptionsWeights w;
    return w.coverage * t.coverage + w.personal * Personal(m) + w.rating * ItemAt(m).rating / 5.0;
  }
  struct MentorOptionsWeights {
    double coverage = 1.0, personal = 0.5, rating = 0.2;
  };

  // A list of concept entries (`key` holds the id) that must name every concept flagged in
  // `belongs` once, each after those of its prerequisites that belong too; `each(c, entry, claim)`
  // checks the rest of an entry that belongs.
  template <class Missing, class Each>
  void ConceptList(const json& list, const char* key, const std::string& what, const std::vector<uint8_t>& belongs,
                   const std::string& stranger, Missing missing, Each each) {
    std::vector<uint8_t> listed(g_.num_concepts(), 0);
    for (const json& entry : list) {
      const std::string id = Str(entry, key);
      const std::string claim = what + " " + entry.dump();
      const int c = ConceptOf(id, id, claim);
      if (c < 0) continue;
      if (!Ok(!listed[c])) Fail(id, claim, "listed twice");
      listed[c] = 1;
      if (!Ok(belongs[c] != 0)) {
        Fail(id, claim, stranger);
        continue;
      }
      for (int p : g_.Prerequisites(c))
        if (belongs[p] && !Ok(listed[p] != 0)) Fail(id, claim, "listed before its prerequisite " + ConceptId(p));
      each(c, entry, claim);
    }
    for (int c = 0; c < g_.num_concepts(); ++c)
      if (belongs[c] && !Ok(listed[c] != 0)) Fail(ConceptId(c), what + " list", missing(c));
  }

  // ---- reasons ----
  // `gap`: the concepts a mentor reason is about (the learner's gap, the list's, or the hardest step).
  void CheckReason(int i, const json& r, const std::vector<int>& gap) {
    const std::string claim = r.dump();
    const std::string& id = ItemId(i);
    const std::string kind = Str(r, "kind");
    ++report_->reasons_checked[kind];
    const bool mentor = ItemAt(i).kind == ItemKind::kMentor;
    auto goal_of = [&]() -> int {
      const int goal = ConceptOf(Str(r, "goal"), id, claim);
      if (goal < 0) return -1;
      if (!Ok(std::find(l_.goals.begin(), l_.goals.end(), goal) != l_.goals.end())) {
        Fail(id, claim, ConceptId(goal) + " is not one of the learner's goals");
        return -1;
      }
      if (!Ok(!l_.Knows(goal))) {
        Fail(id, claim, "the goal " + ConceptId(goal) + " is reached (known via " + KnownWhyName(l_.why[goal]) + ")");
        return -1;
      }
      return goal;
    };
    if (kind == "teaches_goal") {
      const int goal = goal_of();
      if (goal >= 0 && !Ok(g_.Teaches(i, goal))) Fail(id, claim, "the item does not teach " + ConceptId(goal));
    } else if (kind == "prerequisite_for_goal") {
      const int goal = goal_of();
      const std::vector<std::string> cs = Strings(Field(r, "concepts"));
      if (!Ok(!cs.empty())) Fail(id, claim, "names no concept");
      if (goal < 0) return;
      const std::vector<uint8_t> closure = g_.Closure({goal}, false);
      for (const std::string& cid : cs) {
        const int c = ConceptOf(cid, id, claim);
        if (c < 0) continue;
        if (!Ok(g_.Teaches(i, c))) Fail(id, claim, "the item does not teach " + cid);
        if (!Ok(!l_.Knows(c)))
          Fail(id, claim, "the learner already knows " + cid + " (via " + KnownWhyName(l_.why[c]) + ")");
        if (!Ok(closure[c] != 0)) Fail(id, claim, cid + " is not in the prerequisite closure of " + ConceptId(goal));
      }
    } else if (kind == "you_know") {
      const int c = ConceptOf(Str(r, "concept"), id, claim);
      if (c < 0) return;
      const std::vector<int>& req = g_.Requires(i);
      if (!Ok(std::find(req.begin(), req.end(), c) != req.end()))
        Fail(id, claim, "the item does not require " + ConceptId(c));
      if (!Ok(l_.Knows(c))) Fail(id, claim, "the learner does not know " + ConceptId(c));
    } else if (kind == "ready") {
      const std::vector<int>& req = g_.Requires(i);
      if (!Ok(!req.empty())) Fail(id, claim, "the item requires nothing");
      for (int c : req)
        if (!Ok(l_.Knows(c)))
          Fail(id, claim, "the item requires " + ConceptId(c) + ", which the learner does not know");
    } else if (kind == "level_fit") {
      const Profile& p = l_.profile;
      if (!Ok(p.level.has_value() && *p.level == ItemAt(i).level && Str(r, "level") == LevelName(ItemAt(i).level)))
        Fail(id, claim,
             std::string("the item's level is ") + LevelName(ItemAt(i).level) + ", the learner's " +
                 (p.level ? LevelName(*p.level) : "not stated"));
    } else if (kind == "because_item") {
      CheckBecauseItem(i, r, claim);
    } else if (kind == "peers_of_goal") {
      const int goal = goal_of();
      if (goal < 0) return;
      const auto& sh = SharesOf(i);
      auto it = sh.goals.find(goal);
      if (!Ok(it != sh.goals.end() && it->second > -kShareTolerance * std::max(1.0, sh.magnitude)))
        Fail(id, claim,
             "the goal's share of the score is " + (it == sh.goals.end() ? std::string("none") : Number(it->second)));
    } else if (kind == "peers_of_known") {
      const int c = ConceptOf(Str(r, "concept"), id, claim);
      if (c < 0) return;
      if (!Ok(l_.Knows(c))) Fail(id, claim, "the learner does not know " + ConceptId(c));
      const auto& sh = SharesOf(i);
      const double tol = -kShareTolerance * std::max(1.0, sh.magnitude);
      auto k = sh.known.find(c);
      auto g = sh.goals.find(c);  // a reached goal's pseudo-item is said as a known concept
      const bool positive =
          (k != sh.known.end() && k->second > tol) || (l_.Knows(c) && g != sh.goals.end() && g->second > tol);
      if (!Ok(positive))
        Fail(id, claim,
             "no stated-known concept or reached goal " + ConceptId(c) + " with a positive share of the score");
    } else if (kind == "popular") {
      if (!Ok(l_.cold)) Fail(id, claim, "the learner has something to personalize on (items, goals or known concepts)");
    } else if (kind == "covers_gap" || kind == "speaks" || kind == "within_budget" || kind == "top_rated") {
      if (!Ok(mentor)) {
        Fail(id, claim, "a mentor reason on an item that is not a mentor");
        return;
      }
      CheckMentorReason(i, kind, r, claim, gap);
    } else {
      Ok(false);
      Fail(id, claim, "unknown reason kind \"" + kind + "\"");
    }
  }

  void CheckBecauseItem(int i, const json& r, const std::string& claim) {
    const std::string& id = ItemId(i);
    const int j = ItemOf(Str(r, "item"), claim);
    if (j < 0) return;
    const ItemFacts* f = l_.Find(j);
    if (!Ok(f != nullptr)) {
      Fail(id, claim, "the learner never acted on " + ItemId(j));
      return;
    }
    if (!Ok(j != i)) Fail(id, claim, "an item is given as its own reason");
    const std::string via = Str(r, "via"), expected = StrongestAction(*f);
    if (!Ok(via == expected)) Fail(id, claim, "what the learner did with " + ItemId(j) + " is \"" + expected + "\"");
    const json* rating = Field(r, "rating");
    if (via == "rated") {
      if (!Ok(rating && rating->is_number() && Near(rating->get<double>(), f->rating, 1e-6)))
        Fail(id, claim, "the learner's latest rating of " + ItemId(j) + " is " + Number(f->rating));
    } else if (!Ok(rating == nullptr)) {
      Fail(id, claim, "a rating on a reason whose relation is not \"rated\"");
    }
    const auto& sh = SharesOf(i);
    auto it = sh.items.find(j);
    if (!Ok(it != sh.items.end() && it->second > -kShareTolerance * std::max(1.0, sh.magnitude)))
      Fail(id, claim,
           ItemId(j) + "'s share of the score (dense re-solve) is " +
               (it == sh.items.end() ? std::string("0") : Number(it->second)));
  }

  void CheckMentorReason(int m, const std::string& kind, const json& r, const std::string& claim,
                         const std::vector<int>& gap) {
    const std::string& id = ItemId(m);
    const Item& it = ItemAt(m);
    const Profile& p = l_.profile;
    if (kind == "covers_gap") {
      const json* of = Field(r, "of");
      if (!Ok(of && of->is_number_integer() && of->get<int64_t>() == int64_t(gap.size())))
        Fail(id, claim, "the gap has " + Number(gap.size()) + " concepts");
      const std::vector<std::string> cs = Strings(Field(r, "concepts"));
      if (!Ok(!cs.empty())) Fail(id, claim, "names no concept");
      for (const std::string& cid : cs) {
        const int c = ConceptOf(cid, id, claim);
        if (c < 0) continue;
        if (!Ok(std::find(gap.begin(), gap.end(), c) != gap.end()))
          Fail(id, claim, cid + " is not in the gap (" + Names(gap) + ")");
        if (!Ok(g_.Expertise(m, c) > 0)) Fail(id, claim, "the mentor has no expertise in " + cid);
      }
    } else if (kind == "speaks") {
      const std::string lang = Str(r, "language");
      const bool speaks = InAnyLanguage(it, {lang});
      if (!Ok(!lang.empty() && lang == p.language && speaks))
        Fail(id, claim, "the learner's language is \"" + p.language + "\"; the mentor works in " + it.language);
    } else if (kind == "within_budget") {
      // The price the learner pays: the booking's price per seat (group) or per session.
      const MentorTruth t = Mentor(m, gap);
      const Offering* b = t.booking >= 0 ? &t.offerings[t.booking] : nullptr;
      if (!Ok(p.budget >= 0 && b && b->price_known && b->price_per_seat <= p.budget))
        Fail(id, claim,
             p.budget < 0            ? std::string("the learner set no budget")
             : !b                    ? std::string("no offering has an open seat within the budget")
             : !b->price_known       ? std::string("the booked offering's price is unknown")
                                     : "price per seat " + Number(b->price_per_seat) + " over the budget " + Number(p.budget));
    } else if (kind == "top_rated") {
      const json* rating = Field(r, "rating");
      if (!Ok(it.rating >= 4.5 && rating && rating->is_number() && Near(rating->get<double>(), it.rating, 1e-5)))
        Fail(id, claim, "the mentor's rating is " + Number(it.rating));
    }
  }

  void CheckReasons(int i, const json* reasons, const std::vector<int>& gap) {
    if (!reasons) return;
    if (!Ok(reasons->is_array())) {
      Fail(ItemId(i), "reasons", "not an array");
      return;
    }
    for (const json& r : *reasons) CheckReason(i, r, gap);
  }

  // The goals of an answer: the expected set, each with reached = known.
  void CheckGoals(const json* goals, const std::vector<int>& expected) {
    if (!goals || !goals->is_array()) return;
    std::set<int> seen;
    for (const json& gj : *goals) {
      const std::string id = Str(gj, "id");
      const int c = ConceptOf(id, id, "goal " + gj.dump());
      if (c < 0) continue;
      seen.insert(c);
      if (!Ok(std::find(expected.begin(), expected.end(), c) != expected.end()))
        Fail(id, "goal " + gj.dump(), "not a goal of this answer (" + Names(expected) + ")");
      if (const json* reached = Field(gj, "reached"))
        if (!Ok(reached->is_boolean() && reached->get<bool>() == l_.Knows(c)))
          Fail(id, "goal " + gj.dump(),
               l_.Knows(c) ? "the goal is reached (known via " + std::string(KnownWhyName(l_.why[c])) + ")"
                           : "the goal is not reached: the learner does not know " + id);
    }
    for (int c : expected)
      if (!Ok(seen.count(c) != 0)) Fail(ConceptId(c), "goals", "the goal " + ConceptId(c) + " is missing");
  }

  // ---- feed ----
  void Feed(const json& params, const json& res) {
    const Filters f = RequestFilters(params, l_.profile, true);
    if (const json* fb = Field(res, "fallback")) {
      const bool popular = fb->is_string() && fb->get<std::string>() == "popular";
      if (!Ok(popular == l_.cold))
        Fail("", "fallback " + fb->dump(),
             l_.cold ? "the learner has nothing to personalize on: a popularity list"
                     : "the learner has items, goals or known concepts to personalize on");
    }
    CheckGoals(Field(res, "goals"), l_.goals);
    const std::vector<int> gap = LearnerGap();
    std::set<int> listed;
    const json* items = Field(res, "items");
    if (items && items->is_array()) {
      for (const json& rec : *items) {
        const std::string id = Str(rec, "id");
        const int i = ItemOf(id, "listed item");
        if (i < 0) continue;
        if (!Ok(listed.insert(i).second)) Fail(id, "listed item", "listed twice");
        FeedItem(i, rec, f, gap);
      }
    }
    if (const json* unpriced = Field(res, "unpriced")) {
      // "N of these items have no price … not held to your budget": the listed items that pass
      // the budget only because their price (a mentor: its booking's) is unknown.
      int want = 0;
      if (f.max_price >= 0)
        for (int i : listed) {
          if (ItemAt(i).kind != ItemKind::kMentor) {
            want += !CostToTake(ItemAt(i));
          } else {
            const MentorTruth t = Mentor(i, gap, f.max_price);
            want += t.booking >= 0 && !t.offerings[t.booking].price_known;
          }
        }
      if (!Ok(unpriced->is_number_integer() && unpriced->get<int64_t>() == want))
        Fail("", "unpriced " + unpriced->dump(), Number(want) + " listed items have no known price under the budget");
    }
    // "Toward X" / "None of the items shown leads toward Y": the open goals a shown reason (a
    // listed item's or a shared one) leads toward — teaches_goal / prerequisite_for_goal naming
    // the goal, covers_gap whose concepts are the goal or in its prerequisite closure (not
    // peers_of_goal) — and the open goals none does, each in goal order.
    {
      std::set<std::string> named;
      std::vector<int> covered;
      const auto collect = [&](const json* reasons) {
        if (!reasons || !reasons->is_array()) return;
        for (const json& r : *reasons) {
          const std::string kind = Str(r, "kind");
          if ((kind == "teaches_goal" || kind == "prerequisite_for_goal") && r.contains("goal") && r["goal"].is_string())
            named.insert(r["goal"].get<std::string>());
          if (kind == "covers_gap")
            for (const std::string& c : Strings(Field(r, "concepts")))
              if (const int ci = g_.FindConcept(c); ci >= 0) covered.push_back(ci);
        }
      };
      if (items && items->is_array())
        for (const json& rec : *items) collect(Field(rec, "reasons"));
      collect(Field(res, "sharedReasons"));
      for (size_t k = 0; k < l_.open_goals.size(); ++k)
        for (int c : covered)
          if (c == l_.open_goals[k] || l_.open_closure[k][c]) named.insert(ConceptId(l_.open_goals[k]));
      std::vector<std::string> served, unserved;
      for (int g : l_.goals) {
        if (l_.Knows(g)) continue;
        (named.count(ConceptId(g)) ? served : unserved).push_back(ConceptId(g));
      }
      if (const json* sv = Field(res, "goalsServed"))
        if (!Ok(Strings(sv) == served)) Fail("", "goalsServed " + sv->dump(), "the shown reasons name " + json(served).dump());
      if (const json* us = Field(res, "goalsUnserved"))
        if (!Ok(Strings(us) == unserved))
          Fail("", "goalsUnserved " + us->dump(), "no shown reason names " + json(unserved).dump());
    }
    // "Of the catalog's N items, a you have already taken, b cost more than your budget, …": for a
    // list shorter than k, each catalog item counted at the first filter that leaves it out.
    if (const json* ex = Field(res, "excluded")) {
      const int64_t k = params.is_object() && params.contains("k") && params["k"].is_number_integer() ? params["k"].get<int64_t>() : 10;
      if (static_cast<int64_t>(listed.size()) >= k) {
        if (!Ok(ex->is_null())) Fail("", "excluded " + ex->dump(), "a list of k = " + std::to_string(k) + " items says nothing");
      } else {
        std::map<std::string, int64_t> want;
        for (const char* key : {"consumed", "dismissed", "kinds", "levels", "budget", "language", "known", "mentors", "readiness", "eligible"})
          want[key] = 0;
        for (int i = 0; i < static_cast<int>(cat_.items().size()); ++i) ++want[FirstExclusion(i, f, gap)];
        for (const auto& [key, n] : want) {
          const json* got = ex->is_object() ? Field(*ex, key.c_str()) : nullptr;
          if (!Ok(got && got->is_number_integer() && got->get<int64_t>() == n))
            Fail("", "excluded." + key + " " + (got ? got->dump() : "missing"), Number(double(n)) + " catalog items are left out there first");
        }
      }
    }
    if (const json* shared = Field(res, "sharedReasons"); shared && shared->is_array()) {
      for (const json& r : *shared) {
        const std::vector<std::string> on = Strings(Field(r, "items"));
        if (!Ok(!on.empty())) Fail("", "shared reason " + r.dump(), "names no result");
        for (const std::string& id : on) {
          const int i = ItemOf(id, "shared reason " + r.dump());
          if (i < 0) continue;
          if (items && !Ok(listed.count(i) != 0)) Fail(id, "shared reason " + r.dump(), "the item is not in the list");
          json single = r;
          single.erase("items");
          CheckReason(i, single, gap);
        }
      }
    }
  }

  // Which filter of recommend leaves item i out first, in the documented order (the keys of its
  // `excluded`); "eligible" when none does.
  std::string FirstExclusion(int i, const Filters& f, const std::vector<int>& gap) const {
    std::string why;
    const std::string filter = FailingFilter(i, f, &why);
    if (filter == "kinds") return filter;
    if (f.exclude_consumed && l_.Consumed(i)) return "consumed";
    if (f.exclude_dismissed && l_.Dismissed(i)) return "dismissed";
    if (!filter.empty()) return filter;
    const bool mentor = ItemAt(i).kind == ItemKind::kMentor;
    if (f.hide_known && !mentor && AllTaughtKnown(i)) return "known";
    if (f.match_mentors && mentor && !Mentor(i, gap).passes()) return "mentors";
    if (f.min_readiness > 0 && Readiness(i) < f.min_readiness - 1e-6) return "readiness";
    return "eligible";
  }

  void FeedItem(int i, const json& rec, const Filters& f, const std::vector<int>& gap) {
    const std::string& id = ItemId(i);
    const Item& it = ItemAt(i);
    const bool mentor = it.kind == ItemKind::kMentor;
    // What the card shows as the mentor's price: the booking under the list's budget; none on
    // other kinds.
    if (mentor) Booking(id, Field(rec, "booking"), Mentor(i, gap, f.max_price));
    else if (const json* b = Field(rec, "booking")) Fail(id, "booking " + b->dump(), "only a mentor has a booking");
    std::string why;
    if (f.exclude_consumed && !Ok(!l_.Consumed(i)))
      Fail(id, "offered", "the learner took it (" + StrongestAction(*l_.Find(i)) + ")");
    if (f.exclude_dismissed && !Ok(!l_.Dismissed(i))) Fail(id, "offered", "the learner dismissed it");
    if (!Ok(PassesFilters(i, f, &why))) Fail(id, "offered within the filters", why);
    if (f.hide_known && !mentor && !Ok(!AllTaughtKnown(i)))
      Fail(id, "offered (known items hidden)",
           "the learner knows everything it teaches (" + Names(g_.TaughtConcepts(i)) + ")");
    if (f.min_readiness > 0 && !Ok(Readiness(i) >= f.min_readiness - 1e-6))
      Fail(id, "offered (minReadiness)", "readiness " + Number(Readiness(i)));
    if (f.match_mentors && mentor) {
      const MentorTruth t = Mentor(i, gap);
      if (!Ok(t.passes()))
        Fail(id, "a mentor offered in the feed", "mentor matching would not list them: " + MentorMiss(t, gap));
    }
    if (const json* r = Field(rec, "readiness"); r && r->is_number())
      if (!Ok(Near(r->get<double>(), Readiness(i), 1e-5)))
        Fail(id, "readiness " + r->dump(), "is " + Number(Readiness(i)));
    if (const json* r = Field(rec, "goalRelevance"); r && r->is_number())
      if (!Ok(Near(r->get<double>(), GoalRelevance(i), 1e-5)))
        Fail(id, "goalRelevance " + r->dump(), "is " + Number(GoalRelevance(i)));
    if (const json* p = Field(rec, "personal"); p && p->is_number() && !l_.cold) {
      const double expected = Personal(i);
      if (!Ok(Near(p->get<double>(), expected, kScoreTolerance)))
        Fail(id, "personal score " + p->dump(), "the dense re-solve of the fold-in gives " + Number(expected));
    }
    if (const json* pr = Field(rec, "predictedRating")) {
      // Explicit-rating bundles: μ + b_u + x_uᵀy_i + b_i clamped to the scale; implicit ones predict none.
      const auto& rm = ref_.bundle.info.ratings;
      if (!Ok(rm.has_value())) {
        Fail(id, "predictedRating " + pr->dump(), "an implicit-feedback bundle predicts no rating");
      } else {
        const double want = std::clamp(double(rm->global_mean) + Solved().z[0] + Personal(i), double(rm->min_rating),
                                       double(rm->max_rating));
        if (!Ok(pr->is_number() && Near(pr->get<double>(), want, kScoreTolerance)))
          Fail(id, "predictedRating " + pr->dump(), "the dense re-solve predicts " + Number(want));
      }
    }
    CheckReasons(i, Field(rec, "reasons"), gap);
  }

  std::string MentorMiss(const MentorTruth& t, const std::vector<int>& gap) const {
    std::string s;
    if (!t.expert) s += "no expertise in the gap (" + Names(gap) + "); ";
    if (!t.within_budget) s += "over the budget; ";
    if (!t.has_capacity) s += "no capacity; ";
    if (!t.speaks) s += "does not speak " + l_.profile.language + "; ";
    if (t.dismissed) s += "dismissed; ";
    return s.empty() ? "passes" : s.substr(0, s.size() - 2);
  }

  // ---- mentors ----
  // One mentor entry (mentors view or path.mentor) for `gap`.
  void MentorEntry(const json& mj, const std::vector<int>& gap, int* out) {
    *out = -1;
    const std::string id = Str(mj, "id");
    const int m = ItemOf(id, "mentor");
    if (m < 0) return;
    if (!Ok(ItemAt(m).kind == ItemKind::kMentor)) {
      Fail(id, "mentor", "the item is a " + std::string(ItemKindName(ItemAt(m).kind)));
      return;
    }
    *out = m;
    const MentorTruth t = Mentor(m, gap);
    if (!Ok(t.passes())) Fail(id, "a matching mentor", MentorMiss(t, gap));
    if (const json* covers = Field(mj, "covers")) {
      std::vector<int> got;
      for (const std::string& c : Strings(covers)) got.push_back(g_.FindConcept(c));
      std::sort(got.begin(), got.end());
      std::vector<int> want = t.covers;
      std::sort(want.begin(), want.end());
      if (!Ok(got == want))
        Fail(id, "covers " + covers->dump(), "the mentor's expertise in the gap is " + Names(t.covers));
    }
    auto flag = [&](const char* key, bool truth) {
      if (const json* v = Field(mj, key))
        if (!Ok(v->is_boolean() && v->get<bool>() == truth))
          Fail(id, std::string(key) + " " + v->dump(), truth ? "is true" : "is false");
    };
    flag("withinBudget", t.within_budget);
    flag("hasCapacity", t.has_capacity);
    flag("speaksLanguage", t.speaks);
    MentorOfferings(id, mj, t);
    if (const json* c = Field(mj, "coverage"); c && c->is_number())
      if (!Ok(Near(c->get<double>(), t.coverage, 1e-5))) Fail(id, "coverage " + c->dump(), "is " + Number(t.coverage));
    if (const json* p = Field(mj, "personal"); p && p->is_number())
      if (!Ok(Near(p->get<double>(), Personal(m), kScoreTolerance)))
        Fail(id, "personal score " + p->dump(), "the dense re-solve of the fold-in gives " + Number(Personal(m)));
    CheckReasons(m, Field(mj, "reasons"), gap);
  }

  // An offering as the API returns it, from the catalog (docs/API.md, "Offerings").
  json OfferingClaim(const Offering& o, const std::string& currency) const {
    return {{"format", o.format == OfferingFormat::kGroup ? "group" : "one_to_one"}, {"seats", o.seats},
            {"openSeats", o.open_seats}, {"pricePerSeat", o.price_known ? json(o.price_per_seat) : json(nullptr)},
            {"currency", currency}};
  }
  // A mentor's `offerings` and `booking` (format "any", as the views ask): every offering of the
  // catalog in order with its true seats and price per seat; a full one (no open seat) never
  // "available" nor booked; "over_budget" exactly when its known price per seat is above the
  // budget; the booking is the reference's, so the price shown is what the learner pays.
  void MentorOfferings(const std::string& id, const json& mj, const MentorTruth& t) {
    const std::string& currency = ItemAt(ItemOf(id, "mentor")).currency;
    if (const json* offs = Field(mj, "offerings"); offs && offs->is_array()) {
      if (!Ok(offs->size() == t.offerings.size()))
        Fail(id, "offerings " + offs->dump(), "the catalog lists " + Number(static_cast<double>(t.offerings.size())) + " offerings");
      for (size_t o = 0; o < std::min(offs->size(), t.offerings.size()); ++o) {
        const json& got = (*offs)[o];
        const Offering& x = t.offerings[o];
        json want = OfferingClaim(x, currency);
        const double budget = l_.profile.budget;
        const std::string status = x.open_seats == 0 ? "full"
                                   : budget >= 0 && x.price_known && x.price_per_seat > budget ? "over_budget" : "available";
        want["status"] = status;
        want["booked"] = static_cast<int>(o) == t.booking;
        if (!Ok(got == want))
          Fail(id, "offering " + got.dump(),
               x.open_seats == 0 ? "full (0 of " + Number(x.seats) + " seats open): never available or booked"
                                 : "the catalog and the learner's budget give " + want.dump());
      }
    }
    Booking(id, Field(mj, "booking"), t);
  }
  // A mentor's `booking` (mentors, recommend, learner): the reference's cheapest open offering
  // within the budget, or null; never a full one.
  void Booking(const std::string& id, const json* b, const MentorTruth& t) {
    if (!b) return;
    const std::string& currency = ItemAt(ItemOf(id, "mentor")).currency;
    const json want = t.booking >= 0 ? OfferingClaim(t.offerings[t.booking], currency) : json(nullptr);
    if (!Ok(*b == want))
      Fail(id, "booking " + b->dump(),
           t.booking >= 0 ? "the learner would book " + want.dump() + " (the cheapest open offering within budget)"
                          : "no offering has an open seat within the budget");
    if (b->is_object() && Field(*b, "openSeats") && !Ok(Field(*b, "openSeats")->is_number_integer() && Field(*b, "openSeats")->get<int64_t>() > 0))
      Fail(id, "booking " + b->dump(), "a full offering is never offered as open");
  }

  // Diagnostics of mentor matching over `gap` (recommender.h MentorDiagnostics).
  void Diagnostics(const json* d, const std::vector<int>& gap, bool none) {
    if (!d || !d->is_object()) return;
    int mentors = 0, experts = 0, budget = 0, language = 0, capacity = 0, dismissed = 0;
    if (!none) {
      for (int m : g_.mentors()) {
        ++mentors;
        const MentorTruth t = Mentor(m, gap);
        if (!t.expert) continue;
        ++experts;
        budget += !t.within_budget, language += !t.speaks, capacity += !t.has_capacity, dismissed += t.dismissed;
      }
    }
    const std::pair<const char*, int> want[] = {{"mentors", mentors},   {"experts", experts},
                                                {"budget", budget},     {"language", language},
                                                {"capacity", capacity}, {"dismissed", dismissed}};
    for (const auto& [key, n] : want)
      if (const json* v = Field(*d, key))
        if (!Ok(v->is_number_integer() && v->get<int64_t>() == n))
          Fail("", std::string("diagnostics.") + key + " " + v->dump(),
               "recounted: " + Number(n) + " (gap " + Names(gap) + ")");
  }

  // The listed mentors are the best-scoring matching ones; `k` < 0 when unknown.
  void MentorRanking(const std::vector<int>& listed, const std::vector<int>& gap, int k) {
    std::vector<std::pair<double, int>> passing;
    for (int m : g_.mentors()) {
      const MentorTruth t = Mentor(m, gap);
      if (t.passes()) passing.push_back({MentorScore(m, t), m});
    }
    if (k >= 0) {
      const size_t want = std::min<size_t>(size_t(k), passing.size());
      if (!Ok(listed.size() == want))
        Fail("", "lists " + Number(listed.size()) + " mentors",
             Number(passing.size()) + " mentors match (gap " + Names(gap) + "), k = " + Number(k));
    } else if (!Ok(!(listed.empty() && !passing.empty()))) {
      Fail("", "no mentor fits", Number(passing.size()) + " mentors match, e.g. " + ItemId(passing.front().second));
    }
    double min_listed = INFINITY;
    for (const auto& [s, m] : passing)
      if (std::find(listed.begin(), listed.end(), m) != listed.end()) min_listed = std::min(min_listed, s);
    for (const auto& [s, m] : passing) {
      if (std::find(listed.begin(), listed.end(), m) != listed.end() || listed.empty()) continue;
      if (!Ok(s <= min_listed + kScoreTolerance * std::max(1.0, std::fabs(min_listed))))
        Fail(ItemId(m), "the best matching mentors",
             "left out with score " + Number(s) + " above a listed " + Number(min_listed));
    }
  }

  void Mentors(const json& params, const json& res) {
    std::vector<int> gap;
    const json q = params.is_object() ? params : json::object();
    for (const std::string& id : Strings(q.contains("gap") ? &q["gap"] : nullptr)) {
      const int c = g_.FindConcept(id);
      if (c >= 0 && std::find(gap.begin(), gap.end(), c) == gap.end()) gap.push_back(c);
    }
    if (gap.empty()) gap = LearnerGap();
    if (const json* rg = Field(res, "gap")) {
      std::vector<int> got;
      for (const std::string& id : Strings(rg)) got.push_back(g_.FindConcept(id));
      std::vector<int> a = got, b = gap;
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      if (!Ok(a == b)) Fail("", "gap " + rg->dump(), "the gap is " + Names(gap));
    }
    std::vector<int> listed;
    if (const json* items = Field(res, "items"); items && items->is_array()) {
      for (const json& mj : *items) {
        int m;
        MentorEntry(mj, gap, &m);
        if (m >= 0) {
          if (!Ok(std::find(listed.begin(), listed.end(), m) == listed.end()))
            Fail(ItemId(m), "mentor", "listed twice");
          listed.push_back(m);
        }
      }
      int k = -1;
      if (q.contains("k") && q["k"].is_number_integer())
        k = q["k"].get<int>();
      else if (params.is_object())
        k = 5;  // the request's default
      MentorRanking(listed, gap, k);
      // "Mentors for X": the open goals whose way (the goal or its prerequisite closure) a listed
      // mentor's covers (checked above) is on, in goal order.
      std::set<int> covered;
      for (const json& mj : *items)
        for (const std::string& id : Strings(Field(mj, "covers")))
          if (const int c = g_.FindConcept(id); c >= 0) covered.insert(c);
      std::vector<std::string> served;
      for (size_t g = 0; g < l_.open_goals.size(); ++g)
        for (int c : covered)
          if (c == l_.open_goals[g] || l_.open_closure[g][c]) {
            served.push_back(ConceptId(l_.open_goals[g]));
            break;
          }
      if (const json* sv = Field(res, "goalsServed"))
        if (!Ok(Strings(sv) == served))
          Fail("", "goalsServed " + sv->dump(), "the listed mentors cover the way to " + json(served).dump());
    }
    Diagnostics(Field(res, "diagnostics"), gap, false);
  }

  // ---- path ----
  void Path(const json& params, const json& res) {
    path_mentor_ = -1;  // the path's mentor, for its totals (set below once checked)
    path_mentor_gap_.clear();
    const json q = params.is_object() ? params : json::object();
    std::vector<int> goals;
    for (const std::string& id : Strings(q.contains("goals") ? &q["goals"] : nullptr)) {
      const int c = g_.FindConcept(id);
      if (c >= 0 && std::find(goals.begin(), goals.end(), c) == goals.end()) goals.push_back(c);
    }
    if (goals.empty() && !params.is_object()) {
      // A claims file: the view's goals are those it shows (the learner's, or one of them).
      for (const json& gj :
           Field(res, "goals") && Field(res, "goals")->is_array() ? *Field(res, "goals") : json::array()) {
        const int c = g_.FindConcept(Str(gj, "id"));
        if (c >= 0 && std::find(l_.goals.begin(), l_.goals.end(), c) != l_.goals.end()) goals.push_back(c);
      }
    }
    if (goals.empty()) goals = l_.goals;
    CheckGoals(Field(res, "goals"), goals);
    const Filters f = RequestFilters(params, l_.profile, false);
    const std::vector<uint8_t> on_path = g_.Closure(goals, true);
    std::vector<uint8_t> missing(g_.num_concepts(), 0);
    for (int c = 0; c < g_.num_concepts(); ++c) missing[c] = on_path[c] && !l_.Knows(c);

    // Reference per missing step: the held item, the eligible candidates and the best of them.
    auto eligible = [&](int i) {
      std::string why;
      return ItemAt(i).kind != ItemKind::kMentor && !l_.Consumed(i) && !(f.exclude_dismissed && l_.Dismissed(i)) &&
             PassesFilters(i, f, &why);
    };
    auto held_for = [&](int c) {
      for (int i : g_.TaughtBy(c))
        if (ItemAt(i).kind != ItemKind::kMentor && l_.Consumed(i)) return true;
      return false;
    };

    const json* steps = Field(res, "steps");
    std::vector<int> step_items;  // distinct, in order
    std::set<int> unreachable_ref;
    int max_missing_depth = -1;
    for (int c = 0; c < g_.num_concepts(); ++c)
      if (missing[c]) max_missing_depth = std::max(max_missing_depth, g_.Depth(c));
    if (steps && steps->is_array()) {
      ConceptList(
          *steps, "concept", "step", on_path, "not in the prerequisite closure of the goals (" + Names(goals) + ")",
          [&](int c) { return "the step " + ConceptId(c) + " is missing"; },
          [&](int c, const json& sj, const std::string& claim) {
            const std::string cid = ConceptId(c);
            if (const json* d = Field(sj, "depth"); d && d->is_number_integer())
              if (!Ok(d->get<int>() == g_.Depth(c)))
                Fail(cid, claim, "the longest prerequisite chain below it is " + Number(g_.Depth(c)));
            const std::string state = Str(sj, "state");
            std::string want;
            if (l_.Knows(c)) {
              want = "known";
            } else if (held_for(c)) {
              want = "taking";
            } else {
              bool ready = true;
              for (int p : g_.Prerequisites(c)) ready = ready && l_.Knows(p);
              want = ready ? "next" : "later";
            }
            if (!Ok(state == want))
              Fail(cid, claim,
                   "the step's state is " + want +
                       (l_.Knows(c) ? std::string(" (via ") + KnownWhyName(l_.why[c]) + ")" : ""));
            const json* item = Field(sj, "item");
            const json* taking = Field(sj, "taking");
            // taking: an item the learner holds (took, not completed) that teaches the step.
            if (taking && taking->is_string()) {
              const int t = ItemOf(taking->get<std::string>(), claim);
              if (t >= 0) {
                if (!Ok(g_.Teaches(t, c) && ItemAt(t).kind != ItemKind::kMentor))
                  Fail(cid, claim, ItemId(t) + " does not teach " + cid);
                if (!Ok(l_.Consumed(t))) Fail(cid, claim, "the learner does not hold " + ItemId(t));
                // "My learning" and the path agree: an item under "completed" is not one being taken.
                const ItemFacts* tf = l_.Find(t);
                if (tf && !Ok(LearningGroup(*tf, false) != "completed"))
                  Fail(cid, claim,
                       "\"My learning\" lists " + ItemId(t) + " as completed (" + Relations(*tf) +
                           "), yet the step says the learner is taking it and " + cid + " is not known");
              }
            } else if (taking && !Ok(!(taking->is_null() && want == "taking"))) {
              Fail(cid, claim, "the learner holds an item teaching it");
            }
            // The learner's best eligible item for an open step: first one they can take at this
            // step — what the item requires is known (a next step: "you can start now"), or for a
            // later step known or on the path — then a non-membership when one exists.
            const bool open = want == "next" || want == "later";
            auto can_take = [&](int i) {
              for (ConceptIndex r : ItemAt(i).requires_concepts)
                if (!l_.Knows(r.value()) && !(want == "later" && on_path[r.value()])) return false;
              return true;
            };
            bool any_takeable = false;
            if (open)
              for (int i : g_.TaughtBy(c)) any_takeable = any_takeable || (eligible(i) && can_take(i));
            double best = -INFINITY, best_membership = -INFINITY;
            if (open) {
              for (int i : g_.TaughtBy(c)) {
                if (!eligible(i) || (any_takeable && !can_take(i))) continue;
                double& top = ItemAt(i).kind == ItemKind::kMembership ? best_membership : best;
                top = std::max(top, Personal(i));
              }
              if (best == -INFINITY && best_membership == -INFINITY) unreachable_ref.insert(c);
            }
            if (item && item->is_string()) {
              // An item to take: never one the learner took, whatever the step's state.
              const int i = ItemOf(item->get<std::string>(), claim);
              if (i < 0) return;
              if (std::find(step_items.begin(), step_items.end(), i) == step_items.end()) step_items.push_back(i);
              std::string why;
              if (!Ok(g_.Teaches(i, c) && ItemAt(i).kind != ItemKind::kMentor))
                Fail(cid, claim, ItemId(i) + " does not teach " + cid);
              if (!Ok(!l_.Consumed(i)))
                Fail(cid, claim, "the learner already took " + ItemId(i) + " (" + StrongestAction(*l_.Find(i)) + ")");
              if (f.exclude_dismissed && !Ok(!l_.Dismissed(i))) Fail(cid, claim, "the learner dismissed " + ItemId(i));
              if (!Ok(PassesFilters(i, f, &why))) Fail(cid, claim, ItemId(i) + ": " + why);
              if (!Ok(open)) {
                Fail(cid, claim, "an item to take for a step that is " + want);
                return;
              }
              if (any_takeable && !Ok(can_take(i)))
                Fail(cid, claim, ItemId(i) + " requires what the learner does not know" +
                                     std::string(want == "later" ? " and the path does not teach" : "") +
                                     ", while another eligible item teaching " + cid + " can be taken " +
                                     (want == "next" ? "now" : "on this path"));
              const bool membership = ItemAt(i).kind == ItemKind::kMembership;
              if (membership && !Ok(best == -INFINITY))
                Fail(cid, claim, "a membership chosen while another eligible item teaches " + cid);
              const double top = membership ? best_membership : best;
              const double mine = Personal(i);
              if (!Ok(mine >= top - kScoreTolerance * std::max(1.0, std::fabs(top))))
                Fail(cid, claim,
                     "not the learner's best item for the step: score " + Number(mine) + " < " + Number(top));
            } else if (open && item && !Ok(unreachable_ref.count(c) != 0)) {
              Fail(cid, claim, "no item given although an eligible item teaches " + cid);
            }
          });
    }
    if (const json* u = Field(res, "unreachable"); u && u->is_array() && steps) {
      std::set<int> got;
      for (const std::string& id : Strings(u)) got.insert(g_.FindConcept(id));
      if (!Ok(got == unreachable_ref)) {
        std::vector<int> want(unreachable_ref.begin(), unreachable_ref.end());
        Fail("", "unreachable " + u->dump(), "no eligible item teaches: " + Names(want));
      }
    }
    if (const json* h = Field(res, "hardest")) {
      if (max_missing_depth < 0) {
        if (!Ok(h->is_null())) Fail(h->dump(), "hardest step " + h->dump(), "no step is missing");
      } else {
        const int c = h->is_string() ? g_.FindConcept(h->get<std::string>()) : -1;
        if (!Ok(c >= 0 && missing[c] && g_.Depth(c) == max_missing_depth))
          Fail(h->dump(), "hardest step " + h->dump(),
               "the deepest missing step has depth " + Number(max_missing_depth));
      }
    }
    // The mentor for the hardest step: mentor matching over {hardest}.
    int hardest = -1;
    if (const json* h = Field(res, "hardest"); h && h->is_string()) hardest = g_.FindConcept(h->get<std::string>());
    if (const json* pm = Field(res, "mentor")) {
      if (hardest >= 0) {
        // The offered mentor knows the hardest step and is the best such mentor over every
        // missing step, whose reasons are said over those steps (in the path's order).
        std::vector<int> missing_steps;
        if (steps && steps->is_array())
          for (const json& sj : *steps)
            if (Str(sj, "state") != "known")
              if (const int c = g_.FindConcept(Str(sj, "concept")); c >= 0) missing_steps.push_back(c);
        int m = -1;
        if (pm->is_object()) MentorEntry(*pm, missing_steps, &m);
        double best = -INFINITY;
        int best_m = -1;
        for (int x : g_.mentors()) {
          const MentorTruth t = Mentor(x, missing_steps);
          if (t.passes() && g_.Expertise(x, hardest) > 0 && MentorScore(x, t) > best) best = MentorScore(x, t), best_m = x;
        }
        if (m < 0 && !Ok(best_m < 0))
          Fail("", "no mentor for the hardest step", ItemId(best_m) + " knows " + ConceptId(hardest) + " and fits");
        path_mentor_ = m;
        path_mentor_gap_ = missing_steps;
        if (m >= 0) {
          const MentorTruth t = Mentor(m, missing_steps);
          if (!Ok(g_.Expertise(m, hardest) > 0)) Fail(ItemId(m), "path mentor", "does not know the hardest step " + ConceptId(hardest));
          else if (!Ok(t.passes() && MentorScore(m, t) >= best - kScoreTolerance * std::max(1.0, std::fabs(best))))
            Fail(ItemId(m), "path mentor", "not the best mentor for the hardest step: " + ItemId(best_m));
        }
      } else if (!Ok(pm->is_null())) {
        Fail("", "path mentor", "no step is missing");
      }
    }
    if (Field(res, "hardest"))
      Diagnostics(Field(res, "mentorDiagnostics"), hardest >= 0 ? std::vector<int>{hardest} : std::vector<int>{},
                  hardest < 0);
    PathMemberships(Field(res, "memberships"), missing, f);
    if (steps && steps->is_array()) PathTotals(Field(res, "totals"), step_items, static_cast<int>(unreachable_ref.size()));
  }

  void PathMemberships(const json* ms, const std::vector<uint8_t>& missing, const Filters& f) {
    if (!ms || !ms->is_array()) return;
    auto covers_of = [&](int m) {
      std::vector<int> out;
      for (int c : g_.TaughtConcepts(m))
        if (missing[c] && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
      std::sort(out.begin(), out.end());
      return out;
    };
    std::set<int> held_ref, held_got;
    for (const auto& [i, s] : l_.items)
      if (ItemAt(i).kind == ItemKind::kMembership && s.consumed() && !s.done(false) && !covers_of(i).empty())
        held_ref.insert(i);
    for (const json& mj : *ms) {
      const std::string id = Str(mj, "id");
      const int m = ItemOf(id, "membership");
      if (m < 0) continue;
      const std::string claim = "membership " + mj.dump();
      if (!Ok(ItemAt(m).kind == ItemKind::kMembership)) Fail(id, claim, "not a membership");
      std::vector<int> got;
      for (const std::string& c : Strings(Field(mj, "covers"))) got.push_back(g_.FindConcept(c));
      std::sort(got.begin(), got.end());
      if (!Ok(!got.empty() && got == covers_of(m)))
        Fail(id, claim, "the missing steps it teaches are " + Names(covers_of(m)));
      const bool held = Field(mj, "held") && Field(mj, "held")->is_boolean() && Field(mj, "held")->get<bool>();
      if (held) {
        held_got.insert(m);
        if (!Ok(held_ref.count(m) != 0)) Fail(id, claim, "the learner does not hold it");
        const ItemFacts* mf = l_.Find(m);
        if (mf && !Ok(LearningGroup(*mf, false) != "completed"))
          Fail(id, claim,
               "\"My learning\" lists " + id + " as completed (" + Relations(*mf) +
                   "), yet the path says the learner holds it for missing steps");
      } else {
        std::string why;
        if (!Ok(!l_.Consumed(m))) Fail(id, claim, "the learner already joined it: offered again without saying so");
        if (f.exclude_dismissed && !Ok(!l_.Dismissed(m))) Fail(id, claim, "the learner dismissed it");
        if (!Ok(PassesFilters(m, f, &why))) Fail(id, claim, why);
      }
    }
    for (int m : held_ref)
      if (!Ok(held_got.count(m) != 0))
        Fail(ItemId(m), "path memberships",
             "the learner holds " + ItemId(m) + " (it teaches missing steps): not acknowledged");
  }

  // Totals over the distinct step items, recomputed by hand: one-off items' known prices per
  // currency and known hours; a membership's price is per month (its own list) and its hours
  // are not summed; unknown prices and durations counted as unknown (never 0); weeks only when
  // every missing step has an item, none a membership, every duration known.
  void PathTotals(const json* t, const std::vector<int>& items, int uncovered) {
    if (!t || !t->is_object()) return;
    std::map<std::string, double> price, monthly;
    int unpriced = 0, untimed = 0, memberships = 0;
    double hours = 0;
    for (int i : items) {
      const Item& it = ItemAt(i);
      const bool membership = it.kind == ItemKind::kMembership;
      memberships += membership;
      if (const std::optional<double> cost = CostToTake(it)) (membership ? monthly : price)[it.currency] += *cost;
      else ++unpriced;
      if (membership) continue;
      if (it.hours > 0)
        hours += it.hours;
      else
        ++untimed;
    }
    const int n = static_cast<int>(items.size());
    auto integer = [&](const char* key, int want, const std::string& why) {
      if (const json* v = Field(*t, key))
        if (!Ok(v->is_number_integer() && v->get<int64_t>() == want))
          Fail("", std::string("totals.") + key + " " + v->dump(), why);
    };
    integer("items", n, "the path has " + Number(n) + " distinct items to take");
    integer("unpricedItems", unpriced, Number(unpriced) + " of them have no known price");
    integer("untimedItems", untimed, Number(untimed) + " of the one-off items have no known duration");
    integer("memberships", memberships, Number(memberships) + " of them are memberships");
    integer("uncoveredSteps", uncovered, Number(uncovered) + " missing steps have no item");
    auto sums = [&](const char* key, const std::map<std::string, double>& want_sums, const char* what) {
      const json* p = Field(*t, key);
      if (!p || !p->is_array()) return;
      std::map<std::string, double> got;
      bool shape = true;
      for (const json& e : *p) {
        if (!e.is_object() || !Field(e, "amount") || !Field(e, "amount")->is_number())
          shape = false;
        else
          got[Str(e, "currency")] += Field(e, "amount")->get<double>();
      }
      bool same = shape && got.size() == want_sums.size();
      for (const auto& [cur, amount] : want_sums) same = same && got.count(cur) && Near(got[cur], amount, 1e-6);
      std::string want;
      for (const auto& [cur, amount] : want_sums) want += (want.empty() ? "" : ", ") + Number(amount) + " " + cur;
      if (!Ok(same))
        Fail("", std::string("totals.") + key + " " + p->dump(),
             std::string(what) + " sum to " + (want.empty() ? std::string("nothing") : want) +
                 (unpriced ? " with " + Number(unpriced) + " unknown" : ""));
    };
    sums("price", price, "one-off items' known prices");
    // With the path's mentor: its booking, at the price per seat the learner pays (a group's per
    // seat, a one-to-one session's), added to the one-off prices when known.
    std::map<std::string, double> with_mentor = price;
    json booking = nullptr;
    if (path_mentor_ >= 0) {
      const MentorTruth mt = Mentor(path_mentor_, path_mentor_gap_);
      if (mt.booking >= 0) {
        const Offering& b = mt.offerings[mt.booking];
        booking = OfferingClaim(b, ItemAt(path_mentor_).currency);
        if (b.price_known) with_mentor[ItemAt(path_mentor_).currency] += b.price_per_seat;
      }
    }
    if (const json* mb = Field(*t, "mentorBooking"))
      if (!Ok(*mb == booking)) Fail("", "totals.mentorBooking " + mb->dump(), "the path's mentor would be booked as " + booking.dump());
    sums("priceWithMentor", with_mentor, "one-off items' known prices and the mentor's price per seat");
    sums("monthly", monthly, "memberships' known monthly prices");
    if (const json* h = Field(*t, "hours")) {
      const bool none = untimed == n - memberships;
      if (!Ok(none ? h->is_null() : (h->is_number() && Near(h->get<double>(), hours, 1e-6))))
        Fail("", "totals.hours " + h->dump(),
             none ? "no one-off duration is known (hours unknown, not 0)" : "known hours sum to " + Number(hours));
    }
    if (const json* w = Field(*t, "weeks")) {
      const double weekly = l_.profile.weekly_hours;
      const bool defined = uncovered == 0 && memberships == 0 && untimed == 0 && hours > 0 && weekly > 0;
      const int weeks = defined ? static_cast<int>(std::ceil(hours / weekly)) : 0;
      if (!Ok(defined ? (w->is_number_integer() && w->get<int64_t>() == weeks) : w->is_null()))
        Fail("", "totals.weeks " + w->dump(),
             defined ? "⌈" + Number(hours) + " h / " + Number(weekly) + " h a week⌉ = " + Number(weeks)
                     : "unknown (a step without an item, a membership, an unknown duration or no weekly hours)");
    }
    if (const json* wu = Field(*t, "weeksUnknown")) {
      // Why no weeks, by hand: said only when weekly hours are stated and something is left.
      json want = json::array();
      if (l_.profile.weekly_hours > 0 && (n > 0 || uncovered > 0)) {
        if (memberships > 0) want.push_back("membership");
        if (untimed > 0) want.push_back("untimed");
        if (uncovered > 0) want.push_back("uncovered");
      }
      if (!Ok(*wu == want)) Fail("", "totals.weeksUnknown " + wu->dump(), "the reasons weeks is unknown are " + want.dump());
    }
  }

  // ---- "My learning" ----
  void Learning(const json& res) {
    CheckGoals(Field(res, "goals"), l_.goals);
    if (const json* known = Field(res, "known"); known && known->is_array()) {
      std::vector<int> direct;  // known other than through the closure, with their closures
      std::vector<std::vector<uint8_t>> direct_closure;
      for (int c = 0; c < g_.num_concepts(); ++c)
        if (l_.Knows(c) && l_.why[c] != KnownWhy::kPrerequisite) {
          direct.push_back(c);
          direct_closure.push_back(g_.Closure({c}, false));
        }
      ConceptList(
          *known, "id", "known", l_.known, "nothing in the profile says the learner knows it",
          [&](int c) {
            return "the learner knows " + ConceptId(c) + " (via " + KnownWhyName(l_.why[c]) + "): missing";
          },
          [&](int c, const json& kj, const std::string& claim) {
            const std::string& id = ConceptId(c);
            if (const json* via = Field(kj, "via"))
              if (!Ok(via->is_string() && via->get<std::string>() == KnownWhyName(l_.why[c])))
                Fail(id, claim, std::string("known via ") + KnownWhyName(l_.why[c]));
            const bool stated =
                std::find(l_.profile.known.begin(), l_.profile.known.end(), id) != l_.profile.known.end();
            if (const json* s = Field(kj, "stated"))
              if (!Ok(s->is_boolean() && s->get<bool>() == stated))
                Fail(id, claim, stated ? "stated in the profile" : "not stated in the profile");
            std::vector<std::string> events;
            for (const Event& e : l_.profile.events)
              if (e.type == EventType::kKnowConcept && e.concept == id) events.push_back(e.id);
            if (const json* ev = Field(kj, "events"))
              if (!Ok(Strings(ev) == events)) Fail(id, claim, Number(events.size()) + " know_concept events state it");
            // Items done teaching it: "completed" the completed ones, "rated" those rated without
            // an enrolment (the sentence names which).
            for (const bool completed : {true, false})
              if (const json* done = Field(kj, completed ? "completed" : "rated")) {
                std::set<std::string> got, want;
                for (const std::string& s : Strings(done)) got.insert(s);
                for (int i : g_.TaughtBy(c))
                  if (const ItemFacts* f = l_.Find(i);
                      f && f->done(ItemAt(i).kind == ItemKind::kMentor) && f->completed == completed)
                    want.insert(ItemId(i));
                if (!Ok(got == want))
                  Fail(id, claim, Number(want.size()) + (completed ? " completed items" : " items rated without enrolling") +
                                      " teach it");
              }
            if (const json* imp = Field(kj, "impliedBy")) {
              std::set<std::string> got, want;
              for (const std::string& s : Strings(imp)) got.insert(s);
              for (size_t d = 0; d < direct.size(); ++d)
                if (direct[d] != c && direct_closure[d][c]) want.insert(ConceptId(direct[d]));
              if (!Ok(got == want))
                Fail(id, claim, "it is a prerequisite of " + Number(want.size()) + " directly known concepts");
            }
            if (const json* fg = Field(kj, "forgettable"))
              if (!Ok(fg->is_boolean() && fg->get<bool>() == (stated || !events.empty())))
                Fail(id, claim,
                     "forgetConcept " + std::string(stated || !events.empty() ? "can" : "cannot") +
                         " remove what states it");
          });
    }
    if (const json* items = Field(res, "items"); items && items->is_array()) {
      std::set<int> listed;
      for (const json& ij : *items) {
        const std::string id = Str(ij, "id");
        const int i = ItemOf(id, "My learning item");
        if (i < 0) continue;
        const std::string claim = "My learning " + ij.dump();
        listed.insert(i);
        const ItemFacts* f = l_.Find(i);
        if (!Ok(f != nullptr)) {
          Fail(id, claim, "the learner never acted on it");
          continue;
        }
        const std::string group = LearningGroup(*f, ItemAt(i).kind == ItemKind::kMentor);
        if (!Ok(Str(ij, "group") == group)) Fail(id, claim, "its group is " + group);
        if (ItemAt(i).kind == ItemKind::kMentor && group != "booked") Booking(id, Field(ij, "booking"), Mentor(i, {}));
        else if (Field(ij, "booking"))
          Fail(id, claim, group == "booked" ? "a booked session's offering is not recorded: no booking is claimed"
                                            : "only a mentor has a booking");
        const json* rating = Field(ij, "rating");
        if (!Ok(f->rating > 0 ? (rating && rating->is_number() && Near(rating->get<double>(), f->rating, 1e-6))
                              : rating == nullptr))
          Fail(id, claim, f->rating > 0 ? "the latest rating is " + Number(f->rating) : std::string("never rated"));
      }
      for (const auto& [i, f] : l_.items)
        if (LearningGroup(f, ItemAt(i).kind == ItemKind::kMentor) != "viewed" && !Ok(listed.count(i) != 0))
          Fail(ItemId(i), "My learning items", "the learner acted on it (" + StrongestAction(f) + "): missing");
    }
    if (const json* ev = Field(res, "events"); ev && ev->is_number_integer())
      if (!Ok(ev->get<size_t>() == l_.profile.events.size()))
        Fail("", "events " + ev->dump(), "the profile holds " + Number(l_.profile.events.size()));
    if (const json* u = Field(res, "unknownIds"); u && u->is_array()) {
      std::vector<std::string> got = Strings(u), want = l_.unknown_ids;
      std::sort(got.begin(), got.end());
      std::sort(want.begin(), want.end());
      if (!Ok(got == want)) Fail("", "unknownIds " + u->dump(), Number(want.size()) + " ids are not in the catalog");
    }
    if (const json* o = Field(res, "outOfScale"); o && o->is_array()) {
      std::vector<size_t> got;
      for (const json& e : *o)
        if (const json* ix = Field(e, "index"); ix && ix->is_number_unsigned()) got.push_back(ix->get<size_t>());
      if (!Ok(got == l_.out_of_scale))
        Fail("", "outOfScale " + o->dump(), Number(l_.out_of_scale.size()) + " ratings are off the scale");
    }
  }

  const AuditReference& ref_;
  const GraphReference& g_;
  const Catalog& cat_;
  const LearnerFacts& l_;
  const std::string label_;
  AuditReport* report_;
  std::string view_;
  std::optional<FoldInReference::Solved> solved_;
  int path_mentor_ = -1;                 // the current path answer's mentor item, -1 when none
  std::vector<int> path_mentor_gap_;     // and the missing steps it was matched over
  std::map<int, FoldInReference::Shares> shares_;
};

}  // namespace

TruthAudit::TruthAudit(const Bundle& bundle, LearnerOptions options)
    : ref_(std::make_unique<AuditReference>(bundle, options)) {}
TruthAudit::~TruthAudit() = default;

int64_t TruthAudit::Check(const Profile& profile, double clock, const std::vector<AuditAnswer>& answers,
                          const std::string& learner, AuditReport* report) const {
  const int64_t before = report->violations;
  const LearnerFacts facts = ReplayEvents(ref_->graph, profile, clock, ref_->options, ref_->fold_in.scale());
  Checker checker(*ref_, facts, learner, report);
  for (const AuditAnswer& a : answers) checker.Check(a);
  return report->violations - before;
}

}  // namespace pathlight::trainer
