#include "pathlight/trainer/kg_eval.h"

#include <algorithm>
#include <map>
#include <set>

#include "pathlight/metrics.h"
#include "pathlight/recommender.h"

namespace pathlight::trainer {
namespace {

using nlohmann::json;

// One ranking configuration, run for every learner; `goal_learner` = the learner states a goal.
struct Variant {
  RankOptions options;
  bool goal_learner = false;
  bool strict_known = false;
  RankingAccumulator acc;
  double ready = 0, goal = 0, distinct = 0;
  Variant(RankOptions o, bool g, bool strict = false)
      : options(std::move(o)), goal_learner(g), strict_known(strict), acc(options.k) {}
};

}  // namespace

json EvaluateKnowledgeGraph(const Dataset& ds, const Bundle& bundle, const SparseRows& train, const KgEvalOptions& o) {
  LearnerOptions lo;
  lo.known_weight = 0;  // known concepts mark readiness only; the fold-in sees exactly the trained weights
  const Recommender rec(bundle, lo);
  // "Readiness on" as the measure defines it: prerequisites among the concepts the learner's own
  // items teach (no closure), as a hard filter plus the score bonus.
  LearnerOptions strict = lo;
  strict.known_closure = false;
  const Recommender rec_strict(bundle, strict);
  const Catalog& cat = rec.catalog();
  json out;

  // 1. Learning paths to every concept: topological order must respect every prerequisite edge.
  int64_t violations = 0;
  const LearnerState nobody = rec.Learner(Profile(), 0);
  for (int32_t g = 0; g < cat.num_concepts(); ++g) {
    const LearningPath path = rec.Path(nobody, {ConceptIndex(g)}, RankOptions());
    std::map<int32_t, size_t> position;
    for (size_t j = 0; j < path.steps.size(); ++j) position[path.steps[j].concept.value()] = j;
    for (const PathStep& st : path.steps)
      for (ConceptIndex p : cat.concept_at(st.concept).prerequisites) {
        auto it = position.find(p.value());
        if (it == position.end() || it->second > position[st.concept.value()]) ++violations;
      }
  }
  out["prerequisite_violations"] = violations;
  out["paths_checked"] = cat.num_concepts();

  // 2. Per-learner rankings under each variant.
  RankOptions pure;
  pure.k = o.k;
  RankOptions ready = pure, goal = pure, mmr = pure;
  ready.set_weight("readiness", o.readiness_weight);
  ready.min_readiness = 1.f;
  goal.set_weight("goal", o.goal_weight);
  mmr.mmr_lambda = o.mmr_lambda;
  enum { kPure, kReady, kGoal, kPureGoalLearner, kMmr };
  std::vector<Variant> variants = {Variant(pure, false), Variant(ready, false, true), Variant(goal, true),
                                   Variant(pure, true), Variant(mmr, false)};

  std::vector<std::vector<int32_t>> relevant(ds.num_users());
  for (const Interaction& e : ds.test) relevant[e.user].push_back(e.item);
  int64_t learners = 0;
  for (int32_t u = 0; u < ds.num_users(); ++u) {
    if (relevant[u].empty()) continue;
    if (o.max_learners > 0 && learners >= o.max_learners) break;
    ++learners;
    Profile p;
    std::set<int32_t> attempted;  // concepts taught by the learner's training items
    std::map<int32_t, int> taught;
    for (SparseRows::InnerIterator it(train, u); it; ++it) {
      Event e;
      e.type = EventType::kCompacted;
      e.item = cat.item(ItemIndex(static_cast<int32_t>(it.col()))).id;
      e.weight = it.value();
      e.preference = 1;
      e.enrolled = true;  // taken: excluded from the lists like a consumed item
      p.events.push_back(std::move(e));
      for (ConceptIndex c : cat.item(ItemIndex(static_cast<int32_t>(it.col()))).teaches) {
        attempted.insert(c.value());
        ++taught[c.value()];
      }
    }
    for (int32_t c : attempted) p.known.push_back(cat.concept_at(ConceptIndex(c)).id);
    const LearnerState plain = rec.Learner(p, 0);
    const LearnerState plain_strict = rec_strict.Learner(p, 0);
    int32_t goal_concept = -1;
    for (auto& [c, n] : taught)
      if (goal_concept < 0 || n > taught[goal_concept]) goal_concept = c;
    // The goal-stating learner keeps going in the topic they study most: goal = that concept, and
    // they do not claim to know it yet (so the path and goal relevance have something to do).
    Profile with_goal = p;
    with_goal.known.clear();
    if (goal_concept >= 0) with_goal.goals = {cat.concept_at(ConceptIndex(goal_concept)).id};
    const LearnerState goal_state = rec.Learner(with_goal, 0);
    for (Variant& v : variants) {
      const auto list = v.strict_known ? rec_strict.Rank(plain_strict, v.options)
                                       : rec.Rank(v.goal_learner ? goal_state : plain, v.options);
      std::vector<int32_t> ranked;
      std::set<int32_t> concepts;
      double ready_n = 0, goal_n = 0;
      for (const Recommendation& r : list) {
        ranked.push_back(r.item.value());
        const Item& item = cat.item(r.item);
        bool all = true;
        for (ConceptIndex c : item.requires_concepts) all = all && attempted.count(c.value());
        ready_n += all;
        bool teaches_goal = false;
        for (ConceptIndex c : item.teaches) {
          concepts.insert(c.value());
          teaches_goal = teaches_goal || c.value() == goal_concept;
        }
        goal_n += teaches_goal;
      }
      v.acc.Add(ranked, relevant[u]);
      const double len = std::max<size_t>(1, list.size());  // a hard filter may leave fewer than K
      v.ready += ready_n / len;
      v.goal += goal_n / len;
      v.distinct += static_cast<double>(concepts.size());
    }
  }
  const double n = std::max<int64_t>(1, learners);
  auto ndcg = [&](size_t v) { return variants[v].acc.Result().ndcg; };
  out["learners"] = learners;
  out["ready_share_at_10"] = variants[kReady].ready / n;
  out["ready_share_at_10_without"] = variants[kPure].ready / n;
  out["ndcg_at_10_with_readiness"] = ndcg(kReady);
  out["ndcg_at_10_without"] = ndcg(kPure);
  out["goal_share_at_10"] = variants[kGoal].goal / n;
  out["goal_share_at_10_without"] = variants[kPureGoalLearner].goal / n;
  out["ndcg_at_10_with_goal"] = ndcg(kGoal);
  out["ndcg_at_10_goal_learner_without"] = ndcg(kPureGoalLearner);
  out["distinct_concepts_at_10"] = variants[kMmr].distinct / n;
  out["distinct_concepts_at_10_without"] = variants[kPure].distinct / n;
  out["ndcg_at_10_with_mmr"] = ndcg(kMmr);
  out["options"] = {{"k", o.k}, {"readiness_weight", o.readiness_weight}, {"goal_weight", o.goal_weight},
                    {"mmr_lambda", o.mmr_lambda}};
  return out;
}

}  // namespace pathlight::trainer
