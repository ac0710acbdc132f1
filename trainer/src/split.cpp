// The random per-learner split behind --protocol random-80-20.
#include <algorithm>
#include <map>
#include <random>

#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {

void SplitRandomPerLearner(Dataset* ds, double test_fraction, uint64_t seed) {
  std::map<std::pair<int32_t, int32_t>, Interaction> merged;
  for (const auto* part : {&ds->train, &ds->test})
    for (const Interaction& e : *part) {
      auto [it, fresh] = merged.emplace(std::make_pair(e.user, e.item), e);
      if (fresh) continue;
      if (ds->explicit_ratings) {
        it->second = e;
      } else {
        it->second.weight += e.weight;
        it->second.timestamp = std::max(it->second.timestamp, e.timestamp);
      }
    }
  std::vector<std::vector<Interaction>> by_user(ds->num_users());
  for (const auto& [key, e] : merged) by_user[e.user].push_back(e);  // item order within a learner
  ds->train.clear();
  ds->test.clear();
  std::mt19937_64 rng(seed);
  for (auto& events : by_user) {
    std::shuffle(events.begin(), events.end(), rng);
    const size_t n = events.size();
    const size_t n_test = n >= 2 ? std::max<size_t>(1, static_cast<size_t>(test_fraction * static_cast<double>(n))) : 0;
    for (size_t j = 0; j < n; ++j) (j < n_test ? ds->test : ds->train).push_back(events[j]);
  }
}

}  // namespace pathlight::trainer
