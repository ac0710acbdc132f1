// Property test over 1,000 random learners on the demo catalog: whatever a learner did and
// whatever filters a page asks for, every score is finite and every list respects its filters
// (kinds, budget, levels, languages, readiness, consumed/dismissed exclusion, per-kind caps).
// Learners and options are drawn from a fixed seed, so a failure names a reproducible learner.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "pathlight/recommender.h"
#include "test_util.h"

namespace pathlight {
namespace {

Recommender DemoRecommender() {
  std::ifstream in(testing::SourcePath("data/demo/catalog.json"));
  std::stringstream ss;
  ss << in.rdbuf();
  auto cat = Catalog::Parse(ss.str(), "demo");
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  ModelInfo info;
  info.regularization = 1.f;
  info.alpha = 20.f;
  auto b = AssembleBundle(*cat, testing::RandomMatrix(cat->num_items(), 16, 5, 0.4f), Vector(), info, FactorEncoding::kF32);
  EXPECT_TRUE(b.ok());
  for (int i = 0; i < b->item_popularity.size(); ++i) b->item_popularity[i] = static_cast<float>((i * 13) % 17) / 16.f;
  return Recommender(std::move(b).value());
}

template <class T>
bool Has(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(LearnerPropertyTest, ThousandRandomLearnersGetFiniteScoresAndListsWithinTheirFilters) {
  const Recommender rec = DemoRecommender();
  const Catalog& cat = rec.catalog();
  std::mt19937_64 rng(20240601);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto coin = [&](double p) { return std::bernoulli_distribution(p)(rng); };
  const EventType types[] = {EventType::kView, EventType::kBookmark, EventType::kEnroll, EventType::kComplete,
                             EventType::kRate, EventType::kDismiss, EventType::kKnowConcept,
                             EventType::kMentorBooked, EventType::kMentorRated};
  const std::vector<std::string> langs = {"en", "zh", "es", "de", "fr"};
  const double now = 1.75e9;
  int lists = 0, entries = 0;
  for (int learner = 0; learner < 1000; ++learner) {
    SCOPED_TRACE("learner " + std::to_string(learner));
    Profile p;
    const int n_events = uniform(0, 40);
    for (int j = 0; j < n_events; ++j) {
      Event e;
      e.type = types[uniform(0, 8)];
      if (e.type == EventType::kKnowConcept) e.concept = cat.concept_at(ConceptIndex(uniform(0, cat.num_concepts() - 1))).id;
      else e.item = cat.item(ItemIndex(uniform(0, cat.num_items() - 1))).id;
      if (e.type == EventType::kRate || e.type == EventType::kMentorRated) e.rating = static_cast<float>(uniform(1, 5));
      e.time = now - uniform(0, 3 * 365) * 86400.0;
      p.events.push_back(e);
    }
    for (int j = uniform(0, 3); j > 0; --j) p.goals.push_back(cat.concept_at(ConceptIndex(uniform(0, cat.num_concepts() - 1))).id);
    for (int j = uniform(0, 5); j > 0; --j) p.known.push_back(cat.concept_at(ConceptIndex(uniform(0, cat.num_concepts() - 1))).id);
    if (coin(0.5)) p.budget = uniform(0, 300);
    if (coin(0.5)) p.language = langs[uniform(0, 4)];
    LearnerState s = rec.Learner(p, now);
    if (coin(0.2)) {
      RefineOptions r;
      r.epochs = uniform(1, 5);
      rec.Refine(s, r);
    }
    for (float v : s.user()) ASSERT_TRUE(std::isfinite(v));

    RankOptions o;
    o.k = uniform(1, 60);
    for (int kind = 0; kind < 5; ++kind)
      if (coin(0.3)) o.kinds.push_back(static_cast<ItemKind>(kind));
    if (coin(0.4)) o.max_price = uniform(0, 200);
    for (int level = 0; level < 4; ++level)
      if (coin(0.25)) o.levels.push_back(static_cast<Level>(level));
    if (coin(0.3)) o.languages = {langs[uniform(0, 4)]};
    if (coin(0.3)) o.min_readiness = static_cast<float>(uniform(0, 4)) / 4.f;
    o.set_weight("readiness", static_cast<float>(uniform(0, 10)) / 10.f);
    o.set_weight("goal", static_cast<float>(uniform(0, 10)) / 10.f);
    o.hide_known = coin(0.5);
    o.match_mentors = coin(0.5);
    o.mmr_lambda = static_cast<float>(uniform(0, 10)) / 10.f;
    o.max_mentors = uniform(-1, 2);
    o.max_memberships = uniform(-1, 2);
    o.exclude_consumed = coin(0.8);
    o.exclude_dismissed = coin(0.8);

    auto passes = [&](ItemIndex i) {
      const Item& it = cat.item(i);
      if (!o.kinds.empty() && !Has(o.kinds, it.kind)) return false;
      if (o.max_price >= 0) {
        // A mentor passes the price limit when one of its offerings does (its price per seat: a
        // group seat may fit when the one-to-one session does not); no offerings: its price.
        bool fits = !(it.price_known && it.price > o.max_price);
        if (it.kind == ItemKind::kMentor && !it.offerings.empty()) {
          fits = false;
          for (const Offering& x : it.offerings) fits = fits || !x.price_known || x.price_per_seat <= o.max_price;
        }
        if (!fits) return false;
      }
      if (!o.levels.empty() && !Has(o.levels, it.level)) return false;
      if (!o.languages.empty() && !Has(o.languages, it.language)) {
        bool any = false;
        for (const std::string& l : it.languages) any = any || Has(o.languages, l);
        if (!any) return false;
      }
      return true;
    };
    const std::vector<Recommendation> list = rec.Rank(s, o);
    ++lists;
    EXPECT_LE(static_cast<int>(list.size()), o.k);
    std::set<int32_t> seen;
    int mentors = 0, memberships = 0;
    for (const Recommendation& r : list) {
      ++entries;
      ASSERT_TRUE(r.item.value() >= 0 && r.item.value() < cat.num_items());
      EXPECT_TRUE(seen.insert(r.item.value()).second) << "duplicate " << cat.item(r.item).id;
      EXPECT_TRUE(std::isfinite(r.score) && std::isfinite(r.personal) && std::isfinite(r.readiness) &&
                  std::isfinite(r.goal_relevance)) << cat.item(r.item).id;
      EXPECT_TRUE(passes(r.item)) << cat.item(r.item).id << " violates a filter";
      EXPECT_GE(r.readiness + 1e-6f, o.min_readiness) << cat.item(r.item).id;
      if (o.exclude_consumed) EXPECT_FALSE(s.consumed()[r.item.value()]) << cat.item(r.item).id << " was consumed";
      if (o.exclude_dismissed) EXPECT_FALSE(s.dismissed()[r.item.value()]) << cat.item(r.item).id << " was dismissed";
      mentors += cat.item(r.item).kind == ItemKind::kMentor;
      memberships += cat.item(r.item).kind == ItemKind::kMembership;
    }
    if (o.max_mentors >= 0) EXPECT_LE(mentors, o.max_mentors);
    if (o.max_memberships >= 0) EXPECT_LE(memberships, o.max_memberships);

    // Similar items: finite, within the kind filter, never the item itself.
    const ItemIndex probe(uniform(0, cat.num_items() - 1));
    for (const Recommendation& r : rec.Similar(probe, o)) {
      EXPECT_TRUE(std::isfinite(r.score));
      EXPECT_NE(r.item, probe);
      EXPECT_TRUE(passes(r.item)) << "similar: " << cat.item(r.item).id;
    }
    // Explanations add up, and are finite.
    const Explanation ex = rec.Explain(s, probe);
    float sum = 0;
    for (const Contribution& c : ex.contributions) {
      EXPECT_TRUE(std::isfinite(c.value));
      sum += c.value;
    }
    EXPECT_TRUE(std::isfinite(ex.score));
    EXPECT_NEAR(sum, ex.score, 1e-3f * std::max(1.f, std::fabs(ex.score)));
    // Learning path: finite totals; each step's item teaches the step, is no mentor, and passes
    // the filters.
    const LearningPath path = rec.Path(s, {}, o);
    for (const auto& [currency, amount] : path.totals.price) EXPECT_TRUE(std::isfinite(amount) && amount >= 0) << currency;
    EXPECT_TRUE(std::isfinite(path.totals.hours) && path.totals.hours >= 0);
    for (const PathStep& step : path.steps) {
      if (!step.item) continue;
      const Item& it = cat.item(*step.item);
      EXPECT_NE(it.kind, ItemKind::kMentor);
      EXPECT_TRUE(Has(it.teaches, step.concept)) << it.id;
      EXPECT_FALSE(s.consumed()[step.item->value()]) << it.id << " was taken already";
    }
    // Mentors: finite scores, coverage in [0, 1], only mentors.
    MentorOptions mo;
    mo.k = uniform(1, 5);
    for (const MentorMatch& m : rec.Mentors(s, {}, mo).mentors) {
      EXPECT_EQ(cat.item(m.mentor).kind, ItemKind::kMentor);
      EXPECT_TRUE(std::isfinite(m.score) && std::isfinite(m.personal));
      EXPECT_TRUE(m.coverage >= 0.f && m.coverage <= 1.f + 1e-6f);
    }
    if (::testing::Test::HasFatalFailure()) return;
  }
  std::printf("property test: 1000 learners, %d lists, %d entries checked\n", lists, entries);
}

}  // namespace
}  // namespace pathlight
