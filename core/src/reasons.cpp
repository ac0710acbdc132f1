#include "pathlight/reasons.h"

namespace pathlight {

const char* ReasonKindName(Reason::Kind k) {
  switch (k) {
    case Reason::Kind::kTeachesGoal: return "teaches_goal";
    case Reason::Kind::kPrerequisiteForGoal: return "prerequisite_for_goal";
    case Reason::Kind::kYouKnow: return "you_know";
    case Reason::Kind::kReady: return "ready";
    case Reason::Kind::kBecauseItem: return "because_item";
    case Reason::Kind::kPeersOfGoal: return "peers_of_goal";
    case Reason::Kind::kPeersOfKnown: return "peers_of_known";
    case Reason::Kind::kPopular: return "popular";
    case Reason::Kind::kCoversGap: return "covers_gap";
    case Reason::Kind::kSpeaks: return "speaks";
    case Reason::Kind::kWithinBudget: return "within_budget";
    case Reason::Kind::kTopRated: return "top_rated";
    case Reason::Kind::kTerm: return "";
  }
  return "popular";
}

const char* ReasonKindName(const Reason& r) {
  return r.kind == Reason::Kind::kTerm && r.term_kind ? r.term_kind : ReasonKindName(r.kind);
}

std::vector<Reason::Kind> AllReasonKinds() {
  std::vector<Reason::Kind> out;
  for (int k = 0; k < static_cast<int>(Reason::Kind::kTerm); ++k) out.push_back(static_cast<Reason::Kind>(k));
  return out;
}

const char* ItemRelationName(ItemRelation r) {
  switch (r) {
    case ItemRelation::kNone: return "none";
    case ItemRelation::kCompleted: return "completed";
    case ItemRelation::kEnrolled: return "enrolled";
    case ItemRelation::kBooked: return "booked";
    case ItemRelation::kRated: return "rated";
    case ItemRelation::kSaved: return "saved";
    case ItemRelation::kViewed: return "viewed";
    case ItemRelation::kDismissed: return "dismissed";
  }
  return "none";
}

}  // namespace pathlight
