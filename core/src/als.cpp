#include "pathlight/als.h"

#include <chrono>
#include <cmath>
#include <random>
#include <string>

#include "pathlight/fold_in.h"

#ifdef _OPENMP
#include <omp.h>
#endif

namespace pathlight {
namespace {

// Exact row solve: x_u = (YᵀY + Yᵀ(C_u − I)Y + λI)⁻¹ YᵀC_u p_u — the fold-in itself.
void SolveRowCholesky(const RowMatrix& y, const Eigen::MatrixXf& gram, const SparseRows& m,
                      int32_t row, float reg, float alpha, Eigen::Ref<Eigen::RowVectorXf> out,
                      std::vector<WeightedItem>& scratch) {
  scratch.clear();
  for (SparseRows::InnerIterator it(m, row); it; ++it) scratch.push_back({static_cast<int32_t>(it.col()), it.value()});
  out = FoldIn(y, gram, scratch, reg, alpha).transpose();
}

// Conjugate-gradient row solve (Takács et al. 2011, Alg. 2), warm-started from `out`.
// A x = (YᵀY + λI)x + Σ_i (c_ui − 1)(y_iᵀx) y_i ;  b = Σ_i c_ui y_i.
void SolveRowCg(const RowMatrix& y, const Eigen::MatrixXf& gram, const SparseRows& m, int32_t row,
                float reg, float alpha, int steps, Eigen::Ref<Eigen::RowVectorXf> out) {
  const int k = static_cast<int>(y.cols());
  Eigen::VectorXf x = out.transpose();
  // r = b − A x
  Eigen::VectorXf r = -(gram * x) - reg * x;
  for (SparseRows::InnerIterator it(m, row); it; ++it) {
    const auto yi = y.row(it.col()).transpose();
    const float c = 1.f + alpha * it.value();
    r.noalias() += (c - (c - 1.f) * yi.dot(x)) * yi;
  }
  Eigen::VectorXf p = r, ap(k);
  float rsold = r.squaredNorm();
  for (int s = 0; s < steps && rsold > 1e-20f; ++s) {
    ap.noalias() = gram * p + reg * p;
    for (SparseRows::InnerIterator it(m, row); it; ++it) {
      const auto yi = y.row(it.col()).transpose();
      ap.noalias() += (alpha * it.value() * yi.dot(p)) * yi;
    }
    const float step = rsold / p.dot(ap);
    x.noalias() += step * p;
    r.noalias() -= step * ap;
    const float rsnew = r.squaredNorm();
    p = r + (rsnew / rsold) * p;
    rsold = rsnew;
  }
  out = x.transpose();
}

// One half-step: solve every row of `x` against fixed `y` for the rows of `m`.
void HalfStep(const SparseRows& m, const RowMatrix& y, RowMatrix& x, const AlsOptions& o) {
  const Eigen::MatrixXf gram = Gram(y);
  const int32_t rows = static_cast<int32_t>(m.rows());
#pragma omp parallel
  {
    std::vector<WeightedItem> scratch;
#pragma omp for schedule(dynamic, 256)
    for (int32_t u = 0; u < rows; ++u) {
      if (o.solver == AlsSolver::kCholesky)
        SolveRowCholesky(y, gram, m, u, o.regularization, o.alpha, x.row(u), scratch);
      else
        SolveRowCg(y, gram, m, u, o.regularization, o.alpha, o.cg_steps, x.row(u));
    }
  }
}

}  // namespace

Eigen::MatrixXf Gram(const RowMatrix& y) {
  const int k = static_cast<int>(y.cols());
  // Accumulated in double (n can be millions), stored as float.
  Eigen::MatrixXd g = Eigen::MatrixXd::Zero(k, k);
  g.selfadjointView<Eigen::Lower>().rankUpdate(y.transpose().cast<double>());
  g.triangularView<Eigen::StrictlyUpper>() = g.transpose();
  return g.cast<float>();
}

StatusOr<ImplicitModel> TrainImplicitAls(const SparseRows& user_items, const AlsOptions& o,
                                         const ProgressFn& progress) {
  if (o.factors < 1 || o.factors > 1024)
    return Status(ErrorCode::kInvalidArgument, "factors must be in 1..1024, got " + std::to_string(o.factors));
  if (!(o.regularization >= 0) || !(o.alpha >= 0) || !std::isfinite(o.regularization) || !std::isfinite(o.alpha))
    return Status(ErrorCode::kInvalidArgument, "regularization and alpha must be finite and >= 0");
  if (o.iterations < 1 || o.cg_steps < 1)
    return Status(ErrorCode::kInvalidArgument, "iterations and cg_steps must be >= 1");
  if (user_items.rows() == 0 || user_items.cols() == 0)
    return Status(ErrorCode::kInvalidArgument, "no learners or no items to train on");
#ifdef _OPENMP
  if (o.threads > 0) omp_set_num_threads(o.threads);
#endif
  const int k = o.factors;
  ImplicitModel model;
  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<float> init(0.f, o.init_scale);
  model.user_factors = RowMatrix::NullaryExpr(user_items.rows(), k, [&] { return init(rng); });
  model.item_factors = RowMatrix::NullaryExpr(user_items.cols(), k, [&] { return init(rng); });
  const SparseRows item_users = user_items.transpose();  // n_items × n_users, row-major
  for (int it = 1; it <= o.iterations; ++it) {
    const auto t0 = std::chrono::steady_clock::now();
    HalfStep(user_items, model.item_factors, model.user_factors, o);
    HalfStep(item_users, model.user_factors, model.item_factors, o);
    if (!model.item_factors.allFinite() || !model.user_factors.allFinite())
      return Status(ErrorCode::kDiverged, "factors became non-finite at iteration " + std::to_string(it) +
                                              "; try a larger regularization (lambda)");
    if (progress)
      progress(it, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return model;
}

}  // namespace pathlight
