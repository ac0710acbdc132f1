// Shared helpers for the GoogleTest suite.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "pathlight/bundle.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/evaluate.h"
#include "pathlight/types.h"

namespace pathlight::testing {

/// Folder of the real data sets (../shared/data beside the repo), or "" when absent.
inline std::string SharedDataDir() {
  if (const char* env = std::getenv("PATHLIGHT_SHARED_DATA")) return env;
  const std::filesystem::path p = std::filesystem::path(PATHLIGHT_SOURCE_DIR) / ".." / "shared" / "data";
  return std::filesystem::exists(p) ? p.lexically_normal().string() : "";
}

/// Skips the current test with a clear message when a real data set is absent.
#define PATHLIGHT_REQUIRE_DATA(subdir)                                                        \
  const std::string data_dir = ::pathlight::testing::SharedDataDir() + "/" subdir;            \
  if (::pathlight::testing::SharedDataDir().empty() || !std::filesystem::exists(data_dir))    \
  GTEST_SKIP() << "real data set " subdir " not found beside the repo (../shared/data/" subdir \
               << "); skipping — CI has it"

inline RowMatrix RandomMatrix(int rows, int cols, uint64_t seed, float scale = 1.f) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> n(0.f, scale);
  return RowMatrix::NullaryExpr(rows, cols, [&] { return n(rng); });
}

inline std::string SourcePath(const std::string& rel) { return std::string(PATHLIGHT_SOURCE_DIR) + "/" + rel; }

/// A fresh empty temporary folder for one test.
inline std::string TempDir(const std::string& name) {
  auto p = std::filesystem::temp_directory_path() / ("pathlight-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

/// The demo catalog with `learners` simulated learners (seed 7), for the trainer's tests.
inline trainer::Dataset DemoDataset(int32_t learners = 600) {
  auto ds = trainer::LoadDemo(SourcePath("data/demo/catalog.json"), trainer::DemoOptions{learners, 7});
  EXPECT_TRUE(ds.ok()) << ds.status().ToString();
  return std::move(ds).value();
}

/// A small, fast implicit-ALS evaluation (k = 16, λ = 3, 6 sweeps) under `protocol`.
inline trainer::EvalOptions SmallAlsEval(const std::string& protocol) {
  trainer::EvalOptions o;
  o.protocol = protocol;
  o.model.als.factors = 16;
  o.model.als.regularization = 3.f;
  o.model.als.iterations = 6;
  return o;
}

/// The hand-drawn knowledge graph several suites compute answers on by hand:
///   a → b → d,  a → c → d,  d → e;  f isolated
/// ca teaches a (10 USD, 5 h, beginner); cb teaches b, requires a (20, 8 h); cc (ebook, zh) teaches
/// c, requires a (15, 3 h); cd teaches d, requires b, c (50, 20 h, advanced); cd2 the same for 500
/// (40 h); ce teaches e, requires d (no price, 12 h); cf teaches f (0, 2 h); memberships mem (a, b;
/// 30, no hours) and mem2 (c; 25); mentors (1-hour sessions) m1 (en, 80, rating 4.5, 2 slots; d 0.8, e 0.5), m2 (zh
/// only, 60; d), m3 (en, 40, rating 5, no slot; e), m4 (en, 300; d 0.9). Plus `extra_items` random
/// courses and e-books x0, x1, … each teaching one concept. Random 4-dimensional factors (seeded).
inline Bundle HandGraphBundle(int extra_items = 30, uint64_t seed = 3) {
  nlohmann::json doc = nlohmann::json::parse(R"({
  "concepts": [{"id": "a"}, {"id": "b", "prerequisites": ["a"]}, {"id": "c", "prerequisites": ["a"]},
               {"id": "d", "prerequisites": ["b", "c"]}, {"id": "e", "prerequisites": ["d"]}, {"id": "f"}],
  "items": [
    {"id": "ca", "kind": "course", "price": 10, "language": "en", "level": "beginner", "hours": 5, "teaches": ["a"]},
    {"id": "cb", "kind": "course", "price": 20, "language": "en", "hours": 8, "teaches": ["b"], "requires": ["a"]},
    {"id": "cc", "kind": "ebook", "price": 15, "language": "zh", "hours": 3, "teaches": ["c"], "requires": ["a"]},
    {"id": "cd", "kind": "course", "price": 50, "language": "en", "level": "advanced", "hours": 20, "teaches": ["d"], "requires": ["b", "c"]},
    {"id": "cd2", "kind": "course", "price": 500, "language": "en", "hours": 40, "teaches": ["d"], "requires": ["b", "c"]},
    {"id": "ce", "kind": "course", "language": "en", "hours": 12, "teaches": ["e"], "requires": ["d"]},
    {"id": "cf", "kind": "course", "price": 0, "language": "en", "hours": 2, "teaches": ["f"]},
    {"id": "mem", "kind": "membership", "price": 30, "language": "en", "teaches": ["a", "b"]},
    {"id": "mem2", "kind": "membership", "price": 25, "language": "en", "teaches": ["c"]},
    {"id": "m1", "kind": "mentor", "price": 80, "hours": 1, "language": "en", "languages": ["en"], "rating": 4.5, "capacity": 2, "expertise": {"d": 0.8, "e": 0.5}},
    {"id": "m2", "kind": "mentor", "price": 60, "hours": 1, "language": "zh", "languages": ["zh"], "rating": 4, "capacity": 1, "expertise": {"d": 1.0}},
    {"id": "m3", "kind": "mentor", "price": 40, "hours": 1, "language": "en", "languages": ["en"], "rating": 5, "capacity": 0, "expertise": {"e": 1.0}},
    {"id": "m4", "kind": "mentor", "price": 300, "hours": 1, "language": "en", "languages": ["en"], "rating": 5, "capacity": 3, "expertise": {"d": 0.9}}
  ]})");
  std::mt19937 rng(seed);
  const char* cs[] = {"a", "b", "c", "d", "e", "f"};
  for (int j = 0; j < extra_items; ++j)
    doc["items"].push_back({{"id", "x" + std::to_string(j)}, {"kind", j % 3 ? "course" : "ebook"},
                            {"price", 5 + j}, {"language", "en"}, {"teaches", {cs[rng() % 6]}}});
  auto cat = Catalog::FromJson(doc, "fixture");
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  ModelInfo info;
  info.regularization = 0.5f;
  info.alpha = 5.f;
  auto b = AssembleBundle(*cat, RandomMatrix(cat->num_items(), 4, seed, 0.5f), Vector(), info, FactorEncoding::kF32);
  EXPECT_TRUE(b.ok());
  for (int i = 0; i < b->item_popularity.size(); ++i) b->item_popularity[i] = static_cast<float>((i * 7) % 11) / 10.f;
  return std::move(b).value();
}

}  // namespace pathlight::testing
