// Deterministic benchmark data, generated identically here and in bench/web/data.js, so that
// the native and browser runs score the same numbers: mulberry32 (a 32-bit PRNG), mapped to
// floats uniform in [-1, 1) that are exact in f32 (multiples of 2⁻²³).
#pragma once

#include <cstdint>
#include <vector>

namespace pathlight::bench {

class Mulberry32 {
 public:
  explicit Mulberry32(uint32_t seed) : state_(seed) {}
  uint32_t Next() {
    state_ += 0x6D2B79F5u;
    uint32_t t = state_;
    t = (t ^ (t >> 15)) * (t | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    return t ^ (t >> 14);
  }
  /// Uniform in [-1, 1), a multiple of 2⁻²³ (exact in f32 and in JS doubles).
  float NextSigned() { return static_cast<float>(Next() >> 8) * (1.f / 8388608.f) - 1.f; }

 private:
  uint32_t state_;
};

/// n × k row-major item factors (seed 1) and a learner vector of length k (seed 2), the data
/// every benchmark contender scores.
inline std::vector<float> ItemFactors(int32_t n, int32_t k) {
  Mulberry32 rng(1);
  std::vector<float> y(static_cast<size_t>(n) * k);
  for (float& v : y) v = rng.NextSigned();
  return y;
}
inline std::vector<float> LearnerVector(int32_t k) {
  Mulberry32 rng(2);
  std::vector<float> u(k);
  for (float& v : u) v = rng.NextSigned();
  return u;
}

}  // namespace pathlight::bench
