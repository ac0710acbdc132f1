#include "pathlight/knowledge_graph.h"

#include <algorithm>
#include <numeric>

namespace pathlight {

IndexLists IndexLists::Inverse(int32_t n_values) const {
  IndexLists inv;
  inv.begin.assign(n_values + 1, 0);
  for (int32_t v : values) ++inv.begin[v + 1];
  std::partial_sum(inv.begin.begin(), inv.begin.end(), inv.begin.begin());
  inv.values.resize(values.size());
  std::vector<int32_t> next(inv.begin.begin(), inv.begin.end() - 1);
  for (int32_t j = 0; j + 1 < static_cast<int32_t>(begin.size()); ++j)
    for (const int32_t* v = first(j); v != last(j); ++v) inv.values[next[*v]++] = j;
  return inv;
}

KnowledgeGraph::KnowledgeGraph(const Catalog& cat) : catalog_(cat) {
  // Sized exactly up front: at 100,000 items, growth by doubling would leave megabytes of spare
  // capacity in a WebAssembly heap that never shrinks.
  size_t n_teaches = 0, n_requires = 0;
  for (const Item& it : cat.items()) {
    n_teaches += it.teaches.size();
    n_requires += it.requires_concepts.size();
  }
  teaches_.begin.reserve(cat.num_items() + 1);
  requires_.begin.reserve(cat.num_items() + 1);
  teaches_.values.reserve(n_teaches);
  requires_.values.reserve(n_requires);
  kinds_.reserve(cat.num_items());
  levels_.reserve(cat.num_items());
  for (const Item& it : cat.items()) {
    kinds_.push_back(it.kind);
    levels_.push_back(it.level);
    teaches_.begin.push_back(static_cast<int32_t>(teaches_.values.size()));
    for (ConceptIndex c : it.teaches) teaches_.values.push_back(c.value());
    requires_.begin.push_back(static_cast<int32_t>(requires_.values.size()));
    for (ConceptIndex c : it.requires_concepts) requires_.values.push_back(c.value());
  }
  teaches_.begin.push_back(static_cast<int32_t>(teaches_.values.size()));
  requires_.begin.push_back(static_cast<int32_t>(requires_.values.size()));
  taught_by_ = teaches_.Inverse(cat.num_concepts());
  required_by_ = requires_.Inverse(cat.num_concepts());
  IndexLists prerequisites;  // concept → its direct prerequisites
  prerequisites.begin.reserve(cat.num_concepts() + 1);
  for (const Concept& c : cat.concepts()) {
    prerequisites.begin.push_back(static_cast<int32_t>(prerequisites.values.size()));
    for (ConceptIndex p : c.prerequisites) prerequisites.values.push_back(p.value());
  }
  prerequisites.begin.push_back(static_cast<int32_t>(prerequisites.values.size()));
  dependants_ = prerequisites.Inverse(cat.num_concepts());
  depth_.assign(cat.num_concepts(), 0);
  for (ConceptIndex c : cat.topological_order())
    for (ConceptIndex p : cat.concept_at(c).prerequisites)
      depth_[c.value()] = std::max(depth_[c.value()], depth_[p.value()] + 1);
}

std::vector<uint8_t> KnowledgeGraph::ClosureFlags(const std::vector<ConceptIndex>& targets, bool include_targets) const {
  std::vector<uint8_t> flags(catalog_.num_concepts(), 0);
  std::vector<int32_t> stack;
  for (ConceptIndex t : targets) {
    if (include_targets) flags[t.value()] = 1;
    for (ConceptIndex p : catalog_.concept_at(t).prerequisites) stack.push_back(p.value());
  }
  while (!stack.empty()) {
    const int32_t c = stack.back();
    stack.pop_back();
    if (flags[c]) continue;  // a target's prerequisites were pushed when it was flagged
    flags[c] = 1;
    for (ConceptIndex p : catalog_.concept_at(ConceptIndex(c)).prerequisites) stack.push_back(p.value());
  }
  return flags;
}

}  // namespace pathlight
