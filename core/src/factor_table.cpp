#include "pathlight/factor_table.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <new>
#include <utility>

#include "pathlight/topk.h"

namespace pathlight {

const char* FactorEncodingName(FactorEncoding e) {
  switch (e) {
    case FactorEncoding::kF32: return "f32";
    case FactorEncoding::kF16: return "f16";
    case FactorEncoding::kInt8: return "i8";
  }
  return "f32";
}

std::optional<FactorEncoding> ParseFactorEncoding(std::string_view name) {
  if (name == "f32") return FactorEncoding::kF32;
  if (name == "f16") return FactorEncoding::kF16;
  if (name == "i8") return FactorEncoding::kInt8;
  return std::nullopt;
}

uint16_t FloatToHalf(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t abs = x & 0x7fffffffu;
  if (abs >= 0x7f800000u) return static_cast<uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u : 0));  // Inf/NaN
  if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // overflow → Inf
  if (abs < 0x38800000u) {  // subnormal half (or zero): round |f| · 2^24 to an integer, ties to even
    const float scaled = std::fabs(f) * 16777216.f;  // exact: multiplies by a power of two
    return static_cast<uint16_t>(sign | static_cast<uint32_t>(std::nearbyint(scaled)));
  }
  // Normal: rebias the exponent, round the 13 dropped mantissa bits to nearest even.
  const uint32_t mant_round = abs + 0xfffu + ((abs >> 13) & 1u);
  return static_cast<uint16_t>(sign | ((mant_round - (112u << 23)) >> 13));
}

float HalfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu, mant = h & 0x3ffu;
  float out;
  if (exp == 0) {
    out = std::ldexp(static_cast<float>(mant), -24);
    if (sign) out = -out;
    return out;
  }
  uint32_t x = exp == 31 ? sign | 0x7f800000u | (mant << 13) : sign | ((exp + 112u) << 23) | (mant << 13);
  std::memcpy(&out, &x, 4);
  return out;
}

AlignedBytes::AlignedBytes(size_t n) : n_(n) {
  if (n > 0) {
    p_ = static_cast<char*>(::operator new(n, std::align_val_t(kAlignment)));
    std::memset(p_, 0, n);
  }
}
AlignedBytes::AlignedBytes(std::string_view bytes) : AlignedBytes(bytes.size()) {
  if (!bytes.empty()) std::memcpy(p_, bytes.data(), bytes.size());
}
AlignedBytes::AlignedBytes(AlignedBytes&& other) noexcept
    : p_(std::exchange(other.p_, nullptr)), n_(std::exchange(other.n_, 0)) {}
AlignedBytes& AlignedBytes::operator=(AlignedBytes&& other) noexcept {
  if (this != &other) {
    if (p_ != nullptr) ::operator delete(p_, std::align_val_t(kAlignment));
    p_ = std::exchange(other.p_, nullptr);
    n_ = std::exchange(other.n_, 0);
  }
  return *this;
}
AlignedBytes::~AlignedBytes() {
  if (p_ != nullptr) ::operator delete(p_, std::align_val_t(kAlignment));
}

FactorTable FactorTable::Encode(const RowMatrix& y, FactorEncoding encoding) {
  assert(y.allFinite());
  FactorTable t;
  t.encoding_ = encoding;
  t.rows_ = static_cast<int32_t>(y.rows());
  t.k_ = static_cast<int32_t>(y.cols());
  const size_t nk = static_cast<size_t>(t.rows_) * t.k_;
  switch (encoding) {
    case FactorEncoding::kF32:
      t.data_ = AlignedBytes(std::string_view(reinterpret_cast<const char*>(y.data()), nk * sizeof(float)));
      break;
    case FactorEncoding::kF16:
    case FactorEncoding::kInt8:
      t.data_ = AlignedBytes(nk * (encoding == FactorEncoding::kF16 ? sizeof(uint16_t) : 1));
      if (encoding == FactorEncoding::kInt8) t.scales_.resize(t.rows_);
      for (int32_t i = 0; i < t.rows_; ++i) t.SetRow(i, y.row(i).data());
      break;
  }
  return t;
}

void FactorTable::SetRow(int32_t i, const float* y) {
  assert(i >= 0 && i < rows_);
  const size_t at = static_cast<size_t>(i) * k_;
  switch (encoding_) {
    case FactorEncoding::kF32:
      std::memcpy(data_.data() + at * sizeof(float), y, static_cast<size_t>(k_) * sizeof(float));
      break;
    case FactorEncoding::kF16:
      for (int32_t d = 0; d < k_; ++d) {
        const uint16_t h = FloatToHalf(y[d]);
        std::memcpy(data_.data() + (at + d) * sizeof(uint16_t), &h, sizeof h);
      }
      break;
    case FactorEncoding::kInt8: {
      float amax = 0;
      for (int32_t d = 0; d < k_; ++d) amax = std::max(amax, std::fabs(y[d]));
      const float s = amax > 0 ? amax / 127.f : 1.f;
      scales_[i] = s;
      for (int32_t d = 0; d < k_; ++d) data_.data()[at + d] = static_cast<char>(static_cast<int8_t>(std::lrint(y[d] / s)));
      break;
    }
  }
}

StatusOr<FactorTable> FactorTable::Decode(FactorEncoding encoding, int32_t rows, int32_t k, std::string_view data,
                                          std::string_view scales) {
  return Adopt(encoding, rows, k, AlignedBytes(data), scales);
}

StatusOr<FactorTable> FactorTable::Adopt(FactorEncoding encoding, int32_t rows, int32_t k, AlignedBytes&& data,
                                         std::string_view scales) {
  const size_t nk = static_cast<size_t>(rows) * k;
  const size_t width = encoding == FactorEncoding::kF32 ? 4 : encoding == FactorEncoding::kF16 ? 2 : 1;
  if (data.size() != nk * width)
    return Status(ErrorCode::kCorruptBundle, "item factors: " + std::to_string(data.size()) + " bytes for " +
                                                 std::to_string(rows) + " × " + std::to_string(k) + " " +
                                                 FactorEncodingName(encoding) + " values");
  if (encoding == FactorEncoding::kInt8 && scales.size() != static_cast<size_t>(rows) * 4)
    return Status(ErrorCode::kCorruptBundle, "item factor scales: expected " + std::to_string(rows) + " f32 values");
  auto non_finite = [](size_t at) {
    return Status(ErrorCode::kNotFinite, "item factors hold a non-finite value at index " + std::to_string(at));
  };
  FactorTable t;
  t.encoding_ = encoding;
  t.rows_ = rows;
  t.k_ = k;
  t.data_ = std::move(data);
  switch (encoding) {
    case FactorEncoding::kF32: {
      const float* v = t.f32();
      for (size_t j = 0; j < nk; ++j)
        if (!std::isfinite(v[j])) return non_finite(j);
      break;
    }
    case FactorEncoding::kF16: {
      const uint16_t* v = t.f16();
      for (size_t j = 0; j < nk; ++j)
        if ((v[j] & 0x7c00u) == 0x7c00u) return non_finite(j);
      break;
    }
    case FactorEncoding::kInt8:
      t.scales_.resize(rows);
      std::memcpy(t.scales_.data(), scales.data(), scales.size());
      for (int32_t i = 0; i < rows; ++i)
        if (!std::isfinite(t.scales_[i]) || t.scales_[i] < 0)
          return Status(ErrorCode::kNotFinite, "item factor scale of row " + std::to_string(i) + " is not a finite number >= 0");
      break;
  }
  return t;
}

std::string FactorTable::DataBytes() const {
  return std::string(data_.view());
}

std::string FactorTable::ScaleBytes() const {
  return std::string(reinterpret_cast<const char*>(scales_.data()), scales_.size() * 4);
}

size_t FactorTable::MemoryBytes() const {
  return data_.size() + scales_.size() * 4;
}

void FactorTable::Row(int32_t i, float* out) const {
  const size_t off = static_cast<size_t>(i) * k_;
  switch (encoding_) {
    case FactorEncoding::kF32:
      std::memcpy(out, f32() + off, k_ * sizeof(float));
      break;
    case FactorEncoding::kF16:
      for (int32_t d = 0; d < k_; ++d) out[d] = HalfToFloat(f16()[off + d]);
      break;
    case FactorEncoding::kInt8:
      for (int32_t d = 0; d < k_; ++d) out[d] = scales_[i] * static_cast<float>(i8()[off + d]);
      break;
  }
}

RowMatrix FactorTable::Dequantized() const {
  RowMatrix y(rows_, k_);
  for (int32_t i = 0; i < rows_; ++i) Row(i, y.row(i).data());
  return y;
}

void FactorTable::Score(const float* user, const float* bias, float* scores) const {
  switch (encoding_) {
    case FactorEncoding::kF32:
      ScoreAll(f32(), bias, rows_, k_, user, scores);
      return;
    case FactorEncoding::kInt8:
      ScoreAllInt8(i8(), scales_.data(), bias, rows_, k_, user, scores);
      return;
    case FactorEncoding::kF16: {
      // Decode a block of rows to f32 and score it with the f32 kernel. The decode is branch-free
      // so that it vectorizes (natively and under -msimd128): a half's exponent and mantissa moved
      // to f32 position and multiplied by 2^112 give its value exactly, normal or subnormal; an
      // all-ones exponent (∞/NaN) keeps its mantissa under an all-ones f32 exponent.
      constexpr int32_t kBlockRows = 32;  // 32 × k floats: 8 KiB at k = 64, stays in L1
      std::vector<float> block(static_cast<size_t>(std::min(kBlockRows, rows_)) * k_);
      float* dst = block.data();
      for (int32_t i0 = 0; i0 < rows_; i0 += kBlockRows) {
        const int32_t m = std::min(kBlockRows, rows_ - i0);
        const uint16_t* src = f16() + static_cast<size_t>(i0) * k_;
        const int32_t count = m * k_;
        for (int32_t j = 0; j < count; ++j) {
          const uint32_t h = src[j];
          const uint32_t em = (h & 0x7fffu) << 13;
          float mag;
          std::memcpy(&mag, &em, 4);
          mag *= 0x1p112f;
          uint32_t bits;
          std::memcpy(&bits, &mag, 4);
          const uint32_t special = 0u - static_cast<uint32_t>((h & 0x7c00u) == 0x7c00u);  // all ones for ∞/NaN
          bits = (bits & ~special) | ((0x7f800000u | em) & special) | ((h & 0x8000u) << 16);
          float value;
          std::memcpy(&value, &bits, 4);
          dst[j] = value;
        }
        ScoreAll(block.data(), bias != nullptr ? bias + i0 : nullptr, m, k_, user, scores + i0);
      }
      return;
    }
  }
}

}  // namespace pathlight
