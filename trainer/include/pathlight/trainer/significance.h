// Significance tests used by prerequisite mining (kg_mine.h): exact tails where counts are small,
// normal approximations (with continuity correction) where they are large, and the
// Benjamini–Hochberg step-up procedure for many tests at once.
#pragma once

#include <cstdint>
#include <vector>

namespace pathlight::trainer {

/// P(Z ≥ z) for a standard normal Z. Any finite z; ±∞ give 0 / 1.
double NormalUpperTail(double z);

/// The z with P(Z ≥ z) = p, for p in (0, 1) (Acklam's rational approximation refined by one
/// Halley step: relative error below 1e-12). p ≤ 0 gives +∞, p ≥ 1 gives −∞.
double NormalUpperQuantile(double p);

/// P(X ≥ k) for X ~ Binomial(n, 1/2): the one-sided sign (McNemar) test. Exact (log-space sum of
/// the terms from k outwards, stopped when they no longer change the sum). k ≤ 0 gives 1.
double SignTestUpperTail(int64_t n, int64_t k);

/// P(X ≥ k) for X ~ Hypergeometric(population n, successes in population k_pop, draws m): the
/// one-sided Fisher exact test of positive association between two sets of sizes k_pop and m
/// whose intersection is k. Exact, computed like SignTestUpperTail. Requires 0 ≤ k_pop, m ≤ n.
double HypergeometricUpperTail(int64_t n, int64_t k_pop, int64_t m, int64_t k);

/// One learner's contribution to a signed count D = Σ d_u with d_u ∈ {+1, 0, −1}, taken with
/// probabilities (plus, 1 − plus − minus, minus) under the null hypothesis.
struct SignedOutcome {
  double plus = 0, minus = 0;
};

/// P(D ≥ d) for D = Σ d_u, independent d_u distributed as `outcomes` say. Exact: the distribution
/// of D is built by convolution, O(n²) for n outcomes. Used for small n (≤ 64 learners).
double SignedSumUpperTailExact(const std::vector<SignedOutcome>& outcomes, int64_t d);

/// The same tail by the normal approximation with continuity correction, from the null mean and
/// variance of D: P(Z ≥ (d − ½ − mean) / √variance). variance ≤ 0 gives 1 when d ≤ mean, else 0.
double SignedSumUpperTailNormal(double mean, double variance, int64_t d);

/// Benjamini & Hochberg (1995) at false-discovery rate q: the largest p-value p_(i) with
/// p_(i) ≤ q·i/m among the m p-values; every test with p ≤ that threshold is a discovery.
/// Returns −1 when nothing is discovered (so `p <= threshold` is false for every p ≥ 0).
double BenjaminiHochbergThreshold(std::vector<double> p_values, double q);

}  // namespace pathlight::trainer
