// The fold-in model of a bundle: how a learner's signals become their factors x_u, how one new
// signal updates them, how a score decomposes into the learner's own items, and what a
// predicted rating is. One implementation per kind of bundle:
//
// ImplicitFoldIn (implicit ALS bundles; Hu, Koren & Volinsky 2008, eq. 4, one row):
//   A = YᵀY + λI + Σ_i (c_i − 1) y_i y_iᵀ + Σ_g (c_g − 1) v_g v_gᵀ,   b = Σ_i c_i p_i y_i + Σ_g c_g v_g
//   x_u = A⁻¹ b
// where i runs over items the learner acted on and g over goal and stated-known concepts, whose
// concept vectors v_g (mean factors of the items teaching g) act as pseudo-items — the cold start.
// A new signal changes one (c_i, p_i): A and its Cholesky factor get a rank-1 update and b a
// vector add, O(k²) per event.
//
// RatingFoldIn (explicit-rating bundles, biased MF r̂ = μ + b_u + b_i + x_uᵀy_i): z = [b_u; x_u] is
// the ridge solve of fold_in.h's RatingSystem over the latest rating of each rated item, re-solved
// on every new rating (O(n_r·k² + k³), exact). Goals and known concepts steer such a learner
// through the knowledge-graph ranking terms only.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "pathlight/bundle.h"
#include "pathlight/fold_in.h"
#include "pathlight/learner.h"

namespace pathlight {

/// One share of a fold-in score: an item the learner acted on, or a goal / known concept's
/// pseudo-item (then `concept` is valid and `item` is not).
struct Contribution {
  ItemIndex item;
  ConceptIndex concept;
  float value = 0;
  bool goal = false;   // a concept's share: true for a goal's pseudo-item, false for a stated known concept's
};

/// Exact decomposition of a learner's fold-in score of one item (as in the implicit library's
/// `explain`): implicit bundles score = x_uᵀy_i = Σ contributions, contribution_j = c_j p_j ·
/// y_jᵀA⁻¹y_i; rating bundles score = b_u + x_uᵀy_i = prior + Σ contributions, each rated item j
/// contributing (r_j − μ − b_j)·ỹ_jᵀA⁻¹ỹ_i and `prior` the Gibbs prior's share ỹ_iᵀA⁻¹·P·m.
struct Explanation {
  float score = 0;
  std::vector<Contribution> contributions;  // sorted by |value| descending, all of them
  float prior = 0;
};

class FoldInModel {
 public:
  virtual ~FoldInModel() = default;
  /// The model of `bundle` (which must outlive it): RatingFoldIn when bundle.info.ratings is set,
  /// else ImplicitFoldIn.
  static std::unique_ptr<FoldInModel> For(const Bundle& bundle, const LearnerOptions& options);

  /// The scale of rate / mentor_rated events this bundle accepts.
  virtual RatingScale rating_scale() const = 0;
  /// True when scores are ratings (PredictRating answers).
  virtual bool predicts_ratings() const = 0;

  /// Full solve of `s`'s system from its signals, goals and stated known concepts.
  virtual void Solve(LearnerState* s) const = 0;
  /// Item `item`'s signal changed from `before` to `after` (both already decayed to s's clock).
  virtual void ItemChanged(int32_t item, const ItemSignal& before, const ItemSignal& after, LearnerState* s) const = 0;
  /// Concept `c` was just stated as known for the first time.
  virtual void ConceptStated(ConceptIndex c, LearnerState* s) const = 0;
  /// The decomposition of `item`'s fold-in score for `s` (see Explanation).
  virtual Explanation Explain(const LearnerState& s, ItemIndex item) const = 0;
  /// Explain for several items from one batched solve: Q = A⁻¹[ỹ_1 … ỹ_m] with the learner's one
  /// Cholesky factor (a triangular solve with m right-hand sides), then every share of every item
  /// from one product of the learner's rows with Q. Equal to Explain per item up to round-off
  /// (the shares are summed in another order).
  virtual std::vector<Explanation> ExplainMany(const LearnerState& s, const std::vector<ItemIndex>& items) const = 0;
  /// Rating bundles: μ + b_u + `personal` clamped to the rating scale; nullopt for implicit bundles.
  virtual std::optional<float> PredictRating(const LearnerState& s, float personal) const = 0;
  /// Refinement (RefineOptions) targets: {item, confidence, target}, ordered by item, and whether
  /// sampled unobserved items count as negatives (implicit bundles only: an unrated item is not a
  /// low rating).
  virtual std::vector<WeightedItem> RefineTargets(const LearnerState& s) const = 0;
  virtual bool refine_negatives() const = 0;
};

}  // namespace pathlight
