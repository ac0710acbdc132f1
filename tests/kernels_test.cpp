// Every scoring kernel against a scalar reference computed in double: ScoreAll (f32),
// ScoreAllInt8 (int8 + row scales) and FactorTable::Score for every encoding, over shapes that
// exercise the 4-row blocks and their tails (n and k not multiples of 4, 16 or the int8 kernel's
// 256-dimension chunks), int8 extremes −128/127, zero and tiny learner vectors, and NaN/∞; and
// ScoreAllInt8 bit for bit against a slow reference of its own quantized integer arithmetic.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "pathlight/factor_table.h"
#include "pathlight/topk.h"
#include "test_util.h"

namespace pathlight {
namespace {

// Reference: Σ_d y_id·u_d (+ b_i) in double, one row at a time.
std::vector<double> Reference(const std::vector<float>& y, const float* bias, int n, int k, const std::vector<float>& u) {
  std::vector<double> out(n);
  for (int i = 0; i < n; ++i) {
    double s = 0;
    for (int d = 0; d < k; ++d) s += static_cast<double>(y[static_cast<size_t>(i) * k + d]) * u[d];
    out[i] = s + (bias != nullptr ? bias[i] : 0.0);
  }
  return out;
}

// Error bound for a length-k f32 dot product: (k + 2)·eps·(Σ|y_d·u_d| + |b|). `quantized` adds
// the int8 kernel's learner-quantization term Σ|y_d|·max|u|·(1/2 + 2⁻⁹)/32767: it represents each
// u_d as s·round(u_d / s) with s = max|u| / 32767, off by at most s/2 plus the f32 rounding of
// u_d / s (|u_d / s| ≤ 32767, so that rounding is below 2⁻⁹).
std::vector<double> ErrorBound(const std::vector<float>& y, const float* bias, int n, int k, const std::vector<float>& u,
                               bool quantized = false) {
  std::vector<double> out(n);
  const double eps = std::numeric_limits<float>::epsilon();
  double umax = 0;
  for (float v : u) umax = std::max(umax, std::fabs(static_cast<double>(v)));
  for (int i = 0; i < n; ++i) {
    double a = 0, ay = 0;
    for (int d = 0; d < k; ++d) {
      const double yd = y[static_cast<size_t>(i) * k + d];
      a += std::fabs(yd * u[d]);
      ay += std::fabs(yd);
    }
    out[i] = (k + 2) * eps * (a + (bias != nullptr ? std::fabs(bias[i]) : 0.0)) + 1e-30;
    if (quantized) out[i] += ay * umax * (0.5 + std::ldexp(1.0, -9)) / 32767;
  }
  return out;
}

std::vector<float> Uniform(size_t count, uint32_t seed, float lo = -1.f, float hi = 1.f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(count);
  for (float& x : v) x = dist(rng);
  return v;
}

std::vector<int8_t> RandomInt8(size_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<int8_t> v(count);
  for (int8_t& x : v) x = static_cast<int8_t>(static_cast<int32_t>(rng() % 256) - 128);
  return v;
}

// The shapes: n around the 4-row blocks, k around the 4-, 16- and 256-wide steps and the k the
// WebAssembly f32 kernel unrolls completely (32, 64, 128).
const int kRows[] = {0, 1, 3, 4, 5, 7, 8, 13, 64, 101};
const int kDims[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 64, 65, 128, 255, 256, 257, 600};

TEST(KernelsTest, ScoreAllMatchesReferenceForEveryShape) {
  for (int n : kRows)
    for (int k : kDims)
      for (bool with_bias : {false, true}) {
        const auto y = Uniform(static_cast<size_t>(n) * k, 1000 + n * 7 + k);
        const auto u = Uniform(k, 17 + k, -3.f, 3.f);
        const auto b = Uniform(n, 5 + n);
        const float* bias = with_bias ? b.data() : nullptr;
        std::vector<float> s(n + 1, -7.f);  // one guard element past the end
        ScoreAll(y.data(), bias, n, k, u.data(), s.data());
        const auto ref = Reference(y, bias, n, k, u);
        const auto tol = ErrorBound(y, bias, n, k, u);
        for (int i = 0; i < n; ++i) EXPECT_NEAR(s[i], ref[i], tol[i]) << "n=" << n << " k=" << k << " row " << i;
        EXPECT_EQ(s[n], -7.f) << "wrote past the end, n=" << n << " k=" << k;
      }
}

// int8 rows with scales: reference on the dequantized values s_i·q_id.
void CheckInt8(const std::vector<int8_t>& q, const std::vector<float>& scales, const float* bias, int n, int k,
               const std::vector<float>& u, const std::string& what) {
  std::vector<float> y(q.size());
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < k; ++d) y[static_cast<size_t>(i) * k + d] = scales[i] * q[static_cast<size_t>(i) * k + d];
  std::vector<float> s(n + 1, -7.f);
  ScoreAllInt8(q.data(), scales.data(), bias, n, k, u.data(), s.data());
  const auto ref = Reference(y, bias, n, k, u);
  const auto tol = ErrorBound(y, bias, n, k, u, /*quantized=*/true);
  for (int i = 0; i < n; ++i) {
    if (std::isnan(ref[i])) {
      EXPECT_TRUE(std::isnan(s[i])) << what << " row " << i;
    } else if (std::isinf(ref[i])) {
      EXPECT_EQ(s[i], ref[i]) << what << " row " << i;
    } else {
      EXPECT_NEAR(s[i], ref[i], tol[i]) << what << " row " << i;
    }
  }
  EXPECT_EQ(s[n], -7.f) << what << ": wrote past the end";
}

// Slow reference for the int8 kernel's own arithmetic, one row and one element at a time: per
// chunk of ≤ 256 dimensions, s = max|u| / 32767 and h_d = round(u_d / s) in f32; the chunk adds
// s·(Σ_d q_id·h_d) (the sum formed exactly in int64 and checked to fit int32); then the row scale
// and the bias. Finite learner vectors with max|u| ≥ 2⁻⁹⁶ only (others take the f32 path).
std::vector<float> QuantizedReference(const std::vector<int8_t>& q, const std::vector<float>& scales, const float* bias,
                                      int n, int k, const std::vector<float>& u) {
  std::vector<float> out(n);
  for (int i = 0; i < n; ++i) {
    float acc = 0;
    for (int c0 = 0; c0 < k; c0 += 256) {
      const int len = std::min(256, k - c0);
      float amax = 0;
      for (int d = 0; d < len; ++d) amax = std::max(amax, std::fabs(u[c0 + d]));
      const float s = amax / 32767.f;
      int64_t sum = 0;
      for (int d = 0; d < len; ++d) {
        const int64_t h = amax == 0 ? 0 : static_cast<int64_t>(std::nearbyint(u[c0 + d] / s));
        EXPECT_LE(std::abs(h), 32767);
        sum += q[static_cast<size_t>(i) * k + c0 + d] * h;
      }
      EXPECT_LT(std::abs(sum), int64_t{1} << 31);
      const float part = s * static_cast<float>(static_cast<int32_t>(sum));
      acc = c0 == 0 ? part : acc + part;
    }
    acc = scales[i] * acc;
    out[i] = bias != nullptr ? acc + bias[i] : acc;
  }
  return out;
}

// Against the double reference within the error bound and, bit for bit, against the slow
// reference of the kernel's own arithmetic (its integer sums are exact in any order): SIMD blocks,
// tails and multi-chunk rows alike.
TEST(KernelsTest, ScoreAllInt8MatchesReferenceForEveryShape) {
  for (int n : kRows)
    for (int k : kDims)
      for (bool with_bias : {false, true}) {
        const auto q = RandomInt8(static_cast<size_t>(n) * k, 2000 + n * 7 + k);
        const auto scales = Uniform(n, 3 + n, 0.001f, 0.05f);
        const auto u = Uniform(k, 19 + k, -3.f, 3.f);
        const auto b = Uniform(n, 5 + n);
        const float* bias = with_bias ? b.data() : nullptr;
        const std::string what = "n=" + std::to_string(n) + " k=" + std::to_string(k) + (with_bias ? " bias" : "");
        CheckInt8(q, scales, bias, n, k, u, what);
        std::vector<float> s(n);
        ScoreAllInt8(q.data(), scales.data(), bias, n, k, u.data(), s.data());
        const auto exact = QuantizedReference(q, scales, bias, n, k, u);
        for (int i = 0; i < n; ++i) EXPECT_EQ(s[i], exact[i]) << what << " row " << i;
      }
}

// All −128 or all 127 against a learner vector at ±max: the largest integer sums the kernel can
// form. k = 1500 spans six 256-dimension chunks; one chunk alone would overflow int32 if the
// kernel did not split (1500·128·32767 > 2³¹).
TEST(KernelsTest, ScoreAllInt8AtInt8Extremes) {
  for (int k : {3, 8, 64, 256, 257, 1500})
    for (int8_t v : {int8_t{-128}, int8_t{127}}) {
      const int n = 6;
      std::vector<int8_t> q(static_cast<size_t>(n) * k, v);
      for (int d = 0; d < k; d += 2) q[static_cast<size_t>(n - 1) * k + d] = d % 4 == 0 ? -128 : 127;  // mixed row
      const std::vector<float> scales(n, 0.02f);
      std::vector<float> u(k, 2.5f);
      for (int d = 1; d < k; d += 3) u[d] = -2.5f;
      CheckInt8(q, scales, nullptr, n, k, u, "k=" + std::to_string(k) + " value " + std::to_string(v));
      std::fill(u.begin(), u.end(), -1e6f);
      CheckInt8(q, scales, nullptr, n, k, u, "k=" + std::to_string(k) + " value " + std::to_string(v) + " u=-1e6");
    }
}

TEST(KernelsTest, ScoreAllInt8WithZeroTinyAndNonFiniteLearners) {
  const int n = 9, k = 70;
  const auto q = RandomInt8(static_cast<size_t>(n) * k, 77);
  const auto scales = Uniform(n, 78, 0.001f, 0.05f);
  const auto b = Uniform(n, 79);
  // All-zero learner (an empty history folds in to zeros): scores are exactly the biases.
  std::vector<float> zero(k, 0.f), s(n);
  ScoreAllInt8(q.data(), scales.data(), b.data(), n, k, zero.data(), s.data());
  for (int i = 0; i < n; ++i) EXPECT_EQ(s[i], b[i]);
  // Tiny (subnormal-range) values take the f32 path and still match.
  std::vector<float> tiny = Uniform(k, 80, -1e-37f, 1e-37f);
  tiny[3] = 1e-42f;
  CheckInt8(q, scales, nullptr, n, k, tiny, "tiny learner");
  // A wide dynamic range within one learner vector.
  std::vector<float> wide = Uniform(k, 81);
  wide[0] = 3e4f;
  wide[1] = 1e-6f;
  CheckInt8(q, scales, b.data(), n, k, wide, "wide learner");
  // NaN and ∞ propagate as in plain f32 arithmetic.
  std::vector<float> bad = Uniform(k, 82);
  bad[5] = std::numeric_limits<float>::quiet_NaN();
  ScoreAllInt8(q.data(), scales.data(), nullptr, n, k, bad.data(), s.data());
  for (int i = 0; i < n; ++i) EXPECT_TRUE(std::isnan(s[i])) << "row " << i;
  bad[5] = std::numeric_limits<float>::infinity();
  CheckInt8(q, scales, nullptr, n, k, bad, "infinite learner");
}

// The same kernels through FactorTable::Score, for every encoding, against the reference on the
// table's own dequantized rows (FactorTable::Row).
TEST(KernelsTest, FactorTableScoreMatchesReferenceForEveryEncoding) {
  for (FactorEncoding e : {FactorEncoding::kF32, FactorEncoding::kF16, FactorEncoding::kInt8})
    for (int n : {1, 5, 31, 32, 33, 70})
      for (int k : {1, 3, 8, 17, 64, 65}) {
        const RowMatrix y = testing::RandomMatrix(n, k, 31 + n * k);
        const FactorTable t = FactorTable::Encode(y, e);
        const RowMatrix yh = t.Dequantized();
        const std::vector<float> flat(yh.data(), yh.data() + yh.size());
        const auto u = Uniform(k, 33 + k, -2.f, 2.f);
        const auto b = Uniform(n, 34 + n);
        for (const float* bias : {static_cast<const float*>(nullptr), b.data()}) {
          std::vector<float> s(n);
          t.Score(u.data(), bias, s.data());
          const auto ref = Reference(flat, bias, n, k, u);
          const auto tol = ErrorBound(flat, bias, n, k, u, /*quantized=*/e == FactorEncoding::kInt8);
          for (int i = 0; i < n; ++i)
            EXPECT_NEAR(s[i], ref[i], tol[i]) << FactorEncodingName(e) << " n=" << n << " k=" << k << " row " << i;
        }
      }
}

// f16 decoding inside Score must be exact for every half value: subnormals, the largest finite
// value and ∞ included (NaN rows give NaN).
TEST(KernelsTest, FactorTableF16ScoreDecodesEveryHalfExactly) {
  const int k = 4;
  // Decode rejects ∞/NaN, so score every finite half through a decoded table, one row per half
  // (the half in column 0, zeros elsewhere).
  std::vector<uint16_t> finite, rows;
  for (uint32_t h = 0; h < 0x10000u; ++h)
    if ((h & 0x7c00u) != 0x7c00u) finite.push_back(static_cast<uint16_t>(h));
  for (uint16_t h : finite) rows.insert(rows.end(), {h, 0, 0, 0});
  const int m = static_cast<int>(finite.size());
  auto t = FactorTable::Decode(FactorEncoding::kF16, m, k,
                               std::string_view(reinterpret_cast<const char*>(rows.data()), rows.size() * 2), "");
  ASSERT_TRUE(t.ok()) << t.status().message();
  const std::vector<float> u = {1.f, 5.f, 7.f, 11.f};
  std::vector<float> s(m);
  t->Score(u.data(), nullptr, s.data());
  for (int i = 0; i < m; ++i) ASSERT_EQ(s[i], HalfToFloat(finite[i])) << "half 0x" << std::hex << finite[i];
  // ∞ from encoding a value beyond the f16 range scores as ∞.
  RowMatrix big(1, 2);
  big << 1e6f, 0.f;
  const FactorTable tb = FactorTable::Encode(big, FactorEncoding::kF16);
  float sb = 0;
  const float ub[2] = {1.f, 1.f};
  tb.Score(ub, nullptr, &sb);
  EXPECT_EQ(sb, std::numeric_limits<float>::infinity());
}

// The int8 kernel is exact in its integer part: reordering rows must not change any score.
TEST(KernelsTest, ScoreAllInt8IsIndependentOfRowPosition) {
  const int n = 37, k = 67;
  const auto q = RandomInt8(static_cast<size_t>(n) * k, 90);
  const auto scales = Uniform(n, 91, 0.001f, 0.05f);
  const auto u = Uniform(k, 92);
  std::vector<float> all(n);
  ScoreAllInt8(q.data(), scales.data(), nullptr, n, k, u.data(), all.data());
  for (int i = 0; i < n; ++i) {  // each row alone goes through the scalar tail path
    float one = 0;
    ScoreAllInt8(q.data() + static_cast<size_t>(i) * k, scales.data() + i, nullptr, 1, k, u.data(), &one);
    EXPECT_EQ(one, all[i]) << "row " << i;
  }
}

}  // namespace
}  // namespace pathlight
