#include "pathlight/bpr.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <random>
#include <string>

namespace pathlight {

StatusOr<BprModel> TrainBpr(const SparseRows& m, const BprOptions& o, const ProgressFn& progress) {
  if (o.factors < 1 || o.factors > 1024)
    return Status(ErrorCode::kInvalidArgument, "factors must be in 1..1024, got " + std::to_string(o.factors));
  if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate) || !(o.regularization >= 0) ||
      !std::isfinite(o.regularization))
    return Status(ErrorCode::kInvalidArgument, "learning rate must be finite and > 0, regularization >= 0");
  if (o.iterations < 1) return Status(ErrorCode::kInvalidArgument, "iterations must be >= 1");
  if (m.nonZeros() == 0 || m.cols() < 2) return Status(ErrorCode::kInvalidArgument, "no interactions to train on");
  const int k = o.factors;
  const int32_t n_items = static_cast<int32_t>(m.cols());
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<float> init(0.f, o.init_scale / std::sqrt(static_cast<float>(k)));
  BprModel model;
  model.user_factors = RowMatrix::NullaryExpr(m.rows(), k, [&] { return init(rng); });
  model.item_factors = RowMatrix::NullaryExpr(n_items, k, [&] { return init(rng); });
  model.item_bias = Vector::Zero(n_items);

  // Training pairs (u, position in row u), sampled uniformly; rows must leave a negative to draw.
  std::vector<int32_t> pair_user;
  pair_user.reserve(m.nonZeros());
  for (int32_t u = 0; u < m.rows(); ++u) {
    const int64_t n = m.outerIndexPtr()[u + 1] - m.outerIndexPtr()[u];
    if (n < n_items)
      for (int64_t j = 0; j < n; ++j) pair_user.push_back(u);
  }
  if (pair_user.empty()) return Status(ErrorCode::kInvalidArgument, "every learner has interacted with every item");
  const int32_t* outer = m.outerIndexPtr();
  const int32_t* inner = m.innerIndexPtr();
  std::uniform_int_distribution<size_t> pick_pair(0, pair_user.size() - 1);
  std::uniform_int_distribution<int32_t> pick_item(0, n_items - 1);
  Eigen::VectorXf xu(k), diff(k);
  const float eta = o.learning_rate, reg = o.regularization;
  for (int it = 1; it <= o.iterations; ++it) {
    const auto t0 = std::chrono::steady_clock::now();
    for (size_t s = 0; s < pair_user.size(); ++s) {
      const int32_t u = pair_user[pick_pair(rng)];
      const int32_t* row = inner + outer[u];
      const int32_t len = outer[u + 1] - outer[u];
      const int32_t i = row[std::uniform_int_distribution<int32_t>(0, len - 1)(rng)];
      int32_t j;
      do j = pick_item(rng);
      while (std::binary_search(row, row + len, j));  // rows are sorted by column
      auto x = model.user_factors.row(u);
      auto yi = model.item_factors.row(i);
      auto yj = model.item_factors.row(j);
      float& bi = model.item_bias[i];
      float& bj = model.item_bias[j];
      const float xuij = x.dot(yi - yj) + bi - bj;
      const float g = 1.f / (1.f + std::exp(xuij));  // σ(−x̂)
      xu = x.transpose();
      diff = (yi - yj).transpose();
      x += eta * (g * diff.transpose() - reg * x);
      yi += eta * (g * xu.transpose() - reg * yi);
      yj += eta * (-g * xu.transpose() - reg * yj);
      bi += eta * (g - reg * bi);
      bj += eta * (-g - reg * bj);
    }
    if (!model.user_factors.allFinite() || !model.item_factors.allFinite() || !model.item_bias.allFinite()) {
      // Each step shrinks a factor by eta·lambda of itself: at eta·lambda ≥ 1 that step overshoots
      // (x ← x(1 − eta·lambda) + …), so a larger lambda only makes it worse.
      const double shrink = static_cast<double>(eta) * reg;
      char product[32];
      std::snprintf(product, sizeof product, "%.3g", shrink);
      return Status(ErrorCode::kDiverged,
                    "BPR factors became non-finite at epoch " + std::to_string(it) +
                        (shrink >= 1 ? "; learning rate x regularization = " + std::string(product) +
                                           " >= 1 makes each step's shrink (-eta*lambda*x) overshoot: lower either, so that "
                                           "their product is below 1"
                                     : std::string("; try a larger regularization (lambda) or a smaller learning rate")));
    }
    if (progress) progress(it, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return model;
}

}  // namespace pathlight
