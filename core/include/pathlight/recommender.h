// The on-device engine: a verified bundle plus everything a learner's device computes —
// fold-in and incremental updates (learner.h), ranking with knowledge-graph terms and
// diversity, learning paths, mentor matching, explanations and similar items. The same class
// runs natively (CLI, tests) and in WebAssembly. Every tunable weight is documented in
// docs/HYPERPARAMETERS.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pathlight/bundle.h"
#include "pathlight/fold_in.h"
#include "pathlight/learner.h"
#include "pathlight/topk.h"

namespace pathlight {

/// Filters and knowledge-graph terms for a ranked list.
///   score_i = s_i + readiness_weight·readiness_i + goal_weight·goal_relevance_i − known_penalty·known_i
/// with s_i = x_uᵀ y_i + b_i + o_i (personal MF score), readiness_i = share of the item's required
/// concepts the learner knows (via the prerequisite closure; 1 when it requires nothing) and
/// goal_relevance_i = max over the concepts it teaches of 1 (next step on the path to a goal),
/// 0.5 (a later step or the goal itself), 0 (off the path or already known), and known_i = share of
/// the concepts it teaches that the learner already knows (0 for items teaching nothing). The list
/// is then chosen greedily by
/// MMR (Carbonell & Goldstein 1998): argmax  mmr_lambda·score_i − (1 − mmr_lambda)·max_{j∈S} sim(i, j),
/// sim = Jaccard similarity of taught concepts, subject to per-kind caps.
struct RankOptions {
  int k = 10;                          // list length, 1..1000
  // Filters.
  bool exclude_consumed = true;
  bool exclude_dismissed = true;
  std::vector<ItemKind> kinds;         // empty = all kinds
  double max_price = -1;               // < 0 = no limit (items with an unknown price pass)
  std::vector<Level> levels;           // empty = all
  std::vector<std::string> languages;  // empty = all; an item passes if its language is listed
  float min_readiness = 0;             // drop items with readiness below this (0..1)
  // Knowledge-graph terms.
  float readiness_weight = 0.f;        // ≥ 0
  float goal_weight = 0.f;             // ≥ 0
  float known_penalty = 0.f;           // ≥ 0: demotes items that teach what the learner knows
  // Diversity and slate.
  float mmr_lambda = 1.f;              // 1 = pure relevance; 0.5–0.8 = diverse
  int max_mentors = -1;                // per list; < 0 = no cap
  int max_memberships = -1;            // per list; < 0 = no cap
  int candidate_pool = 200;            // MMR looks at the best this-many items
};

/// A knowledge-graph reason, e.g. {kPrerequisiteForGoal, "numpy", "deep-learning"}.
struct Reason {
  enum class Kind { kTeachesGoal, kPrerequisiteForGoal, kYouKnow, kReady, kPopular };
  Kind kind;
  ConceptIndex concept;   // the concept the reason is about (invalid for kPopular)
  ConceptIndex goal;      // the goal it leads to (for the goal kinds)
};
const char* ReasonKindName(Reason::Kind k);

struct Recommendation {
  ItemIndex item;
  float score = 0;            // final ranking score
  float personal = 0;         // s_i, the MF part
  float readiness = 1;
  float goal_relevance = 0;
  std::vector<Reason> reasons;
};

/// One liked item's share of a score: score_i − b_i = Σ_j contribution_j exactly (implicit ALS
/// explanation, as in the implicit library's `explain`: contribution_j = c_j p_j · y_iᵀ A⁻¹ y_j).
struct Contribution {
  ItemIndex item;          // or the concept pseudo-item when `concept` is valid
  ConceptIndex concept;
  float value = 0;
};
struct Explanation {
  float score = 0;                          // x_uᵀ y_i (fold-in part only)
  std::vector<Contribution> contributions;  // sorted by |value| descending, all of them
  float prior = 0;                          // Gibbs rating models: the prior's share (score = prior + Σ contributions)
  std::vector<Reason> reasons;
};

struct PathStep {
  enum class State { kKnown, kNext, kLater };
  ConceptIndex concept;
  State state = State::kLater;
  std::optional<ItemIndex> best_item;  // the learner's best non-mentor item teaching it (filters applied)
  int depth = 0;                       // longest prerequisite chain below the concept
};
const char* PathStateName(PathStep::State s);

struct MentorMatch {
  ItemIndex mentor;
  float score = 0;
  float coverage = 0;        // Σ_{c∈gap} expertise(c) / |gap|, in [0, 1]
  float personal = 0;        // x_uᵀ y_mentor
  std::vector<ConceptIndex> covers;  // gap concepts with expertise > 0
  bool within_budget = true, has_capacity = true, speaks_language = true;
};

struct LearningPath {
  std::vector<ConceptIndex> goals;
  std::vector<PathStep> steps;         // closure of the goals (and the goals) in topological order
  std::optional<ConceptIndex> hardest; // the deepest missing step
  std::optional<MentorMatch> mentor;   // best mentor for the hardest step
  double total_price = 0;              // sum over distinct best items of missing steps (known prices),
  double total_hours = 0;              // leaving out items the learner already enrolled in
  int unpriced_items = 0;              // distinct best items whose price is unknown
  std::vector<ConceptIndex> unreachable;  // missing steps no item teaches (within filters)
};

/// Mentor-matching weights: score = coverage_weight·coverage + personal_weight·personal
/// + rating_weight·rating/5. Mentors without capacity, over budget or without a shared language
/// are filtered unless the corresponding `require_*` is false.
struct MentorOptions {
  int k = 5;
  float coverage_weight = 1.f, personal_weight = 0.5f, rating_weight = 0.2f;
  bool require_capacity = true, require_budget = true, require_language = true;
};

class Recommender {
 public:
  explicit Recommender(Bundle bundle, LearnerOptions options = {});

  const Bundle& bundle() const { return bundle_; }
  const Catalog& catalog() const { return bundle_.catalog; }
  int32_t num_items() const { return bundle_.catalog.num_items(); }
  int factors() const { return bundle_.item_factors.cols(); }
  const LearnerOptions& learner_options() const { return options_; }

  // ---- fold-in -------------------------------------------------------------------------
  /// Plain fold-in (fold_in.h) with the bundle's λ and α.
  Vector FoldIn(const std::vector<WeightedItem>& history) const;
  /// Top-k by x_uᵀy_i + b_i excluding `history` items (the slice API; no KG terms).
  std::vector<ScoredItem> Recommend(const Vector& user, const std::vector<WeightedItem>& history,
                                    const RankOptions& options) const;

  // ---- learner state -------------------------------------------------------------------
  /// Full solve of a learner from their profile, events decayed to time `now` (unix seconds).
  LearnerState Learner(Profile profile, double now) const;
  /// Appends `event` to the learner's profile and updates the state incrementally (O(k²)).
  /// Errors: unknown_id (item or concept not in the catalog: the event is NOT appended, so the
  /// caller can tell the learner), invalid_argument (rating out of 1..5, missing ids).
  Status AddEvent(LearnerState& state, const Event& event) const;
  /// Replaces goals / known concepts / budget / language and re-solves.
  void UpdatePreferences(LearnerState& state, const Profile& preferences) const;
  /// SGD refinement (learner.h, RefineOptions); ResetPersonalization undoes it exactly.
  void Refine(LearnerState& state, const RefineOptions& options) const;
  void ResetPersonalization(LearnerState& state) const;

  // ---- ranking -------------------------------------------------------------------------
  /// The learner's list. With no history and no goals/known concepts: most-popular within the
  /// filters (reason kPopular). Never returns NaN scores.
  std::vector<Recommendation> Rank(const LearnerState& state, const RankOptions& options) const;
  /// Items most similar to `item` by cosine of item factors, with the same filters (k, kinds, …).
  std::vector<Recommendation> Similar(ItemIndex item, const RankOptions& options) const;
  /// Exact decomposition of the learner's fold-in score of `item` into their items' shares,
  /// plus knowledge-graph reasons. Explicit-rating bundles: score = b_u + x_uᵀy_i, each rated
  /// item j contributing (r_j − μ − b_j)·ỹ_jᵀA⁻¹ỹ_i (the shares sum to the score).
  Explanation Explain(const LearnerState& state, ItemIndex item) const;
  /// Explicit-rating bundles: μ + b_u + b_i + o_i + x_uᵀy_i clamped to the rating scale; nullopt
  /// for implicit bundles (their scores are preferences, not ratings).
  std::optional<float> PredictRating(const LearnerState& state, ItemIndex item) const;

  // ---- knowledge graph -----------------------------------------------------------------
  /// Learning path to `goals` (all goals when empty: the learner's own). Filters from `options`
  /// (language, budget, levels) choose each step's best item.
  LearningPath Path(const LearnerState& state, std::vector<ConceptIndex> goals, const RankOptions& options) const;
  /// Mentors for `gap` concepts (the learner's missing path concepts when empty).
  std::vector<MentorMatch> Mentors(const LearnerState& state, std::vector<ConceptIndex> gap,
                                   const MentorOptions& options) const;
  /// Longest prerequisite chain below each concept (0 for roots).
  const std::vector<int>& concept_depth() const { return depth_; }

 private:
  void Resolve(LearnerState& s) const;                       // rebuild A, b, LLT, x from signals
  void ResolveRatings(LearnerState& s) const;                // explicit bundles: A, b, LLT, b_u, x from ratings
  std::vector<ConceptIndex> StatedKnown(const LearnerState& s) const;  // profile.known + know_concept events
  void MarkKnown(LearnerState& s, ConceptIndex c) const;              // c (and its closure, by option)
  void ApplySignal(LearnerState& s, const Eigen::VectorXd& v, double dc, double dcp) const;
  Vector Row(int32_t i) const;
  float Personal(const LearnerState& s, const Vector& x, int32_t i) const;
  std::vector<float> GoalRelevance(const LearnerState& s) const;  // per concept
  // (*ok)[i] = 1 when item i passes the filters of `o` (and the learner's, when `s` is given);
  // resized to n_items.
  void Eligible(const LearnerState* s, const RankOptions& o, std::vector<uint8_t>* ok) const;
  float Readiness(const LearnerState& s, ItemIndex i) const;
  std::vector<Recommendation> SelectMmr(std::vector<Recommendation> candidates, const RankOptions& o) const;
  std::vector<Reason> ReasonsFor(const LearnerState& s, ItemIndex i) const;

  Bundle bundle_;
  LearnerOptions options_;
  std::vector<int> depth_;
  std::vector<int32_t> by_popularity_;          // item indices, most popular first
  struct IndexLists {                           // list j: values[begin[j] .. begin[j + 1])
    std::vector<int32_t> begin;                 // n_lists + 1
    std::vector<int32_t> values;
    const int32_t* first(int32_t j) const { return values.data() + begin[j]; }
    const int32_t* last(int32_t j) const { return values.data() + begin[j + 1]; }
    IndexLists Inverse(int32_t n_values) const;  // value v → the lists holding it, ascending
  };
  IndexLists teaches_, requires_;               // item → concepts (Item::teaches / requires_concepts)
  IndexLists taught_by_, required_by_;          // concept → items (all kinds), the inverse lists
  // Per item, for Rank's branch-free pass: readiness = (requires_none_ + known required) /
  // max(1, |requires|) and known share = known taught / max(1, |teaches|), i.e. 1 and 0 for
  // empty lists. requires_none_[i] = 1 when item i requires nothing, else 0.
  std::vector<float> requires_none_, requires_divisor_, teaches_divisor_;
  mutable std::vector<float> scores_;           // scratch, n_items
  mutable std::vector<float> final_;            // scratch, n_items (Rank's final scores)
  mutable std::vector<uint8_t> eligible_;       // scratch, n_items (Rank's filter mask)
  mutable std::vector<float> known_required_, known_taught_, relevance_;  // scratch, n_items (Rank)
};

}  // namespace pathlight
