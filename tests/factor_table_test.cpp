#include "pathlight/factor_table.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "test_util.h"

namespace pathlight {
namespace {

TEST(HalfTest, EveryFiniteHalfRoundTripsExactly) {
  for (uint32_t h = 0; h < 65536; ++h) {
    if ((h & 0x7c00u) == 0x7c00u) continue;  // Inf/NaN
    const float f = HalfToFloat(static_cast<uint16_t>(h));
    EXPECT_EQ(FloatToHalf(f), h) << "half 0x" << std::hex << h << " = " << f;
  }
}

TEST(HalfTest, KnownValuesAndRounding) {
  EXPECT_EQ(FloatToHalf(1.f), 0x3c00);
  EXPECT_EQ(FloatToHalf(-2.f), 0xc000);
  EXPECT_EQ(FloatToHalf(65504.f), 0x7bff);                 // largest half
  EXPECT_EQ(FloatToHalf(65520.f), 0x7c00);                 // rounds up to Inf
  EXPECT_EQ(FloatToHalf(std::ldexp(1.f, -24)), 0x0001);    // smallest subnormal
  EXPECT_EQ(FloatToHalf(1.f + std::ldexp(1.f, -11)), 0x3c00);  // tie → even (down)
  EXPECT_EQ(FloatToHalf(1.f + 3 * std::ldexp(1.f, -11)), 0x3c02);  // tie → even (up)
  EXPECT_FLOAT_EQ(HalfToFloat(0x3555), 0.333251953125f);
}

TEST(FactorTableTest, Int8ErrorIsBoundedByHalfAStep) {
  const RowMatrix y = testing::RandomMatrix(200, 64, 3);
  const FactorTable t = FactorTable::Encode(y, FactorEncoding::kInt8);
  const RowMatrix yh = t.Dequantized();
  for (int i = 0; i < 200; ++i) {
    const float step = y.row(i).cwiseAbs().maxCoeff() / 127.f;
    EXPECT_LE((yh.row(i) - y.row(i)).cwiseAbs().maxCoeff(), 0.5f * step * 1.0001f) << "row " << i;
  }
  EXPECT_EQ(t.MemoryBytes(), 200u * 64 + 200u * 4);
}

TEST(FactorTableTest, ScoreEqualsDequantizedProductForEveryEncoding) {
  const RowMatrix y = testing::RandomMatrix(103, 24, 5);
  const Vector u = testing::RandomMatrix(24, 1, 6).col(0);
  const Vector bias = testing::RandomMatrix(103, 1, 7).col(0);
  for (FactorEncoding e : {FactorEncoding::kF32, FactorEncoding::kF16, FactorEncoding::kInt8}) {
    const FactorTable t = FactorTable::Encode(y, e);
    std::vector<float> s(103);
    t.Score(u.data(), bias.data(), s.data());
    const RowMatrix yh = t.Dequantized();
    const Vector ref = yh * u + bias;
    // int8 also quantizes the learner vector (topk.h): at most Σ_d |ŷ_id|·max|u|·(1/2 + 2⁻⁹)/32767.
    const double learner = e == FactorEncoding::kInt8 ? u.cwiseAbs().maxCoeff() * (0.5 + 1.0 / 512) / 32767 : 0.0;
    for (int i = 0; i < 103; ++i)
      EXPECT_NEAR(s[i], ref[i], 1e-4 + yh.row(i).cwiseAbs().sum() * learner) << FactorEncodingName(e) << " row " << i;
  }
}

TEST(FactorTableTest, DecodeRejectsBadSizesAndNonFinite) {
  const FactorTable t = FactorTable::Encode(testing::RandomMatrix(4, 3, 1), FactorEncoding::kInt8);
  EXPECT_TRUE(FactorTable::Decode(FactorEncoding::kInt8, 4, 3, t.DataBytes(), t.ScaleBytes()).ok());
  EXPECT_EQ(FactorTable::Decode(FactorEncoding::kInt8, 4, 3, t.DataBytes(), "").status().code(), ErrorCode::kCorruptBundle);
  EXPECT_EQ(FactorTable::Decode(FactorEncoding::kF16, 4, 3, t.DataBytes(), "").status().code(), ErrorCode::kCorruptBundle);
  std::string scales = t.ScaleBytes();
  const float inf = INFINITY;
  std::memcpy(scales.data() + 4, &inf, 4);
  EXPECT_EQ(FactorTable::Decode(FactorEncoding::kInt8, 4, 3, t.DataBytes(), scales).status().code(), ErrorCode::kNotFinite);
  std::string halfs(4 * 3 * 2, '\0');
  halfs[5] = static_cast<char>(0x7c);  // element 2 = +Inf
  EXPECT_EQ(FactorTable::Decode(FactorEncoding::kF16, 4, 3, halfs, "").status().code(), ErrorCode::kNotFinite);
}

}  // namespace
}  // namespace pathlight

// Factor rows must not start at an address 8 mod 16 (Emscripten's malloc alignment): there a
// 16-byte SIMD load straddles two cache lines one time in four.
TEST(AlignedBytesTest, StartsOn64ByteBoundariesWhateverWasAllocatedBefore) {
  std::vector<std::unique_ptr<char[]>> noise;
  for (size_t n : {1u, 7u, 24u, 100u, 4096u + 8u, 25600000u}) {
    noise.emplace_back(new char[n % 37 + 1]);
    pathlight::AlignedBytes b(n);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % pathlight::AlignedBytes::kAlignment, 0u) << n;
    EXPECT_EQ(b.size(), n);
    EXPECT_EQ(b.data()[n - 1], 0);  // zeroed
    pathlight::AlignedBytes copy = b;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(copy.data()) % pathlight::AlignedBytes::kAlignment, 0u) << n;
    EXPECT_EQ(copy.view(), b.view());
  }
}
