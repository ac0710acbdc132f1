// Importers: every data source becomes one internal schema, a Dataset (catalog + learners +
// train/test interactions). Native only (reads files; CSV via the fast-cpp-csv-parser library).
//
// Treatments shared by every importer (docs/csv-schema.md lists them for operators):
// - a malformed row is an error naming the file, line, column and what was expected;
// - implicit duplicates (same learner, same item) are summed; explicit duplicates keep the later
//   rating; both are counted in `notes`/`report`;
// - test interactions on items or learners unknown to training are skipped and counted;
// - ids are strings (numeric source ids must fit in 32 bits where the source says they are ids);
// - items without interactions stay in the catalog (zero factors: cold items), learners without
//   interactions are not created.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/catalog.h"
#include "pathlight/interactions.h"
#include "pathlight/status.h"

namespace pathlight::trainer {

struct Dataset {
  std::string name;                    // "demo", "coco", "movielens", ...
  Catalog catalog;                     // items (dense indices 0..n-1) and concepts
  std::vector<std::string> user_ids;   // dense learner index → source id
  std::vector<Interaction> train;      // events (weights w ≥ 0, or ratings when explicit_ratings)
  std::vector<Interaction> test;       // held-out events (same learners); may be empty
  bool explicit_ratings = false;       // weights are ratings in [min_rating, max_rating]
  float min_rating = 1.f, max_rating = 5.f;
  float rating_step = 1.f;             // the ratings' grid (0.5 = half stars; 0 = continuous)
  /// Learner → concepts they showed interest in (e.g. Stack Exchange askers' question tags),
  /// with counts; empty for most sources.
  std::vector<std::vector<std::pair<ConceptIndex, float>>> learner_concepts;
  /// Per item, the source's category path ("development/web-development"), or "" when unknown;
  /// empty when the source has none. `kg clean` measures how related a concept's items are by it.
  std::vector<std::string> item_category;
  std::vector<std::string> notes;      // importer report lines (matches, skipped rows, ...)
  nlohmann::json report = nlohmann::json::object();  // the same facts as numbers (for JSON output)
  int32_t num_users() const { return static_cast<int32_t>(user_ids.size()); }
};

/// CoCo (coco-udemy): trains on valid.txt, tests on test.txt (per-learner temporal split).
/// Items = courses seen in valid.txt; concepts from kg_final's related_to_concept triples;
/// level and language from the KG. Titles and USD prices are joined by course id from
/// `<dir>/../udemy-catalog/coco_course_meta.csv` when that file exists (others keep their slug as
/// title and no price). Mentors are joined from `<dir>/../mentorcruise-2023` when present (see
/// LoadMentorCruise); they are appended after the courses and have no interactions.
/// Test interactions on courses absent from valid.txt are skipped and counted.
StatusOr<Dataset> LoadCoco(const std::string& dir);

/// MentorCruise mentors whose skill tags match catalog concepts by name (case-insensitive, after
/// dropping a trailing parenthesis such as " (programming language)" and unifying separators):
/// each becomes a kMentor item with expertise 1 in every matched concept, the monthly plan price
/// (USD, as scraped) and the profile rating. Mentors with no matching tag are left out.
/// Adds items to `items` and report keys under report["mentors"]. Errors name file/line/column.
struct MentorJoin {
  int32_t mentors_read = 0, mentors_matched = 0;
  int32_t distinct_tags = 0, tags_matched = 0;   // distinct lower-cased tags
  int64_t pairs = 0, pairs_matched = 0;          // mentor–tag pairs
};
StatusOr<MentorJoin> LoadMentorCruise(const std::string& csv_path, const std::vector<Concept>& concepts,
                                      std::vector<Item>* items);

/// MovieLens 100k (ml-100k): explicit ratings 1–5. `fold` 1..5 reads u<fold>.base / u<fold>.test
/// (the official folds); 0 reads u.data as training only. Items = the 1,682 movies of u.item
/// (titles; genres as concepts), learners = users 1..943.
StatusOr<Dataset> LoadMovieLens(const std::string& dir, int fold);

/// Junyi Academy 2015 (junyi-2015): exercises as items, one concept per exercise with the
/// expert prerequisite DAG as concept edges, attempts (user_exercise_train.csv.gz) as implicit
/// interactions, all in `train` (no split is given; use the random 80/20 protocol).
StatusOr<Dataset> LoadJunyi(const std::string& dir);

/// Metacademy: concepts, prerequisite edges (resolved ones), and resources as items (catalogue
/// resources by key, inline ones by title) teaching the concepts that link to them. Free
/// resources have a known price of 0; paid ones have no known price. No interactions.
StatusOr<Dataset> LoadMetacademy(const std::string& dir);

/// Cardano Stack Exchange (derived CSVs): tags are concepts; every answerer becomes a kMentor item
/// whose expertise per tag is their evidence (answers + 2·accepted + positive score) scaled by the
/// best answerer of that tag into (0, 1]; askers become learners with their question tags in
/// `learner_concepts`. No interactions (the derived tables carry no asker → answerer links).
StatusOr<Dataset> LoadStackExchange(const std::string& dir);

/// The declared scale of explicit ratings (`--rating-scale MIN:MAX`): 0 < min < max ≤ 1000.
/// `step` is the grid the ratings lie on (1: whole stars, 0.5: half stars; 0: any value), inferred
/// from the data by InferRatingStep unless given as MIN:MAX:STEP.
struct RatingScaleOption {
  // As given (doubles: a rating of 0.1 is on a 0.1..1 scale); the bundle keeps them as float32.
  double min = 0, max = 0, step = -1;  // step < 0: infer
  bool given() const { return max > 0; }
};
/// Parses "MIN:MAX" or "MIN:MAX:STEP" (MAX must lie on the STEP grid from MIN). Errors:
/// invalid_argument naming what was expected.
StatusOr<RatingScaleOption> ParseRatingScale(const std::string& text);
/// Whether `rating` is min + j·step for a whole j (within 1e-4 of a step); always true for step ≤ 0
/// (continuous ratings).
bool OnRatingGrid(double rating, double min, double step);
/// The coarsest of 1, 0.5, 0.25, 0.1, 0.05, 0.01 no wider than max − min such that max and every
/// rating are min + j·step (within 1e-4); 0 when none fits (continuous ratings).
float InferRatingStep(float min, float max, const std::vector<Interaction>& ratings);

/// The generic CSV schema of docs/csv-schema.md: items.csv, concepts.csv, edges.csv,
/// interactions.csv (optional column `split` = train | test; without it everything is training).
/// interactions.csv has `weight` (implicit), `rating` (explicit, on `scale`), or both; a `rating`
/// column needs a declared scale and a declared scale needs the column. With ratings the dataset is
/// explicit (weights hold the ratings; a repeated (learner, item) keeps the later row).
StatusOr<Dataset> LoadCsvDataset(const std::string& dir, const RatingScaleOption& scale = {});

/// Demo: the project's own catalog (data/demo/catalog.json) plus simulated learners whose
/// generating process is documented in data/demo/README.md. Deterministic for a seed.
struct DemoOptions {
  int32_t learners = 2000;
  uint64_t seed = 7;
};
StatusOr<Dataset> LoadDemo(const std::string& catalog_path, const DemoOptions& options);

/// Random per-learner split (the random-80-20 protocol): train and test of `ds` are merged
/// (repeated (learner, item) pairs summed, or the later rating kept when explicit), then every
/// learner with n ≥ 2 events sends max(1, ⌊test_fraction·n⌋) of them, chosen by a seeded shuffle,
/// to test. Deterministic for a seed.
void SplitRandomPerLearner(Dataset* ds, double test_fraction, uint64_t seed);

/// How a validation split is carved from the training events: each learner's newest ones
/// (`kLast`, the temporal protocols) or a seeded random share of them (`kRandom`, random-80-20 and
/// the inner split of each surprise-5fold base).
enum class ValidationMethod { kLast, kRandom };
/// "last", "random".
const char* ValidationMethodName(ValidationMethod method);

/// The validation split of `ds`, carved from `ds.train` only (`ds.test` is never read): a dataset
/// with the same catalog and learners whose `train` holds the remaining training events and whose
/// `test` holds the validation events. Repeated (learner, item) training pairs are merged first
/// (summed, or the later rating kept), so a pair is never on both sides. A learner with n training
/// events gives ⌊share·n⌋ of them, at least one when n ≥ 2: with `kLast` their newest (by
/// timestamp; equal or unknown timestamps keep item order), with `kRandom` a shuffle seeded by
/// `seed`. Deterministic for a seed. Errors (invalid_argument): `share` outside (0, 1); a share
/// that would leave a learner without training events (names the learner); an empty validation
/// split (no learner has 2 training events).
StatusOr<Dataset> CarveValidation(const Dataset& ds, ValidationMethod method, double share, uint64_t seed);

}  // namespace pathlight::trainer
