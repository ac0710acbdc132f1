// Implicit-feedback matrix factorization by alternating least squares.
//
// Model (Hu, Koren & Volinsky, "Collaborative Filtering for Implicit Feedback Datasets",
// ICDM 2008): preference p_ui = 1 if w_ui > 0 else 0, confidence c_ui = 1 + α·w_ui, and
//   min_{X,Y}  Σ_{u,i} c_ui (p_ui − x_uᵀ y_i)² + λ (Σ_u ‖x_u‖² + Σ_i ‖y_i‖²).
// Each half-step solves, for every row u independently (Y fixed):
//   x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ YᵀC_u p_u                                   (eq. 4)
// using the shared Gram matrix YᵀY, so a row costs O(k³ + n_u·k²). The same solve with Y
// fixed is the **fold-in** of a new learner (the browser does exactly this; see fold_in.h).
//
// Solvers: exact Cholesky (LLT) per row, or conjugate gradient warm-started from the previous
// row value (Takács, Pilászy & Tikk, "Applications of the conjugate gradient method for
// implicit feedback collaborative filtering", RecSys 2011), O(cg_steps·(k² + n_u·k)) per row.
#pragma once

#include <cstdint>
#include <functional>

#include "pathlight/interactions.h"
#include "pathlight/status.h"
#include "pathlight/types.h"

namespace pathlight {

enum class AlsSolver { kCholesky, kConjugateGradient };

/// Hyperparameters; ranges and tuning advice are in docs/HYPERPARAMETERS.md.
struct AlsOptions {
  int factors = 64;              // k, latent dimension, 1..1024
  float regularization = 0.1f;   // λ ≥ 0 (L2 on every factor row, not scaled by n_u)
  float alpha = 20.f;            // α ≥ 0, confidence slope: c = 1 + α·w
  int iterations = 8;            // full X-then-Y sweeps, ≥ 1
  AlsSolver solver = AlsSolver::kCholesky;
  int cg_steps = 3;              // CG iterations per row (kConjugateGradient only), ≥ 1
  float init_scale = 0.01f;      // factors start ~ U(−s, s)·... seeded
  uint64_t seed = 42;            // same seed + same data ⇒ bit-identical model (single thread)
  int threads = 0;               // 0 = all hardware threads
};

/// Trained factors. `user_factors` is n_users × k, `item_factors` is n_items × k (row-major).
struct ImplicitModel {
  RowMatrix user_factors;
  RowMatrix item_factors;
};

/// Called after each iteration with (iteration index from 1, seconds spent in it).
using ProgressFn = std::function<void(int iteration, double seconds)>;

/// Trains on `user_items` (weights w ≥ 0). Errors: kInvalidArgument for bad options,
/// kDiverged when a factor becomes non-finite (suggests a larger λ).
StatusOr<ImplicitModel> TrainImplicitAls(const SparseRows& user_items, const AlsOptions& options,
                                         const ProgressFn& progress = nullptr);

/// Gram matrix YᵀY (k × k, symmetric) of row-major factors `y` (n × k).
Eigen::MatrixXf Gram(const RowMatrix& y);

}  // namespace pathlight
