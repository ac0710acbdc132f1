// The on-device engine: learner state, incremental updates, ranking, paths, mentors, explanations.
#include "pathlight/recommender.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "test_util.h"

namespace pathlight {
namespace {

using nlohmann::json;

// Hand-drawn graph:  a → b → d,  a → c → d,  d → e;  f isolated.
const char* kCatalog = R"({
  "concepts": [{"id": "a"}, {"id": "b", "prerequisites": ["a"]}, {"id": "c", "prerequisites": ["a"]},
               {"id": "d", "prerequisites": ["b", "c"]}, {"id": "e", "prerequisites": ["d"]}, {"id": "f"}],
  "items": [
    {"id": "ca", "kind": "course", "price": 10, "language": "en", "level": "beginner", "hours": 5, "teaches": ["a"]},
    {"id": "cb", "kind": "course", "price": 20, "language": "en", "hours": 8, "teaches": ["b"], "requires": ["a"]},
    {"id": "cc", "kind": "ebook", "price": 15, "language": "zh", "hours": 3, "teaches": ["c"], "requires": ["a"]},
    {"id": "cd", "kind": "course", "price": 50, "language": "en", "level": "advanced", "hours": 20, "teaches": ["d"], "requires": ["b", "c"]},
    {"id": "cd2", "kind": "course", "price": 500, "language": "en", "hours": 40, "teaches": ["d"], "requires": ["b", "c"]},
    {"id": "ce", "kind": "course", "language": "en", "hours": 12, "teaches": ["e"], "requires": ["d"]},
    {"id": "cf", "kind": "course", "price": 0, "language": "en", "hours": 2, "teaches": ["f"]},
    {"id": "mem", "kind": "membership", "price": 30, "language": "en", "teaches": ["a", "b"]},
    {"id": "mem2", "kind": "membership", "price": 25, "language": "en", "teaches": ["c"]},
    {"id": "m1", "kind": "mentor", "price": 80, "language": "en", "languages": ["en"], "rating": 4.5, "capacity": 2, "expertise": {"d": 0.8, "e": 0.5}},
    {"id": "m2", "kind": "mentor", "price": 60, "language": "zh", "languages": ["zh"], "rating": 4, "capacity": 1, "expertise": {"d": 1.0}},
    {"id": "m3", "kind": "mentor", "price": 40, "language": "en", "languages": ["en"], "rating": 5, "capacity": 0, "expertise": {"e": 1.0}},
    {"id": "m4", "kind": "mentor", "price": 300, "language": "en", "languages": ["en"], "rating": 5, "capacity": 3, "expertise": {"d": 0.9}}
  ]})";

Recommender MakeRecommender(int extra_items = 30, uint64_t seed = 3) {
  json doc = json::parse(kCatalog);
  std::mt19937 rng(seed);
  const char* cs[] = {"a", "b", "c", "d", "e", "f"};
  for (int j = 0; j < extra_items; ++j)
    doc["items"].push_back({{"id", "x" + std::to_string(j)}, {"kind", j % 3 ? "course" : "ebook"},
                            {"price", 5 + j}, {"language", "en"}, {"teaches", {cs[rng() % 6]}}});
  auto cat = Catalog::FromJson(doc, "fixture");
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  ModelInfo info;
  info.regularization = 0.5f;
  info.alpha = 5.f;
  auto b = AssembleBundle(*cat, testing::RandomMatrix(cat->num_items(), 4, seed, 0.5f), Vector(), info,
                          FactorEncoding::kF32);
  EXPECT_TRUE(b.ok());
  for (int i = 0; i < b->item_popularity.size(); ++i) b->item_popularity[i] = static_cast<float>((i * 7) % 11) / 10.f;
  return Recommender(std::move(b).value());
}

Event Ev(EventType t, const std::string& id, double time, float rating = 0) {
  Event e;
  e.type = t;
  (t == EventType::kKnowConcept ? e.concept : e.item) = id;
  e.time = time;
  e.rating = rating;
  return e;
}

ConceptIndex C(const Recommender& r, const char* id) { return *r.catalog().FindConcept(id); }
ItemIndex I(const Recommender& r, const char* id) { return *r.catalog().FindItem(id); }

TEST(LearnerTest, IncrementalUpdatesMatchFullResolveAfterEachOf50Events) {
  const Recommender rec = MakeRecommender();
  Profile p;
  p.goals = {"e"};
  const double now = 1.7e9;
  LearnerState inc = rec.Learner(p, now);
  std::mt19937 rng(9);
  const EventType types[] = {EventType::kView, EventType::kBookmark, EventType::kEnroll, EventType::kComplete,
                             EventType::kRate, EventType::kDismiss, EventType::kKnowConcept, EventType::kMentorBooked};
  for (int step = 0; step < 50; ++step) {
    const EventType t = types[rng() % 8];
    const std::string id = t == EventType::kKnowConcept ? std::string(1, "abcdef"[rng() % 6])
                                                        : rec.catalog().item(ItemIndex(rng() % rec.num_items())).id;
    // Events spread over the last 400 days: the decay matters.
    ASSERT_TRUE(rec.AddEvent(inc, Ev(t, id, now - (rng() % 400) * 86400.0, 1.f + rng() % 5)).ok());
    const LearnerState full = rec.Learner(inc.profile(), now);
    for (int d = 0; d < rec.factors(); ++d)
      ASSERT_NEAR(inc.fold_in()[d], full.fold_in()[d], 1e-4) << "after event " << step << " (" << EventTypeName(t) << ")";
    ASSERT_EQ(inc.consumed(), full.consumed()) << "after event " << step;
    ASSERT_EQ(inc.dismissed(), full.dismissed()) << "after event " << step;
    ASSERT_EQ(inc.known_concepts(), full.known_concepts()) << "after event " << step;
  }
}

TEST(LearnerTest, FoldInOfProfileEqualsDirectSolve) {
  const Recommender rec = MakeRecommender();
  Profile p;
  p.events = {Ev(EventType::kEnroll, "cb", 100), Ev(EventType::kView, "x3", 100), Ev(EventType::kDismiss, "x4", 100)};
  LearnerOptions none;
  const LearnerState s = rec.Learner(p, 100);
  // Same as FoldIn with (w, p): enroll 3 → (3, 1), view 0.5 → (0.5, 1), dismiss 4 → (4, 0).
  const Vector ref = rec.FoldIn({{I(rec, "cb").value(), 3.f, 1.f}, {I(rec, "x3").value(), 0.5f, 1.f},
                                 {I(rec, "x4").value(), 4.f, 0.f}});
  for (int d = 0; d < rec.factors(); ++d) EXPECT_NEAR(s.fold_in()[d], ref[d], 1e-5);
}

TEST(LearnerTest, DismissLowersTheItemsScoreAndRemovesIt) {
  const Recommender rec = MakeRecommender();
  Profile p;
  p.events = {Ev(EventType::kEnroll, "ca", 0), Ev(EventType::kEnroll, "cb", 0)};
  LearnerState s = rec.Learner(p, 0);
  RankOptions o;
  o.k = 5;
  const auto before = rec.Rank(s, o);
  ASSERT_FALSE(before.empty());
  const ItemIndex top = before[0].item;
  ASSERT_TRUE(rec.AddEvent(s, Ev(EventType::kDismiss, rec.catalog().item(top).id, 0)).ok());
  const Vector y = [&] { Vector v(rec.factors()); rec.bundle().item_factors.Row(top.value(), v.data()); return v; }();
  EXPECT_LT(s.user().dot(y), before[0].personal);
  for (const auto& r : rec.Rank(s, o)) EXPECT_NE(r.item, top);
}

TEST(LearnerTest, UnknownIdsAreReportedNotDropped) {
  const Recommender rec = MakeRecommender();
  Profile p;
  p.goals = {"e", "quantum"};
  p.events = {Ev(EventType::kEnroll, "gone-course", 0)};
  LearnerState s = rec.Learner(p, 0);
  EXPECT_EQ(s.unknown_ids(), (std::vector<std::string>{"gone-course", "quantum"}));
  EXPECT_EQ(s.profile().events.size(), 1u);  // kept for a later bundle
  EXPECT_EQ(rec.AddEvent(s, Ev(EventType::kView, "nope", 0)).code(), ErrorCode::kUnknownId);
  EXPECT_EQ(rec.AddEvent(s, Ev(EventType::kRate, "ca", 0, 9)).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.profile().events.size(), 1u);
}

TEST(RankTest, EmptyLearnerGetsMostPopularWithinFilters) {
  const Recommender rec = MakeRecommender();
  const LearnerState s = rec.Learner(Profile(), 0);
  RankOptions o;
  o.k = 5;
  o.kinds = {ItemKind::kCourse};
  const auto got = rec.Rank(s, o);
  // Brute force: courses sorted by popularity, ties by index.
  std::vector<int32_t> ref;
  for (int32_t i = 0; i < rec.num_items(); ++i)
    if (rec.catalog().item(ItemIndex(i)).kind == ItemKind::kCourse) ref.push_back(i);
  std::stable_sort(ref.begin(), ref.end(), [&](int32_t a, int32_t b) {
    return rec.bundle().item_popularity[a] > rec.bundle().item_popularity[b];
  });
  ASSERT_EQ(got.size(), 5u);
  for (size_t j = 0; j < 5; ++j) {
    EXPECT_EQ(got[j].item.value(), ref[j]);
    ASSERT_EQ(got[j].reasons.size(), 1u);
    EXPECT_EQ(got[j].reasons[0].kind, Reason::Kind::kPopular);
  }
}

TEST(RankTest, EveryListRespectsItsFiltersAndCaps) {
  const Recommender rec = MakeRecommender(60);
  std::mt19937 rng(4);
  for (int learner = 0; learner < 200; ++learner) {
    Profile p;
    for (int e = 0; e < static_cast<int>(rng() % 6); ++e)
      p.events.push_back(Ev(e % 3 == 2 ? EventType::kDismiss : EventType::kEnroll,
                            rec.catalog().item(ItemIndex(rng() % rec.num_items())).id, 0));
    if (rng() % 2) p.goals = {"e"};
    const LearnerState s = rec.Learner(p, 0);
    RankOptions o;
    o.k = 10;
    o.max_price = 30;
    o.levels = {Level::kAll, Level::kBeginner};
    o.languages = {"en"};
    o.max_mentors = 1;
    o.max_memberships = 1;
    o.readiness_weight = 0.3f;
    o.goal_weight = 0.3f;
    o.mmr_lambda = 0.7f;
    int mentors = 0, memberships = 0;
    for (const auto& r : rec.Rank(s, o)) {
      const Item& it = rec.catalog().item(r.item);
      EXPECT_TRUE(std::isfinite(r.score));
      EXPECT_FALSE(s.consumed()[r.item.value()]) << it.id;
      EXPECT_FALSE(s.dismissed()[r.item.value()]) << it.id;
      EXPECT_TRUE(!it.price_known || it.price <= 30) << it.id;
      EXPECT_TRUE(it.level == Level::kAll || it.level == Level::kBeginner) << it.id;
      mentors += it.kind == ItemKind::kMentor;
      memberships += it.kind == ItemKind::kMembership;
    }
    EXPECT_LE(mentors, 1);
    EXPECT_LE(memberships, 1);
  }
}

TEST(RankTest, ReadinessAndGoalTermsFollowTheGraph) {
  const Recommender rec = MakeRecommender(0);
  Profile p;
  p.known = {"a"};
  p.goals = {"d"};
  const LearnerState s = rec.Learner(p, 0);
  RankOptions o;
  o.k = 20;
  o.kinds = {ItemKind::kCourse, ItemKind::kEbook};
  for (const auto& r : rec.Rank(s, o)) {
    const std::string& id = rec.catalog().item(r.item).id;
    // Known {a}: cb and cc require only a (ready), cd/cd2 require b and c (0 of 2 known).
    if (id == "cb" || id == "cc" || id == "ca" || id == "cf") EXPECT_FLOAT_EQ(r.readiness, 1.f) << id;
    if (id == "cd" || id == "cd2") EXPECT_FLOAT_EQ(r.readiness, 0.f) << id;
    if (id == "ce") EXPECT_FLOAT_EQ(r.readiness, 0.f) << id;
    // Goal d: b and c are next steps (1), d itself is later (0.5), a is known (0), e/f off path.
    if (id == "cb" || id == "cc") EXPECT_FLOAT_EQ(r.goal_relevance, 1.f) << id;
    if (id == "cd" || id == "cd2") EXPECT_FLOAT_EQ(r.goal_relevance, 0.5f) << id;
    if (id == "ca" || id == "ce" || id == "cf") EXPECT_FLOAT_EQ(r.goal_relevance, 0.f) << id;
  }
  // A large readiness weight puts every ready item first.
  o.readiness_weight = 100.f;
  bool seen_unready = false;
  for (const auto& r : rec.Rank(s, o)) {
    if (r.readiness < 1.f) seen_unready = true;
    else EXPECT_FALSE(seen_unready) << "a ready item ranked below an unready one";
  }
}

TEST(RankTest, KnownPenaltyDemotesWhatTheLearnerKnowsAndReachedGoalsGiveNoReason) {
  const Recommender rec = MakeRecommender(0);
  Profile p;
  p.known = {"b"};  // implies a
  p.goals = {"b", "e"};
  const LearnerState s = rec.Learner(p, 0);
  RankOptions o;
  o.k = rec.num_items();
  o.known_penalty = 100.f;
  const auto list = rec.Rank(s, o);
  // Items teaching only known concepts (ca: a, cb: b, mem: a+b) sink below all others.
  size_t first_known = list.size();
  for (size_t j = 0; j < list.size(); ++j) {
    const std::string& id = rec.catalog().item(list[j].item).id;
    const bool known = id == "ca" || id == "cb" || id == "mem";
    if (known && first_known == list.size()) first_known = j;
    if (!known) EXPECT_LT(j, first_known) << id << " ranked below an item teaching known concepts";
    for (const Reason& r : list[j].reasons)
      EXPECT_FALSE(r.goal.value() >= 0 && rec.catalog().concept_at(r.goal).id == "b") << "goal b is reached";
  }
}

TEST(ExplainTest, ContributionsSumExactlyToTheScore) {
  const Recommender rec = MakeRecommender();
  Profile p;
  p.goals = {"e"};
  p.known = {"a"};
  p.events = {Ev(EventType::kEnroll, "cb", 0), Ev(EventType::kRate, "x1", 0, 5), Ev(EventType::kDismiss, "x2", 0),
              Ev(EventType::kView, "x5", 0)};
  const LearnerState s = rec.Learner(p, 0);
  for (int32_t i = 0; i < rec.num_items(); ++i) {
    const Explanation ex = rec.Explain(s, ItemIndex(i));
    Vector y(rec.factors());
    rec.bundle().item_factors.Row(i, y.data());
    EXPECT_NEAR(ex.score, s.fold_in().dot(y), 1e-5);
    double sum = 0;
    for (const auto& c : ex.contributions) sum += c.value;
    EXPECT_NEAR(sum, ex.score, 1e-4) << "item " << i;
    for (size_t j = 1; j < ex.contributions.size(); ++j)
      EXPECT_GE(std::fabs(ex.contributions[j - 1].value), std::fabs(ex.contributions[j].value));
  }
}

TEST(PathTest, HandGraphPathStatesItemsAndTotals) {
  const Recommender rec = MakeRecommender(0);
  Profile p;
  p.known = {"a"};
  p.goals = {"e"};
  const LearnerState s = rec.Learner(p, 0);
  RankOptions o;
  o.max_price = 100;  // cd2 (500) is over budget
  const LearningPath path = rec.Path(s, {}, o);
  std::vector<std::string> ids, states;
  for (const auto& st : path.steps) {
    ids.push_back(rec.catalog().concept_at(st.concept).id);
    states.push_back(PathStateName(st.state));
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(states, (std::vector<std::string>{"known", "next", "next", "later", "later"}));
  // Only one eligible item teaches b, c, d (within budget), e: their totals by hand.
  EXPECT_EQ(rec.catalog().item(*path.steps[3].best_item).id, "cd");
  EXPECT_EQ(rec.catalog().item(*path.steps[4].best_item).id, "ce");
  // b: cb (20, 8 h) or the membership mem (30, 0 h), whichever the learner scores higher;
  // c: cc (15, 3 h) or mem2 (25, 0 h).
  double price = 50, hours = 20 + 12;
  int unpriced = 1;  // ce has no price
  for (int j : {1, 2}) {
    const Item& it = rec.catalog().item(*path.steps[j].best_item);
    price += it.price;
    hours += it.hours;
  }
  EXPECT_DOUBLE_EQ(path.total_price, price);
  EXPECT_DOUBLE_EQ(path.total_hours, hours);
  EXPECT_EQ(path.unpriced_items, unpriced);
  EXPECT_TRUE(path.unreachable.empty());
  ASSERT_TRUE(path.hardest);
  EXPECT_EQ(rec.catalog().concept_at(*path.hardest).id, "e");  // depth 3
  ASSERT_TRUE(path.mentor);  // m1 covers e (0.5), m3 covers e but has no capacity
  EXPECT_EQ(rec.catalog().item(path.mentor->mentor).id, "m1");
}

TEST(PathTest, TotalsCountEachItemOnceAndSkipEnrolled) {
  const Recommender rec = MakeRecommender(0);
  Profile p;
  p.goals = {"b"};
  LearnerState s = rec.Learner(p, 0);
  RankOptions o;
  o.kinds = {ItemKind::kMembership};  // only mem (a, b; 30) can teach a and b
  LearningPath path = rec.Path(s, {}, o);
  ASSERT_EQ(path.steps.size(), 2u);
  EXPECT_EQ(rec.catalog().item(*path.steps[0].best_item).id, "mem");
  EXPECT_EQ(rec.catalog().item(*path.steps[1].best_item).id, "mem");
  EXPECT_DOUBLE_EQ(path.total_price, 30);
  ASSERT_TRUE(rec.AddEvent(s, Ev(EventType::kEnroll, "mem", 0)).ok());
  path = rec.Path(s, {}, o);
  EXPECT_DOUBLE_EQ(path.total_price, 0);  // already enrolled: nothing more to pay
}

TEST(PathTest, UnreachableStepIsReported) {
  const Recommender rec = MakeRecommender(0);
  Profile p;
  p.goals = {"e"};
  p.language = "zh";
  const LearnerState s = rec.Learner(p, 0);
  RankOptions o;
  o.languages = {"zh"};  // only cc (c) is in Chinese
  const LearningPath path = rec.Path(s, {}, o);
  std::set<std::string> unreachable;
  for (ConceptIndex c : path.unreachable) unreachable.insert(rec.catalog().concept_at(c).id);
  EXPECT_EQ(unreachable, (std::set<std::string>{"a", "b", "d", "e"}));
}

TEST(MentorTest, CoverageFiltersAndOrder) {
  const Recommender rec = MakeRecommender(0);
  Profile p;
  p.known = {"b", "c"};
  p.goals = {"e"};  // gap = {d, e}
  p.budget = 100;
  p.language = "en";
  const LearnerState s = rec.Learner(p, 0);
  MentorOptions o;
  o.personal_weight = 0;  // make the order depend on coverage and rating only
  const auto m = rec.Mentors(s, {}, o);
  // m1: (0.8 + 0.5) / 2 = 0.65; m2 speaks zh only; m3 has no capacity; m4 is over budget.
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(rec.catalog().item(m[0].mentor).id, "m1");
  EXPECT_FLOAT_EQ(m[0].coverage, 0.65f);
  EXPECT_FLOAT_EQ(m[0].score, 0.65f + 0.2f * 4.5f / 5.f);
  o.require_budget = o.require_language = o.require_capacity = false;
  const auto all = rec.Mentors(s, {}, o);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(rec.catalog().item(all[0].mentor).id, "m1");  // 0.65 + 0.18
  EXPECT_FALSE(all[1].has_capacity && all[1].within_budget && all[1].speaks_language);
}

TEST(RefineTest, BoundedAndReversible) {
  const Recommender rec = MakeRecommender();
  Profile p;
  p.events = {Ev(EventType::kEnroll, "cb", 0), Ev(EventType::kComplete, "ca", 0), Ev(EventType::kDismiss, "x3", 0)};
  LearnerState s = rec.Learner(p, 0);
  const Vector before = s.user();
  RankOptions o;
  o.k = 8;
  const auto list_before = rec.Rank(s, o);
  RefineOptions ro;
  ro.epochs = 50;
  rec.Refine(s, ro);
  EXPECT_LE((s.user() - s.fold_in()).norm(), ro.max_shift * s.fold_in().norm() * 1.0001f);
  for (const auto& [i, off] : s.bias_offsets()) EXPECT_LE(std::fabs(off), ro.max_offset);
  EXPECT_GT((s.user() - before).norm(), 0.f);
  rec.ResetPersonalization(s);
  EXPECT_EQ(s.user(), before);
  const auto list_after = rec.Rank(s, o);
  ASSERT_EQ(list_after.size(), list_before.size());
  for (size_t j = 0; j < list_after.size(); ++j) EXPECT_EQ(list_after[j].item, list_before[j].item);
}

TEST(SimilarTest, EqualsBruteForceCosine) {
  const Recommender rec = MakeRecommender();
  RankOptions o;
  o.k = 6;
  const ItemIndex q = I(rec, "cd");
  const auto got = rec.Similar(q, o);
  const RowMatrix y = rec.bundle().item_factors.Dequantized();
  std::vector<std::pair<float, int32_t>> ref;
  for (int32_t i = 0; i < rec.num_items(); ++i)
    if (i != q.value()) ref.push_back({-y.row(i).dot(y.row(q.value())) / (y.row(i).norm() * y.row(q.value()).norm()), i});
  std::sort(ref.begin(), ref.end());
  ASSERT_EQ(got.size(), 6u);
  for (size_t j = 0; j < 6; ++j) {
    EXPECT_EQ(got[j].item.value(), ref[j].second);
    EXPECT_NEAR(got[j].score, -ref[j].first, 1e-5);
  }
}

TEST(ProfileTest, JsonRoundTripAndErrors) {
  Profile p;
  p.goals = {"e"};
  p.known = {"a"};
  p.budget = 99;
  p.language = "zh";
  p.events = {Ev(EventType::kRate, "cb", 5, 4), Ev(EventType::kKnowConcept, "c", 6)};
  auto q = Profile::Parse(p.ToJson().dump());
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->ToJson(), p.ToJson());

  json newer = p.ToJson();
  newer["version"] = 99;
  EXPECT_EQ(Profile::FromJson(newer).status().code(), ErrorCode::kUnsupportedVersion);
  EXPECT_EQ(Profile::Parse(R"({"format": "something-else"})").status().code(), ErrorCode::kParseError);
  json bad = p.ToJson();
  bad["events"][1]["type"] = "teleport";
  auto st = Profile::FromJson(bad).status();
  EXPECT_EQ(st.code(), ErrorCode::kParseError);
  EXPECT_NE(st.message().find("events[1]"), std::string::npos) << st.message();
  bad = p.ToJson();
  bad["events"][0]["rating"] = 7;
  EXPECT_EQ(Profile::FromJson(bad).status().code(), ErrorCode::kInvalidArgument);
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  EXPECT_EQ(Profile::Parse(deep).status().code(), ErrorCode::kLimitExceeded);
}

TEST(ProfileTest, CompactionKeepsEverySignal) {
  const Recommender rec = MakeRecommender();
  Profile p;
  std::mt19937 rng(2);
  for (int e = 0; e < 300; ++e)
    p.events.push_back(Ev(e % 7 == 0 ? EventType::kDismiss : (e % 2 ? EventType::kView : EventType::kEnroll),
                          rec.catalog().item(ItemIndex(rng() % rec.num_items())).id, 1000.0 * e));
  const double now = 300000;
  const ItemSignals before = ItemSignalsOf(p, rec.catalog(), now);
  Profile c = p;
  c.Compact(100, now, ConfidenceOptions());
  EXPECT_LE(c.events.size(), 100u);
  const ItemSignals after = ItemSignalsOf(c, rec.catalog(), now);
  ASSERT_EQ(after.items.size(), before.items.size());
  std::map<int32_t, WeightedItem> b;
  for (const auto& w : before.items) b[w.item] = w;
  for (const auto& w : after.items) {
    EXPECT_NEAR(w.weight, b[w.item].weight, 1e-3 * b[w.item].weight) << "item " << w.item;
  }
  EXPECT_EQ(after.consumed, before.consumed);
  EXPECT_EQ(after.dismissed, before.dismissed);
  // And it survives a JSON round trip.
  auto parsed = Profile::Parse(c.ToJson().dump());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(ItemSignalsOf(*parsed, rec.catalog(), now).dismissed, before.dismissed);
}

}  // namespace
}  // namespace pathlight
