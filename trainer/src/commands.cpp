#include "commands.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <random>

#include "pathlight/bundle.h"
#include "pathlight/limits.h"
#include "pathlight/profile.h"
#include "pathlight/sha256.h"
#include "pathlight/trainer/cold_items.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/rating_eval.h"
#include "pathlight/trainer/evaluate.h"
#include "pathlight/trainer/kg_clean.h"
#include "pathlight/trainer/kg_eval.h"
#include "pathlight/trainer/models.h"
#include "pathlight/trainer/publish.h"
#include "pathlight/trainer/spark.h"

namespace pathlight::trainer {

using nlohmann::json;

struct TrainerCommands {
  CLI::App *train = nullptr, *eval = nullptr, *import = nullptr, *bundle = nullptr, *inspect = nullptr,
           *limits = nullptr;
  CLI::App* update = nullptr;  // bundle update
  CommonFlags train_flags, eval_flags, import_flags, bundle_flags;
  std::string out_dir, catalog_out, item_factors, inspect_dir;
  std::string update_parent, update_items, update_out;
  std::string layout = "sharded";  // train: sharded | plain
  bool update_rebase = false;
  bool inspect_json = false;
};

namespace {
const std::vector<std::string> kDatasets = {"demo", "coco", "movielens", "junyi", "metacademy", "stackexchange", "csv"};
}  // namespace

// The data-set flags of train, eval, import, bundle and the kg subcommands.
void RegisterDatasetOptions(CLI::App* cmd, DatasetFlags* f) {
  cmd->add_option("--dataset", f->dataset, "Data source: demo | coco | movielens | junyi | metacademy | stackexchange | csv")
      ->check(CLI::IsMember(kDatasets))->capture_default_str();
  cmd->add_option("--data", f->data,
                  "Folder of the data set (default: data/demo, or ../shared/data/<folder> for the real sets)");
  cmd->add_option("--learners", f->learners, "simulated learners (demo only)")->check(CLI::Range(1, 10000000));
  cmd->add_option("--fold", f->fold, "movielens: official fold 1..5 (u<fold>.base/.test), 0 = all of u.data")
      ->check(CLI::Range(0, 5));
  cmd->add_option("--concept-map", f->concept_map, "Apply a reviewed concept_map.csv (pathlight kg clean)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--edges", f->edges, "Add the prerequisite edges of a reviewed edges.csv (pathlight kg mine)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--rating-scale", f->rating_scale,
                  "csv: interactions.csv's `rating` column is explicit, on MIN:MAX (e.g. 0.5:5 in half stars, 1:10); "
                  "MIN:MAX:STEP sets the step (default: inferred from the ratings)");
}

void AddDataFlags(CLI::App* cmd, CommonFlags* f) {
  f->cmd = cmd;
  RegisterDatasetOptions(cmd, f);
}

// A hyperparameter flag held as float32, checked on its text (FloatSettingInRange, as a --config's
// value is): 1e39 passed CLI::NonNegativeNumber, became inf and was then reported as "got null";
// 1e-50 became 0 and was reported as "got 0.0".
CLI::Validator FloatSetting(bool positive) {
  return CLI::Validator(
      [positive](std::string& s) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        const bool ok = !s.empty() && end == s.c_str() + s.size() && FloatSettingInRange(v, positive);
        return ok ? std::string() : std::string("expected ") + FloatSettingRange(positive) + ", got " + s;
      },
      positive ? "NUMBER > 0" : "NUMBER >= 0");
}

// A share strictly between 0 and 1 (--validation-share): 0 holds nothing out and 1 leaves nothing
// to train on; CLI::Range(0, 1) advertised both ends and the run then refused them.
CLI::Validator ShareOpen() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        const bool ok = !s.empty() && end == s.c_str() + s.size() && v > 0 && v < 1;
        return ok ? std::string() : "expected a number in (0, 1), both ends excluded, got " + s;
      },
      "SHARE in (0, 1)");
}

namespace {
// The decimal text of a number (ReadNumbersInDecimal): digits with an optional leading '-' (and,
// for a float, '+', one '.', an exponent). Returns the text to convert — a whole number without its
// leading zeros, so that CLI11 cannot read it as octal — or nullopt.
std::optional<std::string> DecimalText(const std::string& s, bool whole) {
  size_t i = 0;
  std::string sign;
  if (i < s.size() && (s[i] == '-' || (!whole && s[i] == '+'))) sign = s[i++];
  const size_t digits_at = i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  size_t digits = i - digits_at;
  if (whole) {
    if (digits == 0 || i != s.size()) return std::nullopt;
    const size_t first = std::min(s.find_first_not_of('0', digits_at), s.size() - 1);
    return sign + s.substr(first);
  }
  if (i < s.size() && s[i] == '.') {
    const size_t frac_at = ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    digits += i - frac_at;
  }
  if (digits == 0) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    if (++i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t exp_at = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    if (i == exp_at) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return s;
}
}  // namespace

void ReadNumbersInDecimal(CLI::App& app) {
  for (CLI::Option* opt : app.get_options()) {
    const std::string type = opt->get_type_name();
    const bool whole = type.rfind("INT", 0) == 0 || type.rfind("UINT", 0) == 0;
    if (!whole && type.rfind("FLOAT", 0) != 0) continue;
    const bool is_unsigned = type.rfind("UINT", 0) == 0;
    // transform(): runs before the flag's other checks (a range would otherwise read "010" as 8
    // and call 2.5 "not in range").
    opt->transform(CLI::Validator(
        [whole, is_unsigned](std::string& s) -> std::string {
          std::optional<std::string> text = DecimalText(s, whole);
          if (text && !(is_unsigned && (*text)[0] == '-')) {
            s = *text;
            return std::string();
          }
          const std::string got = s.empty() ? std::string("an empty value") : s;
          if (!whole) return "expected a decimal number (like 0.5, 10 or 1e-3), got " + got;
          const bool decimal_fraction = DecimalText(s, false).has_value();
          return std::string("expected a whole number") + (is_unsigned ? " >= 0" : "") + " in decimal digits" +
                 (decimal_fraction ? "" : " (like 10; not hexadecimal or octal)") + ", got " + got;
        },
        ""));
  }
  for (CLI::App* sub : app.get_subcommands({})) ReadNumbersInDecimal(*sub);
}

void AddModelFlags(CLI::App* cmd, CommonFlags* f) {
  cmd->add_option("--model", f->model, "als | bpr | biased-mf | popular (default: als; movielens: biased-mf)")
      ->check(CLI::IsMember({"als", "bpr", "biased-mf", "popular"}));
  cmd->add_option("--config", f->config,
                  "settings file written by `pathlight tune` (flags given beside it win)")->check(CLI::ExistingFile);
  cmd->add_option("--factors", f->opt.als.factors, "k, latent dimension (1..1024)")->check(CLI::Range(1, 1024));
  cmd->add_option("--regularization", f->opt.als.regularization,
                  "lambda >= 0 (ALS; BPR; biased-mf --solver als: per rating)")->check(FloatSetting(false));
  cmd->add_option("--alpha", f->opt.als.alpha, "confidence slope alpha >= 0 (c = 1 + alpha*w)")->check(FloatSetting(false));
  cmd->add_option("--iterations", f->opt.als.iterations, "sweeps (ALS, biased-mf) or epochs (BPR)")->check(CLI::Range(1, 100000));
  cmd->add_option("--solver", f->solver, "als: cholesky | cg ; biased-mf: gibbs | als")
      ->check(CLI::IsMember({"cholesky", "cg", "gibbs", "als"}));
  cmd->add_option("--cg-steps", f->opt.als.cg_steps, "CG iterations per row (--solver cg)")->check(CLI::Range(1, 100));
  cmd->add_option("--learning-rate", f->opt.bpr.learning_rate, "BPR step size eta > 0")->check(FloatSetting(true));
  cmd->add_option("--burn-in", f->opt.mf.burn_in, "biased-mf gibbs: sweeps discarded before averaging")->check(CLI::NonNegativeNumber);
  cmd->add_option("--noise-precision", f->opt.mf.noise_precision, "biased-mf gibbs: tau = 1/sigma^2 of rating noise")
      ->check(FloatSetting(true));
  cmd->add_option("--bias-regularization", f->opt.mf.bias_regularization, "biased-mf --solver als: lambda_b per rating")
      ->check(FloatSetting(false));
  cmd->add_option("--seed", f->seed, "random seed, 0..2^64-1 (training and splits are deterministic for a seed)")
      ->check(CLI::Validator([](std::string& s) {
                               uint64_t v;
                               const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
                               const bool digits = !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
                               return digits && ec == std::errc() && end == s.data() + s.size()
                                          ? std::string() : "expected an integer 0..2^64-1, got " + s;
                             }, "UINT64"))
      ->capture_default_str();
  // At most 1024: OpenMP aborts (or crashes) creating tens of thousands of threads.
  cmd->add_option("--threads", f->threads, "threads (0 = all cores)")->check(CLI::Range(0, 1024))->capture_default_str();
  cmd->add_option("--factor-encoding", f->encoding, "bundle item factors: f32 | f16 | i8 (int8 + row scales)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, FactorEncoding>{
          {"f32", FactorEncoding::kF32}, {"f16", FactorEncoding::kF16}, {"i8", FactorEncoding::kInt8}}));
}

namespace {

std::string DefaultDataDir(const std::string& dataset) {
  static const std::map<std::string, std::string> kFolders = {
      {"coco", "coco-udemy"}, {"movielens", "ml-100k"}, {"junyi", "junyi-2015"}, {"metacademy", "metacademy"},
      {"stackexchange", "cardano-stackexchange"}};
  auto it = kFolders.find(dataset);
  if (it != kFolders.end()) return "../shared/data/" + it->second;
  return dataset == "demo" ? "data/demo/catalog.json" : "";
}

// The hyperparameter flags given on the command line, as settings keys of `kind` (CLI11 stored
// the shared ones, --factors --regularization --alpha --iterations --cg-steps, in opt.als).
// A flag that does not belong to `kind` is an error, not ignored.
StatusOr<json> FlagSettings(const CommonFlags& f, ModelKind kind) {
  struct Owner { const char* flag; std::vector<ModelKind> models; };
  const Owner owners[] = {{"--solver", {ModelKind::kAls, ModelKind::kBiasedMf}},
                          {"--cg-steps", {ModelKind::kAls}},
                          {"--learning-rate", {ModelKind::kBpr}},
                          {"--burn-in", {ModelKind::kBiasedMf}},
                          {"--noise-precision", {ModelKind::kBiasedMf}},
                          {"--bias-regularization", {ModelKind::kBiasedMf}}};
  for (const Owner& o : owners)
    if (f.Given(o.flag) && std::find(o.models.begin(), o.models.end(), kind) == o.models.end()) {
      std::string list;
      for (ModelKind m : o.models) list += (list.empty() ? "--model " : " or ") + std::string(ModelKindName(m));
      return Status(ErrorCode::kInvalidArgument, std::string(o.flag) + " applies to " + list + ", not --model " +
                                                     ModelKindName(kind));
    }
  json s = json::object();
  if (kind == ModelKind::kPopular) return s;
  const ModelOptions& o = f.opt;
  if (f.Given("--factors")) s["factors"] = o.als.factors;
  if (f.Given("--regularization")) s["regularization"] = TidySetting(o.als.regularization);
  if (f.Given("--iterations")) s["iterations"] = o.als.iterations;
  if (kind == ModelKind::kAls) {
    if (f.Given("--alpha")) s["alpha"] = TidySetting(o.als.alpha);
    if (f.Given("--cg-steps")) s["cg_steps"] = o.als.cg_steps;
    if (f.Given("--solver")) s["solver"] = f.solver;
  } else if (kind == ModelKind::kBpr) {
    if (f.Given("--learning-rate")) s["learning_rate"] = TidySetting(o.bpr.learning_rate);
  } else {
    if (f.Given("--solver")) s["solver"] = f.solver == "cholesky" ? "als" : f.solver;  // cholesky: the old name
    if (f.Given("--burn-in")) s["burn_in"] = o.mf.burn_in;
    if (f.Given("--noise-precision")) s["noise_precision"] = TidySetting(o.mf.noise_precision);
    if (f.Given("--bias-regularization")) s["bias_regularization"] = TidySetting(o.mf.bias_regularization);
  }
  return s;
}

}  // namespace

// Library defaults < the dataset's built-in config (trainer/configs/<dataset>.json, chosen on
// validation data) < --config < flags; see settings.h.
Status ApplyDefaults(CommonFlags* f) {
  if (f->data.empty()) f->data = DefaultDataDir(f->dataset);
  std::optional<ModelConfig> file;
  if (!f->config.empty()) {
    PATHLIGHT_ASSIGN_OR_RETURN(ModelConfig c, ReadModelConfig(f->config));
    file = std::move(c);
    const std::string tuned_on = file->provenance.value("dataset", "");
    if (!tuned_on.empty() && tuned_on != f->dataset)
      spdlog::warn("{} was tuned on dataset {}, not {}", f->config, tuned_on, f->dataset);
  }
  const ModelKind kind = f->Given("--model") ? *ParseModelKind(f->model)
                         : file                  ? file->model
                         : f->dataset == "movielens" ? ModelKind::kBiasedMf
                                                     : ModelKind::kAls;
  f->model = ModelKindName(kind);
  PATHLIGHT_ASSIGN_OR_RETURN(const json flags, FlagSettings(*f, kind));
  json als_flags = json::object();  // the fold-in λ and α of every model's bundle
  if (kind != ModelKind::kAls) {
    if (f->Given("--regularization")) als_flags["regularization"] = TidySetting(f->opt.als.regularization);
    if (f->Given("--alpha")) als_flags["alpha"] = TidySetting(f->opt.als.alpha);
  }
  PATHLIGHT_ASSIGN_OR_RETURN(ResolvedModel r, ResolveModelOptions(f->dataset, kind, file, flags, als_flags));
  f->opt = r.options;
  f->opt.als.seed = f->opt.bpr.seed = f->opt.mf.seed = f->seed;
  f->opt.als.threads = f->opt.mf.threads = f->threads;
  f->settings_source = r.source;
  f->settings_provenance = r.provenance;
  if (!r.source.empty()) spdlog::info("settings from {}", r.source);
  return Status::Ok();
}

StatusOr<Dataset> LoadSource(const DatasetFlags& f, int default_fold) {
  // A flag that does not apply to the source is an error, not ignored.
  if (f.learners != 0 && f.dataset != "demo")
    return Status(ErrorCode::kInvalidArgument, "--learners applies to --dataset demo (it simulates its learners; " + f.dataset + " has its own)");
  if (f.fold >= 0 && f.dataset != "movielens")
    return Status(ErrorCode::kInvalidArgument, "--fold applies to --dataset movielens (its official folds u1..u5)");
  if (f.data.empty())
    return Status(ErrorCode::kInvalidArgument, "--dataset " + f.dataset + " needs --data DIR: the folder of items.csv, concepts.csv, "
                                               "edges.csv and interactions.csv (docs/csv-schema.md)");
  if (f.dataset == "coco") return LoadCoco(f.data);
  if (f.dataset == "movielens") return LoadMovieLens(f.data, f.fold >= 0 ? f.fold : default_fold);
  if (f.dataset == "junyi") return LoadJunyi(f.data);
  if (f.dataset == "metacademy") return LoadMetacademy(f.data);
  if (f.dataset == "stackexchange") return LoadStackExchange(f.data);
  if (f.dataset == "csv") {
    RatingScaleOption scale;
    if (!f.rating_scale.empty()) {
      PATHLIGHT_ASSIGN_OR_RETURN(scale, ParseRatingScale(f.rating_scale));
    }
    return LoadCsvDataset(f.data, scale);
  }
  if (!f.rating_scale.empty())
    return Status(ErrorCode::kInvalidArgument, "--rating-scale applies to --dataset csv (the other sources declare their own)");
  std::string path = f.data;
  if (std::filesystem::is_directory(path)) path += "/catalog.json";
  return LoadDemo(path, DemoOptions{f.learners != 0 ? f.learners : 2000, 7});
}

StatusOr<Dataset> Load(const CommonFlags& f, int default_fold) { return LoadDatasetForFlags(f, default_fold); }

// Explicit ratings train and clamp on the dataset's declared scale.
void SetRatingScale(const Dataset& ds, ModelOptions* o) {
  if (!ds.explicit_ratings) return;
  o->mf.min_rating = ds.min_rating;
  o->mf.max_rating = ds.max_rating;
  o->mf.rating_step = ds.rating_step;
}

int Fail(const Status& st) {
  spdlog::error("{}", st.ToString());
  std::cerr << "error: " << st.ToString() << "\n";
  return 1;
}

ProgressFn Progress(const CommonFlags& f) {
  const std::string name = f.model;
  return [name](int it, double s) { spdlog::info("{} iteration {}: {:.3f} s", name, it, s); };
}

// Items priced per hour (consultations, mentors without offerings) with no session length: what a
// session costs is unknown (PriceToTake), so budgets and totals treat them as unpriced.
static int64_t SessionsWithoutLength(const Catalog& cat) {
  int64_t n = 0;
  for (const Item& i : cat.items())
    n += i.price_known && PriceUnitOf(i.kind) == PriceUnit::kHour && !PriceToTake(i) && i.offerings.empty();
  return n;
}

void LogDataset(const Dataset& ds) {
  for (const auto& n : ds.notes) spdlog::info("{}", n);
  spdlog::info("{}: {} learners, {} items, {} concepts, {} train / {} test events", ds.name, ds.num_users(),
               ds.catalog.num_items(), ds.catalog.num_concepts(), ds.train.size(), ds.test.size());
  if (const int64_t n = SessionsWithoutLength(ds.catalog))
    spdlog::warn("{}: {} consultations or mentors have a price per hour but no session length (`hours`): what a "
                 "session costs is unknown, so budgets and path totals count them as unpriced", ds.name, n);
}

std::string DefaultProtocol(const CommonFlags& f) {
  if (!f.protocol.empty()) return f.protocol;
  if (f.dataset == "movielens") return "surprise-5fold";
  return f.dataset == "junyi" || f.dataset == "csv" ? "random-80-20" : "temporal";
}

EvalOptions EvalOptionsOf(const CommonFlags& f) {
  EvalOptions o;
  o.model = f.opt;
  o.k = f.k;
  o.seed = f.seed;
  o.holdout_fraction = f.holdout;
  o.encoding = f.encoding;
  o.protocol = DefaultProtocol(f);
  o.validation_share = f.validation_share;
  return o;
}

json SettingsRecord(const CommonFlags& f) {
  json r = {{"settings", SettingsOf(f.opt)},
            {"source", f.settings_source.empty() ? "library defaults" : f.settings_source}};
  for (const char* key : {"chosen_on", "dataset", "protocol", "metric", "date"})
    if (f.settings_provenance.contains(key)) r[key] = f.settings_provenance[key];
  if (DefaultProtocol(f) == "surprise-5fold" && f.settings_provenance.value("protocol", "") == "surprise-5fold")
    r["note"] = "these settings were chosen on the inner splits of all five folds, so each fold's test ratings were "
                "validation data of the others: the unbiased 5-fold figure is the nested one in the config's "
                "provenance (test.rmse)";
  return r;
}

namespace {

json DatasetSummary(const Dataset& ds) {
  std::map<std::string, int64_t> kinds;
  int64_t edges = 0, priced = 0;
  for (const Item& i : ds.catalog.items()) {
    ++kinds[ItemKindName(i.kind)];
    priced += i.price_known ? 1 : 0;
  }
  for (const Concept& c : ds.catalog.concepts()) edges += static_cast<int64_t>(c.prerequisites.size());
  return {{"dataset", ds.name}, {"items", ds.catalog.num_items()}, {"item_kinds", kinds},
          {"items_with_price", priced}, {"sessions_without_length", SessionsWithoutLength(ds.catalog)},
          {"concepts", ds.catalog.num_concepts()}, {"prerequisite_edges", edges},
          {"learners", ds.num_users()}, {"train", ds.train.size()}, {"test", ds.test.size()},
          {"explicit_ratings", ds.explicit_ratings}, {"report", ds.report}, {"notes", ds.notes}};
}

int RunEval(const CommonFlags& flags) {
  CommonFlags f = flags;
  if (const Status st = ApplyDefaults(&f); !st.ok()) return Fail(st);
  EvalOptions o = EvalOptionsOf(f);
  if (o.protocol == "surprise-5fold" && f.dataset != "movielens")
    return Fail(Status(ErrorCode::kInvalidArgument, "--protocol surprise-5fold needs --dataset movielens"));
  spdlog::info("eval: dataset {} protocol {} model {}", f.dataset, o.protocol, ModelKindName(o.model.kind));
  StatusOr<json> out = Status(ErrorCode::kInvalidArgument, "unreachable");
  if (o.protocol == "surprise-5fold") {
    out = RunSurpriseFolds(f.data, o, Progress(f));
  } else if (o.protocol == "cold-items" || o.protocol == "k-fold") {
    auto ds = Load(f, 1);
    if (!ds.ok()) return Fail(ds.status());
    LogDataset(*ds);
    SetRatingScale(*ds, &o.model);
    out = o.protocol == "cold-items" ? RunColdItems(*ds, o, Progress(f)) : RunKFoldRatings(*ds, o, f.folds, Progress(f));
  } else {
    auto ds = Load(f, 1);
    if (!ds.ok()) return Fail(ds.status());
    if (f.train_fraction < 1) {  // scaling measurements: a seeded share of the training events
      std::mt19937_64 rng(f.seed);
      std::shuffle(ds->train.begin(), ds->train.end(), rng);
      ds->train.resize(static_cast<size_t>(f.train_fraction * static_cast<double>(ds->train.size())));
      spdlog::info("kept {} training events (--train-fraction {})", ds->train.size(), f.train_fraction);
    }
    LogDataset(*ds);
    SetRatingScale(*ds, &o.model);
    const bool kg = (f.knowledge_graph || f.dataset == "junyi") && o.model.kind != ModelKind::kBiasedMf &&
                    (o.protocol == "temporal" || o.protocol == "random-80-20");
    Dataset split = kg ? *ds : Dataset();
    out = RunProtocol(std::move(ds).value(), o, Progress(f));
    if (out.ok() && kg) {
      // The on-device ranking's graph terms, on the same split (junyi: always; others: --knowledge-graph).
      if (o.protocol == "random-80-20") SplitRandomPerLearner(&split, 0.2, o.seed);
      spdlog::info("knowledge-graph evaluation ({} learners)", f.kg_learners > 0 ? std::to_string(f.kg_learners) : "all");
      auto mb = TrainBundle(split, o.model, f.encoding, Progress(f));
      if (!mb.ok()) return Fail(mb.status());
      KgEvalOptions ko;
      ko.k = o.k;
      ko.max_learners = f.kg_learners;
      const json kg_metrics = EvaluateKnowledgeGraph(split, mb->bundle, mb->train, ko);
      for (auto& [key, value] : kg_metrics.items()) (*out)[key] = value;
    }
  }
  if (!out.ok()) return Fail(out.status());
  (*out)["hyperparameters"] = SettingsRecord(f);
  std::cout << out->dump() << std::endl;  // the last stdout line: one JSON object
  return 0;
}

int RunTrain(const CommonFlags& flags, const std::string& out_dir, const std::string& layout) {
  CommonFlags f = flags;
  if (const Status st = ApplyDefaults(&f); !st.ok()) return Fail(st);
  auto loaded = Load(f, 0);
  if (!loaded.ok()) return Fail(loaded.status());
  Dataset& ds = *loaded;
  LogDataset(ds);
  SetRatingScale(ds, &f.opt);
  // One training: the bundle's model, evaluated on the dataset's own split when it has one.
  auto r = TrainBundle(ds, f.opt, FactorEncoding::kF32, Progress(f));
  if (!r.ok()) return Fail(r.status());
  // The factors' encoding: int8 where its lists agree with f32's (docs/bundle-format.md, "Encoding").
  const bool forced = f.Given("--factor-encoding");
  const EncodingChoice choice = ChooseFactorEncoding(r->model.user_factors, r->model.item_factors, r->model.item_bias,
                                                     f.seed, forced ? std::optional<FactorEncoding>(f.encoding) : std::nullopt);
  spdlog::info("factor encoding {}", choice.record.value("reason", ""));
  if (choice.encoding != FactorEncoding::kF32) {
    const Vector popularity = r->bundle.item_popularity;
    auto b = AssembleBundle(r->bundle.catalog, r->model.item_factors, r->model.item_bias, r->bundle.info, choice.encoding);
    if (!b.ok()) return Fail(b.status());
    std::optional<ContentModel> content_model = std::move(r->bundle.content_model);
    r->bundle = std::move(b).value();
    r->bundle.item_popularity = popularity;
    r->bundle.content_model = std::move(content_model);
  }
  r->bundle.info.encoding = choice.record;
  json metrics = EvaluateTrained(ds, *r, f.opt, f.k);  // no timings: bundles are reproducible
  if (r->bundle.info.metrics.contains("content")) metrics["content"] = r->bundle.info.metrics["content"];
  metrics["hyperparameters"] = SettingsRecord(f);
  r->bundle.info.metrics = metrics;
  auto sha = layout == "plain" ? WriteBundleDir(r->bundle, out_dir) : WritePublishedBundle(r->bundle, out_dir);
  if (!sha.ok()) return Fail(sha.status());
  spdlog::info("wrote bundle to {} (manifest sha256 {})", out_dir, *sha);
  std::cout << json{{"bundle", out_dir}, {"manifest_sha256", *sha}, {"factor_encoding", choice.record}, {"metrics", metrics}}.dump()
            << std::endl;
  return 0;
}

int RunImport(const CommonFlags& flags, const std::string& catalog_out) {
  CommonFlags f = flags;
  if (const Status st = ApplyDefaults(&f); !st.ok()) return Fail(st);
  if (!catalog_out.empty() && !f.data.empty()) {
    // The importer never overwrites what it reads: an existing file (or the folder) of --data —
    // an operator's items.csv — is refused; a new file there is fine.
    std::error_code e1, e2, e3;
    const std::filesystem::path out = std::filesystem::weakly_canonical(catalog_out, e1);
    const std::filesystem::path data = std::filesystem::weakly_canonical(f.data, e2);
    const bool inside = !e1 && !e2 && std::mismatch(data.begin(), data.end(), out.begin(), out.end()).first == data.end();
    if (inside && (out == data || std::filesystem::exists(out, e3)))
      return Fail(Status(ErrorCode::kInvalidArgument, "--catalog-out \"" + catalog_out + "\" is a file of --data \"" + f.data +
                                                      "\": write the catalog elsewhere (the data's own files stay as they are)"));
  }
  auto ds = Load(f, 1);
  if (!ds.ok()) return Fail(ds.status());
  LogDataset(*ds);
  if (!catalog_out.empty()) {
    // Every string passed the catalog reader's UTF-8 check (Load); dump() would still throw on
    // bytes that are not UTF-8, so a failure here is an error, never an abort.
    std::string text;
    try {
      text = ds->catalog.ToJson().dump(1);
    } catch (const nlohmann::json::exception& e) {
      return Fail(Status(ErrorCode::kParseError, catalog_out + ": cannot write the catalog as JSON: " + e.what()));
    }
    std::ofstream out(catalog_out, std::ios::binary | std::ios::trunc);
    out << text << "\n";
    if (!out) return Fail(Status(ErrorCode::kIoError, "cannot write " + catalog_out));
    spdlog::info("wrote catalog to {}", catalog_out);
  }
  std::cout << DatasetSummary(*ds).dump() << std::endl;
  return 0;
}

int RunBundle(const CommonFlags& flags, const std::string& factors_path, const std::string& out_dir) {
  CommonFlags f = flags;
  if (const Status st = ApplyDefaults(&f); !st.ok()) return Fail(st);
  auto ds = Load(f, 0);
  if (!ds.ok()) return Fail(ds.status());
  LogDataset(*ds);
  auto sf = ReadSparkItemFactors(factors_path, ds->catalog);
  if (!sf.ok()) return Fail(sf.status());
  spdlog::info("{}: {} factor lines, k={}; {} catalog items matched, {} missing (zero factors), {} ids unmatched",
               factors_path, sf->lines, sf->factors, sf->matched, sf->missing, sf->unmatched);
  for (const std::string& id : sf->unmatched_examples) spdlog::warn("unmatched id in {}: {}", factors_path, id);
  ModelInfo info;
  info.dataset = ds->name;
  info.algorithm = "spark-als";
  info.regularization = f.opt.als.regularization;
  info.alpha = f.opt.als.alpha;
  info.metrics = {{"imported_from", std::filesystem::path(factors_path).filename().string()},
                  {"items_matched", sf->matched}, {"items_missing", sf->missing}, {"ids_unmatched", sf->unmatched}};
  // No learner factors come with Spark's item factors: the encoding cannot be measured here.
  info.encoding = {{"factors", FactorEncodingName(f.encoding)},
                   {"reason", std::string(FactorEncodingName(f.encoding)) +
                                  ": set by --factor-encoding (Spark's item factors come without learners to measure int8 against)"}};
  auto b = AssembleBundle(ds->catalog, sf->item_factors, Vector(), std::move(info), f.encoding);
  if (!b.ok()) return Fail(b.status());
  if (!ds->train.empty()) {
    const std::vector<int32_t> counts = ItemPopularity(BuildUserItems(ds->num_users(), ds->catalog.num_items(), ds->train));
    const float top = static_cast<float>(std::max(1, *std::max_element(counts.begin(), counts.end())));
    for (size_t i = 0; i < counts.size(); ++i) b->item_popularity[i] = static_cast<float>(counts[i]) / top;
  }
  auto sha = WritePublishedBundle(*b, out_dir);
  if (!sha.ok()) return Fail(sha.status());
  spdlog::info("wrote bundle to {} (manifest sha256 {})", out_dir, *sha);
  std::cout << json{{"bundle", out_dir},          {"manifest_sha256", *sha},     {"factors", sf->factors},
                    {"lines", sf->lines},         {"items_matched", sf->matched}, {"items_missing", sf->missing},
                    {"ids_unmatched", sf->unmatched}, {"unmatched_examples", sf->unmatched_examples}}
                   .dump()
            << std::endl;
  return 0;
}

int RunBundleUpdate(const std::string& parent, const std::string& items, const std::string& out_dir, bool rebase) {
  std::error_code ec_out, ec_parent;  // the same folder by another spelling (P/, P/., a link)
  const auto out_path = std::filesystem::weakly_canonical(out_dir, ec_out);
  const auto parent_path = std::filesystem::weakly_canonical(parent, ec_parent);
  if (out_dir == parent || (!ec_out && !ec_parent && out_path == parent_path))
    return Fail(Status(ErrorCode::kInvalidArgument, "--out must differ from --parent: the parent stays as it is until the "
                                                    "new version is written and verified"));
  auto sum = UpdateBundle(parent, items, out_dir, rebase);
  if (!sum.ok()) return Fail(sum.status());
  // The new version must read back (as a client would).
  auto check = ReadBundleDir(out_dir);
  if (!check.ok()) return Fail(check.status());
  spdlog::info("wrote bundle to {} (manifest sha256 {}, parent {}): {} added, {} changed, {} retired; {} of {} bytes new",
               out_dir, sum->manifest_sha256, sum->parent_sha256, sum->added, sum->changed, sum->retired, sum->bytes_new,
               sum->bytes_total);
  std::cout << json{{"bundle", out_dir}, {"manifest_sha256", sum->manifest_sha256}, {"parent", sum->parent_sha256},
                    {"added", sum->added}, {"changed", sum->changed}, {"retired", sum->retired},
                    {"items", check->catalog.num_items()}, {"bytes_total", sum->bytes_total}, {"bytes_new", sum->bytes_new},
                    {"new_fraction", sum->bytes_total ? static_cast<double>(sum->bytes_new) / static_cast<double>(sum->bytes_total) : 0.0}}
                   .dump()
            << std::endl;
  return 0;
}

std::string HumanBytes(uint64_t b) {
  char buf[32];
  if (b >= (1u << 20)) std::snprintf(buf, sizeof buf, "%.1f MiB", b / 1048576.0);
  else if (b >= 1024) std::snprintf(buf, sizeof buf, "%.1f KiB", b / 1024.0);
  else std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(b));
  return buf;
}

int RunInspect(const std::string& dir, bool as_json) {
  auto b = ReadBundleDir(dir);
  if (!b.ok()) return Fail(b.status());
  std::ifstream in(dir + "/manifest.json", std::ios::binary);
  json m = json::parse(in, nullptr, false);
  m["verified"] = true;
  if (as_json) {
    std::cout << m.dump(2) << std::endl;
    return 0;
  }
  std::ifstream again(dir + "/manifest.json", std::ios::binary);
  const std::string manifest_text((std::istreambuf_iterator<char>(again)), std::istreambuf_iterator<char>());
  std::cout << "bundle       " << dir << " (verified: every part matches its SHA-256)\n"
            << "format       " << m.value("format", "") << " v" << m.value("version", 0) << "\n"
            << "manifest     sha256 " << Sha256Hex(manifest_text) << " (the value a page pins)\n"
            << "dataset      " << b->info.dataset << "\n"
            << "model        " << b->info.algorithm << ", k=" << b->info.factors << ", lambda=" << b->info.regularization
            << ", alpha=" << b->info.alpha << ", iterations=" << b->info.iterations << "\n";
  if (const auto& r = b->info.ratings)
    std::cout << "ratings      explicit: mean " << r->global_mean << " on " << r->min_rating << ".." << r->max_rating
              << ", fold-in lambda=" << r->regularization << ", lambda_b=" << r->bias_regularization << " per rating\n";
  std::cout << "catalog      " << b->catalog.num_items() << " items, " << b->catalog.num_concepts() << " concepts\n"
            << "factors      " << FactorEncodingName(b->item_factors.encoding()) << "\n";
  uint64_t total = 0;
  std::cout << "parts\n";
  const json parts = m.value("parts", json::object());
  for (auto& [name, e] : parts.items()) {
    const uint64_t bytes = e.value("bytes", uint64_t{0});
    total += bytes;
    std::string shape;
    for (const auto& s : e.value("shape", json::array())) shape += (shape.empty() ? "" : "×") + s.dump();
    std::printf("  %-20s %-24s %5s %-12s %10s  %s\n", name.c_str(), e.value("file", "").c_str(),
                e.value("dtype", "").c_str(), shape.c_str(), HumanBytes(bytes).c_str(),
                e.value("sha256", "").c_str());
  }
  std::fflush(stdout);
  std::cout << "total        " << HumanBytes(total + manifest_text.size()) << " with the manifest\n";
  // Writer parts (checked by the reader above: an object of {file, bytes, ...} entries); one whose
  // file is missing still lets clients load the bundle, but `bundle update` refuses it.
  const json writer_parts = m.value("writer_parts", json::object());
  for (auto& [name, e] : writer_parts.items()) {
    const std::string file = e.value("file", "");
    std::error_code ec;
    const bool present = std::filesystem::is_regular_file(dir + "/" + file, ec);
    std::printf("writer part  %-20s %-24s %s (%s)\n", name.c_str(), file.c_str(),
                HumanBytes(e.value("bytes", uint64_t{0})).c_str(),
                present ? "kept for bundle update; clients never fetch it"
                        : "MISSING: clients load the bundle without it, but bundle update refuses it");
  }
  std::cout << "metrics      ";
  const json metrics = m.value("metrics", json::object());
  if (metrics.empty()) std::cout << "(none recorded)\n";
  else std::cout << "\n";
  for (auto& [key, value] : metrics.items())
    if (!value.is_object() && !value.is_array()) std::cout << "  " << key << " = " << value.dump() << "\n";
  if (metrics.contains("baseline") && metrics["baseline"].is_object())
    for (auto& [key, value] : metrics["baseline"].items())
      std::cout << "  baseline." << key << " = " << value.dump() << "\n";
  return 0;
}

// `pathlight limits`: the one table of limits (limits.h) as JSON, for the page's decoder test.
int RunLimits() {
  json kinds = json::array(), levels = json::array();
  for (int k = 0; k <= static_cast<int>(ItemKind::kMentor); ++k) kinds.push_back(ItemKindName(static_cast<ItemKind>(k)));
  for (int l = 0; l <= static_cast<int>(Level::kAll); ++l) levels.push_back(LevelName(static_cast<Level>(l)));
  const ProfileLimits p;
  std::cout << json{{"catalog",
                     {{"magic", limits::kCatalogMagic}, {"magic_v2", limits::kCatalogMagicV2},
                      {"header_bytes", limits::kCatalogHeaderBytes},
                      {"offering_formats", {OfferingFormatName(OfferingFormat::kOneToOne), OfferingFormatName(OfferingFormat::kGroup)}},
                      {"max_seats", limits::kMaxSeats}, {"max_offerings", limits::kMaxOfferings},
                      {"kinds", kinds}, {"levels", levels}, {"max_string_bytes", limits::kMaxStringBytes},
                      {"max_list_entries", limits::kMaxListEntries}, {"max_price", limits::kMaxPrice},
                      {"max_hours", limits::kMaxHours}, {"max_capacity", limits::kMaxCapacity},
                      {"item_rating", {limits::kMinItemRating, limits::kMaxItemRating}},
                      {"max_items", limits::kMaxItems}, {"max_concepts", limits::kMaxConcepts}}},
                    {"max_factors", limits::kMaxFactors},
                    {"interactions", {{"max_weight", limits::kMaxWeight}, {"max_rating", limits::kMaxRating}}},
                    {"content_model", {{"max_languages", kMaxContentLanguages}, {"max_words", kMaxContentWords},
                                       {"max_word_bytes", kMaxContentWordBytes}}},
                    {"profile", {{"max_events", p.max_events}, {"max_json_bytes", p.max_json_bytes},
                                 {"max_string_bytes", p.max_string_bytes}, {"max_list", p.max_list},
                                 {"max_goals", p.max_goals}, {"max_event_time", kMaxEventTime},
                                 {"max_compacted_weight", kMaxCompactedWeight}}}}
                   .dump()
            << std::endl;
  return 0;
}

}  // namespace

void AddDatasetFlags(CLI::App* cmd, DatasetFlags* f) {
  RegisterDatasetOptions(cmd, f);
}

std::string DefaultDataDirFor(const std::string& dataset) { return DefaultDataDir(dataset); }

StatusOr<Dataset> LoadDatasetForFlags(const DatasetFlags& flags, int default_fold) {
  DatasetFlags f = flags;
  if (f.data.empty()) f.data = DefaultDataDir(f.dataset);
  PATHLIGHT_ASSIGN_OR_RETURN(Dataset ds, LoadSource(f, default_fold));
  if (!f.concept_map.empty()) PATHLIGHT_RETURN_IF_ERROR(ApplyConceptMap(f.concept_map, &ds));
  if (!f.edges.empty()) PATHLIGHT_RETURN_IF_ERROR(ApplyEdgesFile(f.edges, &ds));
  // What imports must load: the catalog goes through the bundle's own reader (the compact catalog
  // part, every check the native and WebAssembly engines make), so an importer, a concept map or an
  // edges file can never hand the trainer a catalog that a bundle could not carry.
  StatusOr<Catalog> back = Catalog::ParseBinary(ds.catalog.ToBinary(), f.data + " (the catalog as a bundle carries it)");
  if (!back.ok())
    return Status(back.status().code(), "the imported catalog would not load: " + back.status().message());
  return ds;
}

std::shared_ptr<TrainerCommands> AddTrainerCommands(CLI::App& app) {
  auto c = std::make_shared<TrainerCommands>();
  c->train = app.add_subcommand("train", "Train a model (als, bpr, biased-mf) and write a bundle");
  AddDataFlags(c->train, &c->train_flags);
  AddModelFlags(c->train, &c->train_flags);
  c->train->add_option("--k", c->train_flags.k, "list length K for the recorded metrics")->check(CLI::Range(1, 1000));
  c->train->add_option("--out", c->out_dir, "Bundle output folder")->required();
  c->train->add_option("--layout", c->layout,
                       "sharded: content-addressed shards with .br/.gz beside them (default, for serving); plain: one "
                       "file per part, named by the part (for tools and tests)")
      ->check(CLI::IsMember({"sharded", "plain"}))->capture_default_str();

  c->eval = app.add_subcommand("eval", "Train on the training split and print validation and test metrics side by "
                                       "side; the last stdout line is JSON");
  AddDataFlags(c->eval, &c->eval_flags);
  AddModelFlags(c->eval, &c->eval_flags);
  c->eval->add_option("--protocol", c->eval_flags.protocol,
                      "temporal | random-80-20 | surprise-5fold | foldin | cold-items | k-fold (default: temporal for "
                      "coco/demo, surprise-5fold for movielens, random-80-20 for junyi/csv)")
      ->check(CLI::IsMember({"temporal", "random-80-20", "surprise-5fold", "foldin", "cold-items", "k-fold"}));
  c->eval->add_option("--folds", c->eval_flags.folds, "k-fold: number of folds (each learner's ratings dealt into k folds)")
      ->check(CLI::Range(2, 20))->capture_default_str();
  c->eval->add_flag("--knowledge-graph", c->eval_flags.knowledge_graph,
                    "also measure the knowledge-graph terms: learning paths vs the DAG, readiness, goal relevance, MMR "
                    "(always on for junyi)");
  c->eval->add_option("--kg-learners", c->eval_flags.kg_learners, "learners for the knowledge-graph measures (0 = all)")
      ->check(CLI::NonNegativeNumber);
  c->eval->add_option("--k", c->eval_flags.k, "list length K for metrics")->check(CLI::Range(1, 1000))->capture_default_str();
  c->eval->add_option("--validation-share", c->eval_flags.validation_share,
                      "share of each learner's training events held out as validation (newest for temporal/foldin, "
                      "seeded random otherwise), reported under \"validation\"; in (0, 1)")
      ->check(ShareOpen())->capture_default_str();
  c->eval->add_option("--train-fraction", c->eval_flags.train_fraction,
                      "keep a seeded share of the training events (for scaling measurements)")
      ->check(CLI::Range(0.001, 1.0));
  c->eval->add_option("--holdout", c->eval_flags.holdout, "foldin: share of learners held out of training")
      ->check(CLI::Range(0.001, 0.9))->capture_default_str();

  c->import = app.add_subcommand("import", "Import a data set and print what it holds (counts, matches) as JSON");
  AddDataFlags(c->import, &c->import_flags);
  c->import_flags.cmd = c->import;
  c->import->add_option("--catalog-out", c->catalog_out, "Also write the catalog + knowledge graph as catalog.json")
      ->check(CLI::Validator([](std::string& s) { return s.empty() ? std::string("expected a file path, got an empty one") : ""; },
                             "PATH"));

  c->bundle = app.add_subcommand("bundle", "Build a bundle from item factors trained elsewhere (Spark MLlib ALS JSON lines)");
  AddDataFlags(c->bundle, &c->bundle_flags);
  c->bundle->add_option("--item-factors", c->item_factors,
                        "Spark itemFactors as JSON lines {\"id\", \"features\"} (a file or a folder of part-* files); required");
  c->bundle->add_option("--out", c->out_dir, "Bundle output folder; required");
  c->bundle->require_subcommand(0, 1);
  c->update = c->bundle->add_subcommand(
      "update", "Add, change and retire items and mentors from a CSV (no interactions): a new bundle version naming its parent");
  c->update->add_option("--parent", c->update_parent, "The bundle folder to update (left as it is)")->required();
  c->update->add_option("--items", c->update_items,
                        "Update CSV: the items.csv columns plus \"action\" (upsert | retire); docs/csv-schema.md")
      ->required();
  c->update->add_option("--out", c->update_out, "Folder for the new version (not the parent's)")->required();
  c->update->add_flag("--rebase", c->update_rebase,
                      "Write the whole catalog afresh instead of changes over the parent's catalog part");
  c->bundle->add_option("--regularization", c->bundle_flags.opt.als.regularization,
                        "lambda the device's fold-in uses (Spark's regParam)")->check(CLI::NonNegativeNumber);
  c->bundle->add_option("--alpha", c->bundle_flags.opt.als.alpha, "alpha the device's fold-in uses (Spark's alpha)")
      ->check(CLI::NonNegativeNumber);
  c->bundle->add_option("--factor-encoding", c->bundle_flags.encoding, "f32 | f16 | i8 (int8 + row scales)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, FactorEncoding>{
          {"f32", FactorEncoding::kF32}, {"f16", FactorEncoding::kF16}, {"i8", FactorEncoding::kInt8}}));

  c->limits = app.add_subcommand("limits", "Print the limits every writer and reader checks (limits.h) as JSON");

  c->inspect = app.add_subcommand("inspect", "Verify a bundle and print what it holds (sizes, k, metrics, checksums)");
  c->inspect->add_option("bundle", c->inspect_dir, "Bundle folder (holding manifest.json)")->required();
  c->inspect->add_flag("--json", c->inspect_json, "Print the verified manifest as JSON instead");
  return c;
}

int RunTrainerCommands(const TrainerCommands& c) {
  if (*c.eval) return RunEval(c.eval_flags);
  if (*c.train) return RunTrain(c.train_flags, c.out_dir, c.layout);
  if (*c.import) return RunImport(c.import_flags, c.catalog_out);
  if (c.update && *c.update) return RunBundleUpdate(c.update_parent, c.update_items, c.update_out, c.update_rebase);
  if (*c.bundle) {
    if (c.item_factors.empty() || c.out_dir.empty())
      return Fail(Status(ErrorCode::kInvalidArgument, "bundle: --item-factors and --out are required (or: bundle update)"));
    return RunBundle(c.bundle_flags, c.item_factors, c.out_dir);
  }
  if (*c.inspect) return RunInspect(c.inspect_dir, c.inspect_json);
  if (*c.limits) return RunLimits();
  return -1;
}

}  // namespace pathlight::trainer
