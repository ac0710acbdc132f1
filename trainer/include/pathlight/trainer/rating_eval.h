// K-fold evaluation of explicit-rating models (`pathlight eval --protocol k-fold`), for any data
// set with ratings (a generic CSV with --rating-scale, MovieLens).
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/evaluate.h"

namespace pathlight::trainer {

/// The ratings of ds.train and ds.test of every learner, shuffled with a seed, dealt round-robin
/// into `folds` folds (so each learner's ratings spread over the folds, and a learner with fewer
/// ratings than folds is absent from some test folds); fold f tests on its share and trains on the
/// rest. Each fold runs RunProtocol's rating path; the output has per-fold and mean rmse and mae,
/// with the bias-only baseline beside them. Errors: invalid_argument (not explicit ratings, a
/// model other than biased-mf, folds < 2).
StatusOr<nlohmann::json> RunKFoldRatings(const Dataset& ds, const EvalOptions& options, int folds,
                                         const ProgressFn& progress = nullptr);

}  // namespace pathlight::trainer
