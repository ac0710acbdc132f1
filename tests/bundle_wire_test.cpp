// Bundle format version 2 on the wire (docs/bundle-format.md): content-addressed shards, the
// concept vectors computed by the reader, catalog changes and `pathlight bundle update`, the factor
// encoding chosen by measured top-100 overlap, and the batched "because" shares.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>

#include "pathlight/bundle.h"
#include "pathlight/recommender.h"
#include "pathlight/sha256.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/evaluate.h"
#include "pathlight/trainer/publish.h"
#include "test_util.h"

namespace pathlight {
namespace {

using nlohmann::json;

// A catalog of `n` courses over 6 concepts with random factors: big enough for several shards.
Bundle WideBundle(int n, FactorEncoding enc, uint64_t seed = 5) {
  json doc = {{"concepts", json::array()}, {"items", json::array()}};
  for (int c = 0; c < 6; ++c) doc["concepts"].push_back({{"id", "c" + std::to_string(c)}});
  for (int i = 0; i < n; ++i)
    doc["items"].push_back({{"id", "i" + std::to_string(i)}, {"title", "Course number " + std::to_string(i)},
                            {"price", i % 50}, {"teaches", {"c" + std::to_string(i % 6)}}});
  auto cat = Catalog::FromJson(doc, "wide");
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  ModelInfo info;
  info.regularization = 0.5f;
  info.alpha = 10.f;
  auto b = AssembleBundle(std::move(cat).value(), testing::RandomMatrix(n, 16, seed, 0.5f), Vector(), info, enc);
  EXPECT_TRUE(b.ok());
  return std::move(b).value();
}

BundleLayout Small() {  // small shards, so that a test bundle has many
  BundleLayout l;
  l.sharded = true;
  l.min_shard = 256;
  l.max_shard = 4096;
  l.shard_mask = (1u << 10) - 1;
  return l;
}

TEST(BundleWireTest, ShardedBundleDecodesToTheSameBundle) {
  for (FactorEncoding enc : {FactorEncoding::kF32, FactorEncoding::kInt8}) {
    const Bundle b = WideBundle(600, enc);
    std::string plain_manifest, sharded_manifest;
    auto plain = EncodeBundle(b, &plain_manifest);
    auto sharded = EncodeBundle(b, &sharded_manifest, CatalogEncoding::kBinary, Small());
    ASSERT_TRUE(plain.ok() && sharded.ok());
    const json m = json::parse(sharded_manifest);
    EXPECT_EQ(m["version"], 2);
    EXPECT_GT(m["parts"]["item_factors"]["shards"].size(), 2u);
    // Content-addressed: every shard's file is its SHA-256 and a dtype.
    for (const auto& [name, part] : m["parts"].items())
      for (const json& sh : part["shards"]) {
        const std::string& bytes = sharded->at(sh["file"].get<std::string>());
        EXPECT_EQ(sh["file"].get<std::string>().substr(0, 64), Sha256Hex(bytes));
        EXPECT_EQ(sh["sha256"], Sha256Hex(bytes));
      }
    // The concept vectors equal ConceptVectors of the encoded factors: left out, and recomputed.
    EXPECT_FALSE(m["parts"].contains("concept_vectors"));
    auto x = DecodeBundle(plain_manifest, *plain), y = DecodeBundle(sharded_manifest, *sharded);
    ASSERT_TRUE(x.ok()) << x.status().ToString();
    ASSERT_TRUE(y.ok()) << y.status().ToString();
    EXPECT_EQ(y->item_factors.DataBytes(), b.item_factors.DataBytes());
    EXPECT_EQ(y->item_factors.ScaleBytes(), b.item_factors.ScaleBytes());
    EXPECT_EQ(y->catalog.ToBinary(), b.catalog.ToBinary());
    ASSERT_EQ(y->concept_vectors.size(), b.concept_vectors.size());
    EXPECT_EQ(std::memcmp(y->concept_vectors.data(), b.concept_vectors.data(), sizeof(float) * b.concept_vectors.size()), 0);
    EXPECT_EQ(x->gram, y->gram);
  }
}

TEST(BundleWireTest, HandMadeConceptVectorsAreWritten) {
  Bundle b = WideBundle(50, FactorEncoding::kF32);
  b.concept_vectors(0, 0) += 1.f;  // not what the reader would compute
  std::string manifest;
  auto parts = EncodeBundle(b, &manifest);
  ASSERT_TRUE(parts.ok());
  EXPECT_TRUE(json::parse(manifest)["parts"].contains("concept_vectors"));
  auto back = DecodeBundle(manifest, *parts);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->concept_vectors, b.concept_vectors);
}

TEST(BundleWireTest, AnInsertionChangesOnlyTheShardsAroundIt) {
  std::string bytes;
  uint64_t x = 1;
  for (int i = 0; i < 400000; ++i) bytes.push_back(static_cast<char>((x = x * 6364136223846793005ull + 1) >> 56));
  BundleLayout l;
  l.sharded = true;
  auto shards = [&](const std::string& s) {
    std::set<std::string> out;
    size_t at = 0;
    std::vector<size_t> cuts = ShardCuts(s, l);
    cuts.push_back(s.size());
    for (size_t c : cuts) {
      EXPECT_GE(c - at, c == s.size() ? size_t{1} : l.min_shard);
      EXPECT_LE(c - at, l.max_shard);
      out.insert(Sha256Hex(s.substr(at, c - at)));
      at = c;
    }
    return out;
  };
  const std::set<std::string> before = shards(bytes);
  std::string edited = bytes;
  edited.insert(200000, "an inserted record");
  const std::set<std::string> after = shards(edited);
  size_t fresh = 0;
  for (const std::string& s : after) fresh += before.count(s) == 0;
  EXPECT_GE(before.size(), 8u);
  EXPECT_LE(fresh, 2u) << "of " << after.size() << " shards";
}

// The files of `parts` minus every part's whole file that is not also its only shard: what a
// reader holds when it assembles the parts from shards.
BundleParts ShardsOnly(const std::string& manifest, const BundleParts& parts) {
  BundleParts out = parts;
  const json m = json::parse(manifest);
  for (const auto& [name, part] : m["parts"].items())
    if (part["shards"].size() > 1) out.erase(part["file"].get<std::string>());
  return out;
}

TEST(BundleWireTest, WholePartsAndShardsDecodeAlike) {
  const Bundle b = WideBundle(600, FactorEncoding::kInt8);
  std::string manifest;
  auto parts = EncodeBundle(b, &manifest, CatalogEncoding::kBinary, Small());
  ASSERT_TRUE(parts.ok());
  const json m = json::parse(manifest);
  auto decoder = BundleDecoder::Begin(manifest);
  ASSERT_TRUE(decoder.ok());
  // files(): one whole file per part (its SHA-256 and dtype), the concatenation of its shards.
  std::vector<std::string> files = decoder->files();
  std::set<std::string> distinct;  // parts of equal bytes (here bias and popularity, all zero) share a file
  for (const auto& [name, part] : m["parts"].items()) distinct.insert(part["file"].get<std::string>());
  ASSERT_EQ(files.size(), distinct.size());
  size_t many = 0;
  for (const auto& [name, part] : m["parts"].items()) {
    const std::string whole = part["file"];
    ASSERT_TRUE(parts->count(whole)) << name;
    EXPECT_EQ(whole.substr(0, 64), Sha256Hex(parts->at(whole)));
    EXPECT_EQ(part["sha256"], Sha256Hex(parts->at(whole)));
    std::string joined;
    for (const json& sh : part["shards"]) joined += parts->at(sh["file"].get<std::string>());
    EXPECT_EQ(joined, parts->at(whole)) << name;
    EXPECT_NE(std::find(files.begin(), files.end(), whole), files.end()) << name;
    many += part["shards"].size() > 1;
  }
  EXPECT_GE(many, 2u);
  EXPECT_GT(decoder->shard_files().size(), files.size());
  // Whole files only, shards only, or a mix (the factors whole, the rest from shards).
  BundleParts wholes;
  for (const std::string& f : files) wholes[f] = parts->at(f);
  BundleParts mixed = ShardsOnly(manifest, *parts);
  const std::string factors = m["parts"]["item_factors"]["file"];
  mixed[factors] = parts->at(factors);
  for (const BundleParts* held : {&wholes, &mixed}) {
    auto got = DecodeBundle(manifest, *held);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->item_factors.DataBytes(), b.item_factors.DataBytes());
    EXPECT_EQ(got->item_factors.ScaleBytes(), b.item_factors.ScaleBytes());
    EXPECT_EQ(got->catalog.ToBinary(), b.catalog.ToBinary());
  }
  auto from_shards = DecodeBundle(manifest, ShardsOnly(manifest, *parts));
  ASSERT_TRUE(from_shards.ok()) << from_shards.status().ToString();
  EXPECT_EQ(from_shards->item_factors.DataBytes(), b.item_factors.DataBytes());
  // A damaged whole file is refused by its own SHA-256, naming it; a missing one is io_error.
  BundleParts flipped = wholes;
  flipped[factors][3] ^= 1;
  Status st = DecodeBundle(manifest, flipped).status();
  EXPECT_EQ(st.code(), ErrorCode::kChecksumMismatch);
  EXPECT_NE(st.message().find(factors), std::string::npos) << st.message();
  BundleParts none = wholes;
  none.erase(factors);
  st = DecodeBundle(manifest, none).status();
  EXPECT_EQ(st.code(), ErrorCode::kIoError);
  EXPECT_NE(st.message().find(factors), std::string::npos) << st.message();
  // A sharded entry names both file and sha256, or neither.
  json half = m;
  half["parts"]["gram"].erase("sha256");
  EXPECT_EQ(BundleDecoder::Begin(half.dump())->files().size(), files.size() - 1);
  EXPECT_EQ(DecodeBundle(half.dump(), *parts).status().code(), ErrorCode::kParseError);
}

// A 600-item int8 bundle in small shards: its manifest and its shard files only (no whole parts).
void ShardedOnly(std::string* manifest, std::optional<BundleParts>* parts) {
  auto whole = EncodeBundle(WideBundle(600, FactorEncoding::kInt8), manifest, CatalogEncoding::kBinary, Small());
  ASSERT_TRUE(whole.ok());
  *parts = ShardsOnly(*manifest, *whole);
  ASSERT_TRUE(parts->has_value());
}

TEST(BundleWireTest, DamagedOrMissingShardsAreRefused) {
  std::string manifest;
  std::optional<BundleParts> parts;
  ASSERT_NO_FATAL_FAILURE(ShardedOnly(&manifest, &parts));
  const std::string shard = json::parse(manifest)["parts"]["item_factors"]["shards"][1]["file"];
  BundleParts flipped = *parts;
  flipped[shard][7] ^= 1;
  EXPECT_EQ(DecodeBundle(manifest, flipped).status().code(), ErrorCode::kChecksumMismatch);
  BundleParts cut = *parts;
  cut[shard].pop_back();
  EXPECT_EQ(DecodeBundle(manifest, cut).status().code(), ErrorCode::kCorruptBundle);
  BundleParts missing = *parts;
  missing.erase(shard);
  const Status st = DecodeBundle(manifest, missing).status();
  EXPECT_EQ(st.code(), ErrorCode::kIoError);
  EXPECT_NE(st.message().find(shard), std::string::npos) << st.message();
}

// A shard entry of the manifest that is not {file, bytes, sha256}, names no plain file, or does
// not fit the part: refused, naming the part and the shard (read in place; its message is built
// only then).
TEST(BundleWireTest, AMalformedShardEntryIsRefusedNamingPartAndShard) {
  std::string manifest;
  std::optional<BundleParts> parts;
  ASSERT_NO_FATAL_FAILURE(ShardedOnly(&manifest, &parts));
  ASSERT_TRUE(DecodeBundle(manifest, *parts).ok());
  const auto refusal = [&](const std::function<void(json&)>& edit) {
    json m = json::parse(manifest);
    edit(m["parts"]["item_factors"]["shards"][2]);
    return DecodeBundle(m.dump(), *parts).status();
  };
  const std::string at = "part \"item_factors\": shard 2: ";
  for (const char* key : {"file", "bytes", "sha256"}) {
    const Status st = refusal([key](json& sh) { sh.erase(key); });
    EXPECT_EQ(st.code(), ErrorCode::kParseError) << key;
    EXPECT_NE(st.message().find(at + "expected {file (string), bytes (unsigned), sha256 (string)}"), std::string::npos) << st.message();
  }
  Status st = refusal([](json& sh) { sh["bytes"] = -4; });
  EXPECT_EQ(st.code(), ErrorCode::kParseError) << st.message();
  st = refusal([](json& sh) { sh = "not an object"; });
  EXPECT_NE(st.message().find(at + "expected {file"), std::string::npos) << st.message();
  st = refusal([](json& sh) { sh["file"] = "../escape.bin"; });
  EXPECT_EQ(st.code(), ErrorCode::kCorruptBundle);
  EXPECT_NE(st.message().find(at + "file name \"../escape.bin\" is not a plain file name"), std::string::npos) << st.message();
  st = refusal([](json& sh) { sh["bytes"] = 0; });
  EXPECT_EQ(st.code(), ErrorCode::kCorruptBundle);
  EXPECT_NE(st.message().find(at + "its bytes (0) do not fit"), std::string::npos) << st.message();
}

TEST(BundleWireTest, VersionOneIsReadAndVersionThreeRefused) {
  Bundle b = WideBundle(20, FactorEncoding::kF32);
  b.concept_vectors(1, 1) += 0.5f;  // a v1 manifest lists the part
  std::string manifest;
  auto parts = EncodeBundle(b, &manifest);
  ASSERT_TRUE(parts.ok());
  json m = json::parse(manifest);
  m["version"] = 1;
  auto v1 = DecodeBundle(m.dump(), *parts);
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_EQ(v1->info.format_version, 1);
  m["version"] = 3;
  const Status st = DecodeBundle(m.dump(), *parts).status();
  EXPECT_EQ(st.code(), ErrorCode::kUnsupportedVersion);
  EXPECT_NE(st.message().find("versions 1 and 2"), std::string::npos) << st.message();
}

TEST(BundleWireTest, CatalogChangesKeepOrderAndCheckIds) {
  const Bundle b = WideBundle(10, FactorEncoding::kF32);
  const json changes = {{"items", {{{"id", "new"}, {"title", "A new course"}, {"teaches", {"c1"}}, {"price", 3}},
                                   {{"id", "i4"}, {"title", "Renamed"}, {"price", 99}, {"teaches", {"c4"}}}}},
                        {"retired", {"i2"}}};
  auto c = ApplyCatalogChanges(b.catalog, changes, "changes");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->num_items(), 10);
  EXPECT_EQ(c->item(ItemIndex(2)).id, "i3");        // i2 retired: later items move up
  EXPECT_EQ(c->item(ItemIndex(3)).id, "i4");        // a changed item keeps its place
  EXPECT_EQ(c->item(ItemIndex(3)).price, 99);
  EXPECT_EQ(c->item(ItemIndex(9)).id, "new");       // added last
  EXPECT_FALSE(c->FindItem("i2"));
  EXPECT_EQ(ApplyCatalogChanges(b.catalog, {{"retired", {"nope"}}}, "x").status().code(), ErrorCode::kUnknownId);
  EXPECT_EQ(ApplyCatalogChanges(b.catalog, {{"retired", {"i1", "i1"}}}, "x").status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ApplyCatalogChanges(b.catalog, {{"items", {{{"id", "i1"}}}}, {"retired", {"i1"}}}, "x").status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ApplyCatalogChanges(b.catalog, {{"itmes", json::array()}}, "x").status().code(), ErrorCode::kParseError);
}

// ---- the encoding chosen by measurement -----------------------------------------------------

TEST(BundleWireTest, EncodingFallsBackWhenInt8ReordersTheLists) {
  // y_i = [1, 1e-6·i], i = 1…1000: int8's per-row scale is 1/127 ≈ 0.0079, and the second
  // coordinate (≤ 1e-3, under half a step) rounds to 0, so a learner x = [0, 1] sees 1000 ties
  // (top-100 by index: the lowest) where f32 ranks the highest first: overlap 0. f16's spacing
  // below 2^-9 is at most 2^-20 ≈ 9.5e-7 < 1e-6, so it keeps them apart: overlap 1.
  // (Regression: with 1e-4·i the top rows quantize to 11–13 steps, and int8 kept 95 of 100.)
  RowMatrix y(1000, 2), x(3, 2);
  for (int i = 0; i < 1000; ++i) y.row(i) << 1.f, 1e-6f * static_cast<float>(i + 1);
  x << 0, 1, 0, 2, 0, 0.5f;
  const trainer::EncodingChoice c = trainer::ChooseFactorEncoding(x, y, Vector(), 1, std::nullopt);
  EXPECT_EQ(c.encoding, FactorEncoding::kF16);
  EXPECT_DOUBLE_EQ(c.record["top100_overlap"]["i8"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(c.record["top100_overlap"]["f16"].get<double>(), 1.0);
  EXPECT_EQ(c.record["sample"]["learners"], 3);
  EXPECT_NE(c.record["reason"].get<std::string>().find("f16"), std::string::npos);
  // Random well-spread factors keep their lists under int8: int8 is chosen.
  const RowMatrix yr = testing::RandomMatrix(2000, 32, 7), xr = testing::RandomMatrix(50, 32, 8);
  const trainer::EncodingChoice r = trainer::ChooseFactorEncoding(xr, yr, Vector(), 1, std::nullopt);
  EXPECT_GE(r.record["top100_overlap"]["i8"].get<double>(), 0.9);
  EXPECT_EQ(r.encoding, r.record["top100_overlap"]["i8"].get<double>() >= 0.99 ? FactorEncoding::kInt8 : FactorEncoding::kF16);
  // A forced encoding is kept, and still measured.
  const trainer::EncodingChoice f = trainer::ChooseFactorEncoding(x, y, Vector(), 1, FactorEncoding::kInt8);
  EXPECT_EQ(f.encoding, FactorEncoding::kInt8);
  EXPECT_NE(f.record["reason"].get<std::string>().find("--factor-encoding"), std::string::npos);
}

// ---- pathlight bundle update ------------------------------------------------------------------

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

TEST(BundleWireTest, UpdateAddsChangesAndRetiresWithoutRetraining) {
  auto ds = trainer::LoadCsvDataset(testing::SourcePath("tests/fixtures/csv"));
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  trainer::ModelOptions o;
  o.als.factors = 4;
  auto trained = trainer::TrainBundle(*ds, o, FactorEncoding::kInt8);
  ASSERT_TRUE(trained.ok()) << trained.status().ToString();
  const std::string dir = testing::TempDir("update"), v1 = dir + "/v1", v2 = dir + "/v2", v3 = dir + "/v3";
  auto sha1 = trainer::WritePublishedBundle(trained->bundle, v1);
  ASSERT_TRUE(sha1.ok()) << sha1.status().ToString();
  const Bundle& parent = trained->bundle;
  const ItemIndex numpy = *parent.catalog.FindItem("c-numpy");
  WriteText(dir + "/week1.csv",
            "id,kind,title,price,teaches,action\n"
            "c-new,course,Brand new course,15,numpy,\n"
            "c-numpy,course,NumPy in practice,24,numpy,upsert\n"
            "c-stats,,,,,retire\n");
  auto s = trainer::UpdateBundle(v1, dir + "/week1.csv", v2, false);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->added, 1);
  EXPECT_EQ(s->changed, 1);
  EXPECT_EQ(s->retired, 1);
  EXPECT_EQ(s->parent_sha256, *sha1);
  auto b = ReadBundleDir(v2);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->info.parent, *sha1);
  EXPECT_EQ(b->catalog.num_items(), parent.catalog.num_items());  // +1 −1
  EXPECT_FALSE(b->catalog.FindItem("c-stats"));
  const ItemIndex added = *b->catalog.FindItem("c-new");
  EXPECT_EQ(added.value(), b->catalog.num_items() - 1);
  EXPECT_EQ(b->item_popularity[added.value()], 0.f);
  // The parent's content model is kept, as a writer part, and the writer gives the new item its
  // content factors: the row in the file is the model's prediction on int8's grid, so the engine
  // has nothing left to fill and a client never fetches the model.
  ASSERT_TRUE(parent.content_model.has_value()) << "the fixture has items with interactions to fit it on";
  ASSERT_TRUE(b->content_model.has_value());
  EXPECT_EQ(b->content_model->ToBinary(), parent.content_model->ToBinary());
  {
    float p[5];
    b->content_model->Predict(b->catalog.item(added), p);
    Vector row(4);
    b->item_factors.Row(added.value(), row.data());
    const float step = Eigen::Map<const Vector>(p + 1, 4).cwiseAbs().maxCoeff() / 127.f;  // int8's grid
    ASSERT_GT(step, 0.f);
    for (int d = 0; d < 4; ++d) EXPECT_NEAR(row[d], p[d + 1], step / 2 + 1e-6f) << "dimension " << d;
    Bundle copy = *b;
    EXPECT_EQ(*FillContentFactors(&copy), 0) << "no row is left for the engine to fill";
    const json m = json::parse(std::ifstream(v2 + "/manifest.json"));
    EXPECT_FALSE(m["parts"].contains("content_model"));
    const std::string cm_file = m["writer_parts"]["content_model"]["file"].get<std::string>();
    auto d = BundleDecoder::Begin(m.dump());
    ASSERT_TRUE(d.ok());
    const std::vector<std::string> fetched = d->files();
    EXPECT_EQ(std::count(fetched.begin(), fetched.end(), cm_file), 0) << "a client does not fetch it";
    EXPECT_EQ(d->writer_files(), std::vector<std::string>{cm_file});
    EXPECT_TRUE(std::filesystem::exists(v2 + "/" + cm_file)) << "kept beside the bundle for the next update";
  }
  const ItemIndex numpy2 = *b->catalog.FindItem("c-numpy");
  EXPECT_EQ(b->catalog.item(numpy2).price, 24);
  Vector before(4), after(4);
  parent.item_factors.Row(numpy.value(), before.data());
  b->item_factors.Row(numpy2.value(), after.data());
  EXPECT_EQ(before, after) << "kept items keep their rows byte for byte";
  // The catalog part is the parent's: its shards are the same files.
  const json m1 = json::parse(std::ifstream(v1 + "/manifest.json")), m2 = json::parse(std::ifstream(v2 + "/manifest.json"));
  EXPECT_EQ(m1["parts"]["catalog"]["shards"], m2["parts"]["catalog"]["shards"]);
  EXPECT_TRUE(m2["parts"].contains("catalog_changes"));
  // A second update over the first: changes accumulate over the same catalog part; a retired id
  // cannot come back; retiring an id the bundle lacks names the line.
  WriteText(dir + "/week2.csv", "id,kind,title,price,action\nc-new,course,Brand new course,12,\n");
  auto s2 = trainer::UpdateBundle(v2, dir + "/week2.csv", v3, false);
  ASSERT_TRUE(s2.ok()) << s2.status().ToString();
  auto b3 = ReadBundleDir(v3);
  ASSERT_TRUE(b3.ok());
  EXPECT_EQ(b3->catalog.item(*b3->catalog.FindItem("c-new")).price, 12);
  EXPECT_FALSE(b3->catalog.FindItem("c-stats"));
  EXPECT_LT(s2->bytes_new, s2->bytes_total);
  WriteText(dir + "/back.csv", "id,kind,title,action\nc-stats,course,Back again,\n");
  EXPECT_EQ(trainer::UpdateBundle(v3, dir + "/back.csv", dir + "/v4", false).status().code(), ErrorCode::kInvalidArgument);
  WriteText(dir + "/ghost.csv", "id,kind,title,action\nc-ghost,,,retire\n");
  const Status ghost = trainer::UpdateBundle(v3, dir + "/ghost.csv", dir + "/v4", false).status();
  EXPECT_EQ(ghost.code(), ErrorCode::kUnknownId);
  EXPECT_NE(ghost.message().find("line 2"), std::string::npos) << ghost.message();
  // Retirements alone need only id and action; an upsert row there lacks its kind, on its line.
  WriteText(dir + "/retire-only.csv", "id,action\nc-ghost,retire\n");
  const Status only = trainer::UpdateBundle(v3, dir + "/retire-only.csv", dir + "/v4", false).status();
  EXPECT_EQ(only.code(), ErrorCode::kUnknownId) << only.ToString();
  EXPECT_NE(only.message().find("line 2"), std::string::npos) << only.message();
  WriteText(dir + "/upsert-bare.csv", "id,action\nc-bare,upsert\n");
  const Status bare = trainer::UpdateBundle(v3, dir + "/upsert-bare.csv", dir + "/v4", false).status();
  EXPECT_NE(bare.code(), ErrorCode::kOk);
  EXPECT_NE(bare.message().find("line 2"), std::string::npos) << bare.message();
  WriteText(dir + "/no-kind.csv", "id,title\nc-x,No kind\n");  // no action column: items.csv's rules
  EXPECT_EQ(trainer::UpdateBundle(v3, dir + "/no-kind.csv", dir + "/v4", false).status().code(), ErrorCode::kParseError);
  // --rebase: the whole catalog afresh, same bundle.
  auto s4 = trainer::UpdateBundle(v3, dir + "/week2.csv", dir + "/v4", true);
  ASSERT_TRUE(s4.ok()) << s4.status().ToString();
  auto b4 = ReadBundleDir(dir + "/v4");
  ASSERT_TRUE(b4.ok());
  EXPECT_FALSE(b4->base_catalog.has_value());
  EXPECT_EQ(b4->catalog.ToBinary(), b3->catalog.ToBinary());
}

// The fixture trained (k = 4) and published in `enc`, into `dir`; it has a content model.
Bundle PublishedFixture(FactorEncoding enc, const std::string& dir) {
  auto ds = trainer::LoadCsvDataset(testing::SourcePath("tests/fixtures/csv"));
  EXPECT_TRUE(ds.ok()) << ds.status().ToString();
  trainer::ModelOptions o;
  o.als.factors = 4;
  auto trained = trainer::TrainBundle(*ds, o, enc);
  EXPECT_TRUE(trained.ok()) << trained.status().ToString();
  EXPECT_TRUE(trained->bundle.content_model.has_value());
  auto sha = trainer::WritePublishedBundle(trained->bundle, dir);
  EXPECT_TRUE(sha.ok()) << sha.status().ToString();
  return trained->bundle;
}

// Item `id`'s row in `b` equals the content model's prediction for its record on the encoding's
// grid (int8: half a step of its row's scale; f32: exactly), and YᵀY of the file's rows is `gram`.
void ExpectContentRow(const Bundle& b, const ContentModel& model, const std::string& id) {
  const int k = b.item_factors.cols();
  const ItemIndex i = *b.catalog.FindItem(id);
  Vector p(k + 1), row(k);
  model.Predict(b.catalog.item(i), p.data());
  b.item_factors.Row(i.value(), row.data());
  const float step = b.item_factors.encoding() == FactorEncoding::kInt8 ? p.tail(k).cwiseAbs().maxCoeff() / 127.f : 0.f;
  EXPECT_FALSE(row.isZero(0)) << id;
  for (int d = 0; d < k; ++d) EXPECT_NEAR(row[d], p[d + 1], step / 2 + 1e-6f) << id << " dimension " << d;
}
void ExpectGramOfRows(const Bundle& b) {
  const RowMatrix y = b.item_factors.Dequantized();
  const Eigen::MatrixXd want = y.cast<double>().transpose() * y.cast<double>();
  for (int r = 0; r < want.rows(); ++r)
    for (int c = 0; c < want.cols(); ++c) EXPECT_NEAR(b.gram(r, c), want(r, c), 1e-5 * (1 + std::fabs(want(r, c))));
}

// A parent whose writer part (the content model) is missing from its folder: the update names the
// file and writes nothing, instead of a new version without the map whose added items have zero rows.
TEST(BundleWireTest, UpdateRefusesAParentWhoseWriterPartIsMissing) {
  const std::string dir = testing::TempDir("update-no-writer"), v1 = dir + "/v1", v2 = dir + "/v2";
  PublishedFixture(FactorEncoding::kF32, v1);
  const json m = json::parse(std::ifstream(v1 + "/manifest.json"));
  const std::string cm_file = m["writer_parts"]["content_model"]["file"].get<std::string>();
  ASSERT_TRUE(std::filesystem::remove(v1 + "/" + cm_file));
  WriteText(dir + "/add.csv", "id,kind,title,price,teaches\nc-new,course,Brand new course,15,pandas\n");
  const Status s = trainer::UpdateBundle(v1, dir + "/add.csv", v2, false).status();
  EXPECT_EQ(s.code(), ErrorCode::kIoError) << s.ToString();
  EXPECT_NE(s.message().find(cm_file), std::string::npos) << s.message();
  EXPECT_FALSE(std::filesystem::exists(v2 + "/manifest.json"));
  // A client still loads the parent (it never fetches the writer part).
  EXPECT_TRUE(ReadBundleDir(v1).ok());
}

// An item without interactions whose record an update changes gets the content row of its new
// record (as the engine gave it at load when bundles kept zero rows), bit for bit the row it gets
// when added with that record; a changed item with trained factors keeps its row byte for byte.
TEST(BundleWireTest, UpdateGivesAChangedItemWithoutInteractionsTheContentRowOfItsNewRecord) {
  for (FactorEncoding enc : {FactorEncoding::kF32, FactorEncoding::kInt8}) {
    const std::string dir = testing::TempDir(std::string("update-changed-") + FactorEncodingName(enc));
    const std::string v1 = dir + "/v1", v2 = dir + "/v2", v3 = dir + "/v3", direct = dir + "/direct";
    const Bundle parent = PublishedFixture(enc, v1);
    WriteText(dir + "/add.csv", "id,kind,title,price,teaches\nc-new,course,Brand new course,15,pandas\n");
    WriteText(dir + "/fix.csv",
              "id,kind,title,price,teaches\n"
              "c-new,course,Brand new course,15,machine-learning\n"
              "c-numpy,course,NumPy in practice,24,pandas\n");
    ASSERT_TRUE(trainer::UpdateBundle(v1, dir + "/add.csv", v2, false).ok());
    auto s3 = trainer::UpdateBundle(v2, dir + "/fix.csv", v3, false);
    ASSERT_TRUE(s3.ok()) << s3.status().ToString();
    ASSERT_TRUE(trainer::UpdateBundle(v1, dir + "/fix.csv", direct, false).ok());
    auto b2 = ReadBundleDir(v2), b3 = ReadBundleDir(v3), bd = ReadBundleDir(direct);
    ASSERT_TRUE(b2.ok() && b3.ok() && bd.ok());
    const int k = 4;
    Vector was(k), now(k), want(k);
    b2->item_factors.Row(b2->catalog.FindItem("c-new")->value(), was.data());
    b3->item_factors.Row(b3->catalog.FindItem("c-new")->value(), now.data());
    bd->item_factors.Row(bd->catalog.FindItem("c-new")->value(), want.data());
    EXPECT_NE(was, want) << "the fixture's map tells pandas from machine learning";
    EXPECT_EQ(now, want) << FactorEncodingName(enc) << ": the row of the new record, not of the old one";
    EXPECT_EQ(b3->item_bias[b3->catalog.FindItem("c-new")->value()], bd->item_bias[bd->catalog.FindItem("c-new")->value()]);
    ExpectContentRow(*b3, *parent.content_model, "c-new");
    ExpectGramOfRows(*b3);
    Vector trained(k), kept(k);
    parent.item_factors.Row(parent.catalog.FindItem("c-numpy")->value(), trained.data());
    b3->item_factors.Row(b3->catalog.FindItem("c-numpy")->value(), kept.data());
    EXPECT_EQ(trained, kept) << "trained factors are not the map's to change";
  }
}

// A parent written before writers gave content rows (zero rows, the map among its parts): the
// update writes every item without trained factors its content row (the rows the engine gave that
// parent at load, bit for bit), the map as a writer part, and a Gram matrix of the rows in the
// file; so does a second update over it, with --rebase.
TEST(BundleWireTest, UpdateOfABundleWrittenBeforeWritesEveryContentRow) {
  // The fixture with two items nobody has interacted with.
  const std::string dir = testing::TempDir("update-legacy"), v1 = dir + "/v1", v2 = dir + "/v2", v3 = dir + "/v3";
  std::filesystem::copy(testing::SourcePath("tests/fixtures/csv"), dir + "/data");
  std::ofstream(dir + "/data/items.csv", std::ios::app) << "c-cold,course,Cold statistics,10,USD,beginner,en,3,statistics,,,,,\n"
                                                        << "e-cold,ebook,Cold pandas,5,USD,advanced,en,2,pandas,,,,,\n";
  auto ds = trainer::LoadCsvDataset(dir + "/data");
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  trainer::ModelOptions o;
  o.als.factors = 4;
  auto trained = trainer::TrainBundle(*ds, o, FactorEncoding::kInt8);
  ASSERT_TRUE(trained.ok());
  const ContentModel model = *trained->bundle.content_model;
  Bundle without = trained->bundle;
  without.content_model.reset();
  ASSERT_TRUE(trainer::WritePublishedBundle(without, v1).ok());
  const std::string bytes = model.ToBinary();
  json m = json::parse(std::ifstream(v1 + "/manifest.json"));
  m["parts"]["content_model"] = {{"file", "content_model.bin"}, {"bytes", bytes.size()}, {"sha256", Sha256Hex(bytes)},
                                 {"dtype", "content-v1"}};
  WriteText(v1 + "/manifest.json", m.dump(2));
  WriteText(v1 + "/content_model.bin", bytes);
  auto legacy = ReadBundleDir(v1);
  ASSERT_TRUE(legacy.ok()) << legacy.status().ToString();
  std::vector<std::string> cold;
  Vector row(4);
  for (int32_t i = 0; i < legacy->catalog.num_items(); ++i) {
    legacy->item_factors.Row(i, row.data());
    if (row.isZero(0)) cold.push_back(legacy->catalog.item(ItemIndex(i)).id);
  }
  ASSERT_FALSE(cold.empty()) << "the fixture has items without interactions";
  const Recommender at_load(std::move(legacy).value());
  WriteText(dir + "/week1.csv", "id,kind,title,price,teaches,action\nc-new,course,Brand new course,15,pandas,\nc-stats,,,,,retire\n");
  ASSERT_TRUE(trainer::UpdateBundle(v1, dir + "/week1.csv", v2, false).ok());
  WriteText(dir + "/week2.csv", "id,kind,title,price,teaches\nc-newer,ebook,Another one,9,statistics\n");
  ASSERT_TRUE(trainer::UpdateBundle(v2, dir + "/week2.csv", v3, true).ok());
  for (const std::string& v : {v2, v3}) {
    auto b = ReadBundleDir(v);
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    const json mv = json::parse(std::ifstream(v + "/manifest.json"));
    EXPECT_FALSE(mv["parts"].contains("content_model")) << v;
    ASSERT_TRUE(b->content_model.has_value()) << v;
    EXPECT_EQ(b->content_model->ToBinary(), bytes);
    std::vector<std::string> ids = cold;
    ids.push_back("c-new");
    if (v == v3) ids.push_back("c-newer");
    for (const std::string& id : ids) {
      ExpectContentRow(*b, model, id);
      const auto before = at_load.catalog().FindItem(id);
      if (!before) continue;
      Vector engine(4), file(4);
      at_load.bundle().item_factors.Row(before->value(), engine.data());
      b->item_factors.Row(b->catalog.FindItem(id)->value(), file.data());
      EXPECT_EQ(engine, file) << id << ": the row the engine gave at load";
    }
    ExpectGramOfRows(*b);
    Bundle copy = *b;
    EXPECT_EQ(*FillContentFactors(&copy), 0) << v << ": nothing left for the engine";
  }
}

// `pathlight inspect` on hostile writer parts: an error naming what is wrong, never a crash; a
// writer part whose file is gone is shown as missing.
TEST(BundleWireTest, InspectNamesBadOrMissingWriterParts) {
  const std::string dir = testing::TempDir("inspect-writer"), v1 = dir + "/v1";
  PublishedFixture(FactorEncoding::kF32, v1);
  auto inspect = [&](const std::string& d, std::string* out) {
    FILE* p = popen(("'" + std::string(PATHLIGHT_CLI) + "' inspect '" + d + "' 2>&1").c_str(), "r");
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out->append(buf, n);
    const int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  const json good = json::parse(std::ifstream(v1 + "/manifest.json"));
  const std::string cm_file = good["writer_parts"]["content_model"]["file"].get<std::string>();
  // The map among the parts, and something else under "writer_parts".
  json m = good;
  m["parts"]["content_model"] = m["writer_parts"]["content_model"];
  for (const json& bad : {json::array({"x"}), json{{"content_model", 5}}, json{{"evil", {{"file", 7}}}}}) {
    m["writer_parts"] = bad;
    WriteText(v1 + "/manifest.json", m.dump(2));
    std::string out;
    EXPECT_EQ(inspect(v1, &out), 1) << bad.dump() << "\n" << out;
    EXPECT_NE(out.find("error: parse_error: manifest.json:"), std::string::npos) << out;
  }
  WriteText(v1 + "/manifest.json", good.dump(2));
  std::string out;
  ASSERT_EQ(inspect(v1, &out), 0) << out;
  EXPECT_NE(out.find("kept for bundle update"), std::string::npos) << out;
  std::filesystem::remove(v1 + "/" + cm_file);
  out.clear();
  ASSERT_EQ(inspect(v1, &out), 0) << out;
  const size_t line = out.find("writer part  content_model");
  ASSERT_NE(line, std::string::npos) << out;
  const std::string shown = out.substr(line, out.find('\n', line) - line);
  EXPECT_NE(shown.find(cm_file), std::string::npos) << shown;
  EXPECT_NE(shown.find("MISSING"), std::string::npos) << shown;
}

// ---- the batched because-shares ------------------------------------------------------------------

TEST(BundleWireTest, BatchedSharesEqualOneSolvePerItem) {
  Recommender rec(testing::HandGraphBundle(40));
  Profile p;
  for (int i = 0; i < 6; ++i) {
    Event e;
    e.type = i % 2 ? EventType::kComplete : EventType::kView;
    e.item = rec.catalog().item(ItemIndex(3 + 5 * i)).id;
    e.time = 100;
    p.events.push_back(e);
  }
  p.goals = {rec.catalog().concept_at(ConceptIndex(rec.catalog().num_concepts() - 1)).id};
  const LearnerState s = rec.Learner(p, 200);
  std::vector<ItemIndex> items;
  for (int i = 0; i < rec.num_items(); i += 3) items.push_back(ItemIndex(i));
  const std::vector<Explanation> many = rec.model().ExplainMany(s, items);
  ASSERT_EQ(many.size(), items.size());
  for (size_t j = 0; j < items.size(); ++j) {
    const Explanation one = rec.Explain(s, items[j]);
    EXPECT_NEAR(many[j].score, one.score, 1e-5);
    ASSERT_EQ(many[j].contributions.size(), one.contributions.size()) << j;
    for (size_t c = 0; c < one.contributions.size(); ++c)
      EXPECT_NEAR(many[j].contributions[c].value, one.contributions[c].value, 1e-5 + 1e-4 * std::fabs(one.contributions[c].value));
  }
}

}  // namespace
}  // namespace pathlight
