// Offline evaluation protocols and the train → bundle pipeline.
//
// Protocols (`pathlight eval --protocol`):
//   temporal        the dataset's own per-learner time split (CoCo: valid.txt → test.txt)
//   random-80-20    per learner, a seeded random 80% of events for training, the rest for test
//   surprise-5fold  ml-100k's official u1..u5 folds; RMSE and MAE averaged over the five
//   foldin          hold out a seeded 10% of learners from training, fold them in from their
//                   training events through the bundle exactly as the browser does (AssembleBundle
//                   → Recommender::FoldIn → Recommender::Recommend), and compare their nDCG@K with
//                   the nDCG@K the same learners get when trained on
// Ranking metrics exclude each learner's training items from their list; every result carries
// the most-popular baseline under "baseline".
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/als.h"
#include "pathlight/bundle.h"
#include "pathlight/metrics.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/models.h"

namespace pathlight::trainer {

/// Ranking metrics plus catalog coverage (share of catalog items that appear in at least one
/// learner's top-k list).
struct RankingReport {
  RankingMetrics ranking;
  double coverage = 0;
};

/// Ranks all items for every learner with test events (and `include[u] != 0` when `include` is
/// non-empty) by `score(u, scores)`, drops the learner's training items, and scores the top-k
/// against their test items. Lists are computed in parallel; the result does not depend on the
/// number of threads.
RankingReport EvaluateRanking(const SparseRows& train, const std::vector<Interaction>& test, int k,
                              const std::function<void(int32_t, float*)>& score,
                              const std::vector<uint8_t>& include = {});

/// Ranking metrics@k of `user_factors × item_factorsᵀ` on `test` (EvaluateRanking's protocol).
RankingMetrics EvaluateFactors(const RowMatrix& user_factors, const RowMatrix& item_factors,
                               const SparseRows& train, const std::vector<Interaction>& test, int k);

/// The most-popular baseline (items ranked by training count), same protocol.
RankingMetrics EvaluatePopularity(const SparseRows& train, const std::vector<Interaction>& test, int k);

/// RMSE and MAE of `predictions[j]` against `test[j].weight`.
struct RatingMetrics {
  double rmse = 0, mae = 0;
  int64_t ratings = 0;
};
RatingMetrics EvaluateRatings(const std::vector<float>& predictions, const std::vector<Interaction>& test);

struct TrainResult {
  ImplicitModel model;
  SparseRows train;
  Bundle bundle;   // catalog, item factors, YᵀY, concept vectors, metadata
};

/// Trains implicit ALS on `ds.train` and assembles the bundle (metrics filled by the caller).
/// `encoding`: how the bundle stores item factors (f32, f16, int8 with row scales).
StatusOr<TrainResult> TrainImplicit(const Dataset& ds, const AlsOptions& options, const ProgressFn& progress,
                                    FactorEncoding encoding = FactorEncoding::kF32);

/// Any model → bundle: factors, item biases (BPR, biased MF), popularity, hyperparameters.
/// ModelInfo.regularization/alpha are the values the device's fold-in uses.
struct ModelBundle {
  TrainedModel model;
  SparseRows train;
  Bundle bundle;
};
StatusOr<ModelBundle> TrainBundle(const Dataset& ds, const ModelOptions& options, FactorEncoding encoding,
                                  const ProgressFn& progress = nullptr);

/// Metrics of an already trained model on `ds.test` with the most-popular baseline beside it
/// (ranking keys as RunProtocol's "temporal" output; RMSE/MAE from the point model for explicit
/// ratings). An empty object when `ds` has no test events. Used by `pathlight train` to record the
/// bundle's own quality without training twice.
nlohmann::json EvaluateTrained(const Dataset& ds, const ModelBundle& trained, const ModelOptions& options, int k);

/// Everything `pathlight eval` needs besides the data.
struct EvalOptions {
  ModelOptions model;
  std::string protocol = "temporal";  // temporal | random-80-20 | surprise-5fold | foldin
  int k = 10;                         // list length K
  uint64_t seed = 42;                 // splits and held-out learners
  double holdout_fraction = 0.1;      // foldin: share of learners held out
  FactorEncoding encoding = FactorEncoding::kF32;  // foldin: how the bundle stores factors
};

/// Runs `options.protocol` on `ds` (temporal, random-80-20, foldin) and returns the metrics JSON
/// (keys documented in README "The trainer CLI"). Errors: invalid_argument when the protocol does
/// not fit the data (no test split, explicit ratings with foldin, no interactions).
StatusOr<nlohmann::json> RunProtocol(Dataset ds, const EvalOptions& options, const ProgressFn& progress = nullptr);

/// The Surprise-style 5-fold protocol on ml-100k's u1..u5 (explicit; biased MF): per-fold and
/// mean RMSE/MAE, with a bias-only baseline (μ + b_u + b_i, regularized) beside it.
StatusOr<nlohmann::json> RunSurpriseFolds(const std::string& dir, const EvalOptions& options,
                                          const ProgressFn& progress = nullptr);

}  // namespace pathlight::trainer
