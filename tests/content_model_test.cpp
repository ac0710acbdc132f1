// Content-based item factors (content_model.h): a map solvable by hand, the ridge solution against
// a slow dense reference, the bundle part's round trip and hostile bytes, the engine's fill at
// load, and "items without interactions are zero whatever the solver".
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <numeric>
#include <random>

#include "pathlight/bundle.h"
#include "pathlight/content_model.h"
#include "pathlight/recommender.h"
#include "pathlight/sha256.h"
#include "pathlight/trainer/cold_items.h"
#include "pathlight/trainer/evaluate.h"
#include "pathlight/trainer/models.h"
#include "test_util.h"

namespace pathlight {
namespace {

// Concepts a, b; items i0 (teaches a), i1 (teaches b), i2 (teaches a), i3 (teaches a and b),
// i4 (teaches nothing). All courses, level all, no price, English, one-letter titles (no words).
Catalog HandCatalog() {
  auto cat = Catalog::FromJson(nlohmann::json::parse(R"({
    "concepts": [{"id": "a"}, {"id": "b"}],
    "items": [{"id": "i0", "title": "p", "teaches": ["a"]}, {"id": "i1", "title": "q", "teaches": ["b"]},
              {"id": "i2", "title": "r", "teaches": ["a"]}, {"id": "i3", "title": "s", "teaches": ["a", "b"]},
              {"id": "i4", "title": "t"}]})"),
                               "hand");
  EXPECT_TRUE(cat.ok()) << cat.status().ToString();
  return *cat;
}

// Trained: y(i0) = 2, y(i1) = 0 (k = 1), biases 0. By hand (dual form, λ = 1): m = 1, centred
// targets t = [1, −1]; φ0 = e_a + c, φ1 = e_b + c with c the four shared one-hot features
// (kind, level, price band, language), so ΦΦᵀ = [[5, 4], [4, 5]] and (ΦΦᵀ + I)t = 2t: α = t/2 and
// W = Φᵀα = ½e_a − ½e_b. Hence ŷ = 1 + φᵀW: teaches a → 1.5; b → 0.5; a and b (each 1/√2) → 1;
// nothing → 1.
TEST(ContentModelTest, HandSolvedMap) {
  const Catalog cat = HandCatalog();
  RowMatrix y = RowMatrix::Zero(5, 1);
  y(0, 0) = 2;
  ContentOptions o;
  o.regularizations = {1.f};
  auto fit = FitContentModel(cat, y, Vector(), {1, 1, 0, 0, 0}, o);
  ASSERT_TRUE(fit.ok()) << fit.status().ToString();
  EXPECT_EQ(fit->regularization, 1.f);
  EXPECT_EQ(fit->trained_items, 2);
  float p[2];
  const std::pair<const char*, float> expected[] = {{"i2", 1.5f}, {"i1", 0.5f}, {"i3", 1.f}, {"i4", 1.f}, {"i0", 1.5f}};
  for (const auto& [id, value] : expected) {
    fit->model.Predict(cat.item(*cat.FindItem(id)), p);
    EXPECT_NEAR(p[0], 0.f, 1e-6) << id;  // biases were all 0
    EXPECT_NEAR(p[1], value, 1e-5) << id;
  }
}

// HandCatalog's bundle in one factor encoding, k = 1: i0 and i1 trained (2 and −0.5, kept as they
// are), i2..i4 without interactions (zero rows); `model`: the map fitted on i0, i1 at λ = 1 (not
// attached to `bundle`).
struct HandBundle {
  Catalog cat;
  RowMatrix y;
  ContentModel model;
  Bundle bundle;
};
HandBundle MakeHandBundle(FactorEncoding enc) {
  HandBundle h{HandCatalog(), RowMatrix::Zero(5, 1), {}, {}};
  h.y(0, 0) = 2;
  h.y(1, 0) = -0.5f;
  ContentOptions o;
  o.regularizations = {1.f};
  auto fit = FitContentModel(h.cat, h.y, Vector(), {1, 1, 0, 0, 0}, o);
  EXPECT_TRUE(fit.ok()) << fit.status().ToString();
  auto b = AssembleBundle(h.cat, h.y, Vector(), ModelInfo(), enc);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  h.model = fit->model;
  h.bundle = std::move(b).value();
  return h;
}

TEST(ContentModelTest, FillGivesZeroRowsContentFactorsAndKeepsGramAndConceptVectorsConsistent) {
  for (FactorEncoding enc : {FactorEncoding::kF32, FactorEncoding::kF16, FactorEncoding::kInt8}) {
    HandBundle h = MakeHandBundle(enc);
    const Catalog& cat = h.cat;
    Bundle* b = &h.bundle;
    b->content_model = h.model;
    auto filled = FillContentFactors(&*b);
    ASSERT_TRUE(filled.ok());
    EXPECT_EQ(*filled, 3);  // i2, i3, i4
    const RowMatrix now = b->item_factors.Dequantized();
    EXPECT_NEAR(now(0, 0), 2.f, 1e-2);
    EXPECT_NEAR(now(1, 0), -0.5f, 1e-2);
    float p[2];
    h.model.Predict(cat.item(ItemIndex(2)), p);
    EXPECT_NEAR(now(2, 0), p[1], 2e-2);
    // Gram and concept vectors as AssembleBundle computes them from the filled factors.
    auto again = AssembleBundle(cat, now, Vector(), ModelInfo(), FactorEncoding::kF32);
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(b->gram.isApprox(again->gram, 1e-5f)) << b->gram << " vs " << again->gram;
    EXPECT_TRUE(b->concept_vectors.isApprox(again->concept_vectors, 1e-5f));
    // A second fill finds nothing left to do.
    EXPECT_EQ(*FillContentFactors(&*b), 0);
  }
}

// A bundle as writers wrote it before they gave content rows themselves: `b`'s zero rows as they
// are, and `model` among the parts (file "content_model.bin"), which the engine fetches and applies.
BundleParts AsWrittenBefore(const Bundle& b, const ContentModel& model, std::string* manifest) {
  Bundle without = b;
  without.content_model.reset();
  auto parts = EncodeBundle(without, manifest);
  EXPECT_TRUE(parts.ok()) << parts.status().ToString();
  const std::string bytes = model.ToBinary();
  nlohmann::json m = nlohmann::json::parse(*manifest);
  m["parts"]["content_model"] = {{"file", "content_model.bin"}, {"bytes", bytes.size()}, {"sha256", Sha256Hex(bytes)},
                                 {"dtype", "content-v1"}};
  *manifest = m.dump();
  (*parts)["content_model.bin"] = bytes;
  return *parts;
}

// The writer gives the rows the engine used to give at load: a bundle written with a content model
// (the model a writer part) and the same bundle as written before (zero rows, the model a part
// the engine fetches and applies) end up with the same factors, biases, Gram matrix and concept
// vectors, bit for bit. The writer part is read only when its file is added (a writer), and a
// client's reader needs nothing of it.
TEST(ContentModelTest, WriterGivesTheRowsTheEngineGaveAtLoad) {
  for (FactorEncoding enc : {FactorEncoding::kF32, FactorEncoding::kF16, FactorEncoding::kInt8}) {
    HandBundle h = MakeHandBundle(enc);
    Bundle* b = &h.bundle;
    // As written before: zero rows, and the model among the parts.
    std::string old_manifest;
    const BundleParts old_parts = AsWrittenBefore(*b, h.model, &old_manifest);
    const std::string model_bytes = h.model.ToBinary();
    auto legacy = DecodeBundle(old_manifest, old_parts);
    ASSERT_TRUE(legacy.ok()) << legacy.status().ToString();
    const Recommender at_load(std::move(legacy).value());
    // As written now.
    b->content_model = h.model;
    std::string manifest;
    auto parts = EncodeBundle(*b, &manifest);
    ASSERT_TRUE(parts.ok()) << parts.status().ToString();
    EXPECT_EQ(b->item_factors.DataBytes(), MakeHandBundle(enc).bundle.item_factors.DataBytes())
        << "the caller's bundle is not changed";
    const nlohmann::json written = nlohmann::json::parse(manifest);
    ASSERT_FALSE(written["parts"].contains("content_model"));
    const std::string file = written["writer_parts"]["content_model"]["file"].get<std::string>();
    ASSERT_EQ(parts->at(file), model_bytes);
    // A client's reader: the parts only. The engine has nothing left to fill.
    BundleParts client = *parts;
    client.erase(file);
    auto fetched = DecodeBundle(manifest, client);
    ASSERT_TRUE(fetched.ok()) << fetched.status().ToString();
    EXPECT_FALSE(fetched->content_model.has_value());
    const Recommender now(std::move(fetched).value());
    const Bundle& x = now.bundle();
    const Bundle& want = at_load.bundle();
    EXPECT_EQ(x.item_factors.DataBytes(), want.item_factors.DataBytes()) << FactorEncodingName(enc);
    EXPECT_EQ(x.item_factors.ScaleBytes(), want.item_factors.ScaleBytes());
    EXPECT_EQ(0, std::memcmp(x.item_bias.data(), want.item_bias.data(), sizeof(float) * 5));
    EXPECT_EQ(0, std::memcmp(x.gram.data(), want.gram.data(), sizeof(float) * x.gram.size()));
    ASSERT_EQ(x.concept_vectors.size(), want.concept_vectors.size());
    EXPECT_EQ(0, std::memcmp(x.concept_vectors.data(), want.concept_vectors.data(), sizeof(float) * x.concept_vectors.size()));
    Vector row(1);
    x.item_factors.Row(4, row.data());
    EXPECT_NE(row[0], 0.f) << "i4 (no interactions) has its content row in the file";
    // A writer's reader: with the file, the model is read back and checked.
    auto again = DecodeBundle(manifest, *parts);
    ASSERT_TRUE(again.ok());
    ASSERT_TRUE(again->content_model.has_value());
    EXPECT_EQ(again->content_model->ToBinary(), model_bytes);
    (*parts)[file][7] ^= 1;  // damaged: its SHA-256 fails
    auto damaged = DecodeBundle(manifest, *parts);
    ASSERT_FALSE(damaged.ok());
    EXPECT_EQ(damaged.status().code(), ErrorCode::kChecksumMismatch);
  }
}

// "writer_parts" is checked whole wherever it appears — also beside a model among the parts, where
// the reader used to skip it (and `pathlight inspect` then read unchecked entries and crashed) —
// and its errors say it is a writer part.
TEST(ContentModelTest, WriterPartsAreCheckedWholeBesideAModelAmongTheParts) {
  HandBundle h = MakeHandBundle(FactorEncoding::kF32);
  std::string legacy_manifest;
  const BundleParts legacy = AsWrittenBefore(h.bundle, h.model, &legacy_manifest);
  ASSERT_TRUE(DecodeBundle(legacy_manifest, legacy).ok());
  auto with = [&](const std::string& manifest, auto edit) {
    nlohmann::json m = nlohmann::json::parse(manifest);
    edit(m);
    return DecodeBundle(m.dump(), legacy).status();
  };
  using J = nlohmann::json;
  const Status as_list = with(legacy_manifest, [](J& m) { m["writer_parts"] = J::array({"content_model"}); });
  EXPECT_EQ(as_list.code(), ErrorCode::kParseError) << as_list.ToString();
  EXPECT_NE(as_list.message().find("\"writer_parts\" must be an object"), std::string::npos) << as_list.message();
  const Status unknown = with(legacy_manifest, [](J& m) { m["writer_parts"] = {{"evil", {{"file", 7}}}}; });
  EXPECT_EQ(unknown.code(), ErrorCode::kParseError);
  EXPECT_NE(unknown.message().find("\"evil\""), std::string::npos) << unknown.message();
  const Status twice = with(legacy_manifest, [](J& m) { m["writer_parts"] = {{"content_model", m["parts"]["content_model"]}}; });
  EXPECT_EQ(twice.code(), ErrorCode::kParseError);
  EXPECT_NE(twice.message().find("both"), std::string::npos) << twice.message();
  EXPECT_TRUE(with(legacy_manifest, [](J& m) { m["writer_parts"] = J::object(); }).ok()) << "an empty object is no writer part";
  // As a writer writes it now: an entry that is no object, or shards in it, is named as a writer part.
  h.bundle.content_model = h.model;
  std::string manifest;
  auto parts = EncodeBundle(h.bundle, &manifest);
  ASSERT_TRUE(parts.ok());
  auto now = [&](auto edit) {
    nlohmann::json m = nlohmann::json::parse(manifest);
    edit(m);
    return DecodeBundle(m.dump(), *parts).status();
  };
  const Status not_object = now([](J& m) { m["writer_parts"]["content_model"] = "content.bin"; });
  EXPECT_EQ(not_object.code(), ErrorCode::kCorruptBundle);
  EXPECT_NE(not_object.message().find("writer part \"content_model\" must be an object"), std::string::npos)
      << not_object.message();
  const Status shards = now([](J& m) {
    J& e = m["writer_parts"]["content_model"];
    e["shards"] = J::array({{{"file", e["file"]}, {"bytes", e["bytes"]}, {"sha256", e["sha256"]}}});
    e.erase("file");
    e.erase("sha256");
  });
  EXPECT_EQ(shards.code(), ErrorCode::kParseError);
  EXPECT_NE(shards.message().find("never shards"), std::string::npos) << shards.message();
  // Its file is its own: the gram's file named there (the entry copied whole, so size and SHA-256
  // agree) would be decoded as a content model from a file the engine fetches.
  const Status shared = now([](J& m) {
    J e = m["parts"]["gram"];
    e.erase("shape");
    e["dtype"] = "content-v1";
    m["writer_parts"]["content_model"] = e;
  });
  EXPECT_EQ(shared.code(), ErrorCode::kCorruptBundle) << shared.ToString();
  EXPECT_NE(shared.message().find("is also a file of part \"gram\""), std::string::npos) << shared.message();
}

// A random catalog whose ridge solution is checked against a dense solve of the normal equations.
TEST(ContentModelTest, RidgeMatchesDenseReference) {
  std::mt19937 rng(11);
  nlohmann::json doc = {{"concepts", nlohmann::json::array()}, {"items", nlohmann::json::array()}};
  for (int c = 0; c < 12; ++c) doc["concepts"].push_back({{"id", "c" + std::to_string(c)}});
  const char* words[] = {"intro", "python", "data", "web", "deep", "java", "数据"};
  const char* kinds[] = {"course", "ebook", "mentor"};
  const char* langs[] = {"en", "zh", "es"};
  for (int i = 0; i < 80; ++i) {
    nlohmann::json item = {{"id", "i" + std::to_string(i)},
                           {"kind", kinds[rng() % 3]},
                           {"language", langs[rng() % 3]},
                           {"title", std::string(words[rng() % 7]) + " " + words[rng() % 7] + "!"},
                           {"teaches", {"c" + std::to_string(rng() % 12)}},
                           {"requires", {"c" + std::to_string(rng() % 12)}}};
    if (rng() % 3) item["price"] = static_cast<double>(rng() % 300);
    if (item["kind"] == "mentor") item["expertise"] = {{"c" + std::to_string(rng() % 12), 0.5}};
    doc["items"].push_back(item);
  }
  auto cat = Catalog::FromJson(doc, "random");
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  const int k = 3;
  const RowMatrix y = testing::RandomMatrix(80, k, 5);
  const Vector bias = testing::RandomMatrix(80, 1, 6).col(0);
  std::vector<uint8_t> trained(80, 1);
  for (int i = 0; i < 80; i += 7) trained[i] = 0;
  ContentOptions o;
  o.regularizations = {0.7f};
  o.cg_tolerance = 1e-12;
  auto fit = FitContentModel(*cat, y, bias, trained, o);
  ASSERT_TRUE(fit.ok());
  const ContentModel& m = fit->model;
  EXPECT_GT(m.words.size(), 3u);  // repeated title words made the vocabulary
  // Slow reference: dense Φ, centred targets, (ΦᵀΦ + λI)W = ΦᵀT solved by LDLT.
  std::vector<int> rows;
  for (int i = 0; i < 80; ++i)
    if (trained[i]) rows.push_back(i);
  const int f = m.NumFeatures();
  Eigen::MatrixXd phi = Eigen::MatrixXd::Zero(rows.size(), f), t(rows.size(), k + 1);
  for (size_t r = 0; r < rows.size(); ++r) {
    for (const auto& [j, v] : m.Features(cat->item(ItemIndex(rows[r])))) phi(r, j) = v;
    t(r, 0) = bias[rows[r]];
    t.row(r).tail(k) = y.row(rows[r]).cast<double>();
  }
  const Eigen::RowVectorXd mean = t.colwise().mean();
  t.rowwise() -= mean;
  const Eigen::MatrixXd a = phi.transpose() * phi + 0.7 * Eigen::MatrixXd::Identity(f, f);
  const Eigen::MatrixXd w = a.ldlt().solve(phi.transpose() * t);
  EXPECT_LT((m.weights.cast<double>() - w).cwiseAbs().maxCoeff(), 1e-4);
  EXPECT_LT((m.mean.cast<double>() - mean.transpose()).cwiseAbs().maxCoeff(), 1e-6);
}

TEST(ContentModelTest, TitleWords) {
  EXPECT_EQ(TitleWords("Learn Python 3: Data-Science, python!"),
            (std::vector<std::string>{"learn", "python", "data", "science"}));
  EXPECT_EQ(TitleWords("机器学习 入门 a"), (std::vector<std::string>{"机器学习", "入门"}));
}

ContentModel SmallModel() {
  const Catalog cat = HandCatalog();
  RowMatrix y = testing::RandomMatrix(5, 2, 3);
  ContentOptions o;
  o.regularizations = {1.f};
  auto fit = FitContentModel(cat, y, Vector(), {1, 1, 1, 0, 0}, o);
  EXPECT_TRUE(fit.ok());
  fit->model.words = {"data", "python"};  // a vocabulary to encode
  fit->model.weights.conservativeResize(fit->model.NumFeatures(), 3);
  fit->model.weights.bottomRows(2).setConstant(0.25f);
  return fit->model;
}

TEST(ContentModelTest, BinaryRoundTripAndHostileBytes) {
  const ContentModel m = SmallModel();
  const std::string bytes = m.ToBinary();
  auto back = ContentModel::FromBinary(bytes, 2, 2);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->languages, m.languages);
  EXPECT_EQ(back->words, m.words);
  EXPECT_EQ(back->weights, m.weights);
  EXPECT_EQ(back->mean, m.mean);
  EXPECT_EQ(back->ToBinary(), bytes);

  auto code = [](const std::string& b, int64_t c = 2, int64_t k = 2) { return ContentModel::FromBinary(b, c, k).status().code(); };
  EXPECT_EQ(code(bytes, 3, 2), ErrorCode::kCorruptBundle);     // another catalog
  EXPECT_EQ(code(bytes, 2, 4), ErrorCode::kCorruptBundle);     // another k
  EXPECT_EQ(code("PLCONTN0" + bytes.substr(8)), ErrorCode::kParseError);
  EXPECT_EQ(code(bytes.substr(0, bytes.size() - 4)), ErrorCode::kCorruptBundle);
  const size_t at = bytes.find("datapython");  // the word table, in byte order
  ASSERT_NE(at, std::string::npos);
  std::string renamed = bytes;
  renamed.replace(at, 4, "dbta");  // still in order
  EXPECT_EQ(code(renamed), ErrorCode::kOk);
  renamed.replace(at, 4, "zata");  // "zata" > "python": out of order
  EXPECT_EQ(code(renamed), ErrorCode::kCorruptBundle);
  std::string bad_utf8 = bytes;
  bad_utf8[at] = '\xff';
  EXPECT_EQ(code(bad_utf8), ErrorCode::kParseError);
  std::string nan = bytes;
  const float q = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(nan.data() + nan.size() - 4, &q, 4);
  EXPECT_EQ(code(nan), ErrorCode::kNotFinite);
}

// Bundles written before: the decoder keeps the zero rows and the model; the engine fills them
// when it loads the bundle; the model part is checked like any other.
TEST(ContentModelTest, AModelAmongThePartsIsAppliedAtLoad) {
  const Catalog cat = HandCatalog();
  RowMatrix y = RowMatrix::Zero(5, 2);
  y.row(0) << 1, 2;
  y.row(1) << -1, 0.5f;
  ContentOptions o;
  o.regularizations = {1.f};
  auto fit = FitContentModel(cat, y, Vector(), {1, 1, 0, 0, 0}, o);
  ASSERT_TRUE(fit.ok());
  auto b = AssembleBundle(cat, y, Vector(), ModelInfo(), FactorEncoding::kF32);
  ASSERT_TRUE(b.ok());
  std::string manifest;
  const BundleParts parts = AsWrittenBefore(*b, fit->model, &manifest);
  auto back = DecodeBundle(manifest, parts);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_TRUE(back->content_model.has_value());
  EXPECT_EQ(back->content_model->ToBinary(), fit->model.ToBinary());
  Vector row(2);
  back->item_factors.Row(2, row.data());
  EXPECT_TRUE(row.isZero(0));
  const Recommender rec(std::move(back).value());
  rec.bundle().item_factors.Row(2, row.data());
  float p[3];
  fit->model.Predict(cat.item(ItemIndex(2)), p);
  EXPECT_NEAR(row[0], p[1], 1e-6);
  EXPECT_NEAR(row[1], p[2], 1e-6);
  // A tampered content part is refused like any other part; a missing one too.
  BundleParts bad = parts;
  bad["content_model.bin"][10] ^= 1;
  EXPECT_EQ(DecodeBundle(manifest, bad).status().code(), ErrorCode::kChecksumMismatch);
  bad.erase("content_model.bin");
  EXPECT_EQ(DecodeBundle(manifest, bad).status().code(), ErrorCode::kIoError);
}

// Trainer options for the solvers of the issue's symptom (k = 4): ALS with `solver` at `lambda`, BPR.
trainer::ModelOptions AlsAt(AlsSolver solver, float lambda) {
  trainer::ModelOptions o;
  o.kind = trainer::ModelKind::kAls;
  o.als.solver = solver;
  o.als.regularization = lambda;
  o.als.factors = 4;
  return o;
}

trainer::ModelOptions BprWith(int epochs) {
  trainer::ModelOptions o;
  o.kind = trainer::ModelKind::kBpr;
  o.bpr.factors = 4;
  o.bpr.iterations = epochs;
  return o;
}

// The issue's symptom: CG at λ = 0 and BPR left random values in items nobody took. Every solver now
// gives them exactly zero rows (and biases), so the engine's content factors define them.
TEST(ContentModelTest, ItemsWithoutInteractionsAreZeroWhateverTheSolver) {
  std::vector<Interaction> events;
  for (int u = 0; u < 30; ++u)
    for (int i = 0; i < 6; ++i)
      if ((u + i) % 3 != 0) events.push_back({u, i, 1.f + static_cast<float>((u * i) % 5), 0});
  const SparseRows train = BuildUserItems(30, 9, events);  // items 6, 7, 8 have no interactions
  const trainer::ModelOptions als_cg = AlsAt(AlsSolver::kConjugateGradient, 0), bpr = BprWith(400),
                              chol = AlsAt(AlsSolver::kCholesky, 0.1f);
  trainer::ModelOptions mf;
  mf.kind = trainer::ModelKind::kBiasedMf;
  mf.mf.factors = 4;
  mf.mf.solver = BiasedMfSolver::kAls;
  for (const trainer::ModelOptions& o : {als_cg, bpr, chol, mf}) {
    auto m = trainer::TrainModel(train, o);
    ASSERT_TRUE(m.ok()) << trainer::ModelKindName(o.kind);
    for (int i = 6; i < 9; ++i) {
      EXPECT_TRUE(m->item_factors.row(i).isZero(0)) << trainer::ModelKindName(o.kind) << " item " << i;
      if (m->item_bias.size()) EXPECT_EQ(m->item_bias[i], 0.f);
    }
    EXPECT_FALSE(m->item_factors.row(0).isZero(0));
  }
}

// End to end, for the solvers that used to leave random rows (CG at λ = 0, BPR) and for Cholesky:
// four topics of four trained courses each, taken by learners who each follow one topic, and one
// new course per topic nobody took. On the device every new course gets exactly its content
// prediction (never a zero or random row), and similar() of a new course lists courses of its own
// topic — not the other new courses, which the old random rows made look near-identical.
TEST(ContentModelTest, NewItemsGetContentFactorsOnTheDeviceAndSimilarStaysOnTopic) {
  const char* topics[4] = {"python", "sql", "rust", "piano"};
  nlohmann::json concepts = nlohmann::json::array(), items = nlohmann::json::array();
  for (const char* t : topics) concepts.push_back({{"id", t}});
  for (int c = 0; c < 4; ++c)
    for (int j = 0; j < 5; ++j)  // j = 4: the new course
      items.push_back({{"id", std::string(topics[c]) + "-" + std::to_string(j)},
                       {"title", std::string(topics[c]) + " course " + std::to_string(j)},
                       {"teaches", {topics[c]}}});
  auto cat = Catalog::FromJson({{"concepts", concepts}, {"items", items}}, "topics");
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  trainer::Dataset ds;
  ds.name = "topics";
  ds.catalog = *cat;
  for (int u = 0; u < 80; ++u) {
    ds.user_ids.push_back("u" + std::to_string(u));
    const int c = u % 4;
    for (int j = 0; j < 4; ++j)
      if ((u / 4 + j) % 4 != 0) ds.train.push_back({u, c * 5 + j, 1.f, 0});  // three of the topic's four
  }
  for (const trainer::ModelOptions& o :
       {AlsAt(AlsSolver::kConjugateGradient, 0), AlsAt(AlsSolver::kCholesky, 0.5f), BprWith(200)}) {
    const std::string name = trainer::ModelKindName(o.kind) + std::string(o.als.solver == AlsSolver::kCholesky ? "" : " cg");
    auto t = trainer::TrainBundle(ds, o, FactorEncoding::kF32);
    ASSERT_TRUE(t.ok()) << name << ": " << t.status().ToString();
    ASSERT_TRUE(t->bundle.content_model.has_value()) << name;
    const ContentModel model = *t->bundle.content_model;
    const Recommender rec(std::move(t->bundle));
    Vector row(4);
    float p[5];
    for (int c = 0; c < 4; ++c) {
      const ItemIndex fresh(c * 5 + 4);
      rec.bundle().item_factors.Row(fresh.value(), row.data());
      model.Predict(rec.bundle().catalog.item(fresh), p);
      EXPECT_GT(row.norm(), 0.f) << name << " " << topics[c];
      for (int d = 0; d < 4; ++d) EXPECT_NEAR(row[d], p[d + 1], 1e-5) << name << " " << topics[c];
      RankOptions ro;
      ro.k = 3;
      const std::vector<Recommendation> sim = rec.Similar(fresh, ro);
      ASSERT_EQ(sim.size(), 3u) << name;
      for (const Recommendation& r : sim)
        EXPECT_EQ(r.item.value() / 5, c) << name << ": similar(" << topics[c] << "-4) lists "
                                          << rec.bundle().catalog.item(r.item).id;
    }
  }
}

TEST(ContentModelTest, ColdItemSplitNeverLeaksHeldOutItemsIntoTraining) {
  trainer::Dataset ds;
  ds.name = "t";
  ds.catalog = HandCatalog();
  ds.user_ids = {"u0", "u1", "u2", "u3"};
  for (int u = 0; u < 4; ++u)
    for (int i = 0; i < 5; ++i) {
      if ((u + i) % 2) ds.train.push_back({u, i, 1, 0});
      else ds.test.push_back({u, i, 1, 0});
    }
  const auto s = trainer::SplitColdItems(ds, 0.4, 9);
  ASSERT_EQ(s.held_out.size(), 2u);
  EXPECT_TRUE(s.train.test.empty());
  for (const Interaction& e : s.train.train)
    EXPECT_FALSE(std::binary_search(s.held_out.begin(), s.held_out.end(), e.item)) << "item " << e.item << " leaked";
  // Every interaction on a held-out item, train or test, is a positive of its learner.
  size_t positives = 0, expected = 0;
  for (const auto& p : s.positives) positives += p.size();
  for (const auto* list : {&ds.train, &ds.test})
    for (const Interaction& e : *list) expected += std::binary_search(s.held_out.begin(), s.held_out.end(), e.item);
  EXPECT_EQ(positives, expected);
  size_t held_train = 0;
  for (const Interaction& e : ds.train) held_train += std::binary_search(s.held_out.begin(), s.held_out.end(), e.item);
  EXPECT_EQ(s.train.train.size(), ds.train.size() - held_train);
}

TEST(ContentModelTest, MeanAucByHand) {
  // Learner 0: positives {1}, scores 3, 2, 1 for items 0, 1, 2 → positive beats 1 of 2 → 0.5.
  // Learner 1: positives {0, 2} → 0 beats 1 (3 > 2), 2 loses (1 < 2) → 0.5; ties count ½.
  const std::vector<int32_t> items = {0, 1, 2};
  const std::vector<std::vector<int32_t>> pos = {{1}, {0, 2}, {}};
  const double auc = MeanAuc(items, pos, [](int32_t, const std::vector<int32_t>& c, float* out) {
    for (size_t j = 0; j < c.size(); ++j) out[j] = 3.f - static_cast<float>(c[j]);
  });
  EXPECT_DOUBLE_EQ(auc, 0.5);
  const double ties = MeanAuc(items, {{1}}, [](int32_t, const std::vector<int32_t>& c, float* out) {
    for (size_t j = 0; j < c.size(); ++j) out[j] = 1.f;
  });
  EXPECT_DOUBLE_EQ(ties, 0.5);
}

// The mean AUC is the same number on every run, threads or not: 5,000 learners with random scores,
// each learner's AUC computed alone (one learner per call) and added up in learner order, equals
// MeanAuc over all of them bit for bit, five times. (A parallel sum changed the last digits from
// run to run, and with them metrics.content.validation_auc and so the manifest's SHA-256: a
// retrained, identical demo bundle looked like an update.)
TEST(ContentModelTest, MeanAucIsTheSameOnEveryRun) {
  std::mt19937 rng(5);
  const int32_t n_items = 40, n_users = 5000;
  std::vector<int32_t> items(n_items);
  std::iota(items.begin(), items.end(), 0);
  std::vector<std::vector<int32_t>> pos(n_users);
  std::vector<std::vector<float>> score(n_users, std::vector<float>(n_items));
  for (int32_t u = 0; u < n_users; ++u) {
    for (int32_t i = 0; i < n_items; ++i) {
      score[u][i] = std::uniform_real_distribution<float>(0, 1)(rng);
      if (rng() % 5 == 0) pos[u].push_back(i);
    }
  }
  const auto scores = [&](int32_t u, const std::vector<int32_t>& c, float* out) {
    for (size_t j = 0; j < c.size(); ++j) out[j] = score[u][c[j]];
  };
  double sum = 0;
  int64_t learners = 0;
  for (int32_t u = 0; u < n_users; ++u) {
    if (pos[u].empty() || pos[u].size() == items.size()) continue;
    sum += MeanAuc(items, {pos[u]}, [&](int32_t, const std::vector<int32_t>& c, float* out) { scores(u, c, out); });
    ++learners;
  }
  const double expected = sum / static_cast<double>(learners);
  for (int run = 0; run < 5; ++run) EXPECT_EQ(MeanAuc(items, pos, scores), expected) << "run " << run;
}

}  // namespace
}  // namespace pathlight
