#include "pathlight/trainer/significance.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pathlight::trainer {
namespace {

// Σ_{x=k}^{hi} exp(log_term(x)) where the terms are unimodal in x and k lies at or past the mode:
// they only fall from k on, so the sum stops once a term no longer changes it.
template <class LogTerm>
double SumFalling(int64_t k, int64_t hi, LogTerm log_term) {
  const double first = log_term(k);
  double sum = 0;
  for (int64_t x = k; x <= hi; ++x) {
    const double t = std::exp(log_term(x) - first);
    sum += t;
    if (t < 1e-17 * sum) break;
  }
  return std::exp(first) * sum;
}

double LogChoose(int64_t n, int64_t k) {
  return std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(k) + 1) -
         std::lgamma(static_cast<double>(n - k) + 1);
}

}  // namespace

double NormalUpperTail(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

double NormalUpperQuantile(double p) {
  if (!(p > 0)) return std::numeric_limits<double>::infinity();
  if (!(p < 1)) return -std::numeric_limits<double>::infinity();
  // Acklam's approximation of the lower-tail quantile Φ⁻¹(q), q = 1 − p.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01,  -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  const double q = 1 - p;
  const double lo = 0.02425;
  double x;
  if (q < lo) {
    const double r = std::sqrt(-2 * std::log(q));
    x = (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) /
        ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
  } else if (q <= 1 - lo) {
    const double s = q - 0.5, r = s * s;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * s /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const double r = std::sqrt(-2 * std::log(p));  // p = 1 − q, taken directly for precision
    x = -(((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) /
        ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
  }
  // One Halley step on Φ(x) = q, with Φ(x) = 1 − NormalUpperTail(x) computed as the upper tail of −x.
  const double e = NormalUpperTail(-x) - q;
  constexpr double kSqrtTwoPi = 2.50662827463100050242;
  const double u = e * kSqrtTwoPi * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

double SignTestUpperTail(int64_t n, int64_t k) {
  if (k <= 0) return 1;
  if (k > n) return 0;
  const double log_half_n = static_cast<double>(n) * std::log(0.5);
  auto term = [&](int64_t x) { return LogChoose(n, x) + log_half_n; };
  // The mode is n/2: from k ≥ n/2 the terms fall; below it, take 1 − P(X ≤ k − 1) = 1 − P(X ≥ n − k + 1).
  if (2 * k >= n) return std::min(1.0, SumFalling(k, n, term));
  return std::max(0.0, 1 - SumFalling(n - k + 1, n, term));
}

double HypergeometricUpperTail(int64_t n, int64_t k_pop, int64_t m, int64_t k) {
  const int64_t lo = std::max<int64_t>(0, m - (n - k_pop)), hi = std::min(k_pop, m);
  if (k <= lo) return 1;
  if (k > hi) return 0;
  const double log_total = LogChoose(n, m);
  auto term = [&](int64_t x) { return LogChoose(k_pop, x) + LogChoose(n - k_pop, m - x) - log_total; };
  // Mode ⌊(m + 1)(k_pop + 1) / (n + 2)⌋: past it the terms fall.
  const int64_t mode = static_cast<int64_t>(std::floor((static_cast<double>(m) + 1) * (static_cast<double>(k_pop) + 1) /
                                                       (static_cast<double>(n) + 2)));
  if (k > mode) return std::min(1.0, SumFalling(k, hi, term));
  // At or below the mode: 1 − P(X ≤ k − 1), summing downwards from k − 1 (the terms fall that way).
  auto down = [&](int64_t j) { return term(k - 1 - j); };
  return std::max(0.0, 1 - SumFalling(0, k - 1 - lo, down));
}

double SignedSumUpperTailExact(const std::vector<SignedOutcome>& outcomes, int64_t d) {
  const int64_t n = static_cast<int64_t>(outcomes.size());
  if (d > n) return 0;
  if (d <= -n) return 1;
  // dist[s + n] = P(D = s) over the outcomes convolved so far.
  std::vector<double> dist(2 * n + 1, 0.0), next(2 * n + 1);
  dist[n] = 1;
  for (const SignedOutcome& o : outcomes) {
    const double zero = std::max(0.0, 1 - o.plus - o.minus);
    std::fill(next.begin(), next.end(), 0.0);
    for (int64_t s = 0; s <= 2 * n; ++s) {
      if (dist[s] == 0) continue;
      next[s] += dist[s] * zero;
      if (s + 1 <= 2 * n) next[s + 1] += dist[s] * o.plus;
      if (s >= 1) next[s - 1] += dist[s] * o.minus;
    }
    dist.swap(next);
  }
  double tail = 0;
  for (int64_t s = std::max<int64_t>(d, -n); s <= n; ++s) tail += dist[s + n];
  return std::min(1.0, tail);
}

double SignedSumUpperTailNormal(double mean, double variance, int64_t d) {
  if (!(variance > 0)) return static_cast<double>(d) <= mean ? 1.0 : 0.0;
  return NormalUpperTail((static_cast<double>(d) - 0.5 - mean) / std::sqrt(variance));
}

double BenjaminiHochbergThreshold(std::vector<double> p, double q) {
  if (p.empty()) return -1;
  std::sort(p.begin(), p.end());
  const double m = static_cast<double>(p.size());
  double threshold = -1;
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i] <= q * static_cast<double>(i + 1) / m) threshold = p[i];
  return threshold;
}

}  // namespace pathlight::trainer
