// The model bundle: the only thing the browser downloads. Format v2 (v1 still read) is specified
// in docs/bundle-format.md: a JSON manifest (format, version, dataset, model hyperparameters,
// training metrics, the factor encoding and why, the parent version, and for every part its byte
// size, dtype, shape and either one file with its SHA-256 or content-addressed shards, each with
// its own SHA-256) plus binary little-endian parts. A page pins a bundle by the SHA-256 of
// manifest.json; the reader verifies every part (every shard) against the manifest before use.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/catalog.h"
#include "pathlight/content_model.h"
#include "pathlight/factor_table.h"
#include "pathlight/fold_in.h"
#include "pathlight/status.h"
#include "pathlight/types.h"

namespace pathlight {

/// The version this code writes. Readers accept 1 and 2; a reader of version 1 refuses a version-2
/// manifest with unsupported_version ("bundle format version 2 is not supported").
inline constexpr int kBundleFormatVersion = 2;
/// The oldest version readers accept: they read kOldestBundleFormatVersion..kBundleFormatVersion
/// (the engine's `describe` answer lists them as `bundleFormats`; the npm package states them).
inline constexpr int kOldestBundleFormatVersion = 1;
inline constexpr const char* kBundleFormatName = "pathlight-bundle";

/// Training metadata carried by the bundle (shown by `pathlight inspect` and the web app).
struct ModelInfo {
  std::string dataset;              // e.g. "demo", "coco"
  int format_version = kBundleFormatVersion;  // the manifest's "version" (1 or 2) once read
  std::string algorithm = "implicit-als";
  int factors = 0;                  // k
  float regularization = 0;         // λ
  float alpha = 0;                  // α (confidence slope)
  int iterations = 0;
  nlohmann::json metrics = nlohmann::json::object();  // e.g. {"ndcg_at_10": 0.07}
  /// Explicit-rating models only (biased MF): μ and the penalties of the device's rating fold-in.
  /// Absent for implicit models, whose learners fold in with λ and α above.
  std::optional<RatingModel> ratings;
  /// Why the item factors have the encoding they have (manifest key "encoding"; v2): {"factors":
  /// "i8" | "f16" | "f32", "top100_overlap": {"i8": …, "f16": …}, "threshold": 0.99, "sample":
  /// {…}, "reason": "…"}, as `pathlight train` measured it; empty object when not recorded.
  nlohmann::json encoding = nlohmann::json::object();
  /// The SHA-256 (hex) of the manifest this bundle was updated from (`pathlight bundle update`),
  /// empty for a trained bundle (manifest key "parent").
  std::string parent;
};

struct Bundle {
  ModelInfo info;
  Catalog catalog;
  FactorTable item_factors;     // n_items × k (f32, f16 or int8 + row scales), kept encoded
  Vector item_bias;             // n_items (zeros for implicit ALS)
  Vector item_popularity;       // n_items, training interaction counts scaled to [0, 1] (cold fallback)
  Eigen::MatrixXf gram;         // k × k, ŶᵀŶ of the *encoded* item factors (fold-in matches scoring)
  RowMatrix concept_vectors;    // n_concepts × k: mean factors of the items teaching each concept
  /// An updated bundle's catalog as its parent's catalog part plus changes (v2 part
  /// "catalog_changes", JSON {"items": [records added or replaced], "retired": [ids]}): `catalog`
  /// above is the result; these keep the part as it is so that an update can reuse its bytes.
  /// Empty (base_catalog unset) for a trained bundle.
  std::optional<Catalog> base_catalog;
  nlohmann::json catalog_changes;
  /// The map from item features to [b_i, y_i] (content_model.h), or none. Items whose factor row
  /// is all zeros have no trained factors; FillContentFactors gives them content factors. A writer
  /// (EncodeBundle) writes those rows and the model as a writer part ("writer_parts", read by
  /// later writers such as `pathlight bundle update`, never fetched by a client); a bundle written
  /// before lists it among its parts, and the engine gives the rows at load.
  std::optional<ContentModel> content_model;
};

/// How EncodeBundle lays the parts out in files.
struct BundleLayout {
  /// false: one file per part, named by the part ("item_factors.f32"). true: every part split at
  /// content-defined boundaries into shards named by their SHA-256 ("<64 hex>.<dtype>"), so that a
  /// new version re-uses every shard whose bytes did not change and a client downloads only the
  /// others (gear-hash chunking as in FastCDC, Xia et al. 2016: cut where the rolling hash's low
  /// 13 bits are zero, shards of 4–64 KiB, about 12 KiB on average). Smaller shards cost requests
  /// and manifest bytes on the first load; larger ones cost updates, because a part's last shard
  /// always changes when rows are appended: with 8–128 KiB shards an update adding 1% of a
  /// 20,000-item catalog sent 11.6% of the first load's bytes, with these 3–4% (e2e/update.spec.js).
  /// A part of more than one shard is also written whole, as one content-addressed file named in
  /// its entry's `file` and `sha256`: a first load fetches the whole parts (a dozen requests, where
  /// a 100,000-item bundle has about 1,000 shards and Chromium spends ~7 ms per request here), an
  /// update only the shards it lacks. The folder holds such a part twice.
  bool sharded = false;
  size_t min_shard = size_t{4} << 10, max_shard = size_t{64} << 10;
  uint64_t shard_mask = (uint64_t{1} << 13) - 1;
};

/// Byte offsets where `bytes` is cut into shards under `layout` (ascending, each in (0, size);
/// the ends are implied). Deterministic: the same bytes always cut at the same places, and an
/// insertion or deletion moves only the cuts within a shard or two of it.
std::vector<size_t> ShardCuts(std::string_view bytes, const BundleLayout& layout);

/// The catalog of an updated bundle: `base` with `changes` applied ({"items": [item records in
/// the catalog JSON schema], "retired": [item ids]}). Item order: base items not retired, in base
/// order (a changed one keeps its place), then the added ones in the order listed. Errors
/// (naming `source`): parse_error (shape), unknown_id (a retired id or concept not in the base),
/// invalid_argument (an id listed twice), and every check of Catalog::Build.
StatusOr<Catalog> ApplyCatalogChanges(const Catalog& base, const nlohmann::json& changes, const std::string& source);

/// Assembles a bundle from trained factors: encodes Y, then computes the Gram matrix and concept
/// vectors from the encoded (dequantized) factors so that the device's fold-in and scoring agree.
/// `y`: n × k row-major with n = catalog.num_items(); `bias`: n (or empty for zeros).
/// item_popularity starts at zeros; trainers set it from their interaction counts.
/// Errors: not_finite when y or bias holds NaN/∞ (suggest a larger λ); invalid_argument on shapes.
StatusOr<Bundle> AssembleBundle(Catalog catalog, const RowMatrix& y, Vector bias, ModelInfo info, FactorEncoding encoding);

/// Name → bytes of every part file, plus the manifest text.
using BundleParts = std::map<std::string, std::string>;

/// Serializes to the manifest text and its part files (file name → bytes).
/// Errors: kNotFinite if any factor, bias or Gram entry is NaN/∞ (nothing is returned).
/// `catalog_encoding`: the compact columns (file "catalog.bin", dtype "catalog-v1", the default)
/// or JSON text ("catalog.json", dtype "json": readable and editable by hand, but about 5× slower
/// to load in WebAssembly: 1.1 s against 0.22 s for a 100,000-item catalog, hashing included).
/// Readers accept both (docs/bundle-format.md).
enum class CatalogEncoding { kBinary, kJson };
/// Version-2 manifests leave out the concept_vectors part when it equals ConceptVectors of the
/// catalog and factors bit for bit (the reader computes it then), and write catalog_changes and
/// the parent's catalog part for an updated bundle (Bundle::base_catalog).
/// With a content model, the bundle is written as FillContentFactors leaves it (a copy is filled:
/// `bundle` is not changed) — every item without trained factors gets its content row and bias,
/// and gram and concept_vectors include them — and the model itself goes to the manifest's
/// "writer_parts" (one file, content-addressed in a sharded layout), which clients never fetch.
/// Errors also: invalid_argument / not_finite from the content model.
StatusOr<BundleParts> EncodeBundle(const Bundle& bundle, std::string* manifest_text,
                                   CatalogEncoding catalog_encoding = CatalogEncoding::kBinary,
                                   const BundleLayout& layout = {});

/// Parses and verifies a bundle from its manifest text and part files (versions 1 and 2). Every
/// part's (every shard's) size and SHA-256 is checked before it is decoded. Errors (codes): parse_error (manifest not JSON or
/// missing fields), unsupported_version, checksum_mismatch, corrupt_bundle (sizes/shapes disagree),
/// not_finite, prerequisite_cycle / unknown_id / parse_error (catalog), limit_exceeded.
StatusOr<Bundle> DecodeBundle(std::string_view manifest_text, const BundleParts& parts);

/// Reads a bundle one part at a time, so that a reader holds one part's bytes at a time beside what
/// it keeps (the WebAssembly engine's heap never shrinks, so its peak during loading is what it
/// costs). Begin with the manifest text, AddPart each file in files() — in any order — then
/// Finish. Every part's size and SHA-256 are checked before anything decodes it; the catalog is
/// hashed, then parsed, in 1 MiB windows (its text is never held whole); the item factors' bytes
/// become the factor table's storage. Finish reports exactly what DecodeBundle reports for the
/// same files: the first failure in verification order (catalog, item_factors,
/// item_factor_scales, item_bias, item_popularity, gram, concept_vectors, content_model when the
/// manifest lists it; a file never added is
/// io_error), then the first in decoding order.
class BundleDecoder {
 public:
  /// Checks the manifest: parse_error, unsupported_version, limit_exceeded, not_finite.
  static StatusOr<BundleDecoder> Begin(std::string_view manifest_text);
  /// The part files to add, in verification order (plain file names; each once): each part's
  /// whole file, or — for a sharded part that names none — its shards in order. The fewest
  /// requests for a reader that holds nothing yet.
  std::vector<std::string> files() const;
  /// Every shard of every sharded part (each once), for a reader that assembles parts from shards
  /// (an update that re-uses the shards it holds). A sharded part is complete when either its
  /// whole file or all its shards have been added; whichever completes it first is used.
  std::vector<std::string> shard_files() const;
  /// The files of writer parts ("writer_parts": the content model), which files() leaves out: a
  /// host that adds one gets it decoded and checked (Bundle::content_model); one never added is
  /// not an error.
  std::vector<std::string> writer_files() const;
  /// The files whose bytes, concatenated in this order, are the catalog part as files() fetches
  /// it (its whole file, or its shards when it names none); empty when the manifest's catalog
  /// entry is unusable.
  std::vector<std::string> catalog_files() const;
  /// True when the bundle's catalog is its catalog part plus changes (v2 "catalog_changes"): the
  /// catalog part's bytes are then not the catalog, and a host asks the engine for the result.
  bool has_catalog_changes() const { return changes_spec_ >= 0; }
  /// Verifies one part file of `size` bytes, pulled through `read`, and decodes it if it verifies.
  /// Errors are kept for Finish. A file no part uses is ignored. `sha256_hex`: the bytes' SHA-256
  /// (64 lowercase hex digits) when the caller has already computed it — the WebAssembly engine's
  /// host hashes with WebCrypto, several times faster than hashing in WebAssembly — else empty, and
  /// the decoder hashes the bytes itself. Either way it is compared with the manifest's.
  void AddPart(const std::string& file, uint64_t size, const ByteReader& read, std::string_view sha256_hex = {});
  /// AddPart for bytes in memory (copied where they are kept).
  void AddPart(const std::string& file, std::string_view bytes);
  /// True once the catalog part has been verified and decoded without error (the rest of the
  /// bundle may still fail): a host may hand the page the catalog's bytes early.
  bool catalog_decoded() const { return catalog_decoded_; }
  /// The bundle, or the first error (see above). Consumes the decoder.
  StatusOr<Bundle> Finish() &&;

 private:
  // One part as the manifest describes it, and what became of it.
  // One shard of a sharded part: bytes [offset, offset + bytes) of the part.
  struct Shard {
    std::string file, sha256;
    uint64_t offset = 0, bytes = 0;
    bool seen = false;
  };
  struct PartSpec {
    std::string name, file, sha256, dtype;
    uint64_t bytes = 0;
    std::vector<Shard> shards;  // v2 sharded part (`file` and `sha256`: its whole file, or empty)
    AlignedBytes assembled;     // its bytes, filled shard by shard
    size_t shards_seen = 0;
    bool absent = false;        // an optional part the manifest does not list
    bool writer = false;        // listed in "writer_parts": decoded only when its file is added
    bool json = false;      // a catalog as JSON text (dtype "json"; read window by window)
    Status manifest_error;  // entry fields, file name, dtype, size limit
    Status shape_error;     // shape vs counts (reported after the checksum, as DecodeBundle does)
    bool seen = false;      // AddPart was called for its file
    Status verify_error;    // size, SHA-256, shape
  };
  static PartSpec ManifestPart(const nlohmann::json& manifest, const char* name, const char* dtype,
                               const std::vector<int64_t>& shape, bool optional = false, bool writer = false);
  // A part whose bytes are all in and verified: decode it (`file` names it in messages).
  void Accept(PartSpec* s, AlignedBytes data, bool last_user, const std::string& file, uint64_t size,
              const ByteReader* read);
  void AddShards(const std::string& file, uint64_t size, const ByteReader& read, std::string_view sha256_hex);

  BundleDecoder() = default;
  Status ReadManifest(std::string_view manifest_text);

  Bundle bundle_;
  int64_t n_ = 0, c_ = 0, k_ = 0;
  int64_t catalog_items_ = 0;  // items in the catalog part (n_ unless there are catalog changes)
  int version_ = kBundleFormatVersion;
  int changes_spec_ = -1, concept_spec_ = -1;  // indices in specs_ (-1: not listed)
  nlohmann::json changes_;
  Status changes_error_;
  FactorEncoding enc_ = FactorEncoding::kF32;
  std::vector<PartSpec> specs_;
  bool verify_failed_ = false;
  AlignedBytes factor_bytes_;  // held only until both item factors and scales are in
  std::string scale_bytes_;
  bool have_factors_ = false, have_scales_ = false, factors_decoded_ = false, catalog_decoded_ = false;
  Status catalog_error_, factors_error_, float_errors_[4];  // item_bias, item_popularity, gram, concept_vectors
  Status content_error_;  // the optional content_model part
};

/// The files of a bundle folder — the parts (EncodeBundle, compact catalog) and "manifest.json" —
/// after DecodeBundle has read them back: a bundle that would not load (a limit, a value the
/// reader refuses) is an error here, with the reader's code and message, and nothing is returned.
StatusOr<BundleParts> EncodeBundleFiles(const Bundle& bundle, const BundleLayout& layout = {});
/// Writes `files` (name → bytes) into `dir` (created if missing) so that a failure loses nothing:
/// each file goes to NAME.tmp-pathlight first, and only when all are written are they renamed
/// into place, manifest.json last. A failed write removes its temporary files and leaves the
/// folder's earlier files as they were. Then the .br / .gz form of a written file that `files`
/// does not give (one an earlier write left) is removed; other files in `dir` are not touched.
/// Errors: io_error naming the path.
Status WriteBundleFiles(const std::string& dir, const BundleParts& files);
/// EncodeBundleFiles, then WriteBundleFiles. Returns the manifest's SHA-256 hex (the value a page
/// pins). `pathlight train` writes sharded bundles (trainer/publish.h, WritePublishedBundle).
StatusOr<std::string> WriteBundleDir(const Bundle& bundle, const std::string& dir, const BundleLayout& layout = {});
/// The raw files of a bundle folder: manifest text and the part files it lists (unverified).
struct BundleFiles {
  std::string manifest;
  BundleParts parts;
};
/// Reads `dir`/manifest.json and every part file it names (plain file names only). Missing parts
/// are left out (DecodeBundle reports them). Errors: io_error (no manifest), corrupt_bundle (a part
/// file name with a path in it).
StatusOr<BundleFiles> ReadBundleFiles(const std::string& dir);
/// ReadBundleFiles, then DecodeBundle.
StatusOr<Bundle> ReadBundleDir(const std::string& dir);

/// Concept vectors: row c = mean of item_factors over items teaching c (zeros if none).
RowMatrix ConceptVectors(const Catalog& catalog, const RowMatrix& item_factors);
/// The same, reading the encoded rows one at a time (bit-identical to the dequantized matrix's):
/// what AssembleBundle writes and what a version-2 reader computes when the part is left out.
RowMatrix ConceptVectors(const Catalog& catalog, const FactorTable& item_factors);

}  // namespace pathlight
