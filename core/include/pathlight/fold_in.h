// Fold-in: solve one learner's factors with the item factors held fixed.
// Implicit feedback: the ALS user half-step (Hu, Koren & Volinsky 2008, eq. 4) for a single row —
// `recalculate_user` in the implicit library. Explicit ratings: the biased-MF user row as a ridge
// solve (Koren, Bell & Volinsky 2009, with the ALS-WR penalty of Zhou et al. 2008). Both run on
// the learner's device.
#pragma once

#include <cstdint>
#include <vector>

#include "pathlight/types.h"

namespace pathlight {

/// One learner's implicit history: item index, weight w > 0 (confidence c = 1 + α·w) and
/// preference p (1 = positive; 0 = negative feedback such as a dismissal: the item is pushed
/// towards a score of 0 with confidence c).
struct WeightedItem {
  int32_t item = 0;
  float weight = 1.f;
  float preference = 1.f;
};

/// Solves x_u = (YᵀY + Σ_{i∈u}(c_ui − 1) y_i y_iᵀ + λI)⁻¹ Σ_{i∈u} c_ui p_ui y_i   with c_ui = 1 + α·w_ui.
/// `item_factors`: n × k row-major; `gram`: YᵀY, k × k; `history`: indices in [0, n) (asserted), each
/// item once (Recommender::FoldIn merges repeats by summing their weights). Returns a length-k vector (all zeros for
/// an empty history). Cost O(k³ + n_u·k²). Never fails: the system is SPD for λ > 0.
Vector FoldIn(const RowMatrix& item_factors, const Eigen::MatrixXf& gram,
              const std::vector<WeightedItem>& history, float regularization, float alpha);

/// Same solve reading rows through a callback (`row(i, out)` writes y_i into out), so that
/// quantized factor tables can be folded in without a dequantized copy. `k` = dimension.
template <class RowFn>
Vector FoldInRows(int k, const Eigen::MatrixXf& gram, const std::vector<WeightedItem>& history,
                  float regularization, float alpha, RowFn&& row) {
  if (history.empty()) return Vector::Zero(k);
  // Accumulated and solved in double: k ≤ 1024 keeps this O(k³) step cheap, and it makes the
  // result agree with a full re-solve to ~1e-6 even for ill-conditioned learners.
  Eigen::MatrixXd a = gram.cast<double>();
  a.diagonal().array() += regularization;
  Eigen::VectorXd b = Eigen::VectorXd::Zero(k);
  Eigen::VectorXf y(k);
  for (const WeightedItem& h : history) {
    row(h.item, y);
    const double c = 1.0 + static_cast<double>(alpha) * h.weight;
    const Eigen::VectorXd yd = y.cast<double>();
    // A += (c − 1)·y yᵀ ;  b += c·p·y
    a.selfadjointView<Eigen::Lower>().rankUpdate(yd, c - 1.0);
    b.noalias() += (c * h.preference) * yd;
  }
  return a.selfadjointView<Eigen::Lower>().llt().solve(b).cast<float>();
}

/// One explicit rating of an item (a `rate` / `mentor_rated` event), r in [min_rating, max_rating].
struct ItemRating {
  int32_t item = 0;
  float rating = 0;
};

/// What a bundle of an explicit-rating model (biased MF, r̂_ui = μ + b_u + b_i + x_uᵀy_i) adds so
/// that the device can fold a learner's ratings in. Manifest key `model.ratings`
/// (docs/bundle-format.md). Either per-rating penalties (ALS-WR) or, for a Gibbs-trained model, the
/// learned user prior — then the fold-in is the posterior mean of z_u = [b_u; x_u] given the item
/// side (Salakhutdinov & Mnih, "Bayesian Probabilistic Matrix Factorization", ICML 2008).
struct RatingModel {
  float global_mean = 0;           // μ, mean training rating
  float regularization = 0.15f;    // λ > 0 on x_u, multiplied by the learner's rating count
  float bias_regularization = 0.05f;  // λ_b ≥ 0 on b_u, multiplied by the learner's rating count
  float min_rating = 1, max_rating = 5;  // predictions are clamped here; ratings must lie here
  float step = 0;                  // the grid ratings lie on (1 whole stars, 0.5 half stars; 0 any value):
                                   // what a rating control offers (manifest ratings.step, info.ratingStep)
  /// Gibbs models only (else empty): the user prior N(prior_mean, (τ·prior_precision)⁻¹) with τ the
  /// rating-noise precision, i.e. prior_precision = Λ_U/τ — (k+1) × (k+1), symmetric positive
  /// definite; prior_mean length k+1. When set it replaces λ and λ_b.
  Vector prior_mean;
  Eigen::MatrixXf prior_precision;
  bool has_prior() const { return prior_precision.size() > 0; }
};

/// The ridge system of one learner's ratings, z = [b_u; x_u] (length k+1), ỹ_i = [1; y_i]:
///   A = Σ_i ỹ_i ỹ_iᵀ + n_u·diag(λ_b, λ, …, λ),   b = Σ_i (r_ui − μ − b_i) ỹ_i,   z = A⁻¹ b,
/// or with a prior (RatingModel::has_prior): A = P + Σ_i ỹ_i ỹ_iᵀ, b = P·m + Σ_i (r_ui − μ − b_i) ỹ_i.
/// `a` becomes (k+1) × (k+1) (lower triangle authoritative), `b` length k+1. `item_bias`: b_i by item
/// index; `row(i, out)` writes y_i (length k). Items listed twice count twice. With no ratings and
/// no prior A = 0: callers use z = 0 (then b_u = 0 and the learner ranks by item bias); with a
/// prior z = m, the average learner. Cost O(n_u·k²).
template <class RowFn>
void RatingSystem(int k, const std::vector<ItemRating>& ratings, const RatingModel& model, const float* item_bias,
                  RowFn&& row, Eigen::MatrixXd* a, Eigen::VectorXd* b) {
  if (model.has_prior()) {
    *a = model.prior_precision.cast<double>();
    *b = *a * model.prior_mean.cast<double>();
  } else {
    a->setZero(k + 1, k + 1);
    b->setZero(k + 1);
  }
  Eigen::VectorXf y(k);
  Eigen::VectorXd yt(k + 1);
  yt[0] = 1.0;
  for (const ItemRating& r : ratings) {
    row(r.item, y);
    yt.tail(k) = y.cast<double>();
    a->selfadjointView<Eigen::Lower>().rankUpdate(yt, 1.0);
    *b += (static_cast<double>(r.rating) - model.global_mean - item_bias[r.item]) * yt;
  }
  if (model.has_prior()) return;
  const double n = static_cast<double>(ratings.size());
  (*a)(0, 0) += n * model.bias_regularization;
  a->diagonal().tail(k).array() += n * model.regularization;
}

/// Explicit-rating fold-in: z = [b_u; x_u] = A⁻¹b of RatingSystem (no ratings: zeros, or the prior
/// mean). The system is SPD for λ > 0 and at least one rating, or an SPD prior. Returns length k+1
/// (b_u first).
template <class RowFn>
Vector FoldInRatingsRows(int k, const std::vector<ItemRating>& ratings, const RatingModel& model,
                         const float* item_bias, RowFn&& row) {
  if (ratings.empty() && !model.has_prior()) return Vector::Zero(k + 1);
  Eigen::MatrixXd a;
  Eigen::VectorXd b;
  RatingSystem(k, ratings, model, item_bias, row, &a, &b);
  return a.selfadjointView<Eigen::Lower>().llt().solve(b).cast<float>();
}

}  // namespace pathlight
