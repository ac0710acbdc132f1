// `pathlight tune` as an operator runs it: the generic CSV schema exported from their own data,
// tune → config file → train/eval --config, and bad input (a clear message, nothing written).
// Runs the built CLI (PATHLIGHT_CLI).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/settings.h"
#include "test_util.h"

namespace pathlight::trainer {
namespace {

using nlohmann::json;

struct CliRun {
  int code = -1;
  std::string out, err;
  json last;  // the last stdout line, when it is JSON
};

std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

CliRun Cli(const std::vector<std::string>& args, const std::string& scratch) {
  std::string cmd = Quote(PATHLIGHT_CLI);
  for (const std::string& a : args) cmd += " " + Quote(a);
  const std::string err_path = scratch + "/stderr.txt";
  cmd += " 2>" + Quote(err_path);
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_path);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  std::istringstream lines(r.out);
  std::string line, last;
  while (std::getline(lines, line))
    if (!line.empty()) last = line;
  r.last = json::parse(last, nullptr, false);
  return r;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// An operator's export in the generic CSV schema: the demo catalog's items and its simulated
// learners' events (no split column: eval and tune default to random-80-20).
std::string ExportCsv(const std::string& dir) {
  auto ds = LoadDemo(testing::SourcePath("data/demo/catalog.json"), DemoOptions{600, 7});
  EXPECT_TRUE(ds.ok());
  std::ofstream items(dir + "/items.csv");
  items << "id,kind,title\n";
  for (const Item& i : ds->catalog.items()) items << CsvField(i.id) << "," << ItemKindName(i.kind) << "," << CsvField(i.title) << "\n";
  std::ofstream events(dir + "/interactions.csv");
  events << "user,item,weight,timestamp\n";
  for (const auto* part : {&ds->train, &ds->test})
    for (const Interaction& e : *part)
      events << ds->user_ids[e.user] << "," << CsvField(ds->catalog.item(ItemIndex(e.item)).id) << "," << e.weight << ","
             << e.timestamp << "\n";
  return dir;
}

const char* kSmallSpace = R"({"factors": [8, 16], "regularization": {"min": 0.5, "max": 20, "log": true}})";

TEST(TuneCliTest, OperatorCsvTuneThenTrainAndEvalWithTheConfig) {
  const std::string dir = ExportCsv(testing::TempDir("tune-cli-csv"));
  const std::string config = dir + "/tuned.json";
  const CliRun tune = Cli({"tune", "--dataset", "csv", "--data", dir, "--budget", "3", "--space", kSmallSpace,
                        "--iterations", "5", "--out", config},
                       dir);
  ASSERT_EQ(tune.code, 0) << tune.err;
  ASSERT_TRUE(tune.last.is_object()) << tune.out;
  for (const char* key : {"best", "validation", "test", "gap", "trials"}) EXPECT_TRUE(tune.last.contains(key)) << key;
  EXPECT_EQ(tune.last["protocol"], "random-80-20");
  EXPECT_EQ(tune.last["trainings"], 3);
  EXPECT_NE(tune.err.find("tune 3/3"), std::string::npos) << tune.err;  // progress, per candidate
  const json best = tune.last["best"];
  const double validation = tune.last["validation"]["ndcg_at_10"], test = tune.last["test"]["ndcg_at_10"];
  EXPECT_GT(validation, 0);
  EXPECT_GT(test, tune.last["test"]["baseline"]["ndcg_at_10"].get<double>());
  auto written = ReadModelConfig(config);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(written->settings, best);
  EXPECT_EQ(written->provenance["chosen_on"], "validation");
  EXPECT_EQ(written->provenance["dataset"], "csv");
  EXPECT_EQ(written->provenance["protocol"], "random-80-20");
  EXPECT_EQ(written->provenance["metric"], "ndcg_at_10");
  EXPECT_EQ(written->provenance["budget"]["trainings"], 3);
  EXPECT_EQ(written->provenance["validation"]["ndcg_at_10"], validation);
  EXPECT_EQ(written->provenance["test"]["ndcg_at_10"], test);
  EXPECT_EQ(written->provenance["date"].get<std::string>().size(), 20u);  // 2025-01-31T12:00:00Z

  // train --config reads the same settings and records them in the bundle.
  const CliRun train = Cli({"train", "--dataset", "csv", "--data", dir, "--config", config, "--out", dir + "/bundle"}, dir);
  ASSERT_EQ(train.code, 0) << train.err;
  std::ifstream manifest_file(dir + "/bundle/manifest.json");
  const json manifest = json::parse(manifest_file, nullptr, false);
  ASSERT_TRUE(manifest.is_object());
  EXPECT_EQ(manifest["metrics"]["hyperparameters"]["settings"], best);
  EXPECT_EQ(manifest["metrics"]["hyperparameters"]["source"], config);
  EXPECT_EQ(manifest["metrics"]["hyperparameters"]["chosen_on"], "validation");

  // eval --config reproduces tune's validation and test figures (same splits, same seeded model).
  const CliRun eval = Cli({"eval", "--dataset", "csv", "--data", dir, "--config", config}, dir);
  ASSERT_EQ(eval.code, 0) << eval.err;
  EXPECT_EQ(eval.last["hyperparameters"]["settings"], best);
  EXPECT_DOUBLE_EQ(eval.last["validation"]["ndcg_at_10"].get<double>(), validation);
  EXPECT_DOUBLE_EQ(eval.last["ndcg_at_10"].get<double>(), test);
}

TEST(TuneCliTest, ImportCountsSessionsPricedPerHourWithNoLength) {
  // A consultation's price is per hour (docs/csv-schema.md): without `hours` what a session costs
  // is unknown, which budgets and path totals then treat as unpriced — the operator is told at
  // import. By hand: k0 (60 per hour, no hours) and m0 (a mentor, 80, no hours, no offerings) are
  // such; k2 (2 h), the course and the unpriced consultation are not.
  const std::string dir = testing::TempDir("import-sessions");
  std::ofstream(dir + "/items.csv") << "id,kind,title,price,hours\n"
                                       "k0,consultation,K0,60,\n"
                                       "k2,consultation,K2,90,2\n"
                                       "kx,consultation,KX,,\n"
                                       "m0,mentor,M0,80,\n"
                                       "c,course,C,10,\n";
  std::ofstream(dir + "/interactions.csv") << "user,item,weight\nu1,k0,1\nu1,c,1\nu2,k2,1\nu2,m0,1\nu3,c,1\nu3,kx,1\n";
  const CliRun r = Cli({"import", "--dataset", "csv", "--data", dir}, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.last.value("sessions_without_length", -1), 2) << r.out;
  EXPECT_NE(r.err.find("2 consultations or mentors have a price per hour but no session length"), std::string::npos) << r.err;
}

TEST(TuneCliTest, Regression_AFlagThatDoesNotApplyIsAnErrorNotIgnored) {
  // Found by a helper breaking the importers: --learners and --fold were ignored with a CSV data
  // set, --seed -1 trained with seed 2^64-1, and `--dataset csv` without --data read "/items.csv".
  const std::string dir = testing::TempDir("cli-flags-apply");
  const std::string data = testing::SourcePath("tests/fixtures/csv");
  const std::pair<std::vector<std::string>, const char*> cases[] = {
      {{"import", "--dataset", "csv", "--data", data, "--learners", "7"}, "--learners applies to --dataset demo"},
      {{"import", "--dataset", "csv", "--data", data, "--fold", "3"}, "--fold applies to --dataset movielens"},
      {{"import", "--dataset", "csv"}, "--dataset csv needs --data DIR"},
      {{"train", "--dataset", "demo", "--data", testing::SourcePath("data/demo/catalog.json"), "--seed", "-1", "--out", dir + "/b"}, "--seed: expected a whole number >= 0 in decimal digits, got -1"},
      {{"train", "--dataset", "demo", "--data", testing::SourcePath("data/demo/catalog.json"), "--seed", "0x10", "--out", dir + "/b"}, "--seed: expected a whole number >= 0 in decimal digits (like 10; not hexadecimal or octal), got 0x10"},
      {{"train", "--dataset", "demo", "--data", testing::SourcePath("data/demo/catalog.json"), "--seed", "18446744073709551616", "--out", dir + "/b"},
       "--seed: expected an integer 0..2^64-1, got 18446744073709551616"},  // was clamped to 2^64-1
      {{"train", "--dataset", "demo", "--data", testing::SourcePath("data/demo/catalog.json"), "--config", dir + "/huge.json", "--out", dir + "/b"},
       "is larger than 1 MiB"},  // was read whole: /dev/zero or a file of gigabytes ended in std::bad_alloc
      // helper-40: --threads 65536 crashed in libgomp (segfault); 1e39 became inf, said as "got null".
      {{"train", "--dataset", "csv", "--data", data, "--threads", "65536", "--out", dir + "/b"}, "error: --threads: Value 65536 not in range 0 to 1024"},
      {{"train", "--dataset", "csv", "--data", data, "--alpha", "1e39", "--out", dir + "/b"}, "expected a finite number >= 0 up to 3.4e38 (float32), got 1e39"},
      {{"train", "--dataset", "csv", "--data", data, "--regularization", "nan", "--out", dir + "/b"}, "--regularization: expected a decimal number (like 0.5, 10 or 1e-3), got nan"},
      // helper-43: a value > 0 below float32's normal range was quoted back as "got 0.0", or trained
      // into a prior that is not finite (--noise-precision 1e-40).
      {{"train", "--dataset", "csv", "--data", data, "--model", "bpr", "--learning-rate", "1e-50", "--out", dir + "/b"}, "expected a finite number in [1.2e-38, 3.4e38] (float32), got 1e-50"},
      {{"train", "--dataset", "csv", "--data", data, "--noise-precision", "1e-40", "--out", dir + "/b"}, "expected a finite number in [1.2e-38, 3.4e38] (float32), got 1e-40"},
      {{"eval", "--dataset", "csv", "--data", data, "--validation-share", "0"}, "expected a number in (0, 1), both ends excluded, got 0"},
      // helper-43: numbers were read by C's base-0 rules (--factors 0x10 trained 16 factors, 010
      // trained 8) and a fraction was "not in range" (--folds 2.5, whose range is 2..20).
      {{"train", "--dataset", "csv", "--data", data, "--factors", "0x10", "--out", dir + "/b"},
       "--factors: expected a whole number in decimal digits (like 10; not hexadecimal or octal), got 0x10"},
      {{"eval", "--dataset", "csv", "--data", data, "--protocol", "k-fold", "--folds", "2.5"}, "--folds: expected a whole number in decimal digits, got 2.5"},
      {{"eval", "--dataset", "csv", "--data", data, "--k", "1e1"}, "--k: expected a whole number in decimal digits, got 1e1"},
      {{"train", "--dataset", "csv", "--data", data, "--alpha", "0x10", "--out", dir + "/b"}, "--alpha: expected a decimal number (like 0.5, 10 or 1e-3), got 0x10"},
      {{"eval", "--dataset", "csv", "--data", data, "--holdout", "inf"}, "--holdout: expected a decimal number (like 0.5, 10 or 1e-3), got inf"},
      {{"kg", "mine", "--dataset", "csv", "--data", data, "--min-support", ""}, "--min-support: expected a whole number in decimal digits (like 10; not hexadecimal or octal), got an empty value"},
  };
  std::ofstream(dir + "/huge.json") << "{\"model\": \"als\"" << std::string(1 << 20, ' ') << "}";
  for (const auto& [args, message] : cases) {
    const CliRun r = Cli(args, dir);
    EXPECT_EQ(r.code, 1) << args[args.size() - 1];  // usage errors too: exit 1 and an "error:" line
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/b"));
  // A whole number with leading zeros is read in decimal: 010 factors are 10, not octal 8.
  const CliRun ten = Cli({"train", "--dataset", "demo", "--data", testing::SourcePath("data/demo/catalog.json"), "--factors", "010",
                          "--iterations", "1", "--out", dir + "/ten"}, dir);
  ASSERT_EQ(ten.code, 0) << ten.err;
  EXPECT_NE(ten.out.find("\"factors\":10,"), std::string::npos) << ten.out.substr(0, 600);
  // Where they apply, they are taken: 50 simulated demo learners.
  const CliRun demo = Cli({"import", "--dataset", "demo", "--data", testing::SourcePath("data/demo/catalog.json"), "--learners", "50"}, dir);
  ASSERT_EQ(demo.code, 0) << demo.err;
  EXPECT_NE(demo.out.find("\"learners\":50"), std::string::npos) << demo.out.substr(0, 300);
}

TEST(TuneCliTest, Regression_TheOperatorsFilesAreNeverOverwrittenAndNothingAborts) {
  // Found by a helper breaking the importers: --catalog-out into --data replaced items.csv with
  // JSON; `bundle update --out P/` passed the "--out must differ from --parent" check and rewrote
  // the parent; an update retiring every item died of SIGFPE; a config number beyond double's
  // range aborted (an uncaught nlohmann exception).
  const std::string dir = testing::TempDir("cli-never-overwrite");
  std::filesystem::copy(testing::SourcePath("tests/fixtures/csv"), dir + "/data");
  const std::string items = dir + "/data/items.csv";
  std::ifstream before_in(items);
  const std::string before((std::istreambuf_iterator<char>(before_in)), std::istreambuf_iterator<char>());
  CliRun r = Cli({"import", "--dataset", "csv", "--data", dir + "/data", "--catalog-out", items}, dir);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("is a file of --data"), std::string::npos) << r.err;
  std::ifstream after_in(items);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(after_in)), std::istreambuf_iterator<char>()), before);
  EXPECT_EQ(Cli({"import", "--dataset", "csv", "--data", dir + "/data", "--catalog-out", ""}, dir).code, 1);  // a bad value: exit 1, "error:"

  ASSERT_EQ(Cli({"train", "--dataset", "csv", "--data", dir + "/data", "--out", dir + "/b"}, dir).code, 0);
  std::ifstream manifest_in(dir + "/b/manifest.json");
  const std::string manifest((std::istreambuf_iterator<char>(manifest_in)), std::istreambuf_iterator<char>());
  std::ofstream(dir + "/retire.csv") << "id,action\nc-python,retire\nc-numpy,retire\ne-pandas,retire\nc-stats,retire\n"
                                        "c-ml,retire\nm-ana,retire\n";
  r = Cli({"bundle", "update", "--parent", dir + "/b", "--items", dir + "/retire.csv", "--out", dir + "/b2"}, dir);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("retires every item"), std::string::npos) << r.err;
  for (const std::string& same : {dir + "/b/", dir + "/b/."}) {
    r = Cli({"bundle", "update", "--parent", dir + "/b", "--items", dir + "/retire.csv", "--out", same}, dir);
    EXPECT_EQ(r.code, 1) << same;
    EXPECT_NE(r.err.find("--out must differ from --parent"), std::string::npos) << r.err;
  }
  std::ifstream manifest_after(dir + "/b/manifest.json");
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(manifest_after)), std::istreambuf_iterator<char>()), manifest);

  std::ofstream(dir + "/huge.json") << R"({"model": "als", "regularization": 1e400})";
  r = Cli({"train", "--dataset", "csv", "--data", dir + "/data", "--config", dir + "/huge.json", "--out", dir + "/b3"}, dir);
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("huge.json"), std::string::npos) << r.err;
}

// Found by a helper breaking the CLI: `recommend --history` split "udemy:7" into the id "udemy"
// and the weight 7, and read "c-python:5abc" as weight 5.
TEST(RecommendCliTest, Regression_AnIdWithAColonIsReadWholeAndAWeightIsAWholeNumber) {
  const std::string dir = testing::TempDir("cli-history");
  for (const auto& e : std::filesystem::directory_iterator(testing::SourcePath("tests/fixtures/csv")))
    std::filesystem::copy_file(e.path(), dir + "/" + e.path().filename().string());
  std::ofstream(dir + "/items.csv", std::ios::app) << "udemy:7,course,An id with a colon,10,USD,beginner,en,3,python,,,,,\n";
  std::ofstream(dir + "/interactions.csv", std::ios::app) << "u1,udemy:7,1,1700000300,train\nu2,udemy:7,1,1700000300,train\n";
  const CliRun train = Cli({"train", "--dataset", "csv", "--data", dir, "--out", dir + "/bundle"}, dir);
  ASSERT_EQ(train.code, 0) << train.err;
  const auto ids = [](const CliRun& r) {
    std::vector<std::string> out;
    for (const json& it : r.last.value("items", json::array())) out.push_back(it.value("id", ""));
    return out;
  };
  const auto has = [](const std::vector<std::string>& v, const std::string& id) { return std::find(v.begin(), v.end(), id) != v.end(); };
  // The whole id, then the same id with a weight: either way it is the history (never listed).
  for (const std::string history : {"udemy:7", "udemy:7:2", "udemy:7:2,c-python"}) {
    const CliRun r = Cli({"recommend", dir + "/bundle", "--history", history, "--k", "6"}, dir);
    ASSERT_EQ(r.code, 0) << history << ": " << r.err;
    EXPECT_FALSE(has(ids(r), "udemy:7")) << history;
    EXPECT_FALSE(has(ids(r), "udemy")) << history;
    EXPECT_EQ(ids(r).size(), history.find("c-python") == std::string::npos ? 6u : 5u) << history;
  }
  const auto refused = [&](const std::string& history, const std::string& message) {
    const CliRun r = Cli({"recommend", dir + "/bundle", "--history", history}, dir);
    EXPECT_NE(r.code, 0) << history;
    EXPECT_NE(r.err.find(message), std::string::npos) << history << ": expected \"" << message << "\" in:\n" << r.err;
  };
  refused("c-python:5abc", "\"5abc\" after its last ':' is not a weight");
  refused("udemy:x", "\"x\" after its last ':' is not a weight");
  refused("c-python:0", "must be a number > 0");
  refused("c-python:1e-300", "must be a number > 0");
  refused("udemy", "item id \"udemy\" is not in the bundle");
  // helper-43: weights far above training's (1e6) scored garbage; empty entries and lists were
  // skipped (an empty history listed the catalog in file order, every score 0).
  refused("c-python:1e15", "at most 1e6");
  refused("c-python,,udemy:7", "entry 2 is empty");
  refused(",", "entry 1 is empty");
  refused("", "--history names no item");
}

// Found by helpers: k-fold on tiny data said "no learner has 2 or more training events" of a data
// set where one learner has 2 (it was one fold's training rows), and "no test split for --protocol
// temporal; use random-80-20" of a fold that got no ratings.
TEST(EvalCliTest, Regression_AKFoldErrorNamesTheFoldAndWhatItLacks) {
  const std::string dir = testing::TempDir("cli-kfold");
  std::filesystem::copy_file(testing::SourcePath("tests/fixtures/csv/items.csv"), dir + "/items.csv");
  std::filesystem::copy_file(testing::SourcePath("tests/fixtures/csv/concepts.csv"), dir + "/concepts.csv");
  const auto eval = [&](const std::string& rows, const std::string& folds) {
    std::ofstream(dir + "/interactions.csv", std::ios::trunc) << "user,item,rating,timestamp\n" << rows;
    return Cli({"eval", "--dataset", "csv", "--data", dir, "--rating-scale", "1:5", "--model", "biased-mf", "--protocol",
                "k-fold", "--folds", folds}, dir);
  };
  const auto expect_parts = [](const CliRun& r, std::initializer_list<const char*> parts) {
    EXPECT_NE(r.code, 0);
    for (const char* part : parts) EXPECT_NE(r.err.find(part), std::string::npos) << "expected \"" << part << "\" in:\n" << r.err;
  };
  // 3 ratings in 5 folds: some fold gets none to test (found before any fold is trained).
  expect_parts(eval("u1,c-python,4,1\nu2,c-python,5,2\nu1,c-numpy,3,3\n", "5"),
               {"--protocol k-fold, fold ", " of 5 has no ratings to test: 3 ratings were dealt into 5 folds", "use fewer --folds"});
  // Two ratings per learner in 2 folds: each fold trains on one rating per learner, none to validate on.
  expect_parts(eval("u1,c-python,4,1\nu1,c-numpy,3,2\nu2,c-python,5,3\nu2,c-stats,2,4\nu3,c-numpy,4,5\nu3,c-stats,3,6\n", "2"),
               {"--protocol k-fold, fold 1 of 2 (trains on the other folds' 3 of 6 ratings): ", "validation split"});
}

TEST(TuneCliTest, BadInputIsAClearMessageAndWritesNothing) {
  const std::string dir = ExportCsv(testing::TempDir("tune-cli-bad"));
  const std::string out = dir + "/tuned.json";
  const std::vector<std::string> base = {"tune", "--dataset", "csv", "--data", dir, "--iterations", "3", "--out", out};
  auto expect_refused = [&](std::vector<std::string> extra, const std::string& message) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    const CliRun r = Cli(args, dir);
    EXPECT_NE(r.code, 0) << message;
    EXPECT_NE(r.err.find(message), std::string::npos) << "expected \"" << message << "\" in:\n" << r.err;
    EXPECT_FALSE(std::filesystem::exists(out)) << message;
    EXPECT_FALSE(std::filesystem::exists(out + ".tmp")) << message;
  };
  expect_refused({"--budget", "0", "--space", kSmallSpace}, "a budget of 0 trainings");
  expect_refused({"--space", "{}"}, "search space is empty");
  expect_refused({"--space", R"({"factors": [64]})"}, "degenerate");
  expect_refused({"--space", R"({"regularization": {"min": 5, "max": 1}})"}, "degenerate range");
  expect_refused({"--space", R"({"lambda": [1, 2]})"}, "unknown key \"lambda\"");
  // Found by a helper: a float range beyond float32 trained as infinity ("regularization and alpha
  // must be finite" after the search began, naming no key); now refused with the key.
  expect_refused({"--space", R"({"regularization": {"min": 1, "max": 1e300}})"}, "search space (max) \"regularization\": expected a finite number >= 0 up to 3.4e38 (float32)");
  expect_refused({"--space", R"({"alpha": [1, 1e39]})"}, "search space \"alpha\": expected a finite number >= 0 up to 3.4e38 (float32)");
  expect_refused({"--space", R"({"factors": [8, 16],})"}, "malformed JSON");
  expect_refused({"--space", R"({"factors": [8, 16], "factors": [32, 64]})"}, "key \"factors\" appears twice");
  expect_refused({"--space", kSmallSpace, "--validation-share", "1"}, "expected a number in (0, 1), both ends excluded, got 1");
  expect_refused({"--space", kSmallSpace, "--model", "popular"}, "no hyperparameters to tune");
  expect_refused({"--space", kSmallSpace, "--learning-rate", "0.1"}, "--learning-rate applies to --model bpr");
  expect_refused({"--space", kSmallSpace, "--metric", "rmse"}, "--metric rmse");
  {
    const CliRun r = Cli({"tune", "--dataset", "csv", "--data", dir, "--out", dir + "/missing/tuned.json"}, dir);
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  }
  // An unknown key in a --config is an error naming the key; no bundle is written.
  const std::string bad = dir + "/bad.json";
  std::ofstream(bad) << R"({"model": "als", "settings": {"factors": 8, "regularisation": 2}})";
  const CliRun train = Cli({"train", "--dataset", "csv", "--data", dir, "--config", bad, "--out", dir + "/bundle"}, dir);
  EXPECT_NE(train.code, 0);
  EXPECT_NE(train.err.find("unknown key \"regularisation\""), std::string::npos) << train.err;
  EXPECT_FALSE(std::filesystem::exists(dir + "/bundle"));
  const CliRun eval = Cli({"eval", "--dataset", "csv", "--data", dir, "--config", bad}, dir);
  EXPECT_NE(eval.code, 0);
  EXPECT_NE(eval.err.find("unknown key \"regularisation\""), std::string::npos) << eval.err;
  // A config for another model than --model.
  std::ofstream(bad) << R"({"model": "bpr", "settings": {"factors": 8}})";
  const CliRun mismatch = Cli({"train", "--dataset", "csv", "--data", dir, "--config", bad, "--model", "als", "--out",
                            dir + "/bundle"},
                           dir);
  EXPECT_NE(mismatch.code, 0);
  EXPECT_NE(mismatch.err.find("holds settings for --model bpr, not als"), std::string::npos) << mismatch.err;
}

}  // namespace
}  // namespace pathlight::trainer
