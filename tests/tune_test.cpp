// Hyperparameter search (tune.h) and config files (settings.h): search spaces and their bad
// input, seeded reproducibility, successive halving's rungs, known-answer tuning on synthetic
// ratings, the config round trip and the layering of defaults, the committed configs.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "pathlight/json_limits.h"
#include "pathlight/trainer/settings.h"
#include "pathlight/trainer/tune.h"
#include "test_util.h"

namespace pathlight::trainer {
namespace {

using nlohmann::json;

SearchSpace Space(const json& j, ModelKind kind = ModelKind::kAls) {
  auto s = ParseSearchSpace(j, kind);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

std::string SpaceError(const json& j, ModelKind kind = ModelKind::kAls) {
  auto s = ParseSearchSpace(j, kind);
  EXPECT_FALSE(s.ok()) << j.dump();
  if (s.ok()) return "";
  EXPECT_EQ(s.status().code(), ErrorCode::kInvalidArgument) << s.status().ToString();
  return s.status().message();
}

bool Has(const std::string& message, const std::string& part) { return message.find(part) != std::string::npos; }

// ---- search spaces ------------------------------------------------------------------------------

TEST(SearchSpaceTest, ListsAndRangesParseToTheirCanonicalTypes) {
  const SearchSpace s = Space({{"factors", {32, 64.0, 64}}, {"regularization", {{"min", 0.1}, {"max", 10}, {"log", true}}},
                               {"solver", {"cholesky", "cg"}}});
  ASSERT_EQ(s.dimensions.size(), 3u);
  std::map<std::string, SearchDimension> by_name;
  for (const auto& d : s.dimensions) by_name[d.name] = d;
  EXPECT_EQ(by_name["factors"].values, (std::vector<json>{32, 64}));  // 64.0 and 64 are one value
  EXPECT_TRUE(by_name["factors"].values[1].is_number_integer());
  EXPECT_TRUE(by_name["factors"].integer);
  EXPECT_DOUBLE_EQ(by_name["regularization"].min, 0.1);
  EXPECT_TRUE(by_name["regularization"].log);
  EXPECT_FALSE(SpaceSize(s).has_value());  // a continuous range
  EXPECT_EQ(SpaceSize(Space({{"factors", {8, 16, 32}}, {"iterations", {{"min", 5}, {"max", 9}}}})), 15);
  // What ParseSearchSpace reads back is the same space.
  EXPECT_EQ(SearchSpaceJson(Space(SearchSpaceJson(s))), SearchSpaceJson(s));
}

TEST(SearchSpaceTest, BadSpacesAreClearErrors) {
  EXPECT_TRUE(Has(SpaceError(json::object()), "search space is empty"));
  EXPECT_TRUE(Has(SpaceError(json::array()), "expected a JSON object"));
  EXPECT_TRUE(Has(SpaceError({{"factors", json::array()}}), "\"factors\": an empty list"));
  const std::string one = SpaceError({{"factors", {64, 64}}, {"solver", {"cg"}}});
  EXPECT_TRUE(Has(one, "degenerate")) << one;
  EXPECT_TRUE(Has(one, "single point")) << one;
  EXPECT_TRUE(Has(SpaceError({{"regularization", {{"min", 1}, {"max", 1}}}}), "degenerate range"));
  EXPECT_TRUE(Has(SpaceError({{"regularization", {{"min", 2}, {"max", 1}}}}), "degenerate range"));
  EXPECT_TRUE(Has(SpaceError({{"regularization", {{"min", 0}, {"max", 1}, {"log", true}}}}), "log range needs min > 0"));
  const std::string unknown = SpaceError({{"lambda", {0.1, 1}}});
  EXPECT_TRUE(Has(unknown, "unknown key \"lambda\"")) << unknown;
  EXPECT_TRUE(Has(unknown, "regularization")) << unknown;  // lists the known keys
  EXPECT_TRUE(Has(SpaceError({{"learning_rate", {0.1, 0.2}}}), "unknown key \"learning_rate\" for --model als"));
  EXPECT_TRUE(Has(SpaceError({{"solver", {{"min", 1}, {"max", 2}}}}), "takes a list of values"));
  EXPECT_TRUE(Has(SpaceError({{"factors", {0, 64}}}), "factors"));
  EXPECT_TRUE(Has(SpaceError({{"factors", {{"min", 1.5}, {"max", 4}}}}), "integer"));
  EXPECT_TRUE(Has(SpaceError({{"regularization", {{"min", 0.1}, {"max", 1}, {"step", 2}}}}), "unknown key \"step\""));
  EXPECT_TRUE(Has(SpaceError({{"regularization", 0.5}}), "expected a list of values or"));
  EXPECT_TRUE(Has(SpaceError({{"noise_precision", {0.0, 1.0}}}, ModelKind::kBiasedMf), "noise_precision"));
}

TEST(SearchSpaceTest, SamplesStayInTheSpaceAndLogRangesAreLogUniform) {
  const SearchSpace s = Space({{"factors", {16, 32}},
                               {"regularization", {{"min", 0.01}, {"max", 100}, {"log", true}}},
                               {"alpha", {{"min", 1}, {"max", 3}}},
                               {"iterations", {{"min", 2}, {"max", 5}}}});
  std::mt19937_64 rng(3);
  int below_one = 0, n = 4000;
  std::set<int64_t> iterations;
  for (int j = 0; j < n; ++j) {
    const json p = SampleSettings(s, rng);
    const double reg = p["regularization"], alpha = p["alpha"];
    EXPECT_TRUE(p["factors"] == 16 || p["factors"] == 32);
    EXPECT_GE(reg, 0.01);
    EXPECT_LE(reg, 100);
    EXPECT_GE(alpha, 1);
    EXPECT_LE(alpha, 3);
    EXPECT_TRUE(p["iterations"].is_number_integer());
    iterations.insert(p["iterations"].get<int64_t>());
    below_one += reg < 1 ? 1 : 0;
    char three[32];
    std::snprintf(three, sizeof three, "%.3g", reg);
    EXPECT_EQ(reg, std::strtod(three, nullptr));  // rounded to 3 significant digits
  }
  // log-uniform on [0.01, 100]: half the mass below 1 (a uniform draw would put 1% there).
  EXPECT_NEAR(static_cast<double>(below_one) / n, 0.5, 0.04);
  EXPECT_EQ(iterations, (std::set<int64_t>{2, 3, 4, 5}));
  EXPECT_EQ(ProjectOnSpace(s, {{"factors", 32}, {"regularization", 5}, {"alpha", 2}, {"iterations", 3}, {"x", 1}}),
            (json{{"factors", 32}, {"regularization", 5.0}, {"alpha", 2.0}, {"iterations", 3}}));
  EXPECT_FALSE(ProjectOnSpace(s, {{"factors", 64}, {"regularization", 5}, {"alpha", 2}, {"iterations", 3}}));
  EXPECT_FALSE(ProjectOnSpace(s, {{"factors", 32}, {"regularization", 500}, {"alpha", 2}, {"iterations", 3}}));
}

// ---- the search -----------------------------------------------------------------------------------

// A known objective: the score peaks at regularization = 2 (log scale), higher is better.
StatusOr<Evaluation> Peak(const json& settings, int) {
  const double x = std::log(settings["regularization"].get<double>() / 2);
  return Evaluation{-x * x, {{"score", -x * x}}};
}

TEST(RunSearchTest, RandomSearchIsSeededAndStartsFromTheIncumbent) {
  const SearchSpace s = Space({{"regularization", {{"min", 0.01}, {"max", 100}, {"log", true}}}, {"factors", {8, 16}}});
  SearchOptions o;
  o.budget_trainings = 12;
  o.incumbent = json{{"regularization", 0.1}, {"factors", 16}, {"alpha", 20}};
  auto run = [&](uint64_t seed) {
    o.seed = seed;
    auto r = RunSearch(s, o, Peak);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<json> points;
    for (const Trial& t : r->trials) points.push_back(t.settings);
    return std::make_pair(points, r->best().settings);
  };
  const auto a = run(1), b = run(1), c = run(2);
  ASSERT_EQ(a.first.size(), 12u);
  EXPECT_EQ(a.first, b.first);
  EXPECT_EQ(a.second, b.second);
  EXPECT_NE(a.first, c.first);
  EXPECT_EQ(a.first[0], (json{{"regularization", 0.1}, {"factors", 16}}));  // the incumbent, projected
  EXPECT_EQ(c.first[0], a.first[0]);
  // The best is the trial nearest the peak.
  double best_distance = 1e9;
  json nearest;
  for (const json& p : a.first) {
    const double d = std::abs(std::log(p["regularization"].get<double>() / 2));
    if (d < best_distance) best_distance = d, nearest = p;
  }
  EXPECT_EQ(a.second, nearest);
  // An incumbent outside the space is not tried.
  o.incumbent = json{{"regularization", 1000}, {"factors", 16}};
  auto r = RunSearch(s, o, Peak);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->trials[0].settings["regularization"], 1000);
}

TEST(RunSearchTest, BudgetsAndExhaustedSpaces) {
  SearchOptions o;
  o.budget_trainings = 0;
  const SearchSpace s = Space({{"regularization", {0.5, 2.0, 8.0}}});
  auto zero = RunSearch(s, o, Peak);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(Has(zero.status().message(), "a budget of 0 trainings")) << zero.status().message();
  // A finite space runs out before the budget: each point once.
  o.budget_trainings = 10;
  auto all = RunSearch(s, o, Peak);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->trials.size(), 3u);
  EXPECT_EQ(all->stopped_by, "space exhausted");
  EXPECT_EQ(all->best().settings["regularization"], 2.0);
  // A budget in seconds alone: no training starts once it is spent.
  o.budget_trainings = 0;
  o.budget_seconds = 0.05;
  const SearchSpace wide = Space({{"regularization", {{"min", 0.01}, {"max", 100}}}});
  auto timed = RunSearch(wide, o, [](const json& p, int r) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return Peak(p, r);
  });
  ASSERT_TRUE(timed.ok());
  EXPECT_EQ(timed->stopped_by, "seconds");
  EXPECT_GE(timed->trials.size(), 1u);
  EXPECT_LE(timed->trials.size(), 4u);
}

TEST(RunSearchTest, ADivergedCandidateIsSkippedAndOtherErrorsStop) {
  const SearchSpace s = Space({{"regularization", {0.5, 2.0, 8.0}}});
  SearchOptions o;
  auto diverging = [](const json& p, int r) -> StatusOr<Evaluation> {
    if (p["regularization"] == 2.0) return Status(ErrorCode::kDiverged, "factors became non-finite");
    return Peak(p, r);
  };
  auto r = RunSearch(s, o, diverging);
  ASSERT_TRUE(r.ok());
  int failed = 0;
  for (const Trial& t : r->trials) failed += t.failed ? 1 : 0;
  EXPECT_EQ(failed, 1);
  EXPECT_NE(r->best().settings["regularization"], 2.0);
  auto broken = RunSearch(s, o, [](const json&, int) -> StatusOr<Evaluation> {
    return Status(ErrorCode::kIoError, "disk gone");
  });
  EXPECT_EQ(broken.status().code(), ErrorCode::kIoError);
  auto all_fail = RunSearch(s, o, [](const json&, int) -> StatusOr<Evaluation> {
    return Status(ErrorCode::kDiverged, "always");
  });
  EXPECT_EQ(all_fail.status().code(), ErrorCode::kDiverged);
  EXPECT_TRUE(Has(all_fail.status().message(), "every candidate"));
}

TEST(SuccessiveHalvingTest, PlansFitTheBudget) {
  HalvingPlan p = PlanSuccessiveHalving(20, 3, 15);
  EXPECT_EQ(p.candidates, (std::vector<int64_t>{14, 4, 1}));  // 19 trainings; 15 candidates would need 21
  EXPECT_EQ(p.resources, (std::vector<int>{2, 5, 15}));       // 15/9, 15/3, 15
  p = PlanSuccessiveHalving(3, 2, 10);
  EXPECT_EQ(p.candidates, (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(p.resources, (std::vector<int>{5, 10}));
  p = PlanSuccessiveHalving(1, 3, 8);
  EXPECT_EQ(p.candidates, (std::vector<int64_t>{1}));
  EXPECT_EQ(p.resources, (std::vector<int>{8}));
  p = PlanSuccessiveHalving(40, 2, 16);
  EXPECT_EQ(p.candidates, (std::vector<int64_t>{21, 10, 5, 2, 1}));  // 39 ≤ 40; n₀ = 22 would need 41
  EXPECT_EQ(p.resources, (std::vector<int>{1, 2, 4, 8, 16}));
}

TEST(SuccessiveHalvingTest, KeepsTheBestOfEachRung) {
  // Score = −|log(λ/2)| + a resource-dependent offset that is the same for everyone in a rung:
  // the right candidates to keep are known from λ alone.
  const SearchSpace s = Space({{"regularization", {{"min", 0.01}, {"max", 100}, {"log", true}}}});
  SearchOptions o;
  o.method = SearchMethod::kSuccessiveHalving;
  o.budget_trainings = 20;
  o.reduction_factor = 3;
  o.max_resource = 15;
  std::vector<int> resources_seen;
  auto r = RunSearch(s, o, [&](const json& p, int resource) -> StatusOr<Evaluation> {
    resources_seen.push_back(resource);
    const double x = std::abs(std::log(p["regularization"].get<double>() / 2));
    return Evaluation{-x + 0.01 * resource, {}};
  });
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->trials.size(), 19u);
  std::map<int, std::vector<const Trial*>> rungs;
  for (const Trial& t : r->trials) rungs[t.rung].push_back(&t);
  ASSERT_EQ(rungs.size(), 3u);
  EXPECT_EQ(rungs[0].size(), 14u);
  EXPECT_EQ(rungs[1].size(), 4u);
  EXPECT_EQ(rungs[2].size(), 1u);
  for (int rung = 0; rung < 3; ++rung)
    for (const Trial* t : rungs[rung]) EXPECT_EQ(t->resource, std::vector<int>({2, 5, 15})[rung]);
  for (int rung = 1; rung < 3; ++rung) {
    // The candidates of this rung are exactly the top ones of the previous rung.
    std::vector<const Trial*> prev = rungs[rung - 1];
    std::sort(prev.begin(), prev.end(), [](const Trial* a, const Trial* b) { return a->score > b->score; });
    std::set<int> expected, got;
    for (size_t j = 0; j < rungs[rung].size(); ++j) expected.insert(prev[j]->candidate);
    for (const Trial* t : rungs[rung]) got.insert(t->candidate);
    EXPECT_EQ(got, expected) << "rung " << rung;
  }
  EXPECT_EQ(r->best().rung, 2);
  // The winner is the candidate of rung 0 nearest λ = 2.
  const Trial* nearest = *std::max_element(rungs[0].begin(), rungs[0].end(),
                                           [](const Trial* a, const Trial* b) { return a->score < b->score; });
  EXPECT_EQ(r->best().candidate, nearest->candidate);
  // "iterations" is halving's to allot.
  auto clash = RunSearch(Space({{"iterations", {5, 10}}}), o, Peak);
  EXPECT_TRUE(Has(clash.status().message(), "take \"iterations\" out of the search space"));
}

// ---- known answers with real training --------------------------------------------------------

// Explicit ratings for `users` × `items` (each user rates a seeded `density` share):
// `signal` → r = 3 + x_uᵀy_i (rank 2, within [1, 5]), no noise; otherwise r = 3 + N(0, 0.8²) clamped.
Dataset SyntheticRatings(bool signal, uint64_t seed) {
  const int32_t users = 120, items = 60;
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> n01(0, 1);
  std::uniform_real_distribution<double> u01(0, 1);
  std::vector<Item> catalog(items);
  for (int32_t i = 0; i < items; ++i) catalog[i].id = "movie-" + std::to_string(i);
  Dataset ds;
  ds.name = signal ? "low-rank" : "noise";
  ds.catalog = std::move(Catalog::Build({}, catalog, "synthetic")).value();
  ds.explicit_ratings = true;
  std::vector<std::array<double, 2>> x(users), y(items);
  for (auto& v : x) v = {0.6 * n01(rng), 0.6 * n01(rng)};  // x_uᵀy_i has sd ≈ 0.5: rarely clamped
  for (auto& v : y) v = {0.6 * n01(rng), 0.6 * n01(rng)};
  for (int32_t u = 0; u < users; ++u) {
    ds.user_ids.push_back("u" + std::to_string(u));
    for (int32_t i = 0; i < items; ++i) {
      if (u01(rng) > 0.5) continue;
      const double r = signal ? 3 + x[u][0] * y[i][0] + x[u][1] * y[i][1] : 3 + 0.8 * n01(rng);
      ds.train.push_back({u, i, static_cast<float>(std::clamp(r, 1.0, 5.0)), 0});
    }
  }
  return ds;
}

TuneOptions RidgeTuning() {
  TuneOptions o;
  o.eval.protocol = "random-80-20";
  o.eval.model.kind = ModelKind::kBiasedMf;
  o.eval.model.mf.solver = BiasedMfSolver::kAls;
  o.eval.model.mf.factors = 2;
  o.eval.model.mf.iterations = 15;
  o.eval.model.mf.threads = 1;
  o.space = Space({{"regularization", {0.001, 0.1, 30.0}}}, ModelKind::kBiasedMf);
  o.search.budget_trainings = 3;
  return o;
}

TEST(TuneKnownAnswerTest, PureNoiseWantsTheLargestLambdaAndALowRankSignalTheSmallest) {
  // Ratings that are noise around 3: shrinking everything to the mean is best (λ = 30 per rating);
  // exact rank-2 ratings: fitting them is best (λ = 0.001).
  for (const bool signal : {false, true}) {
    auto r = Tune(SyntheticRatings(signal, 11), RidgeTuning());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->metric, "rmse");
    EXPECT_FALSE(r->higher_is_better);
    EXPECT_DOUBLE_EQ(r->best["regularization"].get<double>(), signal ? 0.001 : 30.0) << r->validation.dump();
    EXPECT_EQ(r->trainings, 3);
    // The chosen setting's validation RMSE is the smallest of the three.
    for (const Trial& t : r->search.trials) EXPECT_GE(t.score, r->validation["rmse"].get<double>());
    if (signal) EXPECT_LT(r->test["rmse"].get<double>(), 0.1);
    else EXPECT_NEAR(r->test["rmse"].get<double>(), 0.8, 0.12);
    EXPECT_NEAR(r->gap["rmse"].get<double>(), r->test["rmse"].get<double>() - r->validation["rmse"].get<double>(), 1e-12);
  }
}

Dataset Demo(int32_t learners = 600) { return testing::DemoDataset(learners); }

TuneOptions SmallDemoTuning() {
  TuneOptions o;
  o.eval.protocol = "temporal";
  o.eval.model.als.factors = 16;
  o.eval.model.als.regularization = 3.f;
  o.eval.model.als.iterations = 5;
  o.space = Space({{"factors", {8, 16}}, {"regularization", {{"min", 0.5}, {"max", 20}, {"log", true}}}});
  o.search.budget_trainings = 3;
  return o;
}

TEST(TuneTest, DemoTuningIsReproducibleAndTestsTheChoiceOnce) {
  const TuneOptions o = SmallDemoTuning();
  auto a = Tune(Demo(), o), b = Tune(Demo(), o);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->best, b->best);
  EXPECT_DOUBLE_EQ(a->validation["ndcg_at_10"].get<double>(), b->validation["ndcg_at_10"].get<double>());
  EXPECT_DOUBLE_EQ(a->test["ndcg_at_10"].get<double>(), b->test["ndcg_at_10"].get<double>());
  ASSERT_EQ(a->search.trials.size(), 3u);
  EXPECT_EQ(a->search.trials[0].settings, (json{{"factors", 16}, {"regularization", 3.0}}));  // the incumbent
  // best = the highest validation nDCG of the trials, with the base's other settings.
  double top = -1;
  for (const Trial& t : a->search.trials) top = std::max(top, t.score);
  EXPECT_DOUBLE_EQ(a->validation["ndcg_at_10"].get<double>(), top);
  EXPECT_EQ(a->best["iterations"], 5);
  EXPECT_EQ(a->best["alpha"], 20.0);
  // The test figure is the chosen setting trained on the whole training split, measured once.
  EvalOptions e = o.eval;
  ASSERT_TRUE(ApplySettings(a->best, &e.model, "test").ok());
  auto split = ProtocolSplit(Demo(), e);
  ASSERT_TRUE(split.ok());
  auto direct = EvaluateSplit(*split, e);
  ASSERT_TRUE(direct.ok());
  EXPECT_DOUBLE_EQ(a->test["ndcg_at_10"].get<double>(), (*direct)["ndcg_at_10"].get<double>());
  EXPECT_TRUE(a->test.contains("baseline"));
  // A metric the protocol does not report is an error naming it.
  TuneOptions bad = o;
  bad.metric = "rmse";
  auto r = Tune(Demo(100), bad);
  EXPECT_TRUE(Has(r.status().message(), "--metric rmse")) << r.status().message();
  EXPECT_TRUE(Has(r.status().message(), "ndcg_at_10")) << r.status().message();
}

TEST(TuneTest, SuccessiveHalvingOnTheDemo) {
  TuneOptions o = SmallDemoTuning();
  o.search.method = SearchMethod::kSuccessiveHalving;
  o.search.budget_trainings = 5;
  o.search.reduction_factor = 2;
  auto r = Tune(Demo(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // Budget 5, η = 2: 3 candidates at 3 sweeps, the best one at 5 (4 trainings; 4 candidates need 7).
  const HalvingPlan plan = PlanSuccessiveHalving(5, 2, 5);
  int64_t planned = 0;
  for (int64_t c : plan.candidates) planned += c;
  EXPECT_EQ(r->trainings, planned);
  EXPECT_EQ(r->search.best().resource, 5);  // the winner was trained in full
  EXPECT_FALSE(r->validation.contains("iterations"));
}

// ---- config files ----------------------------------------------------------------------------

std::string WriteText(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(ConfigTest, TuneWritesWhatTrainReads) {
  auto r = Tune(Demo(), SmallDemoTuning());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ModelConfig c;
  c.model = ModelKind::kAls;
  c.settings = r->best;
  c.provenance = {{"chosen_on", "validation"}, {"dataset", "demo"}, {"metric", r->metric}, {"validation", r->validation},
                  {"test", r->test}, {"date", "2025-01-01T00:00:00Z"}};
  const std::string path = testing::TempDir("config-round-trip") + "/tuned.json";
  ASSERT_TRUE(WriteModelConfig(c, path).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  auto back = ReadModelConfig(path);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->settings, r->best);
  EXPECT_EQ(back->provenance["test"]["ndcg_at_10"], r->test["ndcg_at_10"]);
  auto resolved = ResolveModelOptions("demo", ModelKind::kAls, *back, json::object());
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(resolved->settings, r->best);
  EXPECT_EQ(resolved->source, path);
  ModelOptions expected;
  ASSERT_TRUE(ApplySettings(r->best, &expected, "best").ok());
  EXPECT_EQ(resolved->options.als.factors, expected.als.factors);
  EXPECT_FLOAT_EQ(resolved->options.als.regularization, expected.als.regularization);
  // A flag beside the config wins.
  auto flagged = ResolveModelOptions("demo", ModelKind::kAls, *back, {{"factors", 4}});
  ASSERT_TRUE(flagged.ok());
  EXPECT_EQ(flagged->options.als.factors, 4);
  EXPECT_FLOAT_EQ(flagged->options.als.regularization, expected.als.regularization);
}

TEST(ConfigTest, UnknownKeysAndBadValuesAreErrorsNamingTheKey) {
  const std::string dir = testing::TempDir("config-bad");
  auto error = [&](const std::string& text) {
    auto c = ReadModelConfig(WriteText(dir, "c.json", text));
    EXPECT_FALSE(c.ok()) << text;
    return c.ok() ? std::string() : c.status().message();
  };
  EXPECT_TRUE(Has(error(R"({"model": "als", "settings": {"factors": 8}, "tuned": true})"), "unknown key \"tuned\""));
  const std::string misspelt = error(R"({"model": "als", "settings": {"factor": 8}})");
  EXPECT_TRUE(Has(misspelt, "unknown key \"factor\" for --model als")) << misspelt;
  EXPECT_TRUE(Has(misspelt, "factors, regularization")) << misspelt;
  EXPECT_TRUE(Has(error(R"({"model": "bpr", "settings": {"alpha": 8}})"), "unknown key \"alpha\" for --model bpr"));
  EXPECT_TRUE(Has(error(R"({"model": "als", "settings": {}, "provenance": {"tuned_by": "me"}})"),
                  "provenance: unknown key \"tuned_by\""));
  EXPECT_TRUE(Has(error(R"({"model": "als", "settings": {"factors": "64"}})"), "\"factors\": expected a number"));
  EXPECT_TRUE(Has(error(R"({"model": "als", "settings": {"factors": 64.5}})"), "expected an integer"));
  EXPECT_TRUE(Has(error(R"({"model": "als", "settings": {"regularization": -1}})"), "\"regularization\": expected"));
  EXPECT_TRUE(Has(error(R"({"model": "als", "settings": {"solver": "gibbs"}})"), "expected cholesky | cg"));
  EXPECT_TRUE(Has(error(R"({"settings": {}})"), "\"model\""));
  EXPECT_TRUE(Has(error(R"({"model": "popular", "settings": {}})"), "\"model\": expected als | bpr | biased-mf"));
  EXPECT_TRUE(Has(error(R"({"model": "als"})"), "\"settings\""));
  EXPECT_TRUE(Has(error(R"({"model": "als", "settings": {}, "version": 2})"), "\"version\": expected 1"));
  // A key given twice: nlohmann keeps the last one, so the first was silently ignored.
  const std::string twice = error(R"({"model": "als", "settings": {"factors": 8, "regularization": 0.1, "factors": 64}})");
  EXPECT_TRUE(Has(twice, "key \"settings.factors\" appears twice")) << twice;
  EXPECT_TRUE(Has(error(R"({"model": "als", "model": "bpr", "settings": {}})"), "key \"model\" appears twice"));
  // The same key in two objects, or in two objects of one array, is not a repeat.
  EXPECT_TRUE(ParseBoundedJson(R"({"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}]})", "t", kMaxJsonDepth,
                               DuplicateKeys::kRefuse).ok());
  const auto inner = ParseBoundedJson(R"({"a": [{"x": 1}, {"y": {"z": 1, "z": 2}}]})", "t", kMaxJsonDepth, DuplicateKeys::kRefuse);
  ASSERT_FALSE(inner.ok());
  EXPECT_TRUE(Has(inner.status().message(), "key \"a.y.z\" appears twice")) << inner.status().message();
  const std::string malformed = error("{\"model\": \"als\",\n \"settings\": {\"factors\": 8,}}");
  EXPECT_TRUE(Has(malformed, "malformed JSON")) << malformed;
  EXPECT_TRUE(Has(malformed, "line 2")) << malformed;
  const std::string deep = R"({"model": "als", "settings": {}, "provenance": {"notes": )" + std::string(100, '[') +
                           std::string(100, ']') + "}}";
  auto nested = ReadModelConfig(WriteText(dir, "deep.json", deep));
  EXPECT_EQ(nested.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_TRUE(Has(nested.status().message(), "nested deeper than 64")) << nested.status().message();
  auto missing = ReadModelConfig(dir + "/none.json");
  EXPECT_EQ(missing.status().code(), ErrorCode::kIoError);
  // A write that cannot happen leaves nothing behind.
  EXPECT_EQ(WriteModelConfig(ModelConfig(), dir + "/no-such-folder/c.json").code(), ErrorCode::kIoError);
  EXPECT_FALSE(std::filesystem::exists(dir + "/no-such-folder"));
}

TEST(ConfigTest, LayersOfDefaults) {
  // A config for another model, and a biased-mf solver that contradicts the file.
  ModelConfig bpr;
  bpr.model = ModelKind::kBpr;
  bpr.source = "bpr.json";
  auto wrong = ResolveModelOptions("demo", ModelKind::kAls, bpr, json::object());
  EXPECT_TRUE(Has(wrong.status().message(), "holds settings for --model bpr, not als"));
  ModelConfig gibbs;
  gibbs.model = ModelKind::kBiasedMf;
  gibbs.settings = {{"solver", "gibbs"}, {"noise_precision", 2.0}};
  gibbs.source = "gibbs.json";
  auto clash = ResolveModelOptions("movielens", ModelKind::kBiasedMf, gibbs, {{"solver", "als"}});
  EXPECT_TRUE(Has(clash.status().message(), "conflicts with config \"gibbs.json\""));
  // Library defaults where nothing is configured (a dataset without a built-in config).
  auto plain = ResolveModelOptions("csv", ModelKind::kAls, std::nullopt, json::object());
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->settings, (json{{"factors", 64}, {"regularization", 0.1}, {"alpha", 20.0}, {"iterations", 10},
                                   {"solver", "cholesky"}, {"cg_steps", 3}}));
  EXPECT_EQ(plain->source, "");
  EXPECT_EQ(plain->provenance, json::object());
  // A flag that sets the built-in config aside (MovieLens' config is for the Gibbs solver): library
  // defaults, and a provenance that is an empty object, never null (`pathlight train` reads it).
  auto aside = ResolveModelOptions("movielens", ModelKind::kBiasedMf, std::nullopt, {{"solver", "als"}});
  ASSERT_TRUE(aside.ok()) << aside.status().ToString();
  EXPECT_EQ(aside->source, "");
  EXPECT_EQ(aside->provenance, json::object());
  auto mf_als = ResolveModelOptions("csv", ModelKind::kBiasedMf, std::nullopt, {{"solver", "als"}});
  ASSERT_TRUE(mf_als.ok());
  EXPECT_EQ(mf_als->settings["iterations"], 15);
  auto mf_short = ResolveModelOptions("csv", ModelKind::kBiasedMf, std::nullopt, {{"iterations", 30}});
  ASSERT_TRUE(mf_short.ok());
  EXPECT_EQ(mf_short->settings["burn_in"], 20);  // below 30: kept
  auto mf_tiny = ResolveModelOptions("csv", ModelKind::kBiasedMf, std::nullopt, {{"iterations", 10}});
  ASSERT_TRUE(mf_tiny.ok());
  EXPECT_EQ(mf_tiny->settings["burn_in"], 1);  // 20 ≥ 10: iterations / 10
  auto bad_flag = ResolveModelOptions("csv", ModelKind::kAls, std::nullopt, {{"factors", 0}});
  EXPECT_TRUE(Has(bad_flag.status().message(), "flags \"factors\""));
}

TEST(ConfigTest, TheCommittedConfigsWereChosenOnValidationAndSayHow) {
  const std::vector<std::string> datasets = BuiltInConfigDatasets();
  for (const char* expected : {"coco", "demo", "junyi", "movielens"})
    EXPECT_NE(std::find(datasets.begin(), datasets.end(), expected), datasets.end()) << expected;
  for (const std::string& dataset : datasets) {
    // The compiled-in copy is the committed file.
    auto file = ReadModelConfig(testing::SourcePath("trainer/configs/" + dataset + ".json"));
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    const std::optional<ModelConfig> built_in = BuiltInConfig(dataset);
    ASSERT_TRUE(built_in.has_value()) << dataset;
    EXPECT_EQ(built_in->settings, file->settings) << dataset << ": rebuild (CMake re-reads the file)";
    const json& p = built_in->provenance;
    EXPECT_EQ(p["chosen_on"], "validation") << dataset;
    EXPECT_EQ(p["dataset"], dataset);
    for (const char* key : {"protocol", "metric", "search", "budget", "trainings", "validation", "test", "gap", "date",
                            "command", "validation_split"})
      EXPECT_TRUE(p.contains(key)) << dataset << " provenance lacks " << key;
    const std::string metric = p["metric"];
    EXPECT_NEAR(p["gap"][metric].get<double>(), p["test"][metric].get<double>() - p["validation"][metric].get<double>(),
                1e-9)
        << dataset;
    // The defaults train/eval run with are the file's settings.
    auto resolved = ResolveModelOptions(dataset, built_in->model, std::nullopt, json::object());
    ASSERT_TRUE(resolved.ok());
    for (auto& [key, value] : built_in->settings.items()) EXPECT_EQ(resolved->settings[key], value) << dataset << " " << key;
    EXPECT_EQ(resolved->source, "built-in trainer/configs/" + dataset + ".json");
  }
}

// docs/HYPERPARAMETERS.md, "The project's settings", quotes each committed config: its row holds the
// config's validation and test figures (4 decimals) and the date it was chosen.
TEST(ConfigTest, TheDocsQuoteTheCommittedConfigs) {
  std::ifstream in(testing::SourcePath("docs/HYPERPARAMETERS.md"));
  ASSERT_TRUE(in) << "docs/HYPERPARAMETERS.md";
  std::map<std::string, std::string> rows;
  for (std::string line; std::getline(in, line);)
    if (line.rfind("| `", 0) == 0) rows[line.substr(3, line.find('`', 3) - 3)] = line;
  for (const std::string& dataset : BuiltInConfigDatasets()) {
    const std::optional<ModelConfig> c = BuiltInConfig(dataset);
    ASSERT_TRUE(c.has_value());
    ASSERT_TRUE(rows.count(dataset)) << "no row for `" << dataset << "` in docs/HYPERPARAMETERS.md";
    const std::string& row = rows[dataset];
    const json& p = c->provenance;
    const std::string metric = p["metric"];
    for (const char* side : {"validation", "test"}) {
      char figure[32];
      std::snprintf(figure, sizeof figure, "%.4f", p[side][metric].get<double>());
      EXPECT_TRUE(Has(row, std::string(side) + " " + figure)) << dataset << ": expected \"" << side << " " << figure
                                                               << "\" in\n" << row;
    }
    EXPECT_TRUE(Has(row, p["date"].get<std::string>().substr(0, 10))) << row;
  }
}

}  // namespace
}  // namespace pathlight::trainer
