// Knowledge-graph terms measured on the demo data (and CoCo where present).
#include <gtest/gtest.h>

#include "pathlight/trainer/evaluate.h"
#include "pathlight/trainer/kg_eval.h"
#include "test_util.h"

namespace pathlight::trainer {
namespace {

nlohmann::json RunKg(const Dataset& ds, const AlsOptions& o, int learners) {
  auto r = TrainImplicit(ds, o, nullptr);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  KgEvalOptions ko;
  ko.max_learners = learners;
  return EvaluateKnowledgeGraph(ds, r->bundle, r->train, ko);
}

TEST(KgEvalTest, DemoGraphTermsDoWhatTheySay) {
  auto ds = LoadDemo(testing::SourcePath("data/demo/catalog.json"), {2000, 7});
  ASSERT_TRUE(ds.ok());
  AlsOptions o;
  o.factors = 32;
  o.regularization = 3;
  o.alpha = 20;
  o.iterations = 10;
  const auto kg = RunKg(*ds, o, 0);
  EXPECT_EQ(kg["prerequisite_violations"], 0);
  EXPECT_EQ(kg["paths_checked"], ds->catalog.num_concepts());
  EXPECT_GT(kg["ready_share_at_10"].get<double>(), kg["ready_share_at_10_without"].get<double>() + 0.1);
  EXPECT_GT(kg["goal_share_at_10"].get<double>(), kg["goal_share_at_10_without"].get<double>());
  EXPECT_GT(kg["distinct_concepts_at_10"].get<double>(), kg["distinct_concepts_at_10_without"].get<double>());
}

TEST(KgEvalTest, CocoGoalRelevanceAndMmr) {
  PATHLIGHT_REQUIRE_DATA("coco-udemy");
  auto ds = LoadCoco(data_dir);
  ASSERT_TRUE(ds.ok());
  const auto kg = RunKg(*ds, AlsOptions(), 2000);  // a 2,000-learner sample keeps CI fast
  EXPECT_EQ(kg["prerequisite_violations"], 0);
  EXPECT_GT(kg["goal_share_at_10"].get<double>(), 2 * kg["goal_share_at_10_without"].get<double>());
  EXPECT_GT(kg["distinct_concepts_at_10"].get<double>(), kg["distinct_concepts_at_10_without"].get<double>());
}

}  // namespace
}  // namespace pathlight::trainer
