// The trainer's subcommands (train, eval, import, bundle, inspect), kept apart from main.cpp so
// that the engine-facing subcommands (recommend, api) and these evolve independently; `tune` is in
// tune_commands.cpp and shares the flags and helpers declared here.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <string>

#include "pathlight/bundle.h"
#include "pathlight/status.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/evaluate.h"
#include "pathlight/trainer/models.h"
#include "pathlight/trainer/settings.h"

namespace pathlight::trainer {

/// What to load: --dataset, --data, --learners (demo), --fold (movielens), and the reviewed
/// knowledge-graph files --concept-map (kg clean's concept_map.csv) and --edges (an edges.csv), and
/// --rating-scale MIN:MAX[:STEP] (csv: interactions.csv's `rating` column is explicit on that scale).
struct DatasetFlags {
  std::string dataset = "demo";
  std::string data;
  std::string concept_map, edges;
  std::string rating_scale;
  int32_t learners = 0;  // demo only; 0: not given (the demo simulates 2000)
  int fold = -1;         // movielens only; -1: not given
};

/// Flags shared by train, eval, tune, import and bundle: what to load, then the model's. Per-dataset
/// and per-model defaults apply where a flag was not given (ApplyDefaults; docs/HYPERPARAMETERS.md,
/// "Training").
struct CommonFlags : DatasetFlags {
  CLI::App* cmd = nullptr;
  std::string model = "als";
  std::string solver;
  std::string protocol;
  std::string config;            // --config FILE: settings written by `pathlight tune`
  ModelOptions opt;
  int k = 10;
  uint64_t seed = 42;
  int threads = 0;
  double holdout = 0.1;
  double train_fraction = 1.0;
  int folds = 5;                  // eval --protocol k-fold
  double validation_share = 0.2;  // eval, tune: share of each learner's training events held out
  FactorEncoding encoding = FactorEncoding::kF32;
  bool knowledge_graph = false;  // eval: also measure the knowledge-graph terms (kg_eval.h)
  int kg_learners = 0;
  // Filled by ApplyDefaults: the config that supplied settings and its provenance.
  std::string settings_source;
  nlohmann::json settings_provenance = nlohmann::json::object();
  bool Given(const char* flag) const {
    const CLI::Option* o = cmd->get_option_no_throw(flag);
    return o != nullptr && o->count() > 0;
  }
};

struct TrainerCommands;

/// Registers train / eval / import / bundle / inspect on `app`. The returned object owns the
/// parsed flag values and must outlive parsing.
std::shared_ptr<TrainerCommands> AddTrainerCommands(CLI::App& app);

/// Runs whichever of those subcommands was given: its exit code, or -1 when none was.
int RunTrainerCommands(const TrainerCommands& commands);

/// --dataset, --data, --learners, --fold.
void AddDataFlags(CLI::App* cmd, CommonFlags* f);
/// --model and the hyperparameter flags, --config, --seed, --threads, --factor-encoding.
void AddModelFlags(CLI::App* cmd, CommonFlags* f);

/// A CLI check for a share strictly between 0 and 1 (e.g. --validation-share).
CLI::Validator ShareOpen();
/// Makes every number flag of `app` and its subcommands (type INT, UINT or FLOAT) read its text as
/// a decimal number before any other check: CLI11 reads an integer by C's base-0 rules ("010" is
/// octal 8, "0x10" is 16) and a float by strtod ("0x1p4", "inf"). A whole number is digits (a
/// leading '-' where the flag is signed; leading zeros read as decimal, "010" is 10); a float adds
/// '.', '+' and an exponent. Anything else is refused naming what was expected ("--folds: expected
/// a whole number, got 2.5"). Call once, after every flag is registered.
void ReadNumbersInDecimal(CLI::App& app);
/// Fills the data folder and the model options: library defaults < the dataset's built-in config
/// < --config < flags (settings.h, ResolveModelOptions). movielens defaults to --model biased-mf.
/// Errors: an unreadable or invalid --config, a config for another model, a bad value.
Status ApplyDefaults(CommonFlags* f);
/// Loads the data set the flags name (`default_fold` for movielens without --fold).
StatusOr<Dataset> Load(const CommonFlags& f, int default_fold);
/// Logs the error and prints "error: …" to stderr; returns 1.
int Fail(const Status& st);
/// Per-iteration progress to stderr.
ProgressFn Progress(const CommonFlags& f);
void LogDataset(const Dataset& ds);
/// --protocol, or the dataset's default: temporal (coco, demo), surprise-5fold (movielens),
/// random-80-20 (junyi, csv).
std::string DefaultProtocol(const CommonFlags& f);
/// The evaluation options of resolved flags (model, protocol, k, seed, holdout, validation share).
EvalOptions EvalOptionsOf(const CommonFlags& f);
/// {"settings", "source", and the source's chosen_on/dataset/protocol/metric/date}: what eval
/// prints and train records in the bundle's metrics under "hyperparameters".
nlohmann::json SettingsRecord(const CommonFlags& f);

/// Registers those flags on `cmd` (the same ones train, eval, import and bundle take).
void AddDatasetFlags(CLI::App* cmd, DatasetFlags* flags);

/// The default --data folder of a data set (data/demo/catalog.json, ../shared/data/<folder>).
std::string DefaultDataDirFor(const std::string& dataset);

/// Loads the data set, then applies --concept-map and --edges (kg_clean.h) when given. The result's
/// catalog has passed the bundle's own catalog reader (an error otherwise, naming --data).
/// `default_fold` is MovieLens's fold when --fold is not given.
StatusOr<Dataset> LoadDatasetForFlags(const DatasetFlags& flags, int default_fold = 0);

}  // namespace pathlight::trainer
