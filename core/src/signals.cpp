#include "pathlight/signals.h"

#include <cmath>
#include <map>

namespace pathlight {

double Decay(double age_seconds, double half_life_days) {
  if (half_life_days <= 0 || age_seconds <= 0) return 1.0;
  return std::exp2(-age_seconds / (half_life_days * 86400.0));
}

std::pair<float, float> EventSignal(const Event& e, const ConfidenceOptions& o, const RatingScale& scale) {
  switch (e.type) {
    case EventType::kView: return {o.view, -1.f};
    case EventType::kBookmark: return {o.bookmark, 1.f};
    case EventType::kEnroll: return {o.enroll, 1.f};
    case EventType::kComplete: return {o.complete, 1.f};
    case EventType::kMentorBooked: return {o.mentor_booked, 1.f};
    case EventType::kRate:
    case EventType::kMentorRated: {
      const float mid = 0.5f * (scale.min + scale.max);
      const float per_point = 4.f / (scale.max - scale.min);  // 1 on a 1..5 scale
      return {std::fabs(e.rating - mid) * per_point * o.rating_scale + 1.f, e.rating >= mid ? 1.f : 0.f};
    }
    case EventType::kDismiss: return {o.dismiss, 0.f};
    case EventType::kKnowConcept: return {0.f, -1.f};
    case EventType::kCompacted: return {e.weight, e.preference};
  }
  return {0.f, -1.f};
}

void Accumulate(const Event& e, double decay, const ConfidenceOptions& o, const RatingScale& scale, ItemSignal* s) {
  const auto [base, pref] = EventSignal(e, o, scale);
  s->weight += static_cast<float>(base * decay);
  if (pref >= 0) s->preference = pref;  // the latest explicit signal wins
  switch (e.type) {
    case EventType::kEnroll: s->enrolled = true; break;
    case EventType::kComplete: s->completed = true; break;
    case EventType::kBookmark: s->bookmarked = true; break;
    case EventType::kMentorBooked: s->booked = true; break;
    case EventType::kDismiss: s->dismissed = true; break;
    case EventType::kRate:
    case EventType::kMentorRated: s->rating = e.rating; break;
    case EventType::kCompacted:
      s->enrolled = s->enrolled || e.enrolled;
      s->completed = s->completed || e.completed;
      s->bookmarked = s->bookmarked || e.bookmarked;
      s->booked = s->booked || e.booked;
      s->dismissed = s->dismissed || e.dismissed;
      if (e.rating > 0) s->rating = e.rating;
      break;
    case EventType::kView:
    case EventType::kKnowConcept: break;
  }
  if (pref == 1.f) s->dismissed = false;  // a later positive signal lifts a dismissal
}

ItemSignals ItemSignalsOf(const Profile& profile, const Catalog& catalog, double now, const ConfidenceOptions& o,
                          const RatingScale& scale) {
  ItemSignals out;
  std::map<int32_t, ItemSignal> by_item;  // ordered: the same sums in the same order everywhere
  for (size_t j = 0; j < profile.events.size(); ++j) {
    const Event& e = profile.events[j];
    if (e.type == EventType::kKnowConcept) continue;
    auto idx = catalog.FindItem(e.item);
    if (!idx) {
      out.unknown.push_back(e.item);
      continue;
    }
    if ((e.type == EventType::kRate || e.type == EventType::kMentorRated || (e.type == EventType::kCompacted && e.rating > 0)) &&
        !scale.Contains(e.rating)) {
      out.out_of_scale.push_back(j);
      continue;
    }
    Accumulate(e, Decay(now - e.time, o.half_life_days), o, scale, &by_item[idx->value()]);
  }
  out.items.reserve(by_item.size());
  for (auto& [i, s] : by_item) out.items.emplace_back(ItemIndex(i), s);
  return out;
}

}  // namespace pathlight
