#include "pathlight/bundle.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "pathlight/als.h"
#include "pathlight/sha256.h"
#include "test_util.h"

namespace pathlight {
namespace {

using nlohmann::json;

Bundle SmallBundle(FactorEncoding encoding = FactorEncoding::kF32) {
  auto cat = Catalog::Parse(R"({"concepts": [{"id": "a"}, {"id": "b", "prerequisites": ["a"]}],
      "items": [{"id": "x", "teaches": ["a"], "price": 5}, {"id": "y", "teaches": ["b"]},
                {"id": "z", "kind": "ebook", "teaches": ["a", "b"]}]})", "test");
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  ModelInfo info;
  info.dataset = "test";
  info.regularization = 0.1f;
  info.alpha = 20.f;
  auto b = AssembleBundle(*cat, testing::RandomMatrix(3, 4, 1), Vector(), info, encoding);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return std::move(b).value();
}

TEST(BundleTest, RoundTripsExactly) {
  std::string manifest;
  auto parts = EncodeBundle(SmallBundle(), &manifest);
  ASSERT_TRUE(parts.ok());
  auto b = DecodeBundle(manifest, *parts);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  const Bundle ref = SmallBundle();
  EXPECT_EQ(b->item_factors.Dequantized(), ref.item_factors.Dequantized());
  EXPECT_EQ(b->gram, ref.gram);
  EXPECT_EQ(b->concept_vectors, ref.concept_vectors);
  EXPECT_FLOAT_EQ(b->info.alpha, 20.f);
  EXPECT_EQ(b->catalog.num_items(), 3);
  // Concept vector of "a" = mean of the factors of x and z.
  const RowMatrix y = ref.item_factors.Dequantized();
  EXPECT_TRUE(b->concept_vectors.row(0).isApprox((y.row(0) + y.row(2)) / 2));
}

TEST(BundleTest, QuantizedEncodingsRoundTrip) {
  for (FactorEncoding e : {FactorEncoding::kF16, FactorEncoding::kInt8}) {
    std::string manifest;
    const Bundle ref = SmallBundle(e);
    auto parts = EncodeBundle(ref, &manifest);
    ASSERT_TRUE(parts.ok());
    auto b = DecodeBundle(manifest, *parts);
    ASSERT_TRUE(b.ok()) << FactorEncodingName(e) << ": " << b.status().ToString();
    EXPECT_EQ(b->item_factors.encoding(), e);
    EXPECT_EQ(b->item_factors.Dequantized(), ref.item_factors.Dequantized());
    // The Gram matrix is of the encoded factors, so fold-in and scoring agree on the device.
    const RowMatrix y = ref.item_factors.Dequantized();
    EXPECT_TRUE(b->gram.isApprox(y.transpose() * y, 1e-5f));
  }
}

TEST(BundleTest, DirectoryRoundTripAndPin) {
  const std::string dir = testing::TempDir("bundle-dir");
  auto sha = WriteBundleDir(SmallBundle(), dir);
  ASSERT_TRUE(sha.ok());
  std::ifstream in(dir + "/manifest.json", std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(*sha, Sha256Hex(ss.str()));
  EXPECT_TRUE(ReadBundleDir(dir).ok());
}

struct Damage {
  const char* name;
  ErrorCode code;
};

TEST(BundleTest, DamagedBundlesGiveSpecificErrors) {
  std::string manifest;
  const BundleParts good = *EncodeBundle(SmallBundle(), &manifest);
  const json m = json::parse(manifest);
  auto decode = [&](const json& man, const BundleParts& p) { return DecodeBundle(man.dump(), p).status().code(); };

  BundleParts p = good;
  p["item_factors.f32"][5] ^= 0x10;  // bit flip
  EXPECT_EQ(decode(m, p), ErrorCode::kChecksumMismatch);

  p = good;
  p["gram.f32"].resize(p["gram.f32"].size() - 4);  // truncated part
  EXPECT_EQ(decode(m, p), ErrorCode::kCorruptBundle);

  p = good;
  p.erase("catalog.json");
  EXPECT_EQ(decode(m, p), ErrorCode::kIoError);

  json v = m;
  v["version"] = 99;
  EXPECT_EQ(decode(v, good), ErrorCode::kUnsupportedVersion);

  json lying = m;
  lying["counts"]["items"] = 4;  // shapes no longer agree
  EXPECT_EQ(decode(lying, good), ErrorCode::kCorruptBundle);

  json huge = m;
  huge["counts"]["items"] = uint64_t{1} << 40;
  EXPECT_EQ(decode(huge, good), ErrorCode::kLimitExceeded);

  EXPECT_EQ(DecodeBundle("{not json", good).status().code(), ErrorCode::kParseError);
  EXPECT_EQ(DecodeBundle(manifest.substr(0, manifest.size() / 2), good).status().code(), ErrorCode::kParseError);

  // A NaN factor with a consistent checksum is still refused.
  p = good;
  const float nan = std::nanf("");
  std::memcpy(p["item_factors.f32"].data(), &nan, 4);
  json resigned = m;
  resigned["parts"]["item_factors"]["sha256"] = Sha256Hex(p["item_factors.f32"]);
  EXPECT_EQ(decode(resigned, p), ErrorCode::kNotFinite);

  // A cyclic catalog with a consistent checksum is refused with the cycle named.
  p = good;
  json cat = json::parse(p["catalog.json"]);
  cat["concepts"][0]["prerequisites"] = {"b"};
  p["catalog.json"] = cat.dump();
  resigned = m;
  resigned["parts"]["catalog"]["sha256"] = Sha256Hex(p["catalog.json"]);
  resigned["parts"]["catalog"]["bytes"] = p["catalog.json"].size();
  EXPECT_EQ(decode(resigned, p), ErrorCode::kCycle);
}

TEST(BundleTest, RefusesToWriteNonFiniteNumbers) {
  auto cat = Catalog::Parse(R"({"concepts": [], "items": [{"id": "x"}, {"id": "y"}]})", "t");
  RowMatrix y = testing::RandomMatrix(2, 3, 1);
  y(1, 2) = INFINITY;
  EXPECT_EQ(AssembleBundle(*cat, y, Vector(), {}, FactorEncoding::kF32).status().code(), ErrorCode::kNotFinite);
  Bundle b = SmallBundle();
  b.item_bias[1] = std::nanf("");
  std::string manifest;
  EXPECT_EQ(EncodeBundle(b, &manifest).status().code(), ErrorCode::kNotFinite);
}

}  // namespace
}  // namespace pathlight
