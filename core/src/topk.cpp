#include "pathlight/topk.h"

#include <algorithm>
#include <cmath>
#include <queue>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>  // clang's WebAssembly SIMD intrinsics (not an Emscripten header)
#endif

namespace pathlight {
namespace {

// ---------------------------------------------------------------------------------------------
// int8 scoring with exact integer dot products.
//
// The learner vector u is quantized to one int16 vector, per chunk of at most kChunk dimensions:
//   u_d ≈ s·h_d,   s = max_d |u_d| / 32767,   h_d = round(u_d / s),   |h_d| ≤ 32767,
// so |u_d − s·h_d| ≤ s/2 = max|u| / 65534 (plus f32 rounding of u_d / s, < s·2⁻⁹). The item
// factors themselves are int8 with per-row scales (error up to max_d |y_id| / 254 per element),
// so this is about 258 times finer than the factors' own quantization: for every score,
//   |s_i·(q_i·h)·s − y_i·u| ≤ s_i·Σ_d |q_id|·max|u| / 65534 + (the factors' error) + f32 rounding.
// Then q_i·u ≈ s·(q_i·h), an exact int32 sum: |q| ≤ 128, |h| ≤ 32767, so a chunk of 256
// dimensions sums to at most 256·128·32767 < 2³¹. Integer multiply-adds are twice as dense as
// f32 ones (i32x4.dot_i16x8_s does 8 per instruction) and need no int→float conversion per
// element, and int32 sums are exact in any order, so native and WASM give bit-identical scores.
constexpr int32_t kChunk = 256;

struct QuantizedChunk {
  float s = 0;
  alignas(16) int16_t h[kChunk];
};

// Quantizes user[0, len) (len ≤ kChunk). Returns false when max|u| is non-finite or so small
// (< 2⁻⁹⁶) that s would come near the subnormal range: the caller then scores the chunk in f32.
bool Quantize(const float* user, int32_t len, QuantizedChunk* out) {
  float amax = 0;
  for (int32_t d = 0; d < len; ++d) {
    if (!std::isfinite(user[d])) return false;
    amax = std::max(amax, std::fabs(user[d]));
  }
  if (amax == 0) {  // an all-zero chunk (e.g. a learner with no history) contributes exactly 0
    out->s = 0;
    std::fill(out->h, out->h + len, int16_t{0});
    return true;
  }
  if (amax < 0x1p-96f) return false;
  const float s = amax / 32767.f;
  for (int32_t d = 0; d < len; ++d) out->h[d] = static_cast<int16_t>(std::nearbyint(user[d] / s));  // |h| ≤ 32767
  out->s = s;
  return true;
}

// The chunk's contribution to the pre-scale score of one row, exactly as the SIMD path forms it.
inline float ChunkDot(const int8_t* r, const QuantizedChunk& qc, int32_t len) {
  int32_t h = 0;
  for (int32_t d = 0; d < len; ++d) h += static_cast<int32_t>(r[d]) * qc.h[d];
  return qc.s * static_cast<float>(h);
}

#ifdef __wasm_simd128__
// (Σ lanes of a0, Σ a1, Σ a2, Σ a3) for f32x4 accumulators, each summed as (x0 + x2) + (x1 + x3).
inline v128_t HorizontalSums(v128_t a0, v128_t a1, v128_t a2, v128_t a3) {
  const v128_t u0 = wasm_f32x4_add(wasm_i32x4_shuffle(a0, a1, 0, 4, 1, 5), wasm_i32x4_shuffle(a0, a1, 2, 6, 3, 7));
  const v128_t u1 = wasm_f32x4_add(wasm_i32x4_shuffle(a2, a3, 0, 4, 1, 5), wasm_i32x4_shuffle(a2, a3, 2, 6, 3, 7));
  return wasm_f32x4_add(wasm_i32x4_shuffle(u0, u1, 0, 1, 4, 5), wasm_i32x4_shuffle(u0, u1, 2, 3, 6, 7));
}
// The same for i32x4 accumulators (exact).
inline v128_t HorizontalSumsI32(v128_t a0, v128_t a1, v128_t a2, v128_t a3) {
  const v128_t u0 = wasm_i32x4_add(wasm_i32x4_shuffle(a0, a1, 0, 4, 1, 5), wasm_i32x4_shuffle(a0, a1, 2, 6, 3, 7));
  const v128_t u1 = wasm_i32x4_add(wasm_i32x4_shuffle(a2, a3, 0, 4, 1, 5), wasm_i32x4_shuffle(a2, a3, 2, 6, 3, 7));
  return wasm_i32x4_add(wasm_i32x4_shuffle(u0, u1, 0, 1, 4, 5), wasm_i32x4_shuffle(u0, u1, 2, 3, 6, 7));
}

// The f32 dot products of four consecutive rows r0, r0 + k, r0 + 2k, r0 + 3k with `user` over
// dimensions [0, k4), k4 a multiple of 4: one f32x4 accumulator per row, adding dimensions d..d+3
// for d = 0, 4, 8, … in that order, then HorizontalSums.
inline v128_t Dot4Rows(const float* r0, int32_t k, int32_t k4, const float* user) {
  const float* r1 = r0 + k;
  const float* r2 = r1 + k;
  const float* r3 = r2 + k;
  v128_t a0 = wasm_f32x4_splat(0.f), a1 = a0, a2 = a0, a3 = a0;
  for (int32_t d = 0; d < k4; d += 4) {
    const v128_t u = wasm_v128_load(user + d);
    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_v128_load(r0 + d), u));
    a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(wasm_v128_load(r1 + d), u));
    a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(wasm_v128_load(r2 + d), u));
    a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(wasm_v128_load(r3 + d), u));
  }
  return HorizontalSums(a0, a1, a2, a3);
}

// The same for a k known at compile time (the trainer's usual 32, 64, 128): the loop unrolls
// completely, so every load addresses r0 plus a constant — one base register for the four rows
// and no index arithmetic. Same additions in the same order, so the same floats as Dot4Rows.
// In V8 this is what brought f32 scoring near the time of merely reading the factors
// (docs/BENCHMARKS.md, read floor); the loop form spends its time on address arithmetic.
template <int32_t K>
inline v128_t Dot4RowsFixed(const float* r0, const float* user) {
  static_assert(K % 4 == 0, "K is a multiple of 4");
  v128_t a0 = wasm_f32x4_splat(0.f), a1 = a0, a2 = a0, a3 = a0;
#pragma clang loop unroll(full)
  for (int32_t d = 0; d < K; d += 4) {
    const v128_t u = wasm_v128_load(user + d);
    a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(wasm_v128_load(r0 + d), u));
    a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(wasm_v128_load(r0 + K + d), u));
    a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(wasm_v128_load(r0 + 2 * K + d), u));
    a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(wasm_v128_load(r0 + 3 * K + d), u));
  }
  return HorizontalSums(a0, a1, a2, a3);
}
#endif

}  // namespace

void ScoreAll(const float* factors, const float* bias, int32_t n, int32_t k, const float* user,
              float* scores) {
  int32_t i = 0;
#ifdef __wasm_simd128__
  // Four rows at a time, four dimensions per f32x4: one load of the learner vector feeds four rows.
  const int32_t k4 = k & ~3;
  auto store = [&](int32_t row, v128_t s) {
    if (bias != nullptr) s = wasm_f32x4_add(s, wasm_v128_load(bias + row));
    wasm_v128_store(scores + row, s);
  };
  switch (k) {
    case 32:
      for (; i + 4 <= n; i += 4) store(i, Dot4RowsFixed<32>(factors + static_cast<size_t>(i) * k, user));
      break;
    case 64:
      for (; i + 4 <= n; i += 4) store(i, Dot4RowsFixed<64>(factors + static_cast<size_t>(i) * k, user));
      break;
    case 128:
      for (; i + 4 <= n; i += 4) store(i, Dot4RowsFixed<128>(factors + static_cast<size_t>(i) * k, user));
      break;
    default:
      for (; i + 4 <= n; i += 4) {
        const float* r0 = factors + static_cast<size_t>(i) * k;
        v128_t s = Dot4Rows(r0, k, k4, user);
        if (k4 < k) {  // the last k mod 4 dimensions, scalar
          const float* r1 = r0 + k;
          const float* r2 = r1 + k;
          const float* r3 = r2 + k;
          float t0 = 0, t1 = 0, t2 = 0, t3 = 0;
          for (int32_t d = k4; d < k; ++d) {
            t0 += r0[d] * user[d];
            t1 += r1[d] * user[d];
            t2 += r2[d] * user[d];
            t3 += r3[d] * user[d];
          }
          s = wasm_f32x4_add(s, wasm_f32x4_make(t0, t1, t2, t3));
        }
        store(i, s);
      }
  }
#else
  // Portable: four rows at a time with an explicit SIMD reduction over the dimensions, which GCC
  // and clang vectorize (-fopenmp / -fopenmp-simd; without it the loop is still correct, scalar).
  for (; i + 4 <= n; i += 4) {
    const float* r0 = factors + static_cast<size_t>(i) * k;
    const float* r1 = r0 + k;
    const float* r2 = r1 + k;
    const float* r3 = r2 + k;
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
#pragma omp simd reduction(+ : s0, s1, s2, s3)
    for (int32_t d = 0; d < k; ++d) {
      const float u = user[d];
      s0 += r0[d] * u;
      s1 += r1[d] * u;
      s2 += r2[d] * u;
      s3 += r3[d] * u;
    }
    if (bias != nullptr) {
      s0 += bias[i];
      s1 += bias[i + 1];
      s2 += bias[i + 2];
      s3 += bias[i + 3];
    }
    scores[i] = s0;
    scores[i + 1] = s1;
    scores[i + 2] = s2;
    scores[i + 3] = s3;
  }
#endif
  for (; i < n; ++i) {  // the last n mod 4 rows
    const float* r = factors + static_cast<size_t>(i) * k;
    float s = 0;
    for (int32_t d = 0; d < k; ++d) s += r[d] * user[d];
    scores[i] = bias != nullptr ? s + bias[i] : s;
  }
}

void ScoreAllInt8(const int8_t* q, const float* scales, const float* bias, int32_t n, int32_t k,
                  const float* user, float* scores) {
  // Chunks of ≤ kChunk dimensions; `scores` holds the running pre-scale sum between chunks
  // (one pass for k ≤ 256, which is every bundle the trainer writes by default).
  QuantizedChunk qc;
  for (int32_t c0 = 0; c0 < k || c0 == 0; c0 += kChunk) {
    const int32_t len = std::min(kChunk, k - c0);
    const bool first = c0 == 0, last = c0 + len >= k;
    auto finish = [&](int32_t row, float acc) {
      if (!first) acc = scores[row] + acc;
      if (last) {
        acc = scales[row] * acc;
        if (bias != nullptr) acc += bias[row];
      }
      scores[row] = acc;
    };
    if (!Quantize(user + c0, len, &qc)) {
      // Non-finite or tiny learner vector: plain f32 products (keeps NaN/∞ semantics).
      for (int32_t i = 0; i < n; ++i) {
        const int8_t* r = q + static_cast<size_t>(i) * k + c0;
        float s = 0;
        for (int32_t d = 0; d < len; ++d) s += static_cast<float>(r[d]) * user[c0 + d];
        finish(i, s);
      }
      continue;
    }
    int32_t i = 0;
#ifdef __wasm_simd128__
    // Four rows at a time, sixteen dimensions per step: one v128 load of sixteen int8 values per
    // row, widened to int16 by i16x8.extend_low/high_i8x16_s; i32x4.dot_i16x8_s multiplies them by
    // h and adds pairs into int32 lanes.
    const int32_t len16 = len & ~15;
    const v128_t s = wasm_f32x4_splat(qc.s);
    for (; i + 4 <= n; i += 4) {
      const int8_t* r0 = q + static_cast<size_t>(i) * k + c0;
      const int8_t* r1 = r0 + k;
      const int8_t* r2 = r1 + k;
      const int8_t* r3 = r2 + k;
      v128_t a0 = wasm_i32x4_splat(0), a1 = a0, a2 = a0, a3 = a0;
      for (int32_t d = 0; d < len16; d += 16) {
        const v128_t ul = wasm_v128_load(qc.h + d), uh = wasm_v128_load(qc.h + d + 8);
        const v128_t x0 = wasm_v128_load(r0 + d), x1 = wasm_v128_load(r1 + d);
        const v128_t x2 = wasm_v128_load(r2 + d), x3 = wasm_v128_load(r3 + d);
        a0 = wasm_i32x4_add(a0, wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(x0), ul),
                                               wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(x0), uh)));
        a1 = wasm_i32x4_add(a1, wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(x1), ul),
                                               wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(x1), uh)));
        a2 = wasm_i32x4_add(a2, wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(x2), ul),
                                               wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(x2), uh)));
        a3 = wasm_i32x4_add(a3, wasm_i32x4_add(wasm_i32x4_dot_i16x8(wasm_i16x8_extend_low_i8x16(x3), ul),
                                               wasm_i32x4_dot_i16x8(wasm_i16x8_extend_high_i8x16(x3), uh)));
      }
      v128_t sums = HorizontalSumsI32(a0, a1, a2, a3);
      if (len16 < len) {  // the last len mod 16 dimensions, scalar (exact: integers)
        alignas(16) int32_t t[4] = {0, 0, 0, 0};
        const int8_t* rows[4] = {r0, r1, r2, r3};
        for (int j = 0; j < 4; ++j)
          for (int32_t d = len16; d < len; ++d) t[j] += static_cast<int32_t>(rows[j][d]) * qc.h[d];
        sums = wasm_i32x4_add(sums, wasm_v128_load(t));
      }
      // acc = s·H, then the same finishing steps as `finish`, four lanes at once.
      v128_t acc = wasm_f32x4_mul(s, wasm_f32x4_convert_i32x4(sums));
      if (!first) acc = wasm_f32x4_add(wasm_v128_load(scores + i), acc);
      if (last) {
        acc = wasm_f32x4_mul(wasm_v128_load(scales + i), acc);
        if (bias != nullptr) acc = wasm_f32x4_add(acc, wasm_v128_load(bias + i));
      }
      wasm_v128_store(scores + i, acc);
    }
#else
    // Portable: four rows at a time; integer reductions vectorize without any fast-math flag.
    for (; i + 4 <= n; i += 4) {
      const int8_t* r0 = q + static_cast<size_t>(i) * k + c0;
      const int8_t* r1 = r0 + k;
      const int8_t* r2 = r1 + k;
      const int8_t* r3 = r2 + k;
      int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (int32_t d = 0; d < len; ++d) {
        const int32_t h = qc.h[d];
        a0 += r0[d] * h;
        a1 += r1[d] * h;
        a2 += r2[d] * h;
        a3 += r3[d] * h;
      }
      finish(i, qc.s * static_cast<float>(a0));
      finish(i + 1, qc.s * static_cast<float>(a1));
      finish(i + 2, qc.s * static_cast<float>(a2));
      finish(i + 3, qc.s * static_cast<float>(a3));
    }
#endif
    for (; i < n; ++i) finish(i, ChunkDot(q + static_cast<size_t>(i) * k + c0, qc, len));
  }
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
  std::vector<ScoredItem> storage;
  storage.reserve(static_cast<size_t>(std::min(k, n)));
  std::priority_queue<ScoredItem, std::vector<ScoredItem>, decltype(better)> heap(better, std::move(storage));
  const bool use_mask = !excluded.empty();
  // Once the heap is full, only a score strictly above its worst can enter: items arrive in
  // index order, so an equal score has the higher index and loses the tie. Until then the
  // threshold is −∞ (every finite score enters). NaN fails every comparison and never enters.
  float threshold = -INFINITY;
  auto consider = [&](int32_t i) {
    const float s = scores[i];
    if (!(s > threshold) || !std::isfinite(s) || (use_mask && excluded[i])) return;
    if (static_cast<int32_t>(heap.size()) == k) heap.pop();
    heap.push({ItemIndex(i), s});
    if (static_cast<int32_t>(heap.size()) == k) threshold = heap.top().score;
  };
  // Blocks of 16 scores where none beats the threshold — nearly all of them once the heap has
  // filled — are skipped with one test that vectorizes (compare, OR-reduce).
  constexpr int32_t kBlock = 16;
  int32_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    int any = 0;
    for (int32_t j = 0; j < kBlock; ++j) any |= scores[i + j] > threshold;
    if (!any) continue;
    for (int32_t j = 0; j < kBlock; ++j) consider(i + j);
  }
  for (; i < n; ++i) consider(i);
  out.resize(heap.size());
  for (size_t j = out.size(); j-- > 0;) {
    out[j] = heap.top();
    heap.pop();
  }
  return out;
}

}  // namespace pathlight
