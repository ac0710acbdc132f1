// Strongly typed indices (draco's IndexType idea): an ItemIndex cannot be passed where a
// ConceptIndex is expected. Indices are dense, 0-based positions in the bundle's arrays,
// always < 2^31 so they cross Embind as plain numbers.
#pragma once

#include <cstdint>
#include <functional>

#include <Eigen/Dense>

namespace pathlight {

template <class Tag>
class Index {
 public:
  constexpr Index() = default;
  constexpr explicit Index(int32_t value) : value_(value) {}
  constexpr int32_t value() const { return value_; }
  constexpr bool operator==(Index o) const { return value_ == o.value_; }
  constexpr bool operator!=(Index o) const { return value_ != o.value_; }
  constexpr bool operator<(Index o) const { return value_ < o.value_; }

 private:
  int32_t value_ = -1;
};

using ItemIndex = Index<struct ItemIndexTag>;
using ConceptIndex = Index<struct ConceptIndexTag>;
using UserIndex = Index<struct UserIndexTag>;

/// Dense row-major float matrix: factor tables are `n × k`, row i = the vector of entity i.
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXf;

}  // namespace pathlight

template <class Tag>
struct std::hash<pathlight::Index<Tag>> {
  size_t operator()(pathlight::Index<Tag> i) const { return std::hash<int32_t>()(i.value()); }
};
