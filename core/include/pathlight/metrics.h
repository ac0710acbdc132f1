// Offline top-K ranking metrics for implicit feedback (binary relevance).
// Definitions follow the common recommender-evaluation literature (e.g. the implicit library's
// `ranking_metrics_at_k`): for one learner with relevant set R and ranked list L of length K,
//   precision@K = |L ∩ R| / K,   recall@K = |L ∩ R| / |R|,
//   nDCG@K = Σ_{j<K, L_j∈R} 1/log2(j+2)  /  Σ_{j<min(K,|R|)} 1/log2(j+2),
//   AP@K = (1/min(K,|R|)) Σ_{j<K, L_j∈R} precision@(j+1).
// Each is averaged over learners with a non-empty relevant set.
#pragma once

#include <cstdint>
#include <vector>

namespace pathlight {

struct RankingMetrics {
  double precision = 0, recall = 0, ndcg = 0, map = 0;
  int64_t users = 0;  // learners averaged over
};

/// Accumulates per-learner metrics at a fixed K.
class RankingAccumulator {
 public:
  explicit RankingAccumulator(int k) : k_(k) {}
  /// `ranked`: the recommended item indices, best first (≤ K used); `relevant`: held-out items.
  /// Learners with an empty `relevant` are ignored.
  void Add(const std::vector<int32_t>& ranked, const std::vector<int32_t>& relevant);
  RankingMetrics Result() const;

 private:
  int k_;
  RankingMetrics sum_;
};

}  // namespace pathlight
