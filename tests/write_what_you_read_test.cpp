// Issue 16 items 4, 5 and 7: whatever the CSV importer accepts trains into a bundle that loads,
// and whatever would not load is refused at import naming file, line and column; explicit ratings
// on a declared scale (half stars end to end); profiles bounded at every change.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <fstream>

#include "pathlight/api.h"
#include "pathlight/limits.h"
#include "pathlight/profile.h"
#include "pathlight/recommender.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/evaluate.h"
#include "pathlight/trainer/rating_eval.h"
#include "../fuzz/roundtrip_util.h"
#include "test_util.h"

namespace pathlight::trainer {
namespace {

namespace fs = std::filesystem;

std::string Fixture(const std::string& name) {
  const std::string dir = testing::TempDir("wwyr-" + name);
  for (const auto& e : fs::directory_iterator(testing::SourcePath("tests/fixtures/csv")))
    fs::copy_file(e.path(), dir + "/" + e.path().filename().string());
  return dir;
}
void Write(const std::string& dir, const std::string& file, const std::string& text) {
  std::ofstream(dir + "/" + file, std::ios::binary | std::ios::trunc) << text;
}
void ExpectError(const Status& st, ErrorCode code, std::initializer_list<const char*> parts) {
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), code) << st.ToString();
  for (const char* p : parts) EXPECT_NE(st.message().find(p), std::string::npos) << "missing \"" << p << "\" in: " << st.message();
}

const char* kItemsHeader = "id,kind,title,price,currency,level,language,hours,teaches,requires,expertise,rating,capacity,languages\n";

// Values the bundle reader refuses are refused at import, with file, line and column.
TEST(WriteWhatYouReadTest, OutOfRangeValuesAreRefusedAtImport) {
  struct Case {
    const char* row;
    const char* column;
  } cases[] = {
      {"x,course,X,2e9,USD,,en,,,,,,,\n", "\"price\""},
      {"x,course,X,1,USD,,en,2e6,,,,,,\n", "\"hours\""},
      {"x,mentor,X,1,USD,,en,1,,,,,2000000,\n", "\"capacity\""},
      {"x,mentor,X,1,USD,,en,1,,,,6,,\n", "\"rating\""},
      {"x,course,X,1,USD,,en,1,,,python:0.5|python:0.7,,,\n", "\"expertise\""},
  };
  for (const Case& c : cases) {
    const std::string dir = Fixture("range");
    Write(dir, "items.csv", std::string(kItemsHeader) + "c-python,course,P,1,USD,,en,1,python,,,,,\n" + c.row);
    Write(dir, "interactions.csv", "user,item,weight\nu1,c-python,1\n");
    ExpectError(LoadCsvDataset(dir).status(), ErrorCode::kParseError, {"items.csv", "line 3", c.column});
  }
}

TEST(WriteWhatYouReadTest, TextThatIsNotUtf8IsRefusedWithFileLineAndColumn) {
  const std::string dir = Fixture("utf8");
  Write(dir, "items.csv", std::string(kItemsHeader) + "c-python,course,P,1,USD,,en,1,python,,,,,\n" +
                              "c-bad,course,Caf\xE9 Latin-1,1,USD,,en,1,,,,,,\n");
  Write(dir, "interactions.csv", "user,item,weight\nu1,c-python,1\n");
  const Status st = LoadCsvDataset(dir).status();
  ExpectError(st, ErrorCode::kParseError, {"items.csv", "line 3", "column \"title\"", "not UTF-8", "offset 3"});
  // The message itself is UTF-8 (it never echoes the bad bytes): it can be printed and sent as JSON.
  EXPECT_TRUE(limits::ValidUtf8(st.message()));
  const std::string dir2 = Fixture("utf8-user");
  Write(dir2, "interactions.csv", "user,item,weight\nu\xC0\xAF,c-python,1\n");
  ExpectError(LoadCsvDataset(dir2).status(), ErrorCode::kParseError, {"interactions.csv", "line 2", "column \"user\""});
  const std::string dir3 = Fixture("utf8-concept");
  Write(dir3, "concepts.csv", "id,name\npython,Py\xFFthon\n");
  ExpectError(LoadCsvDataset(dir3).status(), ErrorCode::kParseError, {"concepts.csv", "line 2", "column \"name\""});
}

// Duplicate edges, teaches and requires entries, weight 0 and repeated (learner, item): one meaning each.
TEST(WriteWhatYouReadTest, DuplicatesAndZeroWeightsHaveOneMeaningEach) {
  const std::string dir = Fixture("dups");
  Write(dir, "edges.csv", "prerequisite,concept\npython,numpy\npython,numpy\nnumpy,pandas\n");
  Write(dir, "items.csv", std::string(kItemsHeader) + "c-python,course,P,1,USD,,en,1,python|python,,,,,\n" +
                              "c-numpy,course,N,1,USD,,en,1,numpy,python|python,,,,\n");
  Write(dir, "interactions.csv", "user,item,weight\nu1,c-python,1\nu1,c-python,2\nu1,c-numpy,0\nu2,c-numpy,0\n");
  auto ds = LoadCsvDataset(dir);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_EQ(ds->report["edges_duplicates_merged"], 1);
  EXPECT_EQ(ds->report["duplicate_list_entries"], 2);
  EXPECT_EQ(ds->report["zero_weight_skipped"], 2);
  EXPECT_EQ(ds->report["duplicates_summed"], 1);
  const Concept& numpy = ds->catalog.concept_at(*ds->catalog.FindConcept("numpy"));
  EXPECT_EQ(numpy.prerequisites.size(), 1u);
  EXPECT_EQ(ds->catalog.item(*ds->catalog.FindItem("c-python")).teaches.size(), 1u);
  EXPECT_EQ(ds->num_users(), 1);  // u2 had only a zero-weight row: no signal, no learner
  const SparseRows m = BuildUserItems(ds->num_users(), ds->catalog.num_items(), ds->train);
  EXPECT_FLOAT_EQ(m.coeff(0, ds->catalog.FindItem("c-python")->value()), 3.f);
  EXPECT_EQ(m.coeff(0, ds->catalog.FindItem("c-numpy")->value()), 0.f);
}

// Half-star ratings from a CSV to a bundle whose engine folds them in and predicts on the scale.
TEST(WriteWhatYouReadTest, HalfStarRatingsEndToEnd) {
  const std::string dir = Fixture("half");
  std::string rows = "user,item,rating\n";
  const char* items[] = {"c-python", "c-numpy", "e-pandas", "c-stats", "c-ml"};
  for (int u = 0; u < 40; ++u)
    for (int i = 0; i < 5; ++i)
      if ((u + i) % 4 != 0) rows += "u" + std::to_string(u) + "," + items[i] + "," + std::to_string(0.5 * (1 + (u * 3 + i * 5) % 10)) + "\n";
  Write(dir, "interactions.csv", rows);
  ExpectError(LoadCsvDataset(dir).status(), ErrorCode::kInvalidArgument, {"--rating-scale"});
  auto bad_scale = ParseRatingScale("0:5");
  EXPECT_FALSE(bad_scale.ok());
  auto scale = ParseRatingScale("0.5:5");
  ASSERT_TRUE(scale.ok());
  auto ds = LoadCsvDataset(dir, *scale);
  ASSERT_TRUE(ds.ok()) << ds.status().ToString();
  EXPECT_TRUE(ds->explicit_ratings);
  EXPECT_EQ(ds->rating_step, 0.5f);
  EXPECT_EQ(ds->min_rating, 0.5f);
  // A rating off the scale names its line.
  Write(dir, "interactions.csv", "user,item,rating\nu1,c-python,4.5\nu1,c-numpy,5.5\n");
  ExpectError(LoadCsvDataset(dir, *scale).status(), ErrorCode::kParseError, {"line 3", "\"rating\"", "0.5..5"});
  Write(dir, "interactions.csv", rows);

  ModelOptions o;
  o.kind = ModelKind::kBiasedMf;
  o.mf.solver = BiasedMfSolver::kAls;
  o.mf.factors = 3;
  o.mf.iterations = 10;
  o.mf.min_rating = 0.5f;
  o.mf.max_rating = 5;
  o.mf.rating_step = ds->rating_step;
  auto mb = TrainBundle(*ds, o, FactorEncoding::kF32);
  ASSERT_TRUE(mb.ok()) << mb.status().ToString();
  const std::string out = testing::TempDir("half-bundle");
  ASSERT_TRUE(WriteBundleDir(mb->bundle, out).ok());
  auto loaded = ReadBundleDir(out);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->info.ratings.has_value());
  EXPECT_EQ(loaded->info.ratings->min_rating, 0.5f);
  EXPECT_EQ(loaded->info.ratings->step, 0.5f);
  Session session;
  session.Install(std::move(loaded).value());
  const nlohmann::json info = session.Call("info", {})["result"];
  EXPECT_EQ(info["ratingScale"], nlohmann::json::array({0.5, 5.0}));
  EXPECT_EQ(info["ratingStep"], 0.5);
  // A half-star rating is accepted; one below the scale is refused; predictions stay on the scale.
  auto r = session.Call("addEvent", {{"event", {{"type", "rate"}, {"item", "c-python"}, {"rating", 0.5}, {"t", 1}}}});
  EXPECT_FALSE(r.contains("error")) << r.dump();
  r = session.Call("addEvent", {{"event", {{"type", "rate"}, {"item", "c-numpy"}, {"rating", 4.5}, {"t", 2}}}});
  EXPECT_FALSE(r.contains("error")) << r.dump();
  r = session.Call("addEvent", {{"event", {{"type", "rate"}, {"item", "c-numpy"}, {"rating", 0.25}, {"t", 3}}}});
  ASSERT_TRUE(r.contains("error"));
  const nlohmann::json recs = session.Call("recommend", {{"k", 5}})["result"];
  ASSERT_TRUE(recs.contains("items")) << recs.dump();
  for (const auto& item : recs["items"]) {
    ASSERT_TRUE(item.contains("predictedRating")) << item.dump();
    EXPECT_GE(item["predictedRating"].get<double>(), 0.5);
    EXPECT_LE(item["predictedRating"].get<double>(), 5.0);
  }
  // The profile round-trips with its half-star ratings.
  const nlohmann::json exported = session.Call("exportProfile", {})["result"];
  Session again;
  again.Install(*ReadBundleDir(out));
  r = again.Call("setProfile", {{"profile", exported.dump()}});
  EXPECT_FALSE(r.contains("error")) << r.dump();
  EXPECT_EQ(again.Call("exportProfile", {})["result"], exported);
  EXPECT_NE(exported.dump().find("\"rating\":0.5"), std::string::npos) << exported.dump();

  // eval: random-80-20 and k-fold report rmse and mae on the declared scale.
  EvalOptions eo;
  eo.model = o;
  eo.protocol = "random-80-20";
  auto rand = RunProtocol(*ds, eo);
  ASSERT_TRUE(rand.ok()) << rand.status().ToString();
  EXPECT_GT((*rand)["rmse"].get<double>(), 0);
  EXPECT_LT((*rand)["rmse"].get<double>(), 4.5);  // within the scale's width
  auto kfold = RunKFoldRatings(*ds, eo, 4);
  ASSERT_TRUE(kfold.ok()) << kfold.status().ToString();
  EXPECT_EQ((*kfold)["folds"].size(), 4u);
  int64_t rated = 0;
  for (const auto& f : (*kfold)["folds"]) rated += f["ratings"].get<int64_t>();
  EXPECT_EQ(rated, static_cast<int64_t>(ds->train.size()));  // every rating tested exactly once
  EXPECT_GT((*kfold)["mae"].get<double>(), 0);
}

// The fuzzer's round trip (fuzz/roundtrip_util.h) over seeded inputs: every generated CSV either is
// refused naming its file, or trains into a bundle that loads. Hostile values are common enough
// that both outcomes occur.
TEST(WriteWhatYouReadTest, RoundTripOfSeededRandomCatalogs) {
  const std::string dir = testing::TempDir("roundtrip");
  int imported = 0, trained = 0, refused = 0;
  for (uint32_t seed = 1; seed <= 120; ++seed) {
    std::vector<uint8_t> bytes(512);
    std::mt19937 rng(seed);
    for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
    fuzz::ByteSource in(bytes.data(), bytes.size());
    const fuzz::RoundTripFiles files = fuzz::GenerateCsv(in);
    const auto r = fuzz::RoundTrip(files, dir, "", [&](bool ok, const char* property, const std::string& detail) {
      EXPECT_TRUE(ok) << "seed " << seed << ": " << property << ": " << detail;
    });
    imported += r.imported;
    trained += r.trained;
    refused += !r.imported;
  }
  EXPECT_GT(trained, 10);
  EXPECT_GT(refused, 10);
}

TEST(WriteWhatYouReadTest, InferRatingStep) {
  auto with = [](std::initializer_list<float> r) {
    std::vector<Interaction> v;
    for (float x : r) v.push_back({0, 0, x, 0});
    return v;
  };
  EXPECT_EQ(InferRatingStep(1, 5, with({1, 2, 5})), 1.f);
  EXPECT_EQ(InferRatingStep(0.5f, 5, with({0.5f, 1, 4.5f})), 0.5f);
  EXPECT_EQ(InferRatingStep(1, 10, with({1, 7.3f})), 0.1f);
  EXPECT_EQ(InferRatingStep(1, 5, with({1.2345f})), 0.f);
  // Every rating 1 on a 1..1.5 scale: 1 fits the ratings but is wider than the scale (a helper's
  // import then failed in train with "model.ratings.step must be a number in [0, max - min]").
  EXPECT_EQ(InferRatingStep(1, 1.5f, with({1, 1, 1})), 0.5f);
  // Whole stars on a 1..4.5 scale: the grid 1, 2, 3, 4 misses 4.5, so the half-star grid is kept.
  EXPECT_EQ(InferRatingStep(1, 4.5f, with({1, 2, 4})), 0.5f);
}

// Compaction keeps its cap even when the oldest half names more items than the cap allows.
TEST(ProfileBoundsTest, CompactionKeepsItsCap) {
  Profile p;
  constexpr double kDay = 86400;
  for (int i = 0; i < 3000; ++i) p.events.push_back(Event{EventType::kView, "", "item" + std::to_string(i), "", kDay * i});
  p.Compact(1000, 3000 * kDay, ConfidenceOptions());
  EXPECT_EQ(p.events.size(), 1000u);
  // 3000 distinct items for a cap of 1000: the 1000 summaries with the largest decayed weight remain
  // (the most recent views, whose decay is smallest).
  for (const Event& e : p.events) EXPECT_GE(std::stoi(e.item.substr(4)), 2000) << e.item;
  Profile q;
  for (int i = 0; i < 3000; ++i) q.events.push_back(Event{EventType::kView, "", "item" + std::to_string(i % 10), "", kDay * i});
  q.Compact(1000, 3000 * kDay, ConfidenceOptions());
  EXPECT_LE(q.events.size(), 1000u);
  EXPECT_EQ(q.events.size(), 10u + 500u);  // ten summaries, then the newer half as it was
}

// Any exported profile imports again, as text or as object: a profile whose ids are long grows past
// the text limit through events, and is compacted back under it at the change that would pass it.
// One item whose id is 1000 control characters: each event naming it is about 6 KB of JSON text
// (\u0001 escapes), so 2000 of them pass the 8 MB limit long before the 5000-event cap.
Bundle EscapedIdBundle() {
  nlohmann::json doc = {{"concepts", {{{"id", "a"}}}},
                        {"items", {{{"id", std::string(1000, '\x01')}, {"teaches", {"a"}}}, {{"id", "ca"}, {"teaches", {"a"}}}}}};
  auto cat = Catalog::FromJson(doc, "escaped");
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  auto b = AssembleBundle(*cat, testing::RandomMatrix(2, 3, 1), Vector(), ModelInfo(), FactorEncoding::kF32);
  EXPECT_TRUE(b.ok());
  return std::move(b).value();
}

TEST(ProfileBoundsTest, AnyExportImportsAgainAsTextOrObject) {
  Session s;
  s.Install(EscapedIdBundle());
  const std::string long_item(1000, '\x01'), long_id(128, 'e');
  for (int j = 0; j < 2000; ++j) {
    auto r = s.Call("addEvent", {{"event", {{"type", "view"}, {"item", long_item}, {"t", 1000 + j}}}});
    ASSERT_FALSE(r.contains("error")) << r.dump();
  }
  const nlohmann::json exported = s.Call("exportProfile", {})["result"];
  const std::string text = exported.dump();
  EXPECT_LE(text.size(), ProfileLimits().max_json_bytes);
  EXPECT_LT(exported["events"].size(), 2000u);  // compacted by size, well before the event cap
  Session again;
  again.Install(EscapedIdBundle());
  EXPECT_EQ(again.Call("setProfile", {{"profile", text}}).value("error", nlohmann::json()).dump().substr(0, 300), "null");
  EXPECT_EQ(again.Call("setProfile", {{"profile", exported}}).value("error", nlohmann::json()).dump().substr(0, 300), "null");
  EXPECT_TRUE(again.Call("exportProfile", {})["result"] == exported);  // (not printed: megabytes)
  // A profile given as an object far over the text limit is compacted under it on import.
  nlohmann::json big = exported;
  big["events"] = nlohmann::json::array();
  for (int j = 0; j < 60000; ++j)
    big["events"].push_back({{"type", "view"}, {"item", "ca"}, {"id", long_id.substr(0, 128)}, {"t", j}});
  EXPECT_GT(big.dump().size(), ProfileLimits().max_json_bytes);
  EXPECT_EQ(again.Call("setProfile", {{"profile", big}}).value("error", nlohmann::json()).dump().substr(0, 300), "null");
  const std::string back = again.Call("exportProfile", {})["result"].dump();
  EXPECT_LE(back.size(), ProfileLimits().max_json_bytes);
  EXPECT_EQ(again.Call("setProfile", {{"profile", back}}).value("error", nlohmann::json()).dump().substr(0, 300), "null");
}

}  // namespace
}  // namespace pathlight::trainer
