#include "pathlight/bundle.h"

#include <algorithm>
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

json PartEntry(const std::string& file, const std::string& bytes, const char* dtype, std::vector<int64_t> shape) {
  return {{"file", file}, {"bytes", bytes.size()}, {"sha256", Sha256Hex(bytes)}, {"dtype", dtype}, {"shape", shape}};
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
  std::memcpy(out, bytes.data(), bytes.size());
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
  b.concept_vectors = ConceptVectors(b.catalog, y_hat);
  return b;
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

StatusOr<BundleParts> EncodeBundle(const Bundle& b, std::string* manifest_text, CatalogEncoding catalog_encoding) {
  const int64_t n = b.item_factors.rows(), k = b.item_factors.cols(), c = b.concept_vectors.rows();
  const FactorEncoding enc = b.item_factors.encoding();
  if (n != b.catalog.num_items() || b.item_bias.size() != n || b.item_popularity.size() != n || b.gram.rows() != k || b.gram.cols() != k ||
      c != b.catalog.num_concepts() || b.concept_vectors.cols() != k)
    return Status(ErrorCode::kInvalidArgument, "bundle arrays disagree with the catalog's counts");
  if (!b.item_bias.allFinite() || !b.item_popularity.allFinite() || !b.gram.allFinite() || !b.concept_vectors.allFinite())
    return Status(ErrorCode::kNotFinite, "refusing to write a bundle with non-finite numbers; try a larger regularization (lambda)");
  BundleParts parts;
  const bool json_catalog = catalog_encoding == CatalogEncoding::kJson;
  const std::string catalog_file = json_catalog ? "catalog.json" : "catalog.bin";
  parts[catalog_file] = json_catalog ? b.catalog.ToJson().dump() : b.catalog.ToBinary();
  const std::string factors_file = std::string("item_factors.") + FactorEncodingName(enc);
  parts[factors_file] = b.item_factors.DataBytes();
  if (enc == FactorEncoding::kInt8) parts["item_factor_scales.f32"] = b.item_factors.ScaleBytes();
  parts["item_bias.f32"] = FloatBytes(b.item_bias.data(), n);
  parts["item_popularity.f32"] = FloatBytes(b.item_popularity.data(), n);
  parts["gram.f32"] = FloatBytes(b.gram.data(), k * k);
  parts["concept_vectors.f32"] = FloatBytes(b.concept_vectors.data(), c * k);
  json manifest = {
      {"format", kBundleFormatName},
      {"version", kBundleFormatVersion},
      {"dataset", b.info.dataset},
      {"model", {{"algorithm", b.info.algorithm}, {"factors", k}, {"regularization", b.info.regularization},
                 {"alpha", b.info.alpha}, {"iterations", b.info.iterations}}},
      {"metrics", b.info.metrics},
      {"counts", {{"items", n}, {"concepts", c}}},
      {"parts",
       {{"catalog", PartEntry(catalog_file, parts[catalog_file], json_catalog ? "json" : "catalog-v1", {})},
        {"item_factors", PartEntry(factors_file, parts[factors_file], FactorEncodingName(enc), {n, k})},
        {"item_bias", PartEntry("item_bias.f32", parts["item_bias.f32"], "f32", {n})},
        {"item_popularity", PartEntry("item_popularity.f32", parts["item_popularity.f32"], "f32", {n})},
        {"gram", PartEntry("gram.f32", parts["gram.f32"], "f32", {k, k})},
        {"concept_vectors", PartEntry("concept_vectors.f32", parts["concept_vectors.f32"], "f32", {c, k})}}}};
  if (const auto& r = b.info.ratings)
    manifest["model"]["ratings"] = {{"global_mean", r->global_mean}, {"regularization", r->regularization},
                                    {"bias_regularization", r->bias_regularization},
                                    {"min", r->min_rating}, {"max", r->max_rating}, {"step", r->step}};
  if (const auto& r = b.info.ratings; r && r->has_prior()) {
    const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> p = r->prior_precision;
    manifest["model"]["ratings"]["prior_mean"] = std::vector<float>(r->prior_mean.data(), r->prior_mean.data() + r->prior_mean.size());
    manifest["model"]["ratings"]["prior_precision"] = std::vector<float>(p.data(), p.data() + p.size());
  }
  if (enc == FactorEncoding::kInt8)
    manifest["parts"]["item_factor_scales"] = PartEntry("item_factor_scales.f32", parts["item_factor_scales.f32"], "f32", {n});
  // The optional content model (content_model.h): its bytes in one part, its λ in model.content.
  if (const auto& cm = b.content_model) {
    if (cm->factors != k || cm->concepts != c)
      return Status(ErrorCode::kInvalidArgument, "the content model was fitted for another k or concept count");
    if (!cm->weights.allFinite() || !cm->mean.allFinite())
      return Status(ErrorCode::kNotFinite, "refusing to write a content model with non-finite numbers");
    parts[kContentFile] = cm->ToBinary();
    manifest["parts"]["content_model"] = PartEntry(kContentFile, parts[kContentFile], kContentDtype, {});
    manifest["model"]["content"] = {{"method", "ridge"}, {"regularization", cm->regularization},
                                    {"features", cm->NumFeatures()}};
  }
  *manifest_text = manifest.dump(2) + "\n";
  return parts;
}

// The manifest's entry for one part, checked against what this reader expects, in the order the
// reader has always checked it: entry fields, plain file name, dtype, size limit (these fill
// `manifest_error`), then — once the bytes are there — size, SHA-256, and shape (`shape_error`).
BundleDecoder::PartSpec BundleDecoder::ManifestPart(const json& manifest, const char* name, const char* dtype,
                                                    const std::vector<int64_t>& shape) {
  PartSpec spec;
  spec.name = name;
  Status& err = spec.manifest_error;
  const json& entries = manifest["parts"];
  auto e = entries.find(name);
  if (e == entries.end() || !e->is_object()) {
    err = Corrupt(std::string("manifest lists no part \"") + name + "\"");
    return spec;
  }
  auto file = e->find("file");
  auto bytes = e->find("bytes");
  auto sha = e->find("sha256");
  auto dt = e->find("dtype");
  if (file == e->end() || !file->is_string() || bytes == e->end() || !bytes->is_number_unsigned() ||
      sha == e->end() || !sha->is_string() || dt == e->end() || !dt->is_string()) {
    err = Status(ErrorCode::kParseError, std::string("manifest part \"") + name +
                                             "\": expected fields file (string), bytes (unsigned), sha256, dtype");
    return spec;
  }
  if (!PlainFileName(file->get<std::string>())) {
    err = Corrupt(std::string("part \"") + name + "\": file name \"" + file->get<std::string>() +
                  "\" is not a plain file name inside the bundle folder");
    return spec;
  }
  // "factors": any factor encoding; "catalog": the compact catalog-v1 or JSON text.
  const std::string& actual = dt->get<std::string>();
  const bool catalog = std::strcmp(dtype, "catalog") == 0;
  if (catalog ? actual != "catalog-v1" && actual != "json"
              : actual != dtype && !(std::strcmp(dtype, "factors") == 0 && ParseFactorEncoding(actual))) {
    err = Status(ErrorCode::kUnsupportedVersion, std::string("part \"") + name + "\" has dtype \"" + actual +
                                                     "\", this reader supports " +
                                                     (catalog ? std::string("\"catalog-v1\" or \"json\"") : "\"" + std::string(dtype) + "\""));
    return spec;
  }
  if (bytes->get<uint64_t>() > static_cast<uint64_t>(kMaxPartBytes)) {
    err = Status(ErrorCode::kLimitExceeded, std::string("part \"") + name + "\" claims more than 2 GiB");
    return spec;
  }
  spec.file = file->get<std::string>();
  spec.bytes = bytes->get<uint64_t>();
  spec.sha256 = sha->get<std::string>();
  spec.dtype = actual;
  spec.json = actual == "json";
  if (!catalog && std::strcmp(dtype, kContentDtype) != 0) {
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
  if (m["version"].get<int64_t>() != kBundleFormatVersion)
    return Status(ErrorCode::kUnsupportedVersion, "bundle format version " + m["version"].dump() +
                                                      " is not supported (this reader reads version " +
                                                      std::to_string(kBundleFormatVersion) + ")");
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

  n_ = n;
  c_ = c;
  k_ = k;
  // The parts in the order they are verified, then decoded.
  specs_.push_back(ManifestPart(m, "catalog", "catalog", {}));
  specs_.push_back(ManifestPart(m, "item_factors", "factors", {n, k}));
  if (specs_.back().manifest_error.ok()) {
    enc_ = *ParseFactorEncoding(specs_.back().dtype);
    if (enc_ == FactorEncoding::kInt8) specs_.push_back(ManifestPart(m, "item_factor_scales", "f32", {n}));
  }
  specs_.push_back(ManifestPart(m, "item_bias", "f32", {n}));
  specs_.push_back(ManifestPart(m, "item_popularity", "f32", {n}));
  specs_.push_back(ManifestPart(m, "gram", "f32", {k, k}));
  specs_.push_back(ManifestPart(m, "concept_vectors", "f32", {c, k}));
  if (m["parts"].contains("content_model")) specs_.push_back(ManifestPart(m, "content_model", kContentDtype, {}));
  return Status::Ok();
}

StatusOr<BundleDecoder> BundleDecoder::Begin(std::string_view manifest_text) {
  BundleDecoder d;
  PATHLIGHT_RETURN_IF_ERROR(d.ReadManifest(manifest_text));
  return d;
}

std::vector<std::string> BundleDecoder::files() const {
  std::vector<std::string> out;
  for (const PartSpec& s : specs_)
    if (s.manifest_error.ok() && std::find(out.begin(), out.end(), s.file) == out.end()) out.push_back(s.file);
  return out;
}

void BundleDecoder::AddPart(const std::string& file, std::string_view bytes) {
  AddPart(file, bytes.size(), MemoryReader(bytes));
}

void BundleDecoder::AddPart(const std::string& file, uint64_t size, const ByteReader& read, std::string_view sha256_hex) {
  std::vector<PartSpec*> specs;
  for (PartSpec& s : specs_)
    if (s.manifest_error.ok() && !s.seen && s.file == file) specs.push_back(&s);
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
    const std::string& name = s->name;
    if (name == "catalog") {
      StatusOr<Catalog> cat = whole     ? (s->json ? Catalog::Parse(data.view(), file) : Catalog::ParseBinary(data.view(), file))
                              : s->json ? Catalog::ParseStream(read, size, file, static_cast<size_t>(n_))
                                        : Catalog::ParseBinaryStream(read, size, file, n_, c_);
      if (!cat.ok()) {
        catalog_error_ = cat.status();
      } else if (cat->num_items() != n_ || cat->num_concepts() != c_) {
        catalog_error_ = Corrupt(file + " has " + std::to_string(cat->num_items()) + " items and " +
                                 std::to_string(cat->num_concepts()) + " concepts; the manifest says " +
                                 std::to_string(n_) + " and " + std::to_string(c_));
      } else {
        bundle_.catalog = std::move(cat).value();
        catalog_decoded_ = true;
      }
    } else if (name == "item_factors") {
      // The last user of these bytes takes them: they become the factor table's storage.
      factor_bytes_ = s == specs.back() ? std::move(data) : AlignedBytes(data.view());
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
    if (!s.seen) return Status(ErrorCode::kIoError, "bundle part file \"" + s.file + "\" is missing");
    PATHLIGHT_RETURN_IF_ERROR(s.verify_error);
  }
  // Every part verified, so every part was decoded; report the first failure in decoding order.
  PATHLIGHT_RETURN_IF_ERROR(catalog_error_);
  PATHLIGHT_RETURN_IF_ERROR(factors_error_);
  for (const Status& st : float_errors_) PATHLIGHT_RETURN_IF_ERROR(st);
  PATHLIGHT_RETURN_IF_ERROR(content_error_);
  return std::move(bundle_);
}

StatusOr<Bundle> DecodeBundle(std::string_view manifest_text, const BundleParts& parts) {
  PATHLIGHT_ASSIGN_OR_RETURN(BundleDecoder decoder, BundleDecoder::Begin(manifest_text));
  for (const std::string& file : decoder.files())
    if (auto p = parts.find(file); p != parts.end()) decoder.AddPart(file, std::string_view(p->second));
  return std::move(decoder).Finish();
}

StatusOr<std::string> WriteBundleDir(const Bundle& bundle, const std::string& dir) {
  std::string manifest;
  PATHLIGHT_ASSIGN_OR_RETURN(BundleParts parts, EncodeBundle(bundle, &manifest));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::kIoError, "cannot create directory " + dir + ": " + ec.message());
  parts["manifest.json"] = manifest;
  for (const auto& [file, bytes] : parts) {
    const std::string path = dir + "/" + file;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Status(ErrorCode::kIoError, "cannot write " + path);
  }
  return Sha256Hex(manifest);
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
  if (!slurp(dir + "/manifest.json", &files.manifest))
    return Status(ErrorCode::kIoError, "cannot read " + dir + "/manifest.json");
  json m = json::parse(files.manifest, nullptr, false);
  if (m.is_object() && m.contains("parts") && m["parts"].is_object())
    for (auto& [name, entry] : m["parts"].items()) {
      if (!entry.is_object() || !entry.contains("file") || !entry["file"].is_string()) continue;
      const std::string file = entry["file"].get<std::string>();
      if (file.find('/') != std::string::npos || file.find("..") != std::string::npos)
        return Status(ErrorCode::kCorruptBundle, "part file name \"" + file + "\" is not a plain file name");
      std::string bytes;
      if (slurp(dir + "/" + file, &bytes)) files.parts[file] = std::move(bytes);
    }
  return files;
}

StatusOr<Bundle> ReadBundleDir(const std::string& dir) {
  PATHLIGHT_ASSIGN_OR_RETURN(BundleFiles files, ReadBundleFiles(dir));
  return DecodeBundle(files.manifest, files.parts);
}

}  // namespace pathlight
