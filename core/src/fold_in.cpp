#include "pathlight/fold_in.h"

#include <cassert>

namespace pathlight {

Vector FoldIn(const RowMatrix& item_factors, const Eigen::MatrixXf& gram,
              const std::vector<WeightedItem>& history, float regularization, float alpha) {
  const int k = static_cast<int>(item_factors.cols());
  return FoldInRows(k, gram, history, regularization, alpha, [&](int32_t i, Eigen::VectorXf& out) {
    assert(i >= 0 && i < item_factors.rows());
    out = item_factors.row(i).transpose();
  });
}

}  // namespace pathlight
