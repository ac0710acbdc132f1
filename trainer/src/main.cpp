// `pathlight`: the native trainer. Subcommands: train (→ bundle), eval (→ JSON metrics on the
// last stdout line), import (what a data set holds), bundle (Spark item factors → bundle),
// inspect (what a bundle holds) — in commands.cpp —, tune (hyperparameters chosen on validation
// data → a config file; tune_commands.cpp), kg mine/clean/stats (kg_commands.cpp), audit (the truth
// audit, audit_command.cpp), plus recommend and api (the engine, natively).
// Progress goes to stderr via spdlog.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "pathlight/api.h"
#include "pathlight/bundle.h"
#include "pathlight/limits.h"
#include "pathlight/recommender.h"
#include "import_util.h"
#include "audit_command.h"
#include "commands.h"
#include "kg_commands.h"
#include "tune_commands.h"

namespace {

using namespace pathlight;
using namespace pathlight::trainer;  // Fail: commands.h
using nlohmann::json;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pathlight — train, evaluate and inspect on-device recommendation bundles"};
  app.require_subcommand(1);
  spdlog::set_pattern("[%H:%M:%S] %v");
  spdlog::flush_on(spdlog::level::info);
  spdlog::set_default_logger(spdlog::stderr_logger_mt("pathlight"));  // stdout is for results

  const auto trainer_commands = AddTrainerCommands(app);  // train, eval, import, bundle, inspect
  const auto kg_commands = AddKgCommands(app);            // kg mine, kg clean, kg stats
  const AuditCommand audit_command(app);                  // audit (audit_command.cpp)
  const auto tune_command = AddTuneCommand(app);

  std::string rec_bundle, rec_history;
  int rec_k = 10;
  auto* recommend = app.add_subcommand("recommend", "Fold in a learner's history and print their top-k as JSON");
  recommend->add_option("bundle", rec_bundle, "Bundle folder")->required();
  recommend->add_option("--history", rec_history, "Comma-separated item ids, each optionally ID:WEIGHT (a weight > 0; an id that itself holds ':' is read whole when the bundle has it)")->required();
  recommend->add_option("--k", rec_k, "List length")->check(CLI::Range(1, 1000))->capture_default_str();

  std::string api_bundle;
  auto* api = app.add_subcommand("api", "Serve the engine's JSON API on stdin/stdout (one request per line; docs/API.md)");
  api->add_option("bundle", api_bundle, "Bundle folder (without one, only `describe` answers)");
  ReadNumbersInDecimal(app);  // every number flag, of every subcommand

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version print and succeed; a usage error is an error like any other: exit 1
    // and an "error:" line (CLI11's own codes, 105-114, said nothing a script could rely on).
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);
    std::cerr << "error: " << e.what() << " (--help lists the flags)\n";
    return 1;
  }

  if (*api) {
    // The same Session the browser's Worker runs: requests {"method", "params"} per line.
    Session session;
    if (!api_bundle.empty()) {
      auto files = ReadBundleFiles(api_bundle);
      if (!files.ok()) return Fail(files.status());
      const Status st = session.Load(files->manifest, files->parts);
      if (!st.ok()) return Fail(st);
    }
    for (std::string line; std::getline(std::cin, line);) {
      if (line.empty()) continue;
      std::cout << session.CallJson(line) << "\n" << std::flush;
    }
    return 0;
  }

  if (*recommend) {
    auto b = ReadBundleDir(rec_bundle);
    if (!b.ok()) return Fail(b.status());
    Recommender rec(std::move(b).value());
    std::vector<WeightedItem> history;
    std::stringstream ss(rec_history);
    int position = 0;
    for (std::string tok; std::getline(ss, tok, ',');) {
      ++position;
      if (tok.empty())
        return Fail(Status(ErrorCode::kInvalidArgument, "--history: entry " + std::to_string(position) +
                                                            " is empty (expected comma-separated item ids, each optionally ID:WEIGHT)"));
      // An id of the catalog as it is (ids may hold ':', e.g. "udemy:123"), else ID:WEIGHT with the
      // whole text after the last ':' a number.
      float w = 1.f;
      auto idx = rec.bundle().catalog.FindItem(tok);
      if (const size_t colon = tok.rfind(':'); !idx && colon != std::string::npos) {
        double weight = 0;
        if (!ParseFiniteDouble(std::string_view(tok).substr(colon + 1), &weight))
          return Fail(Status(ErrorCode::kInvalidArgument, "--history: " + QuoteForMessage(tok) + " is not an item id of the bundle, and " +
                                                              QuoteForMessage(tok.substr(colon + 1)) + " after its last ':' is not a weight (a number)"));
        w = static_cast<float>(weight);
        // The weights training accepts (limits::kMaxWeight): far above them the fold-in's sums lose
        // all precision (helper-43: 1e15 scored 63,284; two of 3e38 overflowed to an empty list).
        if (!(w > 0) || weight > limits::kMaxWeight)
          return Fail(Status(ErrorCode::kInvalidArgument, "--history: the weight of " + QuoteForMessage(tok) +
                                                              " must be a number > 0 (as float32) and at most 1e6, as in training"));
        idx = rec.bundle().catalog.FindItem(tok.substr(0, colon));
        tok.resize(colon);
      }
      if (!idx)
        return Fail(Status(ErrorCode::kUnknownId, "--history: item id " + QuoteForMessage(tok) + " is not in the bundle (ids are separated by ','; "
                                                      "an id that holds ',' can be given through `pathlight api`)"));
      history.push_back({idx->value(), w});
    }
    if (history.empty())
      return Fail(Status(ErrorCode::kInvalidArgument, "--history names no item (expected comma-separated item ids)"));
    RankOptions opt;
    opt.k = rec_k;
    json items = json::array();
    for (const ScoredItem& s : rec.Recommend(rec.FoldIn(history), history, opt))
      items.push_back({{"id", rec.bundle().catalog.item(s.item).id}, {"index", s.item.value()}, {"score", s.score}});
    std::cout << json{{"items", items}}.dump() << std::endl;
    return 0;
  }

  if (const int rc = RunTrainerCommands(*trainer_commands); rc >= 0) return rc;
  if (const int rc = RunKgCommands(*kg_commands); rc >= 0) return rc;
  if (const int rc = audit_command.Run(); rc >= 0) return rc;
  if (const int rc = RunTuneCommand(*tune_command, argc, argv); rc >= 0) return rc;
  return 0;
}
