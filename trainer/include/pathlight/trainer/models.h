// The models the trainer can fit (`--model`), behind one scorer interface so that every
// evaluation protocol treats them alike:
//   als        implicit ALS (Hu, Koren & Volinsky 2008), Cholesky or CG solver  — als.h
//   bpr        Bayesian Personalized Ranking (Rendle et al. 2009)               — bpr.h
//   biased-mf  explicit biased MF, Gibbs (BPMF) or ALS-WR                       — biased_mf.h
//   popular    most-popular (training counts): the baseline beside every model
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pathlight/als.h"
#include "pathlight/biased_mf.h"
#include "pathlight/bpr.h"
#include "pathlight/interactions.h"
#include "pathlight/status.h"

namespace pathlight::trainer {

enum class ModelKind { kAls, kBpr, kBiasedMf, kPopular };
/// "als", "bpr", "biased-mf", "popular".
const char* ModelKindName(ModelKind kind);
std::optional<ModelKind> ParseModelKind(std::string_view name);

struct ModelOptions {
  ModelKind kind = ModelKind::kAls;
  AlsOptions als;
  BprOptions bpr;
  BiasedMfOptions mf;
};

/// A fitted scorer: score(u, i) = x_uᵀy_i + b_i (+ b_u + μ for biased MF; popularity count for
/// `popular`, whose factor matrices are empty).
struct TrainedModel {
  ModelKind kind = ModelKind::kAls;
  RowMatrix user_factors;   // n_users × k
  RowMatrix item_factors;   // n_items × k
  Vector item_bias;         // n_items (zeros for ALS)
  Vector user_bias;         // n_users (biased MF only)
  float global_mean = 0;    // biased MF only
  std::optional<RatingModel> rating_model;  // biased MF only: how the device folds learners in
  std::vector<float> popularity;        // n_items training counts (every model)
  std::vector<float> query_predictions; // biased MF: predictions for the queries passed in
  std::vector<double> iteration_seconds;
  /// Writes n_items scores of learner u into `scores`.
  void Score(int32_t user, float* scores) const;
};

/// Items without training interactions (`counts[i] == 0`) have no trained factors, whatever the
/// solver: their factor rows and biases become exactly 0 (ALS-CG at small λ and BPR would
/// otherwise leave initial random values or negative-sampling drift in them). The engine gives
/// such rows content factors (content_model.h).
void ZeroUntrainedItems(const std::vector<int32_t>& counts, RowMatrix* item_factors, Vector* item_bias);

/// Fits `options.kind` on `train`; items without interactions get zero rows (ZeroUntrainedItems). (n_users × n_items; weights, or ratings for biased MF).
/// `queries`: (user, item) pairs to predict (biased MF). `progress(iteration, seconds)` per sweep.
StatusOr<TrainedModel> TrainModel(const SparseRows& train, const ModelOptions& options,
                                  const std::vector<std::pair<int32_t, int32_t>>& queries = {},
                                  const ProgressFn& progress = nullptr);

}  // namespace pathlight::trainer
