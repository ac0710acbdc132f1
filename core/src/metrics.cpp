#include "pathlight/metrics.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

namespace pathlight {

void RankingAccumulator::Add(const std::vector<int32_t>& ranked, const std::vector<int32_t>& relevant) {
  if (relevant.empty()) return;
  const std::unordered_set<int32_t> rel(relevant.begin(), relevant.end());
  const int n = std::min<int>(k_, static_cast<int>(ranked.size()));
  double hits = 0, dcg = 0, ap = 0;
  for (int j = 0; j < n; ++j) {
    if (rel.count(ranked[j]) == 0) continue;
    hits += 1;
    dcg += 1.0 / std::log2(j + 2.0);
    ap += hits / (j + 1);
  }
  const int ideal_n = std::min<int>(k_, static_cast<int>(rel.size()));
  double idcg = 0;
  for (int j = 0; j < ideal_n; ++j) idcg += 1.0 / std::log2(j + 2.0);
  sum_.precision += hits / k_;
  sum_.recall += hits / static_cast<double>(rel.size());
  sum_.ndcg += dcg / idcg;
  sum_.map += ap / ideal_n;
  sum_.users += 1;
}

RankingMetrics RankingAccumulator::Result() const {
  RankingMetrics r = sum_;
  if (r.users > 0) {
    r.precision /= r.users;
    r.recall /= r.users;
    r.ndcg /= r.users;
    r.map /= r.users;
  }
  return r;
}

}  // namespace pathlight
