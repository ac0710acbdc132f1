// Mentor matching (recommender.h, MentorList): expertise covering the learner's gap, price
// within the budget, an open slot, a shared language, the personal score — and, for the mentors
// left out, which filter removed them. The feed (RankOptions::match_mentors) and the path use the
// same MatchMentor, so every view agrees on who fits.
#include <cmath>
#include <algorithm>

#include "pathlight/recommender.h"

namespace pathlight {

Recommender::MentorFit Recommender::FitOf(const LearnerState& s, ItemIndex i, const std::vector<uint8_t>& gap_flags,
                                          bool gap_empty, int32_t language) const {
  // Flat arrays only (KnowledgeGraph): this runs for every mentor in a feed's eligibility pass.
  MentorFit fit;
  fit.expert = gap_empty;
  for (const int32_t* c = graph_.expertise().first(i.value()); !fit.expert && c != graph_.expertise().last(i.value()); ++c)
    fit.expert = gap_flags[*c] != 0;
  const double budget = s.profile().budget;
  const float price = graph_.item_prices()[i.value()];
  fit.within_budget = budget < 0 || std::isnan(price) || price <= budget;
  fit.has_capacity = graph_.item_has_capacity()[i.value()] != 0;
  fit.speaks_language = graph_.Speaks(i, language);
  fit.dismissed = s.dismissed()[i.value()] != 0;
  return fit;
}

std::optional<MentorMatch> Recommender::MatchMentor(const LearnerState& s, ItemIndex i, const std::vector<ConceptIndex>& gap,
                                                    const std::vector<uint8_t>& gap_flags, const MentorOptions& o,
                                                    MentorDiagnostics* diag) const {
  const Item& m = catalog().item(i);
  if (m.kind != ItemKind::kMentor) return std::nullopt;
  const MentorFit fit = FitOf(s, i, gap_flags, gap.empty(), graph_.LanguageId(s.profile().language));
  if (!fit.expert) return std::nullopt;  // knows nothing the learner needs
  if (diag) {
    ++diag->experts;
    diag->budget += o.require_budget && !fit.within_budget;
    diag->capacity += o.require_capacity && !fit.has_capacity;
    diag->language += o.require_language && !fit.speaks_language;
    diag->dismissed += fit.dismissed;
  }
  if (!fit.Passes(o)) return std::nullopt;
  MentorMatch mm;
  mm.mentor = i;
  mm.within_budget = fit.within_budget;
  mm.has_capacity = fit.has_capacity;
  mm.speaks_language = fit.speaks_language;
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
  const Profile& p = s.profile();
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
  if (p.budget >= 0 && m.price_known && m.price <= p.budget) mm.reasons.push_back(Reason{Reason::Kind::kWithinBudget});
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
