#include "pathlight/trainer/evaluate.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

#include "pathlight/recommender.h"
#include "pathlight/topk.h"
#include "pathlight/trainer/cold_items.h"

namespace pathlight::trainer {
namespace {

using nlohmann::json;

std::vector<std::vector<int32_t>> GroupByUser(const std::vector<Interaction>& events, int32_t n_users) {
  std::vector<std::vector<int32_t>> by_user(n_users);
  for (const Interaction& e : events) by_user[e.user].push_back(e.item);
  return by_user;
}

// Metrics of per-learner ranked lists against their relevant items, summed in learner order.
RankingReport Summarize(const std::vector<std::vector<int32_t>>& ranked,
                        const std::vector<std::vector<int32_t>>& relevant, int k, int32_t n_items) {
  RankingAccumulator acc(k);
  std::vector<uint8_t> shown(n_items, 0);
  for (size_t u = 0; u < ranked.size(); ++u) {
    if (relevant[u].empty()) continue;
    acc.Add(ranked[u], relevant[u]);
    for (int32_t i : ranked[u]) shown[i] = 1;
  }
  RankingReport r;
  r.ranking = acc.Result();
  r.coverage = n_items > 0 ? static_cast<double>(std::count(shown.begin(), shown.end(), 1)) / n_items : 0;
  return r;
}

json RankingJson(const RankingReport& r, int k) {
  const std::string s = "_at_" + std::to_string(k);
  return {{"precision" + s, r.ranking.precision}, {"recall" + s, r.ranking.recall}, {"ndcg" + s, r.ranking.ndcg},
          {"map" + s, r.ranking.map}, {"coverage" + s, r.coverage}, {"users", r.ranking.users}};
}

json ModelJson(const ModelOptions& o) {
  switch (o.kind) {
    case ModelKind::kAls:
      return {{"algorithm", o.als.solver == AlsSolver::kCholesky ? "implicit-als" : "implicit-als-cg"},
              {"factors", o.als.factors}, {"regularization", o.als.regularization}, {"alpha", o.als.alpha},
              {"iterations", o.als.iterations}, {"cg_steps", o.als.cg_steps}, {"seed", o.als.seed}};
    case ModelKind::kBpr:
      return {{"algorithm", "bpr"}, {"factors", o.bpr.factors}, {"learning_rate", o.bpr.learning_rate},
              {"regularization", o.bpr.regularization}, {"iterations", o.bpr.iterations}, {"seed", o.bpr.seed}};
    case ModelKind::kBiasedMf:
      if (o.mf.solver == BiasedMfSolver::kGibbs)
        return {{"algorithm", "biased-mf-gibbs"}, {"factors", o.mf.factors}, {"iterations", o.mf.iterations},
                {"burn_in", o.mf.burn_in}, {"noise_precision", o.mf.noise_precision}, {"seed", o.mf.seed}};
      return {{"algorithm", "biased-mf-als"}, {"factors", o.mf.factors}, {"iterations", o.mf.iterations},
              {"regularization", o.mf.regularization}, {"bias_regularization", o.mf.bias_regularization},
              {"seed", o.mf.seed}};
    case ModelKind::kPopular:
      return {{"algorithm", "popular"}};
  }
  return json::object();
}

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void AddTimings(const TrainedModel& m, json* out) {
  (*out)["iteration_seconds"] = m.iteration_seconds;
  if (!m.iteration_seconds.empty())
    (*out)["seconds_per_iteration"] =
        std::accumulate(m.iteration_seconds.begin(), m.iteration_seconds.end(), 0.0) / m.iteration_seconds.size();
}

// Bias-only rating predictor μ + b_u + b_i (Koren's baseline, Surprise's BaselineOnly with ALS:
// 10 sweeps, reg_i = 10, reg_u = 15): the explicit counterpart of the most-popular baseline.
std::vector<float> BaselinePredictions(const SparseRows& ratings, const std::vector<Interaction>& test, float lo,
                                       float hi) {
  const SparseRows by_item = ratings.transpose();
  double mu = ratings.nonZeros() ? ratings.sum() / ratings.nonZeros() : 0;
  Eigen::VectorXd bu = Eigen::VectorXd::Zero(ratings.rows()), bi = Eigen::VectorXd::Zero(ratings.cols());
  for (int sweep = 0; sweep < 10; ++sweep) {
    for (int32_t i = 0; i < by_item.rows(); ++i) {
      double s = 0, n = 0;
      for (SparseRows::InnerIterator it(by_item, i); it; ++it, ++n) s += it.value() - mu - bu[it.col()];
      bi[i] = s / (10.0 + n);
    }
    for (int32_t u = 0; u < ratings.rows(); ++u) {
      double s = 0, n = 0;
      for (SparseRows::InnerIterator it(ratings, u); it; ++it, ++n) s += it.value() - mu - bi[it.col()];
      bu[u] = s / (15.0 + n);
    }
  }
  std::vector<float> p;
  for (const Interaction& e : test) p.push_back(std::clamp(static_cast<float>(mu + bu[e.user] + bi[e.item]), lo, hi));
  return p;
}

SparseRows RatingMatrix(const Dataset& ds) { return BuildUserItems(ds.num_users(), ds.catalog.num_items(), ds.train); }

json RatingJson(const RatingMetrics& m) { return {{"rmse", m.rmse}, {"mae", m.mae}, {"ratings", m.ratings}}; }

}  // namespace

RankingReport EvaluateRanking(const SparseRows& train, const std::vector<Interaction>& test, int k,
                              const std::function<void(int32_t, float*)>& score, const std::vector<uint8_t>& include) {
  const int32_t n_users = static_cast<int32_t>(train.rows()), n_items = static_cast<int32_t>(train.cols());
  auto relevant = GroupByUser(test, n_users);
  if (!include.empty())
    for (int32_t u = 0; u < n_users; ++u)
      if (!include[u]) relevant[u].clear();
  std::vector<std::vector<int32_t>> ranked(n_users);
#pragma omp parallel
  {
    std::vector<float> scores(n_items);
    std::vector<uint8_t> excluded(n_items, 0);
#pragma omp for schedule(dynamic, 64)
    for (int32_t u = 0; u < n_users; ++u) {
      if (relevant[u].empty()) continue;
      score(u, scores.data());
      for (SparseRows::InnerIterator it(train, u); it; ++it) excluded[it.col()] = 1;
      for (const ScoredItem& s : TopK(scores.data(), n_items, k, excluded)) ranked[u].push_back(s.item.value());
      for (SparseRows::InnerIterator it(train, u); it; ++it) excluded[it.col()] = 0;
    }
  }
  return Summarize(ranked, relevant, k, n_items);
}

RankingMetrics EvaluateFactors(const RowMatrix& user_factors, const RowMatrix& item_factors,
                               const SparseRows& train, const std::vector<Interaction>& test, int k) {
  const int32_t n = static_cast<int32_t>(item_factors.rows()), d = static_cast<int32_t>(item_factors.cols());
  return EvaluateRanking(train, test, k, [&](int32_t u, float* scores) {
           ScoreAll(item_factors.data(), nullptr, n, d, user_factors.row(u).data(), scores);
         }).ranking;
}

RankingMetrics EvaluatePopularity(const SparseRows& train, const std::vector<Interaction>& test, int k) {
  const std::vector<int32_t> pop = ItemPopularity(train);
  return EvaluateRanking(train, test, k, [&](int32_t, float* scores) {
           for (size_t i = 0; i < pop.size(); ++i) scores[i] = static_cast<float>(pop[i]);
         }).ranking;
}

RatingMetrics EvaluateRatings(const std::vector<float>& predictions, const std::vector<Interaction>& test) {
  RatingMetrics m;
  double se = 0, ae = 0;
  for (size_t j = 0; j < test.size() && j < predictions.size(); ++j) {
    const double d = static_cast<double>(predictions[j]) - test[j].weight;
    se += d * d;
    ae += std::abs(d);
    ++m.ratings;
  }
  if (m.ratings > 0) {
    m.rmse = std::sqrt(se / m.ratings);
    m.mae = ae / m.ratings;
  }
  return m;
}

namespace {
void SetPopularity(const SparseRows& train, Bundle* bundle) {
  const std::vector<int32_t> counts = ItemPopularity(train);
  const float top = static_cast<float>(std::max(1, *std::max_element(counts.begin(), counts.end())));
  for (size_t i = 0; i < counts.size(); ++i) bundle->item_popularity[i] = static_cast<float>(counts[i]) / top;
}
}  // namespace

StatusOr<TrainResult> TrainImplicit(const Dataset& ds, const AlsOptions& options, const ProgressFn& progress,
                                    FactorEncoding encoding) {
  TrainResult r;
  r.train = BuildUserItems(ds.num_users(), ds.catalog.num_items(), ds.train);
  PATHLIGHT_ASSIGN_OR_RETURN(r.model, TrainImplicitAls(r.train, options, progress));
  ZeroUntrainedItems(ItemPopularity(r.train), &r.model.item_factors, nullptr);
  ModelInfo info;
  info.dataset = ds.name;
  info.algorithm = options.solver == AlsSolver::kCholesky ? "implicit-als" : "implicit-als-cg";
  info.regularization = options.regularization;
  info.alpha = options.alpha;
  info.iterations = options.iterations;
  PATHLIGHT_ASSIGN_OR_RETURN(r.bundle, AssembleBundle(ds.catalog, r.model.item_factors, Vector(), std::move(info), encoding));
  SetPopularity(r.train, &r.bundle);
  PATHLIGHT_RETURN_IF_ERROR(AttachContentModel(r.model.item_factors, Vector(), r.train, r.model.user_factors, {}, &r.bundle));
  return r;
}

StatusOr<ModelBundle> TrainBundle(const Dataset& ds, const ModelOptions& options, FactorEncoding encoding,
                                  const ProgressFn& progress) {
  if (ds.train.empty())
    return Status(ErrorCode::kInvalidArgument, "dataset \"" + ds.name +
                                                   "\" has no interactions to train on (a catalog / knowledge-graph "
                                                   "source: see `pathlight import`, or `pathlight bundle --item-factors`)");
  if (options.kind == ModelKind::kPopular)
    return Status(ErrorCode::kInvalidArgument, "the popular baseline has no factors to put in a bundle");
  if (options.kind == ModelKind::kBiasedMf && !ds.explicit_ratings)
    return Status(ErrorCode::kInvalidArgument, "biased-mf needs explicit ratings (e.g. --dataset movielens)");
  ModelBundle r;
  r.train = RatingMatrix(ds);
  PATHLIGHT_ASSIGN_OR_RETURN(r.model, TrainModel(r.train, options, {}, progress));
  const json model = ModelJson(options);
  ModelInfo info;
  info.dataset = ds.name;
  info.algorithm = model["algorithm"].get<std::string>();
  info.iterations = model.value("iterations", 0);
  // The device folds learners in with implicit-ALS equations; λ and α are ALS's, or ALS's defaults
  // for the other models (their factors are still a good basis for the same ridge solve).
  info.regularization = options.als.regularization;
  info.alpha = options.als.alpha;
  // Learners of a rating model fold their ratings in on the device (fold_in.h, RatingSystem): with
  // the ALS-WR penalties, or with the Gibbs model's learned user prior (eval --protocol foldin
  // measures how close either gets to training with the learner).
  info.ratings = r.model.rating_model;
  PATHLIGHT_ASSIGN_OR_RETURN(r.bundle, AssembleBundle(ds.catalog, r.model.item_factors, r.model.item_bias,
                                                      std::move(info), encoding));
  SetPopularity(r.train, &r.bundle);
  PATHLIGHT_RETURN_IF_ERROR(
      AttachContentModel(r.model.item_factors, r.model.item_bias, r.train, r.model.user_factors, {}, &r.bundle));
  return r;
}

json EvaluateTrained(const Dataset& ds, const ModelBundle& t, const ModelOptions& options, int k) {
  if (ds.test.empty()) return json::object();
  json out;
  out["dataset"] = ds.name;
  out["protocol"] = "temporal";
  out["model"] = ModelJson(options);
  if (ds.explicit_ratings && options.kind == ModelKind::kBiasedMf) {
    std::vector<float> p;
    for (const Interaction& e : ds.test)
      p.push_back(std::clamp(t.model.global_mean + t.model.user_bias[e.user] + t.model.item_bias[e.item] +
                                 t.model.user_factors.row(e.user).dot(t.model.item_factors.row(e.item)),
                             ds.min_rating, ds.max_rating));
    out.update(RatingJson(EvaluateRatings(p, ds.test)));
    out["baseline"] = RatingJson(EvaluateRatings(BaselinePredictions(t.train, ds.test, ds.min_rating, ds.max_rating), ds.test));
    out["baseline"]["algorithm"] = "global mean + biases";
    return out;
  }
  const std::vector<int32_t> pop = ItemPopularity(t.train);
  out.update(RankingJson(EvaluateRanking(t.train, ds.test, k, [&](int32_t u, float* s) { t.model.Score(u, s); }), k));
  out["baseline"] = RankingJson(EvaluateRanking(t.train, ds.test, k, [&](int32_t, float* s) {
    for (size_t i = 0; i < pop.size(); ++i) s[i] = static_cast<float>(pop[i]);
  }), k);
  out["baseline"]["algorithm"] = "popular";
  return out;
}

// Learners held out for --protocol foldin: a seeded `holdout_fraction` of those with training and
// test events.
StatusOr<std::vector<int32_t>> HeldOutLearners(const Dataset& ds, const SparseRows& train, const EvalOptions& o) {
  std::vector<int32_t> candidates;
  std::vector<uint8_t> has_test(ds.num_users(), 0);
  for (const Interaction& e : ds.test) has_test[e.user] = 1;
  for (int32_t u = 0; u < ds.num_users(); ++u)
    if (has_test[u] && train.outerIndexPtr()[u + 1] > train.outerIndexPtr()[u]) candidates.push_back(u);
  std::mt19937_64 rng(o.seed);
  std::shuffle(candidates.begin(), candidates.end(), rng);
  candidates.resize(static_cast<size_t>(std::llround(o.holdout_fraction * static_cast<double>(candidates.size()))));
  if (candidates.empty()) return Status(ErrorCode::kInvalidArgument, "no learners to hold out");
  return candidates;
}

Dataset WithoutLearners(const Dataset& ds, const std::vector<uint8_t>& held) {
  Dataset without = ds;
  without.train.clear();
  for (const Interaction& e : ds.train)
    if (!held[e.user]) without.train.push_back(e);
  return without;
}

// --protocol foldin for a rating model: held-out learners' training ratings become `rate` events
// of a profile, folded in on the device path (Recommender::Learner → the biased ridge solve of
// fold_in.h), and their test ratings are predicted by Recommender::PredictRating — against the
// same model trained with them.
StatusOr<json> RatingFoldInFidelity(const Dataset& ds, const SparseRows& train, const EvalOptions& o,
                                    const ProgressFn& progress, json out) {
  PATHLIGHT_ASSIGN_OR_RETURN(const std::vector<int32_t> candidates, HeldOutLearners(ds, train, o));
  std::vector<uint8_t> held(ds.num_users(), 0);
  for (int32_t u : candidates) held[u] = 1;
  std::vector<Interaction> test;
  std::vector<std::pair<int32_t, int32_t>> queries;
  for (const Interaction& e : ds.test)
    if (held[e.user]) {
      test.push_back(e);
      queries.push_back({e.user, e.item});
    }
  const auto t1 = std::chrono::steady_clock::now();
  PATHLIGHT_ASSIGN_OR_RETURN(TrainedModel full, TrainModel(train, o.model, queries, progress));
  const Dataset without = WithoutLearners(ds, held);
  PATHLIGHT_ASSIGN_OR_RETURN(ModelBundle mb, TrainBundle(without, o.model, o.encoding, progress));
  out["train_seconds"] = Seconds(t1);
  const Recommender rec(std::move(mb.bundle));
  std::vector<Profile> profiles(ds.num_users());
  for (int32_t u : candidates)
    for (SparseRows::InnerIterator it(train, u); it; ++it) {
      Event e;
      e.type = EventType::kRate;
      e.item = ds.catalog.item(ItemIndex(static_cast<int32_t>(it.col()))).id;
      e.rating = it.value();
      profiles[u].events.push_back(std::move(e));
    }
  std::vector<float> folded;
  std::vector<LearnerState> learners(ds.num_users());
  for (int32_t u : candidates) learners[u] = rec.Learner(std::move(profiles[u]), 0);
  for (const Interaction& e : test) folded.push_back(*rec.PredictRating(learners[e.user], ItemIndex(e.item)));
  const RatingMetrics f = EvaluateRatings(folded, test), t = EvaluateRatings(full.query_predictions, test);
  out["rmse_folded"] = f.rmse;
  out["rmse_trained"] = t.rmse;
  out["mae_folded"] = f.mae;
  out["mae_trained"] = t.mae;
  out["fidelity"] = f.rmse > 0 ? t.rmse / f.rmse : 0.0;  // ≤ 1: how close the device gets to training
  out["held_out_learners"] = candidates.size();
  out["ratings"] = f.ratings;
  out["factor_encoding"] = FactorEncodingName(o.encoding);
  out["baseline"] = RatingJson(EvaluateRatings(
      BaselinePredictions(RatingMatrix(without), test, ds.min_rating, ds.max_rating), test));
  out["baseline"]["algorithm"] = "global mean + biases (without the held-out learners)";
  return out;
}

ValidationMethod ProtocolValidationMethod(const std::string& protocol) {
  return protocol == "random-80-20" || protocol == "surprise-5fold" ? ValidationMethod::kRandom
                                                                    : ValidationMethod::kLast;
}

StatusOr<Dataset> ProtocolSplit(Dataset ds, const EvalOptions& o) {
  if (ds.train.empty())
    return Status(ErrorCode::kInvalidArgument, "dataset \"" + ds.name + "\" has no interactions to evaluate on "
                                               "(a catalog / knowledge-graph source: see `pathlight import`)");
  if (o.protocol == "random-80-20") {
    SplitRandomPerLearner(&ds, 0.2, o.seed);
  } else if (o.protocol == "temporal" || o.protocol == "foldin") {
    if (ds.test.empty())
      return Status(ErrorCode::kInvalidArgument, "dataset \"" + ds.name + "\" has no test split for --protocol " +
                                                     o.protocol + "; use --protocol random-80-20");
  } else {
    return Status(ErrorCode::kInvalidArgument, "--protocol " + o.protocol + " does not apply to dataset \"" + ds.name +
                                                   "\" (surprise-5fold is for --dataset movielens)");
  }
  return ds;
}

StatusOr<Dataset> ValidationSplit(const Dataset& split, const EvalOptions& o) {
  return CarveValidation(split, ProtocolValidationMethod(o.protocol), o.validation_share, o.seed + 1);
}

namespace {

// The validation run's figures for the "validation" object beside the test keys: its metrics and
// baseline, without what the test run already says (dataset, model, timings per sweep).
json ValidationJson(json inner, const Dataset& validation, const EvalOptions& o) {
  for (const char* key : {"dataset", "protocol", "model", "importer", "iteration_seconds", "seconds_per_iteration",
                          "total_seconds"})
    inner.erase(key);
  inner["split"] = {{"method", ValidationMethodName(ProtocolValidationMethod(o.protocol))},
                    {"share", o.validation_share},
                    {"seed", o.seed + 1},
                    {"train_events", validation.train.size()},
                    {"validation_events", validation.test.size()}};
  return inner;
}

}  // namespace

StatusOr<json> RunProtocol(Dataset ds, const EvalOptions& o, const ProgressFn& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  PATHLIGHT_ASSIGN_OR_RETURN(const Dataset split, ProtocolSplit(std::move(ds), o));
  json validation;
  if (o.validation) {  // model chosen on this, never on the test split
    PATHLIGHT_ASSIGN_OR_RETURN(const Dataset inner, ValidationSplit(split, o));
    PATHLIGHT_ASSIGN_OR_RETURN(json v, EvaluateSplit(inner, o, progress));
    validation = ValidationJson(std::move(v), inner, o);
  }
  PATHLIGHT_ASSIGN_OR_RETURN(json out, EvaluateSplit(split, o, progress));
  if (o.validation) out["validation"] = std::move(validation);
  out["total_seconds"] = Seconds(t0);
  return out;
}

StatusOr<json> EvaluateSplit(const Dataset& ds, const EvalOptions& o, const ProgressFn& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  if (ds.train.empty())
    return Status(ErrorCode::kInvalidArgument, "dataset \"" + ds.name + "\" has no interactions to evaluate on "
                                               "(a catalog / knowledge-graph source: see `pathlight import`)");
  const bool rating_model = o.model.kind == ModelKind::kBiasedMf;
  if (rating_model && !ds.explicit_ratings)
    return Status(ErrorCode::kInvalidArgument, "biased-mf needs explicit ratings (e.g. --dataset movielens)");
  if (o.protocol == "foldin" && o.model.kind == ModelKind::kPopular)
    return Status(ErrorCode::kInvalidArgument, "--protocol foldin evaluates trained models (als, bpr, biased-mf)");

  json out;
  out["dataset"] = ds.name;
  out["protocol"] = o.protocol == "temporal" ? "temporal" : o.protocol;
  out["model"] = ModelJson(o.model);
  out["importer"] = ds.report;
  const SparseRows train = RatingMatrix(ds);
  const int k = o.k;

  if (rating_model && o.protocol == "foldin") return RatingFoldInFidelity(ds, train, o, progress, std::move(out));
  if (rating_model) {
    std::vector<std::pair<int32_t, int32_t>> queries;
    for (const Interaction& e : ds.test) queries.push_back({e.user, e.item});
    const auto t1 = std::chrono::steady_clock::now();
    PATHLIGHT_ASSIGN_OR_RETURN(TrainedModel m, TrainModel(train, o.model, queries, progress));
    out["train_seconds"] = Seconds(t1);
    const RatingMetrics r = EvaluateRatings(m.query_predictions, ds.test);
    out["rmse"] = r.rmse;
    out["mae"] = r.mae;
    out["ratings"] = r.ratings;
    if (o.baseline) {
      out["baseline"] =
          RatingJson(EvaluateRatings(BaselinePredictions(train, ds.test, ds.min_rating, ds.max_rating), ds.test));
      out["baseline"]["algorithm"] = "global mean + biases";
    }
    AddTimings(m, &out);
    out["total_seconds"] = Seconds(t0);
    return out;
  }

  const std::vector<int32_t> pop = ItemPopularity(train);
  auto popular = [&](int32_t, float* s) {
    for (size_t i = 0; i < pop.size(); ++i) s[i] = static_cast<float>(pop[i]);
  };

  if (o.protocol != "foldin") {
    const auto t1 = std::chrono::steady_clock::now();
    PATHLIGHT_ASSIGN_OR_RETURN(TrainedModel m, TrainModel(train, o.model, {}, progress));
    out["train_seconds"] = Seconds(t1);
    out.update(RankingJson(EvaluateRanking(train, ds.test, k, [&](int32_t u, float* s) { m.Score(u, s); }), k));
    if (o.baseline) {
      out["baseline"] = RankingJson(EvaluateRanking(train, ds.test, k, popular), k);
      out["baseline"]["algorithm"] = "popular";
    }
    AddTimings(m, &out);
    out["total_seconds"] = Seconds(t0);
    return out;
  }

  // Fold-in fidelity: (a) trained with everyone; (b) trained without the held-out learners, who are
  // then folded in through a bundle.
  PATHLIGHT_ASSIGN_OR_RETURN(const std::vector<int32_t> candidates, HeldOutLearners(ds, train, o));
  std::vector<uint8_t> held(ds.num_users(), 0);
  for (int32_t u : candidates) held[u] = 1;
  const auto t1 = std::chrono::steady_clock::now();
  PATHLIGHT_ASSIGN_OR_RETURN(TrainedModel full, TrainModel(train, o.model, {}, progress));
  const RankingReport trained =
      EvaluateRanking(train, ds.test, k, [&](int32_t u, float* s) { full.Score(u, s); }, held);
  PATHLIGHT_ASSIGN_OR_RETURN(ModelBundle mb, TrainBundle(WithoutLearners(ds, held), o.model, o.encoding, progress));
  out["train_seconds"] = Seconds(t1);
  const Recommender rec(std::move(mb.bundle));
  std::vector<std::vector<int32_t>> ranked(ds.num_users()), relevant = GroupByUser(ds.test, ds.num_users());
  for (int32_t u = 0; u < ds.num_users(); ++u)
    if (!held[u]) relevant[u].clear();
  RankOptions ro;
  ro.k = k;
  ro.exclude_consumed = true;
  for (int32_t u : candidates) {
    std::vector<WeightedItem> history;
    for (SparseRows::InnerIterator it(train, u); it; ++it) history.push_back({static_cast<int32_t>(it.col()), it.value()});
    const Vector x = rec.FoldIn(history);
    for (const ScoredItem& s : rec.Recommend(x, history, ro)) ranked[u].push_back(s.item.value());
  }
  const RankingReport folded = Summarize(ranked, relevant, k, ds.catalog.num_items());
  const std::string key = "ndcg_at_" + std::to_string(k);
  out[key + "_folded"] = folded.ranking.ndcg;
  out[key + "_trained"] = trained.ranking.ndcg;
  out["fidelity"] = trained.ranking.ndcg > 0 ? folded.ranking.ndcg / trained.ranking.ndcg : 0.0;
  out["held_out_learners"] = candidates.size();
  out["folded"] = RankingJson(folded, k);
  out["trained"] = RankingJson(trained, k);
  out["factor_encoding"] = FactorEncodingName(o.encoding);
  if (o.baseline) {
    out["baseline"] = RankingJson(EvaluateRanking(train, ds.test, k, popular, held), k);
    out["baseline"]["algorithm"] = "popular";
  }
  AddTimings(full, &out);
  out["total_seconds"] = Seconds(t0);
  return out;
}

StatusOr<json> RunSurpriseFolds(const std::string& dir, const EvalOptions& o, const ProgressFn& progress) {
  if (o.model.kind != ModelKind::kBiasedMf)
    return Status(ErrorCode::kInvalidArgument, "--protocol surprise-5fold evaluates rating models: use --model biased-mf");
  const auto t0 = std::chrono::steady_clock::now();
  EvalOptions plain = o;
  plain.protocol = "surprise-5fold";
  json folds = json::array();
  double rmse = 0, mae = 0, base_rmse = 0, base_mae = 0, val_rmse = 0, val_mae = 0, val_base_rmse = 0;
  int64_t val_train = 0, val_events = 0;
  std::vector<double> seconds;
  for (int f = 1; f <= 5; ++f) {
    PATHLIGHT_ASSIGN_OR_RETURN(Dataset ds, LoadMovieLens(dir, f));
    json fold = {{"fold", "u" + std::to_string(f)}};
    if (o.validation) {  // the inner split of this fold's base: u<f>.test is not read
      PATHLIGHT_ASSIGN_OR_RETURN(const Dataset inner, ValidationSplit(ds, plain));
      PATHLIGHT_ASSIGN_OR_RETURN(const json v, EvaluateSplit(inner, plain, progress));
      fold["validation_rmse"] = v["rmse"];
      fold["validation_mae"] = v["mae"];
      val_rmse += v["rmse"].get<double>() / 5;
      val_mae += v["mae"].get<double>() / 5;
      if (o.baseline) val_base_rmse += v["baseline"]["rmse"].get<double>() / 5;
      val_train += static_cast<int64_t>(inner.train.size());
      val_events += static_cast<int64_t>(inner.test.size());
    }
    PATHLIGHT_ASSIGN_OR_RETURN(const json t, EvaluateSplit(ds, plain, progress));
    fold["rmse"] = t["rmse"];
    fold["mae"] = t["mae"];
    fold["ratings"] = t["ratings"];
    rmse += t["rmse"].get<double>() / 5;
    mae += t["mae"].get<double>() / 5;
    if (o.baseline) {
      fold["baseline_rmse"] = t["baseline"]["rmse"];
      fold["baseline_mae"] = t["baseline"]["mae"];
      base_rmse += t["baseline"]["rmse"].get<double>() / 5;
      base_mae += t["baseline"]["mae"].get<double>() / 5;
    }
    for (const json& s : t.value("iteration_seconds", json::array())) seconds.push_back(s.get<double>());
    folds.push_back(std::move(fold));
  }
  json out = {{"dataset", "movielens"}, {"protocol", "surprise-5fold"}, {"model", ModelJson(o.model)},
              {"folds", folds}, {"rmse", rmse}, {"mae", mae}};
  if (o.baseline) out["baseline"] = {{"algorithm", "global mean + biases"}, {"rmse", base_rmse}, {"mae", base_mae}};
  if (o.validation) {
    out["validation"] = {{"rmse", val_rmse}, {"mae", val_mae},
                         {"split", {{"method", ValidationMethodName(ValidationMethod::kRandom)},
                                    {"share", o.validation_share}, {"seed", o.seed + 1},
                                    {"train_events", val_train}, {"validation_events", val_events},
                                    {"note", "the inner split of each fold's base; means over the five folds"}}}};
    if (o.baseline) out["validation"]["baseline"] = {{"algorithm", "global mean + biases"}, {"rmse", val_base_rmse}};
  }
  if (!seconds.empty())
    out["seconds_per_iteration"] = std::accumulate(seconds.begin(), seconds.end(), 0.0) / seconds.size();
  out["total_seconds"] = Seconds(t0);
  return out;
}

}  // namespace pathlight::trainer
