// Biased matrix factorization for explicit ratings (Koren, Bell & Volinsky, "Matrix
// Factorization Techniques for Recommender Systems", IEEE Computer 2009):
//   r̂_ui = μ + b_u + b_i + x_uᵀ y_i
// Each side's row is z_u = [b_u; x_u] (length k+1) and the other side's augmented row is
// ỹ_i = [1; y_i]; with one side fixed every row is a ridge problem of dimension k+1.
//
// Two solvers share that row solve:
// * kAls — MAP by alternating least squares with weighted-λ regularization (ALS-WR; Zhou,
//   Wilkinson, Schreiber & Pan, "Large-scale Parallel Collaborative Filtering for the Netflix
//   Prize", AAIM 2008):
//     z_u = (Σ_i ỹ_i ỹ_iᵀ + n_u·diag(λ_b, λ, …, λ))⁻¹ Σ_i (r_ui − μ − b_i) ỹ_i
// * kGibbs — Bayesian biased MF by Gibbs sampling (BPMF; Salakhutdinov & Mnih, "Bayesian
//   Probabilistic Matrix Factorization using Markov Chain Monte Carlo", ICML 2008) with the
//   biases as one more latent dimension. Rows are drawn from their Gaussian conditionals
//     z_u ~ N(P⁻¹(Λ_U μ_U + τ Σ_i (r_ui − μ − b_i) ỹ_i), P⁻¹),   P = Λ_U + τ Σ_i ỹ_i ỹ_iᵀ
//   and each side's prior (μ_U, Λ_U) from its Normal-Wishart conditional (μ₀ = 0, β₀ = 2,
//   W₀ = I, ν₀ = k+1). Predictions average over the samples kept after burn-in; this posterior
//   averaging is what takes ml-100k from ≈0.92 (MAP) to ≈0.895 RMSE.
// Rows are solved in parallel; every random draw comes from a counter-based generator keyed by
// (seed, sweep, side, row), so a seed gives the same model for any thread count.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "pathlight/als.h"
#include "pathlight/fold_in.h"
#include "pathlight/interactions.h"
#include "pathlight/status.h"
#include "pathlight/types.h"

namespace pathlight {

enum class BiasedMfSolver { kAls, kGibbs };

/// Hyperparameters; ranges and tuning advice are in docs/HYPERPARAMETERS.md ("Training").
struct BiasedMfOptions {
  BiasedMfSolver solver = BiasedMfSolver::kGibbs;
  int factors = 50;                  // k, 1..1024
  int iterations = 220;              // sweeps (users then items), ≥ 1; Gibbs: burn_in + kept samples
  int burn_in = 20;                  // Gibbs: sweeps discarded before averaging, < iterations
  float noise_precision = 1.5f;      // Gibbs: τ = 1/σ² of the rating noise, > 0
  float regularization = 0.15f;      // ALS: λ > 0, multiplied by each row's rating count
  float bias_regularization = 0.05f; // ALS: λ_b ≥ 0, multiplied by each row's rating count
  float init_scale = 0.1f;           // initial item factors ~ N(0, init_scale²), seeded
  uint64_t seed = 42;
  int threads = 0;                   // 0 = all hardware threads
  float min_rating = 1.f, max_rating = 5.f;  // training ratings must lie here; predictions are clamped
  float rating_step = 1.f;           // the ratings' grid (0.5: half stars; 0: any value): carried to the bundle
};

/// A trained explicit model. Shapes: user_bias n_users, item_bias n_items, user_factors
/// n_users × k, item_factors n_items × k (row-major). For kGibbs these are posterior means over
/// the kept samples (a point summary for the bundle; predictions for `queries` average the
/// per-sample predictions instead, which is more accurate).
struct BiasedMfModel {
  float global_mean = 0;             // μ, mean training rating
  Vector user_bias, item_bias;
  RowMatrix user_factors, item_factors;
  float min_rating = 1.f, max_rating = 5.f;
  std::vector<float> query_predictions;  // one per query passed to TrainBiasedMf, clamped
  /// How a new learner folds in against these item factors (fold_in.h): the ALS-WR penalties, and
  /// for kGibbs the learned user prior (mean over the kept sweeps, precision divided by τ).
  RatingModel rating_model;
  /// μ + b_u + b_i + x_uᵀy_i from the point model, clamped to [min_rating, max_rating].
  /// Indices must be in range (asserted). Rows without ratings have zero bias and factors (kAls).
  float Predict(int32_t user, int32_t item) const;
};

/// Trains on `ratings` (n_users × n_items; stored values are the ratings, one per pair) and
/// predicts every (user, item) pair of `queries` (indices in range; asserted).
/// Errors: kInvalidArgument (bad options, no ratings, a rating outside [min, max] or non-finite),
/// kDiverged (non-finite factors; suggests a larger λ or a smaller τ).
StatusOr<BiasedMfModel> TrainBiasedMf(const SparseRows& ratings, const BiasedMfOptions& options,
                                      const std::vector<std::pair<int32_t, int32_t>>& queries = {},
                                      const ProgressFn& progress = nullptr);

}  // namespace pathlight
