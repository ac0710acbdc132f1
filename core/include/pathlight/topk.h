// Scoring all items and selecting the top-K. The kernels are written as plain loops over
// 4 rows at a time so that they vectorize natively and under -msimd128 (see docs/BENCHMARKS.md).
#pragma once

#include <cstdint>
#include <vector>

#include "pathlight/types.h"

namespace pathlight {

struct ScoredItem {
  ItemIndex item;
  float score = 0.f;
};

/// scores[i] = factors[i,:]·user + (bias ? bias[i] : 0) for i in [0, n).
/// `factors`: n × k row-major floats; `user`: k floats; `bias`: n floats or nullptr;
/// `scores`: n floats, written. No allocation.
void ScoreAll(const float* factors, const float* bias, int32_t n, int32_t k, const float* user,
              float* scores);

/// Same for int8 rows with per-row scales: scores[i] ≈ scales[i]·(q_i · user) (+ bias[i]).
/// `q`: n × k row-major int8; `scales`: n floats. The learner vector is quantized to int16 per
/// chunk of 256 dimensions (s = max|u| / 32767, u_d ≈ s·round(u_d / s)) and each row's dot product
/// is an exact int32 sum, so scores are deterministic and identical native and WASM; the
/// quantization adds at most scales[i]·Σ_d |q_id|·max|u|·(1/2 + 2⁻⁹)/32767 to the f32 rounding —
/// about 1/258 of the int8 factors' own error (max_d |y_id| / 254 per element). A chunk with
/// NaN/∞ or max|u| < 2⁻⁹⁶ is scored in plain f32 (IEEE semantics kept).
void ScoreAllInt8(const int8_t* q, const float* scales, const float* bias, int32_t n, int32_t k,
                  const float* user, float* scores);

/// The `k` highest scores, best first, ties broken by lower index; items with `excluded[i] != 0`
/// (when `excluded` is non-empty, length n) and non-finite scores are skipped.
/// Partial selection with a size-k heap: O(n log k). Returns fewer than k if fewer qualify.
std::vector<ScoredItem> TopK(const float* scores, int32_t n, int32_t k,
                             const std::vector<uint8_t>& excluded = {});

}  // namespace pathlight
