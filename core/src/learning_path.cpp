// Learning paths (recommender.h, LearningPath): the missing part of the prerequisite closure of
// the learner's goals in topological order, each step with the learner's best item to take, the
// memberships that cover several steps, a mentor for the hardest step, and honest totals.
#include <algorithm>
#include <limits>
#include <cmath>

#include "pathlight/recommender.h"

namespace pathlight {

LearningPath Recommender::Path(const LearnerState& s, std::vector<ConceptIndex> goals, const RankOptions& o) const {
  const Catalog& cat = catalog();
  if (goals.empty()) goals = s.goals();
  LearningPath path;
  for (ConceptIndex g : goals)
    if (std::find(path.goals.begin(), path.goals.end(), g) == path.goals.end()) path.goals.push_back(g);
  std::vector<uint8_t> on_path = graph_.ClosureFlags(path.goals, true);
  const LearnerContext ctx = Context(s);
  // A step's item is never one the learner took (enrolled, completed, booked, rated): those are
  // what they are taking, not what to take. The caller's item filters apply; list-only filters
  // (hiding known items, mentor matching) do not.
  RankOptions filters = o;
  filters.exclude_consumed = true;
  filters.hide_known = false;
  filters.match_mentors = false;
  Workspace ws;
  Eligible(&s, &ctx, filters, ws);
  const std::vector<uint8_t>& ok = ws.eligible;
  const std::vector<uint8_t>& known = s.known_concepts();
  struct Displaced {  // a membership that scored above the step's chosen item
    ItemIndex membership;
    ConceptIndex step;
  };
  std::vector<Displaced> displaced;
  std::vector<uint8_t> missing(cat.num_concepts(), 0);
  for (ConceptIndex c : cat.topological_order()) {
    if (!on_path[c.value()]) continue;
    PathStep step;
    step.concept = c;
    step.depth = graph_.depth(c);
    if (known[c.value()]) {
      step.state = PathStep::State::kKnown;
      path.steps.push_back(step);
      continue;
    }
    missing[c.value()] = 1;
    bool ready = true;
    for (ConceptIndex p : cat.concept_at(c).prerequisites) ready = ready && known[p.value()];
    // Held: an item teaching it that the learner took and is not done with (a course under way,
    // a joined membership, a booked consultation). Prefer anything over a membership.
    // Otherwise the item to take is, first, one the learner can take at this step — every concept
    // the item itself requires is known (a next step: "you can start now") or, for a later step,
    // known or a step of this path; only when no such item is eligible, any (`tier` below).
    // Within that, prefer anything over a membership, then the learner's score.
    std::optional<ItemIndex> held;
    std::optional<ItemIndex> best[2], best_membership[2];  // [0] startable at this step, [1] not
    float best_v[2] = {-INFINITY, -INFINITY}, best_membership_v[2] = {-INFINITY, -INFINITY};
    for (const int32_t* t = graph_.taught_by().first(c.value()); t != graph_.taught_by().last(c.value()); ++t) {
      const ItemIndex i(*t);  // ascending item indices
      const Item& item = cat.item(i);
      if (item.kind == ItemKind::kMentor) continue;  // mentors teach no path step
      if (s.consumed()[*t]) {
        if (!held || (cat.item(*held).kind == ItemKind::kMembership && item.kind != ItemKind::kMembership)) held = i;
        continue;
      }
      if (!ok[*t]) continue;
      const int tier = std::all_of(item.requires_concepts.begin(), item.requires_concepts.end(), [&](ConceptIndex r) {
                         return known[r.value()] || (!ready && on_path[r.value()]);
                       }) ? 0 : 1;
      const float v = Personal(s, i);
      if (item.kind == ItemKind::kMembership) {
        if (v > best_membership_v[tier]) best_membership_v[tier] = v, best_membership[tier] = i;
      } else if (v > best_v[tier]) {
        best_v[tier] = v, best[tier] = i;
      }
    }
    const int tier = best[0] || best_membership[0] ? 0 : 1;
    if (held) {
      step.state = PathStep::State::kTaking;
      step.taking = held;
    } else {
      step.state = ready ? PathStep::State::kNext : PathStep::State::kLater;
      step.item = best[tier] ? best[tier] : best_membership[tier];
      if (best[tier] && best_membership[tier] && best_membership_v[tier] > best_v[tier])
        displaced.push_back({*best_membership[tier], c});
      if (!step.item) path.unreachable.push_back(c);
      else if (tier == 1)  // what makes it unstartable: for a later step, not what a step before it teaches
        for (ConceptIndex r : cat.item(*step.item).requires_concepts)
          if (!known[r.value()] && (ready || !on_path[r.value()])) step.item_also_needs.push_back(r);
    }
    if (!path.hardest || graph_.depth(c) >= graph_.depth(*path.hardest)) path.hardest = c;
    path.steps.push_back(step);
  }
  // Memberships: each once, with the missing steps it teaches — held ones acknowledged, others
  // offered when they were the learner's best choice for a step (a course is shown there instead)
  // and are not already in the path as another step's item.
  auto covers_of = [&](ItemIndex m) {
    std::vector<ConceptIndex> covers;
    for (ConceptIndex c : cat.item(m).teaches)
      if (missing[c.value()] && std::find(covers.begin(), covers.end(), c) == covers.end()) covers.push_back(c);
    return covers;
  };
  for (const auto& [i, sig] : s.signals())
    if (cat.item(ItemIndex(i)).kind == ItemKind::kMembership && sig.consumed() && !sig.done(ItemKind::kMembership))
      if (auto covers = covers_of(ItemIndex(i)); !covers.empty()) path.memberships.push_back({ItemIndex(i), covers, true});
  // A membership that is already a step's item is in the path (and its totals): never also
  // offered as the alternative to a course.
  const auto in_path = [&](ItemIndex m) {
    return std::any_of(path.steps.begin(), path.steps.end(), [&](const PathStep& st) { return st.item == m; });
  };
  for (const Displaced& d : displaced)
    if (!in_path(d.membership) &&
        std::none_of(path.memberships.begin(), path.memberships.end(), [&](const MembershipOption& m) { return m.item == d.membership; }))
      path.memberships.push_back({d.membership, covers_of(d.membership), false});
  // Totals: each distinct item to take once, at PriceToTake; unknown prices and durations are counted, never 0;
  // a membership's monthly price and hours are not one-off amounts (PathTotals).
  std::vector<uint8_t> counted(cat.num_items(), 0);
  PathTotals& tot = path.totals;
  auto add = [](std::vector<std::pair<std::string, double>>* sums, const Item& item, double price) {
    auto it = std::find_if(sums->begin(), sums->end(), [&](const auto& p) { return p.first == item.currency; });
    if (it == sums->end()) sums->push_back({item.currency, price});
    else it->second += price;
  };
  for (const PathStep& st : path.steps) {
    if (!st.item || counted[st.item->value()]) continue;
    counted[st.item->value()] = 1;
    const Item& item = cat.item(*st.item);
    const bool membership = item.kind == ItemKind::kMembership;
    ++tot.items;
    tot.memberships += membership;
    // What taking it once costs (PriceToTake: a session is its price per hour × its hours).
    if (const std::optional<double> price = PriceToTake(item)) add(membership ? &tot.monthly : &tot.price, item, *price);
    else ++tot.unpriced_items;
    if (membership) continue;
    if (item.hours > 0) tot.hours += item.hours;
    else ++tot.untimed_items;
  }
  tot.uncovered_steps = static_cast<int>(path.unreachable.size());
  if (s.profile().weekly_hours > 0 && (tot.items > 0 || tot.uncovered_steps > 0)) {
    if (tot.memberships > 0) tot.weeks_unknown.push_back("membership");
    if (tot.untimed_items > 0) tot.weeks_unknown.push_back("untimed");
    if (tot.uncovered_steps > 0) tot.weeks_unknown.push_back("uncovered");
    // None of these: there is a one-off item to take and every one has a known duration (> 0).
    if (tot.weeks_unknown.empty()) tot.weeks = static_cast<int>(std::ceil(tot.hours / s.profile().weekly_hours));
  }
  if (path.hardest) {
    // Who can help with the hardest step (and why nobody can: the diagnostics of that step); the
    // one offered is the best of them over every missing step of the path, and its reasons say
    // how many of those steps it knows ("3 of the 4 steps you need"), as the Mentors view does.
    MentorOptions mo;
    mo.k = 1;
    const MentorList for_hardest = Mentors(s, {*path.hardest}, mo);
    path.mentor_diagnostics = for_hardest.diagnostics;
    if (!for_hardest.mentors.empty()) {
      std::vector<ConceptIndex> missing_steps;
      for (const PathStep& st : path.steps)
        if (st.state != PathStep::State::kKnown) missing_steps.push_back(st.concept);
      MentorOptions all = mo;
      all.k = std::numeric_limits<int>::max();
      for (MentorMatch& m : Mentors(s, missing_steps, all).mentors)
        if (std::find(m.covers.begin(), m.covers.end(), *path.hardest) != m.covers.end()) {
          path.mentor = std::move(m);
          break;
        }
    }
  }
  // The total with the mentor: what the learner pays for the booking (FitOfferings' one rule —
  // per session one-to-one, per seat in a group), added in the mentor's currency when known.
  tot.price_with_mentor = tot.price;
  if (path.mentor && path.mentor->booking >= 0) {
    const Offering& booked = graph_.offerings_begin(path.mentor->mentor)[path.mentor->booking];
    const Item& mentor = cat.item(path.mentor->mentor);
    tot.mentor_booking = booked;
    tot.mentor_currency = mentor.currency;
    if (booked.price_known) {
      auto it = std::find_if(tot.price_with_mentor.begin(), tot.price_with_mentor.end(),
                             [&](const auto& p) { return p.first == mentor.currency; });
      if (it == tot.price_with_mentor.end()) tot.price_with_mentor.push_back({mentor.currency, booked.price_per_seat});
      else it->second += booked.price_per_seat;
    }
  }
  return path;
}

}  // namespace pathlight
