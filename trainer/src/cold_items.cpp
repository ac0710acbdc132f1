#include "pathlight/trainer/cold_items.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <unordered_map>

#include "pathlight/metrics.h"
#include "pathlight/recommender.h"

namespace pathlight::trainer {

using nlohmann::json;

Status AttachContentModel(const RowMatrix& item_factors, const Vector& item_bias, const SparseRows& train,
                          const RowMatrix& user_factors, const ContentOptions& options, Bundle* bundle) {
  const std::vector<int32_t> counts = ItemPopularity(train);
  std::vector<uint8_t> trained(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) trained[i] = counts[i] > 0 ? 1 : 0;
  if (std::find(trained.begin(), trained.end(), 1) == trained.end()) return Status::Ok();  // nothing to learn from
  std::vector<std::vector<int32_t>> by_user(train.rows());
  for (int32_t u = 0; u < train.rows(); ++u)
    for (SparseRows::InnerIterator it(train, u); it; ++it) by_user[u].push_back(static_cast<int32_t>(it.col()));
  PATHLIGHT_ASSIGN_OR_RETURN(ContentFit fit, FitContentModel(bundle->catalog, item_factors, item_bias, trained, options,
                                                              user_factors, by_user));
  if (!bundle->info.metrics.is_object()) bundle->info.metrics = json::object();
  bundle->info.metrics["content"] = {{"method", "ridge"},
                                     {"regularization", fit.regularization},
                                     {"validation_auc", fit.validation_auc},
                                     {"trained_items", fit.trained_items},
                                     {"validation_items", fit.validation_items},
                                     {"features", fit.model.NumFeatures()}};
  bundle->content_model = std::move(fit.model);
  return Status::Ok();
}

ColdItemSplit SplitColdItems(const Dataset& ds, double fraction, uint64_t seed) {
  const int32_t n = ds.catalog.num_items();
  std::vector<uint8_t> seen(n, 0);
  for (const auto* list : {&ds.train, &ds.test})
    for (const Interaction& e : *list) seen[e.item] = 1;
  std::vector<int32_t> items;
  for (int32_t i = 0; i < n; ++i)
    if (seen[i]) items.push_back(i);
  std::mt19937_64 rng(seed);
  std::shuffle(items.begin(), items.end(), rng);
  items.resize(static_cast<size_t>(std::llround(fraction * static_cast<double>(items.size()))));
  std::sort(items.begin(), items.end());
  std::vector<uint8_t> held(n, 0);
  for (int32_t i : items) held[i] = 1;

  ColdItemSplit s;
  s.held_out = std::move(items);
  s.train = ds;
  s.train.train.clear();
  s.train.test.clear();
  s.positives.assign(ds.num_users(), {});
  for (const Interaction& e : ds.train)
    if (!held[e.item]) s.train.train.push_back(e);
  for (const auto* list : {&ds.train, &ds.test})
    for (const Interaction& e : *list)
      if (held[e.item]) s.positives[e.user].push_back(e.item);
  for (auto& p : s.positives) {
    std::sort(p.begin(), p.end());
    p.erase(std::unique(p.begin(), p.end()), p.end());
  }
  return s;
}

namespace {

json ColdJson(double auc, const RankingMetrics& r, int k) {
  return {{"cold_auc", auc}, {"cold_ndcg_at_" + std::to_string(k), r.ndcg}};
}

// AUC and nDCG@k of `score(u, candidate item) ` over the learners in `learners`.
std::pair<double, RankingMetrics> Measure(const std::vector<int32_t>& candidates,
                                          const std::vector<std::vector<int32_t>>& positives,
                                          const std::vector<int32_t>& learners, int k,
                                          const std::function<float(int32_t, int32_t)>& score) {
  std::vector<std::vector<int32_t>> pos(positives.size());
  for (int32_t u : learners) pos[u] = positives[u];
  const double auc = MeanAuc(candidates, pos, [&](int32_t u, const std::vector<int32_t>& items, float* out) {
    for (size_t j = 0; j < items.size(); ++j) out[j] = score(u, items[j]);
  });
  RankingAccumulator acc(k);
  std::vector<float> s(candidates.size());
  std::vector<int32_t> order(candidates.size());
  for (int32_t u : learners) {
    for (size_t j = 0; j < candidates.size(); ++j) s[j] = score(u, candidates[j]);
    std::iota(order.begin(), order.end(), 0);
    const size_t top = std::min<size_t>(static_cast<size_t>(k), order.size());
    // Best first; ties by item index (the same order as TopK).
    std::partial_sort(order.begin(), order.begin() + static_cast<int64_t>(top), order.end(),
                      [&](int32_t a, int32_t b) { return s[a] != s[b] ? s[a] > s[b] : a < b; });
    std::vector<int32_t> ranked;
    for (size_t j = 0; j < top; ++j) ranked.push_back(candidates[order[j]]);
    acc.Add(ranked, positives[u]);
  }
  return {auc, acc.Result()};
}

}  // namespace

StatusOr<json> RunColdItems(const Dataset& ds, const EvalOptions& o, const ProgressFn& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  if (ds.train.empty())
    return Status(ErrorCode::kInvalidArgument, "dataset \"" + ds.name + "\" has no interactions to evaluate on");
  if (o.model.kind == ModelKind::kPopular || o.model.kind == ModelKind::kBiasedMf)
    return Status(ErrorCode::kInvalidArgument, "--protocol cold-items evaluates implicit models (als, bpr)");
  ColdItemSplit split = SplitColdItems(ds, 0.1, o.seed);
  if (split.held_out.size() < 2) return Status(ErrorCode::kInvalidArgument, "too few items with interactions to hold 10% out");
  PATHLIGHT_ASSIGN_OR_RETURN(ModelBundle mb, TrainBundle(split.train, o.model, o.encoding, progress));
  const json content = mb.bundle.info.metrics.value("content", json::object());
  // The engine fills the held-out items' rows (they have no interactions: zero rows) at load.
  const Recommender rec(std::move(mb.bundle));
  const Bundle& b = rec.bundle();
  const int32_t k = b.item_factors.cols();
  RowMatrix y(static_cast<int64_t>(split.held_out.size()), k);
  std::unordered_map<int32_t, int32_t> row_of;
  for (size_t j = 0; j < split.held_out.size(); ++j) {
    b.item_factors.Row(split.held_out[j], y.row(static_cast<int64_t>(j)).data());
    row_of[split.held_out[j]] = static_cast<int32_t>(j);
  }
  std::vector<int32_t> learners;
  std::vector<int64_t> rows_of_user(ds.num_users(), 0);
  for (int32_t u = 0; u < mb.train.rows(); ++u) rows_of_user[u] = mb.train.outerIndexPtr()[u + 1] - mb.train.outerIndexPtr()[u];
  for (int32_t u = 0; u < ds.num_users(); ++u)
    if (rows_of_user[u] > 0 && !split.positives[u].empty()) learners.push_back(u);
  const RowMatrix& x = mb.model.user_factors;
  const auto [auc, ranking] = Measure(split.held_out, split.positives, learners, o.k, [&](int32_t u, int32_t i) {
    return b.item_bias[i] + x.row(u).dot(y.row(row_of.at(i)));
  });

  // Baselines from the knowledge graph alone. n_u(c): the learner's training items teaching c.
  const Catalog& cat = ds.catalog;
  const int32_t n_concepts = cat.num_concepts();
  std::vector<std::unordered_map<int32_t, float>> concepts_of(ds.num_users());
  std::vector<double> concept_pop(n_concepts, 0);
  for (const Interaction& e : split.train.train)
    for (ConceptIndex c : cat.item(ItemIndex(e.item)).teaches) {
      concepts_of[e.user][c.value()] += 1;
      concept_pop[c.value()] += 1;
    }
  auto kg = [&](int32_t u, int32_t i) {
    const std::vector<ConceptIndex>& t = cat.item(ItemIndex(i)).teaches;
    if (t.empty()) return 0.f;
    float s = 0;
    for (ConceptIndex c : t)
      if (auto it = concepts_of[u].find(c.value()); it != concepts_of[u].end()) s += it->second;
    return s / std::sqrt(static_cast<float>(t.size()));
  };
  auto pop_in_concept = [&](int32_t, int32_t i) {
    const std::vector<ConceptIndex>& t = cat.item(ItemIndex(i)).teaches;
    double s = 0;
    for (ConceptIndex c : t) s += concept_pop[c.value()];
    return t.empty() ? 0.f : static_cast<float>(s / static_cast<double>(t.size()));
  };
  const auto [kg_auc, kg_rank] = Measure(split.held_out, split.positives, learners, o.k, kg);
  const auto [pc_auc, pc_rank] = Measure(split.held_out, split.positives, learners, o.k, pop_in_concept);

  json out = ColdJson(auc, ranking, o.k);
  out["dataset"] = ds.name;
  out["protocol"] = "cold-items";
  out["held_out_items"] = split.held_out.size();
  out["learners"] = learners.size();
  out["content"] = content;
  out["model"] = {{"algorithm", b.info.algorithm}, {"factors", k}, {"regularization", b.info.regularization},
                  {"alpha", b.info.alpha}, {"iterations", b.info.iterations}};
  out["baselines"] = {{"knowledge_graph", ColdJson(kg_auc, kg_rank, o.k)},
                      {"popularity_within_concept", ColdJson(pc_auc, pc_rank, o.k)}};
  out["baselines"]["knowledge_graph"]["algorithm"] =
      "sum over the item's taught concepts of the learner's training items teaching them, / sqrt(concepts)";
  out["baselines"]["popularity_within_concept"]["algorithm"] =
      "mean training interactions on items teaching the item's concepts (not personal)";
  out["total_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace pathlight::trainer
