// `pathlight`: the native trainer. Subcommands: train (→ bundle), eval (→ JSON metrics on the
// last stdout line), inspect (what a bundle holds). Progress goes to stderr via spdlog.
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
#include "pathlight/recommender.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/evaluate.h"

namespace {

using namespace pathlight;
using namespace pathlight::trainer;
using nlohmann::json;

struct CommonFlags {
  std::string dataset = "demo";
  std::string data;
  AlsOptions als;
  bool als_set[4] = {};  // factors, regularization, alpha, iterations given explicitly
  int32_t learners = 2000;
  int k = 10;
  FactorEncoding encoding = FactorEncoding::kF32;
};

void AddCommonFlags(CLI::App* cmd, CommonFlags* f) {
  cmd->add_option("--dataset", f->dataset, "Data source: demo | coco")
      ->check(CLI::IsMember({"demo", "coco"}))->capture_default_str();
  cmd->add_option("--data", f->data, "Folder of the data set (default: data/demo, or ../shared/data/coco-udemy)");
  cmd->add_option("--factors", f->als.factors, "k, latent dimension (1..1024)")->check(CLI::Range(1, 1024))
      ->each([f](const std::string&) { f->als_set[0] = true; });
  cmd->add_option("--regularization", f->als.regularization, "lambda >= 0")->check(CLI::NonNegativeNumber)
      ->each([f](const std::string&) { f->als_set[1] = true; });
  cmd->add_option("--alpha", f->als.alpha, "confidence slope alpha >= 0 (c = 1 + alpha*w)")->check(CLI::NonNegativeNumber)
      ->each([f](const std::string&) { f->als_set[2] = true; });
  cmd->add_option("--iterations", f->als.iterations, "ALS sweeps")->check(CLI::Range(1, 1000))
      ->each([f](const std::string&) { f->als_set[3] = true; });
  cmd->add_option("--solver", f->als.solver, "cholesky | cg")
      ->transform(CLI::CheckedTransformer(std::map<std::string, AlsSolver>{
          {"cholesky", AlsSolver::kCholesky}, {"cg", AlsSolver::kConjugateGradient}}));
  cmd->add_option("--seed", f->als.seed, "random seed (training is deterministic for a seed)")->capture_default_str();
  cmd->add_option("--threads", f->als.threads, "threads (0 = all cores)")->capture_default_str();
  cmd->add_option("--learners", f->learners, "simulated learners (demo only)")->check(CLI::Range(1, 10000000));
  cmd->add_option("--factor-encoding", f->encoding, "bundle item factors: f32 | f16 | i8 (int8 + row scales)")
      ->transform(CLI::CheckedTransformer(std::map<std::string, FactorEncoding>{
          {"f32", FactorEncoding::kF32}, {"f16", FactorEncoding::kF16}, {"i8", FactorEncoding::kInt8}}));
  cmd->add_option("--k", f->k, "list length K for metrics")->check(CLI::Range(1, 1000))->capture_default_str();
}

// Per-dataset defaults, used where a flag was not given (documented in docs/HYPERPARAMETERS.md).
void ApplyDefaults(CommonFlags* f) {
  const bool coco = f->dataset == "coco";
  if (f->data.empty()) f->data = coco ? "../shared/data/coco-udemy" : "data/demo/catalog.json";
  const AlsOptions d = coco ? AlsOptions{64, 0.1f, 20.f, 8} : AlsOptions{32, 3.f, 20.f, 10};
  if (!f->als_set[0]) f->als.factors = d.factors;
  if (!f->als_set[1]) f->als.regularization = d.regularization;
  if (!f->als_set[2]) f->als.alpha = d.alpha;
  if (!f->als_set[3]) f->als.iterations = d.iterations;
}

StatusOr<Dataset> Load(const CommonFlags& f) {
  if (f.dataset == "coco") return LoadCoco(f.data);
  std::string path = f.data;
  if (std::filesystem::is_directory(path)) path += "/catalog.json";
  return LoadDemo(path, DemoOptions{f.learners, 7});
}

json MetricsJson(const RankingMetrics& m, int k) {
  const std::string s = "_at_" + std::to_string(k);
  return {{"precision" + s, m.precision}, {"recall" + s, m.recall}, {"ndcg" + s, m.ndcg}, {"map" + s, m.map},
          {"users", m.users}};
}

int Fail(const Status& st) {
  spdlog::error("{}", st.ToString());
  std::cerr << "error: " << st.ToString() << "\n";
  return 1;
}

// Loads, trains and evaluates; shared by `train` and `eval`.
StatusOr<std::pair<TrainResult, json>> TrainAndEvaluate(CommonFlags f) {
  ApplyDefaults(&f);
  const auto t0 = std::chrono::steady_clock::now();
  PATHLIGHT_ASSIGN_OR_RETURN(Dataset ds, Load(f));
  for (const auto& n : ds.notes) spdlog::info("{}", n);
  spdlog::info("{}: {} learners, {} items, {} concepts, {} train / {} test events", ds.name, ds.num_users(),
               ds.catalog.num_items(), ds.catalog.num_concepts(), ds.train.size(), ds.test.size());
  spdlog::info("implicit ALS: k={} lambda={} alpha={} iterations={} solver={}", f.als.factors, f.als.regularization,
               f.als.alpha, f.als.iterations, f.als.solver == AlsSolver::kCholesky ? "cholesky" : "cg");
  const auto t1 = std::chrono::steady_clock::now();
  PATHLIGHT_ASSIGN_OR_RETURN(TrainResult r, TrainImplicit(ds, f.als, [&](int it, double s) {
    spdlog::info("iteration {}/{}: {:.2f} s", it, f.als.iterations, s);
  }, f.encoding));
  const double train_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  json out = MetricsJson(EvaluateFactors(r.model.user_factors, r.model.item_factors, r.train, ds.test, f.k), f.k);
  out["baseline"] = MetricsJson(EvaluatePopularity(r.train, ds.test, f.k), f.k);
  out["dataset"] = ds.name;
  out["protocol"] = ds.name == "coco" ? "valid->test (per-learner temporal)" : "per-learner temporal 80/20";
  out["model"] = {{"algorithm", r.bundle.info.algorithm}, {"factors", f.als.factors},
                  {"regularization", f.als.regularization}, {"alpha", f.als.alpha}, {"iterations", f.als.iterations}};
  out["train_seconds"] = train_s;
  out["total_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return std::make_pair(std::move(r), out);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"pathlight — train, evaluate and inspect on-device recommendation bundles"};
  app.require_subcommand(1);
  spdlog::set_pattern("[%H:%M:%S] %v");
  spdlog::flush_on(spdlog::level::info);
  spdlog::set_default_logger(spdlog::stderr_logger_mt("pathlight"));  // stdout is for results

  CommonFlags train_flags, eval_flags;
  std::string out_dir;
  auto* train = app.add_subcommand("train", "Train implicit ALS and write a bundle");
  AddCommonFlags(train, &train_flags);
  train->add_option("--out", out_dir, "Bundle output folder")->required();

  auto* eval = app.add_subcommand("eval", "Train on the training split and print test metrics as JSON");
  AddCommonFlags(eval, &eval_flags);

  std::string bundle_dir;
  auto* inspect = app.add_subcommand("inspect", "Print what a bundle holds");
  inspect->add_option("bundle", bundle_dir, "Bundle folder (holding manifest.json)")->required();

  std::string rec_bundle, rec_history;
  int rec_k = 10;
  auto* recommend = app.add_subcommand("recommend", "Fold in a learner's history and print their top-k as JSON");
  recommend->add_option("bundle", rec_bundle, "Bundle folder")->required();
  recommend->add_option("--history", rec_history, "Comma-separated item ids, each optionally id:weight")->required();
  recommend->add_option("--k", rec_k, "List length")->check(CLI::Range(1, 1000))->capture_default_str();

  std::string api_bundle;
  auto* api = app.add_subcommand("api", "Serve the engine's JSON API on stdin/stdout (one request per line; docs/API.md)");
  api->add_option("bundle", api_bundle, "Bundle folder")->required();

  CLI11_PARSE(app, argc, argv);

  if (*api) {
    // The same Session the browser's Worker runs: requests {"method", "params"} per line.
    auto files = ReadBundleFiles(api_bundle);
    if (!files.ok()) return Fail(files.status());
    Session session;
    const Status st = session.Load(files->manifest, files->parts);
    if (!st.ok()) return Fail(st);
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
    for (std::string tok; std::getline(ss, tok, ',');) {
      if (tok.empty()) continue;
      float w = 1.f;
      if (auto colon = tok.rfind(':'); colon != std::string::npos) {
        try {
          w = std::stof(tok.substr(colon + 1));
        } catch (...) {
          return Fail(Status(ErrorCode::kInvalidArgument, "--history: weight in \"" + tok + "\" is not a number"));
        }
        tok.resize(colon);
      }
      auto idx = rec.bundle().catalog.FindItem(tok);
      if (!idx) return Fail(Status(ErrorCode::kUnknownId, "--history: item id \"" + tok + "\" is not in the bundle"));
      if (!(w > 0) || !std::isfinite(w)) return Fail(Status(ErrorCode::kInvalidArgument, "--history: weight must be > 0"));
      history.push_back({idx->value(), w});
    }
    RankOptions opt;
    opt.k = rec_k;
    json items = json::array();
    for (const ScoredItem& s : rec.Recommend(rec.FoldIn(history), history, opt))
      items.push_back({{"id", rec.bundle().catalog.item(s.item).id}, {"index", s.item.value()}, {"score", s.score}});
    std::cout << json{{"recommendations", items}}.dump() << std::endl;
    return 0;
  }

  if (*train) {
    auto r = TrainAndEvaluate(train_flags);
    if (!r.ok()) return Fail(r.status());
    auto& [result, metrics] = *r;
    result.bundle.info.metrics = metrics;
    // Timings vary run to run; the bundle records only what makes it reproducible.
    result.bundle.info.metrics.erase("train_seconds");
    result.bundle.info.metrics.erase("total_seconds");
    auto sha = WriteBundleDir(result.bundle, out_dir);
    if (!sha.ok()) return Fail(sha.status());
    spdlog::info("wrote bundle to {} (manifest sha256 {})", out_dir, *sha);
    json summary = {{"bundle", out_dir}, {"manifest_sha256", *sha}, {"metrics", metrics}};
    std::cout << summary.dump() << std::endl;
    return 0;
  }
  if (*eval) {
    auto r = TrainAndEvaluate(eval_flags);
    if (!r.ok()) return Fail(r.status());
    std::cout << r->second.dump() << std::endl;
    return 0;
  }
  if (*inspect) {
    auto b = ReadBundleDir(bundle_dir);
    if (!b.ok()) return Fail(b.status());
    std::ifstream in(bundle_dir + "/manifest.json", std::ios::binary);
    json m = json::parse(in, nullptr, false);
    m["verified"] = true;
    std::cout << m.dump(2) << std::endl;
    return 0;
  }
  return 0;
}
