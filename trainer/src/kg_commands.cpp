#include "kg_commands.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "commands.h"
#include "pathlight/bundle.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/kg_clean.h"
#include "pathlight/trainer/kg_graph.h"
#include "pathlight/trainer/kg_mine.h"
#include "pathlight/trainer/kg_mine_eval.h"

namespace pathlight::trainer {

using nlohmann::json;

struct KgCommands {
  CLI::App *kg = nullptr, *mine = nullptr, *clean = nullptr, *stats = nullptr;
  DatasetFlags mine_data, clean_data;
  std::string mine_out, clean_out, external = "auto", stats_dir;
  bool eval = false;
  MineOptions mine_options;
  CleanOptions clean_options;
  uint64_t seed = 42;
};

namespace {

int Fail(const Status& st) {
  spdlog::error("{}", st.ToString());
  std::cerr << "error: " << st.ToString() << "\n";
  return 1;
}

std::string ExternalDir(const KgCommands& c, const std::string& data_dir) {
  if (c.external != "auto") return c.external;
  // The folder holding the data set's folder (../shared/data for the built-in real sets).
  return std::filesystem::path(data_dir).lexically_normal().parent_path().string();
}

int RunMine(const KgCommands& c) {
  auto ds = LoadDatasetForFlags(c.mine_data);
  if (!ds.ok()) return Fail(ds.status());
  for (const auto& n : ds->notes) spdlog::info("{}", n);
  const StudyLog log = BuildStudyLog(ds->catalog, ds->train, ds->num_users());
  spdlog::info("kg mine: {} learners, {} concepts, {} interactions", ds->num_users(), ds->catalog.num_concepts(),
               ds->train.size());
  if (c.eval) {
    // Against the data set's own expert graph (Junyi's), mined from the logs alone.
    std::vector<GraphEdge> expert;
    for (int32_t t = 0; t < ds->catalog.num_concepts(); ++t)
      for (ConceptIndex p : ds->catalog.concept_at(ConceptIndex(t)).prerequisites) expert.push_back({p.value(), t});
    if (expert.empty())
      return Fail(Status(ErrorCode::kInvalidArgument, "--eval needs a data set with an expert prerequisite graph (e.g. "
                                                      "--dataset junyi); " + ds->name + " has no prerequisite edges"));
    MiningEvalOptions eo;
    eo.mine = c.mine_options;
    eo.seed = c.seed;
    const json out = EvaluatePrerequisiteMining(log, expert, eo);
    for (const auto& m : out["messages"]) spdlog::warn("{}", m.get<std::string>());
    spdlog::info("fit half: auc {:.4f} f1 {:.4f}", out["fit_half"]["auc"].get<double>(), out["fit_half"]["f1"].get<double>());
    std::cout << out.dump() << std::endl;  // the last stdout line: one JSON object
    return 0;
  }
  if (c.mine_out.empty()) return Fail(Status(ErrorCode::kInvalidArgument, "kg mine: --out DIR is required (or --eval)"));
  ExternalEvidence external;
  const ExternalEvidence* ext = nullptr;
  if (c.external != "none") {
    const std::string dir = ExternalDir(c, c.mine_data.data.empty() ? DefaultDataDirFor(c.mine_data.dataset) : c.mine_data.data);
    auto e = LoadExternalEvidence(dir, [&] {
      std::vector<std::string> names;
      for (const Concept& k : ds->catalog.concepts()) names.push_back(k.name);
      return names;
    }());
    if (!e.ok()) return Fail(e.status());
    external = std::move(e).value();
    for (const auto& n : external.notes) spdlog::info("{}", n);
    ext = &external;
  }
  std::optional<EdgeFile> imported;
  if (!c.mine_data.edges.empty()) {
    // The data set's edges were loaded from this file (LoadDatasetForFlags): re-read it for its lines.
    std::unordered_map<std::string, int32_t> index;
    for (int32_t k = 0; k < ds->catalog.num_concepts(); ++k) index[ds->catalog.concept_at(ConceptIndex(k)).id] = k;
    auto f = ReadEdgesCsv(c.mine_data.edges, index, log.concept_ids);
    if (!f.ok()) return Fail(f.status());
    imported = std::move(f).value();
  }
  const MinedGraph g = MinePrerequisites(log, c.mine_options, ext, imported ? &*imported : nullptr);
  for (const auto& m : g.messages) spdlog::warn("{}", m);
  std::error_code ec;
  std::filesystem::create_directories(c.mine_out, ec);
  const std::string edges_path = c.mine_out + "/edges.csv", cycles_path = c.mine_out + "/cycles.csv";
  if (Status st = WriteMinedGraph(g, log.concept_ids, edges_path, cycles_path); !st.ok()) return Fail(st);
  std::vector<GraphEdge> kept;
  for (const PairEvidence& e : g.edges)
    if (!e.removed) kept.push_back({e.prerequisite, e.concept});
  const std::vector<int32_t> depth = PrerequisiteDepths(ds->catalog.num_concepts(), kept);
  spdlog::info("wrote {} edges to {} ({} cycles listed in {})", g.kept(), edges_path, g.cycles.size(), cycles_path);
  json out = {{"edges", g.kept()},
              {"cycles", g.cycles.size()},
              {"max_depth", depth.empty() ? 0 : *std::max_element(depth.begin(), depth.end())},
              {"edges_csv", edges_path},
              {"cycles_csv", cycles_path},
              {"messages", g.messages},
              {"report", g.report}};
  if (ext) out["external"] = external.report;
  std::cout << out.dump() << std::endl;
  return 0;
}

int RunClean(const KgCommands& c) {
  DatasetFlags flags = c.clean_data;
  auto ds = LoadDatasetForFlags(flags);
  if (!ds.ok()) return Fail(ds.status());
  for (const auto& n : ds->notes) spdlog::info("{}", n);
  const CleanResult r = CleanConcepts(*ds, c.clean_options);
  for (const auto& n : r.notes) spdlog::warn("{}", n);
  std::error_code ec;
  std::filesystem::create_directories(c.clean_out, ec);
  const std::string path = c.clean_out + "/concept_map.csv";
  if (Status st = WriteConceptMap(r, path); !st.ok()) return Fail(st);
  const double fall = r.coverage_before - r.coverage_after;
  spdlog::info("wrote {} ({} of {} concepts kept); items teaching a concept {:.2f}% → {:.2f}%", path,
               r.report["kept"].get<int64_t>(), ds->catalog.num_concepts(), 100 * r.coverage_before, 100 * r.coverage_after);
  if (fall > 0.02)
    spdlog::warn("coverage falls by {:.2f} points (more than 2): review the dropped concepts in {}", 100 * fall, path);
  json out = r.report;
  out["concept_map"] = path;
  std::cout << out.dump() << std::endl;
  return 0;
}

int RunStats(const std::string& dir) {
  auto b = ReadBundleDir(dir);
  if (!b.ok()) return Fail(b.status());
  std::cout << KnowledgeGraphStats(std::move(b).value()).dump() << std::endl;
  return 0;
}

}  // namespace

std::shared_ptr<KgCommands> AddKgCommands(CLI::App& app) {
  auto c = std::make_shared<KgCommands>();
  c->kg = app.add_subcommand("kg", "Knowledge graph from data: mine prerequisites, clean concepts, graph statistics");
  c->kg->require_subcommand(1);

  c->mine = c->kg->add_subcommand("mine", "Mine prerequisite edges from learners' histories; writes edges.csv and cycles.csv");
  AddDatasetFlags(c->mine, &c->mine_data);
  c->mine->add_option("--out", c->mine_out, "Output folder for edges.csv and cycles.csv");
  c->mine->add_flag("--eval", c->eval,
                    "Measure against the data set's expert graph (junyi), mined from the logs alone; the last stdout "
                    "line is JSON with auc, precision, recall, f1 and baselines");
  c->mine->add_option("--external", c->external,
                      "Folder with metacademy/ and so-tag-network/ (auto: the folder holding --data; none: off)")
      ->capture_default_str();
  c->mine->add_option("--alpha", c->mine_options.alpha, "False-discovery rate of the co-occurrence and direction tests")
      ->check(CLI::Range(1e-12, 0.5))->capture_default_str();
  c->mine->add_option("--min-support", c->mine_options.min_support, "Learners who studied both concepts, to test a pair")
      ->check(CLI::Range(1, 1000000))->capture_default_str();
  c->mine->add_option("--min-confidence", c->mine_options.min_confidence,
                      "Share of a concept's learners who also studied the prerequisite")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();
  c->mine->add_option("--max-parents", c->mine_options.max_parents, "Direct prerequisites kept per concept")
      ->check(CLI::Range(1, 16))->capture_default_str();
  c->mine->add_option("--bic-penalty", c->mine_options.bic_penalty,
                      "Penalty per free parameter of the parent selection (default: BIC, ½·ln learners)")
      ->check(CLI::NonNegativeNumber);
  c->mine->add_option("--seed", c->seed, "Seed of the random baseline (--eval)")->capture_default_str();

  c->clean = c->kg->add_subcommand("clean", "Concept hygiene: drop linking noise, merge near-duplicates, fix names; "
                                            "writes concept_map.csv with every decision and its reason");
  AddDatasetFlags(c->clean, &c->clean_data);
  c->clean->add_option("--out", c->clean_out, "Output folder for concept_map.csv")->required();
  CleanOptions& co = c->clean_options;
  c->clean->add_option("--min-learners", co.min_learners, "Drop concepts studied by fewer learners")
      ->check(CLI::Range(0, 1000000))->capture_default_str();
  c->clean->add_option("--min-items", co.min_items, "Drop concepts with fewer items (unless an item's only concept)")
      ->check(CLI::Range(0, 1000000))->capture_default_str();
  c->clean->add_option("--spread-min-items", co.spread_min_items, "Measure category spread from this many items")
      ->check(CLI::Range(2, 1000000))->capture_default_str();
  c->clean->add_option("--min-coherence", co.min_coherence,
                       "Drop concepts whose items' category coherence is below this (0 = random items, 1 = all related)")
      ->check(CLI::Range(-1.0, 1.0))->capture_default_str();
  c->clean->add_option("--fragment-share", co.fragment_share,
                       "Drop concepts when this share of their items teach a concept whose name contains theirs")
      ->check(CLI::Range(0.0, 1.0))->capture_default_str();

  c->stats = c->kg->add_subcommand("stats", "Print a bundle's knowledge-graph statistics as JSON");
  c->stats->add_option("bundle", c->stats_dir, "Bundle folder (holding manifest.json)")->required();
  return c;
}

int RunKgCommands(const KgCommands& c) {
  if (!*c.kg) return -1;
  if (*c.mine) return RunMine(c);
  if (*c.clean) return RunClean(c);
  if (*c.stats) return RunStats(c.stats_dir);
  return -1;
}

}  // namespace pathlight::trainer
