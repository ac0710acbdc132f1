// Fold-in: solve one learner's factors with the item factors held fixed.
// This is the ALS user half-step (Hu, Koren & Volinsky 2008, eq. 4) for a single row —
// `recalculate_user` in the implicit library — and is what runs on the learner's device.
#pragma once

#include <cstdint>
#include <vector>

#include "pathlight/types.h"

namespace pathlight {

/// One learner's implicit history: item index, weight w > 0 (confidence c = 1 + α·w) and
/// preference p (1 = positive; 0 = negative feedback such as a dismissal: the item is pushed
/// towards a score of 0 with confidence c).
struct WeightedItem {
  int32_t item = 0;
  float weight = 1.f;
  float preference = 1.f;
};

/// Solves x_u = (YᵀY + Σ_{i∈u}(c_ui − 1) y_i y_iᵀ + λI)⁻¹ Σ_{i∈u} c_ui p_ui y_i   with c_ui = 1 + α·w_ui.
/// `item_factors`: n × k row-major; `gram`: YᵀY, k × k; `history`: indices in [0, n) (asserted);
/// items listed twice are treated as their summed weight. Returns a length-k vector (all zeros for
/// an empty history). Cost O(k³ + n_u·k²). Never fails: the system is SPD for λ > 0.
Vector FoldIn(const RowMatrix& item_factors, const Eigen::MatrixXf& gram,
              const std::vector<WeightedItem>& history, float regularization, float alpha);

/// Same solve reading rows through a callback (`row(i, out)` writes y_i into out), so that
/// quantized factor tables can be folded in without a dequantized copy. `k` = dimension.
template <class RowFn>
Vector FoldInRows(int k, const Eigen::MatrixXf& gram, const std::vector<WeightedItem>& history,
                  float regularization, float alpha, RowFn&& row) {
  if (history.empty()) return Vector::Zero(k);
  // Accumulated and solved in double: k ≤ 1024 keeps this O(k³) step cheap, and it makes the
  // result agree with a full re-solve to ~1e-6 even for ill-conditioned learners.
  Eigen::MatrixXd a = gram.cast<double>();
  a.diagonal().array() += regularization;
  Eigen::VectorXd b = Eigen::VectorXd::Zero(k);
  Eigen::VectorXf y(k);
  for (const WeightedItem& h : history) {
    row(h.item, y);
    const double c = 1.0 + static_cast<double>(alpha) * h.weight;
    const Eigen::VectorXd yd = y.cast<double>();
    // A += (c − 1)·y yᵀ ;  b += c·p·y
    a.selfadjointView<Eigen::Lower>().rankUpdate(yd, c - 1.0);
    b.noalias() += (c * h.preference) * yd;
  }
  return a.selfadjointView<Eigen::Lower>().llt().solve(b).cast<float>();
}

}  // namespace pathlight
