// Item-factor storage for scoring on the device: f32, f16, or int8 with one f32 scale per row.
// Rows stay in their encoded form in memory (an int8 table of n × k uses n·(k + 4) bytes), and
// scoring dequantizes on the fly inside the kernel. Quantization (symmetric, per row):
//   int8:  s_i = max_d |y_id| / 127,  q_id = round(y_id / s_i),  ŷ_id = s_i · q_id
//   f16:   IEEE 754 binary16, round-to-nearest-even.
// Kernels process 4 rows at a time so that they vectorize natively and under -msimd128.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pathlight/status.h"
#include "pathlight/types.h"

namespace pathlight {

/// Bytes in 64-byte aligned heap memory, owned. Emscripten's malloc
/// aligns to 8 bytes only, and a 16-byte SIMD load from an address 8 mod 16 straddles two cache
/// lines one time in four: factor rows stored that way scored measurably slower, and how much
/// depended on where the allocator happened to put them. Contents start zeroed; a copy copies
/// the bytes.
class AlignedBytes {
 public:
  static constexpr size_t kAlignment = 64;
  AlignedBytes() = default;
  explicit AlignedBytes(size_t n);
  explicit AlignedBytes(std::string_view bytes);
  AlignedBytes(AlignedBytes&& other) noexcept;
  AlignedBytes& operator=(AlignedBytes&& other) noexcept;
  AlignedBytes(const AlignedBytes& other) : AlignedBytes(other.view()) {}
  AlignedBytes& operator=(const AlignedBytes& other) { return *this = AlignedBytes(other.view()); }
  ~AlignedBytes();
  char* data() { return p_; }
  const char* data() const { return p_; }
  size_t size() const { return n_; }
  /// The bytes; never a null pointer, even when empty (memcpy and friends forbid null).
  std::string_view view() const { return p_ != nullptr ? std::string_view(p_, n_) : std::string_view("", 0); }

 private:
  char* p_ = nullptr;
  size_t n_ = 0;
};

enum class FactorEncoding { kF32, kF16, kInt8 };
/// "f32", "f16", "i8" (the bundle's dtype names).
const char* FactorEncodingName(FactorEncoding e);
std::optional<FactorEncoding> ParseFactorEncoding(std::string_view name);

class FactorTable {
 public:
  FactorTable() = default;
  /// Encodes `y` (n × k, row-major). Non-finite input is the caller's error (asserted).
  static FactorTable Encode(const RowMatrix& y, FactorEncoding encoding);
  /// Decodes bundle bytes: `data` holds n·k values of the encoding's width (little-endian);
  /// `scales` holds n f32 row scales for int8 (empty otherwise). Errors: corrupt_bundle (sizes),
  /// not_finite (NaN/∞ values or scales).
  static StatusOr<FactorTable> Decode(FactorEncoding encoding, int32_t rows, int32_t k, std::string_view data,
                                      std::string_view scales);
  /// Decode, taking ownership of `data` instead of copying it: the bundle reader hands over a
  /// verified part's bytes, which become the table's storage (no second copy of n·k values).
  static StatusOr<FactorTable> Adopt(FactorEncoding encoding, int32_t rows, int32_t k, AlignedBytes&& data,
                                     std::string_view scales);

  FactorEncoding encoding() const { return encoding_; }
  int32_t rows() const { return rows_; }
  int32_t cols() const { return k_; }
  /// Bytes of the encoded values (`data` part) and of the row scales (`scales` part, int8 only).
  std::string DataBytes() const;
  std::string ScaleBytes() const;
  /// Bytes held in memory.
  size_t MemoryBytes() const;

  /// Writes row i dequantized into `out` (k floats).
  void Row(int32_t i, float* out) const;
  /// Replaces row i with `y` (k finite floats, asserted), encoded as Encode encodes a row (int8:
  /// a new row scale). Used to give items without trained factors their content factors.
  void SetRow(int32_t i, const float* y);
  /// The whole table dequantized, n × k (for training-side code and tests).
  RowMatrix Dequantized() const;
  /// scores[i] = ŷ_i · user (+ bias[i] when bias != nullptr), i in [0, n); int8 quantizes `user`
  /// to int16 for exact integer dot products (ScoreAllInt8 in topk.h gives the error bound).
  void Score(const float* user, const float* bias, float* scores) const;

 private:
  // The encoded values, n·k of the encoding's width, little-endian, row-major: exactly the bytes of
  // the bundle's item_factors part, 64-byte aligned (every row of k = 64 f32 starts a cache line).
  const float* f32() const { return reinterpret_cast<const float*>(data_.data()); }
  const uint16_t* f16() const { return reinterpret_cast<const uint16_t*>(data_.data()); }
  const int8_t* i8() const { return reinterpret_cast<const int8_t*>(data_.data()); }

  FactorEncoding encoding_ = FactorEncoding::kF32;
  int32_t rows_ = 0, k_ = 0;
  AlignedBytes data_;           // n·k values (f32, f16 or int8)
  std::vector<float> scales_;   // kInt8: n
};

/// IEEE binary16 conversions (round to nearest even; exact for every f16 value).
uint16_t FloatToHalf(float f);
float HalfToFloat(uint16_t h);

}  // namespace pathlight
