// Recommender::Rank against a straightforward reference: every item's final score computed from
// its Catalog entry, a full sort for the candidate pool, and MMR re-evaluating every similarity
// in every round. Rank visits only the items a learner's known and goal concepts touch and keeps
// MMR similarities incrementally; its lists must equal the reference bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "pathlight/recommender.h"
#include "test_util.h"

namespace pathlight {
namespace {

using nlohmann::json;

// A random DAG of `nc` concepts (prerequisites among lower indices) and `n` items of every kind,
// each teaching 0–4 and requiring 0–3 concepts (repeats allowed, as a hand-written catalog may).
Recommender RandomRecommender(int nc, int n, uint64_t seed) {
  std::mt19937 rng(static_cast<uint32_t>(seed));
  json doc = {{"concepts", json::array()}, {"items", json::array()}};
  for (int c = 0; c < nc; ++c) {
    json pre = json::array();
    for (int j = 0; j < static_cast<int>(rng() % 3) && c > 0; ++j) pre.push_back("c" + std::to_string(rng() % c));
    std::sort(pre.begin(), pre.end());
    pre.erase(std::unique(pre.begin(), pre.end()), pre.end());
    doc["concepts"].push_back({{"id", "c" + std::to_string(c)}, {"prerequisites", pre}});
  }
  const char* kinds[] = {"course", "ebook", "consultation", "membership", "mentor"};
  for (int i = 0; i < n; ++i) {
    json teaches = json::array(), requires_ = json::array();
    for (int j = 0; j < static_cast<int>(rng() % 5); ++j) teaches.push_back("c" + std::to_string(rng() % nc));
    for (int j = 0; j < static_cast<int>(rng() % 4); ++j) requires_.push_back("c" + std::to_string(rng() % nc));
    json item = {{"id", "i" + std::to_string(i)}, {"kind", kinds[rng() % 5]}, {"price", static_cast<int>(rng() % 200)},
                 {"language", "en"}, {"teaches", teaches}, {"requires", requires_}};
    if (const int hours = static_cast<int>(rng() % 4)) item["hours"] = hours;  // 0: not given
    if (item["kind"] == "mentor") item["languages"] = {"en"};
    doc["items"].push_back(std::move(item));
  }
  auto cat = Catalog::FromJson(doc, "random");
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  ModelInfo info;
  info.regularization = 0.5f;
  info.alpha = 5.f;
  Vector bias = testing::RandomMatrix(n, 1, seed + 1, 0.1f).col(0);
  auto b = AssembleBundle(std::move(cat).value(), testing::RandomMatrix(n, 8, seed, 0.5f), bias, info,
                          FactorEncoding::kF32);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return Recommender(std::move(b).value());
}

float Share(const std::vector<ConceptIndex>& cs, const std::vector<uint8_t>& known) {
  int k = 0;
  for (ConceptIndex c : cs) k += known[c.value()];
  return static_cast<float>(k) / static_cast<float>(cs.size());
}

float JaccardRef(const std::vector<ConceptIndex>& a, const std::vector<ConceptIndex>& b) {
  if (a.empty() || b.empty()) return 0.f;
  int inter = 0;
  for (ConceptIndex x : a) inter += std::find(b.begin(), b.end(), x) != b.end();
  return static_cast<float>(inter) / static_cast<float>(a.size() + b.size() - inter);
}

// The list RankOptions documents, computed the plain way (learners with history; no item filters
// besides kinds and price).
std::vector<Recommendation> ReferenceRank(const Recommender& rec, const LearnerState& s, const RankOptions& o) {
  const Catalog& cat = rec.catalog();
  const int32_t n = rec.num_items();
  const std::vector<uint8_t>& known = s.known_concepts();
  std::vector<float> goal_rel(cat.num_concepts(), 0.f);
  for (ConceptIndex g : s.goals()) {
    std::vector<ConceptIndex> path = cat.PrerequisiteClosure({g});
    path.push_back(g);
    for (ConceptIndex c : path) {
      if (known[c.value()]) continue;
      bool ready = true;
      for (ConceptIndex p : cat.concept_at(c).prerequisites) ready = ready && known[p.value()];
      goal_rel[c.value()] = std::max(goal_rel[c.value()], ready ? 1.f : 0.5f);
    }
  }
  std::vector<float> personal(n);
  const Vector x = s.user();
  rec.bundle().item_factors.Score(x.data(), rec.bundle().item_bias.data(), personal.data());
  std::vector<Recommendation> all;
  for (int32_t i = 0; i < n; ++i) {
    const Item& it = cat.item(ItemIndex(i));
    if ((o.exclude_consumed && s.consumed()[i]) || (o.exclude_dismissed && s.dismissed()[i])) continue;
    if (!o.kinds.empty() && std::find(o.kinds.begin(), o.kinds.end(), it.kind) == o.kinds.end()) continue;
    // The price to take it: a consultation's or a mentor's is per hour, so a session costs price ×
    // hours, unknown without hours (docs/csv-schema.md); unknown passes any budget.
    const bool hourly = it.kind == ItemKind::kConsultation || it.kind == ItemKind::kMentor;
    const bool priced = it.price_known && (!hourly || it.hours > 0);
    const double cost = hourly ? it.price * it.hours : it.price;
    if (o.max_price >= 0 && priced && cost > o.max_price) continue;
    Recommendation r;
    r.item = ItemIndex(i);
    r.personal = personal[i];
    r.readiness = it.requires_concepts.empty() ? 1.f : Share(it.requires_concepts, known);
    for (ConceptIndex c : it.teaches) r.goal_relevance = std::max(r.goal_relevance, goal_rel[c.value()]);
    const float known_share = it.teaches.empty() ? 0.f : Share(it.teaches, known);
    r.score = r.personal + o.weight("readiness") * r.readiness + o.weight("goal") * r.goal_relevance -
              o.weight("known") * known_share;
    if (std::isfinite(r.score)) all.push_back(r);
  }
  std::sort(all.begin(), all.end(), [](const Recommendation& a, const Recommendation& b) {
    return a.score > b.score || (a.score == b.score && a.item < b.item);
  });
  all.resize(std::min(all.size(), static_cast<size_t>(std::max(o.k, o.candidate_pool))));
  std::vector<Recommendation> out;
  std::vector<uint8_t> used(all.size(), 0);
  int mentors = 0, memberships = 0;
  while (static_cast<int>(out.size()) < o.k) {
    int best = -1;
    float best_value = -INFINITY;
    for (size_t j = 0; j < all.size(); ++j) {
      const ItemKind kind = cat.item(all[j].item).kind;
      if (used[j] || (kind == ItemKind::kMentor && o.max_mentors >= 0 && mentors >= o.max_mentors) ||
          (kind == ItemKind::kMembership && o.max_memberships >= 0 && memberships >= o.max_memberships))
        continue;
      float max_sim = 0.f;
      for (const Recommendation& r : out)
        max_sim = std::max(max_sim, JaccardRef(cat.item(all[j].item).teaches, cat.item(r.item).teaches));
      const float value = o.mmr_lambda < 1.f ? o.mmr_lambda * all[j].score - (1.f - o.mmr_lambda) * max_sim : all[j].score;
      if (value > best_value) {
        best_value = value;
        best = static_cast<int>(j);
      }
    }
    if (best < 0) break;
    used[best] = 1;
    mentors += cat.item(all[best].item).kind == ItemKind::kMentor;
    memberships += cat.item(all[best].item).kind == ItemKind::kMembership;
    out.push_back(all[best]);
  }
  return out;
}

TEST(RankReferenceTest, EqualsPlainComputationForRandomLearnersAndOptions) {
  const int nc = 120;
  const Recommender rec = RandomRecommender(nc, 3000, 11);
  const Catalog& cat = rec.catalog();
  std::mt19937 rng(7);
  const float weights[] = {0.f, 0.f, 0.3f, 1.f, 2.5f};
  for (int trial = 0; trial < 60; ++trial) {
    Profile p;
    // From no known concept to most of them: both the sparse pass and the full pass run.
    const int n_known = trial % 4 == 3 ? 80 : static_cast<int>(rng() % 4);
    for (int j = 0; j < n_known; ++j) p.known.push_back(cat.concept_at(ConceptIndex(rng() % nc)).id);
    for (int j = 0; j < static_cast<int>(rng() % 3); ++j) p.goals.push_back(cat.concept_at(ConceptIndex(rng() % nc)).id);
    for (int j = 0; j < 1 + static_cast<int>(rng() % 30); ++j) {
      Event e;
      e.type = j % 7 == 6 ? EventType::kDismiss : EventType::kEnroll;
      e.item = cat.item(ItemIndex(rng() % rec.num_items())).id;
      p.events.push_back(e);
    }
    const LearnerState s = rec.Learner(p, 0);
    RankOptions o;
    o.k = 1 + static_cast<int>(rng() % 20);
    o.candidate_pool = 1 + static_cast<int>(rng() % 300);
    o.set_weight("readiness", weights[rng() % 5]);
    o.set_weight("goal", weights[rng() % 5]);
    o.set_weight("known", weights[rng() % 5]);
    o.mmr_lambda = trial % 3 == 0 ? 1.f : 0.5f + 0.1f * static_cast<float>(rng() % 5);
    o.max_mentors = static_cast<int>(rng() % 3) - 1;
    o.max_memberships = static_cast<int>(rng() % 3) - 1;
    if (trial % 5 == 0) o.kinds = {ItemKind::kCourse, ItemKind::kMentor};
    if (trial % 6 == 0) o.max_price = 120;
    const std::vector<Recommendation> got = rec.Rank(s, o), want = ReferenceRank(rec, s, o);
    ASSERT_EQ(got.size(), want.size()) << "trial " << trial;
    for (size_t j = 0; j < got.size(); ++j) {
      EXPECT_EQ(got[j].item, want[j].item) << "trial " << trial << " rank " << j;
      // Bit-identical, not merely close: the JSON answers must not change.
      EXPECT_EQ(got[j].score, want[j].score) << "trial " << trial << " rank " << j;
      EXPECT_EQ(got[j].personal, want[j].personal) << "trial " << trial << " rank " << j;
      EXPECT_EQ(got[j].readiness, want[j].readiness) << "trial " << trial << " rank " << j;
      EXPECT_EQ(got[j].goal_relevance, want[j].goal_relevance) << "trial " << trial << " rank " << j;
    }
  }
}

}  // namespace
}  // namespace pathlight
