// The audit's references (audit.h), written apart from the engine code that makes the claims:
//   GraphReference   the knowledge graph as the bundle's catalog states it: prerequisite lists,
//                    who teaches / requires what, depths and closures by depth-first search
//   ReplayEvents     the learner's raw event log replayed with the semantics documented in
//                    signals.h (weights, latest explicit signal, relations, dismissals)
//   FoldInReference  a dense re-solve of the learner's fold-in (fold_in_model.h) from the
//                    replayed signals, with a Gram matrix recomputed from the item factors, and
//                    the exact shares of a score: share_j = c_j p_j · y_jᵀ A⁻¹ y_i
#pragma once

#include <Eigen/Dense>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "pathlight/bundle.h"
#include "pathlight/learner.h"
#include "pathlight/profile.h"

namespace pathlight::trainer {

class GraphReference {
 public:
  explicit GraphReference(const Catalog& catalog);
  const Catalog& catalog() const { return catalog_; }
  int num_concepts() const { return static_cast<int>(prerequisites_.size()); }
  int num_items() const { return static_cast<int>(teaches_.size()); }
  /// Index of the concept / item with this id, or −1.
  int FindConcept(const std::string& id) const;
  int FindItem(const std::string& id) const;
  const std::vector<int>& Prerequisites(int concept) const { return prerequisites_[concept]; }
  /// Flags of the concepts reachable from `roots` along prerequisite edges; a root is flagged only
  /// when `include_roots` (or when it is a prerequisite of another root).
  std::vector<uint8_t> Closure(const std::vector<int>& roots, bool include_roots) const;
  /// Longest prerequisite chain below `concept` (0 without prerequisites).
  int Depth(int concept) const { return depth_[concept]; }
  bool Teaches(int item, int concept) const;
  /// Required concepts of `item`, as listed (with repeats).
  const std::vector<int>& Requires(int item) const { return requires_[item]; }
  const std::vector<int>& TaughtConcepts(int item) const { return teaches_[item]; }
  const std::vector<int>& TaughtBy(int concept) const { return taught_by_[concept]; }
  const std::vector<int>& mentors() const { return mentors_; }
  /// Expertise weight of mentor `item` in `concept` (0 when none).
  double Expertise(int item, int concept) const;

 private:
  const Catalog& catalog_;
  std::unordered_map<std::string, int> concept_by_id_, item_by_id_;
  std::vector<std::vector<int>> prerequisites_, teaches_, requires_, taught_by_;
  std::vector<std::map<int, double>> expertise_;
  std::vector<int> depth_, mentors_;
};

/// What the events on one item say (signals.h, replayed).
struct ItemFacts {
  double weight = 0;      // Σ base(type) · 2^(−age / half-life), age ≤ 0 counts fully
  float preference = -1;  // latest explicit signal (1 / 0), −1 none
  float rating = 0;       // latest rating, 0 none
  bool dismissed = false, enrolled = false, completed = false, bookmarked = false, booked = false;
  bool consumed() const { return enrolled || completed || booked || rating > 0; }
  /// The product's rule for "done": completed, or rated while not enrolled — for a non-mentor.
  bool done(bool mentor) const { return completed || (rating > 0 && !enrolled && !mentor); }
};

/// "My learning"'s relation names and "because you …"'s (reasons.h ItemRelation).
enum class KnownWhy { kNone, kStated, kEvent, kCompleted, kPrerequisite };
const char* KnownWhyName(KnownWhy w);

/// Everything the audit knows about one learner, from their profile alone.
struct LearnerFacts {
  Profile profile;
  double clock = 0;
  std::map<int, ItemFacts> items;        // by item index: items with a usable event
  std::vector<std::string> unknown_ids;  // ids the catalog lacks, each once
  std::vector<size_t> out_of_scale;      // event indices of ratings off the bundle's scale
  std::vector<int> goals;                // goal concepts in the catalog, each once, in order
  std::vector<int> stated_known;         // profile "known" and know_concept events, each once
  std::vector<uint8_t> known;            // by concept: known (closed under prerequisites)
  std::vector<KnownWhy> why;             // by concept: why known (first of stated, event, completed, prerequisite)
  std::vector<int> open_goals, reached_goals;
  std::vector<std::vector<uint8_t>> open_closure;  // per open goal: its strict prerequisite closure
  std::vector<uint8_t> in_gap;                     // unknown concepts in the open goals' closures, and the open goals
  int gap_size = 0;
  bool cold = false;  // no item signal, no goal, no stated known concept

  bool Knows(int c) const { return known[c] != 0; }
  const ItemFacts* Find(int item) const {
    auto it = items.find(item);
    return it == items.end() ? nullptr : &it->second;
  }
  bool Consumed(int item) const {
    const ItemFacts* f = Find(item);
    return f && f->consumed();
  }
  bool Dismissed(int item) const {
    const ItemFacts* f = Find(item);
    return f && f->dismissed;
  }
};

/// Replays `profile` at `clock` over the catalog (scale: the bundle's rating scale).
LearnerFacts ReplayEvents(const GraphReference& graph, const Profile& profile, double clock,
                          const LearnerOptions& options, const RatingScale& scale);

class FoldInReference {
 public:
  FoldInReference(const Bundle& bundle, const LearnerOptions& options);
  bool ratings() const { return bundle_.info.ratings.has_value(); }
  RatingScale scale() const;

  /// One learner's dense system and its solution.
  struct Solved {
    Eigen::MatrixXd a;
    Eigen::LDLT<Eigen::MatrixXd> ldlt;  // robust Cholesky of the whole A, computed afresh
    Eigen::VectorXd z;                  // x_u (implicit) or [b_u; x_u] (ratings)
  };
  Solved Solve(const LearnerFacts& learner) const;
  /// x_uᵀ y_i + b_i (the personal MF score, without refinement offsets).
  double Personal(const Solved& s, int item) const;

  /// The exact shares of `item`'s fold-in score.
  struct Shares {
    std::map<int, double> items;         // by the learner's item index
    std::map<int, double> goals, known;  // by concept: goal / stated-known pseudo-items
    double magnitude = 0;                // Σ |share|: the scale for tolerances
  };
  Shares Explain(const LearnerFacts& learner, const Solved& s, int item) const;

 private:
  Eigen::VectorXd Row(int item) const;
  bool Pseudo(int concept, Eigen::VectorXd* v) const;
  const Bundle& bundle_;
  LearnerOptions options_;
  Eigen::MatrixXd gram_;  // recomputed from the decoded item factors
};

/// The whole reference over one bundle.
class AuditReference {
 public:
  AuditReference(const Bundle& bundle, const LearnerOptions& options)
      : bundle(bundle), options(options), graph(bundle.catalog), fold_in(bundle, options) {}
  const Bundle& bundle;
  const LearnerOptions options;
  const GraphReference graph;
  const FoldInReference fold_in;
};

}  // namespace pathlight::trainer
