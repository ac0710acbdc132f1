// Publishing a bundle: the factor encoding chosen by measurement, sharded and precompressed files,
// and `pathlight bundle update` (docs/bundle-format.md, "Encoding", "Serving", "Updates").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/bundle.h"
#include "pathlight/factor_table.h"
#include "pathlight/types.h"

namespace pathlight::trainer {

/// The agreement threshold: int8 (else f16) is chosen when its mean top-100 overlap with f32
/// scoring reaches it.
inline constexpr double kEncodingOverlapThreshold = 0.99;
/// Learners in the measurement sample (all of them when there are fewer).
inline constexpr int kEncodingSampleLearners = 1000;

struct EncodingChoice {
  FactorEncoding encoding = FactorEncoding::kF32;
  nlohmann::json record;  // the manifest's "encoding" object
};

/// Measures how far int8 and f16 item factors move each learner's top-100 list: for a seeded
/// sample of up to kEncodingSampleLearners training learners (uniform, without replacement), the
/// scores x_uᵀŷ_i + b_i of the encoded factors ŷ against x_uᵀy_i + b_i of the f32 ones, and the
/// overlap |top-100(ŷ) ∩ top-100(y)| / 100 (top-min(n, 100) for smaller catalogs), averaged over
/// the sample. Chooses int8 when its overlap is ≥ kEncodingOverlapThreshold, else f16 when its
/// is, else f32; `forced` (the --factor-encoding flag) overrides the choice but is measured and
/// recorded too. `user_factors`: n_users × k; `item_factors`: n × k; `bias`: n or empty.
EncodingChoice ChooseFactorEncoding(const RowMatrix& user_factors, const RowMatrix& item_factors, const Vector& bias,
                                    uint64_t seed, std::optional<FactorEncoding> forced);

/// Writes `bundle` into `dir` sharded (content-addressed shards and whole parts,
/// BundleLayout::sharded) and, beside
/// every file that compresses, `<file>.br` (Brotli, quality 11) and `<file>.gz` (gzip -9) holding the
/// same bytes compressed, for servers that pick a file by Accept-Encoding. Content-addressed
/// files of earlier versions that this manifest no longer lists are removed from `dir`.
/// Returns the manifest's SHA-256 hex. Errors: io_error.
StatusOr<std::string> WritePublishedBundle(const Bundle& bundle, const std::string& dir);

/// The factors an update gives the items it adds (n_new × k), in the order of `added`. The hook
/// for content-based item factors (issue 16, item 1): today every row is zero — such an item is
/// never pushed by the collaborative score (x_uᵀ0 = 0) and ranks by its bias 0 and the
/// knowledge-graph terms until the next retraining — and the update then keeps the parent's
/// Gram matrix (zero rows add nothing to YᵀY). A hook that returns other rows makes the update
/// recompute the Gram matrix and concept vectors from the new table.
RowMatrix FactorsForNewItems(const Bundle& parent, const Catalog& catalog, const std::vector<ItemIndex>& added);

struct UpdateSummary {
  std::string manifest_sha256, parent_sha256;
  int added = 0, changed = 0, retired = 0;
  uint64_t bytes_total = 0;  // bytes of every part file of the new version
  uint64_t bytes_new = 0;    // of them, in files the parent did not have (what a client downloads)
};

/// `pathlight bundle update`: the bundle in `parent_dir` with the rows of `update_csv` applied
/// (items.csv columns plus "action": upsert | retire; docs/csv-schema.md), written to `out_dir` as
/// a new version whose manifest names its parent. Catalog changes ride in the catalog_changes
/// part over the parent's catalog part (unchanged bytes, unchanged shards) unless `rebase`, which
/// writes the whole catalog afresh. Factor, bias and popularity rows of kept items are copied
/// byte for byte; added items get FactorsForNewItems, bias 0 and popularity 0. Errors name the
/// CSV's line: unknown_id (retiring an id the bundle does not have; a concept the catalog does not
/// have), invalid_argument (bringing back a retired id, an empty update), and every bundle error.
StatusOr<UpdateSummary> UpdateBundle(const std::string& parent_dir, const std::string& update_csv,
                                     const std::string& out_dir, bool rebase);

}  // namespace pathlight::trainer
