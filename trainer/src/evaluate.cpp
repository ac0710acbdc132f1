#include "pathlight/trainer/evaluate.h"

#include <algorithm>
#include <numeric>

#include "pathlight/topk.h"

namespace pathlight::trainer {
namespace {

std::vector<std::vector<int32_t>> GroupByUser(const std::vector<Interaction>& events, int32_t n_users) {
  std::vector<std::vector<int32_t>> by_user(n_users);
  for (const Interaction& e : events) by_user[e.user].push_back(e.item);
  return by_user;
}

// Shared protocol: for each learner with test items, rank all items by `score_user` and
// accumulate metrics of the top-k after excluding training items.
template <class ScoreFn>
RankingMetrics Evaluate(const SparseRows& train, const std::vector<Interaction>& test, int k, ScoreFn&& score_user) {
  const int32_t n_users = static_cast<int32_t>(train.rows()), n_items = static_cast<int32_t>(train.cols());
  const auto relevant = GroupByUser(test, n_users);
  // Lists are computed in parallel, metrics summed in learner order: the result does not depend
  // on the number of threads (bundles record it, so it must be reproducible).
  std::vector<std::vector<int32_t>> ranked(n_users);
#pragma omp parallel
  {
    std::vector<float> scores(n_items);
    std::vector<uint8_t> excluded(n_items, 0);
#pragma omp for schedule(dynamic, 64)
    for (int32_t u = 0; u < n_users; ++u) {
      if (relevant[u].empty()) continue;
      score_user(u, scores.data());
      for (SparseRows::InnerIterator it(train, u); it; ++it) excluded[it.col()] = 1;
      for (const ScoredItem& s : TopK(scores.data(), n_items, k, excluded)) ranked[u].push_back(s.item.value());
      for (SparseRows::InnerIterator it(train, u); it; ++it) excluded[it.col()] = 0;
    }
  }
  RankingAccumulator acc(k);
  for (int32_t u = 0; u < n_users; ++u) acc.Add(ranked[u], relevant[u]);
  return acc.Result();
}

}  // namespace

RankingMetrics EvaluateFactors(const RowMatrix& user_factors, const RowMatrix& item_factors,
                               const SparseRows& train, const std::vector<Interaction>& test, int k) {
  const int32_t n = static_cast<int32_t>(item_factors.rows()), d = static_cast<int32_t>(item_factors.cols());
  return Evaluate(train, test, k, [&](int32_t u, float* scores) {
    ScoreAll(item_factors.data(), nullptr, n, d, user_factors.row(u).data(), scores);
  });
}

RankingMetrics EvaluatePopularity(const SparseRows& train, const std::vector<Interaction>& test, int k) {
  const std::vector<int32_t> pop = ItemPopularity(train);
  return Evaluate(train, test, k, [&](int32_t, float* scores) {
    for (size_t i = 0; i < pop.size(); ++i) scores[i] = static_cast<float>(pop[i]);
  });
}

StatusOr<TrainResult> TrainImplicit(const Dataset& ds, const AlsOptions& options, const ProgressFn& progress,
                                    FactorEncoding encoding) {
  TrainResult r;
  r.train = BuildUserItems(ds.num_users(), ds.catalog.num_items(), ds.train);
  PATHLIGHT_ASSIGN_OR_RETURN(r.model, TrainImplicitAls(r.train, options, progress));
  ModelInfo info;
  info.dataset = ds.name;
  info.algorithm = options.solver == AlsSolver::kCholesky ? "implicit-als" : "implicit-als-cg";
  info.regularization = options.regularization;
  info.alpha = options.alpha;
  info.iterations = options.iterations;
  PATHLIGHT_ASSIGN_OR_RETURN(r.bundle, AssembleBundle(ds.catalog, r.model.item_factors, Vector(), std::move(info), encoding));
  const std::vector<int32_t> counts = ItemPopularity(r.train);
  const float top = static_cast<float>(std::max(1, *std::max_element(counts.begin(), counts.end())));
  for (size_t i = 0; i < counts.size(); ++i) r.bundle.item_popularity[i] = static_cast<float>(counts[i]) / top;
  return r;
}

}  // namespace pathlight::trainer
