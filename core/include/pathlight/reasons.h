// Reasons: why the engine shows something, as claims the engine itself decides are true. Each
// reason is a kind (its wording key: the app and the widget render `reason.<kind>` with the
// reason's fields) plus the ids it names. The rules, each checked by `pathlight audit` against the
// raw knowledge graph and event log (docs/API.md, "Reasons"):
//   teaches_goal {goal}             the item teaches `goal`, a goal the learner has not reached
//   prerequisite_for_goal {concepts, goal}
//                                   the item teaches `concepts`, unknown to the learner and each in
//                                   the prerequisite closure of the unreached `goal`
//   you_know {concept}              the item requires `concept` and the learner knows it
//   ready                           the item requires something, and the learner knows all of it
//   because_item {item, via, rating?}
//                                   the learner's own item has a positive share of this item's
//                                   fold-in score (exact decomposition); `via` says what they did
//   peers_of_goal {goal}            the goal's pseudo-item has a positive share: learners who take
//                                   what teaches `goal` also take this (collaborative, not a path claim)
//   peers_of_known {concept}        the same for a concept the learner stated as known
//   popular                         a popularity list: the learner has nothing to personalize on
//   covers_gap {concepts, of}       a mentor with expertise in `concepts`, `of` = the size of the gap
//   speaks {language}               a mentor who works in the learner's language
//   within_budget                   a mentor whose known price is within the learner's budget
//   top_rated {rating}              a mentor rated ≥ 4.5 of 5
// A ranking term may also give a reason of its own kind (Kind::kTerm, named in the ranking terms
// table, ranking_terms.cpp), so that a new term is one row there.
#pragma once

#include <string>
#include <vector>

#include "pathlight/catalog.h"
#include "pathlight/types.h"

namespace pathlight {

/// What the learner did with one of their items, the strongest first (for "because you …" and
/// "My learning"): completed, enrolled, booked, rated, saved, viewed, dismissed.
enum class ItemRelation : uint8_t { kNone, kCompleted, kEnrolled, kBooked, kRated, kSaved, kViewed, kDismissed };
const char* ItemRelationName(ItemRelation r);

struct Reason {
  enum class Kind : uint8_t {
    kTeachesGoal, kPrerequisiteForGoal, kYouKnow, kReady, kBecauseItem, kPeersOfGoal, kPeersOfKnown,
    kPopular, kCoversGap, kSpeaks, kWithinBudget, kTopRated,
    kTerm,  // a ranking term's own reason: `term_kind` names it (RankingTerm::reason_kind)
  };
  Reason() = default;
  explicit Reason(Kind k) : kind(k) {}
  Kind kind = Kind::kPopular;
  ConceptIndex concept;               // you_know, peers_of_known
  ConceptIndex goal;                  // teaches_goal, prerequisite_for_goal, peers_of_goal
  std::vector<ConceptIndex> concepts; // prerequisite_for_goal, covers_gap
  ItemIndex item;                     // because_item
  ItemRelation via = ItemRelation::kNone;  // because_item
  float value = 0;                    // because_item: the rating (when via is rated); top_rated: the rating
  int of = 0;                         // covers_gap: number of concepts in the learner's gap
  Level level = Level::kAll;          // a reason about an item's level
  const char* term_kind = nullptr;    // kTerm: the kind's name (static storage, from the terms table)
  std::string language;               // speaks
  std::vector<ItemIndex> items;       // a reason said once for a whole list: the results it is about
};

/// Stable snake_case name of a kind ("teaches_goal", …): the wording key ("" for kTerm).
const char* ReasonKindName(Reason::Kind kind);
/// The name of a reason's kind: ReasonKindName, or the term's own name for kTerm.
const char* ReasonKindName(const Reason& reason);
/// Every kind but kTerm, in declaration order (the API's `describe` adds the terms' own kinds).
std::vector<Reason::Kind> AllReasonKinds();

}  // namespace pathlight
