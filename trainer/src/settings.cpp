// Named model settings, config files and the layering of defaults (settings.h).
#include "pathlight/trainer/settings.h"

#include <cassert>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <type_traits>

#include "pathlight/json_limits.h"
#include "pathlight/limits.h"

namespace pathlight::trainer {
namespace {

using nlohmann::json;
using Type = ParamSpec::Type;
constexpr double kInf = std::numeric_limits<double>::infinity();

const std::vector<ParamSpec>& Specs() {
  static const std::vector<ParamSpec> specs = {
      {"factors", ModelKind::kAls, Type::kInt, 1, 1024, false, {}, "--factors"},
      {"regularization", ModelKind::kAls, Type::kFloat, 0, kInf, false, {}, "--regularization"},
      {"alpha", ModelKind::kAls, Type::kFloat, 0, kInf, false, {}, "--alpha"},
      {"iterations", ModelKind::kAls, Type::kInt, 1, 100000, false, {}, "--iterations"},
      {"solver", ModelKind::kAls, Type::kChoice, 0, 0, false, {"cholesky", "cg"}, "--solver"},
      {"cg_steps", ModelKind::kAls, Type::kInt, 1, 100, false, {}, "--cg-steps"},
      {"factors", ModelKind::kBpr, Type::kInt, 1, 1024, false, {}, "--factors"},
      {"learning_rate", ModelKind::kBpr, Type::kFloat, 0, kInf, true, {}, "--learning-rate"},
      {"regularization", ModelKind::kBpr, Type::kFloat, 0, kInf, false, {}, "--regularization"},
      {"iterations", ModelKind::kBpr, Type::kInt, 1, 100000, false, {}, "--iterations"},
      {"solver", ModelKind::kBiasedMf, Type::kChoice, 0, 0, false, {"gibbs", "als"}, "--solver"},
      {"factors", ModelKind::kBiasedMf, Type::kInt, 1, 1024, false, {}, "--factors"},
      {"iterations", ModelKind::kBiasedMf, Type::kInt, 1, 100000, false, {}, "--iterations"},
      {"burn_in", ModelKind::kBiasedMf, Type::kInt, 0, 100000, false, {}, "--burn-in"},
      {"noise_precision", ModelKind::kBiasedMf, Type::kFloat, 0, kInf, true, {}, "--noise-precision"},
      {"regularization", ModelKind::kBiasedMf, Type::kFloat, 0, kInf, true, {}, "--regularization"},
      {"bias_regularization", ModelKind::kBiasedMf, Type::kFloat, 0, kInf, false, {}, "--bias-regularization"},
  };
  return specs;
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// A value for an error message (invalid UTF-8 replaced, never thrown on).
std::string Show(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

// The built-in configs (trainer/configs/*.json), generated into the build tree by CMake.
struct BuiltIn {
  const char* dataset;
  const char* text;
};
const BuiltIn kBuiltIn[] = {
#include "builtin_configs.inc"
    {nullptr, nullptr}};

// Library defaults for `kind` (layer 1 of ResolveModelOptions).
ModelOptions LibraryDefaults(ModelKind kind, BiasedMfSolver mf_solver) {
  ModelOptions o;
  o.kind = kind;
  o.als.factors = 64;
  o.als.regularization = 0.1f;
  o.als.alpha = 20.f;
  o.als.iterations = 10;
  o.mf.solver = mf_solver;
  if (mf_solver == BiasedMfSolver::kAls) o.mf.iterations = 15;
  return o;
}

}  // namespace

double TidySetting(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return std::strtod(buf, nullptr);
}

std::vector<const ParamSpec*> ModelParams(ModelKind kind) {
  std::vector<const ParamSpec*> out;
  for (const ParamSpec& s : Specs())
    if (s.model == kind) out.push_back(&s);
  return out;
}

const ParamSpec* FindParam(ModelKind kind, std::string_view name) {
  for (const ParamSpec& s : Specs())
    if (s.model == kind && s.name == name) return &s;
  return nullptr;
}

std::string ParamNames(ModelKind kind) {
  std::string out;
  for (const ParamSpec* s : ModelParams(kind)) out += (out.empty() ? "" : ", ") + std::string(s->name);
  return out.empty() ? "none" : out;
}

bool FloatSettingInRange(double x, bool positive) {
  return std::isfinite(x) && (positive ? x >= std::numeric_limits<float>::min() : x >= 0) &&
         x <= std::numeric_limits<float>::max();
}

const char* FloatSettingRange(bool positive) {
  return positive ? "a finite number in [1.2e-38, 3.4e38] (float32)" : "a finite number >= 0 up to 3.4e38 (float32)";
}

Status CheckParamValue(const ParamSpec& spec, const json& value, const std::string& where) {
  const std::string key = where + " " + Quoted(spec.name);
  if (spec.type == Type::kChoice) {
    std::string list;
    for (std::string_view c : spec.choices) list += (list.empty() ? "" : " | ") + std::string(c);
    if (value.is_string())
      for (std::string_view c : spec.choices)
        if (value.get<std::string>() == c) return Status::Ok();
    return Status(ErrorCode::kInvalidArgument, key + ": expected " + list + " for --model " +
                                                   ModelKindName(spec.model) + ", got " + Show(value));
  }
  if (!value.is_number())
    return Status(ErrorCode::kInvalidArgument, key + ": expected a number, got " + Show(value));
  const double x = value.get<double>();
  if (spec.type == Type::kInt && (!std::isfinite(x) || x != std::floor(x)))
    return Status(ErrorCode::kInvalidArgument, key + ": expected an integer, got " + Show(value));
  // Every float setting is [0, inf) or (0, inf) as a double (the table above): what it must be is
  // the float32 range training holds (1e300 is finite as a double and infinite as a float; 1e-300
  // is > 0 and then 0).
  if (spec.type == Type::kFloat) {
    assert(spec.min == 0 && std::isinf(spec.max));
    if (FloatSettingInRange(x, spec.min_exclusive)) return Status::Ok();
    return Status(ErrorCode::kInvalidArgument, key + ": expected " + FloatSettingRange(spec.min_exclusive) + ", got " + Show(value));
  }
  const bool low_ok = spec.min_exclusive ? x > spec.min : x >= spec.min;
  if (!std::isfinite(x) || !low_ok || x > spec.max) {
    char buf[96];
    if (std::isinf(spec.max))
      std::snprintf(buf, sizeof buf, "a number %s %g", spec.min_exclusive ? ">" : ">=", spec.min);
    else
      std::snprintf(buf, sizeof buf, "%s in [%g, %g]", spec.type == Type::kInt ? "an integer" : "a number", spec.min,
                    spec.max);
    return Status(ErrorCode::kInvalidArgument, key + ": expected " + buf + ", got " + Show(value));
  }
  return Status::Ok();
}

json SettingsOf(const ModelOptions& o) {
  switch (o.kind) {
    case ModelKind::kAls:
      return {{"factors", o.als.factors}, {"regularization", TidySetting(o.als.regularization)},
              {"alpha", TidySetting(o.als.alpha)}, {"iterations", o.als.iterations},
              {"solver", o.als.solver == AlsSolver::kConjugateGradient ? "cg" : "cholesky"},
              {"cg_steps", o.als.cg_steps}};
    case ModelKind::kBpr:
      return {{"factors", o.bpr.factors}, {"learning_rate", TidySetting(o.bpr.learning_rate)},
              {"regularization", TidySetting(o.bpr.regularization)}, {"iterations", o.bpr.iterations}};
    case ModelKind::kBiasedMf:
      return {{"solver", o.mf.solver == BiasedMfSolver::kGibbs ? "gibbs" : "als"}, {"factors", o.mf.factors},
              {"iterations", o.mf.iterations}, {"burn_in", o.mf.burn_in},
              {"noise_precision", TidySetting(o.mf.noise_precision)}, {"regularization", TidySetting(o.mf.regularization)},
              {"bias_regularization", TidySetting(o.mf.bias_regularization)}};
    case ModelKind::kPopular:
      return json::object();
  }
  return json::object();
}

Status ApplySettings(const json& settings, ModelOptions* options, const std::string& where) {
  if (!settings.is_object())
    return Status(ErrorCode::kInvalidArgument, where + ": expected an object of settings, got " + Show(settings));
  for (auto& [key, value] : settings.items()) {
    const ParamSpec* spec = FindParam(options->kind, key);
    if (spec == nullptr)
      return Status(ErrorCode::kInvalidArgument, where + ": unknown key " + Quoted(key) + " for --model " +
                                                     ModelKindName(options->kind) + " (known: " +
                                                     ParamNames(options->kind) + ")");
    PATHLIGHT_RETURN_IF_ERROR(CheckParamValue(*spec, value, where));
  }
  ModelOptions& o = *options;
  auto num = [&](const char* key, auto* field) {
    if (settings.contains(key)) *field = static_cast<std::remove_pointer_t<decltype(field)>>(settings[key].get<double>());
  };
  switch (o.kind) {
    case ModelKind::kAls:
      num("factors", &o.als.factors);
      num("regularization", &o.als.regularization);
      num("alpha", &o.als.alpha);
      num("iterations", &o.als.iterations);
      num("cg_steps", &o.als.cg_steps);
      if (settings.contains("solver"))
        o.als.solver = settings["solver"] == "cg" ? AlsSolver::kConjugateGradient : AlsSolver::kCholesky;
      break;
    case ModelKind::kBpr:
      num("factors", &o.bpr.factors);
      num("learning_rate", &o.bpr.learning_rate);
      num("regularization", &o.bpr.regularization);
      num("iterations", &o.bpr.iterations);
      break;
    case ModelKind::kBiasedMf:
      if (settings.contains("solver"))
        o.mf.solver = settings["solver"] == "als" ? BiasedMfSolver::kAls : BiasedMfSolver::kGibbs;
      num("factors", &o.mf.factors);
      num("iterations", &o.mf.iterations);
      num("burn_in", &o.mf.burn_in);
      num("noise_precision", &o.mf.noise_precision);
      num("regularization", &o.mf.regularization);
      num("bias_regularization", &o.mf.bias_regularization);
      break;
    case ModelKind::kPopular:
      break;
  }
  return Status::Ok();
}

const std::vector<std::string_view>& ProvenanceKeys() {
  static const std::vector<std::string_view> keys = {
      "chosen_on", "dataset", "data",  "protocol", "validation_split", "metric", "search", "budget", "trainings",
      "candidates", "seconds", "seed", "validation", "test",  "gap", "folds", "date", "command", "notes"};
  return keys;
}

StatusOr<ModelConfig> ParseModelConfig(const json& j, const std::string& source) {
  const std::string where = "config " + Quoted(source);
  if (!j.is_object()) return Status(ErrorCode::kParseError, where + ": expected a JSON object");
  for (auto& [key, value] : j.items())
    if (key != "format" && key != "version" && key != "model" && key != "settings" && key != "provenance")
      return Status(ErrorCode::kInvalidArgument,
                    where + ": unknown key " + Quoted(key) + " (known: format, version, model, settings, provenance)");
  if (j.contains("format") && j["format"] != "pathlight-config")
    return Status(ErrorCode::kInvalidArgument, where + " \"format\": expected \"pathlight-config\", got " + Show(j["format"]));
  if (j.contains("version") && j["version"] != 1)
    return Status(ErrorCode::kInvalidArgument, where + " \"version\": expected 1, got " + Show(j["version"]));
  if (!j.contains("model") || !j["model"].is_string())
    return Status(ErrorCode::kInvalidArgument, where + ": \"model\" (als | bpr | biased-mf) is required");
  const auto kind = ParseModelKind(j["model"].get<std::string>());
  if (!kind || *kind == ModelKind::kPopular)
    return Status(ErrorCode::kInvalidArgument,
                  where + " \"model\": expected als | bpr | biased-mf, got " + Show(j["model"]));
  if (!j.contains("settings") || !j["settings"].is_object())
    return Status(ErrorCode::kInvalidArgument, where + ": \"settings\" (an object) is required");
  ModelConfig c;
  c.model = *kind;
  c.settings = j["settings"];
  c.source = source;
  ModelOptions check;
  check.kind = c.model;
  PATHLIGHT_RETURN_IF_ERROR(ApplySettings(c.settings, &check, where + " settings"));
  if (j.contains("provenance")) {
    if (!j["provenance"].is_object())
      return Status(ErrorCode::kInvalidArgument, where + " \"provenance\": expected an object");
    for (auto& [key, value] : j["provenance"].items()) {
      bool known = false;
      for (std::string_view k : ProvenanceKeys()) known = known || key == k;
      if (!known) {
        std::string list;
        for (std::string_view k : ProvenanceKeys()) list += (list.empty() ? "" : ", ") + std::string(k);
        return Status(ErrorCode::kInvalidArgument,
                      where + " provenance: unknown key " + Quoted(key) + " (known: " + list + ")");
      }
    }
    c.provenance = j["provenance"];
  }
  return c;
}

StatusOr<ModelConfig> ReadModelConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, "cannot read config \"" + path + "\"");
  // At most 1 MiB, read as such: /dev/zero or a file of gigabytes is refused, not read into memory.
  std::string bytes(limits::kMaxConfigBytes + 1, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<size_t>(in.gcount()));
  if (bytes.size() > limits::kMaxConfigBytes)
    return Status(ErrorCode::kLimitExceeded, "config \"" + path + "\" is larger than 1 MiB (a settings file is a few hundred bytes)");
  // nlohmann's message says where ("at line L, column C"); a number beyond double's range (1e400)
  // is its out_of_range error, refused the same way; a key given twice is refused by name.
  PATHLIGHT_ASSIGN_OR_RETURN(json j, ParseBoundedJson(bytes, "config \"" + path + "\"", kMaxJsonDepth, DuplicateKeys::kRefuse));
  return ParseModelConfig(j, path);
}

json ModelConfigJson(const ModelConfig& c) {
  json j = {{"format", "pathlight-config"}, {"version", 1}, {"model", ModelKindName(c.model)},
            {"settings", c.settings}};
  if (!c.provenance.empty()) j["provenance"] = c.provenance;
  return j;
}

Status WriteModelConfig(const ModelConfig& c, const std::string& path) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << ModelConfigJson(c).dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      return Status(ErrorCode::kIoError, "cannot write config \"" + path + "\"");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Status(ErrorCode::kIoError, "cannot write config \"" + path + "\": " + ec.message());
  }
  return Status::Ok();
}

std::optional<ModelConfig> BuiltInConfig(const std::string& dataset) {
  for (const BuiltIn* b = kBuiltIn; b->dataset != nullptr; ++b) {
    if (dataset != b->dataset) continue;
    const std::string source = "built-in trainer/configs/" + dataset + ".json";
    auto c = ParseModelConfig(json::parse(b->text, nullptr, false), source);
    // The files are checked when they are committed (tests/tune_test.cpp); a broken one is a bug.
    assert(c.ok());
    if (!c.ok()) return std::nullopt;
    return std::move(c).value();
  }
  return std::nullopt;
}

std::vector<std::string> BuiltInConfigDatasets() {
  std::vector<std::string> out;
  for (const BuiltIn* b = kBuiltIn; b->dataset != nullptr; ++b) out.push_back(b->dataset);
  return out;
}

StatusOr<ResolvedModel> ResolveModelOptions(const std::string& dataset, ModelKind kind,
                                            const std::optional<ModelConfig>& file, const json& flags,
                                            const json& als_flags) {
  if (file && file->model != kind)
    return Status(ErrorCode::kInvalidArgument, "config \"" + file->source + "\" holds settings for --model " +
                                                   ModelKindName(file->model) + ", not " + ModelKindName(kind));
  // The biased-mf solver decides which defaults and configs apply: flags, then the file, then the
  // built-in config, then Gibbs.
  const std::optional<ModelConfig> built_in = BuiltInConfig(dataset);
  BiasedMfSolver mf_solver = BiasedMfSolver::kGibbs;
  auto solver_of = [](const json& s) -> std::optional<BiasedMfSolver> {
    if (!s.contains("solver")) return std::nullopt;
    return s["solver"] == "als" ? BiasedMfSolver::kAls : BiasedMfSolver::kGibbs;
  };
  if (kind == ModelKind::kBiasedMf) {
    if (flags.contains("solver")) {
      PATHLIGHT_RETURN_IF_ERROR(CheckParamValue(*FindParam(kind, "solver"), flags["solver"], "flag --solver"));
      mf_solver = *solver_of(flags);
      if (file && solver_of(file->settings) && *solver_of(file->settings) != mf_solver)
        return Status(ErrorCode::kInvalidArgument, "--solver " + flags["solver"].get<std::string>() +
                                                       " conflicts with config \"" + file->source + "\" (solver " +
                                                       file->settings["solver"].get<std::string>() + ")");
    } else if (file && solver_of(file->settings)) {
      mf_solver = *solver_of(file->settings);
    } else if (built_in && built_in->model == kind && solver_of(built_in->settings)) {
      mf_solver = *solver_of(built_in->settings);
    }
  }
  ResolvedModel r;
  r.options = LibraryDefaults(kind, mf_solver);
  // The ALS layer (the device's fold-in λ and α for every model).
  ModelOptions als = r.options;
  als.kind = ModelKind::kAls;
  if (built_in && built_in->model == ModelKind::kAls) {
    PATHLIGHT_RETURN_IF_ERROR(ApplySettings(built_in->settings, &als, "config \"" + built_in->source + "\" settings"));
    if (kind == ModelKind::kAls) {
      r.source = built_in->source;
      r.provenance = built_in->provenance;
    }
  }
  if (kind == ModelKind::kAls && file) {
    PATHLIGHT_RETURN_IF_ERROR(ApplySettings(file->settings, &als, "config \"" + file->source + "\" settings"));
  }
  PATHLIGHT_RETURN_IF_ERROR(ApplySettings(kind == ModelKind::kAls ? flags : als_flags, &als, "flags"));
  r.options.als = als.als;

  bool burn_in_set = flags.contains("burn_in");
  if (kind != ModelKind::kAls) {
    ModelOptions& o = r.options;
    const bool built_in_applies = built_in && built_in->model == kind &&
                                  (kind != ModelKind::kBiasedMf || solver_of(built_in->settings).value_or(
                                                                       BiasedMfSolver::kGibbs) == mf_solver);
    if (built_in_applies) {
      PATHLIGHT_RETURN_IF_ERROR(ApplySettings(built_in->settings, &o, "config \"" + built_in->source + "\" settings"));
      r.source = built_in->source;
      r.provenance = built_in->provenance;
      burn_in_set = burn_in_set || built_in->settings.contains("burn_in");
    }
    if (file) {
      PATHLIGHT_RETURN_IF_ERROR(ApplySettings(file->settings, &o, "config \"" + file->source + "\" settings"));
      burn_in_set = burn_in_set || file->settings.contains("burn_in");
    }
    PATHLIGHT_RETURN_IF_ERROR(ApplySettings(flags, &o, "flags"));
    if (!burn_in_set && o.mf.burn_in >= o.mf.iterations) o.mf.burn_in = o.mf.iterations / 10;
  }
  if (file) {
    r.source = file->source;
    r.provenance = file->provenance;
  }
  r.settings = SettingsOf(r.options);
  return r;
}

}  // namespace pathlight::trainer
