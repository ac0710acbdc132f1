// Content-based item factors: a map from an item's catalog features to the item-factor space, so
// that an item without interactions (a new course, a mentor, an item held out of training) gets
// factors from what it is rather than from who took it — the cold start of items.
//
// Method: ridge regression onto the trained factors (and biases), fitted after the collaborative
// model, over the items that have trained rows:
//   [b_i, y_i] ≈ m + φ(i)ᵀW,   W = argmin Σ_i ‖φ(i)ᵀW − ([b_i, y_i] − m)‖² + λ‖W‖²_F,
//   m = the mean of [b_i, y_i] over trained items,
// i.e. W = (ΦᵀΦ + λI)⁻¹ Φᵀ(T − 1mᵀ), solved by conjugate gradients on the sparse normal equations.
// LightFM (Kula, "Metadata Embeddings for User and Item Cold-start Recommendations", 2015) learns
// the same kind of feature → embedding map jointly with the interactions (y_i = Σ_f e_f). Pathlight
// fits it afterwards instead because (a) the warm model is left exactly as trained — the
// warm-item quality cannot regress; (b) it works for every solver the trainer has (ALS Cholesky and
// CG, BPR, biased MF) and for factors trained elsewhere (Spark), with one closed form; (c) the
// device can apply it with one sparse product per item. docs/COLD_START.md measures it.
//
// Features φ(i) (docs/bundle-format.md, "content_model"), each group scaled to unit L2 norm:
//   teaches     one per concept the item teaches (mentors: their expertise concepts, by weight)
//   requires    one per concept the item requires
//   kind        one-hot over the 5 kinds;  level  one-hot over the 4 levels
//   price band  one-hot: unknown, free, ≤ 20, ≤ 50, ≤ 100, ≤ 200, > 200 (in the item's currency)
//   language    one-hot over the model's language vocabulary (one more for any other language)
//   title words one per vocabulary word in the title (TitleWords), 1/√(words) each
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pathlight/catalog.h"
#include "pathlight/status.h"
#include "pathlight/types.h"

namespace pathlight {

struct Bundle;

/// Price bands of the content features: unknown, free, (0, 20], (20, 50], (50, 100], (100, 200], > 200.
inline constexpr int kPriceBands = 7;
/// Limits of the content_model part (writer and reader): vocabulary sizes and word length.
inline constexpr uint32_t kMaxContentLanguages = 4096;
inline constexpr uint32_t kMaxContentWords = 65536;
inline constexpr size_t kMaxContentWordBytes = 64;

/// The words of a title as the content features see them: maximal runs of ASCII letters and
/// digits (lower-cased) or of non-ASCII bytes (kept as they are: a CJK title is one run per
/// stretch between punctuation), 2..64 bytes, each once, in order of first appearance.
std::vector<std::string> TitleWords(std::string_view title);

/// The fitted map. `weights`: F × (k+1) row-major, column 0 the bias and columns 1..k the factors,
/// with F = NumFeatures(); `mean`: k+1 (the intercept m).
struct ContentModel {
  int32_t concepts = 0;                 // C, the catalog's concept count when fitted
  int32_t factors = 0;                  // k
  std::vector<std::string> languages;   // language vocabulary, strictly increasing bytes
  std::vector<std::string> words;       // title-word vocabulary, strictly increasing bytes
  float regularization = 0;             // λ of the ridge fit (metadata; manifest model.content)
  RowMatrix weights;                    // F × (k+1)
  Vector mean;                          // k+1

  int32_t NumFeatures() const;
  /// φ(item) as (feature index, value) pairs, feature indices increasing. `item`'s concept
  /// indices must be < concepts (the catalog it was fitted on, or a later version of it that only
  /// appended concepts).
  std::vector<std::pair<int32_t, float>> Features(const Item& item) const;
  /// m + φ(item)ᵀW: out[0] = the item's bias, out[1..k] its factors. `out` has k+1 floats.
  void Predict(const Item& item, float* out) const;

  /// The bundle part (dtype "content-v1", docs/bundle-format.md): deterministic bytes.
  std::string ToBinary() const;
  /// Reads ToBinary's bytes with every check: magic, counts against the part's size and against
  /// the manifest (`concepts`, `factors`), UTF-8 and strictly increasing vocabularies, word length,
  /// finite numbers. Errors name `source` and the byte offset: parse_error (not this format,
  /// invalid UTF-8), corrupt_bundle (sizes, order), limit_exceeded, not_finite.
  static StatusOr<ContentModel> FromBinary(std::string_view bytes, int64_t concepts, int64_t factors,
                                           const std::string& source = "content_model.bin");
};

/// How the map is fitted. `regularizations`: the λ grid; the one with the best validation AUC is
/// kept (see FitContentModel). A single value skips the validation.
struct ContentOptions {
  std::vector<float> regularizations = {1.f, 3.f, 10.f, 30.f, 100.f};
  int max_words = 2000;            // vocabulary: the most frequent title words of trained items
  int min_word_items = 2;          // a word enters the vocabulary when ≥ this many trained items use it
  double validation_fraction = 0.1;  // trained items held out of the fit to choose λ
  uint64_t seed = 42;
  int cg_iterations = 500;         // conjugate-gradient cap per column
  double cg_tolerance = 1e-6;      // relative residual at which CG stops
};

/// What the fit chose and how well the validation items were ranked.
struct ContentFit {
  ContentModel model;
  float regularization = 0;      // the chosen λ
  double validation_auc = -1;    // mean per-learner AUC on the validation items (−1: not measured)
  int32_t trained_items = 0, validation_items = 0;
};

/// Fits the map on the items with `trained[i] != 0`: `y` n × k factors, `bias` n (or empty for
/// zeros). λ is chosen on validation data carved from the training data: a seeded
/// `validation_fraction` of the trained items is left out of the fit, their [b_i, y_i] predicted
/// from content, and each λ scored by the mean AUC with which `user_factors` (n_users × k; may be
/// empty, then the λ grid's squared error on the validation rows decides) rank those items'
/// interactions (`interactions[u]` = learner u's item indices) among all validation items; the
/// final map is refitted on every trained item with the chosen λ.
/// Errors: invalid_argument (shapes, no trained item, an empty grid).
StatusOr<ContentFit> FitContentModel(const Catalog& catalog, const RowMatrix& y, const Vector& bias,
                                     const std::vector<uint8_t>& trained, const ContentOptions& options,
                                     const RowMatrix& user_factors = RowMatrix(),
                                     const std::vector<std::vector<int32_t>>& interactions = {});

/// Gives every item of `bundle` without a trained row — a factor row of all zeros — its content
/// factors (and its content bias when its bias is 0), then recomputes the bundle's Gram matrix and
/// concept vectors from the resulting (encoded) factors, so the fold-in and the cold start see the
/// same factors the scores use. The row is stored in the table's encoding (f32, f16 or int8).
/// Does nothing without a content model. Returns the number of rows filled. Used by the engine at
/// load (Recommender) and by any writer that adds items without interactions (bundle update).
/// Errors: invalid_argument when the model's concept count or k does not fit the bundle.
StatusOr<int32_t> FillContentFactors(Bundle* bundle);

/// Mean per-learner AUC of `scores(u, items, out)` over learners with at least one positive among
/// `candidates` and at least one negative: the share of (positive, negative) pairs ranked in order,
/// ties counting one half. `positives[u]` are learner u's items (any order; those not in
/// `candidates` are ignored). Used by the λ validation and by eval --protocol cold-items.
double MeanAuc(const std::vector<int32_t>& candidates, const std::vector<std::vector<int32_t>>& positives,
               const std::function<void(int32_t, const std::vector<int32_t>&, float*)>& scores);

}  // namespace pathlight
