// The knowledge graph from real data (issue 15's targets): prerequisites mined from Junyi's attempt
// logs alone, measured against its expert graph; CoCo's concepts cleaned and its graph mined, as
// `scripts/bundle coco` builds it. Skipped with a message where ../shared/data is absent.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "pathlight/bundle.h"
#include "pathlight/recommender.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/kg_clean.h"
#include "pathlight/trainer/kg_graph.h"
#include "pathlight/trainer/kg_mine.h"
#include "pathlight/trainer/kg_mine_eval.h"
#include "test_util.h"

namespace pathlight::trainer {
namespace {

TEST(KgRealDataTest, JunyiMinedFromAttemptsAgainstTheExpertGraph) {
  PATHLIGHT_REQUIRE_DATA("junyi-2015");
  auto ds = LoadJunyi(data_dir);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  // The miner sees the attempts only; the expert graph is the answer key.
  const StudyLog log = BuildStudyLog(ds->catalog, ds->train, ds->num_users());
  std::vector<GraphEdge> expert;
  for (int32_t c = 0; c < ds->catalog.num_concepts(); ++c)
    for (ConceptIndex p : ds->catalog.concept_at(ConceptIndex(c)).prerequisites) expert.push_back({p.value(), c});
  const nlohmann::json r = EvaluatePrerequisiteMining(log, expert, MiningEvalOptions());
  const double auc = r["auc"], f1 = r["f1"];
  double best_baseline = 0;
  for (const char* b : {"cooccurrence", "refd", "random"}) best_baseline = std::max(best_baseline, r["baselines"][b]["f1"].get<double>());
  std::printf("junyi (report half): auc %.4f precision %.4f recall %.4f f1 %.4f; best baseline f1 %.4f\n", auc,
              r["precision"].get<double>(), r["recall"].get<double>(), f1, best_baseline);
  EXPECT_GE(auc, 0.85);                 // target met
  EXPECT_GE(f1, 1.2 * best_baseline);   // target met
  EXPECT_GT(r["auc"].get<double>(), r["baselines"]["refd"]["auc"].get<double>());
  EXPECT_GT(r["auc"].get<double>(), r["baselines"]["random"]["auc"].get<double>());
  // Issue 15's third target, f1 ≥ 0.5, is NOT met by mining attempts alone (about 0.2; Junyi's
  // log has no order and its expert graph is sparse): docs/KNOWLEDGE_GRAPH.md gives the figures.
  // It is reported by the CLI (`targets`), not asserted here, so that CI does not hide it as a
  // permanent failure nor pretend it passes.
  EXPECT_EQ(r["targets"]["f1_at_least_0_5"].get<bool>(), f1 >= 0.5);
  EXPECT_FALSE(r["miner"]["has_order"].get<bool>());
}

TEST(KgRealDataTest, CocoCleanedAndMinedGraphMeetsTheTargets) {
  PATHLIGHT_REQUIRE_DATA("coco-udemy");
  auto loaded = LoadCoco(data_dir);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  Dataset& ds = *loaded;

  // kg clean: coverage stays; the named linking noise is gone from what topic search shows.
  const CleanResult clean = CleanConcepts(ds, CleanOptions());
  EXPECT_GT(clean.coverage_before, 0.6);
  EXPECT_LE(clean.coverage_before - clean.coverage_after, 0.02);
  const std::string dir = testing::TempDir("kg-coco");
  ASSERT_TRUE(WriteConceptMap(clean, dir + "/concept_map.csv").ok());
  ASSERT_TRUE(ApplyConceptMap(dir + "/concept_map.csv", &ds).ok());
  for (const Concept& c : ds.catalog.concepts())
    for (const char* noise : {"Pythonidae", "Combat stress reaction", "Udemy", "Data", "IOS"})
      EXPECT_NE(c.name, noise) << "kept concept " << c.id;
  for (const char* gone : {"Pythonidae", "Combat stress reaction", "Udemy", "Data"})
    EXPECT_FALSE(ds.catalog.FindConcept(gone)) << gone;
  ASSERT_TRUE(ds.catalog.FindConcept("IOS"));  // the id stays; the name is the catalog's own spelling
  EXPECT_EQ(ds.catalog.concept_at(*ds.catalog.FindConcept("IOS")).name, "iOS");
  for (const Item& item : ds.catalog.items()) {
    EXPECT_NE(item.language, "thai");
    EXPECT_NE(item.language, "vietnamese");
  }

  // kg mine on the cleaned concepts, with the external graphs beside the data.
  const StudyLog log = BuildStudyLog(ds.catalog, ds.train, ds.num_users());
  std::vector<std::string> names;
  for (const Concept& c : ds.catalog.concepts()) names.push_back(c.name);
  auto external = LoadExternalEvidence(data_dir + "/..", names);
  ASSERT_TRUE(external.ok()) << external.status().ToString();
  const MinedGraph g = MinePrerequisites(log, MineOptions(), &*external, nullptr);
  EXPECT_TRUE(g.report["has_order"].get<bool>());
  ASSERT_TRUE(WriteMinedGraph(g, log.concept_ids, dir + "/edges.csv", dir + "/cycles.csv").ok());
  ASSERT_TRUE(ApplyEdgesFile(dir + "/edges.csv", &ds).ok());

  // kg stats on a bundle of that catalog (the factors do not change the graph or the path steps).
  const int32_t n_items = ds.catalog.num_items();
  auto bundle = AssembleBundle(ds.catalog, testing::RandomMatrix(n_items, 4, 1, 0.1f), Vector(), ModelInfo(), FactorEncoding::kF32);
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  const nlohmann::json stats = KnowledgeGraphStats(*bundle);
  std::printf("coco kg stats: %s\n", stats.dump().c_str());
  EXPECT_EQ(stats["cycles"], 0);
  EXPECT_GE(stats["share_with_edges"].get<double>(), 0.6);
  EXPECT_GE(stats["max_depth"].get<int>(), 4);

  // A path to Machine learning goes through its prerequisites, each before what needs it.
  const Recommender rec(std::move(bundle).value());
  const auto ml = rec.catalog().FindConcept("Machine learning");
  ASSERT_TRUE(ml);
  const LearningPath path = rec.Path(rec.Learner(Profile(), 0), {*ml}, RankOptions());
  ASSERT_GE(path.steps.size(), 2u);
  std::map<int32_t, size_t> position;
  for (size_t i = 0; i < path.steps.size(); ++i) position[path.steps[i].concept.value()] = i;
  EXPECT_EQ(path.steps.back().concept, *ml);
  const auto python = rec.catalog().FindConcept("Python (programming language)");
  ASSERT_TRUE(python);
  ASSERT_TRUE(position.count(python->value())) << "Python is not on the path to Machine learning";
  for (const PathStep& step : path.steps)
    for (ConceptIndex p : rec.catalog().concept_at(step.concept).prerequisites) {
      ASSERT_TRUE(position.count(p.value()));
      EXPECT_LT(position[p.value()], position[step.concept.value()]);
    }
}

}  // namespace
}  // namespace pathlight::trainer
