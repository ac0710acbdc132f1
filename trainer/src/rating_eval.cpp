#include "pathlight/trainer/rating_eval.h"

#include <algorithm>
#include <chrono>
#include <random>

namespace pathlight::trainer {

using nlohmann::json;

StatusOr<json> RunKFoldRatings(const Dataset& ds, const EvalOptions& options, int folds, const ProgressFn& progress) {
  if (!ds.explicit_ratings || options.model.kind != ModelKind::kBiasedMf)
    return Status(ErrorCode::kInvalidArgument,
                  "--protocol k-fold evaluates rating models: explicit ratings (--rating-scale) and --model biased-mf");
  if (folds < 2) return Status(ErrorCode::kInvalidArgument, "--folds must be at least 2");
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::vector<Interaction>> by_user(ds.num_users());
  for (const auto* list : {&ds.train, &ds.test})
    for (const Interaction& e : *list) by_user[e.user].push_back(e);
  std::mt19937_64 rng(options.seed);
  std::vector<int> fold_of_rating;
  std::vector<Interaction> all;
  for (auto& ratings : by_user) {
    std::shuffle(ratings.begin(), ratings.end(), rng);
    const int start = static_cast<int>(rng() % static_cast<uint64_t>(folds));  // spread the remainders
    for (size_t j = 0; j < ratings.size(); ++j) {
      all.push_back(ratings[j]);
      fold_of_rating.push_back(static_cast<int>((start + j) % static_cast<size_t>(folds)));
    }
  }
  const auto fold_name = [folds](int f) { return "--protocol k-fold, fold " + std::to_string(f + 1) + " of " + std::to_string(folds); };
  // Before any training: every fold needs ratings to test and ratings (the other folds') to train on.
  std::vector<size_t> in_fold(static_cast<size_t>(folds), 0);
  for (int f : fold_of_rating) ++in_fold[static_cast<size_t>(f)];
  for (int f = 0; f < folds; ++f) {
    const std::string fold = fold_name(f);
    if (in_fold[static_cast<size_t>(f)] == 0)
      return Status(ErrorCode::kInvalidArgument, fold + " has no ratings to test: " + std::to_string(all.size()) +
                                                     " ratings were dealt into " + std::to_string(folds) +
                                                     " folds, each learner's over consecutive folds (use fewer --folds)");
    if (in_fold[static_cast<size_t>(f)] == all.size())
      return Status(ErrorCode::kInvalidArgument, fold + " holds all " + std::to_string(all.size()) +
                                                     " ratings, leaving none to train on (more ratings are needed)");
  }
  json per_fold = json::array();
  double rmse = 0, mae = 0, base_rmse = 0, base_mae = 0;
  EvalOptions o = options;
  o.protocol = "temporal";  // the fold's own train/test split
  for (int f = 0; f < folds; ++f) {
    Dataset split = ds;
    split.train.clear();
    split.test.clear();
    for (size_t j = 0; j < all.size(); ++j) (fold_of_rating[j] == f ? split.test : split.train).push_back(all[j]);
    // Any other error of the fold's own evaluation names the fold: its training rows are the other
    // folds' ratings, fewer than the data set's (a learner with 2 ratings may have 1 left).
    const size_t fold_train = split.train.size();
    StatusOr<json> run = RunProtocol(std::move(split), o, progress);
    if (!run.ok())
      return Status(run.status().code(), fold_name(f) + " (trains on the other folds' " + std::to_string(fold_train) + " of " +
                                             std::to_string(all.size()) + " ratings): " + run.status().message());
    json r = std::move(run).value();
    per_fold.push_back({{"fold", f + 1}, {"rmse", r["rmse"]}, {"mae", r["mae"]}, {"ratings", r["ratings"]},
                        {"baseline_rmse", r["baseline"]["rmse"]}, {"baseline_mae", r["baseline"]["mae"]}});
    rmse += r["rmse"].get<double>() / folds;
    mae += r["mae"].get<double>() / folds;
    base_rmse += r["baseline"]["rmse"].get<double>() / folds;
    base_mae += r["baseline"]["mae"].get<double>() / folds;
  }
  return json{{"dataset", ds.name},
              {"protocol", "k-fold"},
              {"folds", per_fold},
              {"rmse", rmse},
              {"mae", mae},
              {"rating_scale", {{"min", ds.min_rating}, {"max", ds.max_rating}, {"step", ds.rating_step}}},
              {"baseline", {{"algorithm", "global mean + biases"}, {"rmse", base_rmse}, {"mae", base_mae}}},
              {"total_seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()}};
}

}  // namespace pathlight::trainer
