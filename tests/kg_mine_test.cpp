// Prerequisite mining (kg_mine.h) on hand-built logs with known answers: the tests' tails against
// slow references, the shuffled-order null against real shuffles, a planted order found with its
// exact support / confidence / p-values, a shuffled control that finds nothing, cycles listed and
// broken at the weakest edge, edges.csv's documented treatments, and logs too small to mine.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "pathlight/trainer/kg_graph.h"
#include "pathlight/trainer/kg_mine.h"
#include "pathlight/trainer/kg_mine_eval.h"
#include "pathlight/trainer/significance.h"
#include "test_util.h"

namespace pathlight::trainer {
namespace {

double Choose(int n, int k) {
  double c = 1;
  for (int i = 1; i <= k; ++i) c = c * (n - k + i) / i;
  return c;
}

TEST(SignificanceTest, SignTestKnownAnswers) {
  // Log-gamma sums: exact to about 1e-13 relative.
  EXPECT_NEAR(SignTestUpperTail(10, 8), (45.0 + 10 + 1) / 1024, 1e-13);
  EXPECT_NEAR(SignTestUpperTail(4, 2), 11.0 / 16, 1e-13);
  EXPECT_NEAR(SignTestUpperTail(24, 20), 12951.0 / 16777216, 1e-16);
  EXPECT_EQ(SignTestUpperTail(5, 0), 1.0);
  EXPECT_EQ(SignTestUpperTail(5, 6), 0.0);
  for (int n = 1; n <= 40; ++n)
    for (int k = 0; k <= n; ++k) {
      double ref = 0;
      for (int x = k; x <= n; ++x) ref += Choose(n, x) / std::pow(2.0, n);
      EXPECT_NEAR(SignTestUpperTail(n, k), ref, 1e-12 + 1e-9 * ref) << n << " " << k;
    }
}

TEST(SignificanceTest, HypergeometricAgainstTheSum) {
  // P(X ≥ 3), population 10 with 4 successes, 5 draws: (C(4,3)C(6,2) + C(4,4)C(6,1)) / C(10,5).
  EXPECT_NEAR(HypergeometricUpperTail(10, 4, 5, 3), 66.0 / 252, 1e-14);
  for (int n : {7, 20, 45})
    for (int kp = 0; kp <= n; kp += 3)
      for (int m = 0; m <= n; m += 4)
        for (int k = 0; k <= std::min(kp, m) + 1; ++k) {
          double ref = 0;
          for (int x = std::max(k, 0); x <= std::min(kp, m); ++x)
            if (m - x <= n - kp) ref += Choose(kp, x) * Choose(n - kp, m - x) / Choose(n, m);
          EXPECT_NEAR(HypergeometricUpperTail(n, kp, m, k), std::min(1.0, ref), 1e-10 + 1e-8 * ref)
              << n << " " << kp << " " << m << " " << k;
        }
}

TEST(SignificanceTest, SignedSumExactAgainstEnumeration) {
  const std::vector<SignedOutcome> o = {{0.5, 0.5}, {0.25, 0.5}, {1.0 / 3, 0}, {0.6, 0.1}};
  // Enumerate all 3^4 outcome combinations.
  for (int d = -5; d <= 5; ++d) {
    double ref = 0;
    for (int code = 0; code < 81; ++code) {
      int c = code, sum = 0;
      double p = 1;
      for (const SignedOutcome& x : o) {
        const int v = c % 3 - 1;
        c /= 3;
        sum += v;
        p *= v == 1 ? x.plus : v == -1 ? x.minus : 1 - x.plus - x.minus;
      }
      if (sum >= d) ref += p;
    }
    EXPECT_NEAR(SignedSumUpperTailExact(o, d), ref, 1e-14) << d;
  }
}

TEST(SignificanceTest, NormalQuantileInvertsTheTail) {
  // (Below z ≈ −5 the tail is 1 − ε and a double cannot hold ε exactly, so the round trip stops there.)
  for (double z : {-5.0, -3.0, -1.0, 0.0, 0.3, 1.96, 4.0, 8.0, 20.0})
    EXPECT_NEAR(NormalUpperQuantile(NormalUpperTail(z)), z, 1e-9 * (1 + std::abs(z))) << z;
  EXPECT_NEAR(NormalUpperTail(1.959963984540054), 0.025, 1e-15);
}

TEST(SignificanceTest, BenjaminiHochberg) {
  // m = 5, q = 0.05: step-up bounds 0.01, 0.02, 0.03, 0.04, 0.05 → the 4th (0.04) is the last below.
  EXPECT_DOUBLE_EQ(BenjaminiHochbergThreshold({0.2, 0.04, 0.001, 0.03, 0.01}, 0.05), 0.04);
  EXPECT_EQ(BenjaminiHochbergThreshold({0.5, 0.9}, 0.05), -1);
  EXPECT_EQ(BenjaminiHochbergThreshold({}, 0.05), -1);
}

// ---- Logs built by hand ----------------------------------------------------------------------

struct LogBuilder {
  StudyLog log;
  explicit LogBuilder(std::vector<std::string> ids) { log.concept_ids = std::move(ids); }
  // One learner: (time, concept) events.
  void Learner(std::vector<StudyEvent> events) { log.learners.push_back(std::move(events)); }
  int32_t Id(const std::string& id) const {
    return static_cast<int32_t>(std::find(log.concept_ids.begin(), log.concept_ids.end(), id) - log.concept_ids.begin());
  }
};

const PairEvidence* FindEdge(const MinedGraph& g, int32_t a, int32_t b) {
  for (const PairEvidence& e : g.edges)
    if (e.prerequisite == a && e.concept == b && !e.removed) return &e;
  return nullptr;
}

// 40 learners study A then B; 20 study A only; 4 study B only; 60 study an unrelated D alone.
LogBuilder PlantedOrder() {
  LogBuilder b({"A", "B", "D"});
  for (int u = 0; u < 40; ++u) b.Learner({{100 + u, 0}, {200 + u, 1}});
  for (int u = 0; u < 20; ++u) b.Learner({{100 + u, 0}});
  for (int u = 0; u < 4; ++u) b.Learner({{300 + u, 1}});
  for (int u = 0; u < 60; ++u) b.Learner({{100 + u, 2}});
  return b;
}

TEST(KgMineTest, PlantedOrderFoundWithItsEvidence) {
  const LogBuilder b = PlantedOrder();
  const MinedGraph g = MinePrerequisites(b.log, MineOptions(), nullptr, nullptr);
  EXPECT_TRUE(g.messages.empty()) << g.messages.front();
  ASSERT_EQ(g.kept(), 1);
  const PairEvidence* e = FindEdge(g, 0, 1);
  ASSERT_NE(e, nullptr) << "A → B not found";
  EXPECT_EQ(e->support, 40);
  EXPECT_EQ(e->before, 40);
  EXPECT_EQ(e->after, 0);
  EXPECT_EQ(e->prerequisite_learners, 60);
  EXPECT_EQ(e->concept_learners, 44);
  EXPECT_EQ(e->prerequisite_only, 20);
  EXPECT_EQ(e->concept_only, 4);
  EXPECT_DOUBLE_EQ(e->confidence, 40.0 / 44);
  // Each of the 40 learners has one session with A, one with B: under shuffling A first with ½.
  EXPECT_NEAR(e->order_p, std::pow(0.5, 40), 1e-25);
  EXPECT_NEAR(e->inclusion_p, 12951.0 / 16777216, 1e-16);  // P(Bin(24, ½) ≥ 20)
  EXPECT_DOUBLE_EQ(e->cooccurrence, 40 / std::sqrt(60.0 * 44));
  EXPECT_NEAR(e->association_p, HypergeometricUpperTail(124, 60, 44, 40), 1e-300);
  EXPECT_LT(e->association_p, 1e-10);
  EXPECT_EQ(e->source, EdgeSource::kLogs);
  EXPECT_DOUBLE_EQ(e->direction_share, (40 + 20 + 1.0) / (40 + 0 + 20 + 4 + 2));
  EXPECT_DOUBLE_EQ(e->score, e->cooccurrence * (1 + e->direction_share) / 2);
}

TEST(KgMineTest, ShuffledOrderControlFindsNothing) {
  // Everybody studies both A and B (so co-occurrence inclusion has nothing to say): with A always
  // first the order is found; with each learner's order drawn at random, nothing is.
  std::mt19937_64 rng(11);
  for (const bool planted : {true, false}) {
    LogBuilder b({"A", "B", "D"});
    for (int u = 0; u < 60; ++u) {
      const bool a_first = planted || (rng() & 1);
      b.Learner({{a_first ? 10 : 20, 0}, {a_first ? 20 : 10, 1}});
    }
    for (int u = 0; u < 60; ++u) b.Learner({{10, 2}});
    const MinedGraph g = MinePrerequisites(b.log, MineOptions(), nullptr, nullptr);
    if (planted) {
      EXPECT_EQ(g.kept(), 1);
      EXPECT_NE(FindEdge(g, 0, 1), nullptr);
    } else {
      EXPECT_EQ(g.kept(), 0) << "found " << g.edges.front().prerequisite << " → " << g.edges.front().concept;
    }
  }
}

TEST(KgMineTest, OrderNullMatchesRealShuffles) {
  // Learners with several sessions per concept and shared sessions: the analytic null of
  // shuffling each learner's sessions against 20,000 actual shuffles (the slow reference).
  LogBuilder b({"A", "B"});
  std::mt19937_64 rng(5);
  for (int u = 0; u < 12; ++u) {
    std::vector<StudyEvent> ev;
    const int sessions = 2 + static_cast<int>(rng() % 4);
    for (int s = 0; s < sessions; ++s) {
      const int what = static_cast<int>(rng() % 3);  // A, B or both
      if (what != 1) ev.push_back({1000 + s, 0});
      if (what != 0) ev.push_back({1000 + s, 1});
    }
    b.Learner(ev);
  }
  const PairTable table = CollectPairEvidence(b.log, MineOptions());
  ASSERT_EQ(table.pairs.size(), 2u);
  const PairEvidence& ab = table.pairs[0];
  // Observed D and its distribution under shuffles of session order: per learner, the sessions in
  // time order as (has A, has B), shuffled whole.
  std::vector<std::vector<std::pair<bool, bool>>> sessions;
  for (const auto& learner : b.log.learners) {
    std::map<int64_t, std::pair<bool, bool>> by_time;
    for (const StudyEvent& e : learner) (e.concept == 0 ? by_time[e.time].first : by_time[e.time].second) = true;
    sessions.emplace_back();
    for (const auto& [t, s] : by_time) sessions.back().push_back(s);
  }
  auto statistic = [&](bool shuffle) {
    int64_t d = 0;
    for (auto& order : sessions) {
      if (shuffle) std::shuffle(order.begin(), order.end(), rng);
      for (const auto& [a, bb] : order)
        if (a || bb) {
          d += a && !bb ? 1 : bb && !a ? -1 : 0;
          break;
        }
    }
    return d;
  };
  const int64_t observed = statistic(false);
  EXPECT_EQ(observed, ab.before - ab.after);
  int hits = 0;
  const int trials = 20000;
  for (int t = 0; t < trials; ++t) hits += statistic(true) >= observed;
  EXPECT_NEAR(ab.order_p, static_cast<double>(hits) / trials, 0.015);
}

TEST(KgMineTest, LogsTooSmallGiveMessagesAndNoEdges) {
  {
    LogBuilder b({"A", "B"});
    b.Learner({{1, 0}, {2, 1}});
    const MinedGraph g = MinePrerequisites(b.log, MineOptions(), nullptr, nullptr);
    EXPECT_EQ(g.kept(), 0);
    ASSERT_FALSE(g.messages.empty());
    EXPECT_NE(g.messages[0].find("1 learner"), std::string::npos) << g.messages[0];
  }
  {
    LogBuilder b({"A", "B"});
    for (int u = 0; u < 30; ++u) b.Learner({{1 + u, 0}});
    const MinedGraph g = MinePrerequisites(b.log, MineOptions(), nullptr, nullptr);
    EXPECT_EQ(g.kept(), 0);
    ASSERT_FALSE(g.messages.empty());
    EXPECT_NE(g.messages[0].find("1 concept"), std::string::npos) << g.messages[0];
  }
  {
    LogBuilder b({"A", "B"});  // two concepts, never by the same learner
    for (int u = 0; u < 30; ++u) b.Learner({{1 + u, u % 2}});
    const MinedGraph g = MinePrerequisites(b.log, MineOptions(), nullptr, nullptr);
    EXPECT_EQ(g.kept(), 0);
    ASSERT_FALSE(g.messages.empty());
    EXPECT_NE(g.messages[0].find("no learner studied two concepts"), std::string::npos) << g.messages[0];
  }
  {
    LogBuilder b({"A", "B", "C"});  // no order: unknown times, everybody the same concepts
    for (int u = 0; u < 50; ++u) b.Learner({{0, 0}, {0, 1}, {0, 2}});
    const MinedGraph g = MinePrerequisites(b.log, MineOptions(), nullptr, nullptr);
    EXPECT_EQ(g.kept(), 0);
    ASSERT_FALSE(g.messages.empty());
    EXPECT_NE(g.messages[0].find("no order information"), std::string::npos) << g.messages[0];
  }
  {
    LogBuilder b({"A", "B"});  // studied together, but by fewer learners than --min-support
    b.Learner({{1, 0}, {2, 1}});
    b.Learner({{1, 0}, {2, 1}});
    const MinedGraph g = MinePrerequisites(b.log, MineOptions(), nullptr, nullptr);
    EXPECT_EQ(g.kept(), 0);
    ASSERT_FALSE(g.messages.empty());
    EXPECT_NE(g.messages[0].find("at least 3 learners"), std::string::npos) << g.messages[0];
  }
  {
    StudyLog empty;
    const MinedGraph g = MinePrerequisites(empty, MineOptions(), nullptr, nullptr);
    EXPECT_EQ(g.kept(), 0);
    EXPECT_FALSE(g.messages.empty());
  }
}

// A PairTable by hand: concepts with identical "studied" sets (perfect dependence) and the pairs
// given, each with a direction p-value of 1e-12 in the given orientation.
PairTable HandTable(int32_t concepts, const std::vector<std::tuple<int32_t, int32_t, double>>& edges) {
  PairTable t;
  t.learners = 100;
  t.concepts_studied = concepts;
  t.concept_learners.assign(concepts, 50);
  t.studied.assign(concepts, std::vector<uint64_t>(2, 0));
  for (auto& s : t.studied) s[0] = ~uint64_t{0} >> 14;  // the first 50 learners
  for (auto [a, b, score] : edges) {
    PairEvidence e;
    e.prerequisite = a;
    e.concept = b;
    e.support = 50;
    e.prerequisite_learners = e.concept_learners = 50;
    e.confidence = 1;
    e.association_p = 1e-12;
    e.direction_p = 1e-12;
    e.score = score;
    PairEvidence r = e;
    std::swap(r.prerequisite, r.concept);
    r.direction_p = 1;
    r.score = score / 2;
    t.pairs.push_back(e);
    t.pairs.push_back(r);
  }
  return t;
}

TEST(KgMineTest, EveryCycleListedAndBrokenAtItsWeakestEdge) {
  // Two disjoint cycles A → B → C → A and D → E → F → G → D, each with one weakest edge.
  const PairTable t = HandTable(7, {{0, 1, 0.9}, {1, 2, 0.5}, {2, 0, 0.2}, {3, 4, 0.8}, {4, 5, 0.1}, {5, 6, 0.7}, {6, 3, 0.6}});
  const std::vector<std::string> ids = {"A", "B", "C", "D", "E", "F", "G"};
  const MinedGraph g = SelectPrerequisites(t, MineOptions(), nullptr, nullptr, ids);
  ASSERT_EQ(g.edges.size(), 7u);
  ASSERT_EQ(g.cycles.size(), 2u);
  std::set<std::pair<int32_t, int32_t>> removed;
  for (const PairEvidence& e : g.edges)
    if (e.removed) removed.insert({e.prerequisite, e.concept});
  EXPECT_EQ(removed, (std::set<std::pair<int32_t, int32_t>>{{2, 0}, {4, 5}}));
  for (size_t c = 0; c < g.cycles.size(); ++c) {
    const PairEvidence& by = g.edges[g.cycle_broken_by[c]];
    EXPECT_TRUE(by.removed);
    for (int32_t e : g.cycles[c]) EXPECT_GE(g.edges[e].score, by.score);
  }
  EXPECT_EQ(g.kept(), 5);
  // The kept graph is a DAG.
  std::vector<GraphEdge> kept;
  for (const PairEvidence& e : g.edges)
    if (!e.removed) kept.push_back({e.prerequisite, e.concept});
  EXPECT_TRUE(ElementaryCycles(7, kept, 100).cycles.empty());
  // cycles.csv lists both cycles with every edge, marking the removed one.
  const std::string dir = testing::TempDir("kg-cycles");
  ASSERT_TRUE(WriteMinedGraph(g, ids, dir + "/edges.csv", dir + "/cycles.csv").ok());
  std::ifstream in(dir + "/cycles.csv");
  std::string header, line;
  std::getline(in, header);
  EXPECT_EQ(header, "cycle,position,prerequisite,concept,source,line,score,removed");
  int rows = 0, removed_rows = 0;
  while (std::getline(in, line)) {
    ++rows;
    removed_rows += line.back() == '1';
  }
  EXPECT_EQ(rows, 7);
  EXPECT_EQ(removed_rows, 2);
}

TEST(KgMineTest, ExternalAndImportedEdgesOutrankMinedOnesInCycles) {
  // Mined A → B (strong score) against metacademy's B → A: the mined edge goes.
  const PairTable t = HandTable(2, {{0, 1, 0.9}});
  ExternalEvidence ext;
  ext.metacademy = {{1, 0}};
  const MinedGraph g = SelectPrerequisites(t, MineOptions(), &ext, nullptr, {"A", "B"});
  ASSERT_EQ(g.edges.size(), 2u);
  ASSERT_EQ(g.cycles.size(), 1u);
  EXPECT_EQ(FindEdge(g, 0, 1), nullptr);
  ASSERT_NE(FindEdge(g, 1, 0), nullptr);
  EXPECT_EQ(FindEdge(g, 1, 0)->source, EdgeSource::kMetacademy);
}

// Slow reference: every simple cycle by brute force over node sequences starting at their minimum.
std::set<std::vector<int32_t>> BruteCycles(int32_t n, const std::vector<GraphEdge>& edges) {
  std::set<std::vector<int32_t>> out;
  std::vector<std::vector<int32_t>> adj(n, std::vector<int32_t>(n, -1));
  for (size_t e = 0; e < edges.size(); ++e) adj[edges[e].from][edges[e].to] = static_cast<int32_t>(e);
  std::vector<int32_t> path;
  std::vector<bool> on(n, false);
  std::function<void(int32_t, int32_t)> walk = [&](int32_t start, int32_t v) {
    for (int32_t w = start; w < n; ++w) {
      if (adj[v][w] < 0) continue;
      if (w == start) {
        std::vector<int32_t> cyc = path;
        cyc.push_back(adj[v][w]);
        out.insert(cyc);
      } else if (!on[w]) {
        on[w] = true;
        path.push_back(adj[v][w]);
        walk(start, w);
        path.pop_back();
        on[w] = false;
      }
    }
  };
  for (int32_t s = 0; s < n; ++s) {
    on[s] = true;
    walk(s, s);
    on[s] = false;
  }
  return out;
}

TEST(KgGraphTest, ElementaryCyclesMatchBruteForce) {
  std::mt19937_64 rng(3);
  for (int trial = 0; trial < 40; ++trial) {
    const int32_t n = 3 + static_cast<int32_t>(rng() % 5);
    std::vector<GraphEdge> edges;
    for (int32_t a = 0; a < n; ++a)
      for (int32_t b = 0; b < n; ++b)
        if (rng() % 100 < 35) edges.push_back({a, b});
    const CycleList found = ElementaryCycles(n, edges, 100000);
    EXPECT_FALSE(found.truncated);
    const std::set<std::vector<int32_t>> got(found.cycles.begin(), found.cycles.end());
    EXPECT_EQ(got.size(), found.cycles.size()) << "a cycle listed twice";
    EXPECT_EQ(got, BruteCycles(n, edges)) << "trial " << trial;
  }
  // A limit stops the listing and says so.
  std::vector<GraphEdge> complete;
  for (int32_t a = 0; a < 6; ++a)
    for (int32_t b = 0; b < 6; ++b)
      if (a != b) complete.push_back({a, b});
  const CycleList capped = ElementaryCycles(6, complete, 10);
  EXPECT_TRUE(capped.truncated);
  EXPECT_EQ(capped.cycles.size(), 10u);
}

TEST(KgGraphTest, BreakingLeavesADagAndRemovesOnlyWeakestEdges) {
  std::mt19937_64 rng(8);
  for (int trial = 0; trial < 30; ++trial) {
    const int32_t n = 6;
    std::vector<GraphEdge> edges;
    std::vector<double> weight;
    for (int32_t a = 0; a < n; ++a)
      for (int32_t b = 0; b < n; ++b)
        if (a != b && rng() % 100 < 30) {
          edges.push_back({a, b});
          weight.push_back(static_cast<double>(rng() % 1000000));
        }
    std::vector<bool> removed(edges.size(), false);
    const auto broken = BreakCyclesAtWeakestEdge(
        n, edges, [&](int32_t x, int32_t y) { return weight[x] != weight[y] ? weight[x] < weight[y] : x > y; }, &removed);
    std::vector<GraphEdge> kept;
    for (size_t e = 0; e < edges.size(); ++e)
      if (!removed[e]) kept.push_back(edges[e]);
    EXPECT_TRUE(ElementaryCycles(n, kept, 1000).cycles.empty());
    for (const BrokenCycle& b : broken)
      for (int32_t e : b.cycle) EXPECT_GE(weight[e], weight[b.removed]);
    // Every original cycle lost at least one edge.
    for (const auto& cycle : ElementaryCycles(n, edges, 100000).cycles)
      EXPECT_TRUE(std::any_of(cycle.begin(), cycle.end(), [&](int32_t e) { return removed[e]; }));
  }
}

TEST(KgGraphTest, DepthsAreLongestChains) {
  // a → b → c → d, a → d, e alone.
  const std::vector<int32_t> d = PrerequisiteDepths(5, {{0, 1}, {1, 2}, {2, 3}, {0, 3}});
  EXPECT_EQ(d, (std::vector<int32_t>{0, 1, 2, 3, 0}));
}

std::string WriteFile(const std::string& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir + "/" + name, std::ios::trunc) << text;
  return dir + "/" + name;
}

TEST(KgGraphTest, EdgesCsvDuplicatesMergedSelfEdgesDropped) {
  const std::string dir = testing::TempDir("edges-dup");
  const std::string path = WriteFile(dir, "edges.csv",
                                     "prerequisite,concept,score\n"
                                     "a,b,0.5\n"
                                     "b,b,0.1\n"
                                     "a,b,0.9\n"
                                     "b,c,0.3\n");
  const std::unordered_map<std::string, int32_t> ids = {{"a", 0}, {"b", 1}, {"c", 2}};
  auto f = ReadEdgesCsv(path, ids, {"a", "b", "c"});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->edges.size(), 2u);
  EXPECT_EQ(f->edges[0].line, 2u);
  EXPECT_EQ(f->edges[0].fields.at("score"), "0.5");  // the first row's evidence is kept
  EXPECT_EQ(f->duplicates_merged, 1);
  EXPECT_EQ(f->self_edges_dropped, 1);
  ASSERT_EQ(f->notes.size(), 2u);
  EXPECT_NE(f->notes[0].find("line 3"), std::string::npos) << f->notes[0];
  EXPECT_NE(f->notes[1].find("line 4"), std::string::npos) << f->notes[1];
  EXPECT_NE(f->notes[1].find("repeats line 2"), std::string::npos) << f->notes[1];
}

TEST(KgGraphTest, EdgesCsvCyclesAllNamedWithTheirLines) {
  const std::string dir = testing::TempDir("edges-cycles");
  const std::string path = WriteFile(dir, "edges.csv",
                                     "prerequisite,concept\n"
                                     "a,b\n"
                                     "b,a\n"
                                     "c,d\n"
                                     "d,e\n"
                                     "e,c\n"
                                     "a,c\n");
  const std::unordered_map<std::string, int32_t> ids = {{"a", 0}, {"b", 1}, {"c", 2}, {"d", 3}, {"e", 4}};
  auto f = ReadEdgesCsv(path, ids, {"a", "b", "c", "d", "e"});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), ErrorCode::kCycle);
  const std::string& m = f.status().message();
  EXPECT_NE(m.find("2 cycles"), std::string::npos) << m;
  EXPECT_NE(m.find("a → b (line 2) → a (line 3)"), std::string::npos) << m;
  EXPECT_NE(m.find("c → d (line 4) → e (line 5) → c (line 6)"), std::string::npos) << m;
}

TEST(KgGraphTest, EdgesCsvBadInputs) {
  const std::string dir = testing::TempDir("edges-bad");
  const std::unordered_map<std::string, int32_t> ids = {{"a", 0}, {"b", 1}};
  auto unknown = ReadEdgesCsv(WriteFile(dir, "u.csv", "prerequisite,concept\na,zz\n"), ids, {"a", "b"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("line 2 column \"concept\""), std::string::npos) << unknown.status().message();
  auto column = ReadEdgesCsv(WriteFile(dir, "c.csv", "prerequisite,concept,weight\na,b,1\n"), ids, {"a", "b"});
  ASSERT_FALSE(column.ok());
  EXPECT_EQ(column.status().code(), ErrorCode::kParseError);
  EXPECT_NE(column.status().message().find("weight"), std::string::npos) << column.status().message();
  auto missing = ReadEdgesCsv(WriteFile(dir, "m.csv", "prerequisite\na\n"), ids, {"a", "b"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("concept"), std::string::npos) << missing.status().message();
}

TEST(KgMineTest, WrittenEdgesReadBackWithTheirEvidence) {
  const LogBuilder b = PlantedOrder();
  const MinedGraph g = MinePrerequisites(b.log, MineOptions(), nullptr, nullptr);
  const std::string dir = testing::TempDir("kg-roundtrip");
  ASSERT_TRUE(WriteMinedGraph(g, b.log.concept_ids, dir + "/edges.csv", dir + "/cycles.csv").ok());
  const std::unordered_map<std::string, int32_t> ids = {{"A", 0}, {"B", 1}, {"D", 2}};
  auto f = ReadEdgesCsv(dir + "/edges.csv", ids, b.log.concept_ids);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->edges.size(), 1u);
  EXPECT_EQ(f->edges[0].prerequisite, 0);
  EXPECT_EQ(f->edges[0].concept, 1);
  EXPECT_EQ(f->edges[0].fields.at("support"), "40");
  EXPECT_EQ(f->edges[0].fields.at("before"), "40");
  EXPECT_EQ(f->edges[0].fields.at("source"), "logs");
  EXPECT_EQ(f->edges[0].fields.size(), kEdgeCsvColumns.size() - 2);
}

TEST(KgMineEvalTest, RocAucKnownAnswers) {
  EXPECT_DOUBLE_EQ(RocAuc({0.1, 0.4, 0.35, 0.8}, {0, 0, 1, 1}), 0.75);
  EXPECT_DOUBLE_EQ(RocAuc({1, 1, 1, 1}, {0, 1, 0, 1}), 0.5);  // all tied
  EXPECT_DOUBLE_EQ(RocAuc({0.2, 0.1}, {1, 1}), 0.5);          // no negatives
  EXPECT_DOUBLE_EQ(RocAuc({0.9, 0.1, 0.5}, {1, 0, 0}), 1.0);
}

TEST(KgMineEvalTest, PlantedLogScoresAgainstItsOwnGraph) {
  // A chain planted in the learners' order is recovered; the figures follow the protocol.
  LogBuilder b({"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7"});
  std::mt19937_64 rng(2);
  for (int u = 0; u < 400; ++u) {
    const int upto = 1 + static_cast<int>(rng() % 8);  // learners go some way down the chain
    std::vector<StudyEvent> ev;
    for (int c = 0; c < upto; ++c) ev.push_back({1000 + 10 * c + static_cast<int64_t>(rng() % 5), c});
    b.Learner(ev);
  }
  std::vector<GraphEdge> chain;
  for (int32_t c = 0; c + 1 < 8; ++c) chain.push_back({c, c + 1});
  const nlohmann::json r = EvaluatePrerequisiteMining(b.log, chain, MiningEvalOptions());
  for (const char* key : {"auc", "precision", "recall", "f1"}) {
    ASSERT_TRUE(r.contains(key)) << key;
    for (const char* baseline : {"cooccurrence", "refd", "random"}) ASSERT_TRUE(r["baselines"][baseline].contains(key));
  }
  EXPECT_EQ(r["all_concepts"]["positives"], 7);
  EXPECT_GE(r["all_concepts"]["auc"].get<double>(), 0.9) << r["all_concepts"].dump();
  EXPECT_GE(r["all_concepts"]["f1"].get<double>(), 0.8) << r["all_concepts"].dump();
  // The halves partition the concepts: their candidates are the pairs inside each half.
  EXPECT_LT(r["fit_half"]["candidates"].get<int64_t>() + r["candidates"].get<int64_t>(),
            r["all_concepts"]["candidates"].get<int64_t>());
}

}  // namespace
}  // namespace pathlight::trainer
