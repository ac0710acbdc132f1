#include "pathlight/als.h"

#include <gtest/gtest.h>

#include "pathlight/fold_in.h"
#include "pathlight/topk.h"
#include "test_util.h"

namespace pathlight {
namespace {

// Slow reference: x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ Yᵀ C_u p_u with a dense n × n diagonal C_u,
// in double. YᵀY is the float Gram matrix as shipped in a bundle (its rounding is the one thing
// the browser cannot avoid); everything else is recomputed densely.
Eigen::VectorXd DenseFoldIn(const RowMatrix& y, const std::vector<WeightedItem>& hist, double reg, double alpha) {
  const Eigen::MatrixXd yd = y.cast<double>();
  const Eigen::MatrixXd gram = Gram(y).cast<double>();
  const int n = static_cast<int>(y.rows()), k = static_cast<int>(y.cols());
  Eigen::VectorXd c = Eigen::VectorXd::Ones(n), p = Eigen::VectorXd::Zero(n);
  for (const auto& h : hist) {
    c[h.item] = 1 + alpha * h.weight;
    p[h.item] = 1;
  }
  const Eigen::VectorXd c_minus_1 = c - Eigen::VectorXd::Ones(n);
  const Eigen::MatrixXd a = gram + yd.transpose() * c_minus_1.asDiagonal() * yd + reg * Eigen::MatrixXd::Identity(k, k);
  return a.ldlt().solve(yd.transpose() * c.asDiagonal() * p);
}

TEST(FoldInTest, MatchesDenseReference) {
  const RowMatrix y = testing::RandomMatrix(50, 8, 1, 0.3f);
  const std::vector<WeightedItem> hist = {{3, 1.f}, {17, 2.5f}, {42, 0.5f}, {9, 1.f}};
  const Vector x = FoldIn(y, Gram(y), hist, 0.1f, 20.f);
  const Eigen::VectorXd ref = DenseFoldIn(y, hist, 0.1, 20.0);
  ASSERT_EQ(x.size(), 8);
  for (int d = 0; d < 8; ++d) EXPECT_NEAR(x[d], ref[d], 1e-5) << "dimension " << d;
}

TEST(FoldInTest, GramEqualsYtY) {
  const RowMatrix y = testing::RandomMatrix(1000, 16, 4);
  const Eigen::MatrixXd ref = y.cast<double>().transpose() * y.cast<double>();
  EXPECT_LT((Gram(y).cast<double>() - ref).cwiseAbs().maxCoeff(), 1e-6 * ref.cwiseAbs().maxCoeff());
}

TEST(FoldInTest, EmptyHistoryIsZero) {
  const RowMatrix y = testing::RandomMatrix(10, 4, 2);
  EXPECT_EQ(FoldIn(y, Gram(y), {}, 0.1f, 20.f), Vector::Zero(4));
}

TEST(FoldInTest, EqualsAlsUserStepOnFixture) {
  // After training, the ALS user half-step with the final item factors is exactly the fold-in:
  // one more iteration's user rows (solved against Y_final) must equal FoldIn row by row.
  std::vector<Interaction> ev;
  for (int u = 0; u < 40; ++u)
    for (int i = 0; i < 30; ++i)
      if ((u * 7 + i * 3) % 5 == 0) ev.push_back({u, i, 1.f + (u % 3), 0});
  const SparseRows m = BuildUserItems(40, 30, ev);
  AlsOptions o;
  o.factors = 6;
  o.iterations = 5;
  o.regularization = 0.1f;
  o.alpha = 10.f;
  o.threads = 1;
  auto model = TrainImplicitAls(m, o);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  const RowMatrix& y = model->item_factors;
  for (int u = 0; u < 40; ++u) {
    std::vector<WeightedItem> hist;
    for (SparseRows::InnerIterator it(m, u); it; ++it) hist.push_back({static_cast<int32_t>(it.col()), it.value()});
    const Vector x = FoldIn(y, Gram(y), hist, o.regularization, o.alpha);
    const Eigen::VectorXd ref = DenseFoldIn(y, hist, o.regularization, o.alpha);
    for (int d = 0; d < 6; ++d) EXPECT_NEAR(x[d], ref[d], 1e-5) << "user " << u;
  }
}

// Implicit-ALS objective (Hu et al. eq. 3) over all cells.
double Objective(const SparseRows& m, const ImplicitModel& mod, double reg, double alpha) {
  const Eigen::MatrixXd pred = (mod.user_factors * mod.item_factors.transpose()).cast<double>();
  Eigen::MatrixXd dense = Eigen::MatrixXd(m.cast<double>());
  double loss = 0;
  for (int u = 0; u < pred.rows(); ++u)
    for (int i = 0; i < pred.cols(); ++i) {
      const double w = dense(u, i), c = 1 + alpha * w, p = w > 0 ? 1 : 0;
      loss += c * (p - pred(u, i)) * (p - pred(u, i));
    }
  return loss + reg * (mod.user_factors.squaredNorm() + mod.item_factors.squaredNorm());
}

TEST(AlsTest, ObjectiveDecreasesEveryIteration) {
  std::mt19937 rng(3);
  std::vector<Interaction> ev;
  for (int u = 0; u < 60; ++u)
    for (int i = 0; i < 40; ++i)
      if (rng() % 6 == 0) ev.push_back({u, i, 1.f, 0});
  const SparseRows m = BuildUserItems(60, 40, ev);
  double prev = 1e300;
  for (int iters = 1; iters <= 6; ++iters) {
    AlsOptions o;
    o.factors = 5;
    o.iterations = iters;
    o.alpha = 5;
    o.threads = 1;
    auto model = TrainImplicitAls(m, o);
    ASSERT_TRUE(model.ok());
    const double obj = Objective(m, *model, o.regularization, o.alpha);
    EXPECT_LE(obj, prev + 1e-6) << "after " << iters << " iterations";
    prev = obj;
  }
}

// Checkerboard fixture (as in the implicit library's tests): two groups of learners who each
// consume one half of the items; a withheld cell of a learner's own half must rank first.
TEST(AlsTest, CheckerboardWithheldItemRanksFirst) {
  const int n_users = 50, n_items = 50;
  std::vector<Interaction> ev;
  for (int u = 0; u < n_users; ++u)
    for (int i = 0; i < n_items; ++i)
      if ((u % 2) == (i % 2) && !(u == 0 && i == 10)) ev.push_back({u, i, 1.f, 0});
  const SparseRows m = BuildUserItems(n_users, n_items, ev);
  AlsOptions o;
  o.factors = 3;
  o.iterations = 10;
  o.regularization = 0.01f;
  o.alpha = 1.f;
  auto model = TrainImplicitAls(m, o);
  ASSERT_TRUE(model.ok());
  std::vector<float> scores(n_items);
  ScoreAll(model->item_factors.data(), nullptr, n_items, 3, model->user_factors.row(0).data(), scores.data());
  std::vector<uint8_t> consumed(n_items, 0);
  for (SparseRows::InnerIterator it(m, 0); it; ++it) consumed[it.col()] = 1;
  const auto top = TopK(scores.data(), n_items, 1, consumed);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].item.value(), 10);
}

TEST(AlsTest, ConjugateGradientMatchesCholesky) {
  std::mt19937 rng(5);
  std::vector<Interaction> ev;
  for (int u = 0; u < 80; ++u)
    for (int i = 0; i < 60; ++i)
      if (rng() % 7 == 0) ev.push_back({u, i, 1.f, 0});
  const SparseRows m = BuildUserItems(80, 60, ev);
  AlsOptions o;
  o.factors = 8;
  o.iterations = 15;
  o.alpha = 5;
  o.regularization = 0.5f;
  auto exact = TrainImplicitAls(m, o);
  o.solver = AlsSolver::kConjugateGradient;
  o.cg_steps = 8;
  auto cg = TrainImplicitAls(m, o);
  ASSERT_TRUE(exact.ok() && cg.ok());
  const double e = Objective(m, *exact, 0.5, 5), c = Objective(m, *cg, 0.5, 5);
  EXPECT_NEAR(c / e, 1.0, 0.01) << "exact " << e << " cg " << c;
}

TEST(AlsTest, RejectsBadOptions) {
  const SparseRows m = BuildUserItems(2, 2, {{0, 0, 1.f, 0}});
  AlsOptions o;
  o.factors = 0;
  EXPECT_EQ(TrainImplicitAls(m, o).status().code(), ErrorCode::kInvalidArgument);
  o.factors = 4;
  o.regularization = -1;
  EXPECT_EQ(TrainImplicitAls(m, o).status().code(), ErrorCode::kInvalidArgument);
}

TEST(InteractionsTest, DuplicatesAreSummed) {
  const SparseRows m = BuildUserItems(2, 3, {{0, 1, 1.f, 0}, {0, 1, 2.f, 0}, {1, 2, 1.f, 0}});
  EXPECT_FLOAT_EQ(m.coeff(0, 1), 3.f);
  EXPECT_EQ(m.nonZeros(), 2);
  EXPECT_EQ(ItemPopularity(m), (std::vector<int32_t>{0, 1, 1}));
}

}  // namespace
}  // namespace pathlight
