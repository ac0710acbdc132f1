// How a learner's events become what the engine knows about each item: the one mapping from
// events to implicit-feedback signals, shared by the full solve (Recommender::Learner), the
// incremental update (Recommender::AddEvent) and compaction (Profile::Compact), so the three can
// never disagree.
//
//   w_i = Σ_events on i  base(type) · decay(now − t),   decay(Δ) = 2^(−Δ / half_life)
//   p_i = the latest explicit signal on i (1 positive, 0 negative: a dismissal or a low rating),
//         1 when there is none (a view)
//   c_i = 1 + α·w_i                                     (Hu, Koren & Volinsky 2008)
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pathlight/catalog.h"
#include "pathlight/profile.h"

namespace pathlight {

/// Everything the events on one item say: its fold-in signal (weight, preference), its rating,
/// and the learner's relation to it (filters and "My learning").
struct ItemSignal {
  float weight = 0;        // w_i ≥ 0 (decayed to the learner's clock)
  float preference = -1;   // latest explicit signal: 1 or 0; −1 = none (folds in as 1)
  float rating = 0;        // latest rating on the bundle's scale; 0 = never rated
  bool dismissed = false;  // the latest explicit signal was a dismissal
  bool enrolled = false, completed = false, bookmarked = false, booked = false;

  /// p_i as the fold-in uses it.
  float fold_in_preference() const { return preference < 0 ? 1.f : preference; }
  /// Taken by the learner (enrolled, completed, booked or rated): never offered again, not a
  /// step's item in a path, not counted in a path's totals.
  bool consumed() const { return enrolled || completed || booked || rating > 0; }
  /// Done with it: completed, or rated without an enrolment (a verdict on something the learner
  /// finished; a rating while enrolled is a verdict so far). A rated mentor is a session had, not
  /// a course done. The one rule behind "My learning"'s Done, known concepts and path steps.
  bool done(ItemKind kind) const { return completed || (rating > 0 && !enrolled && kind != ItemKind::kMentor); }
};

/// Base weight (before decay) and preference of one event: preference 1 or 0 for an explicit
/// signal, −1 for none (a view, a know_concept). A rating r on the scale [lo, hi] weighs
/// |r − mid|·rating_scale·4/(hi − lo) + 1 with mid = (lo + hi)/2 and is positive when r ≥ mid
/// (on 1..5: |r − 3| + 1, positive from 3). Compacted summaries carry their own.
std::pair<float, float> EventSignal(const Event& event, const ConfidenceOptions& options,
                                    const RatingScale& scale = RatingScale());

/// Adds one item event to `signal`: weight += base·decay (decay = 2^(−age/half-life), computed by
/// the caller), the latest explicit signal sets the preference, and the relation flags follow
/// the event (a positive signal lifts a dismissal). know_concept events are not item events and
/// must not be passed here.
void Accumulate(const Event& event, double decay, const ConfidenceOptions& options, const RatingScale& scale,
                ItemSignal* signal);

/// Per-item signals from a profile's events at time `now`. Events naming items not in
/// `catalog` are returned in `unknown`, rating events outside `scale` in `out_of_scale`; both are
/// left out of the signals but never silently dropped from the profile.
struct ItemSignals {
  std::vector<std::pair<ItemIndex, ItemSignal>> items;  // one entry per item acted on, by item index
  std::vector<std::string> unknown;                      // ids of events whose item is not in the catalog
  std::vector<size_t> out_of_scale;                      // indices (in profile.events) of such ratings
};
ItemSignals ItemSignalsOf(const Profile& profile, const Catalog& catalog, double now,
                          const ConfidenceOptions& options = {}, const RatingScale& scale = RatingScale());

/// decay(age) = 2^(−age / half_life), 1 for age ≤ 0 or half_life ≤ 0 (ConfidenceOptions).
double Decay(double age_seconds, double half_life_days);

}  // namespace pathlight
