// The compact catalog part (catalog-v1, core/src/catalog_binary.cpp; docs/bundle-format.md).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "pathlight/catalog.h"
#include "pathlight/trainer/dataset.h"
#include "test_util.h"

namespace pathlight {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void ExpectRoundTrip(const Catalog& cat) {
  const std::string bytes = cat.ToBinary();
  auto back = Catalog::ParseBinary(bytes, "catalog.bin");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ToJson(), cat.ToJson());
  EXPECT_EQ(back->ToBinary(), bytes);  // deterministic, and nothing lost
  EXPECT_EQ(back->topological_order(), cat.topological_order());
  // The reader orders items by id through the sorted string table: every id is found where it is.
  for (int32_t i = 0; i < back->num_items(); ++i) {
    const auto found = back->FindItem(back->items()[i].id);
    ASSERT_TRUE(found.has_value()) << i;
    EXPECT_EQ(found->value(), i);
  }
  EXPECT_FALSE(back->FindItem("no such item").has_value());
}

// Two concepts and one mentor, every field set; the layout below is worked out by hand from
// docs/bundle-format.md. Strings in byte order: 0 "", 1 "One", 2 "T", 3 "USD", 4 "Zero", 5 "c0",
// 6 "c1", 7 "en", 8 "i0" (19 bytes). Sections start at multiples of 8 after the 48-byte
// header: string_offsets 48 (10 × u32), string_data 88 (19 bytes), concept_id 112, concept_name
// 120, concept_name_zh 128, prerequisite_offsets 136 (3 × u32), prerequisites 152, item_id 160,
// item_title 168, item_currency 176, item_language 184, item_kind 192, item_level 200,
// item_price_known 208, item_price 216, item_hours 224, item_rating 232, item_capacity 240,
// teaches_offsets 248, teaches 256, requires_offsets 264, requires 272, languages_offsets 280,
// languages 288, expertise_offsets 296, expertise_concepts 304, expertise_weights 312; 316 bytes.
Catalog Tiny() {
  auto cat = Catalog::Parse(R"({"concepts": [{"id": "c0", "name": "Zero"}, {"id": "c1", "name": "One", "prerequisites": ["c0"]}],
    "items": [{"id": "i0", "kind": "mentor", "title": "T", "price": 10, "currency": "USD", "level": "all", "language": "en",
               "hours": 1, "teaches": ["c1"], "requires": ["c0"], "languages": ["en"], "rating": 4.5, "capacity": 2,
               "expertise": {"c1": 0.5}}]})", "tiny");
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  return std::move(cat).value();
}

uint32_t U32At(const std::string& b, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(b[at + i]);
  return v;
}
void PutU32(std::string* b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*b)[at + i] = static_cast<char>(v >> (8 * i));
}
void PutF64(std::string* b, size_t at, double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  for (int i = 0; i < 8; ++i) (*b)[at + i] = static_cast<char>(bits >> (8 * i));
}
void PutF32(std::string* b, size_t at, float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, 4);
  PutU32(b, at, bits);
}

TEST(CatalogBinaryTest, LayoutMatchesTheHandComputedOffsets) {
  const std::string b = Tiny().ToBinary();
  ASSERT_EQ(b.size(), 316u);
  EXPECT_EQ(b.substr(0, 8), "PLCATLG1");
  const uint32_t counts[10] = {2, 1, 9, 19, 1, 1, 1, 1, 1, 0};
  for (int c = 0; c < 10; ++c) EXPECT_EQ(U32At(b, 8 + 4 * c), counts[c]) << c;
  EXPECT_EQ(b.substr(88, 19), "OneTUSDZeroc0c1eni0");
  EXPECT_EQ(U32At(b, 48 + 4 * 9), 19u);                 // the last string offset
  EXPECT_EQ(U32At(b, 112), 5u);                         // concept 0's id: "c0"
  EXPECT_EQ(U32At(b, 128), 0u);                         // concept 0's name_zh: ""
  EXPECT_EQ(U32At(b, 144), 1u);                         // concept 1 has 1 prerequisite…
  EXPECT_EQ(U32At(b, 152), 0u);                         // …c0
  EXPECT_EQ(U32At(b, 160), 8u);                         // item 0's id: "i0"
  EXPECT_EQ(b[192], 4);                                 // kind mentor
  EXPECT_EQ(b[200], 3);                                 // level all
  EXPECT_EQ(b[208], 1);                                 // price known
  double price;
  std::memcpy(&price, b.data() + 216, 8);
  EXPECT_EQ(price, 10.0);
  EXPECT_EQ(U32At(b, 240), 2u);                         // capacity
  EXPECT_EQ(U32At(b, 256), 1u);                         // teaches c1
  EXPECT_EQ(U32At(b, 288), 7u);                         // languages: "en"
  float w;
  std::memcpy(&w, b.data() + 312, 4);
  EXPECT_EQ(w, 0.5f);
  for (size_t pad : {107u, 108u, 109u, 110u, 111u}) EXPECT_EQ(b[pad], 0) << pad;
}

TEST(CatalogBinaryTest, RoundTripsEveryField) {
  ExpectRoundTrip(Tiny());
  // Unknown prices, non-ASCII text (2-, 3- and 4-byte UTF-8), empty lists, every kind and level.
  auto cat = Catalog::Parse(R"({"concepts": [{"id": "é", "name": "Épée", "name_zh": "剑术"}, {"id": "z"}],
    "items": [{"id": "a", "kind": "ebook", "title": "😀 emoji", "level": "beginner", "language": "zh", "teaches": ["z", "é"]},
              {"id": "b", "kind": "consultation", "price": 0.1, "currency": "EUR", "level": "advanced", "hours": 0.5},
              {"id": "c", "kind": "membership", "price": 12.5, "level": "intermediate", "requires": ["é"]},
              {"id": "d", "kind": "mentor", "languages": ["de", "fr"], "expertise": {"z": 1, "é": 0.25}},
              {"id": "e"}, {"id": "B"}, {"id": "a2"}, {"id": "\u00e9"}]})", "mixed");  // ids out of byte order
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  ExpectRoundTrip(*cat);
  auto empty = Catalog::Parse(R"({"concepts": [], "items": []})", "empty");
  ASSERT_TRUE(empty.ok());
  ExpectRoundTrip(*empty);
  EXPECT_EQ(empty->ToBinary().size(), 48u + 8 /*1 string offset*/ + 8 /*prerequisite_offsets*/ + 4 * 8 /*list offsets*/);
}

TEST(CatalogBinaryTest, RoundTripsTheDemoCatalog) {
  auto cat = Catalog::Parse(Slurp(testing::SourcePath("data/demo/catalog.json")), "demo");
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  ExpectRoundTrip(*cat);
}

TEST(CatalogBinaryTest, RoundTripsCocoAndIsSmallerThanItsJson) {
  PATHLIGHT_REQUIRE_DATA("coco-udemy");
  auto ds = trainer::LoadCoco(data_dir);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  ExpectRoundTrip(ds->catalog);
  EXPECT_LT(ds->catalog.ToBinary().size(), ds->catalog.ToJson().dump().size());
}

// Each damage, with the code and the words of its message.
TEST(CatalogBinaryTest, DamageGivesItsCodeWithTheByte) {
  const std::string good = Tiny().ToBinary();
  struct Case {
    const char* name;
    std::function<void(std::string*)> damage;
    ErrorCode code;
    const char* words;
  };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Case cases[] = {
      {"magic", [](std::string* b) { (*b)[0] = 'X'; }, ErrorCode::kParseError, "PLCATLG1"},
      {"truncated", [](std::string* b) { b->pop_back(); }, ErrorCode::kCorruptBundle, "give 316 bytes, the part has 315"},
      {"trailing byte", [](std::string* b) { b->push_back(0); }, ErrorCode::kCorruptBundle, "the part has 317"},
      {"huge count", [](std::string* b) { PutU32(b, 12, 0xFFFFFFFFu); }, ErrorCode::kLimitExceeded, "\"items\""},
      {"reserved", [](std::string* b) { PutU32(b, 44, 1); }, ErrorCode::kCorruptBundle, "byte 44"},
      {"padding", [](std::string* b) { (*b)[108] = 1; }, ErrorCode::kCorruptBundle, "byte 108: padding after section \"string_data\""},
      {"string offsets out of order", [](std::string* b) { PutU32(b, 52, 30); }, ErrorCode::kCorruptBundle, "string_offsets"},
      {"kind", [](std::string* b) { (*b)[192] = 7; }, ErrorCode::kCorruptBundle, "byte 192: items[0] (\"i0\"): field \"kind\" = 7"},
      {"level", [](std::string* b) { (*b)[200] = 4; }, ErrorCode::kCorruptBundle, "field \"level\""},
      {"price_known", [](std::string* b) { (*b)[208] = 2; }, ErrorCode::kCorruptBundle, "price_known"},
      {"price without price_known", [](std::string* b) { (*b)[208] = 0; }, ErrorCode::kInvalidArgument, "field \"price\" = 10"},
      {"NaN price", [&](std::string* b) { PutF64(b, 216, nan); }, ErrorCode::kNotFinite, "byte 216: items[0] (\"i0\"): field \"price\" is not finite"},
      {"negative price", [](std::string* b) { PutF64(b, 216, -1); }, ErrorCode::kInvalidArgument, "field \"price\" = -1"},
      {"rating 6", [](std::string* b) { PutF64(b, 232, 6); }, ErrorCode::kInvalidArgument, "field \"rating\""},
      {"capacity", [](std::string* b) { PutU32(b, 240, 2000000); }, ErrorCode::kInvalidArgument, "field \"capacity\""},
      {"invalid UTF-8", [](std::string* b) { (*b)[91] = static_cast<char>(0xFF); }, ErrorCode::kParseError,
       "byte 91: string 2 is not valid UTF-8"},
      {"strings out of order", [](std::string* b) { (*b)[88] = 'z'; }, ErrorCode::kCorruptBundle,
       "byte 91: string 2 does not follow string 1 in byte order"},
      {"string 0 not empty", [](std::string* b) { PutU32(b, 52, 1); PutU32(b, 48, 0); }, ErrorCode::kCorruptBundle, "string 0 must be the empty string"},
      {"surrogate in UTF-8", [](std::string* b) { (*b)[90] = '\xED'; (*b)[91] = '\xA0'; (*b)[92] = '\x80'; }, ErrorCode::kParseError, "UTF-8"},
      {"string index", [](std::string* b) { PutU32(b, 160, 9); }, ErrorCode::kCorruptBundle, "byte 160: items[0]: field \"id\" refers to string 9 of 9"},
      {"concept index", [](std::string* b) { PutU32(b, 152, 2); }, ErrorCode::kCorruptBundle, "refers to concept 2 of 2"},
      {"cycle", [](std::string* b) { PutU32(b, 152, 1); }, ErrorCode::kCycle, "c1 → c1"},
      {"duplicate concept id", [](std::string* b) { PutU32(b, 116, 5); }, ErrorCode::kInvalidArgument, "duplicate concept id \"c0\""},
      {"empty item id", [](std::string* b) { PutU32(b, 160, 0); }, ErrorCode::kParseError, "empty id"},
      {"list offsets end", [](std::string* b) { PutU32(b, 252, 2); }, ErrorCode::kCorruptBundle, "teaches_offsets"},
      {"expertise weight 0", [](std::string* b) { PutF32(b, 312, 0.f); }, ErrorCode::kInvalidArgument, "expertise weight for \"c1\""},
      {"expertise weight 1.5", [](std::string* b) { PutF32(b, 312, 1.5f); }, ErrorCode::kInvalidArgument, "(0, 1]"},
  };
  for (const Case& c : cases) {
    std::string b = good;
    c.damage(&b);
    auto r = Catalog::ParseBinary(b, "catalog.bin");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.status().code(), c.code) << c.name << ": " << r.status().message();
    EXPECT_NE(r.status().message().find(c.words), std::string::npos) << c.name << ": " << r.status().message();
    EXPECT_EQ(r.status().message().rfind("catalog.bin: ", 0), 0u) << c.name;
  }
}

TEST(CatalogBinaryTest, EveryTruncationAndByteFlipIsHandled) {
  const std::string good = Tiny().ToBinary();
  for (size_t n = 0; n < good.size(); ++n) EXPECT_FALSE(Catalog::ParseBinary(good.substr(0, n), "t").ok()) << n;
  int refused = 0;
  for (size_t at = 0; at < good.size(); ++at) {
    std::string b = good;
    b[at] = static_cast<char>(b[at] ^ 0xFF);
    auto r = Catalog::ParseBinary(b, "t");  // no crash, no sanitizer report; some flips are harmless
    refused += !r.ok();
    if (r.ok()) EXPECT_EQ(r->num_items(), 1);
  }
  EXPECT_GT(refused, 200);
}

// Found by a hostile-input session: the page decodes the string table as one text, so every string
// must be UTF-8 even when nothing refers to it (else later strings shift), and counts a manifest
// did not promise must be refused before records are allocated.
TEST(CatalogBinaryTest, Regression_UnreferencedBadStringAndUnpromisedCounts) {
  Catalog tiny = Tiny();
  std::vector<Concept> concepts = tiny.concepts();
  std::vector<Item> items = tiny.items();
  items[0].languages = {"en", "xx"};  // string 9 (the last in byte order), then made unreferenced below
  auto cat = Catalog::Build(concepts, items, "t");
  ASSERT_TRUE(cat.ok());
  std::string b = cat->ToBinary();
  const size_t xx = b.find("i0xx") + 2;
  ASSERT_NE(xx, std::string::npos + 2);
  b[xx] = static_cast<char>(0xC0);  // an overlong lead byte
  auto r = Catalog::ParseBinary(b, "t");
  EXPECT_EQ(r.status().code(), ErrorCode::kParseError) << r.status().message();
  EXPECT_NE(r.status().message().find("string 9 is not valid UTF-8"), std::string::npos) << r.status().message();
  // A leading U+FEFF is a character like any other (the page keeps it too: tests/node/parity).
  concepts[0].id = "\xEF\xBB\xBF" "c0";
  auto bom = Catalog::Build(concepts, tiny.items(), "t");
  ASSERT_TRUE(bom.ok());
  ExpectRoundTrip(*bom);
  // Counts against a manifest's.
  const std::string good = tiny.ToBinary();
  auto reader = [&good](uint64_t at, char* out, size_t cap) {
    const size_t n = std::min<size_t>(cap, good.size() - at);
    std::memcpy(out, good.data() + at, n);
    return n;
  };
  EXPECT_TRUE(Catalog::ParseBinaryStream(reader, good.size(), "t", 1, 2).ok());
  auto lie = Catalog::ParseBinaryStream(reader, good.size(), "t", 4000000, 2);
  EXPECT_EQ(lie.status().code(), ErrorCode::kCorruptBundle);
  EXPECT_NE(lie.status().message().find("the header says 1 items and 2 concepts; the manifest says 4000000 and 2"), std::string::npos)
      << lie.status().message();
}

TEST(CatalogBinaryTest, LimitsOfTheJsonReaderHold) {
  Catalog tiny = Tiny();
  std::vector<Concept> concepts = tiny.concepts();
  std::vector<Item> items = tiny.items();
  items[0].title = std::string(70000, 'x');
  auto long_title = Catalog::Build(concepts, items, "t");
  ASSERT_TRUE(long_title.ok());
  auto r = Catalog::ParseBinary(long_title->ToBinary(), "t");
  EXPECT_EQ(r.status().code(), ErrorCode::kLimitExceeded) << r.status().message();
  items = tiny.items();
  items[0].teaches.assign(5000, ConceptIndex(0));
  auto many = Catalog::Build(concepts, items, "t");
  ASSERT_TRUE(many.ok());
  r = Catalog::ParseBinary(many->ToBinary(), "t");
  EXPECT_EQ(r.status().code(), ErrorCode::kLimitExceeded);
  EXPECT_NE(r.status().message().find("\"teaches\" has more than 4096 entries"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace pathlight
