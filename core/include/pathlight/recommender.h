// The on-device engine over one verified bundle: the learner's state and its updates
// (recommender.cpp), ranking and similar items (ranking.cpp, terms in ranking_terms.cpp),
// learning paths (learning_path.cpp), mentor matching (mentors.cpp) and explanations — every
// product answer the app and the widget render. The fold-in itself is the bundle's FoldInModel
// (fold_in_model.h); the knowledge graph index is KnowledgeGraph (knowledge_graph.h). The same
// class runs natively (CLI, tests, audit) and in WebAssembly. Every tunable weight is documented
// in docs/HYPERPARAMETERS.md. Const methods have no hidden state: scratch is the caller's Workspace.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "pathlight/bundle.h"
#include "pathlight/fold_in.h"
#include "pathlight/fold_in_model.h"
#include "pathlight/knowledge_graph.h"
#include "pathlight/learner.h"
#include "pathlight/ranking.h"
#include "pathlight/reasons.h"
#include "pathlight/topk.h"

namespace pathlight {

// ---- learning paths --------------------------------------------------------------------

struct PathStep {
  enum class State { kKnown, kTaking, kNext, kLater };
  ConceptIndex concept;
  State state = State::kLater;         // known; taking (the learner holds an item teaching it:
                                       // enrolled, a joined membership); next (prerequisites known);
                                       // later
  std::optional<ItemIndex> item;       // next / later: the learner's best item to take for it — never
                                       // one they took; a membership only when nothing else teaches it
  std::optional<ItemIndex> taking;     // taking: the item they hold that teaches it
  int depth = 0;                       // longest prerequisite chain below the concept
  // When no eligible item can be taken at this step (every concept it requires known, or for a
  // later step known or a step of the path), `item` is the best of the others: the concepts it
  // requires that stop it — unknown, and for a later step not a step of the path either — in the
  // item's order. Empty otherwise.
  std::vector<ConceptIndex> item_also_needs;
};
const char* PathStateName(PathStep::State s);

/// A membership that teaches missing steps: offered once (not per step), or acknowledged when
/// the learner already holds it (then its steps are `taking`).
struct MembershipOption {
  ItemIndex item;
  std::vector<ConceptIndex> covers;    // missing steps it teaches
  bool held = false;                   // the learner joined it (enrolled)
};

/// Path totals over the distinct items to take (each once, however many steps it is best for).
/// An unknown price or duration is never counted as 0: the known part is summed and the unknown
/// ones are counted.
/// What the path's items cost and take. One-off items (courses, e-books, consultations) are
/// summed; a membership's price and hours are per month, so they are never added to those sums:
/// its price goes to `monthly`, and it makes `weeks` unknown (the months it takes are unknown).
struct PathTotals {
  int items = 0;                                    // distinct items to take (one-off and memberships)
  std::vector<std::pair<std::string, double>> price;  // one-off items' known prices per currency (ISO 4217),
                                                    // in order of first use
  int unpriced_items = 0;                           // items whose price is unknown (memberships included)
  double hours = 0;                                 // one-off items' known durations (hours)
  int untimed_items = 0;                            // one-off items whose duration is unknown (0 in the catalog)
  std::vector<std::pair<std::string, double>> monthly;  // memberships' known prices per month, per currency
  int memberships = 0;                              // memberships among `items`
  int uncovered_steps = 0;                          // missing steps with no item (== unreachable.size())
  // The path's mentor (LearningPath::mentor), at the price the learner pays for its booking
  // (FitOfferings: per session one-to-one, per seat in a group); unset without a mentor or booking.
  std::optional<Offering> mentor_booking;
  std::string mentor_currency;                      // the mentor's currency (ISO 4217)
  // `price` plus the mentor booking's known price in its currency (equal to `price` when there is
  // no booked mentor or its price is unknown).
  std::vector<std::pair<std::string, double>> price_with_mentor;
  std::optional<int> weeks;                         // ⌈hours / weekly hours⌉ when every missing step has an
                                                    // item, none is a membership, every duration is known
                                                    // and the learner stated weekly hours > 0
  // Why `weeks` is unset although the learner stated weekly hours > 0 (empty otherwise, and when
  // nothing is left to take): "membership" (a membership's time is by the month), "untimed" (an
  // item's duration is unknown), "uncovered" (a missing step has no item) — the conditions above.
  std::vector<std::string> weeks_unknown;
};

/// Where one mentor offering stands for a learner (MentorMatch::offerings).
enum class OfferingStatus : uint8_t {
  kAvailable,   // an open seat, and the price per seat is within the budget (or unknown, or no budget)
  kFull,        // no open seat (0 of `seats`): never offered as available
  kOverBudget,  // open, but the known price per seat is above the learner's budget
};
/// "available", "full", "over_budget".
const char* OfferingStatusName(OfferingStatus status);
/// One offering of a matched mentor, as shown to the learner.
struct OfferingMatch {
  int32_t index = 0;  // into the mentor's offerings (KnowledgeGraph::offerings_begin)
  OfferingStatus status = OfferingStatus::kAvailable;
};
/// The one rule for a mentor's offerings and what the learner pays (used by matching, the feed's
/// mentor filter and path totals alike). Of the offerings [begin, end) in `format` (all when
/// unset): each one's status; `has_capacity` = one has an open seat; `within_budget` = one that
/// has an open seat costs at most `budget` per seat — any one when none is open or
/// `require_capacity` is false (budget < 0: no budget; an unknown price passes, as for items);
/// `booking` = the offering the
/// learner would book — among those passing the required checks, the lowest known price per seat
/// (an unknown price after every known one; ties: first listed), -1 when none. Its price per
/// seat is the price the learner pays: per session one-to-one, per seat in a group.
struct OfferingsFit {
  std::vector<OfferingMatch> offerings;  // the offerings in `format`, in listed order
  int32_t booking = -1;                  // index into the mentor's offerings, or -1
  bool any_in_format = false, has_capacity = false, within_budget = false;
};
OfferingsFit FitOfferings(const Offering* begin, const Offering* end, std::optional<OfferingFormat> format, double budget,
                          bool require_capacity, bool require_budget);

/// Mentor matching of one learner: who fits the gap, and why the others were left out.
struct MentorMatch {
  ItemIndex mentor;
  float score = 0;
  float coverage = 0;        // Σ_{c∈gap} expertise(c) / |gap|, in [0, 1]
  float personal = 0;        // x_uᵀ y_mentor + b_mentor
  std::vector<ConceptIndex> covers;  // gap concepts with expertise > 0
  bool within_budget = true, has_capacity = true, speaks_language = true;
  std::vector<OfferingMatch> offerings;  // the mentor's offerings in the requested format, each with its status
  int32_t booking = -1;                  // the offering whose price the learner pays (FitOfferings), or -1
  std::vector<Reason> reasons;
};
/// How many mentors each filter removed (a mentor failing several is counted under each).
struct MentorDiagnostics {
  int mentors = 0;           // mentors in the catalog
  int experts = 0;           // of them, with expertise in the gap (all mentors when the gap is empty)
  int budget = 0, language = 0, capacity = 0, dismissed = 0;  // experts left out by each filter
  int format = 0;            // experts left out because they offer nothing in the requested format
};
struct MentorList {
  std::vector<ConceptIndex> gap;       // the concepts matched (the learner's gap unless given)
  std::vector<MentorMatch> mentors;    // best first
  MentorDiagnostics diagnostics;
};

/// Mentor-matching weights: score = coverage_weight·coverage + personal_weight·personal
/// + rating_weight·rating/5. Mentors without capacity, over budget or without a shared language
/// are filtered unless the corresponding `require_*` is false.
struct MentorOptions {
  int k = 5;
  float coverage_weight = 1.f, personal_weight = 0.5f, rating_weight = 0.2f;
  bool require_capacity = true, require_budget = true, require_language = true;
  std::optional<OfferingFormat> format;  // only mentors with an offering in this format (unset: any)
};

struct LearningPath {
  std::vector<ConceptIndex> goals;
  std::vector<PathStep> steps;         // closure of the goals (and the goals) in topological order
  std::optional<ConceptIndex> hardest; // the deepest missing step
  std::optional<MentorMatch> mentor;   // best mentor for the hardest step
  MentorDiagnostics mentor_diagnostics;  // why no mentor (or fewer) fits the hardest step
  std::vector<MembershipOption> memberships;
  PathTotals totals;
  std::vector<ConceptIndex> unreachable;  // missing steps nothing teaches (within filters)
};

// ---- the learner's summary ("My learning", known skills, goals) --------------------------

struct KnownConcept {
  ConceptIndex concept;
  KnownVia via = KnownVia::kNone;
  std::vector<std::string> event_ids;  // know_concept events stating it (ids as the caller gave them)
  bool stated = false;                 // listed in the profile's "known"
  std::vector<ItemIndex> completed;    // items completed teaching it
  std::vector<ItemIndex> rated;        // items rated without an enrolment (done: ItemSignal::done) teaching it
  std::vector<ConceptIndex> implied_by;  // known concepts it is a prerequisite of (closure)
  /// The learner said it (stated, or an "I know this" of theirs): what forgetConcept can undo
  /// (learner()'s `forgettable`) and what the feed's basis counts as a skill.
  bool said() const { return stated || !event_ids.empty(); }
};
struct LearnerItem {
  ItemIndex item;
  ItemRelation relation = ItemRelation::kNone;  // the "My learning" group (ItemRelationName)
  float rating = 0;                             // latest rating, 0 none
};
struct LearnerSummary {
  std::vector<ConceptIndex> goals, reached_goals;
  std::vector<KnownConcept> known;     // in topological order
  std::vector<LearnerItem> items;      // every catalog item the learner acted on (not views only), by index
  // What personalization starts from (the feed's "from what you did with N items and the M skills
  // you said you know"): catalog items with any event, views included — every one is a fold-in
  // signal — and concepts the learner stated known or marked "I know this" (whatever else also
  // makes them known).
  int64_t items_with_events = 0, skills_stated = 0;
};

class Recommender {
 public:
  explicit Recommender(Bundle bundle, LearnerOptions options = {});
  Recommender(Recommender&&) = delete;  // graph_ and model_ refer to bundle_

  const Bundle& bundle() const { return bundle_; }
  const Catalog& catalog() const { return bundle_.catalog; }
  const KnowledgeGraph& graph() const { return graph_; }
  const FoldInModel& model() const { return *model_; }
  int32_t num_items() const { return bundle_.catalog.num_items(); }
  int factors() const { return bundle_.item_factors.cols(); }
  const LearnerOptions& learner_options() const { return options_; }

  // ---- fold-in of an explicit history (the stateless slice API; no knowledge-graph terms) ---
  /// Plain fold-in (fold_in.h) with the bundle's λ and α. An item listed more than once counts
  /// once with the sum of its weights (and its last preference).
  Vector FoldIn(const std::vector<WeightedItem>& history) const;
  /// Top-k by x_uᵀy_i + b_i excluding `history` items.
  std::vector<ScoredItem> Recommend(const Vector& user, const std::vector<WeightedItem>& history,
                                    const RankOptions& options) const;

  // ---- learner state (recommender.cpp) -------------------------------------------------------
  /// Full solve of a learner from their profile, events decayed to time `now` (unix seconds).
  LearnerState Learner(Profile profile, double now) const;
  /// Appends `event` to the learner's profile and updates the state incrementally (O(k²)).
  /// Errors: unknown_id (item or concept not in the catalog: the event is NOT appended, so the
  /// caller can tell the learner), invalid_argument (a rating off the bundle's scale, a rating on
  /// a non-rating event, an event time out of range).
  Status AddEvent(LearnerState& state, const Event& event) const;
  /// Replaces goals / known concepts / budget / language / weekly hours / level and re-solves.
  void UpdatePreferences(LearnerState& state, const Profile& preferences) const;
  /// SGD refinement (learner.h, RefineOptions); ResetPersonalization undoes it exactly.
  void Refine(LearnerState& state, const RefineOptions& options) const;
  void ResetPersonalization(LearnerState& state) const;
  /// The per-request facts every answer reads (ranking.h).
  LearnerContext Context(const LearnerState& state) const;
  /// Goals, known concepts and why, and the learner's items with their "My learning" group.
  LearnerSummary Summary(const LearnerState& state) const;

  // ---- answers ------------------------------------------------------------------------------
  /// The learner's list (ranking.cpp). Cold learners (LearnerState::is_cold) get the most popular
  /// items within the filters, each with the reason `popular`. Never returns NaN scores. Reasons
  /// are filled for every result. `ws` may be null (a temporary one is used); `ctx`, when given,
  /// is Context(state), computed once by a caller that needs it too.
  std::vector<Recommendation> Rank(const LearnerState& state, const RankOptions& options, Workspace* ws = nullptr,
                                   const LearnerContext* ctx = nullptr) const;
  /// Why Rank's list for the same state and options holds no more than it does: how many catalog
  /// items each filter left out (Exclusions, counts summing to num_items()). One filter pass with a
  /// count after each filter, O(n · filters); no scoring. `ctx` is Context(state); `ws` may be null.
  Exclusions Excluded(const LearnerState& state, const LearnerContext& ctx, const RankOptions& options,
                      Workspace* ws = nullptr) const;
  /// Items most similar to `item` by cosine of item factors, with the same item filters (ranking.cpp).
  std::vector<Recommendation> Similar(ItemIndex item, const RankOptions& options, Workspace* ws = nullptr) const;
  /// Exact decomposition of the learner's fold-in score of `item` (fold_in_model.h).
  Explanation Explain(const LearnerState& state, ItemIndex item) const { return model_->Explain(state, item); }
  /// Every reason for `item` (reasons.h): the ranking terms', the collaborative ones from the
  /// exact decomposition (at most `max_collaborative`), and a mentor's matching reasons.
  std::vector<Reason> Reasons(const LearnerState& state, const LearnerContext& ctx, ItemIndex item,
                              int max_collaborative = 3) const;
  /// Explicit-rating bundles: μ + b_u + b_i + o_i + x_uᵀy_i clamped to the rating scale; nullopt
  /// for implicit bundles (their scores are preferences, not ratings).
  std::optional<float> PredictRating(const LearnerState& state, ItemIndex item) const;
  /// The personal MF score s_i = x_uᵀy_i + b_i + o_i.
  float Personal(const LearnerState& state, ItemIndex item) const;

  /// Learning path to `goals` (all goals when empty: the learner's own) (learning_path.cpp).
  /// Filters from `options` (kinds, language, budget, levels) choose each step's item.
  LearningPath Path(const LearnerState& state, std::vector<ConceptIndex> goals, const RankOptions& options) const;
  /// Mentors for `gap` concepts (the learner's gap when empty) (mentors.cpp).
  MentorList Mentors(const LearnerState& state, std::vector<ConceptIndex> gap, const MentorOptions& options) const;
  /// Whether mentor item `i` passes mentor matching for `gap` (expertise in the gap unless it is
  /// empty; budget, capacity and language as `options` requires; not dismissed), with the match.
  /// `gap_flags`: the gap as flags by concept (length n_concepts).
  std::optional<MentorMatch> MatchMentor(const LearnerState& state, ItemIndex i, const std::vector<ConceptIndex>& gap,
                                         const std::vector<uint8_t>& gap_flags, const MentorOptions& options,
                                         MentorDiagnostics* diagnostics = nullptr) const;
  /// The filters of mentor matching for mentor item `i` (MatchMentor's first half: no scoring),
  /// the gap given as flags by concept; `gap_empty` = no gap (then every mentor is an expert);
  /// `language` = graph().LanguageId(profile language). Reads flat arrays only, no Item.
  struct MentorFit {
    bool expert = false, within_budget = true, has_capacity = true, speaks_language = true, dismissed = false;
    bool in_format = true;  // has an offering in MentorOptions::format
    bool Passes(const MentorOptions& o) const {
      return expert && in_format && !dismissed && (within_budget || !o.require_budget) &&
             (has_capacity || !o.require_capacity) && (speaks_language || !o.require_language);
    }
  };
  MentorFit FitOf(const LearnerState& state, ItemIndex i, const std::vector<uint8_t>& gap_flags, bool gap_empty,
                  int32_t language, const MentorOptions& options) const;

 private:
  void MarkKnown(LearnerState& s, ConceptIndex c, KnownVia via) const;
  void ComputeKnown(LearnerState& s) const;
  // ws.eligible[i] = 1 when item i passes the item filters of `o` (and the learner's, when `s` and
  // `ctx` are given); ws.known_taught is scratch. O(n) over flat arrays; Items are read only for the
  // price, level and language filters, and only when one is set.
  // `excluded`, when given, receives how many items each filter removed (one count pass over
  // ws.eligible after each filter).
  void Eligible(const LearnerState* s, const LearnerContext* ctx, const RankOptions& o, Workspace& ws,
                Exclusions* excluded = nullptr) const;
  std::vector<Recommendation> SelectMmr(std::vector<Recommendation> candidates, const RankOptions& o) const;
  // Reasons with the item's decomposition already computed (`ex` null: no collaborative reasons).
  std::vector<Reason> ReasonsWith(const LearnerState& s, const LearnerContext& ctx, ItemIndex item,
                                  const Explanation* ex, int max_collaborative) const;

  Bundle bundle_;
  LearnerOptions options_;
  KnowledgeGraph graph_;
  std::unique_ptr<FoldInModel> model_;
  std::vector<int32_t> by_popularity_;  // item indices, most popular first
  // ‖y_i‖ of the encoded factors, for Similar's cosine: computed once, on the first Similar() —
  // not at load, which the first recommendation waits for and which never needs them.
  const std::vector<float>& ItemNorms() const;
  mutable std::once_flag norms_once_;
  mutable std::vector<float> item_norms_;
};

}  // namespace pathlight
