#include "pathlight/recommender.h"

#include <cassert>

namespace pathlight {

Recommender::Recommender(Bundle bundle) : bundle_(std::move(bundle)), scores_(bundle_.catalog.num_items()) {}

Vector Recommender::FoldIn(const std::vector<WeightedItem>& history) const {
  const FactorTable& y = bundle_.item_factors;
  return FoldInRows(y.cols(), bundle_.gram, history, bundle_.info.regularization, bundle_.info.alpha,
                    [&](int32_t i, Eigen::VectorXf& out) {
                      assert(i >= 0 && i < y.rows());
                      y.Row(i, out.data());
                    });
}

std::vector<ScoredItem> Recommender::Recommend(const Vector& user, const std::vector<WeightedItem>& history,
                                               const RecommendOptions& options) const {
  const int32_t n = num_items();
  assert(user.size() == factors());
  bundle_.item_factors.Score(user.data(), bundle_.item_bias.data(), scores_.data());
  std::vector<uint8_t> excluded;
  if (options.exclude_consumed && !history.empty()) {
    excluded.assign(n, 0);
    for (const WeightedItem& h : history) excluded[h.item] = 1;
  }
  return TopK(scores_.data(), n, options.k, excluded);
}

}  // namespace pathlight
