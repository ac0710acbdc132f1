#include "pathlight/interactions.h"

#include <cassert>

namespace pathlight {

SparseRows BuildUserItems(int32_t n_users, int32_t n_items, const std::vector<Interaction>& events) {
  std::vector<Eigen::Triplet<float, int32_t>> triplets;
  triplets.reserve(events.size());
  for (const Interaction& e : events) {
    assert(e.user >= 0 && e.user < n_users && e.item >= 0 && e.item < n_items);
    triplets.emplace_back(e.user, e.item, e.weight);
  }
  SparseRows m(n_users, n_items);
  m.setFromTriplets(triplets.begin(), triplets.end());  // sums duplicates
  m.makeCompressed();
  return m;
}

std::vector<int32_t> ItemPopularity(const SparseRows& user_items) {
  std::vector<int32_t> counts(user_items.cols(), 0);
  for (int32_t u = 0; u < user_items.outerSize(); ++u)
    for (SparseRows::InnerIterator it(user_items, u); it; ++it) ++counts[it.col()];
  return counts;
}

}  // namespace pathlight
