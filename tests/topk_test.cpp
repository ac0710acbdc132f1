#include "pathlight/topk.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "test_util.h"

namespace pathlight {
namespace {

// Brute force: full sort by (score desc, index asc) over eligible items.
std::vector<int32_t> BruteTopK(const std::vector<float>& s, int k, const std::vector<uint8_t>& ex) {
  std::vector<int32_t> idx;
  for (int32_t i = 0; i < static_cast<int32_t>(s.size()); ++i)
    if (std::isfinite(s[i]) && (ex.empty() || !ex[i])) idx.push_back(i);
  std::sort(idx.begin(), idx.end(), [&](int32_t a, int32_t b) { return s[a] > s[b] || (s[a] == s[b] && a < b); });
  if (static_cast<int>(idx.size()) > k) idx.resize(k);
  return idx;
}

TEST(TopKTest, EqualsBruteForceSortWithTiesAndExclusions) {
  std::mt19937 rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + static_cast<int>(rng() % 500), k = 1 + static_cast<int>(rng() % 40);
    std::vector<float> s(n);
    for (float& v : s) v = static_cast<float>(rng() % 50) / 7.f;  // many ties
    if (trial % 5 == 0) s[rng() % n] = std::nanf("");
    if (trial % 7 == 0) s[rng() % n] = INFINITY;
    std::vector<uint8_t> ex;
    if (trial % 2 == 0) {
      ex.resize(n);
      for (auto& e : ex) e = rng() % 4 == 0;
    }
    const auto got = TopK(s.data(), n, k, ex);
    const auto want = BruteTopK(s, k, ex);
    ASSERT_EQ(got.size(), want.size()) << "trial " << trial;
    for (size_t j = 0; j < got.size(); ++j) {
      EXPECT_EQ(got[j].item.value(), want[j]) << "trial " << trial << " rank " << j;
      EXPECT_EQ(got[j].score, s[want[j]]);
    }
  }
}

TEST(TopKTest, ConsumedItemsNeverAppear) {
  const int n = 100;
  std::vector<float> s(n);
  std::iota(s.begin(), s.end(), 0.f);  // best items are the highest indices
  std::vector<uint8_t> ex(n, 0);
  for (int i = 90; i < 100; ++i) ex[i] = 1;
  const auto top = TopK(s.data(), n, 10, ex);
  ASSERT_EQ(top.size(), 10u);
  for (const auto& t : top) EXPECT_LT(t.item.value(), 90);
  EXPECT_EQ(top[0].item.value(), 89);
}

TEST(ScoreAllTest, EqualsMatrixProduct) {
  for (int n : {1, 3, 4, 5, 17, 64}) {
    const RowMatrix y = testing::RandomMatrix(n, 13, n);
    const Vector u = testing::RandomMatrix(13, 1, 99).col(0);
    const Vector b = testing::RandomMatrix(n, 1, 7).col(0);
    std::vector<float> s(n);
    ScoreAll(y.data(), b.data(), n, 13, u.data(), s.data());
    const Vector ref = y * u + b;
    for (int i = 0; i < n; ++i) EXPECT_NEAR(s[i], ref[i], 1e-4) << "n=" << n << " i=" << i;
  }
}

}  // namespace
}  // namespace pathlight
