// Benchmark helpers that need the native core (run by scripts/bench):
//   pathlight_bench_tool synth-bundle --items N --out DIR [--factors K] [--encoding f32|f16|i8]
//       writes a synthetic bundle (catalog with a prerequisite DAG, mixed item kinds, item
//       factors from bench/synthetic.h) for the browser's recommend() timing.
//   pathlight_bench_tool overlap --f32 DIR --i8 DIR [--data DIR] [--top 100] [--learners N]
//       int8 vs f32 top-K agreement on a real trained model: every CoCo learner's training
//       history is folded in and ranked with each bundle; prints one JSON line.
//   pathlight_bench_tool session --bundle DIR [--calls N] [--response FILE]
//       the browser benchmark's session natively: the same 50 enroll events, two goals and a
//       known concept through the engine's JSON API (Session, as in the Worker), then `recommend`
//       {k: 10} with the product defaults, timed over N calls; prints one JSON line (median ms)
//       and optionally writes the response, to check a change leaves the answer identical.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <numeric>

#include "pathlight/api.h"
#include "pathlight/bundle.h"
#include "pathlight/trainer/publish.h"
#include "pathlight/fold_in.h"
#include "pathlight/topk.h"
#include "pathlight/trainer/dataset.h"
#include "synthetic.h"

namespace pathlight::bench {
namespace {

int Fail(const Status& st) {
  std::cerr << "error: " << st.message() << "\n";
  return 1;
}

// A synthetic catalog: `concepts` concepts where concept c may require up to two earlier ones
// (a DAG by construction), and `items` items of every kind teaching 1–3 concepts and requiring
// 0–2. Deterministic.
StatusOr<Catalog> SyntheticCatalog(int32_t items, int32_t concepts) {
  Mulberry32 rng(3);
  std::vector<Concept> cs(concepts);
  for (int32_t c = 0; c < concepts; ++c) {
    cs[c].id = "concept-" + std::to_string(c);
    cs[c].name = "Concept " + std::to_string(c);
    for (int j = 0; j < 2 && c > 0; ++j)
      if (rng.Next() % 2 == 0) {
        const ConceptIndex p(static_cast<int32_t>(rng.Next() % c));
        if (std::find(cs[c].prerequisites.begin(), cs[c].prerequisites.end(), p) == cs[c].prerequisites.end())
          cs[c].prerequisites.push_back(p);
      }
  }
  const ItemKind kinds[] = {ItemKind::kCourse, ItemKind::kCourse, ItemKind::kCourse, ItemKind::kEbook,
                            ItemKind::kConsultation, ItemKind::kMembership, ItemKind::kMentor};
  const Level levels[] = {Level::kBeginner, Level::kIntermediate, Level::kAdvanced, Level::kAll};
  std::vector<Item> is(items);
  for (int32_t i = 0; i < items; ++i) {
    Item& it = is[i];
    it.id = "item-" + std::to_string(i);
    it.kind = kinds[rng.Next() % 7];
    it.title = "Synthetic item " + std::to_string(i);
    it.price = static_cast<double>(rng.Next() % 20000) / 100.0;
    it.price_known = true;
    it.level = levels[rng.Next() % 4];
    it.hours = 1 + rng.Next() % 40;
    const int teaches = 1 + static_cast<int>(rng.Next() % 3), requires_n = static_cast<int>(rng.Next() % 3);
    for (int j = 0; j < teaches; ++j) {
      const ConceptIndex c(static_cast<int32_t>(rng.Next() % concepts));
      if (std::find(it.teaches.begin(), it.teaches.end(), c) == it.teaches.end()) it.teaches.push_back(c);
    }
    for (int j = 0; j < requires_n; ++j) {
      const ConceptIndex c(static_cast<int32_t>(rng.Next() % concepts));
      if (std::find(it.requires_concepts.begin(), it.requires_concepts.end(), c) == it.requires_concepts.end() &&
          std::find(it.teaches.begin(), it.teaches.end(), c) == it.teaches.end())
        it.requires_concepts.push_back(c);
    }
    if (it.kind == ItemKind::kMentor) {
      it.languages = {"en"};
      it.rating = 4.5;
      it.capacity = 3;
      it.expertise = {{it.teaches[0], 1.f}};
    }
  }
  return Catalog::Build(std::move(cs), std::move(is), "synthetic catalog");
}

int SynthBundle(int32_t items, int32_t factors, const std::string& encoding_name, const std::string& out) {
  const auto encoding = ParseFactorEncoding(encoding_name);
  if (!encoding) return Fail(Status(ErrorCode::kInvalidArgument, "--encoding must be f32, f16 or i8"));
  auto catalog = SyntheticCatalog(items, std::max(16, items / 500));
  if (!catalog.ok()) return Fail(catalog.status());
  // Item factors as an implicit-ALS model would have them: small entries (here uniform ±0.25).
  const std::vector<float> raw = ItemFactors(items, factors);
  const RowMatrix y = Eigen::Map<const RowMatrix>(raw.data(), items, factors) * 0.25f;
  ModelInfo info;
  info.dataset = "synthetic";
  info.factors = factors;
  info.regularization = 0.1f;
  info.alpha = 20.f;
  auto bundle = AssembleBundle(std::move(catalog).value(), y, Vector(), info, *encoding);
  if (!bundle.ok()) return Fail(bundle.status());
  // As `pathlight train` publishes: content-addressed shards with .br/.gz beside them.
  auto sha = trainer::WritePublishedBundle(*bundle, out);
  if (!sha.ok()) return Fail(sha.status());
  std::cout << nlohmann::json{{"bundle", out}, {"items", items}, {"factors", factors}, {"encoding", encoding_name},
                              {"manifest_sha256", *sha}}
                   .dump()
            << "\n";
  return 0;
}

// Part bytes of the item factors (values + row scales) per item per dimension, from the manifest.
StatusOr<double> FactorBytesPerValue(const std::string& dir) {
  std::ifstream in(dir + "/manifest.json");
  const nlohmann::json m = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (m.is_discarded()) return Status(ErrorCode::kParseError, dir + "/manifest.json is not JSON");
  const double n = m["counts"]["items"].get<double>(), k = m["model"]["factors"].get<double>();
  double bytes = m["parts"]["item_factors"]["bytes"].get<double>();
  if (m["parts"].contains("item_factor_scales")) bytes += m["parts"]["item_factor_scales"]["bytes"].get<double>();
  return bytes / (n * k);
}

std::vector<ScoredItem> Rank(const Bundle& b, const Vector& user, const std::vector<WeightedItem>& history, int top,
                             std::vector<float>* scores) {
  const int32_t n = b.catalog.num_items();
  b.item_factors.Score(user.data(), b.item_bias.data(), scores->data());
  std::vector<uint8_t> excluded(n, 0);
  for (const WeightedItem& h : history) excluded[h.item] = 1;
  return TopK(scores->data(), n, top, excluded);
}

Vector Fold(const Bundle& b, const std::vector<WeightedItem>& history) {
  const FactorTable& y = b.item_factors;
  return FoldInRows(y.cols(), b.gram, history, b.info.regularization, b.info.alpha,
                    [&](int32_t i, Eigen::VectorXf& out) { y.Row(i, out.data()); });
}

double Overlap(const std::vector<ScoredItem>& a, const std::vector<ScoredItem>& b) {
  std::vector<int32_t> x, y;
  for (const auto& s : a) x.push_back(s.item.value());
  for (const auto& s : b) y.push_back(s.item.value());
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  std::vector<int32_t> common;
  std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(common));
  return x.empty() ? 1.0 : static_cast<double>(common.size()) / static_cast<double>(x.size());
}

int OverlapCommand(const std::string& f32_dir, const std::string& i8_dir, const std::string& data, int top,
                   int32_t max_learners) {
  auto f = ReadBundleDir(f32_dir);
  if (!f.ok()) return Fail(f.status());
  auto q = ReadBundleDir(i8_dir);
  if (!q.ok()) return Fail(q.status());
  if (q->item_factors.encoding() != FactorEncoding::kInt8 || f->item_factors.encoding() != FactorEncoding::kF32)
    return Fail(Status(ErrorCode::kInvalidArgument, "--f32 must hold f32 factors and --i8 int8 factors"));
  if (f->catalog.num_items() != q->catalog.num_items())
    return Fail(Status(ErrorCode::kInvalidArgument, "the two bundles have different catalogs"));
  auto ds = trainer::LoadCoco(data);
  if (!ds.ok()) return Fail(ds.status());
  // Learner histories from the training split, mapped to the bundles' item indices by id.
  std::vector<std::map<int32_t, float>> by_user(ds->num_users());
  for (const Interaction& e : ds->train) {
    const auto idx = f->catalog.FindItem(ds->catalog.item(ItemIndex(e.item)).id);
    if (idx && e.weight > 0) by_user[e.user][idx->value()] += e.weight;
  }
  const int32_t n = f->catalog.num_items();
  std::vector<float> sf(n), sq(n);
  std::vector<double> end_to_end, same_vector;
  for (const auto& events : by_user) {
    if (events.empty()) continue;
    if (max_learners > 0 && static_cast<int32_t>(end_to_end.size()) >= max_learners) break;
    std::vector<WeightedItem> history;
    for (const auto& [item, w] : events) history.push_back({item, w});
    const Vector xf = Fold(*f, history), xq = Fold(*q, history);
    const auto top_f = Rank(*f, xf, history, top, &sf);
    end_to_end.push_back(Overlap(top_f, Rank(*q, xq, history, top, &sq)));   // each bundle folds in its own vector
    same_vector.push_back(Overlap(top_f, Rank(*q, xf, history, top, &sq)));  // scoring alone
  }
  auto summary = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / std::max<size_t>(1, v.size());
    return nlohmann::json{{"mean", mean}, {"min", v.empty() ? 0 : v.front()},
                          {"p01", v.empty() ? 0 : v[v.size() / 100]}, {"median", v.empty() ? 0 : v[v.size() / 2]}};
  };
  auto bytes = FactorBytesPerValue(i8_dir);
  if (!bytes.ok()) return Fail(bytes.status());
  auto bytes_f32 = FactorBytesPerValue(f32_dir);
  if (!bytes_f32.ok()) return Fail(bytes_f32.status());
  std::cout << nlohmann::json{{"dataset", "coco"},
                              {"items", n},
                              {"factors", f->item_factors.cols()},
                              {"top", top},
                              {"learners", end_to_end.size()},
                              {"overlap_end_to_end", summary(end_to_end)},
                              {"overlap_same_learner_vector", summary(same_vector)},
                              {"i8_factor_bytes_per_item_per_dim", *bytes},
                              {"f32_factor_bytes_per_item_per_dim", *bytes_f32}}
                   .dump()
            << "\n";
  return 0;
}

// The session of bench/web/bench.js recommend(): its learnerHistory() (mulberry32 seed 5, 50
// distinct items) as enroll events, goals = the last and the 7th-last concept, known = the first.
int SessionCommand(const std::string& dir, int calls, const std::string& response_path) {
  auto files = ReadBundleFiles(dir);
  if (!files.ok()) return Fail(files.status());
  Session session;
  if (Status st = session.Load(files->manifest, files->parts); !st.ok()) return Fail(st);
  const Catalog& cat = session.recommender()->catalog();
  const int32_t n = cat.num_items(), nc = cat.num_concepts();
  if (n < 50 || nc < 7) return Fail(Status(ErrorCode::kInvalidArgument, "the bundle needs >= 50 items and >= 7 concepts"));
  auto call = [&](const std::string& method, const nlohmann::json& params) {
    return session.CallJson(nlohmann::json{{"method", method}, {"params", params}}.dump());
  };
  call("setPreferences", {{"goals", {cat.concept_at(ConceptIndex(nc - 1)).id, cat.concept_at(ConceptIndex(nc - 7)).id}},
                          {"known", {cat.concept_at(ConceptIndex(0)).id}}});
  Mulberry32 rng(5);
  std::vector<int32_t> chosen;
  while (chosen.size() < 50) {
    const auto i = static_cast<int32_t>(rng.Next() % static_cast<uint32_t>(n));
    if (std::find(chosen.begin(), chosen.end(), i) == chosen.end()) chosen.push_back(i);
  }
  for (int32_t i : chosen) call("addEvent", {{"event", {{"type", "enroll"}, {"item", cat.item(ItemIndex(i)).id}}}});
  const std::string request = nlohmann::json{{"method", "recommend"}, {"params", {{"k", 10}}}}.dump();
  const std::string response = session.CallJson(request);
  if (!response_path.empty()) std::ofstream(response_path) << response << "\n";
  std::vector<double> ms;
  for (int c = 0; c < calls; ++c) {
    const auto t0 = std::chrono::steady_clock::now();
    const std::string r = session.CallJson(request);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (r != response) return Fail(Status(ErrorCode::kInvalidArgument, "recommend answered differently on call " + std::to_string(c)));
  }
  std::sort(ms.begin(), ms.end());
  std::cout << nlohmann::json{{"bundle", dir}, {"items", n}, {"calls", calls},
                              {"median_ms", ms.empty() ? 0 : ms[ms.size() / 2]},
                              {"p10_ms", ms.empty() ? 0 : ms[ms.size() / 10]},
                              {"p90_ms", ms.empty() ? 0 : ms[ms.size() * 9 / 10]}}
                   .dump()
            << "\n";
  return 0;
}

}  // namespace
}  // namespace pathlight::bench

int main(int argc, char** argv) {
  CLI::App app{"Pathlight benchmark helpers (scripts/bench)"};
  app.require_subcommand(1);
  int32_t items = 100000, factors = 64, top = 100, learners = 0;
  std::string encoding = "f32", out, f32_dir, i8_dir, data = "../shared/data/coco-udemy";
  auto* synth = app.add_subcommand("synth-bundle", "Write a synthetic bundle");
  synth->add_option("--items", items, "Items")->check(CLI::Range(1, 1 << 24));
  synth->add_option("--factors", factors, "k")->check(CLI::Range(1, 1024));
  synth->add_option("--encoding", encoding, "f32 | f16 | i8");
  synth->add_option("--out", out, "Output folder")->required();
  auto* overlap = app.add_subcommand("overlap", "int8 vs f32 top-K overlap on CoCo learners (JSON line)");
  overlap->add_option("--f32", f32_dir, "Bundle with f32 factors")->required();
  overlap->add_option("--i8", i8_dir, "The same model with int8 factors")->required();
  overlap->add_option("--data", data, "coco-udemy folder");
  overlap->add_option("--top", top, "K")->check(CLI::Range(1, 1000));
  overlap->add_option("--learners", learners, "At most this many learners (0 = all)");
  int calls = 200;
  std::string bundle_dir, response;
  auto* session = app.add_subcommand("session", "recommend() on the browser benchmark's session, natively (JSON line)");
  session->add_option("--bundle", bundle_dir, "Bundle folder")->required();
  session->add_option("--calls", calls, "Timed calls")->check(CLI::Range(1, 1000000));
  session->add_option("--response", response, "Write the recommend response here");
  CLI11_PARSE(app, argc, argv);
  if (*session) return pathlight::bench::SessionCommand(bundle_dir, calls, response);
  if (*synth) return pathlight::bench::SynthBundle(items, factors, encoding, out);
  return pathlight::bench::OverlapCommand(f32_dir, i8_dir, data, top, learners);
}
