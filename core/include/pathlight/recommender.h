// The on-device engine: a loaded bundle plus the learner-side operations (fold-in, scoring,
// top-K). The same class runs natively (CLI evaluation, tests) and in WebAssembly.
#pragma once

#include <vector>

#include "pathlight/bundle.h"
#include "pathlight/fold_in.h"
#include "pathlight/topk.h"

namespace pathlight {

struct RecommendOptions {
  int k = 10;                    // list length, 1..1000
  bool exclude_consumed = true;  // drop items in the learner's history
};

class Recommender {
 public:
  explicit Recommender(Bundle bundle);

  const Bundle& bundle() const { return bundle_; }
  int32_t num_items() const { return bundle_.catalog.num_items(); }
  int factors() const { return static_cast<int>(bundle_.item_factors.cols()); }

  /// Fold-in (fold_in.h) with the bundle's λ and α. Item indices must be < num_items (checked
  /// by callers that take ids from outside; asserted here).
  Vector FoldIn(const std::vector<WeightedItem>& history) const;

  /// Top-k by x_uᵀy_i + b_i, best first, excluding `history` items when options say so.
  std::vector<ScoredItem> Recommend(const Vector& user, const std::vector<WeightedItem>& history,
                                    const RecommendOptions& options) const;

 private:
  Bundle bundle_;
  mutable std::vector<float> scores_;  // scratch, n_items
};

}  // namespace pathlight
