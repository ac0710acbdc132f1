// Concept hygiene (kg_clean.h) on a hand-built catalog where every rule has one case to catch and
// one to leave alone, the concept map applied back to a data set, and language tags.
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "../trainer/src/import_util.h"
#include "pathlight/trainer/kg_clean.h"
#include "test_util.h"

namespace pathlight::trainer {
namespace {

// Items by title and concepts; learners 0–49 study "dev/web" items, 50–99 "health/mind" ones.
struct Fixture {
  std::vector<std::string> names;
  std::vector<Item> items;
  std::vector<std::string> categories;
  int32_t ConceptOf(const std::string& name) {
    for (size_t c = 0; c < names.size(); ++c)
      if (names[c] == name) return static_cast<int32_t>(c);
    names.push_back(name);
    return static_cast<int32_t>(names.size() - 1);
  }
  void AddItem(const std::string& title, std::vector<std::string> teaches, bool dev = true) {
    Item item;
    item.id = "i" + std::to_string(items.size());
    item.title = title;
    for (const std::string& t : teaches) item.teaches.push_back(ConceptIndex(ConceptOf(t)));
    items.push_back(item);
    categories.push_back(dev ? "dev/web" : "health/mind");
  }
  Dataset Build(std::map<int32_t, int32_t> learners_of_item = {}) {
    Dataset ds;
    std::vector<pathlight::Concept> concepts;
    for (const std::string& n : names) concepts.push_back(pathlight::Concept{n, n, "", {}});
    auto cat = Catalog::Build(concepts, items, "fixture");
    EXPECT_TRUE(cat.ok()) << cat.status().ToString();
    ds.catalog = std::move(cat).value();
    ds.item_category = categories;
    for (int u = 0; u < 100; ++u) ds.user_ids.push_back("u" + std::to_string(u));
    for (size_t i = 0; i < items.size(); ++i) {
      const bool dev = categories[i] == "dev/web";
      auto it = learners_of_item.find(static_cast<int32_t>(i));
      const int32_t n = it == learners_of_item.end() ? 10 : it->second;
      for (int32_t k = 0; k < n; ++k)
        ds.train.push_back({(dev ? 0 : 50) + static_cast<int32_t>((i * 7 + k) % 50), static_cast<int32_t>(i), 1.f, 0});
    }
    return ds;
  }
};

const ConceptDecision& Decision(const CleanResult& r, const std::string& concept) {
  for (const ConceptDecision& d : r.decisions)
    if (d.concept == concept) return d;
  static ConceptDecision none;
  ADD_FAILURE() << "no decision for " << concept;
  return none;
}

Fixture Catalogue() {
  Fixture f;
  for (int i = 0; i < 6; ++i) f.AddItem("Learn Python " + std::to_string(i), {"Python (programming language)"});
  f.AddItem("Python For Hackers", {"Pythonidae"});  // the linker's wrong sense, the item's only concept
  for (int i = 0; i < 3; ++i) f.AddItem("Java Basics " + std::to_string(i), {"Java"});
  for (int i = 0; i < 2; ++i) f.AddItem("Java Deep Dive " + std::to_string(i), {"Java (programming language)"});
  for (int i = 0; i < 5; ++i) f.AddItem("Data Science Bootcamp " + std::to_string(i), {"Data", "Data science"});
  f.AddItem("Build iOS Apps", {"IOS"});
  f.AddItem("iOS 11 Masterclass", {"IOS"});
  f.AddItem("Managing Stress", {"Combat stress reaction", "Stress management"}, false);
  f.AddItem("Stress Free Life", {"Stress management"}, false);
  for (int i = 0; i < 10; ++i) f.AddItem("Course Tips " + std::to_string(i), {"Meta"}, i % 2 == 0);
  f.AddItem("Geometry Basics", {"Geometry"});  // a rare concept that is its item's only one
  for (int i = 0; i < 10; ++i) f.AddItem("Web Design " + std::to_string(i), {"Web design"});
  return f;
}

TEST(KgCleanTest, EachRuleCatchesItsCase) {
  Fixture f = Catalogue();
  // Combat stress reaction's item has 2 learners (one below min_learners 5), Geometry's 1.
  const int32_t stress_item = 19, geometry_item = 31;
  ASSERT_EQ(f.items[stress_item].title, "Managing Stress");
  ASSERT_EQ(f.items[geometry_item].title, "Geometry Basics");
  const Dataset ds = f.Build({{stress_item, 2}, {geometry_item, 1}});
  const CleanResult r = CleanConcepts(ds, CleanOptions());

  const ConceptDecision& pythonidae = Decision(r, "Pythonidae");
  EXPECT_EQ(pythonidae.action, ConceptAction::kMerge);
  EXPECT_EQ(pythonidae.into, "Python (programming language)");
  EXPECT_NE(pythonidae.reason.find("wrong sense"), std::string::npos) << pythonidae.reason;

  const ConceptDecision& java = Decision(r, "Java (programming language)");
  EXPECT_EQ(java.action, ConceptAction::kMerge);
  EXPECT_EQ(java.into, "Java");  // the one with more items
  EXPECT_NE(java.reason.find("near-duplicate"), std::string::npos) << java.reason;

  const ConceptDecision& data = Decision(r, "Data");
  EXPECT_EQ(data.action, ConceptAction::kDrop);
  EXPECT_DOUBLE_EQ(data.fragment, 1.0);
  EXPECT_NE(data.reason.find("partial mention"), std::string::npos) << data.reason;
  EXPECT_EQ(Decision(r, "Data science").action, ConceptAction::kKeep);

  const ConceptDecision& ios = Decision(r, "IOS");
  EXPECT_EQ(ios.action, ConceptAction::kRename);
  EXPECT_EQ(ios.name, "iOS");
  EXPECT_EQ(ios.into, "IOS");  // ids never change

  const ConceptDecision& stress = Decision(r, "Combat stress reaction");
  EXPECT_EQ(stress.action, ConceptAction::kDrop);
  EXPECT_NE(stress.reason.find("too little support"), std::string::npos) << stress.reason;
  // Geometry has one learner but is its item's only concept: support alone never takes it.
  EXPECT_EQ(Decision(r, "Geometry").action, ConceptAction::kKeep);

  // Meta: 5 items in each of two categories no learner shares. Random items: 35 dev and 7 health
  // of 42 → r = (35² + 7²)/42²; Meta's pairs: 20 of 45 in the same category.
  const ConceptDecision& meta = Decision(r, "Meta");
  EXPECT_EQ(meta.action, ConceptAction::kDrop);
  const double random = (35.0 * 35 + 7.0 * 7) / (42.0 * 42), mean = 20.0 / 45;
  EXPECT_NEAR(meta.coherence, (mean - random) / (1 - random), 1e-12);
  EXPECT_NE(meta.reason.find("unrelated categories"), std::string::npos) << meta.reason;
  const ConceptDecision& web = Decision(r, "Web design");
  EXPECT_EQ(web.action, ConceptAction::kKeep);
  EXPECT_NEAR(web.coherence, 1.0, 1e-12);

  EXPECT_EQ(Decision(r, "Python (programming language)").name, "Python");  // the qualifier goes
  EXPECT_EQ(Decision(r, "Python (programming language)").action, ConceptAction::kRename);

  // Coverage: all 42 items teach a concept; the 10 Meta items lose theirs, no other item does.
  EXPECT_DOUBLE_EQ(r.coverage_before, 1.0);
  EXPECT_DOUBLE_EQ(r.coverage_after, 32.0 / 42);
}

TEST(KgCleanTest, ConceptMapAppliedToTheDataSet) {
  Fixture f = Catalogue();
  Dataset ds = f.Build({{19, 2}, {31, 1}});
  const CleanResult r = CleanConcepts(ds, CleanOptions());
  const std::string dir = testing::TempDir("concept-map");
  ASSERT_TRUE(WriteConceptMap(r, dir + "/concept_map.csv").ok());
  ASSERT_TRUE(ApplyConceptMap(dir + "/concept_map.csv", &ds).ok());
  const Catalog& cat = ds.catalog;
  EXPECT_FALSE(cat.FindConcept("Pythonidae"));
  EXPECT_FALSE(cat.FindConcept("Data"));
  EXPECT_FALSE(cat.FindConcept("Meta"));
  ASSERT_TRUE(cat.FindConcept("IOS"));
  EXPECT_EQ(cat.concept_at(*cat.FindConcept("IOS")).name, "iOS");
  // The wrong-sense item now teaches Python; the merged Java items teach Java.
  const Item& hackers = cat.item(ItemIndex(6));
  ASSERT_EQ(hackers.teaches.size(), 1u);
  EXPECT_EQ(cat.concept_at(hackers.teaches[0]).id, "Python (programming language)");
  const Item& deep = cat.item(ItemIndex(10));
  ASSERT_EQ(deep.teaches.size(), 1u);
  EXPECT_EQ(cat.concept_at(deep.teaches[0]).id, "Java");
  EXPECT_EQ(cat.item(ItemIndex(19)).teaches.size(), 1u);  // Combat stress reaction gone, Stress management stays
  EXPECT_TRUE(cat.item(ItemIndex(21)).teaches.empty());    // a Meta item
  EXPECT_EQ(ds.report["concept_map"]["concepts_after"], cat.num_concepts());
}

TEST(KgCleanTest, ConceptMapBadRows) {
  Fixture f = Catalogue();
  const std::string dir = testing::TempDir("concept-map-bad");
  auto apply = [&](const std::string& text) {
    std::ofstream(dir + "/m.csv", std::ios::trunc) << text;
    Dataset ds = f.Build();
    return ApplyConceptMap(dir + "/m.csv", &ds);
  };
  const Status unknown = apply("concept,action,id,name\nRust,keep,Rust,Rust\n");
  EXPECT_EQ(unknown.code(), ErrorCode::kUnknownId);
  EXPECT_NE(unknown.message().find("line 2"), std::string::npos) << unknown.message();
  const Status action = apply("concept,action,id,name\nJava,delete,,\n");
  EXPECT_EQ(action.code(), ErrorCode::kParseError);
  EXPECT_NE(action.message().find("keep, rename, merge or drop"), std::string::npos) << action.message();
  const Status into_dropped = apply("concept,action,id,name\nData,drop,,\nData science,merge,Data,\n");
  EXPECT_EQ(into_dropped.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(into_dropped.message().find("line 3"), std::string::npos) << into_dropped.message();
  const Status renamed_id = apply("concept,action,id,name\nJava,rename,Java2,Java\n");
  EXPECT_EQ(renamed_id.code(), ErrorCode::kParseError);
  const Status twice = apply("concept,action,id,name\nJava,keep,Java,Java\nJava,drop,,\n");
  EXPECT_EQ(twice.code(), ErrorCode::kParseError);
  EXPECT_TRUE(apply("concept,action,id,name\nJava,keep,Java,Java\n").ok());  // the others kept as they are
}

TEST(KgCleanTest, EdgesFileAddedWithEveryCycleNamed) {
  Fixture f = Catalogue();
  const std::string dir = testing::TempDir("edges-apply");
  {
    Dataset ds = f.Build();
    std::ofstream(dir + "/e.csv", std::ios::trunc) << "prerequisite,concept\nJava,Data science\nJava,Data science\nWeb design,Web design\n";
    ASSERT_TRUE(ApplyEdgesFile(dir + "/e.csv", &ds).ok());
    const ConceptIndex ds_c = *ds.catalog.FindConcept("Data science");
    ASSERT_EQ(ds.catalog.concept_at(ds_c).prerequisites.size(), 1u);
    EXPECT_EQ(ds.report["edges_file"]["duplicates_merged"], 1);
    EXPECT_EQ(ds.report["edges_file"]["self_edges_dropped"], 1);
  }
  {
    Dataset ds = f.Build();
    std::ofstream(dir + "/c.csv", std::ios::trunc) << "prerequisite,concept\nJava,Geometry\nGeometry,Java\nData,Meta\nMeta,Data\n";
    const Status st = ApplyEdgesFile(dir + "/c.csv", &ds);
    EXPECT_EQ(st.code(), ErrorCode::kCycle);
    EXPECT_NE(st.message().find("Java → Geometry (line 2) → Java (line 3)"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("(line 4)"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("(line 5)"), std::string::npos) << st.message();
  }
}

TEST(KgCleanTest, LanguageTags) {
  EXPECT_EQ(LanguageTag("thai"), "th");
  EXPECT_EQ(LanguageTag("Vietnamese"), "vi");
  EXPECT_EQ(LanguageTag("english"), "en");
  EXPECT_EQ(LanguageTag("EN"), "en");
  EXPECT_EQ(LanguageTag("zh-tw"), "zh-TW");
  EXPECT_EQ(LanguageTag("zh-hant-tw"), "zh-Hant-TW");
  EXPECT_EQ(LanguageTag("es-419"), "es-419");
  EXPECT_EQ(LanguageTag("klingon"), "");
  EXPECT_EQ(LanguageTag("e"), "");
}

}  // namespace
}  // namespace pathlight::trainer
