// `pathlight tune` (tune_commands.h): flags → TuneOptions → Tune / TuneSurpriseFolds → a config
// file with provenance, and one JSON line on stdout. Progress goes to stderr.
#include "tune_commands.h"

#include <spdlog/spdlog.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "pathlight/json_limits.h"
#include "pathlight/trainer/tune.h"

namespace pathlight::trainer {

using nlohmann::json;

struct TuneCommand {
  CLI::App* cmd = nullptr;
  CommonFlags flags;
  std::string search = "random";
  int64_t budget = 20;
  double budget_seconds = 0;
  int reduction_factor = 3;
  std::string space;
  std::string metric;
  std::string out;
  bool no_incumbent = false;
};

namespace {

std::string Show(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string UtcNow() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// --space: inline JSON (starts with '{') or a file holding it.
StatusOr<json> ReadSpace(const std::string& arg) {
  std::string text = arg;
  std::string where = "--space";
  if (text.find_first_not_of(" \t\r\n") == std::string::npos || text[text.find_first_not_of(" \t\r\n")] != '{') {
    std::ifstream in(arg, std::ios::binary);
    if (!in) return Status(ErrorCode::kIoError, "--space: neither inline JSON nor a readable file: \"" + arg + "\"");
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    where = "--space file \"" + arg + "\"";
  }
  // nlohmann's parse_error, or out_of_range for a number such as 1e400; a key given twice by name.
  return ParseBoundedJson(text, where, kMaxJsonDepth, DuplicateKeys::kRefuse);
}

// The measures worth keeping in a config's provenance (no per-sweep timings or importer report).
json Trimmed(json j) {
  for (const char* key : {"importer", "iteration_seconds", "seconds_per_iteration", "model", "dataset", "protocol",
                          "hyperparameters"})
    j.erase(key);
  return j;
}

std::string Point(const json& settings) {
  std::string s;
  for (auto& [key, value] : settings.items()) s += (s.empty() ? "" : " ") + key + "=" + Show(value);
  return s;
}

int Run(const TuneCommand& c, int argc, char** argv) {
  CommonFlags f = c.flags;
  if (const Status st = ApplyDefaults(&f); !st.ok()) return Fail(st);
  if (f.opt.kind == ModelKind::kPopular)
    return Fail(Status(ErrorCode::kInvalidArgument, "--model popular has no hyperparameters to tune"));
  TuneOptions o;
  o.eval = EvalOptionsOf(f);
  if (o.eval.protocol == "surprise-5fold" && f.dataset != "movielens")
    return Fail(Status(ErrorCode::kInvalidArgument, "--protocol surprise-5fold needs --dataset movielens"));
  o.metric = c.metric;
  o.try_incumbent = !c.no_incumbent;
  if (!c.space.empty()) {
    auto j = ReadSpace(c.space);
    if (!j.ok()) return Fail(j.status());
    auto space = ParseSearchSpace(*j, f.opt.kind);
    if (!space.ok()) return Fail(space.status());
    o.space = std::move(space).value();
  } else {
    o.space = DefaultSearchSpace(f.opt, c.search == "halving" ? SearchMethod::kSuccessiveHalving : SearchMethod::kRandom);
  }
  o.search.method = c.search == "halving" ? SearchMethod::kSuccessiveHalving : SearchMethod::kRandom;
  o.search.budget_seconds = c.budget_seconds;
  // --budget-seconds alone: random search runs until the time is up; halving still plans 20.
  const bool seconds_only = c.budget_seconds > 0 && !c.cmd->get_option("--budget")->count();
  o.search.budget_trainings = seconds_only && o.search.method == SearchMethod::kRandom ? 0 : c.budget;
  o.search.reduction_factor = c.reduction_factor;
  // Fail before the search, not after it: the config's folder must exist.
  const std::filesystem::path out_path(c.out);
  if (out_path.has_parent_path() && !std::filesystem::is_directory(out_path.parent_path()))
    return Fail(Status(ErrorCode::kIoError, "--out " + c.out + ": folder " + out_path.parent_path().string() +
                                                " does not exist"));
  if (std::filesystem::is_directory(out_path))
    return Fail(Status(ErrorCode::kIoError, "--out " + c.out + " is a folder; give a file name, e.g. tuned.json"));

  spdlog::info("tune: dataset {} protocol {} model {}, {} search, budget {}{}; space {}", f.dataset, o.eval.protocol,
               f.model, SearchMethodName(o.search.method),
               o.search.budget_trainings <= 0 ? std::string("unlimited")
               : o.eval.protocol == "surprise-5fold"
                   ? std::to_string(o.search.budget_trainings) + " candidates (5 trainings each)"
                   : std::to_string(o.search.budget_trainings) + " trainings",
               c.budget_seconds > 0 ? ", " + std::to_string(c.budget_seconds) + " s" : "", Show(SearchSpaceJson(o.space)));
  const int64_t planned = o.search.budget_trainings;
  const TrialCallback log = [&](const Trial& t, int best, const SearchResult& so_far) {
    const std::string resource = t.resource > 0 ? " (" + std::to_string(t.resource) + " iterations)" : "";
    const std::string score = t.failed ? "failed: " + t.error : "validation " + std::to_string(t.score);
    spdlog::info("tune {}/{} rung {}{}: {} → {} in {:.1f} s; best so far: #{} {}", so_far.trials.size(),
                 planned > 0 ? std::to_string(planned) : "?", t.rung, resource, Point(t.settings), score, t.seconds,
                 best >= 0 ? so_far.trials[best].candidate : -1,
                 best >= 0 ? std::to_string(so_far.trials[best].score) : "none");
  };
  // Long trainings (Gibbs sweeps, BPR epochs) show signs of life every 50 iterations; a line per
  // sweep would drown the per-candidate ones.
  const ProgressFn quiet = [](int it, double s) {
    if (it % 50 == 0) spdlog::info("  … iteration {} ({:.2f} s)", it, s);
  };
  StatusOr<TuneResult> r = Status(ErrorCode::kInvalidArgument, "unreachable");
  if (o.eval.protocol == "surprise-5fold") {
    r = TuneSurpriseFolds(f.data, o, log, quiet);
  } else {
    auto ds = Load(f, 1);
    if (!ds.ok()) return Fail(ds.status());
    LogDataset(*ds);
    r = Tune(std::move(ds).value(), o, log, quiet);
  }
  if (!r.ok()) return Fail(r.status());
  spdlog::info("chosen on validation: {} ({} {}); test, computed once: {} {}", Point(r->best), r->metric,
               Show(r->validation[r->metric]), r->metric, Show(r->test[r->metric]));

  std::string command;
  for (int i = 0; i < argc; ++i) command += (i ? " " : "") + std::string(i == 0 ? "pathlight" : argv[i]);
  json search = {{"method", SearchMethodName(o.search.method)}, {"space", SearchSpaceJson(o.space)},
                 {"seed", o.eval.seed}, {"incumbent", o.try_incumbent ? json(SettingsOf(f.opt)) : json(nullptr)},
                 {"stopped_by", r->search.stopped_by}};
  if (o.search.method == SearchMethod::kSuccessiveHalving) search["reduction_factor"] = o.search.reduction_factor;
  ModelConfig config;
  config.model = f.opt.kind;
  config.settings = r->best;
  config.provenance = {
      {"chosen_on", "validation"},
      {"dataset", f.dataset},
      {"data", f.data},
      {"protocol", o.eval.protocol},
      {"validation_split", r->validation.value("split", json::object())},
      {"metric", r->metric},
      {"search", search},
      {"budget", {{"trainings", o.search.budget_trainings > 0 ? json(o.search.budget_trainings) : json(nullptr)},
                  {"seconds", c.budget_seconds > 0 ? json(c.budget_seconds) : json(nullptr)}}},
      {"trainings", r->trainings},
      {"candidates", r->search.trials.size()},
      {"seconds", r->seconds},
      {"validation", Trimmed(r->validation)},
      {"test", Trimmed(r->test)},
      {"gap", r->gap},
      {"date", UtcNow()},
      {"command", command}};
  config.provenance["validation"].erase("split");
  if (const Status st = WriteModelConfig(config, c.out); !st.ok()) return Fail(st);
  spdlog::info("wrote {}", c.out);

  json trials = json::array();
  for (const Trial& t : r->search.trials) {
    json j = {{"candidate", t.candidate}, {"rung", t.rung}, {"settings", t.settings}, {"seconds", t.seconds}};
    if (t.resource > 0) j["iterations"] = t.resource;
    if (t.failed) j["error"] = t.error;
    else j[r->metric] = t.score;
    trials.push_back(std::move(j));
  }
  const json out = {{"best", r->best},
                    {"validation", r->validation},
                    {"test", Trimmed(r->test)},
                    {"gap", r->gap},
                    {"metric", r->metric},
                    {"config", c.out},
                    {"dataset", f.dataset},
                    {"protocol", o.eval.protocol},
                    {"model", f.model},
                    {"search", search},
                    {"trainings", r->trainings},
                    {"seconds", r->seconds},
                    {"trials", trials}};
  std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << std::endl;  // the last stdout line
  return 0;
}

}  // namespace

std::shared_ptr<TuneCommand> AddTuneCommand(CLI::App& app) {
  auto c = std::make_shared<TuneCommand>();
  c->cmd = app.add_subcommand(
      "tune",
      "Search a model's hyperparameters on a validation split carved from the training data, evaluate the choice "
      "once on the test split, and write it as a --config file; the last stdout line is JSON");
  AddDataFlags(c->cmd, &c->flags);
  AddModelFlags(c->cmd, &c->flags);
  c->cmd->add_option("--protocol", c->flags.protocol,
                     "temporal | random-80-20 | surprise-5fold | foldin (default: as eval)")
      ->check(CLI::IsMember({"temporal", "random-80-20", "surprise-5fold", "foldin"}));
  c->cmd->add_option("--k", c->flags.k, "list length K of the ranking metrics")->check(CLI::Range(1, 1000))
      ->capture_default_str();
  c->cmd->add_option("--validation-share", c->flags.validation_share,
                     "share of each learner's training events held out as validation; in (0, 1)")
      ->check(ShareOpen())->capture_default_str();
  c->cmd->add_option("--holdout", c->flags.holdout, "foldin: share of learners held out of training")
      ->check(CLI::Range(0.001, 0.9))->capture_default_str();
  c->cmd->add_option("--search", c->search, "random | halving (successive halving over iterations)")
      ->check(CLI::IsMember({"random", "halving"}))->capture_default_str();
  c->cmd->add_option("--budget", c->budget,
                     "trainings on validation data (halving: its short trainings count one each; surprise-5fold: "
                     "candidates, five trainings each)")
      ->check(CLI::NonNegativeNumber)->capture_default_str();
  c->cmd->add_option("--budget-seconds", c->budget_seconds,
                     "no training starts after this many seconds (alone: random search runs until then)")
      ->check(CLI::PositiveNumber);
  c->cmd->add_option("--reduction-factor", c->reduction_factor, "halving: eta, the best 1/eta of a rung go on")
      ->check(CLI::Range(2, 100))->capture_default_str();
  c->cmd->add_option("--space", c->space,
                     "search space as JSON or a JSON file: {\"setting\": [values] | {\"min\": a, \"max\": b, "
                     "\"log\": true}} (default: the model's documented space)");
  c->cmd->add_option("--metric", c->metric,
                     "validation metric to optimize (default ndcg_at_<k>; rmse for biased-mf; *_folded for foldin)");
  c->cmd->add_flag("--no-incumbent", c->no_incumbent,
                   "do not try the current settings (flags, --config or the dataset's defaults) as the first "
                   "candidate; every candidate is then drawn from the space");
  c->cmd->add_option("--out", c->out, "config file to write (JSON; read by train/eval --config)")->required();
  return c;
}

int RunTuneCommand(const TuneCommand& c, int argc, char** argv) {
  if (!*c.cmd) return -1;
  return Run(c, argc, argv);
}

}  // namespace pathlight::trainer
