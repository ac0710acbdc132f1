#include "pathlight/catalog.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "test_util.h"

namespace pathlight {
namespace {

using nlohmann::json;

// Hand-drawn graph:  a → b → d,  a → c → d,  d → e;  f isolated.
json SmallCatalog() {
  return json::parse(R"({
    "concepts": [
      {"id": "e", "prerequisites": ["d"]},
      {"id": "d", "prerequisites": ["b", "c"]},
      {"id": "c", "prerequisites": ["a"]},
      {"id": "b", "prerequisites": ["a"]},
      {"id": "a"},
      {"id": "f"}
    ],
    "items": [
      {"id": "i1", "kind": "course", "price": 10, "teaches": ["a"]},
      {"id": "m1", "kind": "mentor", "price": 50, "languages": ["en"], "rating": 4.5, "capacity": 2,
       "expertise": {"d": 0.8}}
    ]})");
}

std::vector<std::string> Ids(const Catalog& c, const std::vector<ConceptIndex>& v) {
  std::vector<std::string> out;
  for (ConceptIndex i : v) out.push_back(c.concept_at(i).id);
  return out;
}

TEST(CatalogTest, TopologicalOrderAndClosureOnHandGraph) {
  auto cat = Catalog::FromJson(SmallCatalog(), "small");
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  // Kahn with smallest index first: ready {a(4), f(5)} → a; then b(3), c(2) ready → c, b; f; d; e.
  EXPECT_EQ(Ids(*cat, cat->topological_order()), (std::vector<std::string>{"a", "c", "b", "d", "e", "f"}));
  EXPECT_EQ(Ids(*cat, cat->PrerequisiteClosure({*cat->FindConcept("e")})),
            (std::vector<std::string>{"a", "c", "b", "d"}));
  EXPECT_TRUE(cat->PrerequisiteClosure({*cat->FindConcept("f")}).empty());
  const Item& m = cat->item(*cat->FindItem("m1"));
  EXPECT_EQ(m.kind, ItemKind::kMentor);
  EXPECT_EQ(m.capacity, 2);
  ASSERT_EQ(m.expertise.size(), 1u);
  EXPECT_FLOAT_EQ(m.expertise[0].second, 0.8f);
}

TEST(CatalogTest, CycleIsAnErrorNamingTheCycle) {
  json doc = SmallCatalog();
  doc["concepts"][4]["prerequisites"] = {"e"};  // a → … → e → a
  auto cat = Catalog::FromJson(doc, "cyclic.json");
  ASSERT_FALSE(cat.ok());
  EXPECT_EQ(cat.status().code(), ErrorCode::kCycle);
  const std::string& msg = cat.status().message();
  for (const char* c : {"a", "d", "e"}) EXPECT_NE(msg.find(c), std::string::npos) << msg;
  EXPECT_EQ(msg.find("f"), std::string::npos) << "f is not on the cycle: " << msg;
}

TEST(CatalogTest, BadRecordsNameTheRecord) {
  struct Case { const char* patch_path; json value; ErrorCode code; const char* mention; };
  const std::vector<Case> cases = {
      {"/items/0/price", -5, ErrorCode::kInvalidArgument, "price"},
      {"/items/0/teaches", json::array({"nope"}), ErrorCode::kUnknownId, "nope"},
      {"/items/1/id", "i1", ErrorCode::kInvalidArgument, "duplicate item id"},
      {"/items/0/kind", "podcast", ErrorCode::kParseError, "podcast"},
      {"/items/1/expertise/d", 1.5, ErrorCode::kInvalidArgument, "expertise"},
      // Regression (hostile-input session): 1e-50 is > 0 as a double but 0 as the stored f32, and
      // `pathlight train` then wrote a catalog part its own reader refused.
      {"/items/1/expertise/d", 1e-50, ErrorCode::kInvalidArgument, "above 0 as a 32-bit float"},
      {"/concepts/0/prerequisites", json::array({"zzz"}), ErrorCode::kUnknownId, "zzz"},
      {"/items/0/price", "cheap", ErrorCode::kParseError, "price"},
  };
  for (const Case& c : cases) {
    json doc = SmallCatalog();
    doc[json::json_pointer(c.patch_path)] = c.value;
    auto cat = Catalog::FromJson(doc, "bad.json");
    ASSERT_FALSE(cat.ok()) << c.patch_path;
    EXPECT_EQ(cat.status().code(), c.code) << c.patch_path << ": " << cat.status().ToString();
    EXPECT_NE(cat.status().message().find(c.mention), std::string::npos) << cat.status().message();
    EXPECT_NE(cat.status().message().find("bad.json"), std::string::npos) << cat.status().message();
  }
}

TEST(CatalogTest, JsonRoundTrip) {
  auto cat = Catalog::FromJson(SmallCatalog(), "small");
  ASSERT_TRUE(cat.ok());
  auto again = Catalog::FromJson(cat->ToJson(), "round-trip");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->ToJson(), cat->ToJson());
  EXPECT_TRUE(again->item(ItemIndex(0)).price_known);
}

// The catalog reader parses without a whole-document DOM (Catalog::ParseStream, one small DOM per
// concept and item). These documents pin the answers the DOM reader (json::parse + FromJson) gave
// before it, where streaming could differ: errors after errors (invalid JSON or too-deep nesting
// must win over a schema error met earlier), "items" before "concepts", repeated keys (the last
// one wins, as in a DOM), non-object elements, and nesting exactly at the limit.
TEST(CatalogTest, StreamingReaderAnswersAsTheDomReader) {
  const std::string c = R"({"id":"a","prerequisites":[]})";
  const std::string deep70 = std::string(70, '[') + "1" + std::string(70, ']');
  struct Case {
    std::string text;
    const char* expect;  // "ok <n items> <title of item 0>" or "<code> <message>"
  } cases[] = {
      {R"({"items":[{"id":"x","teaches":["a"]}],"concepts":[)" + c + "]}", "ok 1 x"},
      {R"({"items":[{"id":"x","teaches":["zz"]}],"concepts":[)" + c + "]}",
       R"(unknown_id catalog.json: items[0] ("x"): field "teaches" names unknown concept "zz")"},
      {R"({"concepts":[],"concepts":[)" + c + R"(],"items":[{"id":"x","teaches":["a"]}]})", "ok 1 x"},
      {R"({"concepts":[)" + c + R"(],"items":[{"id":"x","kind":"bad"}],"items":[{"id":"y"}]})", "ok 1 y"},
      {R"({"concepts":[)" + c + R"(],"items":[{"id":"x","kind":"bad"}],"z":tru})", "parse_error catalog.json: not valid JSON"},
      {R"({"concepts":[)" + c + R"(],"items":[{"id":"x","kind":"bad"}],"z":)" + deep70 + "}",
       "limit_exceeded catalog.json: JSON nested deeper than 64 levels"},
      {R"({"concepts":[)" + c + R"(],"items":[{"id":"x",}],"z":)" + deep70 + "}",
       "limit_exceeded catalog.json: JSON nested deeper than 64 levels"},
      {R"({"concepts":[{"id":5}]})", R"(parse_error catalog.json: missing array "items")"},
      {R"({"concepts":{},"items":[{"id":"x"}]})", R"(parse_error catalog.json: missing array "concepts")"},
      {R"({"concepts":[)" + c + R"(],"items":[1]})", "parse_error catalog.json: items[0]: expected an object"},
      {R"({"concepts":[1],"items":[]})", "parse_error catalog.json: concepts[0]: expected an object"},
      {R"([{"concepts":[]}])", "parse_error catalog.json: expected a JSON object"},
      {"", "parse_error catalog.json: not valid JSON"},
      {R"({"concepts":[],"items":[]} x)", "parse_error catalog.json: not valid JSON"},
      {R"({"concepts":[)" + c + R"(],"items":[{"id":"x","title":"one","title":"two"}]})", "ok 1 two"},
      {R"({"concepts":[)" + c + R"(],"items":[{"id":"x","kind":"mentor","expertise":{"zz":1,"b":2}}]})",
       R"(unknown_id catalog.json: items[0] ("x"): field "expertise" names unknown concept "b")"},
      {R"({"meta":{"items":[1,2]},"concepts":[)" + c + R"(],"items":[{"id":"x","extra":{"a":[1,{"b":null}]}}]})", "ok 1 x"},
      {R"({"concepts":[)" + c + R"(],"items":[{"id":"x","e":)" + std::string(61, '[') + "1" + std::string(61, ']') + "}]}",
       "ok 1 x"},
      {R"({"concepts":[)" + c + R"(],"items":[{"id":"x","e":)" + std::string(62, '[') + "1" + std::string(62, ']') + "}]}",
       "limit_exceeded catalog.json: JSON nested deeper than 64 levels"},
      {R"({"concepts":[)" + c + R"(],"items":[{"id":"x"},{"id":"x"}]})", R"(invalid_argument catalog.json: duplicate item id "x")"},
  };
  for (const Case& k : cases) {
    // Whole text, and pulled one byte per read (every window boundary falls everywhere).
    const ByteReader one_byte = [&](uint64_t offset, char* out, size_t capacity) -> size_t {
      if (capacity == 0 || offset >= k.text.size()) return 0;
      *out = k.text[offset];
      return 1;
    };
    for (const StatusOr<Catalog>& cat : {Catalog::Parse(k.text, "catalog.json"),
                                         Catalog::ParseStream(one_byte, k.text.size(), "catalog.json", 4)}) {
      const std::string got = cat.ok() ? "ok " + std::to_string(cat->num_items()) + " " +
                                             (cat->num_items() ? cat->item(ItemIndex(0)).title : "")
                                       : std::string(ErrorCodeName(cat.status().code())) + " " + cat.status().message();
      EXPECT_EQ(got, k.expect) << k.text.substr(0, 200);
    }
  }
}

TEST(CatalogTest, DemoCatalogIsValid) {
  std::ifstream in(testing::SourcePath("data/demo/catalog.json"));
  std::stringstream ss;
  ss << in.rdbuf();
  auto cat = Catalog::Parse(ss.str(), "data/demo/catalog.json");
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  EXPECT_GE(cat->num_concepts(), 40);
  int kinds[5] = {};
  for (const Item& i : cat->items()) ++kinds[static_cast<int>(i.kind)];
  for (int k = 0; k < 5; ++k) EXPECT_GT(kinds[k], 0) << ItemKindName(static_cast<ItemKind>(k));
}

}  // namespace
}  // namespace pathlight
