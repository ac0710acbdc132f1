// Native scoring benchmarks (Google Benchmark): scoring + top-10 over n × 64 item factors with a
// given learner vector — the same core code, on the same data (bench/synthetic.h), that the
// browser benchmark runs compiled to WebAssembly. scripts/bench runs this with repetitions and
// reads the median. Wall-clock time per call; one thread.
#include <benchmark/benchmark.h>

#include <map>
#include <utility>

#include "pathlight/factor_table.h"
#include "pathlight/topk.h"
#include "synthetic.h"

namespace pathlight::bench {
namespace {

constexpr int32_t kFactors = 64;
constexpr int32_t kTop = 10;

// One encoded table per (n, encoding), built on first use and kept for the process.
const FactorTable& Table(int32_t n, FactorEncoding encoding) {
  static std::map<std::pair<int32_t, FactorEncoding>, FactorTable> tables;
  auto it = tables.find({n, encoding});
  if (it == tables.end()) {
    const std::vector<float> y = ItemFactors(n, kFactors);
    const RowMatrix m = Eigen::Map<const RowMatrix>(y.data(), n, kFactors);
    it = tables.emplace(std::make_pair(n, encoding), FactorTable::Encode(m, encoding)).first;
  }
  return it->second;
}

// Scoring every item, then (when `select_top`) the top-10 — what one recommendation costs
// once the learner vector is known. Scoring alone shows what the selection adds.
void Run(benchmark::State& state, FactorEncoding encoding, bool select_top) {
  const int32_t n = static_cast<int32_t>(state.range(0));
  const FactorTable& table = Table(n, encoding);
  const std::vector<float> user = LearnerVector(kFactors);
  std::vector<float> scores(n);
  for (auto _ : state) {
    table.Score(user.data(), nullptr, scores.data());
    if (select_top) {
      std::vector<ScoredItem> top = TopK(scores.data(), n, kTop);
      benchmark::DoNotOptimize(top.data());
    }
    benchmark::DoNotOptimize(scores.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * n);
}
void ScoreTop10(benchmark::State& state, FactorEncoding encoding) { Run(state, encoding, true); }
void ScoreOnly(benchmark::State& state, FactorEncoding encoding) { Run(state, encoding, false); }

void Sizes(benchmark::internal::Benchmark* b) {
  b->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMicrosecond)->UseRealTime();
}

BENCHMARK_CAPTURE(ScoreTop10, f32, FactorEncoding::kF32)->Apply(Sizes);
BENCHMARK_CAPTURE(ScoreTop10, i8, FactorEncoding::kInt8)->Apply(Sizes);
BENCHMARK_CAPTURE(ScoreTop10, f16, FactorEncoding::kF16)->Apply(Sizes);
BENCHMARK_CAPTURE(ScoreOnly, f32, FactorEncoding::kF32)->Apply(Sizes);
BENCHMARK_CAPTURE(ScoreOnly, i8, FactorEncoding::kInt8)->Apply(Sizes);

}  // namespace
}  // namespace pathlight::bench

BENCHMARK_MAIN();
