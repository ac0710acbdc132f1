// Explicit-rating fold-in on the device (biased MF bundles): the ridge solve against a hand-computed
// case and an independent least-squares reference, the learner state after every event against a
// full re-solve, exact explanations, predictions on the rating scale, and the bundle round trip.
#include <gtest/gtest.h>

#include <Eigen/QR>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <random>

#include "pathlight/bundle.h"
#include "pathlight/fold_in.h"
#include "pathlight/recommender.h"
#include "test_util.h"

namespace pathlight {
namespace {

using nlohmann::json;

// A small explicit model: 12 items over 3 concepts, k = 3, random item factors and biases.
Recommender MakeRatingRecommender(RatingModel rm = {3.5f, 0.2f, 0.1f, 1.f, 5.f}) {
  json doc = {{"concepts", json::array({{{"id", "a"}}, {{"id", "b"}, {"prerequisites", {"a"}}}, {{"id", "c"}}})},
              {"items", json::array()}};
  for (int i = 0; i < 12; ++i)
    doc["items"].push_back({{"id", "i" + std::to_string(i)}, {"kind", "course"}, {"language", "en"},
                            {"teaches", {std::string(1, "abc"[i % 3])}}});
  auto cat = Catalog::FromJson(doc, "fixture");
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  ModelInfo info;
  info.algorithm = "biased-mf-als";
  info.regularization = 0.5f;
  info.alpha = 5.f;
  info.ratings = rm;
  Vector bias = testing::RandomMatrix(12, 1, 17, 0.4f).col(0);
  auto b = AssembleBundle(*cat, testing::RandomMatrix(12, 3, 5, 0.7f), bias, info, FactorEncoding::kF32);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return Recommender(std::move(b).value());
}

Event Rate(const std::string& id, float r, double time = 100) {
  Event e;
  e.type = EventType::kRate;
  e.item = id;
  e.rating = r;
  e.time = time;
  return e;
}

// Independent reference: the ridge problem as an augmented least-squares system solved by QR,
//   min ‖Ỹ_R z − (r − μ − b)‖² + n·λ_b·z₀² + n·λ·‖z₁..ₖ‖²,
// i.e. rows ỹ_i for the ratings, then √(nλ_b)·e₀ and √(nλ)·e_d with zero targets.
Eigen::VectorXd LeastSquaresReference(const RowMatrix& y, const Vector& bias, const std::vector<ItemRating>& r,
                                      const RatingModel& m) {
  const int k = static_cast<int>(y.cols());
  const int n = static_cast<int>(r.size());
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n + k + 1, k + 1);
  Eigen::VectorXd t = Eigen::VectorXd::Zero(n + k + 1);
  for (int j = 0; j < n; ++j) {
    a(j, 0) = 1;
    a.row(j).tail(k) = y.row(r[j].item).cast<double>();
    t[j] = static_cast<double>(r[j].rating) - m.global_mean - bias[r[j].item];
  }
  a(n, 0) = std::sqrt(n * static_cast<double>(m.bias_regularization));
  for (int d = 0; d < k; ++d) a(n + 1 + d, 1 + d) = std::sqrt(n * static_cast<double>(m.regularization));
  return a.colPivHouseholderQr().solve(t);
}

// The app offered whole stars only (ceil(min)..floor(max)), so a 0.5..5 half-star bundle's control
// had no 0.5, 1.5, … and the docs said it read ratingStep. The engine now says what to offer.
TEST(RatingScaleTest, ChoicesFollowTheGridAndAlwaysHoldMinAndMax) {
  using V = std::vector<float>;
  EXPECT_EQ((RatingScale{1, 5, 1}.Choices()), (V{1, 2, 3, 4, 5}));
  EXPECT_EQ((RatingScale{0.5f, 5, 0.5f}.Choices()), (V{0.5f, 1, 1.5f, 2, 2.5f, 3, 3.5f, 4, 4.5f, 5}));
  // 1..10 by 0.1 is 91 points: every 5th (ceil(90 / 19)) is 1, 1.5, …, 10 — 19 choices.
  const V tenths = RatingScale{1, 10, 0.1f}.Choices();
  ASSERT_EQ(tenths.size(), 19u);
  EXPECT_FLOAT_EQ(tenths[1], 1.5f);
  EXPECT_FLOAT_EQ(tenths.back(), 10.f);
  // A grid that misses max (a bundle written before the importer refused one): max is added.
  EXPECT_EQ((RatingScale{1, 5, 3}.Choices()), (V{1, 4, 5}));
  // Any value: the whole numbers with min and max; evenly spaced when those are too many.
  EXPECT_EQ((RatingScale{0.5f, 5, 0}.Choices()), (V{0.5f, 1, 2, 3, 4, 5}));
  const V wide = RatingScale{1, 1000, 0}.Choices();
  ASSERT_EQ(wide.size(), 21u);
  EXPECT_FLOAT_EQ(wide[1], 1 + 999.f / 20);
  EXPECT_FLOAT_EQ(wide.back(), 1000.f);
  for (const RatingScale& scale : {RatingScale{1, 5, 1}, RatingScale{0.5f, 5, 0.5f}, RatingScale{1, 10, 0.1f}, RatingScale{1, 1000, 0},
                                   RatingScale{1, 1000, 0.01f}}) {
    const V c = scale.Choices();
    EXPECT_LE(c.size(), 21u);
    EXPECT_EQ(c.front(), scale.min);
    EXPECT_EQ(c.back(), scale.max);
    EXPECT_TRUE(std::is_sorted(c.begin(), c.end()) && std::adjacent_find(c.begin(), c.end()) == c.end());
  }
}

TEST(RatingFoldInTest, HandComputedOneItemOneFactor) {
  // k = 1, y = 2, b_i = 0.5, μ = 3, r = 5, λ = λ_b = 0.5, one rating:
  //   A = [[1 + 0.5, 2], [2, 4 + 0.5]],  b = (5 − 3 − 0.5)·[1, 2] = [1.5, 3]
  //   z = A⁻¹b = [0.75, 1.5] / 2.75 = [0.272727…, 0.545454…]
  const RowMatrix y = RowMatrix::Constant(1, 1, 2.f);
  const float bias[] = {0.5f};
  const RatingModel m{3.f, 0.5f, 0.5f, 1.f, 5.f};
  const Vector z = FoldInRatingsRows(1, {{0, 5.f}}, m, bias, [&](int32_t i, Eigen::VectorXf& out) { out = y.row(i).transpose(); });
  ASSERT_EQ(z.size(), 2);
  EXPECT_NEAR(z[0], 0.75 / 2.75, 1e-6);
  EXPECT_NEAR(z[1], 1.5 / 2.75, 1e-6);
}

TEST(RatingFoldInTest, EqualsLeastSquaresReferenceOnRandomLearners) {
  const RowMatrix y = testing::RandomMatrix(40, 6, 11, 0.8f);
  const Vector bias = testing::RandomMatrix(40, 1, 12, 0.5f).col(0);
  const RatingModel m{3.6f, 0.15f, 0.05f, 1.f, 5.f};
  std::mt19937 rng(4);
  for (int trial = 0; trial < 50; ++trial) {
    std::vector<ItemRating> r;
    const int n = 1 + static_cast<int>(rng() % 25);
    for (int j = 0; j < n; ++j) r.push_back({static_cast<int32_t>(rng() % 40), 1.f + static_cast<float>(rng() % 5)});
    const Vector z = FoldInRatingsRows(6, r, m, bias.data(), [&](int32_t i, Eigen::VectorXf& out) { out = y.row(i).transpose(); });
    const Eigen::VectorXd ref = LeastSquaresReference(y, bias, r, m);
    for (int d = 0; d <= 6; ++d) ASSERT_NEAR(z[d], ref[d], 1e-5) << "trial " << trial << " dim " << d;
  }
}

// A Gibbs model's prior P = L·Lᵀ, mean m: the reference stacks Lᵀ·z ≈ Lᵀ·m under the ratings' rows.
RatingModel WithPrior(int k, uint64_t seed) {
  RatingModel m{3.5f, 0.2f, 0.1f, 1.f, 5.f};
  const RowMatrix g = testing::RandomMatrix(k + 1, k + 1, seed, 0.5f);
  m.prior_precision = (g.transpose() * g).cast<float>() + Eigen::MatrixXf::Identity(k + 1, k + 1);
  m.prior_mean = testing::RandomMatrix(k + 1, 1, seed + 1, 0.3f).col(0);
  return m;
}

TEST(RatingFoldInTest, WithAPriorEqualsStackedLeastSquares) {
  const RowMatrix y = testing::RandomMatrix(30, 4, 31, 0.8f);
  const Vector bias = testing::RandomMatrix(30, 1, 32, 0.5f).col(0);
  const RatingModel m = WithPrior(4, 33);
  const Eigen::MatrixXd lt = m.prior_precision.cast<double>().llt().matrixU();  // Lᵀ
  std::mt19937 rng(8);
  for (int trial = 0; trial < 30; ++trial) {
    std::vector<ItemRating> r;
    const int n = static_cast<int>(rng() % 12);  // 0 ratings too: the prior mean
    for (int j = 0; j < n; ++j) r.push_back({static_cast<int32_t>(rng() % 30), 1.f + static_cast<float>(rng() % 5)});
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n + 5, 5);
    Eigen::VectorXd t = Eigen::VectorXd::Zero(n + 5);
    for (int j = 0; j < n; ++j) {
      a(j, 0) = 1;
      a.row(j).tail(4) = y.row(r[j].item).cast<double>();
      t[j] = static_cast<double>(r[j].rating) - m.global_mean - bias[r[j].item];
    }
    a.bottomRows(5) = lt;
    t.tail(5) = lt * m.prior_mean.cast<double>();
    const Eigen::VectorXd ref = a.colPivHouseholderQr().solve(t);
    const Vector z = FoldInRatingsRows(4, r, m, bias.data(), [&](int32_t i, Eigen::VectorXf& out) { out = y.row(i).transpose(); });
    for (int d = 0; d < 5; ++d) ASSERT_NEAR(z[d], ref[d], 1e-4) << "trial " << trial << " (" << n << " ratings)";
    if (n == 0)
      for (int d = 0; d < 5; ++d) ASSERT_NEAR(z[d], m.prior_mean[d], 1e-5);
  }
}

TEST(RatingFoldInTest, NoRatingsGivesZeros) {
  const float bias[] = {0.f};
  const Vector z = FoldInRatingsRows(3, {}, RatingModel{}, bias, [](int32_t, Eigen::VectorXf&) { FAIL(); });
  EXPECT_EQ(z, Vector::Zero(4));
}

TEST(RatingLearnerTest, ProfileSolveUsesTheLatestRatingOfEachItem) {
  const Recommender rec = MakeRatingRecommender();
  Profile p;
  p.events = {Rate("i1", 2), Rate("i4", 5), Rate("i1", 4), Rate("i7", 1)};
  Event view;
  view.type = EventType::kView;
  view.item = "i9";
  view.time = 100;
  p.events.push_back(view);  // a view moves nothing in a rating model
  const LearnerState s = rec.Learner(p, 200);
  const RatingModel& m = *rec.bundle().info.ratings;
  const RowMatrix y = rec.bundle().item_factors.Dequantized();
  const Eigen::VectorXd ref = LeastSquaresReference(y, rec.bundle().item_bias, {{1, 4.f}, {4, 5.f}, {7, 1.f}}, m);
  EXPECT_NEAR(s.user_bias(), ref[0], 1e-5);
  for (int d = 0; d < rec.factors(); ++d) EXPECT_NEAR(s.fold_in()[d], ref[1 + d], 1e-5);
  ASSERT_EQ(s.ratings().size(), 3u);
  EXPECT_EQ(s.ratings()[0].item, 1);
  EXPECT_EQ(s.ratings()[0].rating, 4.f);
}

TEST(RatingLearnerTest, EachEventMatchesAFullResolve) {
  const Recommender rec = MakeRatingRecommender();
  LearnerState inc = rec.Learner(Profile(), 1000);
  std::mt19937 rng(21);
  const EventType types[] = {EventType::kRate, EventType::kRate, EventType::kView, EventType::kEnroll,
                             EventType::kDismiss, EventType::kKnowConcept, EventType::kComplete};
  for (int step = 0; step < 50; ++step) {
    const EventType t = types[rng() % 7];
    Event e = Rate("i" + std::to_string(rng() % 12), 1.f + static_cast<float>(rng() % 5), 1000 - step);
    e.type = t;
    if (t != EventType::kRate) e.rating = 0;
    if (t == EventType::kKnowConcept) {
      e.concept = std::string(1, "abc"[rng() % 3]);
      e.item.clear();
    }
    ASSERT_TRUE(rec.AddEvent(inc, e).ok());
    const LearnerState full = rec.Learner(inc.profile(), 1000);
    ASSERT_NEAR(inc.user_bias(), full.user_bias(), 1e-5) << "after event " << step;
    for (int d = 0; d < rec.factors(); ++d) ASSERT_NEAR(inc.fold_in()[d], full.fold_in()[d], 1e-5) << "after event " << step;
    ASSERT_EQ(inc.consumed(), full.consumed());
    ASSERT_EQ(inc.known_concepts(), full.known_concepts());
  }
}

TEST(RatingLearnerTest, ExplanationSharesSumToTheScoreAndPredictionsStayOnTheScale) {
  const Recommender rec = MakeRatingRecommender();
  Profile p;
  p.events = {Rate("i0", 5), Rate("i3", 1), Rate("i5", 4), Rate("i8", 2)};
  const LearnerState s = rec.Learner(p, 200);
  for (int32_t i = 0; i < rec.num_items(); ++i) {
    const Explanation ex = rec.Explain(s, ItemIndex(i));
    double sum = 0;
    for (const Contribution& c : ex.contributions) sum += c.value;
    EXPECT_NEAR(sum, ex.score, 1e-5) << "item " << i;
    EXPECT_NEAR(ex.score, s.user_bias() + s.fold_in().dot(rec.bundle().item_factors.Dequantized().row(i).transpose()), 1e-5);
    const float r = *rec.PredictRating(s, ItemIndex(i));
    const float raw = 3.5f + rec.bundle().item_bias[i] + ex.score;  // μ + b_i + (b_u + x·y_i)
    EXPECT_NEAR(r, std::clamp(raw, 1.f, 5.f), 1e-5) << "item " << i;
  }
  // A rating far above the scale's top is clamped to it.
  const Recommender high = MakeRatingRecommender({40.f, 0.2f, 0.1f, 1.f, 5.f});
  EXPECT_EQ(*high.PredictRating(high.Learner(p, 200), ItemIndex(0)), 5.f);
}

TEST(RatingLearnerTest, RankingOrdersByPredictedRatingAndImplicitBundlesPredictNothing) {
  const Recommender rec = MakeRatingRecommender();
  Profile p;
  p.events = {Rate("i0", 5), Rate("i2", 1)};
  const LearnerState s = rec.Learner(p, 200);
  RankOptions o;  // pure: no knowledge-graph terms, no MMR
  o.k = 10;
  const auto list = rec.Rank(s, o);
  ASSERT_EQ(list.size(), 10u);
  for (size_t j = 1; j < list.size(); ++j)
    EXPECT_GE(*rec.PredictRating(s, list[j - 1].item), *rec.PredictRating(s, list[j].item) - 1e-6f);
  for (const Recommendation& r : list) EXPECT_NE(r.item.value(), 0) << "rated items are consumed";

  ModelInfo info;
  info.regularization = 0.5f;
  info.alpha = 5.f;
  auto implicit = AssembleBundle(rec.catalog(), rec.bundle().item_factors.Dequantized(), Vector(), info, FactorEncoding::kF32);
  ASSERT_TRUE(implicit.ok());
  const Recommender irec(std::move(implicit).value());
  EXPECT_FALSE(irec.PredictRating(irec.Learner(p, 200), ItemIndex(1)).has_value());
}

TEST(RatingLearnerTest, RefinementFitsRatingResidualsAndResets) {
  const Recommender rec = MakeRatingRecommender();
  Profile p;
  p.events = {Rate("i0", 5), Rate("i3", 1), Rate("i5", 4), Rate("i8", 2), Rate("i10", 5)};
  LearnerState s = rec.Learner(p, 200);
  auto sse = [&](const LearnerState& st) {
    double e = 0;
    for (const ItemRating& r : st.ratings()) e += std::pow(r.rating - *rec.PredictRating(st, ItemIndex(r.item)), 2);
    return e;
  };
  const double before = sse(s);
  const Vector x = s.user();
  rec.Refine(s, RefineOptions{});
  EXPECT_LT(sse(s), before);
  rec.ResetPersonalization(s);
  EXPECT_EQ(s.user(), x);
  EXPECT_TRUE(s.bias_offsets().empty());
}

TEST(RatingLearnerTest, WithAPriorTheExplanationAddsThePriorShare) {
  const Recommender rec = MakeRatingRecommender(WithPrior(3, 41));
  Profile p;
  p.events = {Rate("i0", 5), Rate("i3", 1)};
  const LearnerState s = rec.Learner(p, 200);
  for (int32_t i = 0; i < rec.num_items(); ++i) {
    const Explanation ex = rec.Explain(s, ItemIndex(i));
    double sum = ex.prior;
    for (const Contribution& c : ex.contributions) sum += c.value;
    EXPECT_NEAR(sum, ex.score, 1e-5) << "item " << i;
    EXPECT_NE(ex.prior, 0.f);
  }
  // A learner without ratings is the average learner: z = prior mean.
  const LearnerState empty = rec.Learner(Profile(), 200);
  const Vector& m = rec.bundle().info.ratings->prior_mean;
  EXPECT_NEAR(empty.user_bias(), m[0], 1e-5);
  for (int d = 0; d < rec.factors(); ++d) EXPECT_NEAR(empty.fold_in()[d], m[1 + d], 1e-5);
}

TEST(RatingBundleTest, APriorRoundTripsAndABadOneIsRefused) {
  const Recommender rec = MakeRatingRecommender(WithPrior(3, 43));
  std::string manifest;
  auto parts = EncodeBundle(rec.bundle(), &manifest);
  ASSERT_TRUE(parts.ok());
  auto back = DecodeBundle(manifest, *parts);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_TRUE(back->info.ratings->has_prior());
  EXPECT_EQ(back->info.ratings->prior_mean, rec.bundle().info.ratings->prior_mean);
  EXPECT_EQ(back->info.ratings->prior_precision, rec.bundle().info.ratings->prior_precision);
  const json good = json::parse(manifest);
  json asym = good, indefinite = good, short_mean = good;
  asym["model"]["ratings"]["prior_precision"][1] = 99;
  for (auto& v : indefinite["model"]["ratings"]["prior_precision"]) v = -v.get<float>();
  short_mean["model"]["ratings"]["prior_mean"].erase(0);
  for (const json& m : {asym, indefinite, short_mean}) {
    auto r = DecodeBundle(m.dump(), *parts);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kParseError);
    EXPECT_NE(r.status().message().find("prior_"), std::string::npos) << r.status().message();
  }
}

TEST(RatingBundleTest, RoundTripKeepsTheRatingModelAndBadValuesAreRefused) {
  const Recommender rec = MakeRatingRecommender({3.25f, 0.3f, 0.02f, 0.5f, 5.f});
  std::string manifest;
  auto parts = EncodeBundle(rec.bundle(), &manifest);
  ASSERT_TRUE(parts.ok());
  auto back = DecodeBundle(manifest, *parts);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_TRUE(back->info.ratings.has_value());
  EXPECT_EQ(back->info.ratings->global_mean, 3.25f);
  EXPECT_EQ(back->info.ratings->regularization, 0.3f);
  EXPECT_EQ(back->info.ratings->bias_regularization, 0.02f);
  EXPECT_EQ(back->info.ratings->min_rating, 0.5f);
  EXPECT_EQ(back->info.ratings->max_rating, 5.f);

  for (const json& bad : {json(3), json{{"global_mean", 3}}, json{{"global_mean", 3}, {"regularization", 0}, {"bias_regularization", 0}, {"min", 1}, {"max", 5}},
                          json{{"global_mean", 3}, {"regularization", 0.1}, {"bias_regularization", -1}, {"min", 1}, {"max", 5}},
                          json{{"global_mean", 3}, {"regularization", 0.1}, {"bias_regularization", 0}, {"min", 5}, {"max", 1}},
                          json{{"global_mean", "3"}, {"regularization", 0.1}, {"bias_regularization", 0}, {"min", 1}, {"max", 5}}}) {
    json m = json::parse(manifest);
    m["model"]["ratings"] = bad;
    auto r = DecodeBundle(m.dump(), *parts);
    ASSERT_FALSE(r.ok()) << bad.dump();
    EXPECT_EQ(r.status().code(), ErrorCode::kParseError) << bad.dump();
    EXPECT_NE(r.status().message().find("model.ratings"), std::string::npos) << r.status().message();
  }
}

TEST(RatingProfileTest, CompactionKeepsTheLatestRating) {
  const Recommender rec = MakeRatingRecommender();
  Profile p;
  for (int j = 0; j < 30; ++j) p.events.push_back(Rate("i" + std::to_string(j % 6), 1.f + static_cast<float>(j % 5), 100 + j));
  const LearnerState before = rec.Learner(p, 500);
  Profile compacted = p;
  compacted.Compact(8, 500, ConfidenceOptions{});
  ASSERT_LT(compacted.events.size(), p.events.size());
  auto back = Profile::Parse(compacted.ToJson().dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  const LearnerState after = rec.Learner(*back, 500);
  ASSERT_EQ(after.ratings().size(), before.ratings().size());
  EXPECT_NEAR(after.user_bias(), before.user_bias(), 1e-6);
  for (int d = 0; d < rec.factors(); ++d) EXPECT_NEAR(after.fold_in()[d], before.fold_in()[d], 1e-6);
}

}  // namespace
}  // namespace pathlight
