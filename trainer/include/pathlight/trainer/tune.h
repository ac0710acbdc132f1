// Hyperparameter search on validation data (`pathlight tune`).
//
// A search space names some settings of one model (settings.h) and, for each, a list of values
// or a range [min, max] (uniform, or log-uniform with "log": true). Two searches:
//   random              candidates drawn from the space (Bergstra & Bengio, "Random Search for
//                       Hyper-Parameter Optimization", JMLR 2012), each trained in full;
//   successive halving  n₀ candidates trained with few iterations, the best 1/η kept and trained
//                       η times longer, until one is left at the full iteration count (Jamieson &
//                       Talwalkar, "Non-stochastic Best Arm Identification and Hyperparameter
//                       Optimization", AISTATS 2016; one bracket of Hyperband, Li et al. 2017).
// Every candidate is trained on the validation split's training part and scored on its validation
// events (evaluate.h, ValidationSplit); the test split is evaluated once, after the choice, with
// the chosen settings trained on the whole training split. A budget counts trainings (a halving
// rung's short trainings count one each) and/or seconds; the search is deterministic for a seed
// (the candidates and their order; the trainings themselves are seeded too).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/status.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/evaluate.h"
#include "pathlight/trainer/settings.h"

namespace pathlight::trainer {

/// One searched setting: a list of values, or a range [min, max] (min < max).
struct SearchDimension {
  std::string name;                      // a key of ModelParams(model)
  std::vector<nlohmann::json> values;    // a list; empty for a range
  double min = 0, max = 0;               // a range
  bool log = false;                      // range: log-uniform (min > 0)
  bool integer = false;                  // the setting is an integer (from its ParamSpec)
};

struct SearchSpace {
  ModelKind model = ModelKind::kAls;
  std::vector<SearchDimension> dimensions;
};

/// Parses `{"name": [v, …] | {"min": a, "max": b, "log": true|false}, …}` for `model`.
/// Errors (invalid_argument, naming the key): an empty space; a key the model does not have; an
/// empty list; a value the setting cannot take; a range with min ≥ max, non-numeric bounds, a
/// log range with min ≤ 0, bounds outside the setting's range or non-integer bounds for an integer
/// setting; a range for a choice setting (solver); unknown keys in a range; a space with a
/// single point (nothing to search).
StatusOr<SearchSpace> ParseSearchSpace(const nlohmann::json& j, ModelKind model);
enum class SearchMethod { kRandom, kSuccessiveHalving };
/// "random", "halving".
const char* SearchMethodName(SearchMethod method);

/// The documented default space of a model (docs/HYPERPARAMETERS.md, "Tuning"); biased-mf's
/// depends on its solver; ALS's includes the sweeps for random search (halving allots them).
SearchSpace DefaultSearchSpace(const ModelOptions& base, SearchMethod method);
/// The space as ParseSearchSpace reads it.
nlohmann::json SearchSpaceJson(const SearchSpace& space);
/// Distinct points of the space, or nullopt when a dimension is a continuous range.
std::optional<int64_t> SpaceSize(const SearchSpace& space);
/// The point of the space `settings` lies on (its values for the space's keys), or nullopt when
/// some value is outside the space.
std::optional<nlohmann::json> ProjectOnSpace(const SearchSpace& space, const nlohmann::json& settings);
/// A random point: list values uniformly; ranges uniformly or log-uniformly, floats rounded to 3
/// significant digits, integers to the nearest integer. Uses only `rng()` (its raw 64-bit output),
/// so a seed gives the same points on every platform.
nlohmann::json SampleSettings(const SearchSpace& space, std::mt19937_64& rng);

struct SearchOptions {
  SearchMethod method = SearchMethod::kRandom;
  int64_t budget_trainings = 20;   // ≥ 1; 0 = no limit (random search with budget_seconds only)
  double budget_seconds = 0;       // > 0: no training starts after this many seconds; 0 = no limit
  int reduction_factor = 3;        // halving: η ≥ 2, the share 1/η of a rung goes on
  int max_resource = 0;            // halving: iterations of a full training (≥ 1)
  uint64_t seed = 42;
  bool higher_is_better = true;
  /// Tried first when it lies in the space (the current settings: tuning never returns a setting
  /// worse on validation than what was there).
  std::optional<nlohmann::json> incumbent;
};

/// Rungs of successive halving for a budget: candidates[r] trained for resources[r] iterations;
/// candidates[0] = n₀ is the largest with Σ candidates ≤ budget, where candidates[r+1] =
/// max(1, ⌊candidates[r]/η⌋) until one is left; resources[R] = max_resource and
/// resources[r] = max(1, round(max_resource / η^(R−r))).
struct HalvingPlan {
  std::vector<int64_t> candidates;
  std::vector<int> resources;
};
HalvingPlan PlanSuccessiveHalving(int64_t budget, int reduction_factor, int max_resource);

/// A candidate's score and measures on the validation split.
struct Evaluation {
  double score = 0;            // the metric being optimized
  nlohmann::json metrics;      // everything measured
};
/// Trains `settings` with `resource` iterations (0 = the settings' own) on the validation split's
/// training part and scores it. A kDiverged error marks the candidate failed and the search goes
/// on; any other error stops it.
using Objective = std::function<StatusOr<Evaluation>(const nlohmann::json& settings, int resource)>;

struct Trial {
  int candidate = 0;           // index of the candidate (in drawing order)
  int rung = 0;                // halving rung (0 for random search)
  int resource = 0;            // iterations it was trained with (0 = its own)
  nlohmann::json settings;
  bool failed = false;         // diverged
  std::string error;
  double score = 0;
  nlohmann::json metrics;
  double seconds = 0;
};

struct SearchResult {
  std::vector<Trial> trials;   // in the order they ran
  int best_trial = -1;         // index into trials
  std::string stopped_by;      // "budget", "seconds", "space exhausted", "halving complete"
  const Trial& best() const { return trials[best_trial]; }
};

/// Called after every trial with the trial and the best so far (-1 when none succeeded yet).
using TrialCallback = std::function<void(const Trial& trial, int best_trial, const SearchResult& so_far)>;

/// Runs the search. The best trial is the best-scoring successful one (halving: of the highest
/// rung that has results; ties go to the earlier candidate). Errors: invalid_argument for a budget
/// below 1 training (with no seconds) or ≤ 0 seconds, halving without a max_resource, or halving
/// over a space that searches "iterations"; the objective's errors; every candidate failing.
StatusOr<SearchResult> RunSearch(const SearchSpace& space, const SearchOptions& options, const Objective& objective,
                                 const TrialCallback& callback = nullptr);

/// `pathlight tune` without the CLI: the search on the protocol's validation split, then the test
/// split once.
struct TuneOptions {
  EvalOptions eval;            // base model (settings not in the space), protocol, k, seed, validation share
  SearchSpace space;
  SearchOptions search;        // seed, incumbent, max_resource and higher_is_better are filled in by Tune
  std::string metric;          // a key of the protocol's output ("ndcg_at_10", "rmse", …); "" = the default
  bool try_incumbent = true;   // try eval.model's own settings first (when they lie in the space)
};

struct TuneResult {
  nlohmann::json best;         // settings (the whole of SettingsOf, the searched keys chosen)
  nlohmann::json validation;   // the metric and measures of `best` on the validation split
  nlohmann::json test;         // the protocol's output for `best` on the test split (computed once)
  nlohmann::json gap;          // {metric: test − validation}
  std::string metric;
  bool higher_is_better = true;
  SearchResult search;
  int64_t trainings = 0;       // model fits on validation data (5 per candidate under surprise-5fold)
  double seconds = 0;
};

/// The default metric of a protocol and model: rmse for biased-mf, ndcg_at_<k>_folded for foldin,
/// ndcg_at_<k> otherwise.
std::string DefaultTuneMetric(const EvalOptions& eval);

/// Tunes on `ds` with protocol temporal, random-80-20 or foldin. Errors: those of ProtocolSplit,
/// ValidationSplit and RunSearch; a metric the protocol does not report (names the metric and the
/// ones it does).
StatusOr<TuneResult> Tune(Dataset ds, const TuneOptions& options, const TrialCallback& callback = nullptr,
                          const ProgressFn& progress = nullptr);

/// Nested tuning on ml-100k's u1…u5 (surprise-5fold; random search only): the same candidates are
/// trained on the inner split of every fold's base; each fold's test ratings are then predicted
/// once, with the setting that fold's own validation chose, and their mean is `test` (so no test
/// rating ever influenced the choice it is measured with). `best` is the setting with the best
/// mean validation over the five inner splits — the one to deploy. `search.budget_trainings`
/// counts candidates here (each trains five times).
StatusOr<TuneResult> TuneSurpriseFolds(const std::string& dir, const TuneOptions& options,
                                       const TrialCallback& callback = nullptr, const ProgressFn& progress = nullptr);

}  // namespace pathlight::trainer
