// Implicit-feedback interaction matrices (learner × item), compressed sparse rows.
#pragma once

#include <cstdint>
#include <vector>

#include <Eigen/SparseCore>

#include "pathlight/types.h"

namespace pathlight {

/// One observed (learner, item) event with a non-negative weight w (a count, or a decayed
/// confidence weight). Confidence is derived later as c = 1 + α·w (Hu, Koren & Volinsky 2008).
struct Interaction {
  int32_t user = 0;   // dense learner index in [0, n_users)
  int32_t item = 0;   // dense item index in [0, n_items)
  float weight = 1.f; // w ≥ 0
  int64_t timestamp = 0;  // unix seconds; 0 when unknown
};

/// `n_users × n_items` sparse matrix, row-major (one row per learner), weights w.
using SparseRows = Eigen::SparseMatrix<float, Eigen::RowMajor, int32_t>;

/// Builds the learner × item matrix. Duplicate (user, item) pairs are summed (documented
/// treatment of repeated interactions). Indices must be in range (asserted: importers check).
SparseRows BuildUserItems(int32_t n_users, int32_t n_items, const std::vector<Interaction>& events);

/// Number of interactions per item (column counts of `user_items`), length n_items.
std::vector<int32_t> ItemPopularity(const SparseRows& user_items);

}  // namespace pathlight
