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
