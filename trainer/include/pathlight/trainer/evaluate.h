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
//
// Validation: every protocol also carves a validation split from its *training* events
// (CarveValidation: the newest share of each learner's events for temporal and foldin, a seeded
// random share for random-80-20 and for each surprise-5fold base), trains on the rest, and reports
// the same measures under "validation" beside the test keys. Hyperparameters are chosen on those
// (`pathlight tune`); the test keys are the figure to publish, computed once after the choice.
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
  bool validation = true;          // also train on the validation split's training part and report "validation"
  double validation_share = 0.2;   // share of each learner's training events that becomes validation, (0, 1)
  bool baseline = true;            // the most-popular / bias-only baseline beside the model
};

/// The validation method a protocol uses: kRandom for random-80-20 and surprise-5fold, kLast
/// (each learner's newest training events) for temporal and foldin.
ValidationMethod ProtocolValidationMethod(const std::string& protocol);

/// The train/test split `options.protocol` evaluates on: random-80-20 re-splits `ds` per learner
/// (SplitRandomPerLearner, 20% to test, options.seed); temporal and foldin keep the dataset's own
/// split. Errors (invalid_argument): no interactions, no test split for temporal/foldin, a protocol
/// that does not apply (surprise-5fold: RunSurpriseFolds).
StatusOr<Dataset> ProtocolSplit(Dataset ds, const EvalOptions& options);

/// The validation split of a protocol split: CarveValidation(split, ProtocolValidationMethod,
/// options.validation_share, options.seed + 1) — its `test` is the validation events, drawn from
/// `split.train` only.
StatusOr<Dataset> ValidationSplit(const Dataset& split, const EvalOptions& options);

/// Trains `options.model` on `split.train` and measures it on `split.test` with the protocol's
/// measures (ranking@K, RMSE/MAE for biased MF, fold-in fidelity for foldin); no further
/// splitting and no validation. Used for both sides: the validation split and the test split.
StatusOr<nlohmann::json> EvaluateSplit(const Dataset& split, const EvalOptions& options,
                                       const ProgressFn& progress = nullptr);

/// Runs `options.protocol` on `ds` (temporal, random-80-20, foldin) and returns the metrics JSON
/// (keys documented in README "The trainer CLI"): ProtocolSplit, then — when options.validation —
/// EvaluateSplit on ValidationSplit under "validation", then EvaluateSplit on the test split.
/// Errors: invalid_argument when the protocol does not fit the data (no test split, explicit
/// ratings with foldin, no interactions) or the validation split cannot be carved.
StatusOr<nlohmann::json> RunProtocol(Dataset ds, const EvalOptions& options, const ProgressFn& progress = nullptr);

/// The Surprise-style 5-fold protocol on ml-100k's u1..u5 (explicit; biased MF): per-fold and
/// mean RMSE/MAE, with a bias-only baseline (μ + b_u + b_i, regularized) beside it. With
/// options.validation each fold's base is also split (kRandom) and the model trained on its inner
/// part is measured on the inner validation ratings: per fold and their mean under "validation".
StatusOr<nlohmann::json> RunSurpriseFolds(const std::string& dir, const EvalOptions& options,
                                          const ProgressFn& progress = nullptr);

}  // namespace pathlight::trainer
