// Benchmark-only Embind module for bench/web/: the core's scoring kernels (FactorTable::Score +
// TopK, exactly what the engine runs) over factors the page supplies. Not part of the product.
// Dense data crosses once, in bulk (typed arrays); each timed call crosses the boundary once and
// returns the top-10 item indices as a fresh Int32Array, as an app would receive them.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <wasm_simd128.h>

#include <vector>

#include "pathlight/factor_table.h"
#include "pathlight/topk.h"

namespace pathlight::bench {
namespace {

using emscripten::typed_memory_view;
using emscripten::val;

class KernelBench {
 public:
  /// `factors`: Float32Array, n × k row-major. Keeps them and encodes the f32, int8 and f16 tables.
  void SetFactors(const val& factors, int32_t n, int32_t k) {
    tables_.clear();
    y_.resize(n, k);
    val(typed_memory_view(static_cast<size_t>(n) * k, y_.data())).call<void>("set", factors);
    for (FactorEncoding e : {FactorEncoding::kF32, FactorEncoding::kInt8, FactorEncoding::kF16})
      tables_.push_back(FactorTable::Encode(y_, e));
    n_ = n;
    scores_.assign(n, 0.f);
  }
  /// `user`: Float32Array of length k.
  void SetUser(const val& user) {
    user_.assign(user["length"].as<size_t>(), 0.f);
    val(typed_memory_view(user_.size(), user_.data())).call<void>("set", user);
  }
  /// Scores every item with the table of `encoding` (0 = f32, 1 = int8, 2 = f16) and returns
  /// the indices of the `top` best as an Int32Array, best first.
  val ScoreTop(int encoding, int top) {
    tables_.at(encoding).Score(user_.data(), nullptr, scores_.data());
    const std::vector<ScoredItem> best = TopK(scores_.data(), n_, top);
    out_.resize(best.size());
    for (size_t j = 0; j < best.size(); ++j) out_[j] = best[j].item.value();
    return val(typed_memory_view(out_.size(), out_.data())).call<val>("slice");
  }
  /// The floor under any f32 scorer here: one pass that only reads the n × k f32 factors (the
  /// same row-major bytes as the f32 table), summing them into four f32x4 accumulators — the
  /// memory traffic of scoring with almost none of its arithmetic. Returns the sum, so that the
  /// reads cannot be optimized away.
  double ReadF32() const {
    const float* p = y_.data();
    const size_t nk = static_cast<size_t>(y_.size());
    v128_t a0 = wasm_f32x4_splat(0.f), a1 = a0, a2 = a0, a3 = a0;
    size_t i = 0;
    for (; i + 16 <= nk; i += 16) {
      a0 = wasm_f32x4_add(a0, wasm_v128_load(p + i));
      a1 = wasm_f32x4_add(a1, wasm_v128_load(p + i + 4));
      a2 = wasm_f32x4_add(a2, wasm_v128_load(p + i + 8));
      a3 = wasm_f32x4_add(a3, wasm_v128_load(p + i + 12));
    }
    const v128_t a = wasm_f32x4_add(wasm_f32x4_add(a0, a1), wasm_f32x4_add(a2, a3));
    double sum = static_cast<double>(wasm_f32x4_extract_lane(a, 0)) + wasm_f32x4_extract_lane(a, 1) +
                 wasm_f32x4_extract_lane(a, 2) + wasm_f32x4_extract_lane(a, 3);
    for (; i < nk; ++i) sum += p[i];
    return sum;
  }
  /// Bytes held by the three tables.
  double TableBytes() const {
    double b = 0;
    for (const FactorTable& t : tables_) b += static_cast<double>(t.MemoryBytes());
    return b;
  }
  void Clear() {
    tables_.clear();
    tables_.shrink_to_fit();
    y_.resize(0, 0);
    scores_ = {};
    n_ = 0;
  }

 private:
  std::vector<FactorTable> tables_;
  RowMatrix y_;  // the factors as given (f32, n × k row-major), for ReadF32
  std::vector<float> user_, scores_;
  std::vector<int32_t> out_;
  int32_t n_ = 0;
};

}  // namespace
}  // namespace pathlight::bench

EMSCRIPTEN_BINDINGS(pathlight_bench) {
  using pathlight::bench::KernelBench;
  emscripten::class_<KernelBench>("KernelBench")
      .constructor<>()
      .function("setFactors", &KernelBench::SetFactors)
      .function("setUser", &KernelBench::SetUser)
      .function("scoreTop", &KernelBench::ScoreTop)
      .function("readF32", &KernelBench::ReadF32)
      .function("tableBytes", &KernelBench::TableBytes)
      .function("clear", &KernelBench::Clear);
}
