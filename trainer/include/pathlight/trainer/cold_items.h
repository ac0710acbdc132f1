// Content-based item factors in the trainer (content_model.h): fitting the map beside every
// trained model, and the cold-item protocol that measures it (`pathlight eval --protocol
// cold-items`, docs/COLD_START.md).
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/bundle.h"
#include "pathlight/content_model.h"
#include "pathlight/interactions.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/evaluate.h"

namespace pathlight::trainer {

/// Fits the content map of `bundle` on its catalog from the trained model: items with training
/// interactions (`train`'s columns) are the trained rows; `user_factors` (n_users × k, may be
/// empty) and `train` choose λ on validation items carved from the trained ones
/// (FitContentModel). Sets bundle->content_model and records {regularization, validation_auc,
/// trained_items, validation_items} in bundle->info.metrics["content"].
Status AttachContentModel(const RowMatrix& item_factors, const Vector& item_bias, const SparseRows& train,
                          const RowMatrix& user_factors, const ContentOptions& options, Bundle* bundle);

/// The cold-item split: a seeded `fraction` of the items with interactions is held out with every
/// interaction on them (train and test); `train` keeps the rest of ds.train, and each learner's
/// `positives` are the held-out items they interacted with (in ds.train or ds.test).
struct ColdItemSplit {
  std::vector<int32_t> held_out;                 // item indices, increasing
  Dataset train;                                 // ds without the held-out items' interactions (test emptied)
  std::vector<std::vector<int32_t>> positives;   // by learner: held-out items they interacted with
};
ColdItemSplit SplitColdItems(const Dataset& ds, double fraction, uint64_t seed);

/// `pathlight eval --protocol cold-items`: SplitColdItems(10%), trains `options.model` on the rest
/// (its bundle fits the content map, λ on validation items carved from training), gives the
/// held-out items their content factors through the engine (Recommender → FillContentFactors), and
/// ranks only the held-out items for every learner with training rows and a held-out positive by
/// x_uᵀŷ_i + b̂_i. Output keys: cold_auc, cold_ndcg_at_K, learners, held_out_items, content {...},
/// and "baselines": {knowledge_graph: {cold_auc, cold_ndcg_at_K}, popularity_within_concept: {…}}.
/// Errors: invalid_argument (no interactions, a popular or rating model).
StatusOr<nlohmann::json> RunColdItems(const Dataset& ds, const EvalOptions& options, const ProgressFn& progress = nullptr);

}  // namespace pathlight::trainer
