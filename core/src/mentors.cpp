// Mentor matching (recommender.h, MentorList): expertise covering the learner's gap, price
// within the budget, an open slot, a shared language, the personal score — and, for the mentors
// left out, which filter removed them. The feed (RankOptions::match_mentors) and the path use the
// same MatchMentor, so every view agrees on who fits.
#include <algorithm>

#include "pathlight/recommender.h"

namespace pathlight {

std::optional<MentorMatch> Recommender::MatchMentor(const LearnerState& s, ItemIndex i, const std::vector<ConceptIndex>& gap,
                                                    const MentorOptions& o, MentorDiagnostics* diag) const {
  const Item& m = catalog().item(i);
  if (m.kind != ItemKind::kMentor) return std::nullopt;
  MentorMatch mm;
  mm.mentor = i;
  float cov = 0.f;
  for (ConceptIndex g : gap)
    for (const auto& [c, w] : m.expertise)
      if (c == g && w > 0) {
        cov += w;
        mm.covers.push_back(g);
        break;
      }
  if (!gap.empty() && mm.covers.empty()) return std::nullopt;  // knows nothing the learner needs
  mm.coverage = gap.empty() ? 0.f : cov / static_cast<float>(gap.size());
  const Profile& p = s.profile();
  mm.within_budget = p.budget < 0 || !m.price_known || m.price <= p.budget;
  mm.has_capacity = m.capacity > 0;
  mm.speaks_language = p.language.empty() || m.language == p.language ||
                       std::find(m.languages.begin(), m.languages.end(), p.language) != m.languages.end();
  const bool dismissed = s.dismissed()[i.value()] != 0;
  if (diag) {
    ++diag->experts;
    diag->budget += o.require_budget && !mm.within_budget;
    diag->capacity += o.require_capacity && !mm.has_capacity;
    diag->language += o.require_language && !mm.speaks_language;
    diag->dismissed += dismissed;
  }
  if (dismissed || (o.require_budget && !mm.within_budget) || (o.require_capacity && !mm.has_capacity) ||
      (o.require_language && !mm.speaks_language))
    return std::nullopt;
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
  for (ConceptIndex c : gap)
    if (std::find(out.gap.begin(), out.gap.end(), c) == out.gap.end()) out.gap.push_back(c);
  for (int32_t i = 0; i < cat.num_items(); ++i) {
    if (cat.item(ItemIndex(i)).kind != ItemKind::kMentor) continue;
    ++out.diagnostics.mentors;
    if (auto m = MatchMentor(s, ItemIndex(i), out.gap, o, &out.diagnostics)) out.mentors.push_back(std::move(*m));
  }
  std::sort(out.mentors.begin(), out.mentors.end(), [](const MentorMatch& a, const MentorMatch& b) {
    return a.score > b.score || (a.score == b.score && a.mentor < b.mentor);
  });
  if (static_cast<int>(out.mentors.size()) > o.k) out.mentors.resize(o.k);
  return out;
}

}  // namespace pathlight
