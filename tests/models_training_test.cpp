// The trainer's models on fixtures with known answers: biased MF (Gibbs and ALS-WR) recovers a
// low-rank rating matrix; BPR ranks a checkerboard's withheld cell first; all are deterministic.
#include <gtest/gtest.h>

#include <random>

#include "pathlight/biased_mf.h"
#include "pathlight/bpr.h"
#include "pathlight/trainer/evaluate.h"
#include "pathlight/trainer/models.h"
#include "test_util.h"

namespace pathlight {
namespace {

// Ratings r = clamp(3 + b_u + b_i + x_uᵀy_i + noise) on 60% of a 60 × 40 grid; the rest held out.
struct RatingFixture {
  SparseRows train;
  std::vector<Interaction> test;
};
RatingFixture LowRankRatings() {
  std::mt19937_64 rng(3);
  std::normal_distribution<float> n(0.f, 1.f);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  const RowMatrix x = testing::RandomMatrix(60, 3, 1, 0.6f), y = testing::RandomMatrix(40, 3, 2, 0.6f);
  std::vector<Interaction> train;
  RatingFixture f;
  for (int a = 0; a < 60; ++a)
    for (int b = 0; b < 40; ++b) {
      const float r = std::clamp(3.f + 0.3f * (a % 3) - 0.4f * (b % 2) + x.row(a).dot(y.row(b)) + 0.1f * n(rng), 1.f, 5.f);
      (u(rng) < 0.6f ? train : f.test).push_back({a, b, r, 0});
    }
  f.train = BuildUserItems(60, 40, train);
  return f;
}

double Rmse(const std::vector<float>& p, const std::vector<Interaction>& t) {
  return trainer::EvaluateRatings(p, t).rmse;
}

std::vector<std::pair<int32_t, int32_t>> Queries(const std::vector<Interaction>& t) {
  std::vector<std::pair<int32_t, int32_t>> q;
  for (const auto& e : t) q.push_back({e.user, e.item});
  return q;
}

TEST(BiasedMfTest, GibbsRecoversLowRankRatings) {
  const RatingFixture f = LowRankRatings();
  BiasedMfOptions o;
  o.factors = 5;
  o.iterations = 60;
  o.burn_in = 10;
  o.noise_precision = 20.f;
  auto m = TrainBiasedMf(f.train, o, Queries(f.test));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  // Predicting the mean rating scores ≈ 0.75 here; the generating noise is 0.1.
  EXPECT_LT(Rmse(m->query_predictions, f.test), 0.25);
  EXPECT_EQ(m->user_factors.rows(), 60);
  EXPECT_EQ(m->item_factors.cols(), 5);
}

TEST(BiasedMfTest, AlsWrRecoversLowRankRatings) {
  const RatingFixture f = LowRankRatings();
  BiasedMfOptions o;
  o.solver = BiasedMfSolver::kAls;
  o.factors = 5;
  o.iterations = 20;
  o.regularization = 0.02f;
  auto m = TrainBiasedMf(f.train, o, Queries(f.test));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_LT(Rmse(m->query_predictions, f.test), 0.3);
  // Point predictions of the ALS model are exactly its query predictions.
  EXPECT_FLOAT_EQ(m->Predict(f.test[0].user, f.test[0].item), m->query_predictions[0]);
}

TEST(BiasedMfTest, SameSeedSameModelForAnyThreadCount) {
  const RatingFixture f = LowRankRatings();
  BiasedMfOptions o;
  o.factors = 4;
  o.iterations = 8;
  o.burn_in = 2;
  o.threads = 1;
  auto a = TrainBiasedMf(f.train, o, Queries(f.test));
  o.threads = 2;
  auto b = TrainBiasedMf(f.train, o, Queries(f.test));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->query_predictions, b->query_predictions);
  EXPECT_EQ(a->item_factors, b->item_factors);
  o.seed = 7;
  auto c = TrainBiasedMf(f.train, o, Queries(f.test));
  EXPECT_NE(a->query_predictions, c->query_predictions);
}

TEST(BiasedMfTest, RejectsBadOptions) {
  const RatingFixture f = LowRankRatings();
  BiasedMfOptions o;
  o.burn_in = o.iterations;
  EXPECT_EQ(TrainBiasedMf(f.train, o).status().code(), ErrorCode::kInvalidArgument);
  o = BiasedMfOptions{};
  o.noise_precision = 0;
  EXPECT_EQ(TrainBiasedMf(f.train, o).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(TrainBiasedMf(SparseRows(3, 3), BiasedMfOptions{}).status().code(), ErrorCode::kInvalidArgument);
}

// Checkerboard: learners of group g (u % 2) take every item of group g except one withheld cell;
// the withheld item must rank first for its learner among the items they have not taken.
SparseRows Checkerboard(int32_t users, int32_t items, int32_t withheld_user, int32_t withheld_item) {
  std::vector<Interaction> ev;
  for (int32_t u = 0; u < users; ++u)
    for (int32_t i = 0; i < items; ++i)
      if (u % 2 == i % 2 && !(u == withheld_user && i == withheld_item)) ev.push_back({u, i, 1.f, 0});
  return BuildUserItems(users, items, ev);
}

TEST(BprTest, WithheldCheckerboardCellRanksFirst) {
  const SparseRows m = Checkerboard(40, 20, 4, 6);
  BprOptions o;
  o.factors = 8;
  o.iterations = 200;
  auto model = TrainBpr(m, o);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const Vector s = model->item_factors * model->user_factors.row(4).transpose() + model->item_bias;
  int32_t best = -1;
  for (int32_t i = 0; i < 20; ++i)
    if (m.coeff(4, i) == 0 && (best < 0 || s[i] > s[best])) best = i;
  EXPECT_EQ(best, 6);
}

TEST(BprTest, DeterministicForASeed) {
  const SparseRows m = Checkerboard(20, 10, 0, 2);
  BprOptions o;
  o.factors = 4;
  o.iterations = 5;
  auto a = TrainBpr(m, o), b = TrainBpr(m, o);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->item_factors, b->item_factors);
  EXPECT_EQ(a->user_factors, b->user_factors);
}

TEST(BprTest, RejectsBadOptions) {
  const SparseRows m = Checkerboard(4, 4, 0, 0);
  BprOptions o;
  o.learning_rate = 0;
  EXPECT_EQ(TrainBpr(m, o).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(TrainBpr(SparseRows(2, 2), BprOptions{}).status().code(), ErrorCode::kInvalidArgument);
}

// helper-43: at --regularization 3.4e38 BPR diverged and advised a larger regularization. The
// shrink step x ← x(1 − eta·lambda) overshoots once eta·lambda ≥ 1: the advice names the product.
TEST(BprTest, DivergenceAdviceFollowsTheCause) {
  const SparseRows m = Checkerboard(20, 10, 0, 2);
  BprOptions o;
  o.factors = 4;
  o.iterations = 50;
  o.learning_rate = 0.05f;
  o.regularization = 1e38f;  // eta·lambda = 5e36
  auto big = TrainBpr(m, o);
  ASSERT_EQ(big.status().code(), ErrorCode::kDiverged);
  EXPECT_NE(big.status().message().find("learning rate x regularization = 5e+36 >= 1"), std::string::npos) << big.status().message();
  EXPECT_EQ(big.status().message().find("larger regularization"), std::string::npos) << big.status().message();
  o.regularization = 1e-32f;
  o.learning_rate = 1e30f;  // eta·lambda = 0.01: the gradient step itself is too large
  auto fast = TrainBpr(m, o);
  ASSERT_EQ(fast.status().code(), ErrorCode::kDiverged);
  EXPECT_NE(fast.status().message().find("try a larger regularization (lambda) or a smaller learning rate"), std::string::npos)
      << fast.status().message();
}

TEST(ModelsTest, EveryModelRanksTheCheckerboardCell) {
  const SparseRows m = Checkerboard(40, 20, 4, 6);
  const std::vector<Interaction> test = {{4, 6, 1.f, 0}};
  for (auto kind : {trainer::ModelKind::kAls, trainer::ModelKind::kBpr}) {
    trainer::ModelOptions o;
    o.kind = kind;
    o.als.factors = 4;
    o.bpr.factors = 8;
    o.bpr.iterations = 200;
    auto model = trainer::TrainModel(m, o);
    ASSERT_TRUE(model.ok());
    const auto r = trainer::EvaluateRanking(m, test, 1, [&](int32_t u, float* s) { model->Score(u, s); });
    EXPECT_EQ(r.ranking.users, 1);
    EXPECT_DOUBLE_EQ(r.ranking.precision, 1.0) << trainer::ModelKindName(kind);
  }
  EXPECT_EQ(trainer::ParseModelKind("biased-mf"), trainer::ModelKind::kBiasedMf);
  EXPECT_FALSE(trainer::ParseModelKind("svd"));
}

}  // namespace
}  // namespace pathlight
