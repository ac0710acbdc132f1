// Ranking a learner's list: filters, knowledge-graph ranking terms, diversity and mixed-kind slates.
//
//   score_i = s_i + Σ_t w_t · f_t(i)
// with s_i = x_uᵀ y_i + b_i + o_i (the personal MF score) and one term t per row of the ranking
// terms table (ranking_terms.cpp: name, request option, per-item feature f_t(i), the reason it
// gives; RankingTerms()). The list is then chosen greedily by MMR (Carbonell & Goldstein 1998):
// argmax  mmr_lambda·score_i − (1 − mmr_lambda)·max_{j∈S} sim(i, j), sim = Jaccard similarity of
// taught concepts, subject to per-kind caps.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "pathlight/catalog.h"
#include "pathlight/knowledge_graph.h"
#include "pathlight/learner.h"
#include "pathlight/reasons.h"

namespace pathlight {

/// Filters, ranking-term weights and slate rules of one list.
struct RankOptions {
  int k = 10;                          // list length, 1..1000
  // Filters.
  bool exclude_consumed = true;        // leave out what the learner took (enrolled, completed, booked, rated)
  bool exclude_dismissed = true;
  bool hide_known = false;             // leave out items all of whose taught concepts the learner knows
                                       // (mentors and items teaching nothing stay)
  bool match_mentors = false;          // a mentor is listed only when mentor matching would list
                                       // them (Recommender::Mentors: covers the learner's gap, budget,
                                       // capacity, language): the feed and the Mentors view agree
  std::vector<ItemKind> kinds;         // empty = all kinds
  double max_price = -1;               // < 0 = no limit (items with an unknown price pass)
  std::vector<Level> levels;           // empty = all
  std::vector<std::string> languages;  // empty = all; an item passes if its language is listed
  float min_readiness = 0;             // drop items with readiness below this (0..1)
  // Knowledge-graph terms: w_t by RankingTerms() index; missing entries are 0 (plain MF).
  std::vector<float> term_weights;
  // Diversity and slate.
  float mmr_lambda = 1.f;              // 1 = pure relevance; 0.5–0.8 = diverse
  int max_mentors = -1;                // per list; < 0 = no cap
  int max_memberships = -1;            // per list; < 0 = no cap
  int candidate_pool = 200;            // MMR looks at the best this-many items

  /// w_t of the term named `term` (0 when unset). Asserts that the term exists.
  float weight(std::string_view term) const;
  void set_weight(std::string_view term, float w);
};

/// Facts about a learner and the knowledge graph that every answer of one request reads, computed
/// once per request (Recommender::Context) and reused by ranking, reasons, paths and mentors.
struct LearnerContext {
  const LearnerState* learner = nullptr;
  std::vector<ConceptIndex> open_goals;        // the learner's goals not yet known
  std::vector<ConceptIndex> reached_goals;     // goals the learner knows
  std::vector<std::vector<uint8_t>> closures;  // per open goal: flags of its prerequisite closure
  std::vector<float> goal_relevance;           // per concept: 1 next step to an open goal, 0.5 a later
                                               // step (or the goal itself, not yet ready), 0 otherwise
  std::vector<ConceptIndex> gap;               // unknown concepts on the way to the open goals (their
                                               // closures and the goals), in topological order
  std::vector<uint8_t> in_gap;                 // flags of `gap`, by concept
};

/// Per-request scratch of the catalog-wide passes (length n_items each). One per session, reused:
/// the engine never allocates per item, and const methods have no mutable state.
struct Workspace {
  std::vector<float> personal, score, count_a, count_b;
  std::vector<int32_t> known_taught;  // Eligible's hide_known counts; all zero between calls
  std::vector<uint8_t> eligible;
};

/// How many catalog items each filter of a ranking left out (Recommender::Excluded), each item
/// counted once, at the first filter that removed it, in this order. `eligible`: the items every
/// filter let through (a list shorter than asked with eligible > 0 was cut by the per-kind caps,
/// max_mentors and max_memberships). The counts add up to the catalog's item count.
struct Exclusions {
  int32_t kinds = 0;      // of a kind not asked for
  int32_t consumed = 0;   // taken: enrolled, completed, booked or rated (exclude_consumed)
  int32_t dismissed = 0;  // "not interested" (exclude_dismissed)
  int32_t levels = 0;
  int32_t budget = 0;     // priced above max_price (a mentor: no offering within it)
  int32_t language = 0;   // in none of the languages asked for
  int32_t known = 0;      // teaches only concepts the learner knows (hide_known)
  int32_t mentors = 0;    // a mentor whom mentor matching would not list (match_mentors)
  int32_t readiness = 0;  // below min_readiness
  int32_t eligible = 0;
};

/// Everything a ranking term reads.
struct RankInput {
  const Catalog& catalog;
  const KnowledgeGraph& graph;
  const LearnerContext& context;
};

/// One row of the ranking terms table.
struct RankingTerm {
  const char* name;          // "readiness"
  const char* option;        // its weight's request parameter, "readinessWeight"
  float product_weight;      // weight in the product defaults (docs/HYPERPARAMETERS.md)
  const char* doc;           // what f_t(i) is, its range, and the sign of its effect
  /// f_t(i) in [0, 1] for one item (results, reference tests).
  float (*feature)(const RankInput& in, ItemIndex i);
  /// score[i] += w·f_t(i) for every item — the same floats as `feature`, in one batched pass
  /// (scratch: ws.count_a / count_b).
  void (*add)(const RankInput& in, float w, Workspace& ws, float* score);
  /// The reasons this term gives for item i (each true by the rules of reasons.h), or nullptr.
  void (*reasons)(const RankInput& in, ItemIndex i, std::vector<Reason>* out);
  /// The name of the term's own reason kind (Reason::Kind::kTerm), or nullptr when its reasons are
  /// of the kinds reasons.h lists.
  const char* reason_kind;
};

/// The table, in a fixed order (RankOptions::term_weights is indexed by it).
const std::vector<RankingTerm>& RankingTerms();
/// Index of the term named `name` in RankingTerms(), or −1.
int RankingTermIndex(std::string_view name);

struct Recommendation {
  ItemIndex item;
  float score = 0;            // final ranking score
  float personal = 0;         // s_i, the MF part
  float readiness = 1;        // share of the required concepts the learner knows (1 when none)
  float goal_relevance = 0;   // 1 next step toward an open goal, 0.5 a later step, 0 off the path
  std::vector<Reason> reasons;
};

/// Orders each result's reasons for display — goal reasons, then the learner's own items and
/// peers, then level fit, you_know and ready, then the rest — and keeps at most `max_per_item`.
/// A you_know reason found on more than `max_cards_per_known` results tells them apart no more:
/// it moves to `shared` (said once above the list, with `items` = the results it was on), except
/// on a result where it is the only reason.
void PresentReasons(std::vector<Recommendation>* list, std::vector<Reason>* shared, int max_per_item = 3,
                    int max_cards_per_known = 2);

/// The open goals of a shown list (ctx.open_goals, in the learner's order, each once), split by
/// whether a shown reason leads toward them: a teaches_goal or prerequisite_for_goal reason
/// naming the goal, or a covers_gap reason (a mentor's) whose concepts are on its way
/// (GoalsCovered). A peers_of_goal reason ("learners aiming for X also take this") names X but
/// does not lead toward it. `named` is what a heading above the list may name ("Next steps:
/// Kubernetes, MLOps"); `unnamed` is what no shown item leads toward. `shown` is every reason the
/// list displays (each result's reasons after PresentReasons, plus the shared ones).
struct GoalsOfList {
  std::vector<ConceptIndex> open, named, unnamed;
};
GoalsOfList GoalsNamed(const LearnerContext& ctx, const std::vector<const Reason*>& shown);

/// The open goals (ctx.open_goals, in the learner's order, each once) that one of `concepts` is on
/// the way to: the goal itself or a concept of its prerequisite closure. What a list of mentors
/// serves ("Mentors for Kubernetes"), from the gap concepts the listed mentors cover.
std::vector<ConceptIndex> GoalsCovered(const LearnerContext& ctx, const std::vector<ConceptIndex>& concepts);

/// Readiness of item i: the share of its required concepts (with repeats) the learner knows;
/// 1 when it requires nothing.
float Readiness(const RankInput& in, ItemIndex i);
/// Goal relevance of item i: the highest goal relevance among the concepts it teaches.
float GoalRelevance(const RankInput& in, ItemIndex i);

}  // namespace pathlight
