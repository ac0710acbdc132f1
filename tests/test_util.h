// Shared helpers for the GoogleTest suite.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

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

}  // namespace pathlight::testing
