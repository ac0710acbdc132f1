// Hyperparameter search on validation data (tune.h).
#include "pathlight/trainer/tune.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

namespace pathlight::trainer {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::string Show(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

double Round3(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return std::strtod(buf, nullptr);
}

double Seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// A uniform double in [0, 1) from the generator's raw output (the same on every platform, unlike
// std::uniform_real_distribution).
double Uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// A setting's value in its canonical JSON type: integers as integers, floats as doubles.
json Canonical(const ParamSpec& spec, const json& v) {
  if (spec.type == ParamSpec::Type::kInt) return static_cast<int64_t>(std::llround(v.get<double>()));
  if (spec.type == ParamSpec::Type::kFloat) return v.get<double>();
  return v;
}

bool SameValue(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  return a == b;
}

bool LowerIsBetter(const std::string& metric) { return metric.rfind("rmse", 0) == 0 || metric.rfind("mae", 0) == 0; }

// Better score (ties: false, so the earlier candidate stays).
bool Better(double a, double b, bool higher) { return higher ? a > b : a < b; }

}  // namespace

const char* SearchMethodName(SearchMethod method) {
  return method == SearchMethod::kRandom ? "random" : "halving";
}

StatusOr<SearchSpace> ParseSearchSpace(const json& j, ModelKind model) {
  const std::string where = "search space";
  if (!j.is_object())
    return Status(ErrorCode::kInvalidArgument,
                  where + ": expected a JSON object {\"setting\": [values] | {\"min\", \"max\", \"log\"}}");
  if (j.empty())
    return Status(ErrorCode::kInvalidArgument, where + " is empty: name at least one setting to search (for --model " +
                                                   std::string(ModelKindName(model)) + ": " + ParamNames(model) + ")");
  SearchSpace space;
  space.model = model;
  for (auto& [key, value] : j.items()) {
    const ParamSpec* spec = FindParam(model, key);
    const std::string at = where + " \"" + key + "\"";
    if (spec == nullptr)
      return Status(ErrorCode::kInvalidArgument, where + ": unknown key \"" + key + "\" for --model " +
                                                     ModelKindName(model) + " (known: " + ParamNames(model) + ")");
    SearchDimension d;
    d.name = key;
    d.integer = spec->type == ParamSpec::Type::kInt;
    if (value.is_array()) {
      if (value.empty()) return Status(ErrorCode::kInvalidArgument, at + ": an empty list of values");
      for (const json& v : value) {
        PATHLIGHT_RETURN_IF_ERROR(CheckParamValue(*spec, v, where));
        const json c = Canonical(*spec, v);
        if (std::none_of(d.values.begin(), d.values.end(), [&](const json& x) { return SameValue(x, c); }))
          d.values.push_back(c);
      }
    } else if (value.is_object()) {
      if (spec->type == ParamSpec::Type::kChoice)
        return Status(ErrorCode::kInvalidArgument, at + ": takes a list of values, not a range");
      for (auto& [k, v] : value.items())
        if (k != "min" && k != "max" && k != "log")
          return Status(ErrorCode::kInvalidArgument, at + ": unknown key \"" + k + "\" in a range (known: min, max, log)");
      if (!value.contains("min") || !value.contains("max") || !value["min"].is_number() || !value["max"].is_number())
        return Status(ErrorCode::kInvalidArgument, at + ": a range needs numbers \"min\" and \"max\"");
      if (value.contains("log") && !value["log"].is_boolean())
        return Status(ErrorCode::kInvalidArgument, at + " \"log\": expected true or false, got " + Show(value["log"]));
      PATHLIGHT_RETURN_IF_ERROR(CheckParamValue(*spec, value["min"], where + " (min)"));
      PATHLIGHT_RETURN_IF_ERROR(CheckParamValue(*spec, value["max"], where + " (max)"));
      d.min = value["min"].get<double>();
      d.max = value["max"].get<double>();
      d.log = value.value("log", false);
      if (!(d.min < d.max))
        return Status(ErrorCode::kInvalidArgument, at + ": a degenerate range (min " + Show(value["min"]) +
                                                       " is not below max " + Show(value["max"]) + ")");
      if (d.log && d.min <= 0)
        return Status(ErrorCode::kInvalidArgument, at + ": a log range needs min > 0, got " + Show(value["min"]));
    } else {
      return Status(ErrorCode::kInvalidArgument,
                    at + ": expected a list of values or {\"min\", \"max\"[, \"log\"]}, got " + Show(value));
    }
    space.dimensions.push_back(std::move(d));
  }
  if (auto n = SpaceSize(space); n && *n <= 1) {
    json point = json::object();
    for (const SearchDimension& d : space.dimensions) point[d.name] = d.values.front();
    return Status(ErrorCode::kInvalidArgument,
                  where + " is degenerate: it holds a single point " + Show(point) +
                      ", nothing to choose from; give some setting two or more values or a range");
  }
  return space;
}

SearchSpace DefaultSearchSpace(const ModelOptions& base, SearchMethod method) {
  SearchSpace s;
  s.model = base.kind;
  auto list = [](const char* name, std::vector<json> values, bool integer) {
    SearchDimension d;
    d.name = name;
    d.values = std::move(values);
    d.integer = integer;
    return d;
  };
  auto range = [](const char* name, double lo, double hi) {
    SearchDimension d;
    d.name = name;
    d.min = lo;
    d.max = hi;
    d.log = true;
    return d;
  };
  switch (base.kind) {
    case ModelKind::kAls:
      s.dimensions = {list("factors", {32, 64, 128, 256}, true), range("regularization", 0.05, 50),
                      range("alpha", 2, 80)};
      // Random search also chooses the sweeps; successive halving spends them itself.
      if (method == SearchMethod::kRandom) s.dimensions.push_back(list("iterations", {10, 15, 20}, true));
      break;
    case ModelKind::kBpr:
      s.dimensions = {list("factors", {32, 64, 128, 256}, true), range("learning_rate", 0.01, 0.3),
                      range("regularization", 1e-4, 0.1)};
      break;
    case ModelKind::kBiasedMf:
      if (base.mf.solver == BiasedMfSolver::kGibbs)
        s.dimensions = {list("factors", {10, 20, 30, 50, 80, 100}, true), range("noise_precision", 0.5, 4)};
      else
        s.dimensions = {list("factors", {10, 20, 50, 100}, true), range("regularization", 0.02, 1),
                        range("bias_regularization", 0.005, 0.5)};
      break;
    case ModelKind::kPopular:
      break;
  }
  return s;
}

json SearchSpaceJson(const SearchSpace& space) {
  json j = json::object();
  for (const SearchDimension& d : space.dimensions) {
    if (!d.values.empty()) j[d.name] = d.values;
    else j[d.name] = {{"min", d.min}, {"max", d.max}, {"log", d.log}};
  }
  return j;
}

std::optional<int64_t> SpaceSize(const SearchSpace& space) {
  double n = 1;
  for (const SearchDimension& d : space.dimensions) {
    if (!d.values.empty()) n *= static_cast<double>(d.values.size());
    else if (d.integer) n *= d.max - d.min + 1;
    else return std::nullopt;
  }
  return n >= 9e18 ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(n);
}

std::optional<json> ProjectOnSpace(const SearchSpace& space, const json& settings) {
  json point = json::object();
  for (const SearchDimension& d : space.dimensions) {
    if (!settings.contains(d.name)) return std::nullopt;
    const json& v = settings[d.name];
    if (!d.values.empty()) {
      auto it = std::find_if(d.values.begin(), d.values.end(), [&](const json& x) { return SameValue(x, v); });
      if (it == d.values.end()) return std::nullopt;
      point[d.name] = *it;
    } else {
      if (!v.is_number()) return std::nullopt;
      const double x = v.get<double>();
      if (x < d.min || x > d.max) return std::nullopt;
      point[d.name] = d.integer ? json(static_cast<int64_t>(std::llround(x))) : json(x);
    }
  }
  return point;
}

json SampleSettings(const SearchSpace& space, std::mt19937_64& rng) {
  json point = json::object();
  for (const SearchDimension& d : space.dimensions) {
    const double u = Uniform01(rng);
    if (!d.values.empty()) {
      point[d.name] = d.values[std::min(d.values.size() - 1, static_cast<size_t>(u * static_cast<double>(d.values.size())))];
      continue;
    }
    if (d.integer) {  // each integer owns [n − ½, n + ½) (in log scale for a log range; min ≥ 1 there)
      const double lo = d.min - 0.5, hi = d.max + 0.5;
      const double x = d.log ? std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo))) : lo + u * (hi - lo);
      point[d.name] = static_cast<int64_t>(
          std::clamp(std::llround(x), static_cast<long long>(d.min), static_cast<long long>(d.max)));
      continue;
    }
    const double x = d.log ? std::exp(std::log(d.min) + u * (std::log(d.max) - std::log(d.min)))
                           : d.min + u * (d.max - d.min);
    point[d.name] = std::clamp(Round3(x), d.min, d.max);
  }
  return point;
}

HalvingPlan PlanSuccessiveHalving(int64_t budget, int eta, int max_resource) {
  auto rungs = [eta](int64_t n0) {
    std::vector<int64_t> sizes = {n0};
    while (sizes.back() > 1) sizes.push_back(std::max<int64_t>(1, sizes.back() / eta));
    return sizes;
  };
  auto cost = [](const std::vector<int64_t>& sizes) {
    int64_t c = 0;
    for (int64_t s : sizes) c += s;
    return c;
  };
  HalvingPlan plan;
  int64_t n0 = 1;  // Σ is increasing in n₀: take the largest that fits (at least one candidate)
  while (cost(rungs(n0 + 1)) <= budget) ++n0;
  plan.candidates = rungs(n0);
  const int top = static_cast<int>(plan.candidates.size()) - 1;
  for (int r = 0; r <= top; ++r)
    plan.resources.push_back(
        std::max(1, static_cast<int>(std::lround(max_resource / std::pow(static_cast<double>(eta), top - r)))));
  return plan;
}

StatusOr<SearchResult> RunSearch(const SearchSpace& space, const SearchOptions& o, const Objective& objective,
                                 const TrialCallback& callback) {
  if (space.dimensions.empty()) return Status(ErrorCode::kInvalidArgument, "search space is empty");
  if (o.budget_trainings < 0 || (o.budget_trainings == 0 && !(o.budget_seconds > 0)))
    return Status(ErrorCode::kInvalidArgument,
                  "a budget of " + std::to_string(o.budget_trainings) + " trainings: give at least 1 (--budget)");
  if (o.budget_seconds < 0 || !std::isfinite(o.budget_seconds))
    return Status(ErrorCode::kInvalidArgument, "--budget-seconds must be > 0");
  const bool halving = o.method == SearchMethod::kSuccessiveHalving;
  if (halving) {
    if (o.budget_trainings < 1)
      return Status(ErrorCode::kInvalidArgument, "successive halving plans its rungs from a budget in trainings (--budget)");
    if (o.max_resource < 1) return Status(ErrorCode::kInvalidArgument, "successive halving needs the full iteration count");
    if (o.reduction_factor < 2) return Status(ErrorCode::kInvalidArgument, "--reduction-factor must be at least 2");
    for (const SearchDimension& d : space.dimensions)
      if (d.name == "iterations")
        return Status(ErrorCode::kInvalidArgument,
                      "successive halving gives candidates more iterations rung by rung: take \"iterations\" out of "
                      "the search space (or use --search random)");
  }
  const auto t0 = Clock::now();
  std::mt19937_64 rng(o.seed);
  std::set<std::string> seen;
  const std::optional<int64_t> size = SpaceSize(space);
  bool incumbent_pending = o.incumbent.has_value();
  // The next distinct candidate, or nullopt when the space is exhausted.
  auto next = [&]() -> std::optional<json> {
    if (incumbent_pending) {
      incumbent_pending = false;
      if (auto p = ProjectOnSpace(space, *o.incumbent)) {
        seen.insert(p->dump());
        return p;
      }
    }
    for (int tries = 0; size ? static_cast<int64_t>(seen.size()) < *size : tries < 1000; ++tries) {
      json p = SampleSettings(space, rng);
      if (seen.insert(p.dump()).second) return p;
    }
    return std::nullopt;
  };
  SearchResult result;
  auto out_of_time = [&] { return o.budget_seconds > 0 && !result.trials.empty() && Seconds(t0) >= o.budget_seconds; };
  auto run = [&](int candidate, int rung, int resource, const json& settings) -> Status {
    Trial t;
    t.candidate = candidate;
    t.rung = rung;
    t.resource = resource;
    t.settings = settings;
    const auto t1 = Clock::now();
    StatusOr<Evaluation> e = objective(settings, resource);
    t.seconds = Seconds(t1);
    if (!e.ok()) {
      if (e.status().code() != ErrorCode::kDiverged) return e.status();
      t.failed = true;
      t.error = e.status().ToString();
    } else {
      t.score = e->score;
      t.metrics = e->metrics;
    }
    result.trials.push_back(std::move(t));
    const Trial& last = result.trials.back();
    const int index = static_cast<int>(result.trials.size()) - 1;
    if (!last.failed) {
      const bool higher_rung = result.best_trial < 0 || last.rung > result.best().rung;
      if (higher_rung || (last.rung == result.best().rung && Better(last.score, result.best().score, o.higher_is_better)))
        result.best_trial = index;
    }
    if (callback) callback(last, result.best_trial, result);
    return Status::Ok();
  };

  if (!halving) {
    for (int candidate = 0;; ++candidate) {
      if (o.budget_trainings > 0 && static_cast<int64_t>(result.trials.size()) >= o.budget_trainings) {
        result.stopped_by = "budget";
        break;
      }
      if (out_of_time()) {
        result.stopped_by = "seconds";
        break;
      }
      std::optional<json> settings = next();
      if (!settings) {
        result.stopped_by = "space exhausted";
        break;
      }
      PATHLIGHT_RETURN_IF_ERROR(run(candidate, 0, 0, *settings));
    }
  } else {
    const HalvingPlan plan = PlanSuccessiveHalving(o.budget_trainings, o.reduction_factor, o.max_resource);
    std::vector<std::pair<int, json>> alive;  // (candidate, settings)
    for (int64_t c = 0; c < plan.candidates[0]; ++c) {
      std::optional<json> settings = next();
      if (!settings) break;
      alive.push_back({static_cast<int>(c), *settings});
    }
    result.stopped_by = "halving complete";
    for (size_t rung = 0; rung < plan.resources.size() && !alive.empty(); ++rung) {
      std::vector<std::pair<double, size_t>> ranked;  // (score, position in alive); failed ones dropped
      for (size_t a = 0; a < alive.size(); ++a) {
        if (out_of_time()) {
          result.stopped_by = "seconds";
          break;
        }
        PATHLIGHT_RETURN_IF_ERROR(run(alive[a].first, static_cast<int>(rung), plan.resources[rung], alive[a].second));
        if (!result.trials.back().failed) ranked.push_back({result.trials.back().score, a});
      }
      if (result.stopped_by == "seconds") break;
      std::stable_sort(ranked.begin(), ranked.end(), [&](const auto& x, const auto& y) {
        return Better(x.first, y.first, o.higher_is_better);
      });
      const size_t keep = rung + 1 < plan.candidates.size() ? static_cast<size_t>(plan.candidates[rung + 1]) : 0;
      std::vector<std::pair<int, json>> next_alive;
      for (size_t j = 0; j < ranked.size() && j < keep; ++j) next_alive.push_back(alive[ranked[j].second]);
      std::sort(next_alive.begin(), next_alive.end(),
                [](const auto& x, const auto& y) { return x.first < y.first; });  // drawing order
      alive = std::move(next_alive);
    }
  }
  if (result.best_trial < 0) {
    const std::string first = result.trials.empty() ? "no candidate was trained" : result.trials.front().error;
    return Status(ErrorCode::kDiverged, "every candidate of the search failed (" + first + ")");
  }
  return result;
}

namespace {

// The measures a protocol reports for a model (the metrics tune can optimize).
std::vector<std::string> ProtocolMetrics(const EvalOptions& e) {
  const std::string s = "_at_" + std::to_string(e.k);
  if (e.model.kind == ModelKind::kBiasedMf) {
    if (e.protocol == "foldin") return {"rmse_folded", "mae_folded", "rmse_trained", "mae_trained", "fidelity"};
    return {"rmse", "mae"};
  }
  std::vector<std::string> m = {"ndcg" + s, "precision" + s, "recall" + s, "map" + s, "coverage" + s};
  if (e.protocol == "foldin") m = {"ndcg" + s + "_folded", "ndcg" + s + "_trained", "fidelity"};
  return m;
}

Status CheckMetric(const std::string& metric, const EvalOptions& e) {
  const std::vector<std::string> known = ProtocolMetrics(e);
  if (std::find(known.begin(), known.end(), metric) != known.end()) return Status::Ok();
  std::string list;
  for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
  return Status(ErrorCode::kInvalidArgument, "--metric " + metric + ": --protocol " + e.protocol + " with --model " +
                                                 ModelKindName(e.model.kind) + " reports " + list);
}

int FullIterations(const ModelOptions& m) {
  switch (m.kind) {
    case ModelKind::kAls: return m.als.iterations;
    case ModelKind::kBpr: return m.bpr.iterations;
    case ModelKind::kBiasedMf: return m.mf.iterations;
    case ModelKind::kPopular: return 0;
  }
  return 0;
}

// `resource` iterations instead of the full count (halving's short trainings); Gibbs keeps the
// same share of burn-in sweeps.
void SetIterations(ModelOptions* m, int resource) {
  if (resource <= 0) return;
  switch (m->kind) {
    case ModelKind::kAls: m->als.iterations = resource; break;
    case ModelKind::kBpr: m->bpr.iterations = resource; break;
    case ModelKind::kBiasedMf: {
      const int full = m->mf.iterations;
      m->mf.burn_in = std::min(resource - 1, static_cast<int>(std::lround(static_cast<double>(m->mf.burn_in) * resource / full)));
      m->mf.iterations = resource;
      break;
    }
    case ModelKind::kPopular: break;
  }
}

StatusOr<ModelOptions> WithSettings(const ModelOptions& base, const json& settings, int resource) {
  ModelOptions m = base;
  PATHLIGHT_RETURN_IF_ERROR(ApplySettings(settings, &m, "search space"));
  SetIterations(&m, resource);
  return m;
}

// Fills what Tune decides in the search options.
SearchOptions Prepared(const TuneOptions& o, const std::string& metric) {
  SearchOptions s = o.search;
  s.seed = o.eval.seed;
  s.higher_is_better = !LowerIsBetter(metric);
  s.max_resource = FullIterations(o.eval.model);
  if (o.try_incumbent) s.incumbent = SettingsOf(o.eval.model);
  return s;
}

Status CheckTunable(const TuneOptions& o) {
  if (o.eval.model.kind == ModelKind::kPopular)
    return Status(ErrorCode::kInvalidArgument, "the popular baseline has no hyperparameters to tune");
  if (o.space.model != o.eval.model.kind)
    return Status(ErrorCode::kInvalidArgument, std::string("the search space is for --model ") +
                                                   ModelKindName(o.space.model) + ", not " +
                                                   ModelKindName(o.eval.model.kind));
  return Status::Ok();
}

}  // namespace

std::string DefaultTuneMetric(const EvalOptions& e) {
  if (e.model.kind == ModelKind::kBiasedMf) return e.protocol == "foldin" ? "rmse_folded" : "rmse";
  const std::string ndcg = "ndcg_at_" + std::to_string(e.k);
  return e.protocol == "foldin" ? ndcg + "_folded" : ndcg;
}

StatusOr<TuneResult> Tune(Dataset ds, const TuneOptions& o, const TrialCallback& callback, const ProgressFn& progress) {
  const auto t0 = Clock::now();
  PATHLIGHT_RETURN_IF_ERROR(CheckTunable(o));
  if (o.eval.protocol == "surprise-5fold")
    return Status(ErrorCode::kInvalidArgument, "--protocol surprise-5fold is tuned by TuneSurpriseFolds");
  TuneResult r;
  r.metric = o.metric.empty() ? DefaultTuneMetric(o.eval) : o.metric;
  PATHLIGHT_RETURN_IF_ERROR(CheckMetric(r.metric, o.eval));
  r.higher_is_better = !LowerIsBetter(r.metric);
  EvalOptions eval = o.eval;
  eval.validation = false;
  PATHLIGHT_ASSIGN_OR_RETURN(const Dataset split, ProtocolSplit(std::move(ds), eval));
  PATHLIGHT_ASSIGN_OR_RETURN(const Dataset inner, ValidationSplit(split, eval));
  EvalOptions candidate_eval = eval;
  candidate_eval.baseline = false;
  const Objective objective = [&](const json& settings, int resource) -> StatusOr<Evaluation> {
    EvalOptions e = candidate_eval;
    PATHLIGHT_ASSIGN_OR_RETURN(e.model, WithSettings(eval.model, settings, resource));
    PATHLIGHT_ASSIGN_OR_RETURN(json out, EvaluateSplit(inner, e, progress));
    return Evaluation{out[r.metric].get<double>(), std::move(out)};
  };
  PATHLIGHT_ASSIGN_OR_RETURN(r.search, RunSearch(o.space, Prepared(o, r.metric), objective, callback));
  r.trainings = static_cast<int64_t>(r.search.trials.size());
  const Trial& best = r.search.best();
  PATHLIGHT_ASSIGN_OR_RETURN(const ModelOptions chosen, WithSettings(eval.model, best.settings, 0));
  r.best = SettingsOf(chosen);
  r.validation = best.metrics;
  for (const char* key : {"dataset", "protocol", "model", "importer", "iteration_seconds", "seconds_per_iteration",
                          "total_seconds"})
    r.validation.erase(key);
  if (best.resource > 0 && best.resource != FullIterations(chosen)) r.validation["iterations"] = best.resource;
  r.validation["split"] = {{"method", ValidationMethodName(ProtocolValidationMethod(eval.protocol))},
                           {"share", eval.validation_share}, {"seed", eval.seed + 1},
                           {"train_events", inner.train.size()}, {"validation_events", inner.test.size()}};
  // The test split, once, with the chosen settings trained on the whole training split.
  EvalOptions test_eval = eval;
  test_eval.model = chosen;
  PATHLIGHT_ASSIGN_OR_RETURN(r.test, EvaluateSplit(split, test_eval, progress));
  r.gap = {{r.metric, r.test[r.metric].get<double>() - r.validation[r.metric].get<double>()}};
  r.seconds = Seconds(t0);
  return r;
}

StatusOr<TuneResult> TuneSurpriseFolds(const std::string& dir, const TuneOptions& o, const TrialCallback& callback,
                                       const ProgressFn& progress) {
  const auto t0 = Clock::now();
  PATHLIGHT_RETURN_IF_ERROR(CheckTunable(o));
  if (o.eval.model.kind != ModelKind::kBiasedMf)
    return Status(ErrorCode::kInvalidArgument, "--protocol surprise-5fold evaluates rating models: use --model biased-mf");
  if (o.search.method != SearchMethod::kRandom)
    return Status(ErrorCode::kInvalidArgument,
                  "--protocol surprise-5fold is tuned by nested random search (each fold chooses on its own inner "
                  "split): use --search random");
  TuneResult r;
  EvalOptions eval = o.eval;
  eval.protocol = "surprise-5fold";
  eval.validation = false;
  r.metric = o.metric.empty() ? DefaultTuneMetric(eval) : o.metric;
  PATHLIGHT_RETURN_IF_ERROR(CheckMetric(r.metric, eval));
  r.higher_is_better = !LowerIsBetter(r.metric);
  std::vector<Dataset> folds, inner;
  for (int f = 1; f <= 5; ++f) {
    PATHLIGHT_ASSIGN_OR_RETURN(Dataset ds, LoadMovieLens(dir, f));
    PATHLIGHT_ASSIGN_OR_RETURN(Dataset v, ValidationSplit(ds, eval));  // from u<f>.base only
    folds.push_back(std::move(ds));
    inner.push_back(std::move(v));
  }
  EvalOptions candidate_eval = eval;
  candidate_eval.baseline = false;
  const Objective objective = [&](const json& settings, int) -> StatusOr<Evaluation> {
    EvalOptions e = candidate_eval;
    PATHLIGHT_ASSIGN_OR_RETURN(e.model, WithSettings(eval.model, settings, 0));
    json per_fold = json::array();
    double mean = 0;
    for (const Dataset& v : inner) {
      PATHLIGHT_ASSIGN_OR_RETURN(const json out, EvaluateSplit(v, e, progress));
      per_fold.push_back(out[r.metric].get<double>());
      mean += out[r.metric].get<double>() / 5;
    }
    return Evaluation{mean, {{r.metric, mean}, {"folds", per_fold}}};
  };
  PATHLIGHT_ASSIGN_OR_RETURN(r.search, RunSearch(o.space, Prepared(o, r.metric), objective, callback));
  r.trainings = 5 * static_cast<int64_t>(r.search.trials.size());
  PATHLIGHT_ASSIGN_OR_RETURN(const ModelOptions deployed, WithSettings(eval.model, r.search.best().settings, 0));
  r.best = SettingsOf(deployed);
  // Nested: each fold's test with the candidate its own inner split chose.
  json test_folds = json::array();
  double test_rmse = 0, test_mae = 0, base_rmse = 0, base_mae = 0, val_nested = 0;
  for (int f = 0; f < 5; ++f) {
    int chosen = -1;
    for (size_t t = 0; t < r.search.trials.size(); ++t) {
      const Trial& trial = r.search.trials[t];
      if (trial.failed) continue;
      if (chosen < 0 || Better(trial.metrics["folds"][f].get<double>(),
                               r.search.trials[chosen].metrics["folds"][f].get<double>(), r.higher_is_better))
        chosen = static_cast<int>(t);
    }
    const Trial& trial = r.search.trials[chosen];
    EvalOptions test_eval = eval;
    PATHLIGHT_ASSIGN_OR_RETURN(test_eval.model, WithSettings(eval.model, trial.settings, 0));
    PATHLIGHT_ASSIGN_OR_RETURN(const json t, EvaluateSplit(folds[f], test_eval, progress));
    const double v = trial.metrics["folds"][f].get<double>();
    test_folds.push_back({{"fold", "u" + std::to_string(f + 1)}, {"settings", trial.settings},
                          {"validation_" + r.metric, v}, {"rmse", t["rmse"]}, {"mae", t["mae"]},
                          {"baseline_rmse", t["baseline"]["rmse"]}});
    val_nested += v / 5;
    test_rmse += t["rmse"].get<double>() / 5;
    test_mae += t["mae"].get<double>() / 5;
    base_rmse += t["baseline"]["rmse"].get<double>() / 5;
    base_mae += t["baseline"]["mae"].get<double>() / 5;
  }
  r.test = {{"dataset", "movielens"}, {"protocol", "surprise-5fold"}, {"rmse", test_rmse}, {"mae", test_mae},
            {"folds", test_folds},
            {"baseline", {{"algorithm", "global mean + biases"}, {"rmse", base_rmse}, {"mae", base_mae}}},
            {"note", "nested cross-validation: each fold's test ratings predicted once, by the setting its own "
                     "inner split chose"}};
  r.validation = {{r.metric, val_nested},
                  {"note", "mean over the five folds of the validation " + r.metric +
                               " of the setting each fold chose (beside test); best_mean is that of `best`"},
                  {"best_mean", r.search.best().score},
                  {"best_folds", r.search.best().metrics["folds"]},
                  {"split", {{"method", "random"}, {"share", eval.validation_share}, {"seed", eval.seed + 1}}}};
  r.gap = {{r.metric, r.test[r.metric].get<double>() - val_nested}};
  r.seconds = Seconds(t0);
  return r;
}

}  // namespace pathlight::trainer
