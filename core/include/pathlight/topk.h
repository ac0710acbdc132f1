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

/// Same for int8 rows with per-row scales: scores[i] = scales[i]·(q_i · user) (+ bias[i]).
/// `q`: n × k row-major int8; `scales`: n floats.
void ScoreAllInt8(const int8_t* q, const float* scales, const float* bias, int32_t n, int32_t k,
                  const float* user, float* scores);

/// The `k` highest scores, best first, ties broken by lower index; items with `excluded[i] != 0`
/// (when `excluded` is non-empty, length n) and non-finite scores are skipped.
/// Partial selection with a size-k heap: O(n log k). Returns fewer than k if fewer qualify.
std::vector<ScoredItem> TopK(const float* scores, int32_t n, int32_t k,
                             const std::vector<uint8_t>& excluded = {});

}  // namespace pathlight
