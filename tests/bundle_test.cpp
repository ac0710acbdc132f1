#include "pathlight/bundle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <map>
#include <limits>
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

// The files of a folder, name → bytes.
std::map<std::string, std::string> FolderFiles(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out[e.path().filename().string()] = ss.str();
  }
  return out;
}

TEST(BundleTest, Regression_ABundleThatWouldNotLoadIsNeverWrittenOverAGoodOne) {
  // `pathlight train --out D` over a working bundle wrote a bundle the reader refuses (here:
  // 1,025 factors, over the reader's limit of 1,024), and D no longer loaded.
  const std::string dir = testing::TempDir("bundle-kept");
  ASSERT_TRUE(WriteBundleDir(SmallBundle(), dir).ok());
  const auto before = FolderFiles(dir);
  ModelInfo info;
  info.dataset = "test";
  auto wide = AssembleBundle(SmallBundle().catalog, testing::RandomMatrix(3, 1025, 2), Vector(), info, FactorEncoding::kF32);
  ASSERT_TRUE(wide.ok()) << wide.status().ToString();
  auto sha = WriteBundleDir(*wide, dir);
  ASSERT_FALSE(sha.ok());
  EXPECT_EQ(sha.status().code(), ErrorCode::kLimitExceeded) << sha.status().ToString();
  EXPECT_NE(sha.status().message().find("would not load, so nothing was written"), std::string::npos) << sha.status().ToString();
  EXPECT_EQ(FolderFiles(dir), before);
  EXPECT_TRUE(ReadBundleDir(dir).ok());
}

TEST(BundleTest, Regression_AFailedWriteLeavesTheEarlierBundleAsItWas) {
  // A write that fails part-way (here: one file's temporary name is taken by a folder) removes
  // what it wrote; the earlier bundle's files are unchanged and it still loads.
  const std::string dir = testing::TempDir("bundle-failed-write");
  ASSERT_TRUE(WriteBundleDir(SmallBundle(), dir).ok());
  const auto before = FolderFiles(dir);
  const Bundle other = SmallBundle(FactorEncoding::kInt8);
  auto files = EncodeBundleFiles(other);
  ASSERT_TRUE(files.ok());
  const std::string blocked = std::prev(files->end())->first;  // the last name written
  std::filesystem::create_directory(dir + "/" + blocked + ".tmp-pathlight");
  const Status st = WriteBundleFiles(dir, *files);
  EXPECT_EQ(st.code(), ErrorCode::kIoError) << st.ToString();
  EXPECT_NE(st.message().find(blocked + ".tmp-pathlight"), std::string::npos) << st.ToString();
  EXPECT_EQ(FolderFiles(dir), before);
  for (const auto& [file, bytes] : *files)
    if (file != blocked) EXPECT_FALSE(std::filesystem::exists(dir + "/" + file + ".tmp-pathlight")) << file;
  EXPECT_TRUE(ReadBundleDir(dir).ok());
  // Once the name is free, the same files are written and read back.
  std::filesystem::remove(dir + "/" + blocked + ".tmp-pathlight");
  ASSERT_TRUE(WriteBundleFiles(dir, *files).ok());
  auto b = ReadBundleDir(dir);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->item_factors.encoding(), FactorEncoding::kInt8);
  // A run killed before its renames left temporaries; they were never removed, and a published
  // folder carried them (helper-40: 50 after 100 kills). The next successful write removes them.
  std::ofstream(dir + "/manifest.json.tmp-pathlight") << "{";
  std::ofstream(dir + "/" + blocked + ".tmp-pathlight") << "x";
  ASSERT_TRUE(WriteBundleFiles(dir, *files).ok());
  for (const auto& [name, bytes] : FolderFiles(dir)) EXPECT_EQ(name.find(".tmp-pathlight"), std::string::npos) << name;
}

TEST(BundleTest, Regression_AManifestOfGigabytesIsRefusedBeforeItIsRead) {
  // A 1.2 GB manifest.json was read whole and parsed: std::bad_alloc (abort) under a 2 GB limit.
  // A sparse file of 64 MiB + 1 byte: its size is refused before any of it is read.
  const std::string dir = testing::TempDir("bundle-huge-manifest");
  std::ofstream(dir + "/manifest.json").close();
  std::filesystem::resize_file(dir + "/manifest.json", (uintmax_t{64} << 20) + 1);
  auto b = ReadBundleDir(dir);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), ErrorCode::kLimitExceeded) << b.status().ToString();
  EXPECT_NE(b.status().message().find("manifest.json is 67108865 bytes (at most 64 MiB)"), std::string::npos) << b.status().ToString();
  EXPECT_EQ(BundleDecoder::Begin(std::string((size_t{64} << 20) + 1, ' ')).status().code(), ErrorCode::kLimitExceeded);
}

TEST(BundleTest, Regression_ACompressedFormAnEarlierWriteLeftIsRemoved) {
  // Retraining with --layout plain into a published folder left manifest.json.gz and .br of the
  // earlier bundle beside the new manifest.json: a server's gzip_static sent the old one.
  const std::string dir = testing::TempDir("bundle-stale-compressed");
  auto files = EncodeBundleFiles(SmallBundle());
  ASSERT_TRUE(files.ok());
  BundleParts with_gz = *files;
  with_gz["manifest.json.gz"] = "earlier";
  ASSERT_TRUE(WriteBundleFiles(dir, with_gz).ok());
  std::ofstream(dir + "/operators-notes.txt") << "kept";
  ASSERT_TRUE(WriteBundleFiles(dir, *files).ok());
  EXPECT_FALSE(std::filesystem::exists(dir + "/manifest.json.gz"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/operators-notes.txt"));  // not a compressed form of a written file
  EXPECT_TRUE(ReadBundleDir(dir).ok());
}

struct Damage {
  const char* name;
  ErrorCode code;
};

TEST(BundleTest, DamagedBundlesGiveSpecificErrors) {
  std::string manifest;
  const BundleParts good = *EncodeBundle(SmallBundle(), &manifest, CatalogEncoding::kJson);  // edited as text below
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

// The WebAssembly engine's host passes each part's SHA-256 computed with WebCrypto: the decoder then
// compares that digest instead of hashing, so a wrong one must fail exactly as a damaged part does.
TEST(BundleTest, DigestsFromTheHostAreCheckedAgainstTheManifest) {
  std::string manifest;
  const BundleParts good = *EncodeBundle(SmallBundle(), &manifest);
  for (bool honest : {true, false}) {
    auto decoder = BundleDecoder::Begin(manifest);
    ASSERT_TRUE(decoder.ok());
    for (const std::string& f : decoder->files()) {
      const std::string& bytes = good.at(f);
      std::string digest = Sha256Hex(bytes);
      if (!honest && f == "gram.f32") digest[0] = digest[0] == '0' ? '1' : '0';
      decoder->AddPart(f, bytes.size(), [&bytes](uint64_t at, char* out, size_t cap) {
        const size_t n = std::min<size_t>(cap, bytes.size() - at);
        std::memcpy(out, bytes.data() + at, n);
        return n;
      }, digest);
    }
    const StatusOr<Bundle> b = std::move(*decoder).Finish();
    if (honest) {
      ASSERT_TRUE(b.ok()) << b.status().ToString();
      EXPECT_EQ(b->catalog.ToJson(), SmallBundle().catalog.ToJson());
      EXPECT_EQ(b->gram, SmallBundle().gram);
    } else {
      EXPECT_EQ(b.status().code(), ErrorCode::kChecksumMismatch);
      EXPECT_NE(b.status().message().find("gram.f32"), std::string::npos) << b.status().message();
    }
  }
}

// The WebAssembly engine adds parts in the order their downloads finish. Whatever that order, the
// answer (bundle or error, message included) must be DecodeBundle's: the first failure in the
// parts' verification order, then in decoding order. Bundles with two damaged parts pin this.
TEST(BundleTest, PartOrderDoesNotChangeTheAnswer) {
  std::string manifest;
  const BundleParts good = *EncodeBundle(SmallBundle(FactorEncoding::kInt8), &manifest, CatalogEncoding::kJson);
  const json m = json::parse(manifest);
  auto resign = [&](json* man, const BundleParts& p, const char* part, const std::string& file) {
    (*man)["parts"][part]["sha256"] = Sha256Hex(p.at(file));
    (*man)["parts"][part]["bytes"] = p.at(file).size();
  };
  std::vector<std::pair<std::string, BundleParts>> cases;
  cases.emplace_back(manifest, good);
  {  // a checksum failure in item_bias and a re-signed cyclic catalog: the catalog's verification
     // passes, so the checksum failure wins over its (later, decoding) error.
    BundleParts p = good;
    p["item_bias.f32"][0] ^= 1;
    json cat = json::parse(p["catalog.json"]);
    cat["concepts"][0]["prerequisites"] = {"b"};
    p["catalog.json"] = cat.dump();
    json man = m;
    resign(&man, p, "catalog", "catalog.json");
    cases.emplace_back(man.dump(), p);
  }
  {  // truncated gram and a bit flip in the factors: item_factors comes first
    BundleParts p = good;
    p["gram.f32"].resize(8);
    p["item_factors.i8"][1] ^= 4;
    cases.emplace_back(manifest, p);
  }
  {  // a NaN scale (re-signed) and a missing popularity file: the missing file is a verification failure
    BundleParts p = good;
    const float nan = std::nanf("");
    std::memcpy(p["item_factor_scales.f32"].data(), &nan, 4);
    p.erase("item_popularity.f32");
    json man = m;
    resign(&man, p, "item_factor_scales", "item_factor_scales.f32");
    cases.emplace_back(man.dump(), p);
  }
  {  // two decoding failures, both re-signed: a non-finite bias and a catalog naming an unknown concept
    BundleParts p = good;
    const float inf = std::numeric_limits<float>::infinity();
    std::memcpy(p["item_bias.f32"].data(), &inf, 4);
    json cat = json::parse(p["catalog.json"]);
    cat["items"][1]["teaches"] = {"nope"};
    p["catalog.json"] = cat.dump();
    json man = m;
    resign(&man, p, "item_bias", "item_bias.f32");
    resign(&man, p, "catalog", "catalog.json");
    cases.emplace_back(man.dump(), p);
  }
  for (const auto& [man, parts] : cases) {
    const StatusOr<Bundle> reference = DecodeBundle(man, parts);
    auto decoder = BundleDecoder::Begin(man);
    ASSERT_TRUE(decoder.ok());
    std::vector<std::string> files = decoder->files();
    // catalog, factors, scales, bias, popularity, gram; format v2 leaves out concept vectors that
    // equal ConceptVectors(catalog, factors) (the reader computes them).
    EXPECT_EQ(files.size(), 6u);
    EXPECT_FALSE(json::parse(man)["parts"].contains("concept_vectors"));
    std::reverse(files.begin(), files.end());
    for (const std::string& f : files)
      if (auto it = parts.find(f); it != parts.end()) decoder->AddPart(f, std::string_view(it->second));
    const StatusOr<Bundle> reversed = std::move(*decoder).Finish();
    EXPECT_EQ(reversed.status().ToString(), reference.status().ToString());
    if (reference.ok() && reversed.ok()) {
      EXPECT_EQ(reversed->item_factors.Dequantized(), reference->item_factors.Dequantized());
      EXPECT_EQ(reversed->item_bias, reference->item_bias);
      EXPECT_EQ(reversed->catalog.ToJson(), reference->catalog.ToJson());
    }
  }
  EXPECT_EQ(DecodeBundle(cases[1].first, cases[1].second).status().code(), ErrorCode::kChecksumMismatch);
  EXPECT_EQ(DecodeBundle(cases[2].first, cases[2].second).status().message().find("item_factors"), 6u);
  EXPECT_EQ(DecodeBundle(cases[3].first, cases[3].second).status().code(), ErrorCode::kIoError);
  EXPECT_EQ(DecodeBundle(cases[4].first, cases[4].second).status().code(), ErrorCode::kUnknownId);
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
