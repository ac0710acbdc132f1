// Mentor matching (recommender.h, MentorList): expertise covering the learner's gap, price
// within the budget, an open slot, a shared language, the personal score — and, for the mentors
// left out, which filter removed them. The feed (RankOptions::match_mentors) and the path use the
// same MatchMentor, so every view agrees on who fits.
#include <cmath>
#include <algorithm>

#include "pathlight/recommender.h"

namespace pathlight {

const char* OfferingStatusName(OfferingStatus status) {
  constexpr const char* kNames[] = {"available", "full", "over_budget"};
  return kNames[static_cast<int>(status)];
}

OfferingsFit FitOfferings(const Offering* begin, const Offering* end, std::optional<OfferingFormat> format, double budget,
                          bool require_capacity, bool require_budget) {
  OfferingsFit fit;
  bool open_affordable = false, any_affordable = false;
  for (const Offering* o = begin; o != end; ++o) {
    if (format && o->format != *format) continue;
    fit.any_in_format = true;
    const bool open = o->open_seats > 0;
    const bool affordable = budget < 0 || !o->price_known || o->price_per_seat <= budget;
    OfferingMatch m;
    m.index = static_cast<int32_t>(o - begin);
    m.status = !open ? OfferingStatus::kFull : affordable ? OfferingStatus::kAvailable : OfferingStatus::kOverBudget;
    fit.offerings.push_back(m);
    fit.has_capacity = fit.has_capacity || open;
    open_affordable = open_affordable || (open && affordable);
    any_affordable = any_affordable || affordable;
    if ((!open && require_capacity) || (!affordable && require_budget)) continue;
    // The cheapest known price first, then an unknown one; ties: the first listed.
    if (fit.booking < 0) {
      fit.booking = m.index;
    } else {
      const Offering& b = begin[fit.booking];
      if (o->price_known && (!b.price_known || o->price_per_seat < b.price_per_seat)) fit.booking = m.index;
    }
  }
  // With an open seat somewhere, the budget is judged on the open offerings; a mentor with none
  // (left out for capacity anyway) is judged on its prices alone, as before offerings existed.
  fit.within_budget = require_capacity && fit.has_capacity ? open_affordable : any_affordable;
  return fit;
}

Recommender::MentorFit Recommender::FitOf(const LearnerState& s, ItemIndex i, const std::vector<uint8_t>& gap_flags,
                                          bool gap_empty, int32_t language, const MentorOptions& o) const {
  // Flat arrays only (KnowledgeGraph): this runs for every mentor in a feed's eligibility pass.
  MentorFit fit;
  fit.expert = gap_empty;
  for (const int32_t* c = graph_.expertise().first(i.value()); !fit.expert && c != graph_.expertise().last(i.value()); ++c)
    fit.expert = gap_flags[*c] != 0;
  const OfferingsFit offers = FitOfferings(graph_.offerings_begin(i), graph_.offerings_end(i), o.format,
                                           s.profile().budget, o.require_capacity, o.require_budget);
  fit.in_format = offers.any_in_format;
  fit.within_budget = offers.within_budget;
  fit.has_capacity = offers.has_capacity;
  fit.speaks_language = graph_.Speaks(i, language);
  fit.dismissed = s.dismissed()[i.value()] != 0;
  return fit;
}

std::optional<MentorMatch> Recommender::MatchMentor(const LearnerState& s, ItemIndex i, const std::vector<ConceptIndex>& gap,
                                                    const std::vector<uint8_t>& gap_flags, const MentorOptions& o,
                                                    MentorDiagnostics* diag) const {
  const Item& m = catalog().item(i);
  if (m.kind != ItemKind::kMentor) return std::nullopt;
  const MentorFit fit = FitOf(s, i, gap_flags, gap.empty(), graph_.LanguageId(s.profile().language), o);
  if (!fit.expert) return std::nullopt;  // knows nothing the learner needs
  if (diag) {
    ++diag->experts;
    diag->format += !fit.in_format;
    // A mentor who offers none of the asked format is out for the format alone: not also "no
    // open slots" or "over the budget" for offerings it does not have (a helper read Arjun Mehta,
    // whose one-to-one was open, under "3 have no open slots" with the Group filter).
    diag->budget += o.require_budget && fit.in_format && !fit.within_budget;
    diag->capacity += o.require_capacity && fit.in_format && !fit.has_capacity;
    diag->language += o.require_language && !fit.speaks_language;
    diag->dismissed += fit.dismissed;
  }
  if (!fit.Passes(o)) return std::nullopt;
  MentorMatch mm;
  mm.mentor = i;
  mm.within_budget = fit.within_budget;
  mm.has_capacity = fit.has_capacity;
  mm.speaks_language = fit.speaks_language;
  const Profile& p = s.profile();
  OfferingsFit offers = FitOfferings(graph_.offerings_begin(i), graph_.offerings_end(i), o.format, p.budget,
                                     o.require_capacity, o.require_budget);
  mm.offerings = std::move(offers.offerings);
  mm.booking = offers.booking;
  float cov = 0.f;
  for (ConceptIndex g : gap)
    for (const auto& [c, w] : m.expertise)
      if (c == g && w > 0) {
        cov += w;
        mm.covers.push_back(g);
        break;
      }
  mm.coverage = gap.empty() ? 0.f : cov / static_cast<float>(gap.size());
  mm.personal = Personal(s, i);
  mm.score = o.coverage_weight * mm.coverage + o.personal_weight * mm.personal +
             o.rating_weight * static_cast<float>(m.rating / 5.0);
  if (!mm.covers.empty()) {
    Reason r;
    r.kind = Reason::Kind::kCoversGap;
    r.concepts = mm.covers;
    r.of = static_cast<int>(gap.size());
    mm.reasons.push_back(std::move(r));
  }
  if (!p.language.empty() && mm.speaks_language) {
    Reason r;
    r.kind = Reason::Kind::kSpeaks;
    r.language = p.language;
    mm.reasons.push_back(std::move(r));
  }
  // Within budget: the price the learner would pay (the booking's, per seat in a group).
  if (mm.booking >= 0) {
    const Offering& booked = graph_.offerings_begin(i)[mm.booking];
    if (p.budget >= 0 && booked.price_known && booked.price_per_seat <= p.budget)
      mm.reasons.push_back(Reason{Reason::Kind::kWithinBudget});
  }
  if (m.rating >= 4.5) {
    Reason r;
    r.kind = Reason::Kind::kTopRated;
    r.value = static_cast<float>(m.rating);
    mm.reasons.push_back(std::move(r));
  }
  return mm;
}

MentorList Recommender::Mentors(const LearnerState& s, std::vector<ConceptIndex> gap, const MentorOptions& o) const {
  const Catalog& cat = catalog();
  MentorList out;
  if (gap.empty()) gap = Context(s).gap;
  std::vector<uint8_t> gap_flags(cat.num_concepts(), 0);
  for (ConceptIndex c : gap)
    if (!gap_flags[c.value()]) {
      gap_flags[c.value()] = 1;
      out.gap.push_back(c);
    }
  const std::vector<ItemKind>& kinds = graph_.item_kinds();
  for (int32_t i = 0; i < cat.num_items(); ++i) {
    if (kinds[i] != ItemKind::kMentor) continue;
    ++out.diagnostics.mentors;
    if (auto m = MatchMentor(s, ItemIndex(i), out.gap, gap_flags, o, &out.diagnostics)) out.mentors.push_back(std::move(*m));
  }
  std::sort(out.mentors.begin(), out.mentors.end(), [](const MentorMatch& a, const MentorMatch& b) {
    return a.score > b.score || (a.score == b.score && a.mentor < b.mentor);
  });
  if (static_cast<int>(out.mentors.size()) > o.k) out.mentors.resize(o.k);
  return out;
}

}  // namespace pathlight
