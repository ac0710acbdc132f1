// Offline evaluation protocols and the train → bundle pipeline.
#pragma once

#include <vector>

#include "pathlight/als.h"
#include "pathlight/bundle.h"
#include "pathlight/metrics.h"
#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {

/// Ranking metrics@k of `user_factors × item_factorsᵀ` on `test`, excluding each learner's
/// `train` items from their list (the items they already consumed). Learners with no test events
/// are skipped. Parallel over learners.
RankingMetrics EvaluateFactors(const RowMatrix& user_factors, const RowMatrix& item_factors,
                               const SparseRows& train, const std::vector<Interaction>& test, int k);

/// The most-popular baseline (items ranked by training count), same protocol.
RankingMetrics EvaluatePopularity(const SparseRows& train, const std::vector<Interaction>& test, int k);

struct TrainResult {
  ImplicitModel model;
  SparseRows train;
  Bundle bundle;   // catalog, item factors, YᵀY, concept vectors, metadata
};

/// Trains implicit ALS on `ds.train` and assembles the bundle (metrics filled by the caller).
/// `encoding`: how the bundle stores item factors (f32, f16, int8 with row scales).
StatusOr<TrainResult> TrainImplicit(const Dataset& ds, const AlsOptions& options, const ProgressFn& progress,
                                    FactorEncoding encoding = FactorEncoding::kF32);

}  // namespace pathlight::trainer
