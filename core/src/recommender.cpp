#include "pathlight/recommender.h"

#include <cassert>

namespace pathlight {

Recommender::Recommender(Bundle bundle) : bundle_(std::move(bundle)), scores_(bundle_.catalog.num_items()) {}

Vector Recommender::FoldIn(const std::vector<WeightedItem>& history) const {
  return pathlight::FoldIn(bundle_.item_factors, bundle_.gram, history, bundle_.info.regularization,
                           bundle_.info.alpha);
}

std::vector<ScoredItem> Recommender::Recommend(const Vector& user, const std::vector<WeightedItem>& history,
                                               const RecommendOptions& options) const {
  const int32_t n = num_items();
  assert(user.size() == factors());
  ScoreAll(bundle_.item_factors.data(), bundle_.item_bias.data(), n, factors(), user.data(), scores_.data());
  std::vector<uint8_t> excluded;
  if (options.exclude_consumed && !history.empty()) {
    excluded.assign(n, 0);
    for (const WeightedItem& h : history) excluded[h.item] = 1;
  }
  return TopK(scores_.data(), n, options.k, excluded);
}

}  // namespace pathlight
