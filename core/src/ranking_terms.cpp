// The ranking terms table: each knowledge-graph term of the ranking score is one row here — its
// name, the request option of its weight, its product weight, its per-item feature f_t(i) in
// [0, 1] (one item, and the same floats for every item in one batched pass) and the reasons it
// gives. Request parsing, the .d.ts, docs/API.md and docs/HYPERPARAMETERS.md are checked against
// this table (tests/api_contract_test.cpp, tests/node/contract.test.mjs).
#include <algorithm>
#include <cassert>
#include <cstring>
#include <optional>

#include "pathlight/ranking.h"

namespace pathlight {
namespace {

const std::vector<uint8_t>& Known(const RankInput& in) { return in.context.learner->known_concepts(); }

// ---- readiness: the share of the item's required concepts the learner knows -----------------

float ReadinessFeature(const RankInput& in, ItemIndex i) { return Readiness(in, i); }

void ReadinessAdd(const RankInput& in, float w, Workspace& ws, float* score) {
  const IndexLists& req = in.graph.requires();
  const int32_t n = in.catalog.num_items();
  const std::vector<uint8_t>& known = Known(in);
  float* count = ws.count_a.data();
  for (int32_t i = 0; i < n; ++i) count[i] = req.size(i) == 0 ? 1.f : 0.f;
  for (int32_t c = 0; c < in.catalog.num_concepts(); ++c)
    if (known[c])
      for (const int32_t* i = in.graph.required_by().first(c); i != in.graph.required_by().last(c); ++i) count[*i] += 1.f;
  const int32_t* begin = req.begin.data();
  for (int32_t i = 0; i < n; ++i)
    score[i] += w * (count[i] / static_cast<float>(std::max(1, begin[i + 1] - begin[i])));
}

void ReadinessReasons(const RankInput& in, ItemIndex i, std::vector<Reason>* out) {
  const IndexLists& req = in.graph.requires();
  if (req.size(i.value()) == 0) return;
  const std::vector<uint8_t>& known = Known(in);
  int said = 0;
  bool all = true;
  std::vector<int32_t> named;
  for (const int32_t* c = req.first(i.value()); c != req.last(i.value()); ++c) {
    if (!known[*c]) {
      all = false;
      continue;
    }
    if (said < 2 && std::find(named.begin(), named.end(), *c) == named.end()) {
      Reason r;
      r.kind = Reason::Kind::kYouKnow;
      r.concept = ConceptIndex(*c);
      out->push_back(r);
      named.push_back(*c);
      ++said;
    }
  }
  if (all) out->push_back(Reason{Reason::Kind::kReady});
}

// ---- goal: the item teaches a step toward one of the learner's open goals -------------------

float GoalFeature(const RankInput& in, ItemIndex i) { return GoalRelevance(in, i); }

void GoalAdd(const RankInput& in, float w, Workspace& ws, float* score) {
  const int32_t n = in.catalog.num_items();
  float* relevance = ws.count_a.data();
  std::fill(relevance, relevance + n, 0.f);
  const std::vector<float>& rel = in.context.goal_relevance;
  for (int32_t c = 0; c < in.catalog.num_concepts(); ++c)
    if (rel[c] > 0.f)
      for (const int32_t* i = in.graph.taught_by().first(c); i != in.graph.taught_by().last(c); ++i)
        relevance[*i] = std::max(relevance[*i], rel[c]);
  for (int32_t i = 0; i < n; ++i) score[i] += w * relevance[i];
}

void GoalReasons(const RankInput& in, ItemIndex i, std::vector<Reason>* out) {
  const LearnerContext& ctx = in.context;
  const std::vector<uint8_t>& known = Known(in);
  const IndexLists& teaches = in.graph.teaches();
  for (size_t g = 0; g < ctx.open_goals.size(); ++g) {
    const ConceptIndex goal = ctx.open_goals[g];
    Reason steps;
    steps.kind = Reason::Kind::kPrerequisiteForGoal;
    steps.goal = goal;
    bool teaches_goal = false;
    for (const int32_t* c = teaches.first(i.value()); c != teaches.last(i.value()); ++c) {
      if (*c == goal.value()) teaches_goal = true;
      else if (!known[*c] && ctx.closures[g][*c] &&
               std::find(steps.concepts.begin(), steps.concepts.end(), ConceptIndex(*c)) == steps.concepts.end())
        steps.concepts.push_back(ConceptIndex(*c));
    }
    if (teaches_goal) {
      Reason r;
      r.kind = Reason::Kind::kTeachesGoal;
      r.goal = goal;
      out->push_back(r);
    }
    if (!steps.concepts.empty()) out->push_back(std::move(steps));
  }
}

// ---- known: the share of the item's taught concepts the learner already knows (a penalty) ---

float KnownFeature(const RankInput& in, ItemIndex i) {
  const IndexLists& teaches = in.graph.teaches();
  if (teaches.size(i.value()) == 0) return 0.f;
  int known = 0;
  for (const int32_t* c = teaches.first(i.value()); c != teaches.last(i.value()); ++c) known += Known(in)[*c];
  return static_cast<float>(known) / static_cast<float>(teaches.size(i.value()));
}

void KnownAdd(const RankInput& in, float w, Workspace& ws, float* score) {
  const int32_t n = in.catalog.num_items();
  const std::vector<uint8_t>& known = Known(in);
  float* count = ws.count_a.data();
  std::fill(count, count + n, 0.f);
  for (int32_t c = 0; c < in.catalog.num_concepts(); ++c)
    if (known[c])
      for (const int32_t* i = in.graph.taught_by().first(c); i != in.graph.taught_by().last(c); ++i) count[*i] += 1.f;
  const int32_t* begin = in.graph.teaches().begin.data();
  for (int32_t i = 0; i < n; ++i)
    score[i] -= w * (count[i] / static_cast<float>(std::max(1, begin[i + 1] - begin[i])));
}

// ---- level fit: the item is made for the level the learner stated -------------------------

// 1 when the item's level is the learner's stated level, 0.5 for an all-levels item, 0 otherwise
// or when no level is stated. Mentors have no level of their own (all levels): 0.5.
float LevelFit(const std::optional<Level>& stated, Level item) {
  if (!stated) return 0.f;
  return item == *stated ? 1.f : item == Level::kAll ? 0.5f : 0.f;
}

float LevelFeature(const RankInput& in, ItemIndex i) {
  return LevelFit(in.context.learner->profile().level, in.graph.item_levels()[i.value()]);
}

void LevelAdd(const RankInput& in, float w, Workspace&, float* score) {
  const std::optional<Level>& stated = in.context.learner->profile().level;
  if (!stated) return;
  const Level* levels = in.graph.item_levels().data();
  for (int32_t i = 0; i < in.catalog.num_items(); ++i) score[i] += w * LevelFit(stated, levels[i]);
}

void LevelReasons(const RankInput& in, ItemIndex i, std::vector<Reason>* out) {
  if (LevelFeature(in, i) < 1.f) return;  // said only when the item is made for the stated level
  Reason r(Reason::Kind::kTerm);
  r.term_kind = "level_fit";
  r.level = in.graph.item_levels()[i.value()];
  out->push_back(r);
}

}  // namespace

const std::vector<RankingTerm>& RankingTerms() {
  static const std::vector<RankingTerm> kTerms = {
      {"readiness", "readinessWeight", 0.3f,
       "share of the item's required concepts the learner knows (1 when it requires nothing); raises ready items",
       ReadinessFeature, ReadinessAdd, ReadinessReasons, nullptr},
      {"goal", "goalWeight", 0.3f,
       "1 when the item teaches a next step toward an open goal, 0.5 a later step or the goal itself, 0 off the path; "
       "raises items on the learner's path",
       GoalFeature, GoalAdd, GoalReasons, nullptr},
      {"known", "knownPenalty", 0.3f,
       "share of the item's taught concepts the learner already knows (0 when it teaches nothing); lowers them",
       KnownFeature, KnownAdd, nullptr, nullptr},
      {"level", "levelWeight", 0.15f,
       "1 when the item's level is the learner's stated level, 0.5 for an all-levels item, 0 for another level "
       "or when no level is stated; raises items made for the learner",
       LevelFeature, LevelAdd, LevelReasons, "level_fit"},
  };
  return kTerms;
}

int RankingTermIndex(std::string_view name) {
  const auto& terms = RankingTerms();
  for (size_t t = 0; t < terms.size(); ++t)
    if (name == terms[t].name) return static_cast<int>(t);
  return -1;
}

float RankOptions::weight(std::string_view term) const {
  const int t = RankingTermIndex(term);
  assert(t >= 0);
  return t < static_cast<int>(term_weights.size()) ? term_weights[t] : 0.f;
}

void RankOptions::set_weight(std::string_view term, float w) {
  const int t = RankingTermIndex(term);
  assert(t >= 0);
  if (static_cast<int>(term_weights.size()) <= t) term_weights.resize(RankingTerms().size(), 0.f);
  term_weights[t] = w;
}

float Readiness(const RankInput& in, ItemIndex i) {
  const IndexLists& req = in.graph.requires();
  if (req.size(i.value()) == 0) return 1.f;
  int known = 0;
  for (const int32_t* c = req.first(i.value()); c != req.last(i.value()); ++c) known += Known(in)[*c];
  return static_cast<float>(known) / static_cast<float>(req.size(i.value()));
}

float GoalRelevance(const RankInput& in, ItemIndex i) {
  float rel = 0.f;
  const IndexLists& teaches = in.graph.teaches();
  for (const int32_t* c = teaches.first(i.value()); c != teaches.last(i.value()); ++c)
    rel = std::max(rel, in.context.goal_relevance[*c]);
  return rel;
}

}  // namespace pathlight
