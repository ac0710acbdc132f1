#include <gtest/gtest.h>

#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/evaluate.h"
#include "test_util.h"

namespace pathlight::trainer {
namespace {

TEST(DemoDatasetTest, SimulationIsSeededAndFollowsPrerequisites) {
  const std::string path = testing::SourcePath("data/demo/catalog.json");
  auto a = LoadDemo(path, {500, 7});
  auto b = LoadDemo(path, {500, 7});
  auto c = LoadDemo(path, {500, 8});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->train.size(), b->train.size());
  for (size_t i = 0; i < a->train.size(); ++i) ASSERT_EQ(a->train[i].item, b->train[i].item);
  EXPECT_NE(a->train.size() + a->test.size(), c->train.size() + c->test.size());
  EXPECT_GT(a->test.size(), 100u);
}

TEST(DemoDatasetTest, AlsBeatsMostPopular) {
  auto ds = LoadDemo(testing::SourcePath("data/demo/catalog.json"), {2000, 7});
  ASSERT_TRUE(ds.ok());
  AlsOptions o;
  o.factors = 16;
  o.regularization = 1.f;
  o.alpha = 10.f;
  o.iterations = 10;
  auto r = TrainImplicit(*ds, o, nullptr);
  ASSERT_TRUE(r.ok());
  const auto model = EvaluateFactors(r->model.user_factors, r->model.item_factors, r->train, ds->test, 10);
  const auto pop = EvaluatePopularity(r->train, ds->test, 10);
  EXPECT_GT(model.ndcg, 1.5 * pop.ndcg) << "model " << model.ndcg << " popularity " << pop.ndcg;
}

}  // namespace
}  // namespace pathlight::trainer
