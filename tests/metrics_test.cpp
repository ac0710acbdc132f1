#include "pathlight/metrics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace pathlight {
namespace {

TEST(MetricsTest, HandComputedValues) {
  RankingAccumulator acc(3);
  // Relevant {2, 5}; list [5, 1, 2]: hits at ranks 1 and 3.
  acc.Add({5, 1, 2}, {2, 5});
  const RankingMetrics m = acc.Result();
  EXPECT_EQ(m.users, 1);
  EXPECT_NEAR(m.precision, 2.0 / 3, 1e-12);
  EXPECT_NEAR(m.recall, 1.0, 1e-12);
  const double dcg = 1.0 + 1.0 / std::log2(4.0), idcg = 1.0 + 1.0 / std::log2(3.0);
  EXPECT_NEAR(m.ndcg, dcg / idcg, 1e-12);
  EXPECT_NEAR(m.map, (1.0 + 2.0 / 3) / 2, 1e-12);
}

TEST(MetricsTest, AveragesOverLearnersAndIgnoresEmpty) {
  RankingAccumulator acc(2);
  acc.Add({1, 2}, {1});   // P = 0.5, nDCG = 1
  acc.Add({3, 4}, {9});   // all zero
  acc.Add({3, 4}, {});    // ignored
  const RankingMetrics m = acc.Result();
  EXPECT_EQ(m.users, 2);
  EXPECT_NEAR(m.precision, 0.25, 1e-12);
  EXPECT_NEAR(m.ndcg, 0.5, 1e-12);
}

}  // namespace
}  // namespace pathlight
