// Splits of a Dataset: the random per-learner test split behind --protocol random-80-20, and the
// validation split carved from the training events only (every protocol; docs/HYPERPARAMETERS.md,
// "Validation").
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>

#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {
namespace {

// Per learner, their distinct (learner, item) pairs from `parts`, in item order: repeated implicit
// pairs are summed (latest timestamp kept), repeated explicit ratings keep the later one — the
// importers' treatment (dataset.h), so a pair is never on both sides of a split.
std::vector<std::vector<Interaction>> PairsByLearner(const Dataset& ds,
                                                     std::initializer_list<const std::vector<Interaction>*> parts) {
  std::map<std::pair<int32_t, int32_t>, Interaction> merged;
  for (const auto* part : parts)
    for (const Interaction& e : *part) {
      auto [it, fresh] = merged.emplace(std::make_pair(e.user, e.item), e);
      if (fresh) continue;
      if (ds.explicit_ratings) {
        it->second = e;
      } else {
        it->second.weight += e.weight;
        it->second.timestamp = std::max(it->second.timestamp, e.timestamp);
      }
    }
  std::vector<std::vector<Interaction>> by_user(ds.num_users());
  for (const auto& [key, e] : merged) by_user[e.user].push_back(e);
  return by_user;
}

std::string Short(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

// How many of a learner's n events a share sends to the held-out side: ⌊share·n⌋, at least one
// when n ≥ 2 (a learner with one event keeps it unless the share is 1).
size_t HeldOutCount(size_t n, double share) {
  const auto m = static_cast<size_t>(std::floor(share * static_cast<double>(n) + 1e-9));
  return n >= 2 ? std::max<size_t>(1, m) : m;
}

}  // namespace

const char* ValidationMethodName(ValidationMethod method) {
  return method == ValidationMethod::kLast ? "last" : "random";
}

void SplitRandomPerLearner(Dataset* ds, double test_fraction, uint64_t seed) {
  auto by_user = PairsByLearner(*ds, {&ds->train, &ds->test});
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

StatusOr<Dataset> CarveValidation(const Dataset& ds, ValidationMethod method, double share, uint64_t seed) {
  if (!(share > 0 && share <= 1))
    return Status(ErrorCode::kInvalidArgument,
                  "validation share must be in (0, 1), got " + Short(share));
  Dataset inner = ds;  // the same catalog and learners; events are filled in below
  inner.train.clear();
  inner.test.clear();
  inner.notes.clear();
  auto by_user = PairsByLearner(ds, {&ds.train});  // the test events are never looked at
  std::mt19937_64 rng(seed);
  for (int32_t u = 0; u < ds.num_users(); ++u) {
    auto& events = by_user[u];
    if (events.empty()) continue;
    if (method == ValidationMethod::kLast) {
      // Oldest first; equal (or unknown, 0) timestamps keep item order.
      std::stable_sort(events.begin(), events.end(),
                       [](const Interaction& a, const Interaction& b) { return a.timestamp < b.timestamp; });
    } else {
      std::shuffle(events.begin(), events.end(), rng);
    }
    const size_t n = events.size(), n_val = HeldOutCount(n, share);
    if (n_val >= n)
      return Status(ErrorCode::kInvalidArgument,
                    "a validation share of " + Short(share) + " leaves learner \"" + ds.user_ids[u] +
                        "\" without training events (all " + std::to_string(n) +
                        " of theirs would be validation); use a share below 1");
    // kLast: the learner's newest n_val events; kRandom: the first n_val of the shuffle.
    const size_t first_val = method == ValidationMethod::kLast ? n - n_val : 0;
    for (size_t j = 0; j < n; ++j) (j >= first_val && j < first_val + n_val ? inner.test : inner.train).push_back(events[j]);
  }
  if (inner.test.empty())
    return Status(ErrorCode::kInvalidArgument,
                  "the validation split of dataset \"" + ds.name +
                      "\" is empty: no learner has 2 or more training events to give one up");
  inner.notes.push_back("validation: " + std::to_string(inner.test.size()) + " events (the " +
                        (method == ValidationMethod::kLast ? "newest" : "seeded random") + " " +
                        Short(share) + " share of each learner's training events), " +
                        std::to_string(inner.train.size()) + " left to train on");
  return inner;
}

}  // namespace pathlight::trainer
