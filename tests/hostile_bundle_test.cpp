// Hostile bundles and hostile JSON: every damaged bundle gets its specific error code, nothing
// crashes or hangs, and the session keeps its previous good bundle. The corpus is made by
// fuzz/hostile-corpus.mjs (scripts/harden, the last stage of scripts/test, writes it and points
// PATHLIGHT_HOSTILE_CORPUS at it; the plain ctest stage before it skips this test);
// the regression tests below are self-contained and pin the bugs that corpus and the fuzzers found.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "pathlight/api.h"
#include "pathlight/bundle.h"
#include "pathlight/profile.h"
#include "pathlight/sha256.h"
#include "test_util.h"

namespace pathlight {
namespace {

using nlohmann::json;

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A good bundle in memory: the project's demo catalog with seeded factors (k = 8).
struct Encoded {
  json manifest;
  BundleParts parts;
  std::string Text() const { return manifest.dump(2); }
};

Encoded GoodBundle(CatalogEncoding catalog_encoding = CatalogEncoding::kBinary) {
  auto cat = Catalog::Parse(Slurp(testing::SourcePath("data/demo/catalog.json")), "demo");
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  ModelInfo info;
  info.dataset = "demo";
  info.regularization = 1.f;
  info.alpha = 10.f;
  info.iterations = 3;
  auto b = AssembleBundle(*cat, testing::RandomMatrix(cat->num_items(), 8, 11, 0.3f), Vector(), info, FactorEncoding::kF32);
  EXPECT_TRUE(b.ok());
  Encoded e;
  std::string text;
  auto parts = EncodeBundle(*b, &text, catalog_encoding);
  EXPECT_TRUE(parts.ok());
  e.parts = std::move(parts).value();
  e.manifest = json::parse(text);
  return e;
}

// Recomputes every part's byte size and SHA-256 (so a test damages exactly one thing).
void Resign(Encoded* e) {
  for (auto& [name, entry] : e->manifest["parts"].items()) {
    const std::string& bytes = e->parts.at(entry["file"].get<std::string>());
    entry["bytes"] = bytes.size();
    entry["sha256"] = Sha256Hex(bytes);
  }
}

ErrorCode DecodeCode(const std::string& manifest, const BundleParts& parts) {
  StatusOr<Bundle> b = DecodeBundle(manifest, parts);
  return b.ok() ? ErrorCode::kOk : b.status().code();
}

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// ---- the corpus ------------------------------------------------------------------------------------

TEST(HostileBundleTest, EveryCorpusCaseGivesItsErrorCodeAndKeepsTheGoodBundle) {
  const char* dir = std::getenv("PATHLIGHT_HOSTILE_CORPUS");
  if (!dir || !std::filesystem::exists(std::string(dir) + "/cases.json"))
    GTEST_SKIP() << "no hostile corpus: make one with `node fuzz/hostile-corpus.mjs --good BUNDLE --out DIR` and set "
                    "PATHLIGHT_HOSTILE_CORPUS=DIR (scripts/test does)";
  const json cases = json::parse(Slurp(std::string(dir) + "/cases.json"));
  Session session;
  {
    auto good = ReadBundleFiles(std::string(dir) + "/good-f32");
    ASSERT_TRUE(good.ok());
    ASSERT_TRUE(session.Load(good->manifest, good->parts).ok());
  }
  const std::string good_info = session.Call("info", json::object()).dump();
  struct Tally {
    int tried = 0, wrong = 0, slow = 0;
    std::set<std::string> codes;
  };
  std::map<std::string, Tally> by_category;
  Tally total;
  double slowest = 0;
  for (const json& c : cases) {
    const std::string name = c["name"], expect = c["expect"], category = c["category"];
    const auto t0 = std::chrono::steady_clock::now();
    StatusOr<BundleFiles> files = ReadBundleFiles(std::string(dir) + "/" + name);
    const Status st = files.ok() ? session.Load(files->manifest, files->parts) : files.status();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const std::string code = st.ok() ? "ok" : ErrorCodeName(st.code());
    EXPECT_EQ(code, expect) << name << ": " << st.message();
    EXPECT_LT(seconds, 1.0) << name << " took " << seconds << " s";
    if (!st.ok()) EXPECT_FALSE(st.message().empty()) << name;
    for (Tally* t : {&by_category[category], &total}) {
      ++t->tried;
      t->codes.insert(code);
      t->wrong += code != expect;
      t->slow += seconds >= 1.0;
    }
    slowest = std::max(slowest, seconds);
    if (st.ok()) {  // a control (a good f16 / int8 variant) replaced the bundle: put the original back
      auto good = ReadBundleFiles(std::string(dir) + "/good-f32");
      ASSERT_TRUE(good.ok() && session.Load(good->manifest, good->parts).ok());
    }
    // The session still answers with the good bundle.
    const json info = session.Call("info", json::object());
    EXPECT_EQ(info.dump(), good_info) << "after " << name;
    EXPECT_TRUE(session.Call("recommend", {{"k", 5}}).contains("result")) << "after " << name;
  }
  std::printf("hostile corpus (native): %-12s %6s %6s %6s %6s\n", "category", "tried", "codes", "wrong", "slow");
  for (const auto& [cat, t] : by_category)
    std::printf("hostile corpus (native): %-12s %6d %6zu %6d %6d\n", cat.c_str(), t.tried, t.codes.size(), t.wrong, t.slow);
  std::printf("hostile corpus (native): %-12s %6d %6zu %6d %6d  (0 crashes: this process is still here; slowest %.3f s)\n",
              "total", total.tried, total.codes.size(), total.wrong, total.slow, slowest);
  EXPECT_GE(total.tried, 300);
}

// ---- regressions found by the corpus and the fuzzers ----------------------------------------------------

TEST(HostileBundleTest, GoodInMemoryBundleDecodes) {
  const Encoded e = GoodBundle();
  EXPECT_EQ(DecodeCode(e.Text(), e.parts), ErrorCode::kOk);
}

// "format": 7 made nlohmann's value() throw type_error out of DecodeBundle (std::terminate natively;
// in WASM the adapter's catch turned it into a misleading corrupt_bundle).
TEST(HostileBundleTest, Regression_NonStringFormatThrewTypeError) {
  Encoded e = GoodBundle();
  e.manifest["format"] = 7;
  EXPECT_EQ(DecodeCode(e.Text(), e.parts), ErrorCode::kParseError);
  e = GoodBundle();
  e.manifest["dataset"] = json::array({1});
  EXPECT_EQ(DecodeCode(e.Text(), e.parts), ErrorCode::kParseError);
  e = GoodBundle();
  e.manifest["model"]["algorithm"] = 3;
  EXPECT_EQ(DecodeCode(e.Text(), e.parts), ErrorCode::kParseError);
}

// Metrics nested 100,000 deep parsed fine, then copying them into ModelInfo recursed once per level
// and overflowed the stack (SIGSEGV natively; far less depth suffices for WASM's 1 MiB stack).
TEST(HostileBundleTest, Regression_DeepManifestMetricsOverflowedStack) {
  const Encoded e = GoodBundle();
  for (int depth : {65, 1000, 100000}) {
    json m = e.manifest;
    m["metrics"] = "__RAW__";
    std::string t = m.dump();
    t.replace(t.find("\"__RAW__\""), 9, Nested(depth));
    EXPECT_EQ(DecodeCode(t, e.parts), ErrorCode::kLimitExceeded) << depth;
  }
  Encoded ok = GoodBundle();
  ok.manifest["metrics"]["nested"] = json::parse(Nested(60));
  EXPECT_EQ(DecodeCode(ok.Text(), ok.parts), ErrorCode::kOk) << "depth within the limit still loads";
}

// items = 2^64 − 1 read through get<int64_t> wrapped to −1 and passed the "≤ 2^24" check; the
// bundle then failed later as corrupt_bundle instead of the documented limit_exceeded.
TEST(HostileBundleTest, Regression_CountOf2To64Minus1WrappedNegative) {
  const Encoded e = GoodBundle();
  for (const char* field : {"items", "concepts"}) {
    for (const char* value : {"18446744073709551615", "9223372036854775808"}) {
      json m = e.manifest;
      m["counts"][field] = "__RAW__";
      std::string t = m.dump();
      t.replace(t.find("\"__RAW__\""), 9, value);
      EXPECT_EQ(DecodeCode(t, e.parts), ErrorCode::kLimitExceeded) << field << " = " << value;
    }
  }
}

// "iterations": 1e30 was cast from float to int: undefined behaviour (UBSan: float-cast-overflow).
TEST(HostileBundleTest, Regression_HugeIterationsWasUndefinedCast) {
  Encoded e = GoodBundle();
  e.manifest["model"]["iterations"] = 1e30;
  EXPECT_EQ(DecodeCode(e.Text(), e.parts), ErrorCode::kParseError);
  e.manifest["model"]["iterations"] = -5;
  EXPECT_EQ(DecodeCode(e.Text(), e.parts), ErrorCode::kParseError);
}

// A part file named "../gram.f32" was refused by the native folder reader (corrupt_bundle) but, in
// WASM, the JS loader skipped the fetch and the core reported io_error: the codes differed.
TEST(HostileBundleTest, Regression_PartFileWithPathGaveDifferentCodesNativeAndWasm) {
  Encoded e = GoodBundle();
  for (const char* name : {"../gram.f32", "/etc/gram.f32", "sub/gram.f32", "..", "", "a\\gram.f32"}) {
    Encoded x = e;
    x.manifest["parts"]["gram"]["file"] = name;
    x.parts[name] = e.parts.at("gram.f32");  // even when the bytes are there
    EXPECT_EQ(DecodeCode(x.Text(), x.parts), ErrorCode::kCorruptBundle) << name;
  }
}

TEST(HostileBundleTest, CatalogLimitsAreNamed) {
  const Encoded good = GoodBundle(CatalogEncoding::kJson);
  auto with_catalog = [&](const std::string& text) {
    Encoded e = good;
    e.parts["catalog.json"] = text;
    Resign(&e);
    StatusOr<Bundle> b = DecodeBundle(e.Text(), e.parts);
    return b.ok() ? Status::Ok() : b.status();
  };
  const std::string cat = good.parts.at("catalog.json");
  // Nesting: limit_exceeded, at any depth (100,000 levels used to be parsed and kept).
  for (int depth : {65, 100000}) {
    std::string t = cat;
    t.insert(t.find("\"items\":[{") + 10, "\"extra\":" + Nested(depth) + ",");
    const Status st = with_catalog(t);
    EXPECT_EQ(st.code(), ErrorCode::kLimitExceeded) << depth << ": " << st.message();
  }
  json doc = json::parse(cat);
  json big = doc;
  big["items"][0]["title"] = std::string(70000, 'x');
  EXPECT_EQ(with_catalog(big.dump()).code(), ErrorCode::kLimitExceeded);
  big = doc;
  big["items"][0]["teaches"] = json::array();
  for (int j = 0; j < 5000; ++j) big["items"][0]["teaches"].push_back(doc["concepts"][0]["id"]);
  EXPECT_EQ(with_catalog(big.dump()).code(), ErrorCode::kLimitExceeded);
  // The same catalog, re-signed unchanged, still loads.
  EXPECT_TRUE(with_catalog(cat).ok());
}

// A request with params nested 100,000 deep was parsed, then copied (req.value("params")) with one
// stack frame per level: SIGSEGV natively, "memory access out of bounds" in the Worker.
TEST(SessionHardeningTest, Regression_DeepRequestParamsOverflowedStack) {
  const Encoded e = GoodBundle();
  Session s;
  ASSERT_TRUE(s.Load(e.Text(), e.parts).ok());
  const std::string deep = "{\"method\":\"recommend\",\"params\":{\"k\":5,\"x\":" + Nested(100000) + "}}";
  const json r = json::parse(s.CallJson(deep));
  ASSERT_TRUE(r.contains("error"));
  EXPECT_EQ(r["error"]["code"], "limit_exceeded");
  EXPECT_TRUE(json::parse(s.CallJson(R"({"method":"recommend","params":{"k":5}})")).contains("result"));
}

// Found by api_fuzzer in a fresh-clone CI run (2026-11-29, 1,651 executions):
// {"method":"mentors","params":{"k":3.9e112}} cast a double beyond int's range to int (UBSan:
// "outside the range of representable values of type 'int'"). An integer parameter must now be a
// whole number in int's range; before, 2^32 + 1 wrapped to k = 1 and 2.5 was truncated to 2.
TEST(SessionHardeningTest, Regression_HugeIntegerParamWasUndefinedCast) {
  const Encoded e = GoodBundle();
  Session s;
  ASSERT_TRUE(s.Load(e.Text(), e.parts).ok());
  const json before = s.Call("exportProfile", json::object());
  struct Case {
    const char* method;
    json params;
    const char* param;
  };
  const Case bad[] = {
      {"mentors", {{"k", 3.88889e112}}, "k"},        {"mentors", {{"k", 4294967297ULL}}, "k"},
      {"recommend", {{"k", 2.5}}, "k"},              {"recommend", {{"k", -1e300}}, "k"},
      {"recommend", {{"candidatePool", 1e20}}, "candidatePool"}, {"recommend", {{"maxMentors", "2"}}, "maxMentors"},
      {"refine", {{"epochs", 1e300}}, "epochs"},     {"similar", {{"id", "course-first-steps-in-code"}, {"k", 2147483648.0}}, "k"},
  };
  for (const Case& c : bad) {
    const json r = s.Call(c.method, c.params);
    ASSERT_TRUE(r.contains("error")) << c.method << " " << c.params.dump() << " → " << r.dump();
    EXPECT_EQ(r["error"]["code"], "invalid_argument") << r.dump();
    // Named, with the range it must lie in (api_params.cpp: integers are whole numbers in range).
    EXPECT_NE(r["error"]["message"].get<std::string>().find(std::string("parameter \"") + c.param + "\" must be "),
              std::string::npos)
        << r.dump();
    EXPECT_NE(r["error"]["message"].get<std::string>().find("["), std::string::npos) << r.dump();
  }
  EXPECT_EQ(s.Call("exportProfile", json::object()), before);
  // A whole number written as a float is the same integer.
  const json three = s.Call("recommend", {{"k", 3}}), three_float = s.Call("recommend", {{"k", 3.0}});
  ASSERT_TRUE(three.contains("result")) << three.dump();
  EXPECT_EQ(three["result"]["items"].size(), 3u);
  EXPECT_EQ(three_float, three);
}

// addEvent appended forever: a live session's log (and every exportProfile, and every copy the
// session made of it) grew without bound, although an imported profile is compacted at 5,000
// events. The session now compacts too, and no signal is lost.
TEST(SessionHardeningTest, Regression_LiveEventLogGrewWithoutBound) {
  const Encoded e = GoodBundle();
  Session s;
  ASSERT_TRUE(s.Load(e.Text(), e.parts).ok());
  const auto cat = Catalog::ParseBinary(e.parts.at("catalog.bin"), "catalog.bin");
  ASSERT_TRUE(cat.ok());
  const double now = 1.7e9;
  ASSERT_TRUE(s.Call("setProfile", {{"now", now}, {"profile", {{"format", "pathlight-profile"}, {"version", 1}}}}).contains("result"));
  Profile full;
  const char* types[] = {"view", "view", "bookmark", "enroll", "view", "dismiss", "rate"};
  for (int j = 0; j < 12000; ++j) {
    json ev = {{"type", types[j % 7]}, {"item", cat->item(ItemIndex(j % 50)).id}, {"t", now - (12000 - j) * 600.0}};
    if (j % 7 == 6) ev["rating"] = 1 + j % 5;
    ASSERT_TRUE(s.Call("addEvent", {{"event", ev}}).contains("result")) << j;
    full.events.push_back(Profile::FromJson({{"format", "pathlight-profile"}, {"version", 1}, {"events", {ev}}})->events[0]);
  }
  const json exported = s.Call("exportProfile", json::object())["result"];
  EXPECT_LE(exported["events"].size(), ProfileLimits().max_events);
  const auto compacted = Profile::FromJson(exported);
  ASSERT_TRUE(compacted.ok());
  const ItemSignals a = ItemSignalsOf(full, *cat, now), b = ItemSignalsOf(*compacted, *cat, now);
  ASSERT_EQ(a.items.size(), b.items.size());
  for (size_t j = 0; j < a.items.size(); ++j) {
    const auto& [i, w] = a.items[j];
    const auto& [i2, v] = b.items[j];
    ASSERT_EQ(i, i2);
    EXPECT_NEAR(v.weight, w.weight, 1e-3 * std::max(1.f, w.weight)) << i.value();
    EXPECT_EQ(v.fold_in_preference(), w.fold_in_preference()) << i.value();
    EXPECT_EQ(v.consumed(), w.consumed()) << i.value();
    EXPECT_EQ(v.dismissed, w.dismissed) << i.value();
  }
}

// A clock beyond the events' range ("now": 1e300) was accepted; compaction then stamped its
// summaries with it, and the exported profile no longer imported (its "t" out of range): a
// learner's saved data that the app could not read back. Found reviewing the api_fuzzer fix.
TEST(SessionHardeningTest, Regression_FarFutureNowMadeTheExportedProfileUnreadable) {
  const Encoded e = GoodBundle();
  Session s;
  ASSERT_TRUE(s.Load(e.Text(), e.parts).ok());
  const json empty = {{"format", "pathlight-profile"}, {"version", 1}};
  for (double now : {1e300, kMaxEventTime * 2, -1.0}) {
    const json r = s.Call("setProfile", {{"now", now}, {"profile", empty}});
    ASSERT_TRUE(r.contains("error")) << now;
    EXPECT_EQ(r["error"]["code"], "invalid_argument");
    EXPECT_NE(r["error"]["message"].get<std::string>().find("parameter \"now\" must be in [0, 1e+11]"), std::string::npos)
        << r.dump();
  }
  // At the latest accepted clock, a compacted log still round-trips.
  ASSERT_TRUE(s.Call("setProfile", {{"now", kMaxEventTime}, {"profile", empty}}).contains("result"));
  const auto cat = Catalog::ParseBinary(e.parts.at("catalog.bin"), "catalog.bin");
  ASSERT_TRUE(cat.ok());
  const size_t n = ProfileLimits().max_events + 10;
  for (size_t j = 0; j < n; ++j)
    ASSERT_TRUE(s.Call("addEvent", {{"event", {{"type", "view"}, {"item", cat->item(ItemIndex(j % 40)).id}, {"t", 1.7e9 + j}}}})
                    .contains("result"))
        << j;
  const json exported = s.Call("exportProfile", json::object())["result"];
  ASSERT_LE(exported["events"].size(), ProfileLimits().max_events);
  StatusOr<Profile> back = Profile::FromJson(exported);
  EXPECT_TRUE(back.ok()) << back.status().ToString();
}

// Found by a helper session probing the request API (2026-11-30): a request that failed still
// set the session's clock from its "now", so a later setProfile decayed every event to nothing.
TEST(SessionHardeningTest, Regression_FailedRequestKeptItsClock) {
  const Encoded e = GoodBundle();
  const json profile = {{"format", "pathlight-profile"},
                        {"version", 1},
                        {"events", {{{"type", "enroll"}, {"item", "course-first-steps-in-code"}, {"t", 1e9}}}}};
  Session reference, s;
  ASSERT_TRUE(reference.Load(e.Text(), e.parts).ok());
  ASSERT_TRUE(s.Load(e.Text(), e.parts).ok());
  ASSERT_TRUE(reference.Call("setProfile", {{"now", 1e9}, {"profile", profile}}).contains("result"));
  ASSERT_TRUE(s.Call("setProfile", {{"now", 1e9}, {"profile", profile}}).contains("result"));
  EXPECT_TRUE(s.Call("recommend", {{"now", kMaxEventTime}, {"k", 0}}).contains("error"));
  EXPECT_TRUE(s.Call("noSuchMethod", {{"now", kMaxEventTime}}).contains("error"));
  ASSERT_TRUE(s.Call("setProfile", {{"profile", profile}}).contains("result"));
  ASSERT_TRUE(reference.Call("setProfile", {{"profile", profile}}).contains("result"));
  const json a = s.Call("foldIn", json::object()), b = reference.Call("foldIn", json::object());
  EXPECT_EQ(a, b);
  float norm = 0;
  for (float x : a["result"]["factors"].get<std::vector<float>>()) norm += x * x;
  EXPECT_GT(norm, 0.f);  // decayed over 1e11 − 1e9 seconds, the event would weigh nothing
}

// Found by the same helper: compaction summed 260,000 "complete" events into a summary weight of
// 1,030,000, over the 1e6 that import accepts, so the exported profile did not import. addEvent
// also accepted the summary type "compacted" itself, with any weight.
TEST(SessionHardeningTest, Regression_CompactedWeightOver1e6MadeTheExportUnreadable) {
  Profile p;
  Event complete;
  complete.type = EventType::kComplete;
  complete.item = "course-first-steps-in-code";
  complete.time = 1000;
  p.events.assign(260000, complete);
  p.Compact(ProfileLimits().max_events, 1000, ConfidenceOptions());
  ASSERT_LE(p.events.size(), ProfileLimits().max_events);
  EXPECT_EQ(p.events.front().type, EventType::kCompacted);
  EXPECT_EQ(p.events.front().weight, static_cast<float>(kMaxCompactedWeight));  // 257,500 × 4, capped
  StatusOr<Profile> back = Profile::Parse(p.ToJson().dump());
  ASSERT_TRUE(back.ok()) << back.status().ToString();

  const Encoded e = GoodBundle();
  Session s;
  ASSERT_TRUE(s.Load(e.Text(), e.parts).ok());
  const json r = s.Call("addEvent", {{"event", {{"type", "compacted"}, {"item", "course-first-steps-in-code"}, {"weight", 1e6}, {"t", 1}}}});
  ASSERT_TRUE(r.contains("error")) << r.dump();
  EXPECT_EQ(r["error"]["code"], "invalid_argument");
}

// Errors that name what was wrong (same helper): malformed JSON was "invalid_argument: request
// must be {…}"; "pure": "yes" leaked nlohmann's type_error text.
TEST(SessionHardeningTest, RequestErrorsNameTheProblem) {
  const Encoded e = GoodBundle();
  Session s;
  ASSERT_TRUE(s.Load(e.Text(), e.parts).ok());
  json r = json::parse(s.CallJson(R"({"method":"info")"));
  EXPECT_EQ(r["error"]["code"], "parse_error");
  // Found by api_fuzzer in CI (2026-11-30): nlohmann's parse_error message echoes the bytes it
  // last read; with invalid UTF-8 among them, dumping the response threw (abort). The message
  // names no input bytes.
  r = json::parse(s.CallJson("{\"method\":\"addEvent\",\"params\":{\"event\":{\"item\xdc\xdc\xdc\":1}}}"));
  EXPECT_EQ(r["error"]["code"], "parse_error");
  r = json::parse(s.CallJson(R"({"method":"info","params":{"x":1e400}})"));
  EXPECT_EQ(r["error"]["code"], "parse_error");
  r = json::parse(s.CallJson(R"({"params":{}})"));
  EXPECT_EQ(r["error"]["code"], "invalid_argument");
  r = s.Call("recommend", {{"pure", "yes"}});
  EXPECT_EQ(r["error"]["message"], "recommend: parameter \"pure\" must be true or false, got a string") << r.dump();
  r = s.Call("recommend", {{"mmrLambda", {1}}});
  EXPECT_EQ(r["error"]["message"], "recommend: parameter \"mmrLambda\" must be a number in [0, 1], got an array") << r.dump();
  r = s.Call("recommend", {{"kinds", 7}});
  EXPECT_EQ(r["error"]["message"], "recommend: parameter \"kinds\" must be an array of strings, got 7") << r.dump();
  // An unknown or misspelt parameter is an error naming it, never silently ignored.
  r = s.Call("setPreferences", {{"weekly_hours", 5}});
  EXPECT_EQ(r["error"]["code"], "invalid_argument") << r.dump();
  EXPECT_NE(r["error"]["message"].get<std::string>().find("unknown parameter \"weekly_hours\""), std::string::npos) << r.dump();
  r = s.Call("recommend", {{"maxPrice", -5}});
  EXPECT_EQ(r["error"]["code"], "invalid_argument") << r.dump();
  EXPECT_TRUE(s.Call("recommend", {{"pure", true}, {"k", 2}}).contains("result"));
}

// "format": 7 in an imported profile made value() throw out of Profile::Parse (an uncaught
// exception natively; invalid_argument instead of parse_error through the Session).
TEST(SessionHardeningTest, Regression_ProfileNonStringFormatThrewTypeError) {
  StatusOr<Profile> p = Profile::Parse(R"({"format": 7, "version": 1})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::kParseError);
  // A compacted event whose "consumed" is not a bool is a parse error naming it, not an exception.
  p = Profile::Parse(R"({"format": "pathlight-profile", "version": 1, "events": [
      {"type": "compacted", "item": "x", "t": 1, "weight": 1, "consumed": "yes", "dismissed": 2}]})");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), ErrorCode::kParseError);
  EXPECT_NE(p.status().message().find("\"consumed\""), std::string::npos) << p.status().message();
}

}  // namespace
}  // namespace pathlight
