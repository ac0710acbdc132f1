// A model's hyperparameters as named settings, and the config files that carry them.
//
// Settings are a JSON object of the keys below (one table for config files, `pathlight tune
// --space` and tune's output; docs/HYPERPARAMETERS.md lists meaning, range and how to tune):
//   als        factors, regularization, alpha, iterations, solver (cholesky | cg), cg_steps
//   bpr        factors, learning_rate, regularization, iterations
//   biased-mf  solver (gibbs | als), factors, iterations, burn_in, noise_precision,
//              regularization, bias_regularization
// A config file (what `pathlight tune` writes and `train|eval --config FILE` reads):
//   {"format": "pathlight-config", "version": 1, "model": "als",
//    "settings": {"factors": 128, ...},
//    "provenance": {"chosen_on": "validation", "dataset": "coco", "protocol": "temporal",
//                   "metric": "ndcg_at_10", "date": "...", ...}}
// Unknown keys anywhere in it are errors that name the key. The project's own defaults are such
// files (trainer/configs/<dataset>.json), compiled into the trainer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/status.h"
#include "pathlight/trainer/models.h"

namespace pathlight::trainer {

/// One hyperparameter of one model.
struct ParamSpec {
  enum class Type { kInt, kFloat, kChoice };
  std::string_view name;          // settings key, e.g. "regularization"
  ModelKind model;
  Type type;
  double min = 0, max = 0;        // valid range (kInt, kFloat); inclusive unless min_exclusive
  bool min_exclusive = false;     // e.g. learning_rate > 0
  std::vector<std::string_view> choices;  // kChoice
  std::string_view flag;          // the train/eval flag that sets it, e.g. "--regularization"
};

/// Every parameter of `kind` (empty for `popular`), in the order settings are written.
std::vector<const ParamSpec*> ModelParams(ModelKind kind);
/// The parameter `name` of `kind`, or nullptr.
const ParamSpec* FindParam(ModelKind kind, std::string_view name);
/// "factors, regularization, ..." for error messages.
std::string ParamNames(ModelKind kind);

/// The range of a float setting as float32 trains it: finite, at most 3.4e38, and ≥ 0 — or, when
/// `positive`, at least float32's smallest normal number, 1.2e-38 (a subnormal or one that rounds
/// to 0 trained a prior that is not finite). Used by the CLI's flags and by CheckParamValue.
bool FloatSettingInRange(double x, bool positive);
/// "a finite number >= 0 up to 3.4e38 (float32)" or "a finite number in [1.2e-38, 3.4e38] (float32)".
const char* FloatSettingRange(bool positive);

/// Checks one value against its parameter (type and range). `where` prefixes the message, e.g.
/// "config \"c.json\" settings". Errors: invalid_argument naming the key and what was expected.
Status CheckParamValue(const ParamSpec& spec, const nlohmann::json& value, const std::string& where);

/// A float setting as it is written: 6 significant digits, so that 0.1f reads 0.1.
double TidySetting(double x);

/// The settings of `options.kind` as JSON (every key of ModelParams; floats written with 6
/// significant digits so that 0.1 stays 0.1).
nlohmann::json SettingsOf(const ModelOptions& options);

/// Sets `settings` (a subset of the keys of options->kind) into `options`. Errors (nothing is
/// changed then): invalid_argument for a key the model does not have (named, with the known keys),
/// a wrong type or an out-of-range value.
Status ApplySettings(const nlohmann::json& settings, ModelOptions* options, const std::string& where);

/// A config file's content.
struct ModelConfig {
  ModelKind model = ModelKind::kAls;
  nlohmann::json settings = nlohmann::json::object();    // keys of ModelParams(model)
  nlohmann::json provenance = nlohmann::json::object();  // how the settings were chosen (not read back)
  std::string source;                                    // file path, or "built-in trainer/configs/x.json"
};

/// Keys a config's "provenance" may hold (what `pathlight tune` writes, plus "notes").
const std::vector<std::string_view>& ProvenanceKeys();

/// Parses and validates a config (format, version, model, settings, provenance). `source` names
/// it in errors. Errors: parse_error for malformed JSON or a non-object, invalid_argument for an
/// unknown key (named), a missing "model" or "settings", a bad value.
StatusOr<ModelConfig> ParseModelConfig(const nlohmann::json& j, const std::string& source);
/// Reads FILE and parses it. Errors: io_error (unreadable), parse_error (malformed JSON with line
/// and column), and those of ParseModelConfig.
StatusOr<ModelConfig> ReadModelConfig(const std::string& path);
/// The config as written to a file (format, version, model, settings, provenance).
nlohmann::json ModelConfigJson(const ModelConfig& config);
/// Writes the config to `path` atomically (a temporary file beside it, then a rename): either the
/// whole file is there or nothing changed. Errors: io_error.
Status WriteModelConfig(const ModelConfig& config, const std::string& path);

/// The project's own config for `dataset` ("coco", "demo", "junyi", "movielens"), compiled in from
/// trainer/configs/<dataset>.json; nullopt when there is none.
std::optional<ModelConfig> BuiltInConfig(const std::string& dataset);
/// Names of the datasets with a built-in config.
std::vector<std::string> BuiltInConfigDatasets();

/// A model's options and where their settings came from.
struct ResolvedModel {
  ModelOptions options;
  nlohmann::json settings;      // SettingsOf(options)
  std::string source;           // the config that supplied settings ("" = library defaults only)
  nlohmann::json provenance = nlohmann::json::object();  // that config's provenance
};

/// The options `train`, `eval` and `tune` run with. Layers, lowest precedence first:
///   1. library defaults (als: k 64, λ 0.1, α 20, 10 sweeps; bpr and biased-mf: their options'
///      defaults, biased-mf ALS 15 sweeps);
///   2. the dataset's built-in config (BuiltInConfig) when it is for `kind` (and, for biased-mf,
///      for the same solver as the layers above it choose);
///   3. `file` (a --config), which must be for `kind`;
///   4. `flags`: settings given on the command line (keys of ModelParams(kind)).
/// The ALS settings (the λ and α the device folds learners in with) are resolved the same way for
/// every model. A biased-mf burn_in that no layer above 1 set is lowered to iterations/10 when it
/// is not below iterations. Errors: invalid_argument (a file for another model or solver, or a bad
/// value in any layer).
StatusOr<ResolvedModel> ResolveModelOptions(const std::string& dataset, ModelKind kind,
                                            const std::optional<ModelConfig>& file, const nlohmann::json& flags,
                                            const nlohmann::json& als_flags = nlohmann::json::object());

}  // namespace pathlight::trainer
