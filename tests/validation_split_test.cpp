// The validation split carved from the training events (CarveValidation, ValidationSplit) and the
// "validation" object `pathlight eval` reports beside the test keys, on the demo data and
// hand-made datasets whose answer is known; ml-100k's inner fold splits where the data is present.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/evaluate.h"
#include "test_util.h"

namespace pathlight::trainer {
namespace {

Dataset Demo(int32_t learners = 600) { return testing::DemoDataset(learners); }

using Key = std::tuple<int32_t, int32_t, int64_t>;  // learner, item, timestamp
std::multiset<Key> Keys(const std::vector<Interaction>& events) {
  std::multiset<Key> out;
  for (const Interaction& e : events) out.insert({e.user, e.item, e.timestamp});
  return out;
}

std::vector<int> CountPerLearner(const std::vector<Interaction>& events, int32_t n) {
  std::vector<int> c(n, 0);
  for (const Interaction& e : events) ++c[e.user];
  return c;
}

// A learner-by-learner dataset built by hand: catalog of `items` items, events as given.
Dataset Hand(int32_t learners, int32_t items, std::vector<Interaction> train, std::vector<Interaction> test = {}) {
  std::vector<Item> catalog(items);
  for (int32_t i = 0; i < items; ++i) catalog[i].id = "i" + std::to_string(i);
  auto c = Catalog::Build({}, catalog, "hand");
  EXPECT_TRUE(c.ok());
  Dataset ds;
  ds.name = "hand";
  ds.catalog = std::move(c).value();
  for (int32_t u = 0; u < learners; ++u) ds.user_ids.push_back("learner-" + std::to_string(u));
  ds.train = std::move(train);
  ds.test = std::move(test);
  return ds;
}

TEST(CarveValidationTest, LastTakesEachLearnersNewestTrainingEventsOnly) {
  const Dataset ds = Demo();
  auto inner = CarveValidation(ds, ValidationMethod::kLast, 0.2, 1);
  ASSERT_TRUE(inner.ok()) << inner.status().ToString();
  // Validation ∪ remaining training = the training events; the test split is nowhere in it.
  std::multiset<Key> all = Keys(inner->train);
  for (const Key& k : Keys(inner->test)) all.insert(k);
  EXPECT_EQ(all, Keys(ds.train));
  const std::multiset<Key> test = Keys(ds.test);
  for (const Interaction& e : inner->test) EXPECT_EQ(test.count({e.user, e.item, e.timestamp}), 0u);
  // Per learner: ⌊0.2·n⌋ (at least 1 when n ≥ 2) of their n events, and the newest ones.
  const auto n = CountPerLearner(ds.train, ds.num_users()), v = CountPerLearner(inner->test, ds.num_users());
  std::vector<int64_t> newest_train(ds.num_users(), INT64_MIN), oldest_val(ds.num_users(), INT64_MAX);
  for (const Interaction& e : inner->train) newest_train[e.user] = std::max(newest_train[e.user], e.timestamp);
  for (const Interaction& e : inner->test) oldest_val[e.user] = std::min(oldest_val[e.user], e.timestamp);
  int learners_with_validation = 0;
  for (int32_t u = 0; u < ds.num_users(); ++u) {
    const int expected = n[u] >= 2 ? std::max(1, n[u] / 5) : 0;
    EXPECT_EQ(v[u], expected) << "learner " << u << " with " << n[u] << " training events";
    if (n[u] > 0) EXPECT_GE(n[u] - v[u], 1) << u;  // every learner keeps training events
    if (v[u] > 0) {
      ++learners_with_validation;
      EXPECT_LT(newest_train[u], oldest_val[u]) << u;
    }
  }
  EXPECT_GT(learners_with_validation, 200);
}

TEST(CarveValidationTest, NeverReadsTheTestSplit) {
  const Dataset ds = Demo(300);
  Dataset without_test = ds;
  without_test.test.clear();
  for (ValidationMethod m : {ValidationMethod::kLast, ValidationMethod::kRandom}) {
    auto a = CarveValidation(ds, m, 0.25, 9), b = CarveValidation(without_test, m, 0.25, 9);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(Keys(a->test), Keys(b->test));
    EXPECT_EQ(Keys(a->train), Keys(b->train));
  }
}

TEST(CarveValidationTest, RandomIsSeededAndPerLearner) {
  const Dataset ds = Demo();
  auto a = CarveValidation(ds, ValidationMethod::kRandom, 0.3, 5);
  auto b = CarveValidation(ds, ValidationMethod::kRandom, 0.3, 5);
  auto c = CarveValidation(ds, ValidationMethod::kRandom, 0.3, 6);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(Keys(a->test), Keys(b->test));
  EXPECT_NE(Keys(a->test), Keys(c->test));
  EXPECT_EQ(a->test.size(), c->test.size());  // the counts depend on the share only
  const auto n = CountPerLearner(ds.train, ds.num_users()), v = CountPerLearner(a->test, ds.num_users());
  for (int32_t u = 0; u < ds.num_users(); ++u)
    EXPECT_EQ(v[u], n[u] >= 2 ? std::max(1, static_cast<int>(0.3 * n[u] + 1e-9)) : 0) << u;
}

TEST(CarveValidationTest, RepeatedPairsAreMergedSoAPairIsNeverOnBothSides) {
  // Learner 0: item 0 at t=1 and again at t=5, item 1 at t=3. Two distinct pairs; the newest (by
  // its latest event) is item 0, with the weights summed.
  Dataset ds = Hand(1, 3, {{0, 0, 1.f, 1}, {0, 1, 1.f, 3}, {0, 0, 2.f, 5}});
  auto inner = CarveValidation(ds, ValidationMethod::kLast, 0.5, 1);
  ASSERT_TRUE(inner.ok()) << inner.status().ToString();
  ASSERT_EQ(inner->test.size(), 1u);
  EXPECT_EQ(inner->test[0].item, 0);
  EXPECT_FLOAT_EQ(inner->test[0].weight, 3.f);
  EXPECT_EQ(inner->test[0].timestamp, 5);
  ASSERT_EQ(inner->train.size(), 1u);
  EXPECT_EQ(inner->train[0].item, 1);
}

TEST(CarveValidationTest, ALearnerLeftWithoutTrainingEventsIsAnErrorThatNamesThem) {
  const Dataset ds = Hand(2, 4, {{0, 0, 1.f, 1}, {0, 1, 1.f, 2}, {1, 2, 1.f, 1}, {1, 3, 1.f, 2}, {1, 0, 1.f, 3}});
  auto all = CarveValidation(ds, ValidationMethod::kLast, 1.0, 1);
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(all.status().message().find("learner \"learner-0\""), std::string::npos) << all.status().message();
  EXPECT_NE(all.status().message().find("without training events"), std::string::npos) << all.status().message();
  for (double bad : {0.0, -0.1, 1.5, std::nan("")}) {
    auto r = CarveValidation(ds, ValidationMethod::kRandom, bad, 1);
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << bad;
    EXPECT_NE(r.status().message().find("(0, 1)"), std::string::npos) << r.status().message();
  }
  // Just below 1: as much validation as possible, and each learner keeps one training event.
  auto most = CarveValidation(ds, ValidationMethod::kLast, 0.99, 1);
  ASSERT_TRUE(most.ok());
  EXPECT_EQ(most->train.size(), 2u);
  EXPECT_EQ(most->test.size(), 3u);
  // Learners with one event each: nothing to carve — an empty validation split is an error.
  auto single = CarveValidation(Hand(2, 2, {{0, 0, 1.f, 1}, {1, 1, 1.f, 1}}), ValidationMethod::kLast, 0.2, 1);
  ASSERT_FALSE(single.ok());
  EXPECT_NE(single.status().message().find("validation split of dataset \"hand\" is empty"), std::string::npos)
      << single.status().message();
}

EvalOptions SmallAls(const std::string& protocol) { return testing::SmallAlsEval(protocol); }

TEST(ProtocolValidationTest, EvalReportsValidationBesideTheTestKeys) {
  for (const char* protocol : {"temporal", "random-80-20"}) {
    const EvalOptions o = SmallAls(protocol);
    auto out = RunProtocol(Demo(), o);
    ASSERT_TRUE(out.ok()) << out.status().ToString();
    ASSERT_TRUE(out->contains("validation")) << protocol;
    const nlohmann::json& v = (*out)["validation"];
    for (const char* key : {"precision_at_10", "recall_at_10", "ndcg_at_10", "map_at_10", "coverage_at_10"}) {
      EXPECT_TRUE(out->contains(key)) << key;
      EXPECT_TRUE(v.contains(key)) << key;
      EXPECT_TRUE(v["baseline"].contains(key)) << key;
    }
    EXPECT_EQ(v["split"]["method"], std::string(protocol) == "temporal" ? "last" : "random");
    EXPECT_EQ(v["split"]["seed"], 43);
    // The figures are those of the validation split itself: same split, same model, same numbers.
    auto split = ProtocolSplit(Demo(), o);
    ASSERT_TRUE(split.ok());
    auto inner = ValidationSplit(*split, o);
    ASSERT_TRUE(inner.ok());
    auto direct = EvaluateSplit(*inner, o);
    ASSERT_TRUE(direct.ok());
    EXPECT_DOUBLE_EQ(v["ndcg_at_10"].get<double>(), (*direct)["ndcg_at_10"].get<double>()) << protocol;
    EXPECT_EQ(v["split"]["validation_events"].get<size_t>(), inner->test.size());
    EXPECT_EQ(v["split"]["train_events"].get<size_t>() + inner->test.size(), split->train.size());
    // The model beats popularity on validation as it does on test.
    EXPECT_GT(v["ndcg_at_10"].get<double>(), v["baseline"]["ndcg_at_10"].get<double>()) << protocol;
  }
}

TEST(ProtocolValidationTest, FoldInReportsItsFidelityOnValidationToo) {
  EvalOptions o = SmallAls("foldin");
  o.holdout_fraction = 0.2;
  auto out = RunProtocol(Demo(1000), o);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  const nlohmann::json& v = (*out)["validation"];
  EXPECT_TRUE(v.contains("ndcg_at_10_folded")) << v.dump();
  EXPECT_TRUE(v.contains("fidelity")) << v.dump();
  EXPECT_GT(v["held_out_learners"].get<int>(), 50);
  EXPECT_EQ(v["split"]["method"], "last");
}

TEST(ProtocolValidationTest, ValidationCanBeLeftOut) {
  EvalOptions o = SmallAls("temporal");
  o.validation = false;
  auto out = RunProtocol(Demo(200), o);
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE(out->contains("validation"));
}

TEST(RealDataValidationTest, MovieLensInnerSplitComesFromTheFoldsBaseOnly) {
  PATHLIGHT_REQUIRE_DATA("ml-100k");
  auto fold = LoadMovieLens(data_dir, 1);
  ASSERT_TRUE(fold.ok());
  EvalOptions o;
  o.protocol = "surprise-5fold";
  auto inner = ValidationSplit(*fold, o);
  ASSERT_TRUE(inner.ok()) << inner.status().ToString();
  std::set<std::pair<int32_t, int32_t>> base, test;
  for (const Interaction& e : fold->train) base.insert({e.user, e.item});
  for (const Interaction& e : fold->test) test.insert({e.user, e.item});
  for (const Interaction& e : inner->test) {
    EXPECT_EQ(base.count({e.user, e.item}), 1u);
    EXPECT_EQ(test.count({e.user, e.item}), 0u);
  }
  EXPECT_EQ(inner->train.size() + inner->test.size(), fold->train.size());
  // 80,000 base ratings: about a fifth becomes validation (every one of the 943 learners rated ≥ 2).
  EXPECT_GT(inner->test.size(), 15000u);
  EXPECT_LT(inner->test.size(), 17000u);
}

}  // namespace
}  // namespace pathlight::trainer
