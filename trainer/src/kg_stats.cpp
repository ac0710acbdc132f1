#include <algorithm>

#include "pathlight/recommender.h"
#include "pathlight/trainer/kg_graph.h"

namespace pathlight::trainer {

using nlohmann::json;

json KnowledgeGraphStats(Bundle bundle) {
  const Recommender rec(std::move(bundle));
  const Catalog& cat = rec.catalog();
  const int32_t n = cat.num_concepts();
  std::vector<GraphEdge> edges;
  std::vector<bool> linked(n, false), taught(n, false);
  for (int32_t c = 0; c < n; ++c)
    for (ConceptIndex p : cat.concept_at(ConceptIndex(c)).prerequisites) {
      edges.push_back({p.value(), c});
      linked[c] = linked[p.value()] = true;
    }
  for (const Item& item : cat.items())
    for (ConceptIndex c : item.teaches) taught[c.value()] = true;
  int32_t reached = 0, reached_with_edges = 0;
  for (int32_t c = 0; c < n; ++c) {
    reached += taught[c];
    reached_with_edges += taught[c] && linked[c];
  }
  const CycleList cycles = ElementaryCycles(n, edges, 10000);
  const std::vector<int32_t> depth = PrerequisiteDepths(n, edges);
  // Path steps as the engine lays them out for a learner who knows nothing.
  const LearnerState nobody = rec.Learner(Profile(), 0);
  std::vector<double> steps;
  for (int32_t c = 0; c < n; ++c) steps.push_back(static_cast<double>(rec.Path(nobody, {ConceptIndex(c)}, RankOptions()).steps.size()));
  std::sort(steps.begin(), steps.end());
  const double median = steps.empty() ? 0
                        : steps.size() % 2 ? steps[steps.size() / 2]
                                           : (steps[steps.size() / 2 - 1] + steps[steps.size() / 2]) / 2;
  const int64_t multi = std::count_if(steps.begin(), steps.end(), [](double s) { return s > 1; });
  json out = {{"concepts", n},
              {"edges", edges.size()},
              {"cycles", cycles.cycles.size()},
              {"share_with_edges", reached ? static_cast<double>(reached_with_edges) / reached : 0.0},
              {"max_depth", depth.empty() ? 0 : *std::max_element(depth.begin(), depth.end())},
              {"median_path_steps", median},
              {"concepts_taught", reached},
              {"concepts_taught_with_edges", reached_with_edges},
              {"paths_with_several_steps", multi},
              {"max_path_steps", steps.empty() ? 0.0 : steps.back()}};
  return out;
}

}  // namespace pathlight::trainer
