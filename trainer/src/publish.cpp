#include "pathlight/trainer/publish.h"

#include <brotli/encode.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include "items_csv.h"
#include "pathlight/als.h"
#include "pathlight/sha256.h"
#include "pathlight/topk.h"

namespace pathlight::trainer {

using nlohmann::json;

// ---- the factor encoding -------------------------------------------------------------------

EncodingChoice ChooseFactorEncoding(const RowMatrix& user_factors, const RowMatrix& item_factors, const Vector& bias,
                                    uint64_t seed, std::optional<FactorEncoding> forced) {
  const int32_t n = static_cast<int32_t>(item_factors.rows());
  const int32_t list = std::min<int32_t>(100, n);
  std::vector<int32_t> users(static_cast<size_t>(user_factors.rows()));
  std::iota(users.begin(), users.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(users.begin(), users.end(), rng);
  if (users.size() > static_cast<size_t>(kEncodingSampleLearners)) users.resize(kEncodingSampleLearners);
  const float* b = bias.size() == n ? bias.data() : nullptr;
  const FactorTable exact = FactorTable::Encode(item_factors, FactorEncoding::kF32);
  const FactorEncoding candidates[] = {FactorEncoding::kInt8, FactorEncoding::kF16};
  double overlap[2] = {0, 0};
  std::vector<float> s0(n), s1(n);
  for (int c = 0; c < 2 && !users.empty() && list > 0; ++c) {
    const FactorTable table = FactorTable::Encode(item_factors, candidates[c]);
    double sum = 0;
    for (int32_t u : users) {
      const Vector x = user_factors.row(u).transpose();
      exact.Score(x.data(), b, s0.data());
      table.Score(x.data(), b, s1.data());
      std::vector<int32_t> a, e;
      for (const ScoredItem& t : TopK(s0.data(), n, list)) a.push_back(t.item.value());
      for (const ScoredItem& t : TopK(s1.data(), n, list)) e.push_back(t.item.value());
      std::sort(a.begin(), a.end());
      std::sort(e.begin(), e.end());
      std::vector<int32_t> both;
      std::set_intersection(a.begin(), a.end(), e.begin(), e.end(), std::back_inserter(both));
      sum += static_cast<double>(both.size()) / list;
    }
    overlap[c] = sum / static_cast<double>(users.size());
  }
  EncodingChoice out;
  auto fmt = [](double v) {
    std::ostringstream s;
    s.precision(4);
    s << std::fixed << v;
    return s.str();
  };
  const std::string on = " on " + std::to_string(users.size()) + " training learners";
  if (users.empty()) {
    out.encoding = forced.value_or(FactorEncoding::kF32);
    out.record = {{"factors", FactorEncodingName(out.encoding)}, {"threshold", kEncodingOverlapThreshold},
                  {"reason", std::string(FactorEncodingName(out.encoding)) +
                                 ": no training learners to measure the int8 and f16 lists against f32"}};
    return out;
  }
  std::string reason;
  if (overlap[0] >= kEncodingOverlapThreshold) {
    out.encoding = FactorEncoding::kInt8;
    reason = "int8: its top-" + std::to_string(list) + " lists overlap the f32 model's by " + fmt(overlap[0]) + " (≥ " +
             fmt(kEncodingOverlapThreshold) + ")" + on;
  } else if (overlap[1] >= kEncodingOverlapThreshold) {
    out.encoding = FactorEncoding::kF16;
    reason = "f16: int8's top-" + std::to_string(list) + " overlap with f32 is " + fmt(overlap[0]) + " (< " +
             fmt(kEncodingOverlapThreshold) + "), f16's " + fmt(overlap[1]) + on;
  } else {
    out.encoding = FactorEncoding::kF32;
    reason = "f32: the top-" + std::to_string(list) + " overlap with f32 is " + fmt(overlap[0]) + " for int8 and " +
             fmt(overlap[1]) + " for f16 (both < " + fmt(kEncodingOverlapThreshold) + ")" + on;
  }
  if (forced && *forced != out.encoding)
    reason = std::string(FactorEncodingName(*forced)) + ": set by --factor-encoding (measured: int8 overlap " +
             fmt(overlap[0]) + ", f16 " + fmt(overlap[1]) + on + ")";
  if (forced) out.encoding = *forced;
  out.record = {{"factors", FactorEncodingName(out.encoding)},
                {"top100_overlap", {{"i8", overlap[0]}, {"f16", overlap[1]}}},
                {"threshold", kEncodingOverlapThreshold},
                {"sample", {{"learners", users.size()}, {"of", user_factors.rows()}, {"seed", seed}, {"list", list}}},
                {"reason", reason}};
  return out;
}

// ---- writing: shards and their compressed forms ----------------------------------------------

namespace {

StatusOr<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, "cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Brotli(std::string_view in) {
  size_t size = BrotliEncoderMaxCompressedSize(in.size());
  std::string out(size, '\0');
  if (!BrotliEncoderCompress(BROTLI_MAX_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, in.size(),
                             reinterpret_cast<const uint8_t*>(in.data()), &size, reinterpret_cast<uint8_t*>(out.data())))
    return {};
  out.resize(size);
  return out;
}

std::string Gzip(std::string_view in) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, in.size()) + 32, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string();
}

// The files a client may fetch (whole parts and shards), as the core reads the manifest.
std::vector<std::string> ClientFiles(const BundleDecoder& d) {
  std::vector<std::string> files = d.files();
  for (const std::string& f : d.shard_files())
    if (std::find(files.begin(), files.end(), f) == files.end()) files.push_back(f);
  return files;
}

// ClientFiles of a manifest text (none when it does not read).
std::vector<std::string> ListedFiles(const std::string& manifest_text) {
  auto d = BundleDecoder::Begin(manifest_text);
  return d.ok() ? ClientFiles(*d) : std::vector<std::string>{};
}

}  // namespace

StatusOr<std::string> WritePublishedBundle(const Bundle& bundle, const std::string& dir) {
  BundleLayout layout;
  layout.sharded = true;
  PATHLIGHT_ASSIGN_OR_RETURN(BundleParts files, EncodeBundleFiles(bundle, layout));
  const std::string manifest = files.at("manifest.json");
  PATHLIGHT_ASSIGN_OR_RETURN(const BundleDecoder d, BundleDecoder::Begin(manifest));
  std::vector<std::string> client = ClientFiles(d);
  std::set<std::string> listed(client.begin(), client.end());
  // Writer parts stay beside the bundle for the next writer; no client fetches them, so they get
  // no compressed forms.
  for (const std::string& f : d.writer_files()) listed.insert(f);
  client.push_back("manifest.json");
  for (const std::string& f : client) {
    const std::string bytes = files.at(f);
    // A compressed form only where it saves something; a server without one sends the file.
    for (const auto& [ext, packed] : {std::pair<const char*, std::string>{".br", Brotli(bytes)}, {".gz", Gzip(bytes)}})
      if (!packed.empty() && packed.size() < bytes.size()) files[f + ext] = packed;
  }
  // Written together (WriteBundleFiles: all beside their names, then renamed, manifest.json last;
  // an earlier version's compressed form of a file that has none now is removed).
  PATHLIGHT_RETURN_IF_ERROR(WriteBundleFiles(dir, files));
  // Content-addressed files of earlier versions (64 hex digits, a dtype, maybe .br/.gz).
  static const std::regex kShard("^[0-9a-f]{64}\\.[a-z0-9]+(\\.br|\\.gz)?$");
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!std::regex_match(name, kShard)) continue;
    std::string plain = name;
    if (plain.size() > 3 && (plain.compare(plain.size() - 3, 3, ".br") == 0 || plain.compare(plain.size() - 3, 3, ".gz") == 0))
      plain.resize(plain.size() - 3);
    if (!listed.count(plain)) std::filesystem::remove(entry.path());
  }
  return Sha256Hex(manifest);
}

// ---- updates -------------------------------------------------------------------------------

RowMatrix FactorsForNewItems(const Bundle& parent, const Catalog&, const std::vector<ItemIndex>& added) {
  return RowMatrix::Zero(static_cast<int64_t>(added.size()), parent.item_factors.cols());
}

StatusOr<UpdateSummary> UpdateBundle(const std::string& parent_dir, const std::string& update_csv,
                                     const std::string& out_dir, bool rebase) {
  PATHLIGHT_ASSIGN_OR_RETURN(BundleFiles files, ReadBundleFiles(parent_dir));
  {
    // The writer part (the content model) is read only when its file is there: without it the new
    // version would silently lose the map and give added items zero rows.
    PATHLIGHT_ASSIGN_OR_RETURN(const BundleDecoder d, BundleDecoder::Begin(files.manifest));
    for (const std::string& f : d.writer_files())
      if (!files.parts.count(f))
        return Status(ErrorCode::kIoError, "parent bundle " + parent_dir + ": the writer part file \"" + f +
                                               "\" (its content model, which gives added items their content factors) "
                                               "is missing; copy it back beside manifest.json, or retrain");
  }
  PATHLIGHT_ASSIGN_OR_RETURN(Bundle p, DecodeBundle(files.manifest, files.parts));
  UpdateSummary sum;
  sum.parent_sha256 = Sha256Hex(files.manifest);
  const Catalog& cur = p.catalog;
  const Catalog& base = p.base_catalog ? *p.base_catalog : p.catalog;
  std::unordered_map<std::string, int32_t> concept_of;
  for (int32_t c = 0; c < cur.num_concepts(); ++c) concept_of.emplace(cur.concept_at(ConceptIndex(c)).id, c);
  PATHLIGHT_ASSIGN_OR_RETURN(std::vector<ItemRow> rows, ReadItemsCsv(update_csv, concept_of, true));
  if (rows.empty()) return Status(ErrorCode::kInvalidArgument, "file \"" + update_csv + "\": no rows: nothing to update");

  json items = p.base_catalog ? p.catalog_changes.value("items", json::array()) : json::array();
  json retired = p.base_catalog ? p.catalog_changes.value("retired", json::array()) : json::array();
  std::set<std::string> retired_ids;
  for (const json& id : retired) retired_ids.insert(id.get<std::string>());
  std::vector<Item> upserts;
  std::vector<std::string> retire;
  for (const ItemRow& r : rows) {
    const std::string where = "file \"" + update_csv + "\" line " + std::to_string(r.line) + " column \"id\": ";
    if (r.retire) {
      if (!cur.FindItem(r.item.id))
        return Status(ErrorCode::kUnknownId, where + "cannot retire " + QuoteForMessage(r.item.id) + ": the bundle has no such item");
      retire.push_back(r.item.id);
    } else {
      if (retired_ids.count(r.item.id))
        return Status(ErrorCode::kInvalidArgument, where + "\"" + r.item.id +
                                                       "\" was retired by an earlier update; give the item a new id "
                                                       "(or retrain)");
      upserts.push_back(r.item);
    }
  }
  PATHLIGHT_ASSIGN_OR_RETURN(const Catalog listed, Catalog::Build(cur.concepts(), upserts, update_csv));
  const json listed_json = listed.ToJson()["items"];
  const json base_json = base.ToJson()["items"];
  auto position = [&](const std::string& id) -> std::optional<size_t> {
    for (size_t j = 0; j < items.size(); ++j)
      if (items[j]["id"] == id) return j;
    return std::nullopt;
  };
  for (const json& record : listed_json) {
    const std::string id = record["id"].get<std::string>();
    (cur.FindItem(id) ? sum.changed : sum.added)++;
    const auto in_base = base.FindItem(id);
    const auto at = position(id);
    if (in_base && record == base_json[in_base->value()]) {  // back to its trained record
      if (at) items.erase(*at);
    } else if (at) {
      items[*at] = record;
    } else {
      items.push_back(record);
    }
  }
  for (const std::string& id : retire) {
    ++sum.retired;
    if (const auto at = position(id)) items.erase(*at);
    if (base.FindItem(id)) retired.push_back(id);
  }
  const json changes = {{"items", items}, {"retired", retired}};
  PATHLIGHT_ASSIGN_OR_RETURN(Catalog final_catalog, ApplyCatalogChanges(base, changes, update_csv));
  if (final_catalog.num_items() == 0)
    return Status(ErrorCode::kInvalidArgument, update_csv + ": the update retires every item (" + std::to_string(sum.retired) +
                                                   "); a bundle needs at least one — publish a new catalog with `pathlight train` instead");

  // Rows in the final order: kept items' bytes copied, added items from the hook.
  const FactorTable& y = p.item_factors;
  const FactorEncoding enc = y.encoding();
  const int32_t n = final_catalog.num_items(), k = y.cols();
  const size_t width = enc == FactorEncoding::kF32 ? 4 : enc == FactorEncoding::kF16 ? 2 : 1;
  const std::string data = y.DataBytes(), scales = y.ScaleBytes();
  std::vector<ItemIndex> added;
  std::vector<int32_t> from(n, -1);
  for (int32_t i = 0; i < n; ++i) {
    if (const auto j = cur.FindItem(final_catalog.item(ItemIndex(i)).id)) from[i] = j->value();
    else added.push_back(ItemIndex(i));
  }
  const RowMatrix fresh = FactorsForNewItems(p, final_catalog, added);
  const FactorTable fresh_table = FactorTable::Encode(fresh, enc);
  const std::string fresh_data = fresh_table.DataBytes(), fresh_scales = fresh_table.ScaleBytes();
  // A changed item whose parent row is its content row (the model's prediction for its old
  // record, as the writer encoded it: no trained factors) gets a zero row and bias again, so that
  // the writer gives it the content row of its new record.
  const FactorTable zero_row = FactorTable::Encode(RowMatrix::Zero(1, k), enc);
  // Returns the predicted bias of parent item j when its row is its content row.
  auto content_row = [&](int32_t j) -> std::optional<float> {
    if (!p.content_model) return std::nullopt;
    Vector pred(k + 1);
    p.content_model->Predict(cur.item(ItemIndex(j)), pred.data());
    FactorTable one = zero_row;
    one.SetRow(0, pred.data() + 1);
    const size_t row = static_cast<size_t>(k) * width;
    if (one.DataBytes() != data.substr(static_cast<size_t>(j) * row, row) ||
        (enc == FactorEncoding::kInt8 && one.ScaleBytes() != scales.substr(static_cast<size_t>(j) * 4, 4)))
      return std::nullopt;
    return pred[0];
  };
  std::set<std::string> upserted;
  for (const json& record : listed_json) upserted.insert(record["id"].get<std::string>());
  int32_t refilled = 0;
  std::string out_data, out_scales;
  Bundle nb;
  nb.item_bias.resize(n);
  nb.item_popularity.resize(n);
  for (int32_t i = 0, a = 0; i < n; ++i) {
    const size_t row = static_cast<size_t>(k) * width;
    const std::optional<float> content_bias =
        from[i] >= 0 && upserted.count(final_catalog.item(ItemIndex(i)).id) ? content_row(from[i]) : std::nullopt;
    if (content_bias) {
      out_data.append(zero_row.DataBytes());
      if (enc == FactorEncoding::kInt8) out_scales.append(zero_row.ScaleBytes());
      nb.item_bias[i] = p.item_bias[from[i]] == *content_bias ? 0.f : p.item_bias[from[i]];
      nb.item_popularity[i] = p.item_popularity[from[i]];
      ++refilled;
    } else if (from[i] >= 0) {
      out_data.append(data, static_cast<size_t>(from[i]) * row, row);
      if (enc == FactorEncoding::kInt8) out_scales.append(scales, static_cast<size_t>(from[i]) * 4, 4);
      nb.item_bias[i] = p.item_bias[from[i]];
      nb.item_popularity[i] = p.item_popularity[from[i]];
    } else {
      out_data.append(fresh_data, static_cast<size_t>(a) * row, row);
      if (enc == FactorEncoding::kInt8) out_scales.append(fresh_scales, static_cast<size_t>(a) * 4, 4);
      nb.item_bias[i] = 0;
      nb.item_popularity[i] = 0;
      ++a;
    }
  }
  PATHLIGHT_ASSIGN_OR_RETURN(nb.item_factors, FactorTable::Decode(enc, n, k, out_data, out_scales));
  const bool same_gram = retire.empty() && fresh.isZero(0) && refilled == 0;
  nb.gram = same_gram ? p.gram : Gram(nb.item_factors.Dequantized());
  nb.concept_vectors = ConceptVectors(final_catalog, nb.item_factors);
  nb.info = p.info;
  nb.info.parent = sum.parent_sha256;
  // Added items keep zero rows here; when the parent carries a content model, the writer gives
  // them their content factors (EncodeBundle → FillContentFactors) and keeps the model.
  nb.content_model = p.content_model;
  nb.catalog = std::move(final_catalog);
  if (!rebase && (!items.empty() || !retired.empty())) {
    nb.base_catalog = base;
    nb.catalog_changes = changes;
  }
  PATHLIGHT_ASSIGN_OR_RETURN(sum.manifest_sha256, WritePublishedBundle(nb, out_dir));
  // What a client that holds the parent downloads: the files the parent did not have.
  const std::vector<std::string> before = ListedFiles(files.manifest);
  const std::set<std::string> had(before.begin(), before.end());
  PATHLIGHT_ASSIGN_OR_RETURN(const std::string manifest, Slurp(out_dir + "/manifest.json"));
  for (const std::string& f : ListedFiles(manifest)) {
    const uint64_t bytes = std::filesystem::file_size(out_dir + "/" + f);
    sum.bytes_total += bytes;
    if (!had.count(f)) sum.bytes_new += bytes;
  }
  return sum;
}

}  // namespace pathlight::trainer
