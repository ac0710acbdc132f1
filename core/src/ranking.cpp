// Ranking a learner's list and similar items (ranking.h); the terms are in ranking_terms.cpp.
#include "pathlight/ranking.h"

#include <algorithm>
#include <cmath>

#include "pathlight/recommender.h"

namespace pathlight {
namespace {

template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Jaccard similarity of two small concept lists.
float Jaccard(const std::vector<ConceptIndex>& a, const std::vector<ConceptIndex>& b) {
  if (a.empty() || b.empty()) return 0.f;
  int inter = 0;
  for (ConceptIndex x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) ++inter;
  return static_cast<float>(inter) / static_cast<float>(a.size() + b.size() - inter);
}

int DisplayRank(Reason::Kind k) {
  switch (k) {
    case Reason::Kind::kTeachesGoal:
    case Reason::Kind::kPrerequisiteForGoal:
    case Reason::Kind::kCoversGap: return 0;
    case Reason::Kind::kBecauseItem: return 1;
    case Reason::Kind::kPeersOfGoal:
    case Reason::Kind::kPeersOfKnown: return 2;
    case Reason::Kind::kTerm:
    case Reason::Kind::kYouKnow:
    case Reason::Kind::kReady: return 3;
    default: return 4;
  }
}

}  // namespace

void PresentReasons(std::vector<Recommendation>* list, std::vector<Reason>* shared, int max_per_item,
                    int max_cards_per_known) {
  std::vector<std::pair<ConceptIndex, std::vector<ItemIndex>>> known_on;  // you_know concept → results
  for (const Recommendation& r : *list)
    for (const Reason& reason : r.reasons) {
      if (reason.kind != Reason::Kind::kYouKnow) continue;
      auto it = std::find_if(known_on.begin(), known_on.end(), [&](const auto& p) { return p.first == reason.concept; });
      if (it == known_on.end()) known_on.push_back({reason.concept, {r.item}});
      else if (std::find(it->second.begin(), it->second.end(), r.item) == it->second.end()) it->second.push_back(r.item);
    }
  std::vector<ConceptIndex> moved;
  for (auto& [c, items] : known_on) {
    if (static_cast<int>(items.size()) <= max_cards_per_known) continue;
    Reason r;
    r.kind = Reason::Kind::kYouKnow;
    r.concept = c;
    r.items = items;
    shared->push_back(std::move(r));
    moved.push_back(c);
  }
  for (Recommendation& r : *list) {
    std::vector<Reason> kept;
    for (Reason& reason : r.reasons)
      if (reason.kind != Reason::Kind::kYouKnow || std::find(moved.begin(), moved.end(), reason.concept) == moved.end())
        kept.push_back(reason);
    if (kept.empty() && !r.reasons.empty()) kept.push_back(r.reasons.front());
    std::stable_sort(kept.begin(), kept.end(), [](const Reason& a, const Reason& b) { return DisplayRank(a.kind) < DisplayRank(b.kind); });
    if (static_cast<int>(kept.size()) > max_per_item) kept.resize(max_per_item);
    r.reasons = std::move(kept);
  }
}

GoalsOfList GoalsNamed(const LearnerContext& ctx, const std::vector<const Reason*>& shown) {
  // What the shown reasons lead toward: the goal a teaches_goal / prerequisite_for_goal reason
  // names, and the goals whose way a covers_gap reason's concepts are on (a mentor's expertise).
  // "Learners aiming for X also take this" (peers_of_goal) names X but does not lead toward it.
  std::vector<ConceptIndex> led, covered;
  for (const Reason* r : shown) {
    if (r->kind == Reason::Kind::kTeachesGoal || r->kind == Reason::Kind::kPrerequisiteForGoal) led.push_back(r->goal);
    if (r->kind == Reason::Kind::kCoversGap) covered.insert(covered.end(), r->concepts.begin(), r->concepts.end());
  }
  const std::vector<ConceptIndex> by_cover = GoalsCovered(ctx, covered);
  GoalsOfList out;
  for (ConceptIndex g : ctx.open_goals) {
    if (std::find(out.open.begin(), out.open.end(), g) != out.open.end()) continue;
    out.open.push_back(g);
    const bool named = std::find(led.begin(), led.end(), g) != led.end() ||
                       std::find(by_cover.begin(), by_cover.end(), g) != by_cover.end();
    (named ? out.named : out.unnamed).push_back(g);
  }
  return out;
}

// One out-of-line count for Eligible's nine filter boundaries (inlined, each was a vectorized
// loop of its own in the WebAssembly package).
[[gnu::noinline]] static int32_t CountNonZero(const std::vector<uint8_t>& flags) {
  return static_cast<int32_t>(std::count_if(flags.begin(), flags.end(), [](uint8_t v) { return v != 0; }));
}

std::vector<ConceptIndex> GoalsCovered(const LearnerContext& ctx, const std::vector<ConceptIndex>& concepts) {
  std::vector<ConceptIndex> out;
  for (size_t k = 0; k < ctx.open_goals.size(); ++k) {
    const ConceptIndex g = ctx.open_goals[k];
    if (std::find(out.begin(), out.end(), g) != out.end()) continue;
    const std::vector<uint8_t>& closure = ctx.closures[k];
    if (std::any_of(concepts.begin(), concepts.end(), [&](ConceptIndex c) { return c == g || closure[c.value()]; }))
      out.push_back(g);
  }
  return out;
}

void Recommender::Eligible(const LearnerState* s, const LearnerContext* ctx, const RankOptions& o, Workspace& ws,
                           Exclusions* excluded) const {
  const Catalog& cat = catalog();
  const int32_t n = cat.num_items();
  ws.eligible.assign(n, 1);
  uint8_t* __restrict ok = ws.eligible.data();  // restrict: the byte stores alias nothing, so loops vectorize
  // Counting: the items still in before a filter minus those after it is what that filter removed.
  int32_t in_before = n;
  const auto removed_by = [&](int32_t* field) {
    if (!excluded) return;
    const int32_t in_now = CountNonZero(ws.eligible);
    *field += in_before - in_now;
    in_before = in_now;
  };
  if (excluded) *excluded = Exclusions();
  const ItemKind* kinds = graph_.item_kinds().data();
  // The kinds asked for first (what the list is of: "of the catalog's 193 items, 185 are of other
  // kinds, 3 you have taken" counts only the kind's own), then the learner's flat byte arrays,
  // then the item filters, which read each Item, only when one is set and only for items still in.
  if (!o.kinds.empty())
    for (int32_t i = 0; i < n; ++i) ok[i] = std::find(o.kinds.begin(), o.kinds.end(), kinds[i]) != o.kinds.end();
  removed_by(excluded ? &excluded->kinds : nullptr);
  if (s && (o.exclude_consumed || o.exclude_dismissed)) {
    const uint8_t* __restrict consumed = s->consumed().data();
    const uint8_t* __restrict dismissed = s->dismissed().data();
    const uint8_t consumed_mask = o.exclude_consumed ? 0xff : 0, dismissed_mask = o.exclude_dismissed ? 0xff : 0;
    if (excluded)  // an item both taken and dismissed counts as taken
      for (int32_t i = 0; i < n; ++i) {
        excluded->consumed += ok[i] && (consumed[i] & consumed_mask) != 0;
        excluded->dismissed += ok[i] && (consumed[i] & consumed_mask) == 0 && (dismissed[i] & dismissed_mask) != 0;
      }
    for (int32_t i = 0; i < n; ++i) ok[i] = ok[i] && ((consumed[i] & consumed_mask) | (dismissed[i] & dismissed_mask)) == 0;
    if (excluded) in_before -= excluded->consumed + excluded->dismissed;
  }
  if (!o.levels.empty()) {
    const std::vector<Level>& levels = graph_.item_levels();
    for (int32_t i = 0; i < n; ++i)
      if (ok[i] && std::find(o.levels.begin(), o.levels.end(), levels[i]) == o.levels.end()) ok[i] = 0;
  }
  removed_by(excluded ? &excluded->levels : nullptr);
  if (o.max_price >= 0) {
    for (int32_t i = 0; i < n; ++i) {
      if (!ok[i]) continue;
      const Item& it = cat.item(ItemIndex(i));
      // A mentor's price is per offering (FitOfferings: a group seat may be within the budget
      // when the one-to-one session is not); any other item's is what taking it once costs
      // (PriceToTake: a consultation's session, not its hourly rate). Unknown passes.
      if (it.kind == ItemKind::kMentor) {
        ok[i] = FitOfferings(graph_.offerings_begin(ItemIndex(i)), graph_.offerings_end(ItemIndex(i)), std::nullopt,
                             o.max_price, false, true)
                    .within_budget;
      } else {
        const std::optional<double> price = PriceToTake(it);
        ok[i] = !(price && *price > o.max_price);
      }
    }
  }
  removed_by(excluded ? &excluded->budget : nullptr);
  if (!o.languages.empty()) {
    // By primary language subtag (PrimaryLanguage); mentors pass when they speak any listed
    // language; "" in the list means any language.
    std::vector<int32_t> ids;
    for (const std::string& l : o.languages) ids.push_back(graph_.LanguageId(l));
    if (!Contains(ids, static_cast<int32_t>(KnowledgeGraph::kAnyLanguage)))
      for (int32_t i = 0; i < n; ++i) {
        if (!ok[i]) continue;
        bool any = false;
        for (int32_t id : ids) any = any || graph_.Speaks(ItemIndex(i), id);
        ok[i] = any;
      }
  }
  removed_by(excluded ? &excluded->language : nullptr);
  if (!s || !ctx) {
    if (excluded) excluded->eligible = in_before;
    return;
  }
  const RankInput in{cat, graph_, *ctx};
  if (o.hide_known) {
    // Known taught concepts per item (with repeats), counted over the inverse lists of the known
    // concepts only; an item is hidden when all it teaches is known. Three passes over the same
    // lists (count, test, reset), none over the catalog. Mentors teach nothing.
    const std::vector<uint8_t>& known = s->known_concepts();
    ws.known_taught.resize(n, 0);  // all zero between calls
    int32_t* __restrict count = ws.known_taught.data();
    const IndexLists& taught_by = graph_.taught_by();
    const IndexLists& teaches = graph_.teaches();
    for (int pass = 0; pass < 3; ++pass)
      for (int32_t c = 0; c < cat.num_concepts(); ++c)
        if (known[c])
          for (const int32_t* i = taught_by.first(c); i != taught_by.last(c); ++i) {
            if (pass == 0) ++count[*i];
            else if (pass == 1 && count[*i] == teaches.size(*i)) ok[*i] = 0;
            else count[*i] = 0;
          }
  }
  removed_by(excluded ? &excluded->known : nullptr);
  if (o.match_mentors) {
    // A mentor stays when it is an expert in part of the gap (found from the gap's inverse lists,
    // without reading any Item) and passes the other filters (checked for those experts only).
    const MentorOptions mo;
    const bool gap_empty = ctx->gap.empty();
    const int32_t language = graph_.LanguageId(s->profile().language);
    if (!gap_empty)
      for (ConceptIndex c : ctx->gap)  // experts still in are marked 2
        for (const int32_t* i = graph_.experts().first(c.value()); i != graph_.experts().last(c.value()); ++i)
          if (ok[*i]) ok[*i] = 2;
    for (int32_t i : graph_.mentors())
      if (ok[i]) ok[i] = (gap_empty || ok[i] == 2) && FitOf(*s, ItemIndex(i), ctx->in_gap, gap_empty, language, mo).Passes(mo);
  }
  removed_by(excluded ? &excluded->mentors : nullptr);
  if (o.min_readiness > 0)
    for (int32_t i = 0; i < n; ++i)
      if (ok[i] && Readiness(in, ItemIndex(i)) < o.min_readiness) ok[i] = 0;
  removed_by(excluded ? &excluded->readiness : nullptr);
  if (excluded) excluded->eligible = in_before;
}

Exclusions Recommender::Excluded(const LearnerState& s, const LearnerContext& ctx, const RankOptions& o,
                                 Workspace* ws_in) const {
  Workspace local;
  Workspace& ws = ws_in ? *ws_in : local;
  Exclusions out;
  Eligible(&s, &ctx, o, ws, &out);
  return out;
}

std::vector<Recommendation> Recommender::SelectMmr(std::vector<Recommendation> cand, const RankOptions& o) const {
  const Catalog& cat = catalog();
  const size_t m = cand.size();
  // Per candidate: its kind, read once, and max_{j∈S} sim(i, j) over the items chosen so far,
  // raised after each choice by the similarity to the new item only (a max is the same in any
  // order), so each round costs O(pool) instead of O(pool · |S|).
  std::vector<ItemKind> kind(m);
  for (size_t j = 0; j < m; ++j) kind[j] = cat.item(cand[j].item).kind;
  std::vector<float> max_sim(m, 0.f);
  std::vector<uint8_t> used(m, 0);
  std::vector<Recommendation> out;
  int mentors = 0, memberships = 0;
  while (static_cast<int>(out.size()) < o.k) {
    int best = -1;
    float best_value = -INFINITY;
    for (size_t j = 0; j < m; ++j) {
      if (used[j]) continue;
      if (kind[j] == ItemKind::kMentor && o.max_mentors >= 0 && mentors >= o.max_mentors) continue;
      if (kind[j] == ItemKind::kMembership && o.max_memberships >= 0 && memberships >= o.max_memberships) continue;
      float value = cand[j].score;
      if (o.mmr_lambda < 1.f) value = o.mmr_lambda * cand[j].score - (1.f - o.mmr_lambda) * max_sim[j];
      if (value > best_value) {
        best_value = value;
        best = static_cast<int>(j);
      }
    }
    if (best < 0) break;
    used[best] = 1;
    mentors += kind[best] == ItemKind::kMentor;
    memberships += kind[best] == ItemKind::kMembership;
    if (o.mmr_lambda < 1.f) {
      const std::vector<ConceptIndex>& chosen = cat.item(cand[best].item).teaches;
      for (size_t j = 0; j < m; ++j)
        if (!used[j]) max_sim[j] = std::max(max_sim[j], Jaccard(cat.item(cand[j].item).teaches, chosen));
    }
    out.push_back(std::move(cand[best]));
  }
  return out;
}

std::vector<Recommendation> Recommender::Rank(const LearnerState& s, const RankOptions& o, Workspace* ws_in,
                                              const LearnerContext* ctx_in) const {
  const int32_t n = num_items();
  Workspace local;
  Workspace& ws = ws_in ? *ws_in : local;
  const LearnerContext own = ctx_in ? LearnerContext() : Context(s);
  const LearnerContext& ctx = ctx_in ? *ctx_in : own;
  const RankInput in{catalog(), graph_, ctx};
  Eligible(&s, &ctx, o, ws);
  const std::vector<uint8_t>& ok = ws.eligible;
  const int pool = std::max(o.k, o.candidate_pool);
  std::vector<Recommendation> cand;
  if (s.is_cold()) {
    // Nothing to personalize on: most popular within the filters.
    for (int32_t i : by_popularity_) {
      if (!ok[i]) continue;
      Recommendation r;
      r.item = ItemIndex(i);
      r.score = r.personal = bundle_.item_popularity.size() ? bundle_.item_popularity[i] : 0.f;
      r.readiness = Readiness(in, r.item);
      cand.push_back(std::move(r));
      if (static_cast<int>(cand.size()) >= pool) break;
    }
    std::vector<Recommendation> out = SelectMmr(std::move(cand), o);
    for (Recommendation& r : out) r.reasons = {Reason{Reason::Kind::kPopular}};
    return out;
  }
  ws.personal.resize(n);
  ws.score.resize(n);
  ws.count_a.resize(n);
  ws.count_b.resize(n);
  const Vector x = s.user();
  bundle_.item_factors.Score(x.data(), bundle_.item_bias.data(), ws.personal.data());
  for (const auto& [i, off] : s.bias_offsets()) ws.personal[i] += off;
  std::copy(ws.personal.begin(), ws.personal.end(), ws.score.begin());
  // A term whose weight is ±0 adds ±0 whatever its feature: its pass is skipped.
  const std::vector<RankingTerm>& terms = RankingTerms();
  for (size_t t = 0; t < terms.size() && t < o.term_weights.size(); ++t)
    if (o.term_weights[t] != 0.f) terms[t].add(in, o.term_weights[t], ws, ws.score.data());
  float* score = ws.score.data();
  const uint8_t* eligible = ok.data();
  for (int32_t i = 0; i < n; ++i) score[i] = eligible[i] ? score[i] : -INFINITY;  // TopK skips −∞
  for (const ScoredItem& t : TopK(score, n, pool)) {
    Recommendation r;
    r.item = t.item;
    r.score = t.score;
    r.personal = ws.personal[t.item.value()];
    r.readiness = Readiness(in, t.item);
    r.goal_relevance = GoalRelevance(in, t.item);
    cand.push_back(std::move(r));
  }
  std::vector<Recommendation> out = SelectMmr(std::move(cand), o);
  // The "because" shares of every result from one batched solve (FoldInModel::ExplainMany).
  std::vector<ItemIndex> shown;
  for (const Recommendation& r : out) shown.push_back(r.item);
  const std::vector<Explanation> ex = s.is_cold() ? std::vector<Explanation>() : model_->ExplainMany(s, shown);
  for (size_t j = 0; j < out.size(); ++j)
    out[j].reasons = ReasonsWith(s, ctx, out[j].item, ex.empty() ? nullptr : &ex[j], 3);
  return out;
}

std::vector<Recommendation> Recommender::Similar(ItemIndex item, const RankOptions& o, Workspace* ws_in) const {
  const int32_t n = num_items();
  Workspace local;
  Workspace& ws = ws_in ? *ws_in : local;
  Vector q(factors());
  bundle_.item_factors.Row(item.value(), q.data());
  const std::vector<float>& norms = ItemNorms();
  const float qn = norms[item.value()];
  Eligible(nullptr, nullptr, o, ws);
  ws.score.resize(n);
  // Cosine: one scoring pass (the same kernel as ranking, on the encoded factors) over the norms
  // computed once (ItemNorms); no dequantized copy of the table.
  bundle_.item_factors.Score(q.data(), nullptr, ws.score.data());
  float* sim = ws.score.data();
  for (int32_t i = 0; i < n; ++i) {
    const float norm = norms[i];
    sim[i] = !ws.eligible[i] || i == item.value() ? -INFINITY : (norm > 0 && qn > 0) ? sim[i] / (norm * qn) : 0.f;
  }
  std::vector<Recommendation> out;
  for (const ScoredItem& t : TopK(sim, n, o.k)) {
    Recommendation r;
    r.item = t.item;
    r.score = r.personal = t.score;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace pathlight
