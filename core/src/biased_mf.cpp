#include "pathlight/biased_mf.h"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cmath>
#include <random>
#include <string>

#ifdef _OPENMP
#include <omp.h>
#endif

namespace pathlight {
namespace {

using MatD = Eigen::MatrixXd;
using VecD = Eigen::VectorXd;

// Counter-based normal draws: a SplitMix64 stream keyed by (seed, sweep, side, row), so that the
// draws of a row do not depend on which thread solves it or in which order.
class RowRng {
 public:
  RowRng(uint64_t seed, uint64_t sweep, uint64_t side, uint64_t row)
      : state_(Mix(Mix(Mix(seed ^ 0x9E3779B97F4A7C15ull) ^ sweep) ^ (side << 32 | 0x5bd1e995u)) ^ row) {}
  double Normal() {  // Box-Muller
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u1 = 0;
    while (u1 <= 0) u1 = Uniform();
    const double u2 = Uniform(), r = std::sqrt(-2.0 * std::log(u1)), t = 6.283185307179586 * u2;
    spare_ = r * std::sin(t);
    has_spare_ = true;
    return r * std::cos(t);
  }

 private:
  static uint64_t Mix(uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double Uniform() {
    state_ += 0x9E3779B97F4A7C15ull;
    return static_cast<double>(Mix(state_) >> 11) * 0x1.0p-53;
  }
  uint64_t state_;
  double spare_ = 0;
  bool has_spare_ = false;
};

// The row prior: ALS adds n_r·diag(λ_b, λ…λ) to the normal matrix; Gibbs adds Λ (and Λμ to b).
struct RowPrior {
  bool gibbs = false;
  float reg = 0, bias_reg = 0;  // ALS
  float tau = 1;                // Gibbs noise precision
  MatD lambda;                  // Gibbs prior precision (k+1)²
  VecD lambda_mu;               // Λμ
};

// One half-step over the rows of `m` against the fixed other side `other` (rows [b_j, y_j]):
// writes this side's rows [b_r, x_r] into `self`. Rows without ratings: zeros (ALS) or a draw
// from the prior (Gibbs).
void HalfStep(const SparseRows& m, double mu, const MatD& other, MatD& self, const RowPrior& prior, uint64_t seed,
              uint64_t sweep, uint64_t side) {
  const int d = static_cast<int>(other.cols());
  const int32_t rows = static_cast<int32_t>(m.rows());
#pragma omp parallel
  {
    MatD a(d, d);
    VecD b(d), y(d), e(d);
#pragma omp for schedule(dynamic, 32)
    for (int32_t r = 0; r < rows; ++r) {
      const int64_t n = m.outerIndexPtr()[r + 1] - m.outerIndexPtr()[r];
      if (!prior.gibbs && n == 0) {
        self.row(r).setZero();
        continue;
      }
      const double w = prior.gibbs ? prior.tau : 1.0;
      if (prior.gibbs) {
        a = prior.lambda;
        b = prior.lambda_mu;
      } else {
        a.setZero();
        b.setZero();
        a(0, 0) = static_cast<double>(n) * prior.bias_reg;
        for (int j = 1; j < d; ++j) a(j, j) = static_cast<double>(n) * prior.reg;
      }
      for (SparseRows::InnerIterator it(m, r); it; ++it) {
        y[0] = 1.0;
        y.tail(d - 1) = other.row(it.col()).tail(d - 1).transpose();
        // A += w·ỹỹᵀ ;  b += w·(r − μ − b_j)·ỹ
        a.selfadjointView<Eigen::Lower>().rankUpdate(y, w);
        b.noalias() += (w * (static_cast<double>(it.value()) - mu - other(it.col(), 0))) * y;
      }
      const Eigen::LLT<MatD> llt(a.selfadjointView<Eigen::Lower>());
      VecD z = llt.solve(b);
      if (prior.gibbs) {  // z += L⁻ᵀε, ε ~ N(0, I): a draw with covariance A⁻¹
        RowRng rng(seed, sweep, side, static_cast<uint64_t>(r));
        for (int j = 0; j < d; ++j) e[j] = rng.Normal();
        z.noalias() += llt.matrixU().solve(e);
      }
      self.row(r) = z.transpose();
    }
  }
}

// Wishart(W, ν) draw by the Bartlett decomposition: Λ = (L A)(L A)ᵀ, W = L Lᵀ,
// A lower-triangular with A_jj = sqrt(χ²(ν − j)), A_ij ~ N(0, 1) below the diagonal.
MatD SampleWishart(const MatD& w, double nu, std::mt19937_64& rng) {
  const int d = static_cast<int>(w.rows());
  std::normal_distribution<double> normal(0, 1);
  MatD a = MatD::Zero(d, d);
  for (int j = 0; j < d; ++j) {
    std::chi_squared_distribution<double> chi(nu - j);
    a(j, j) = std::sqrt(chi(rng));
    for (int i = 0; i < j; ++i) a(j, i) = normal(rng);
  }
  const MatD la = Eigen::LLT<MatD>(w).matrixL() * a;
  return la * la.transpose();
}

// Normal-Wishart conditional of one side's prior given its rows Z (N × d), with μ₀ = 0, β₀ = 2,
// W₀ = I, ν₀ = d (Salakhutdinov & Mnih 2008, eq. 14).
void SamplePrior(const MatD& z, std::mt19937_64& rng, RowPrior* prior) {
  const int d = static_cast<int>(z.cols());
  const double n = static_cast<double>(z.rows()), beta0 = 2.0;
  const VecD mean = z.colwise().mean().transpose();
  const MatD centered = z.rowwise() - mean.transpose();
  MatD w_inv = MatD::Identity(d, d) + centered.transpose() * centered +
               (beta0 * n / (beta0 + n)) * mean * mean.transpose();
  MatD w = w_inv.llt().solve(MatD::Identity(d, d));
  w = 0.5 * (w + w.transpose());
  prior->lambda = SampleWishart(w, d + n, rng);
  const VecD mu_star = (n / (beta0 + n)) * mean;
  const Eigen::LLT<MatD> llt((beta0 + n) * prior->lambda);
  std::normal_distribution<double> normal(0, 1);
  VecD e(d);
  for (int j = 0; j < d; ++j) e[j] = normal(rng);
  const VecD mu = mu_star + llt.matrixU().solve(e);
  prior->lambda_mu = prior->lambda * mu;
}

}  // namespace

float BiasedMfModel::Predict(int32_t user, int32_t item) const {
  assert(user >= 0 && user < user_bias.size() && item >= 0 && item < item_bias.size());
  const float p = global_mean + user_bias[user] + item_bias[item] + user_factors.row(user).dot(item_factors.row(item));
  return std::clamp(p, min_rating, max_rating);
}

StatusOr<BiasedMfModel> TrainBiasedMf(const SparseRows& ratings, const BiasedMfOptions& o,
                                      const std::vector<std::pair<int32_t, int32_t>>& queries,
                                      const ProgressFn& progress) {
  const bool gibbs = o.solver == BiasedMfSolver::kGibbs;
  if (o.factors < 1 || o.factors > 1024)
    return Status(ErrorCode::kInvalidArgument, "factors must be in 1..1024, got " + std::to_string(o.factors));
  if (o.iterations < 1) return Status(ErrorCode::kInvalidArgument, "iterations must be >= 1");
  if (gibbs && (o.burn_in < 0 || o.burn_in >= o.iterations))
    return Status(ErrorCode::kInvalidArgument, "burn-in must be in [0, iterations)");
  if (gibbs && !(o.noise_precision > 0 && std::isfinite(o.noise_precision)))
    return Status(ErrorCode::kInvalidArgument, "noise precision tau must be finite and > 0");
  if (!gibbs && (!(o.regularization > 0) || !(o.bias_regularization >= 0) || !std::isfinite(o.regularization) ||
                 !std::isfinite(o.bias_regularization)))
    return Status(ErrorCode::kInvalidArgument, "regularization must be finite and > 0, bias regularization >= 0");
  if (!(o.min_rating < o.max_rating)) return Status(ErrorCode::kInvalidArgument, "min_rating must be < max_rating");
  if (ratings.nonZeros() == 0) return Status(ErrorCode::kInvalidArgument, "no ratings to train on");
  double sum = 0;
  for (int32_t u = 0; u < ratings.outerSize(); ++u)
    for (SparseRows::InnerIterator it(ratings, u); it; ++it) {
      if (!std::isfinite(it.value()) || it.value() < o.min_rating || it.value() > o.max_rating)
        return Status(ErrorCode::kInvalidArgument,
                      "rating " + std::to_string(it.value()) + " of learner " + std::to_string(u) + " is outside [" +
                          std::to_string(o.min_rating) + ", " + std::to_string(o.max_rating) + "]");
      sum += it.value();
    }
#ifdef _OPENMP
  if (o.threads > 0) omp_set_num_threads(o.threads);
#endif
  const int k = o.factors, d = k + 1;
  const double mu = sum / static_cast<double>(ratings.nonZeros());
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<double> init(0.0, o.init_scale);
  MatD users = MatD::Zero(ratings.rows(), d);
  MatD items = MatD::NullaryExpr(ratings.cols(), d, [&] { return init(rng); });
  items.col(0).setZero();
  const SparseRows item_users = ratings.transpose();

  RowPrior user_prior, item_prior;
  for (RowPrior* p : {&user_prior, &item_prior}) {
    p->gibbs = gibbs;
    p->reg = o.regularization;
    p->bias_reg = o.bias_regularization;
    p->tau = o.noise_precision;
    p->lambda = 2.0 * MatD::Identity(d, d);
    p->lambda_mu = VecD::Zero(d);
  }
  MatD user_sum = MatD::Zero(users.rows(), d), item_sum = MatD::Zero(items.rows(), d);
  std::vector<double> query_sum(queries.size(), 0.0);
  MatD prior_lambda_sum = MatD::Zero(d, d);  // Gibbs: the user prior over the kept sweeps
  VecD prior_lambda_mu_sum = VecD::Zero(d);
  int kept = 0;
  for (int it = 1; it <= o.iterations; ++it) {
    const auto t0 = std::chrono::steady_clock::now();
    if (gibbs && it > 1) SamplePrior(users, rng, &user_prior);
    HalfStep(ratings, mu, items, users, user_prior, o.seed, it, 0);
    if (gibbs) SamplePrior(items, rng, &item_prior);
    HalfStep(item_users, mu, users, items, item_prior, o.seed, it, 1);
    if (!users.allFinite() || !items.allFinite())
      return Status(ErrorCode::kDiverged, "biased MF factors became non-finite at iteration " + std::to_string(it) +
                                              "; try a larger regularization (lambda) or a smaller noise precision");
    if (!gibbs || it > o.burn_in) {
      ++kept;
      if (gibbs) {
        user_sum += users;
        item_sum += items;
        prior_lambda_sum += user_prior.lambda;
        prior_lambda_mu_sum += user_prior.lambda_mu;
      }
      if (gibbs || it == o.iterations) {
        const double scale = gibbs ? 1.0 : 0.0;  // ALS: only the final model's predictions count
        if (!gibbs) std::fill(query_sum.begin(), query_sum.end(), 0.0);
#pragma omp parallel for schedule(static)
        for (int64_t q = 0; q < static_cast<int64_t>(queries.size()); ++q) {
          const auto [u, i] = queries[q];
          const double p = mu + users(u, 0) + items(i, 0) + users.row(u).tail(k).dot(items.row(i).tail(k));
          query_sum[q] = query_sum[q] * scale + p;
        }
      }
    }
    if (progress) progress(it, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  if (gibbs) {
    users = user_sum / kept;
    items = item_sum / kept;
  }
  BiasedMfModel model;
  model.global_mean = static_cast<float>(mu);
  model.min_rating = o.min_rating;
  model.max_rating = o.max_rating;
  model.user_bias = users.col(0).cast<float>();
  model.item_bias = items.col(0).cast<float>();
  model.user_factors = users.rightCols(k).cast<float>();
  model.item_factors = items.rightCols(k).cast<float>();
  model.rating_model.global_mean = model.global_mean;
  model.rating_model.regularization = o.regularization;
  model.rating_model.bias_regularization = o.bias_regularization;
  model.rating_model.min_rating = o.min_rating;
  model.rating_model.max_rating = o.max_rating;
  model.rating_model.step = o.rating_step;
  if (gibbs) {  // mean prior over the kept sweeps, in units of the noise: P = Λ̄/τ, m = Λ̄⁻¹·(Λμ)‾
    const MatD lambda = prior_lambda_sum / kept;
    model.rating_model.prior_mean = lambda.llt().solve(prior_lambda_mu_sum / kept).cast<float>();
    model.rating_model.prior_precision = (lambda / static_cast<double>(o.noise_precision)).cast<float>();
  }
  model.query_predictions.resize(queries.size());
  const double denom = gibbs ? kept : 1;
  for (size_t q = 0; q < queries.size(); ++q)
    model.query_predictions[q] =
        static_cast<float>(std::clamp(query_sum[q] / denom, static_cast<double>(o.min_rating),
                                      static_cast<double>(o.max_rating)));
  return model;
}

}  // namespace pathlight
