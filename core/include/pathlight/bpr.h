// Bayesian Personalized Ranking (Rendle, Freudenthaler, Gantner & Schmidt-Thieme, "BPR: Bayesian
// Personalized Ranking from Implicit Feedback", UAI 2009) for a matrix-factorization scorer
//   ŝ_ui = x_uᵀ y_i + b_i.
// LearnBPR: stochastic gradient ascent on Σ ln σ(ŝ_ui − ŝ_uj) − λ‖Θ‖² over triples (u, i, j) with
// i a training item of u drawn uniformly among training pairs and j drawn uniformly among items
// u has not interacted with:
//   x̂ = ŝ_ui − ŝ_uj,  g = σ(−x̂) = 1 / (1 + e^x̂)
//   x_u += η (g (y_i − y_j) − λ x_u);  y_i += η (g x_u − λ y_i);  y_j += η (−g x_u − λ y_j)
//   b_i += η (g − λ b_i);  b_j += η (−g − λ b_j)
// One epoch draws nnz triples. The sampling loop is sequential by design — a seed gives the
// same model bit for bit — and costs O(nnz·k) per epoch (CoCo at k=64: ≈0.1 s).
#pragma once

#include <cstdint>

#include "pathlight/als.h"
#include "pathlight/interactions.h"
#include "pathlight/status.h"
#include "pathlight/types.h"

namespace pathlight {

/// Hyperparameters; ranges and tuning advice are in docs/HYPERPARAMETERS.md ("Training").
struct BprOptions {
  int factors = 64;             // k, 1..1024
  float learning_rate = 0.1f;   // η > 0
  float regularization = 0.01f; // λ ≥ 0 (factors and biases)
  int iterations = 400;         // epochs of nnz sampled triples each, ≥ 1
  float init_scale = 0.1f;      // factors start ~ N(0, init_scale²/k), biases 0
  uint64_t seed = 42;
};

/// Factors n_users × k and n_items × k (row-major) and item biases (n_items).
struct BprModel {
  RowMatrix user_factors;
  RowMatrix item_factors;
  Vector item_bias;
};

/// Trains on the non-zero pattern of `user_items` (weights are ignored: every stored pair is a
/// positive). Learners with no items or with every item are skipped when sampling.
/// Errors: kInvalidArgument (bad options, no interactions), kDiverged (non-finite factors:
/// suggests a larger λ or a smaller η).
StatusOr<BprModel> TrainBpr(const SparseRows& user_items, const BprOptions& options,
                            const ProgressFn& progress = nullptr);

}  // namespace pathlight
