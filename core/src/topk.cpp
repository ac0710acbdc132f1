#include "pathlight/topk.h"

#include <algorithm>
#include <cmath>
#include <queue>

namespace pathlight {

void ScoreAll(const float* factors, const float* bias, int32_t n, int32_t k, const float* user,
              float* scores) {
  // Four rows at a time: four independent accumulators per lane keep the loop vectorizable
  // (clang turns the inner loop into f32x4 multiply-adds under -msimd128 -ffast-math / -O3).
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const float* r0 = factors + static_cast<size_t>(i) * k;
    const float* r1 = r0 + k;
    const float* r2 = r1 + k;
    const float* r3 = r2 + k;
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int32_t d = 0; d < k; ++d) {
      const float u = user[d];
      s0 += r0[d] * u;
      s1 += r1[d] * u;
      s2 += r2[d] * u;
      s3 += r3[d] * u;
    }
    scores[i] = s0;
    scores[i + 1] = s1;
    scores[i + 2] = s2;
    scores[i + 3] = s3;
  }
  for (; i < n; ++i) {
    const float* r = factors + static_cast<size_t>(i) * k;
    float s = 0;
    for (int32_t d = 0; d < k; ++d) s += r[d] * user[d];
    scores[i] = s;
  }
  if (bias != nullptr)
    for (int32_t j = 0; j < n; ++j) scores[j] += bias[j];
}

void ScoreAllInt8(const int8_t* q, const float* scales, const float* bias, int32_t n, int32_t k,
                  const float* user, float* scores) {
  int32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const int8_t* r0 = q + static_cast<size_t>(i) * k;
    const int8_t* r1 = r0 + k;
    const int8_t* r2 = r1 + k;
    const int8_t* r3 = r2 + k;
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (int32_t d = 0; d < k; ++d) {
      const float u = user[d];
      s0 += static_cast<float>(r0[d]) * u;
      s1 += static_cast<float>(r1[d]) * u;
      s2 += static_cast<float>(r2[d]) * u;
      s3 += static_cast<float>(r3[d]) * u;
    }
    scores[i] = s0 * scales[i];
    scores[i + 1] = s1 * scales[i + 1];
    scores[i + 2] = s2 * scales[i + 2];
    scores[i + 3] = s3 * scales[i + 3];
  }
  for (; i < n; ++i) {
    const int8_t* r = q + static_cast<size_t>(i) * k;
    float s = 0;
    for (int32_t d = 0; d < k; ++d) s += static_cast<float>(r[d]) * user[d];
    scores[i] = s * scales[i];
  }
  if (bias != nullptr)
    for (int32_t j = 0; j < n; ++j) scores[j] += bias[j];
}

std::vector<ScoredItem> TopK(const float* scores, int32_t n, int32_t k,
                             const std::vector<uint8_t>& excluded) {
  std::vector<ScoredItem> out;
  if (k <= 0 || n <= 0) return out;
  // "a is better than b": higher score, then lower index.
  auto better = [](const ScoredItem& a, const ScoredItem& b) {
    return a.score > b.score || (a.score == b.score && a.item.value() < b.item.value());
  };
  // Min-heap on "better": the top is the worst of the current best k.
  std::priority_queue<ScoredItem, std::vector<ScoredItem>, decltype(better)> heap(better);
  const bool use_mask = !excluded.empty();
  for (int32_t i = 0; i < n; ++i) {
    const float s = scores[i];
    if (!std::isfinite(s) || (use_mask && excluded[i])) continue;
    ScoredItem cand{ItemIndex(i), s};
    if (static_cast<int32_t>(heap.size()) < k) {
      heap.push(cand);
    } else if (better(cand, heap.top())) {
      heap.pop();
      heap.push(cand);
    }
  }
  out.resize(heap.size());
  for (size_t j = out.size(); j-- > 0;) {
    out[j] = heap.top();
    heap.pop();
  }
  return out;
}

}  // namespace pathlight
