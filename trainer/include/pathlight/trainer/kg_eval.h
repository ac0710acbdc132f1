// Knowledge-graph evaluation: what the ranking's graph terms buy and cost on real data.
#pragma once

#include <nlohmann/json.hpp>

#include "pathlight/bundle.h"
#include "pathlight/interactions.h"
#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {

struct KgEvalOptions {
  int k = 10;
  float readiness_weight = 1.f;  // "readiness on" (a score bonus of up to one predicted preference)
  float goal_weight = 0.3f;      // "goal relevance on"
  float mmr_lambda = 0.7f;       // "MMR on"
  int max_learners = 0;          // 0 = every learner with test events
};

/// Runs the on-device ranking (Recommender::Rank) for every learner with test events, each folded
/// in from their training interactions (weights as trained), and reports at K:
/// - `prerequisite_violations`: over learning paths to every concept as the goal (for a learner who
///   knows nothing), the number of prerequisite edges (p → c) with c before p; `paths_checked`;
/// - `ready_share_at_10` / `ready_share_at_10_without`: mean share of top-K items whose required
///   concepts are all among the concepts the learner's training items teach, readiness on / off,
///   with `ndcg_at_10_with_readiness` / `ndcg_at_10_without`. "On" = known concepts without the
///   closure (exactly what the learner's items teach), min_readiness 1 and the readiness bonus;
/// - `goal_share_at_10` / `goal_share_at_10_without`: for a learner who states a goal (the concept
///   most taught by their training items, not claimed as known), the share of top-K items teaching
///   it with goal relevance on / off, with `ndcg_at_10_with_goal` / `ndcg_at_10_goal_learner_without`;
/// - `distinct_concepts_at_10` / `distinct_concepts_at_10_without`: concepts taught by the top-K,
///   MMR on / off, with `ndcg_at_10_with_mmr`.
nlohmann::json EvaluateKnowledgeGraph(const Dataset& ds, const Bundle& bundle, const SparseRows& train,
                                      const KgEvalOptions& options);

}  // namespace pathlight::trainer
