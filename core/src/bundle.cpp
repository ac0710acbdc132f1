#include "pathlight/bundle.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "pathlight/als.h"
#include "pathlight/json_limits.h"
#include "pathlight/limits.h"
#include "pathlight/sha256.h"

namespace pathlight {
namespace {

using nlohmann::json;

constexpr int64_t kMaxItems = limits::kMaxItems;  // 16.7M items
constexpr int64_t kMaxConcepts = limits::kMaxConcepts;
constexpr int64_t kMaxFactors = limits::kMaxFactors;
constexpr int64_t kMaxPartBytes = int64_t{1} << 31;  // 2 GiB
constexpr const char* kContentFile = "content_model.bin";
constexpr const char* kContentDtype = "content-v1";

// Parts are little-endian IEEE-754 float32 (x86-64 and wasm32 are both little-endian).
std::string FloatBytes(const float* data, size_t count) {
  std::string s(count * sizeof(float), '\0');
  if (count > 0) std::memcpy(s.data(), data, s.size());  // an empty part may have no data pointer
  return s;
}

Status Corrupt(const std::string& what) { return Status(ErrorCode::kCorruptBundle, what); }

// A part file must be a plain name inside the bundle folder (the JS loader fetches nothing else).
bool PlainFileName(const std::string& f) {
  return !f.empty() && f != "." && f.find('/') == std::string::npos && f.find('\\') == std::string::npos &&
         f.find("..") == std::string::npos;
}

// The string at `key`, `fallback` when absent; a value of another type is a parse error.
StatusOr<std::string> OptionalString(const json& obj, const char* key, const char* fallback) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::string(fallback);
  if (!it->is_string()) return Status(ErrorCode::kParseError, std::string("manifest.json: \"") + key + "\" must be a string");
  return it->get<std::string>();
}


// model.ratings of an explicit-rating bundle: {global_mean, regularization, bias_regularization, min,
// max} and, for a Gibbs model, prior_mean (k+1) and prior_precision ((k+1)², row-major, SPD).
StatusOr<RatingModel> ParseRatingModel(const json& r, int64_t k) {
  const char* expected = "manifest.json: model.ratings must be an object of finite numbers {global_mean, "
                         "regularization > 0, bias_regularization >= 0, min < max}";
  if (!r.is_object()) return Status(ErrorCode::kParseError, expected);
  auto num = [&](const char* key, float* out) {
    auto it = r.find(key);
    if (it == r.end() || !it->is_number()) return false;
    *out = it->get<float>();
    return std::isfinite(*out) != 0;
  };
  RatingModel m;
  if (!num("global_mean", &m.global_mean) || !num("regularization", &m.regularization) ||
      !num("bias_regularization", &m.bias_regularization) || !num("min", &m.min_rating) || !num("max", &m.max_rating) ||
      !(m.regularization > 0) || m.bias_regularization < 0 || !(m.min_rating < m.max_rating))
    return Status(ErrorCode::kParseError, expected);
  if (!limits::ValidRatingScale(m.min_rating, m.max_rating))
    return Status(ErrorCode::kParseError, "manifest.json: model.ratings min and max must satisfy 0 < min < max <= 1000");
  // step: optional (older bundles: 0, any value); 0 or in (0, max − min].
  if (auto s = r.find("step"); s != r.end()) {
    if (!s->is_number() || !(s->get<float>() >= 0 && s->get<float>() <= m.max_rating - m.min_rating))
      return Status(ErrorCode::kParseError, "manifest.json: model.ratings.step must be a number in [0, max - min]");
    m.step = s->get<float>();
  }
  const auto mean = r.find("prior_mean"), precision = r.find("prior_precision");
  if (mean == r.end() && precision == r.end()) return m;
  const int64_t d = k + 1;
  auto floats = [](const json& a, int64_t n, float* out) {
    if (!a.is_array() || static_cast<int64_t>(a.size()) != n) return false;
    for (int64_t i = 0; i < n; ++i) {
      if (!a[i].is_number()) return false;
      out[i] = a[i].get<float>();
      if (!std::isfinite(out[i])) return false;
    }
    return true;
  };
  m.prior_mean.resize(d);
  Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> p(d, d);
  if (mean == r.end() || precision == r.end() || !floats(*mean, d, m.prior_mean.data()) ||
      !floats(*precision, d * d, p.data()))
    return Status(ErrorCode::kParseError, "manifest.json: model.ratings.prior_mean must hold k+1 = " + std::to_string(d) +
                                              " finite numbers and prior_precision (k+1)² = " + std::to_string(d * d));
  m.prior_precision = p;
  const Eigen::MatrixXd pd = m.prior_precision.cast<double>();
  if (!pd.isApprox(pd.transpose(), 1e-5) || Eigen::LLT<Eigen::MatrixXd>(pd).info() != Eigen::Success)
    return Status(ErrorCode::kParseError, "manifest.json: model.ratings.prior_precision is not symmetric positive definite");
  return m;
}

Status DecodeFloats(std::string_view bytes, const char* name, float* out) {
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());  // an empty part: out may be null
  const size_t n = bytes.size() / 4;
  for (size_t i = 0; i < n; ++i)
    if (!std::isfinite(out[i]))
      return Status(ErrorCode::kNotFinite, std::string("part \"") + name + "\" holds a non-finite value at index " + std::to_string(i));
  return Status::Ok();
}

}  // namespace

StatusOr<Bundle> AssembleBundle(Catalog catalog, const RowMatrix& y, Vector bias, ModelInfo info,
                                FactorEncoding encoding) {
  if (y.rows() != catalog.num_items() || (bias.size() != 0 && bias.size() != y.rows()))
    return Status(ErrorCode::kInvalidArgument, "item factors have " + std::to_string(y.rows()) + " rows for " +
                                                   std::to_string(catalog.num_items()) + " catalog items");
  if (!y.allFinite() || !bias.allFinite())
    return Status(ErrorCode::kNotFinite, "item factors or biases hold NaN/Inf; try a larger regularization (lambda)");
  Bundle b;
  b.info = std::move(info);
  b.info.factors = static_cast<int>(y.cols());
  b.catalog = std::move(catalog);
  b.item_factors = FactorTable::Encode(y, encoding);
  const RowMatrix y_hat = b.item_factors.Dequantized();
  b.item_bias = bias.size() == y.rows() ? std::move(bias) : Vector::Zero(y.rows());
  b.item_popularity = Vector::Zero(y.rows());
  b.gram = Gram(y_hat);
  b.concept_vectors = ConceptVectors(b.catalog, b.item_factors);
  return b;
}

RowMatrix ConceptVectors(const Catalog& catalog, const FactorTable& item_factors) {
  RowMatrix cv = RowMatrix::Zero(catalog.num_concepts(), item_factors.cols());
  std::vector<int32_t> counts(catalog.num_concepts(), 0);
  Vector y(item_factors.cols());
  for (int32_t i = 0; i < catalog.num_items(); ++i) {
    const std::vector<ConceptIndex>& teaches = catalog.item(ItemIndex(i)).teaches;
    if (teaches.empty()) continue;
    item_factors.Row(i, y.data());
    for (ConceptIndex c : teaches) {
      cv.row(c.value()) += y.transpose();
      ++counts[c.value()];
    }
  }
  for (int32_t c = 0; c < catalog.num_concepts(); ++c)
    if (counts[c] > 0) cv.row(c) /= static_cast<float>(counts[c]);
  return cv;
}

std::vector<size_t> ShardCuts(std::string_view bytes, const BundleLayout& layout) {
  // The gear table: 256 pseudo-random 64-bit words from splitmix64 (fixed seed), so that every
  // writer cuts the same bytes at the same places.
  static const std::array<uint64_t, 256> gear = [] {
    std::array<uint64_t, 256> g{};
    uint64_t x = 0x5041544c49474854ull;  // "PATHLIGH"
    for (uint64_t& v : g) {
      uint64_t z = (x += 0x9e3779b97f4a7c15ull);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
      v = z ^ (z >> 31);
    }
    return g;
  }();
  std::vector<size_t> cuts;
  const size_t n = bytes.size();
  size_t start = 0;
  uint64_t h = 0;
  for (size_t i = 0; i < n; ++i) {
    h = (h << 1) + gear[static_cast<uint8_t>(bytes[i])];
    const size_t len = i + 1 - start;
    if ((len >= layout.min_shard && (h & layout.shard_mask) == 0) || len >= layout.max_shard) {
      if (i + 1 < n) cuts.push_back(i + 1);
      start = i + 1;
      h = 0;
    }
  }
  return cuts;
}

StatusOr<Catalog> ApplyCatalogChanges(const Catalog& base, const json& changes, const std::string& source) {
  if (!changes.is_object()) return Status(ErrorCode::kParseError, source + ": expected an object {items, retired}");
  for (const auto& [key, value] : changes.items())
    if (key != "items" && key != "retired")
      return Status(ErrorCode::kParseError, source + ": unknown key \"" + key.substr(0, 64) + "\" (expected items, retired)");
  const json items = changes.value("items", json::array()), retired = changes.value("retired", json::array());
  if (!items.is_array() || !retired.is_array())
    return Status(ErrorCode::kParseError, source + ": \"items\" and \"retired\" must be arrays");
  // The changed and added records, read by the catalog's own JSON reader against the base's concepts.
  json doc = {{"concepts", json::array()}, {"items", items}};
  for (const Concept& c : base.concepts()) {
    json pre = json::array();
    for (ConceptIndex p : c.prerequisites) pre.push_back(base.concept_at(p).id);
    json j = {{"id", c.id}, {"name", c.name}, {"prerequisites", pre}};
    if (!c.name_zh.empty()) j["name_zh"] = c.name_zh;
    doc["concepts"].push_back(std::move(j));
  }
  PATHLIGHT_ASSIGN_OR_RETURN(Catalog listed, Catalog::FromJson(doc, source));
  std::vector<uint8_t> gone(base.num_items(), 0);
  for (size_t r = 0; r < retired.size(); ++r) {
    if (!retired[r].is_string())
      return Status(ErrorCode::kParseError, source + ": retired[" + std::to_string(r) + "] must be an item id");
    const auto i = base.FindItem(retired[r].get<std::string>());
    if (!i) return Status(ErrorCode::kUnknownId, source + ": retired[" + std::to_string(r) + "] " +
                                                     QuoteForMessage(retired[r].get_ref<const std::string&>()) + " is not in the catalog part");
    if (gone[i->value()]) return Status(ErrorCode::kInvalidArgument, source + ": item \"" + base.item(*i).id + "\" is retired twice");
    gone[i->value()] = 1;
  }
  std::vector<Item> out;
  out.reserve(base.num_items() + listed.num_items());
  std::vector<int32_t> replaced(base.num_items(), -1);
  std::vector<const Item*> added;
  for (const Item& it : listed.items()) {
    const auto i = base.FindItem(it.id);
    if (i && gone[i->value()])
      return Status(ErrorCode::kInvalidArgument, source + ": item \"" + it.id + "\" is both changed and retired");
    if (i) replaced[i->value()] = static_cast<int32_t>(&it - listed.items().data());
    else added.push_back(&it);
  }
  for (int32_t i = 0; i < base.num_items(); ++i)
    if (!gone[i]) out.push_back(replaced[i] >= 0 ? listed.items()[replaced[i]] : base.item(ItemIndex(i)));
  for (const Item* it : added) out.push_back(*it);
  return Catalog::Build(base.concepts(), std::move(out), source);
}

RowMatrix ConceptVectors(const Catalog& catalog, const RowMatrix& item_factors) {
  RowMatrix cv = RowMatrix::Zero(catalog.num_concepts(), item_factors.cols());
  std::vector<int32_t> counts(catalog.num_concepts(), 0);
  for (int32_t i = 0; i < catalog.num_items(); ++i)
    for (ConceptIndex c : catalog.item(ItemIndex(i)).teaches) {
      cv.row(c.value()) += item_factors.row(i);
      ++counts[c.value()];
    }
  for (int32_t c = 0; c < catalog.num_concepts(); ++c)
    if (counts[c] > 0) cv.row(c) /= static_cast<float>(counts[c]);
  return cv;
}

namespace {
StatusOr<BundleParts> EncodeParts(const Bundle& b, std::string* manifest_text, CatalogEncoding catalog_encoding,
                                  const BundleLayout& layout);
}  // namespace

StatusOr<BundleParts> EncodeBundle(const Bundle& b, std::string* manifest_text, CatalogEncoding catalog_encoding,
                                   const BundleLayout& layout) {
  if (!b.content_model) return EncodeParts(b, manifest_text, catalog_encoding, layout);
  // The rows the content model gives items without trained factors are written as the engine
  // would compute them, so that a client never needs the model (docs/bundle-format.md).
  Bundle filled = b;
  PATHLIGHT_RETURN_IF_ERROR(FillContentFactors(&filled).status());
  return EncodeParts(filled, manifest_text, catalog_encoding, layout);
}

namespace {
StatusOr<BundleParts> EncodeParts(const Bundle& b, std::string* manifest_text, CatalogEncoding catalog_encoding,
                                  const BundleLayout& layout) {
  const int64_t n = b.item_factors.rows(), k = b.item_factors.cols(), c = b.concept_vectors.rows();
  const FactorEncoding enc = b.item_factors.encoding();
  if (n != b.catalog.num_items() || b.item_bias.size() != n || b.item_popularity.size() != n || b.gram.rows() != k || b.gram.cols() != k ||
      c != b.catalog.num_concepts() || b.concept_vectors.cols() != k ||
      (b.base_catalog && b.base_catalog->num_concepts() != c))
    return Status(ErrorCode::kInvalidArgument, "bundle arrays disagree with the catalog's counts");
  if (!b.item_bias.allFinite() || !b.item_popularity.allFinite() || !b.gram.allFinite() || !b.concept_vectors.allFinite())
    return Status(ErrorCode::kNotFinite, "refusing to write a bundle with non-finite numbers; try a larger regularization (lambda)");
  BundleParts parts;
  json entries = json::object(), writer_entries = json::object();
  // One part: a file named by the part, or content-addressed shards "<sha256>.<ext>"; with
  // `writer_part`, an entry of the manifest's "writer_parts" instead.
  auto add = [&](const char* name, const std::string& plain_file, std::string bytes, const std::string& dtype,
                 std::vector<int64_t> shape, bool writer_part = false) {
    json e = {{"bytes", bytes.size()}, {"dtype", dtype}, {"shape", shape}};
    if (!layout.sharded || writer_part) {
      // A writer part is one file (no client fetches it, so it has no shards): content-addressed
      // in a sharded layout like every other file there.
      const std::string sha = Sha256Hex(bytes);
      const std::string file = layout.sharded ? sha + plain_file.substr(plain_file.rfind('.')) : plain_file;
      e["file"] = file;
      e["sha256"] = sha;
      parts[file] = std::move(bytes);
    } else {
      const std::string ext = plain_file.substr(plain_file.rfind('.') + 1);
      std::vector<size_t> cuts = ShardCuts(bytes, layout);
      cuts.push_back(bytes.size());
      json shards = json::array();
      for (size_t at = 0, j = 0; j < cuts.size(); at = cuts[j++]) {
        std::string shard = bytes.substr(at, cuts[j] - at);
        const std::string sha = Sha256Hex(shard);
        shards.push_back({{"file", sha + "." + ext}, {"bytes", shard.size()}, {"sha256", sha}});
        parts[sha + "." + ext] = std::move(shard);
      }
      e["shards"] = std::move(shards);
      // The whole part as one content-addressed file too: a first load fetches it (one request),
      // an update the shards it lacks (docs/bundle-format.md, "Whole parts and shards").
      if (cuts.size() > 1) {
        const std::string sha = Sha256Hex(bytes);
        e["file"] = sha + "." + ext;
        e["sha256"] = sha;
        parts[sha + "." + ext] = std::move(bytes);
      } else {
        e["file"] = e["shards"][0]["file"];
        e["sha256"] = e["shards"][0]["sha256"];
      }
    }
    if (std::strcmp(name, "catalog") == 0 || std::strcmp(name, "catalog_changes") == 0 || writer_part) e.erase("shape");
    (writer_part ? writer_entries : entries)[name] = std::move(e);
  };
  const bool json_catalog = catalog_encoding == CatalogEncoding::kJson;
  const Catalog& catalog_part = b.base_catalog ? *b.base_catalog : b.catalog;
  std::string catalog_bytes = json_catalog ? catalog_part.ToJson().dump() : catalog_part.ToBinary();
  // catalog-v2 exactly when a mentor lists offerings (the magic says which: catalog.h, ToBinary).
  const char* catalog_dtype = json_catalog ? "json" : catalog_bytes.compare(0, 8, limits::kCatalogMagicV2) == 0 ? "catalog-v2" : "catalog-v1";
  add("catalog", json_catalog ? "catalog.json" : "catalog.bin", std::move(catalog_bytes), catalog_dtype, {});
  if (b.base_catalog) add("catalog_changes", "catalog_changes.json", b.catalog_changes.dump(), "json", {});
  add("item_factors", std::string("item_factors.") + FactorEncodingName(enc), b.item_factors.DataBytes(),
      FactorEncodingName(enc), {n, k});
  if (enc == FactorEncoding::kInt8) add("item_factor_scales", "item_factor_scales.f32", b.item_factors.ScaleBytes(), "f32", {n});
  add("item_bias", "item_bias.f32", FloatBytes(b.item_bias.data(), n), "f32", {n});
  add("item_popularity", "item_popularity.f32", FloatBytes(b.item_popularity.data(), n), "f32", {n});
  add("gram", "gram.f32", FloatBytes(b.gram.data(), k * k), "f32", {k, k});
  // Left out when the reader would compute the same floats (version 2).
  const RowMatrix derived = ConceptVectors(b.catalog, b.item_factors);
  // (No memcmp of zero bytes: an empty matrix's data pointer may be null, which memcmp may not take.)
  if (derived.rows() != c || (c * k > 0 && std::memcmp(derived.data(), b.concept_vectors.data(), sizeof(float) * c * k) != 0))
    add("concept_vectors", "concept_vectors.f32", FloatBytes(b.concept_vectors.data(), c * k), "f32", {c, k});
  // The optional content model (content_model.h): a writer part (EncodeBundle has already written
  // the rows it gives), its λ in model.content.
  if (const auto& cm = b.content_model) {
    if (cm->factors != k || cm->concepts != c)
      return Status(ErrorCode::kInvalidArgument, "the content model was fitted for another k or concept count");
    if (!cm->weights.allFinite() || !cm->mean.allFinite())
      return Status(ErrorCode::kNotFinite, "refusing to write a content model with non-finite numbers");
    add("content_model", kContentFile, cm->ToBinary(), kContentDtype, {}, /*writer_part=*/true);
  }
  json manifest = {
      {"format", kBundleFormatName},
      {"version", kBundleFormatVersion},
      {"dataset", b.info.dataset},
      {"model", {{"algorithm", b.info.algorithm}, {"factors", k}, {"regularization", b.info.regularization},
                 {"alpha", b.info.alpha}, {"iterations", b.info.iterations}}},
      {"metrics", b.info.metrics},
      {"counts", {{"items", n}, {"concepts", c}}},
      {"parts", entries}};
  if (!writer_entries.empty()) manifest["writer_parts"] = std::move(writer_entries);
  if (b.base_catalog) manifest["counts"]["catalog_items"] = b.base_catalog->num_items();
  if (!b.info.encoding.empty()) manifest["encoding"] = b.info.encoding;
  if (!b.info.parent.empty()) manifest["parent"] = b.info.parent;
  if (const auto& r = b.info.ratings)
    manifest["model"]["ratings"] = {{"global_mean", r->global_mean}, {"regularization", r->regularization},
                                    {"bias_regularization", r->bias_regularization},
                                    {"min", r->min_rating}, {"max", r->max_rating}, {"step", r->step}};
  if (const auto& r = b.info.ratings; r && r->has_prior()) {
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> p = r->prior_precision;
    manifest["model"]["ratings"]["prior_mean"] = std::vector<float>(r->prior_mean.data(), r->prior_mean.data() + r->prior_mean.size());
    manifest["model"]["ratings"]["prior_precision"] = std::vector<float>(p.data(), p.data() + p.size());
  }
  if (const auto& cm = b.content_model)
    manifest["model"]["content"] = {{"method", "ridge"}, {"regularization", cm->regularization},
                                    {"features", cm->NumFeatures()}};
  *manifest_text = manifest.dump(2) + "\n";
  return parts;
}
}  // namespace

// The manifest's entry for one part, checked against what this reader expects, in the order the
// reader has always checked it: entry fields, plain file name, dtype, size limit (these fill
// `manifest_error`), then — once the bytes are there — size, SHA-256, and shape (`shape_error`).
BundleDecoder::PartSpec BundleDecoder::ManifestPart(const json& manifest, const char* name, const char* dtype,
                                                    const std::vector<int64_t>& shape, bool optional, bool writer) {
  PartSpec spec;
  spec.name = name;
  spec.writer = writer;
  Status& err = spec.manifest_error;
  const json& entries = manifest[writer ? "writer_parts" : "parts"];
  auto e = entries.find(name);
  if (e == entries.end() && optional) {
    spec.absent = true;
    return spec;
  }
  const std::string what = std::string(writer ? "manifest writer part \"" : "manifest part \"") + name + "\"";
  if (e == entries.end() || !e->is_object()) {
    err = Corrupt(e == entries.end() ? std::string("manifest lists no part \"") + name + "\""
                                     : what + " must be an object {file, bytes, sha256, dtype}");
    return spec;
  }
  const bool sharded = !writer && manifest["version"].get<int64_t>() >= 2 && e->contains("shards");
  auto file = e->find("file");
  auto bytes = e->find("bytes");
  auto sha = e->find("sha256");
  auto dt = e->find("dtype");
  // A sharded part may also name its whole bytes as one file (file and sha256 both, or neither).
  const bool whole = !sharded || file != e->end() || sha != e->end();
  if ((whole && (file == e->end() || !file->is_string() || sha == e->end() || !sha->is_string())) ||
      bytes == e->end() || !bytes->is_number_unsigned() || dt == e->end() || !dt->is_string()) {
    err = Status(ErrorCode::kParseError, what + ": expected fields file (string), bytes (unsigned), sha256, dtype" +
                                             (writer ? " (a writer part is one file, never shards)"
                                                     : " (or, version 2, shards with or without file and sha256)"));
    return spec;
  }
  if (whole && !PlainFileName(file->get<std::string>())) {
    err = Corrupt(std::string("part \"") + name + "\": file name \"" + file->get<std::string>() +
                  "\" is not a plain file name inside the bundle folder");
    return spec;
  }
  // "factors": any factor encoding; "catalog": the compact catalog-v1 / catalog-v2 or JSON text.
  const std::string& actual = dt->get<std::string>();
  const bool catalog = std::strcmp(dtype, "catalog") == 0;
  if (catalog ? actual != "catalog-v1" && actual != "catalog-v2" && actual != "json"
              : actual != dtype && !(std::strcmp(dtype, "factors") == 0 && ParseFactorEncoding(actual))) {
    err = Status(ErrorCode::kUnsupportedVersion, std::string("part \"") + name + "\" has dtype \"" + actual +
                                                     "\", this reader supports " +
                                                     (catalog ? std::string("\"catalog-v1\", \"catalog-v2\" or \"json\"") : "\"" + std::string(dtype) + "\""));
    return spec;
  }
  if (bytes->get<uint64_t>() > static_cast<uint64_t>(kMaxPartBytes)) {
    err = Status(ErrorCode::kLimitExceeded, std::string("part \"") + name + "\" claims more than 2 GiB");
    return spec;
  }
  spec.bytes = bytes->get<uint64_t>();
  spec.dtype = actual;
  spec.json = actual == "json";
  if (sharded) {
    // Shards: [{file, bytes, sha256}], in order; their sizes add up to the part's.
    const json& list = (*e)["shards"];
    const std::string where = std::string("part \"") + name + "\": ";
    if (!list.is_array() || list.empty() || list.size() > 65536) {
      err = Status(ErrorCode::kParseError, where + "\"shards\" must be a list of 1 to 65536 {file, bytes, sha256}");
      return spec;
    }
    uint64_t at = 0;
    spec.shards.reserve(list.size());
    // Read in place (no copy of each field, no message built) unless there is an error: a large
    // part lists thousands of shards, and a first load reads the manifest on its critical path.
    const auto field = [](const json& sh, const char* key) -> const json* {
      const auto f = sh.find(key);
      return f == sh.end() ? nullptr : &*f;
    };
    for (size_t j = 0; j < list.size(); ++j) {
      const json& sh = list[j];
      const auto at_j = [&] { return where + "shard " + std::to_string(j) + ": "; };
      const json* f = sh.is_object() ? field(sh, "file") : nullptr;
      const json* b = sh.is_object() ? field(sh, "bytes") : nullptr;
      const json* h = sh.is_object() ? field(sh, "sha256") : nullptr;
      if (!f || !f->is_string() || !b || !b->is_number_unsigned() || !h || !h->is_string()) {
        err = Status(ErrorCode::kParseError, at_j() + "expected {file (string), bytes (unsigned), sha256 (string)}");
        return spec;
      }
      Shard shard{f->get_ref<const std::string&>(), h->get_ref<const std::string&>(), at, b->get<uint64_t>()};
      if (!PlainFileName(shard.file)) {
        err = Corrupt(at_j() + "file name " + QuoteForMessage(shard.file) + " is not a plain file name inside the bundle folder");
        return spec;
      }
      if (shard.bytes == 0 || shard.bytes > spec.bytes - at) {
        err = Corrupt(at_j() + "its bytes (" + std::to_string(shard.bytes) + ") do not fit in the part's " +
                      std::to_string(spec.bytes) + " after " + std::to_string(at));
        return spec;
      }
      at += shard.bytes;
      spec.shards.push_back(std::move(shard));
    }
    if (at != spec.bytes) {
      err = Corrupt(where + "its shards hold " + std::to_string(at) + " bytes, the part " + std::to_string(spec.bytes));
      return spec;
    }
    // A one-shard part's whole file is that shard: the same name must mean the same bytes.
    if (whole && spec.shards.size() == 1 && file->get<std::string>() == spec.shards[0].file &&
        sha->get<std::string>() != spec.shards[0].sha256) {
      err = Corrupt(where + "its file " + QuoteForMessage(spec.shards[0].file) + " has two different SHA-256 digests");
      return spec;
    }
  }
  if (whole) {
    spec.file = file->get<std::string>();
    spec.sha256 = sha->get<std::string>();
  }
  if (!catalog && std::strcmp(name, "catalog_changes") != 0 && std::strcmp(dtype, kContentDtype) != 0) {
    const int64_t width = spec.dtype == "f16" ? 2 : spec.dtype == "i8" ? 1 : 4;
    int64_t count = 1;
    for (int64_t s : shape) count *= s;
    auto sh = e->find("shape");
    if (sh == e->end() || !sh->is_array() || sh->size() != shape.size()) {
      spec.shape_error = Corrupt(std::string("part \"") + name + "\": missing or wrong shape");
      return spec;
    }
    for (size_t d = 0; d < shape.size(); ++d)
      if (!(*sh)[d].is_number_integer() || (*sh)[d].get<int64_t>() != shape[d]) {
        spec.shape_error = Corrupt(std::string("part \"") + name + "\": shape disagrees with the manifest's counts");
        return spec;
      }
    if (static_cast<int64_t>(spec.bytes) != count * width)
      spec.shape_error = Corrupt(std::string("part \"") + name + "\": byte size does not match its shape");
  }
  return spec;
}

Status BundleDecoder::ReadManifest(std::string_view manifest_text) {
  StatusOr<json> parsed = ParseBoundedJson(manifest_text, "manifest.json");
  if (!parsed.ok() && parsed.status().code() == ErrorCode::kLimitExceeded) return parsed.status();
  if (!parsed.ok() || !parsed->is_object()) return Status(ErrorCode::kParseError, "manifest.json is not a JSON object");
  const json m = std::move(parsed).value();
  PATHLIGHT_ASSIGN_OR_RETURN(const std::string format, OptionalString(m, "format", ""));
  if (format != kBundleFormatName)
    return Status(ErrorCode::kParseError, "manifest.json: \"format\" is not \"pathlight-bundle\"");
  if (!m.contains("version") || !m["version"].is_number_integer())
    return Status(ErrorCode::kParseError, "manifest.json: missing integer \"version\"");
  if (m["version"].get<int64_t>() < kOldestBundleFormatVersion || m["version"].get<int64_t>() > kBundleFormatVersion)
    return Status(ErrorCode::kUnsupportedVersion,
                  "bundle format version " + m["version"].dump() + " is not supported (this reader reads versions " +
                      std::to_string(kOldestBundleFormatVersion) + " and " + std::to_string(kBundleFormatVersion) + ")");
  version_ = static_cast<int>(m["version"].get<int64_t>());
  bundle_.info.format_version = version_;
  const json& counts = m.value("counts", json());
  const json& model = m.value("model", json());
  if (!m.contains("parts") || !m["parts"].is_object() || !counts.is_object() || !model.is_object() ||
      !counts.value("items", json()).is_number_unsigned() || !counts.value("concepts", json()).is_number_unsigned() ||
      !model.value("factors", json()).is_number_unsigned())
    return Status(ErrorCode::kParseError, "manifest.json: expected objects \"parts\", \"counts\" {items, concepts} and \"model\" {factors}");
  // Compared as unsigned: a count of 2^63 or more must not wrap to a negative int64.
  const uint64_t n64 = counts["items"].get<uint64_t>(), c64 = counts["concepts"].get<uint64_t>();
  const uint64_t k64 = model["factors"].get<uint64_t>();
  if (n64 > uint64_t(kMaxItems) || c64 > uint64_t(kMaxConcepts) || k64 < 1 || k64 > uint64_t(kMaxFactors))
    return Status(ErrorCode::kLimitExceeded, "manifest.json: counts exceed limits (items ≤ 2^24, concepts ≤ 2^20, 1 ≤ factors ≤ 1024)");
  const int64_t n = static_cast<int64_t>(n64), c = static_cast<int64_t>(c64), k = static_cast<int64_t>(k64);

  Bundle& b = bundle_;
  PATHLIGHT_ASSIGN_OR_RETURN(b.info.dataset, OptionalString(m, "dataset", ""));
  PATHLIGHT_ASSIGN_OR_RETURN(b.info.algorithm, OptionalString(model, "algorithm", ""));
  b.info.factors = static_cast<int>(k);
  auto num = [&](const char* key) {
    auto it = model.find(key);
    return it != model.end() && it->is_number() ? it->get<float>() : 0.f;
  };
  b.info.regularization = num("regularization");
  b.info.alpha = num("alpha");
  const float iterations = num("iterations");  // metadata; a cast of a value beyond int would be UB
  if (!(iterations >= 0 && iterations <= 1e6f))
    return Status(ErrorCode::kParseError, "manifest.json: model.iterations must be a number in [0, 1e6]");
  b.info.iterations = static_cast<int>(iterations);
  b.info.metrics = m.value("metrics", json::object());
  if (!std::isfinite(b.info.regularization) || !std::isfinite(b.info.alpha) || b.info.regularization < 0 || b.info.alpha < 0)
    return Status(ErrorCode::kNotFinite, "manifest.json: model.regularization and model.alpha must be finite and >= 0");
  if (auto r = model.find("ratings"); r != model.end()) {
    PATHLIGHT_ASSIGN_OR_RETURN(b.info.ratings, ParseRatingModel(*r, k));
  }
  catalog_items_ = n;
  if (version_ >= 2) {
    if (auto e = m.find("encoding"); e != m.end()) {
      if (!e->is_object()) return Status(ErrorCode::kParseError, "manifest.json: \"encoding\" must be an object");
      b.info.encoding = *e;
    }
    PATHLIGHT_ASSIGN_OR_RETURN(b.info.parent, OptionalString(m, "parent", ""));
    if (auto ci = counts.find("catalog_items"); ci != counts.end()) {
      if (!ci->is_number_unsigned() || ci->get<uint64_t>() > uint64_t(kMaxItems))
        return Status(ErrorCode::kParseError, "manifest.json: counts.catalog_items must be an unsigned count ≤ 2^24");
      catalog_items_ = static_cast<int64_t>(ci->get<uint64_t>());
    }
  }

  n_ = n;
  c_ = c;
  k_ = k;
  // The parts in the order they are verified, then decoded.
  specs_.push_back(ManifestPart(m, "catalog", "catalog", {}));
  if (version_ >= 2 && m["parts"].contains("catalog_changes")) {
    specs_.push_back(ManifestPart(m, "catalog_changes", "json", {}));
    changes_spec_ = static_cast<int>(specs_.size()) - 1;
  } else if (catalog_items_ != n_) {
    return Status(ErrorCode::kParseError, "manifest.json: counts.catalog_items differs from counts.items without a catalog_changes part");
  }
  specs_.push_back(ManifestPart(m, "item_factors", "factors", {n, k}));
  if (specs_.back().manifest_error.ok()) {
    enc_ = *ParseFactorEncoding(specs_.back().dtype);
    if (enc_ == FactorEncoding::kInt8) specs_.push_back(ManifestPart(m, "item_factor_scales", "f32", {n}));
  }
  specs_.push_back(ManifestPart(m, "item_bias", "f32", {n}));
  specs_.push_back(ManifestPart(m, "item_popularity", "f32", {n}));
  specs_.push_back(ManifestPart(m, "gram", "f32", {k, k}));
  specs_.push_back(ManifestPart(m, "concept_vectors", "f32", {c, k}, /*optional=*/version_ >= 2));
  concept_spec_ = static_cast<int>(specs_.size()) - 1;
  // The content model: a part in bundles written before writers gave its rows themselves (the
  // engine gives them at load, FillContentFactors), else a writer part — read when a writer adds
  // its file (bundle update), never fetched by a client.
  // "writer_parts", whenever present, is checked whole (whatever the version, and beside a
  // content_model part), so that nothing reads an entry this reader has not checked.
  const auto w = m.find("writer_parts");
  if (w != m.end()) {
    if (!w->is_object()) return Status(ErrorCode::kParseError, "manifest.json: \"writer_parts\" must be an object");
    for (const auto& [name, entry] : w->items())
      if (name != "content_model")
        return Status(ErrorCode::kParseError, "manifest.json: writer_parts has an unknown part \"" + name.substr(0, 64) +
                                                  "\" (this reader knows content_model)");
  }
  const bool writer_model = w != m.end() && w->contains("content_model");
  if (m["parts"].contains("content_model")) {
    if (writer_model)
      return Status(ErrorCode::kParseError,
                    "manifest.json: content_model is listed both in \"parts\" and in \"writer_parts\" (one or the other)");
    specs_.push_back(ManifestPart(m, "content_model", kContentDtype, {}));
  } else if (writer_model) {
    PartSpec w_spec = ManifestPart(m, "content_model", kContentDtype, {}, /*optional=*/true, /*writer=*/true);
    // Its file is its own: one a client fetches as a part (or shard) would be read as both.
    for (const PartSpec& s : specs_) {
      if (!w_spec.manifest_error.ok() || !s.manifest_error.ok() || s.absent) continue;
      bool shared = s.file == w_spec.file;
      for (const Shard& sh : s.shards) shared = shared || sh.file == w_spec.file;
      if (shared)
        w_spec.manifest_error = Corrupt("manifest writer part \"content_model\": its file " + QuoteForMessage(w_spec.file) +
                                        " is also a file of part \"" + s.name + "\"");
    }
    specs_.push_back(std::move(w_spec));
  }
  return Status::Ok();
}

StatusOr<BundleDecoder> BundleDecoder::Begin(std::string_view manifest_text) {
  if (manifest_text.size() > limits::kMaxManifestBytes)
    return Status(ErrorCode::kLimitExceeded, "manifest.json is " + std::to_string(manifest_text.size()) + " bytes (at most 64 MiB)");
  BundleDecoder d;
  PATHLIGHT_RETURN_IF_ERROR(d.ReadManifest(manifest_text));
  return d;
}

std::vector<std::string> BundleDecoder::files() const {
  std::vector<std::string> out;
  auto add = [&](const std::string& f) {
    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  };
  for (const PartSpec& s : specs_) {
    if (!s.manifest_error.ok() || s.absent || s.writer) continue;
    if (!s.file.empty()) add(s.file);
    else for (const Shard& sh : s.shards) add(sh.file);
  }
  return out;
}

std::vector<std::string> BundleDecoder::writer_files() const {
  std::vector<std::string> out;
  for (const PartSpec& s : specs_)
    if (s.manifest_error.ok() && !s.absent && s.writer) out.push_back(s.file);
  return out;
}

std::vector<std::string> BundleDecoder::shard_files() const {
  std::vector<std::string> out;
  for (const PartSpec& s : specs_)
    if (s.manifest_error.ok() && !s.absent)
      for (const Shard& sh : s.shards)
        if (std::find(out.begin(), out.end(), sh.file) == out.end()) out.push_back(sh.file);
  return out;
}

std::vector<std::string> BundleDecoder::catalog_files() const {
  std::vector<std::string> out;
  if (specs_.empty() || !specs_[0].manifest_error.ok()) return out;
  if (!specs_[0].file.empty()) out.push_back(specs_[0].file);
  else for (const Shard& sh : specs_[0].shards) out.push_back(sh.file);
  return out;
}

void BundleDecoder::AddPart(const std::string& file, std::string_view bytes) {
  AddPart(file, bytes.size(), MemoryReader(bytes));
}

// Shards: each is checked (size, SHA-256) on its own and copied into its part; a part whose
// shards are all in and verified is decoded like a part read whole.
void BundleDecoder::AddShards(const std::string& file, uint64_t size, const ByteReader& read, std::string_view sha256_hex) {
  std::string bytes;  // read once, if some shard slot wants this file
  std::string digest;
  for (PartSpec& s : specs_) {
    if (!s.manifest_error.ok() || s.shards.empty() || !s.verify_error.ok() || s.seen) continue;
    for (size_t j = 0; j < s.shards.size(); ++j) {
      Shard& sh = s.shards[j];
      if (sh.seen || sh.file != file) continue;
      sh.seen = true;
      ++s.shards_seen;
      const std::string which = "shard " + std::to_string(j) + " (\"" + file + "\") of part \"" + s.name + "\"";
      if (size != sh.bytes) {
        s.verify_error = Corrupt(which + " is " + std::to_string(size) + " bytes, the manifest says " +
                                 std::to_string(sh.bytes) + " (truncated or replaced?)");
        verify_failed_ = true;
        break;
      }
      if (bytes.size() != size) {
        bytes.assign(static_cast<size_t>(size), '\0');
        for (uint64_t at = 0; at < size;) {
          const size_t got = read(at, bytes.data() + at, static_cast<size_t>(size - at));
          if (got == 0) break;
          at += got;
        }
        digest = sha256_hex.empty() ? Sha256Hex(bytes) : std::string(sha256_hex);
      }
      if (digest != sh.sha256) {
        s.verify_error = Status(ErrorCode::kChecksumMismatch,
                                which + " fails its SHA-256 check (tampered or corrupted download)");
        verify_failed_ = true;
        break;
      }
      if (s.assembled.size() != s.bytes) s.assembled = AlignedBytes(static_cast<size_t>(s.bytes));
      if (!bytes.empty()) std::memcpy(s.assembled.data() + sh.offset, bytes.data(), bytes.size());
    }
    if (s.verify_error.ok() && s.shards_seen == s.shards.size()) {  // complete: decode it, once
      s.seen = true;
      s.verify_error = s.shape_error;
      if (!s.verify_error.ok()) verify_failed_ = true;
      if (verify_failed_) continue;
      AlignedBytes data = std::move(s.assembled);
      const uint64_t n = data.size();
      Accept(&s, std::move(data), true, s.name, n, nullptr);
    }
  }
}

void BundleDecoder::AddPart(const std::string& file, uint64_t size, const ByteReader& read, std::string_view sha256_hex) {
  AddShards(file, size, read, sha256_hex);
  std::vector<PartSpec*> specs;
  // The part's whole file; for a sharded part it replaces the shards (any already in are dropped),
  // unless one of them has already failed.
  for (PartSpec& s : specs_)
    if (s.manifest_error.ok() && !s.absent && !s.seen && !s.file.empty() && s.file == file && s.verify_error.ok()) {
      s.assembled = AlignedBytes();
      specs.push_back(&s);
    }
  if (specs.empty()) return;  // not a part this reader uses
  constexpr size_t kWindow = size_t{1} << 20;
  // Size first: nothing is read from a part that is longer or shorter than the manifest says.
  for (PartSpec* s : specs) {
    s->seen = true;
    if (size != s->bytes) {
      s->verify_error = Corrupt("part \"" + file + "\" is " + std::to_string(size) + " bytes, the manifest says " +
                                std::to_string(s->bytes) + " (truncated or replaced?)");
      verify_failed_ = true;
    }
  }
  if (std::none_of(specs.begin(), specs.end(), [](const PartSpec* s) { return s->verify_error.ok(); })) return;
  // Array parts are read whole (they are kept, decoded, in memory); a catalog alone is hashed
  // window by window now and read window by window (JSON) or section by section (catalog-v1)
  // below, so its bytes are never held whole.
  const bool whole = std::any_of(specs.begin(), specs.end(), [](const PartSpec* s) { return s->name != "catalog"; });
  AlignedBytes data;  // a whole part (factor rows: 64-byte aligned for the SIMD kernels)
  Sha256Hasher hasher;
  const bool hashed = !sha256_hex.empty();
  if (whole) {
    data = AlignedBytes(static_cast<size_t>(size));
    for (uint64_t at = 0; at < size;) {
      const size_t got = read(at, data.data() + at, static_cast<size_t>(size - at));
      if (got == 0) break;
      at += got;
    }
    if (!hashed) hasher.Update(data.view());
  } else if (!hashed) {
    std::vector<char> window(static_cast<size_t>(std::min<uint64_t>(kWindow, std::max<uint64_t>(size, 1))));
    for (uint64_t at = 0; at < size;) {
      const size_t got = read(at, window.data(), static_cast<size_t>(std::min<uint64_t>(window.size(), size - at)));
      if (got == 0) break;
      hasher.Update(std::string_view(window.data(), got));
      at += got;
    }
  }
  const std::string digest = hashed ? std::string(sha256_hex) : hasher.FinalHex();
  for (PartSpec* s : specs) {
    if (!s->verify_error.ok()) continue;
    if (digest != s->sha256)
      s->verify_error = Status(ErrorCode::kChecksumMismatch, "part \"" + file +
                                                                 "\" fails its SHA-256 check (tampered or corrupted download)");
    else
      s->verify_error = s->shape_error;
    if (!s->verify_error.ok()) verify_failed_ = true;
  }
  // Decode what verified. After any verification failure the bundle is refused whatever the
  // other parts hold (Finish reports the first failure in verification order; every part is still
  // hashed for that), so decoding stops there.
  for (PartSpec* s : specs) {
    if (verify_failed_) return;
    const bool last = s == specs.back();
    Accept(s, last ? std::move(data) : AlignedBytes(data.view()), last, file, size, whole ? nullptr : &read);
  }
}

void BundleDecoder::Accept(PartSpec* s, AlignedBytes data, bool last_user, const std::string& file, uint64_t size,
                           const ByteReader* read) {
  (void)last_user;
  const std::string& name = s->name;
  if (name == "catalog") {
    const int64_t expected = catalog_items_;
    StatusOr<Catalog> cat = read == nullptr ? (s->json ? Catalog::Parse(data.view(), file) : Catalog::ParseBinary(data.view(), file))
                            : s->json       ? Catalog::ParseStream(*read, size, file, static_cast<size_t>(expected))
                                            : Catalog::ParseBinaryStream(*read, size, file, expected, c_);
    if (!cat.ok()) {
      catalog_error_ = cat.status();
    } else if (cat->num_items() != expected || cat->num_concepts() != c_) {
      catalog_error_ = Corrupt(file + " has " + std::to_string(cat->num_items()) + " items and " +
                               std::to_string(cat->num_concepts()) + " concepts; the manifest says " +
                               std::to_string(expected) + " and " + std::to_string(c_));
    } else {
      bundle_.catalog = std::move(cat).value();
      catalog_decoded_ = changes_spec_ < 0;  // with changes, the page's catalog is the result (Finish)
    }
  } else if (name == "catalog_changes") {
    StatusOr<json> parsed = ParseBoundedJson(data.view(), file);
    if (parsed.ok()) changes_ = std::move(parsed).value();
    else changes_error_ = parsed.status();
  } else if (name == "item_factors") {
    factor_bytes_ = std::move(data);  // they become the factor table's storage
    have_factors_ = true;
  } else if (name == "content_model") {
    StatusOr<ContentModel> cm = ContentModel::FromBinary(data.view(), c_, k_, file);
    if (cm.ok()) bundle_.content_model = std::move(cm).value();
    else content_error_ = cm.status();
  } else if (name == "item_factor_scales") {
    scale_bytes_ = std::string(data.view());
    have_scales_ = true;
  } else {
    const int slot = name == "item_bias" ? 0 : name == "item_popularity" ? 1 : name == "gram" ? 2 : 3;
    float* out = slot == 0 ? (bundle_.item_bias.resize(n_), bundle_.item_bias.data())
               : slot == 1 ? (bundle_.item_popularity.resize(n_), bundle_.item_popularity.data())
               : slot == 2 ? (bundle_.gram.resize(k_, k_), bundle_.gram.data())
                           : (bundle_.concept_vectors.resize(c_, k_), bundle_.concept_vectors.data());
    float_errors_[slot] = DecodeFloats(data.view(), name.c_str(), out);
  }
  if (have_factors_ && (enc_ != FactorEncoding::kInt8 || have_scales_) && !factors_decoded_) {
    factors_decoded_ = true;
    StatusOr<FactorTable> t = FactorTable::Adopt(enc_, static_cast<int32_t>(n_), static_cast<int32_t>(k_),
                                                 std::move(factor_bytes_), scale_bytes_);
    if (t.ok()) bundle_.item_factors = std::move(t).value();
    else factors_error_ = t.status();
    factor_bytes_ = AlignedBytes();
    scale_bytes_ = std::string();
  }
}

StatusOr<Bundle> BundleDecoder::Finish() && {
  for (const PartSpec& s : specs_) {
    PATHLIGHT_RETURN_IF_ERROR(s.manifest_error);
    if (s.absent || (s.writer && !s.seen)) continue;  // a writer part is read only when added
    if (!s.seen && !s.file.empty() && s.shards_seen == 0 && s.verify_error.ok())
      return Status(ErrorCode::kIoError, "bundle part file \"" + s.file + "\" is missing" +
                                             (s.shards.empty() ? "" : " (and none of its shards was added)"));
    if (!s.seen && !s.shards.empty() && s.verify_error.ok()) {
      for (size_t j = 0; j < s.shards.size(); ++j)
        if (!s.shards[j].seen)
          return Status(ErrorCode::kIoError, "bundle part file \"" + s.shards[j].file + "\" (shard " + std::to_string(j) +
                                                 " of part \"" + s.name + "\") is missing");
    }
    PATHLIGHT_RETURN_IF_ERROR(s.verify_error);
  }
  // Every part verified, so every part was decoded; report the first failure in decoding order.
  PATHLIGHT_RETURN_IF_ERROR(catalog_error_);
  if (changes_spec_ >= 0) {
    PATHLIGHT_RETURN_IF_ERROR(changes_error_);
    StatusOr<Catalog> merged = ApplyCatalogChanges(bundle_.catalog, changes_, "catalog_changes");
    if (!merged.ok()) return merged.status();
    if (merged->num_items() != n_)
      return Corrupt("the catalog with its changes has " + std::to_string(merged->num_items()) +
                     " items; the manifest says " + std::to_string(n_));
    bundle_.base_catalog = std::move(bundle_.catalog);
    bundle_.catalog = std::move(merged).value();
    bundle_.catalog_changes = std::move(changes_);
  }
  PATHLIGHT_RETURN_IF_ERROR(factors_error_);
  for (const Status& st : float_errors_) PATHLIGHT_RETURN_IF_ERROR(st);
  if (concept_spec_ >= 0 && specs_[concept_spec_].absent)
    bundle_.concept_vectors = ConceptVectors(bundle_.catalog, bundle_.item_factors);
  PATHLIGHT_RETURN_IF_ERROR(content_error_);
  return std::move(bundle_);
}

StatusOr<Bundle> DecodeBundle(std::string_view manifest_text, const BundleParts& parts) {
  PATHLIGHT_ASSIGN_OR_RETURN(BundleDecoder decoder, BundleDecoder::Begin(manifest_text));
  // Each part's whole file where `parts` holds it, else its shards.
  for (const std::string& file : decoder.files())
    if (auto p = parts.find(file); p != parts.end()) decoder.AddPart(file, std::string_view(p->second));
  for (const std::string& file : decoder.shard_files())
    if (auto p = parts.find(file); p != parts.end()) decoder.AddPart(file, std::string_view(p->second));
  for (const std::string& file : decoder.writer_files())
    if (auto p = parts.find(file); p != parts.end()) decoder.AddPart(file, std::string_view(p->second));
  return std::move(decoder).Finish();
}

StatusOr<BundleParts> EncodeBundleFiles(const Bundle& bundle, const BundleLayout& layout) {
  std::string manifest;
  PATHLIGHT_ASSIGN_OR_RETURN(BundleParts files, EncodeBundle(bundle, &manifest, CatalogEncoding::kBinary, layout));
  // The reader's own checks, on the bytes about to be written: what would not load is refused
  // here, before any file of an earlier bundle is touched.
  if (auto check = DecodeBundle(manifest, files); !check.ok())
    return Status(check.status().code(), "the bundle would not load, so nothing was written: " + check.status().message());
  files["manifest.json"] = std::move(manifest);
  return files;
}

Status WriteBundleFiles(const std::string& dir, const BundleParts& files) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot create directory " + dir + ": " + ec.message());
  const std::string suffix = ".tmp-pathlight";
  std::vector<std::string> written;
  auto discard = [&] {
    for (const std::string& file : written) std::filesystem::remove(dir + "/" + file + suffix, ec);
  };
  // Every file beside its final name first; the renames only once all of them are written.
  for (const auto& [file, bytes] : files) {
    const std::string path = dir + "/" + file + suffix;
    written.push_back(file);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      discard();
      return Status(ErrorCode::kIoError, "cannot write " + path + " (the folder's earlier files are as they were)");
    }
  }
  // manifest.json last (after its compressed forms): until it is renamed, a reader of the plain
  // file sees the earlier manifest, and every file either one names is in place.
  std::stable_partition(written.begin(), written.end(), [](const std::string& f) { return f != "manifest.json"; });
  for (const std::string& file : written) {
    std::filesystem::rename(dir + "/" + file + suffix, dir + "/" + file, ec);
    if (ec) {
      discard();
      return Status(ErrorCode::kIoError, "cannot rename " + dir + "/" + file + suffix + ": " + ec.message());
    }
  }
  // A compressed form an earlier write left beside a file that now has none would be served in
  // its place (a server's gzip_static / brotli_static): removed.
  for (const auto& [file, bytes] : files)
    for (const char* ext : {".br", ".gz"})
      if (!files.count(file + ext)) std::filesystem::remove(dir + "/" + file + ext, ec);
  // Temporaries an interrupted earlier write left (killed between writing and renaming): only this
  // writer names files so, and a folder that is published would otherwise carry them.
  std::vector<std::filesystem::path> stale;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      stale.push_back(entry.path());
  }
  for (const auto& path : stale) std::filesystem::remove(path, ec);
  return Status::Ok();
}

StatusOr<std::string> WriteBundleDir(const Bundle& bundle, const std::string& dir, const BundleLayout& layout) {
  PATHLIGHT_ASSIGN_OR_RETURN(const BundleParts files, EncodeBundleFiles(bundle, layout));
  PATHLIGHT_RETURN_IF_ERROR(WriteBundleFiles(dir, files));
  return Sha256Hex(files.at("manifest.json"));
}

StatusOr<BundleFiles> ReadBundleFiles(const std::string& dir) {
  auto slurp = [](const std::string& path, std::string* out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    *out = ss.str();
    return true;
  };
  BundleFiles files;
  // Its size first: a file of gigabytes is refused, not read into memory.
  std::error_code size_ec;
  const uintmax_t manifest_bytes = std::filesystem::file_size(dir + "/manifest.json", size_ec);
  if (!size_ec && manifest_bytes > limits::kMaxManifestBytes)
    return Status(ErrorCode::kLimitExceeded, dir + "/manifest.json is " + std::to_string(manifest_bytes) + " bytes (at most 64 MiB)");
  if (!slurp(dir + "/manifest.json", &files.manifest))
    return Status(ErrorCode::kIoError, "cannot read " + dir + "/manifest.json");
  json m = json::parse(files.manifest, nullptr, false);
  json listed = json::array();
  for (const char* section : {"parts", "writer_parts"})
    if (m.is_object() && m.contains(section) && m[section].is_object())
      for (auto& [name, entry] : m[section].items()) listed.push_back(entry);
  for (const json& entry : listed) {
    if (!entry.is_object()) continue;
    std::vector<json> named = {entry};  // the entry itself (one file) or its shards
    if (entry.contains("shards") && entry["shards"].is_array())
      for (const json& sh : entry["shards"]) named.push_back(sh);
    for (const json& e : named) {
      if (!e.is_object() || !e.contains("file") || !e["file"].is_string()) continue;
      const std::string file = e["file"].get<std::string>();
      if (file.find('/') != std::string::npos || file.find("..") != std::string::npos)
        return Status(ErrorCode::kCorruptBundle, "part file name \"" + file + "\" is not a plain file name");
      std::string bytes;
      if (!files.parts.count(file) && slurp(dir + "/" + file, &bytes)) files.parts[file] = std::move(bytes);
    }
  }
  return files;
}

StatusOr<Bundle> ReadBundleDir(const std::string& dir) {
  PATHLIGHT_ASSIGN_OR_RETURN(BundleFiles files, ReadBundleFiles(dir));
  return DecodeBundle(files.manifest, files.parts);
}

}  // namespace pathlight
