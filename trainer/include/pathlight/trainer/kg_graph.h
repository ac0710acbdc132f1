// Concept-graph utilities shared by `pathlight kg mine | clean | stats` and the importers: every
// elementary cycle of a prerequisite graph, breaking cycles at their weakest edge, reading and
// writing the generic `edges.csv` (docs/csv-schema.md) with its evidence columns.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/bundle.h"
#include "pathlight/status.h"

namespace pathlight::trainer {

/// A prerequisite edge between concept indices: `from` must be known before `to`.
struct GraphEdge {
  int32_t from = 0, to = 0;
};

/// Elementary cycles (no repeated node) of the directed graph on nodes 0..num_nodes−1, each as the
/// indices into `edges` of its edges in order around the cycle, starting at its smallest node
/// (Johnson 1979, "Finding all the elementary circuits of a directed graph"). A self edge is a
/// cycle of one edge. Parallel edges must have been merged. Stops after `limit` cycles and sets
/// `truncated` (the number of elementary cycles can grow exponentially with the edges).
struct CycleList {
  std::vector<std::vector<int32_t>> cycles;
  bool truncated = false;
};
CycleList ElementaryCycles(int32_t num_nodes, const std::vector<GraphEdge>& edges, size_t limit);

/// Makes the graph acyclic by removing edges: while a cycle is left, it finds one (depth-first)
/// and removes the weakest edge on it. `weaker(a, b)` is true when edge a is weaker than edge b (a
/// strict order; ties must be broken by the caller). `removed` (size edges.size(), false on entry
/// for edges that take part) marks the removed edges; edges already marked are ignored. Returns, for
/// every removal in order, the cycle it broke (edge indices) and the removed edge.
struct BrokenCycle {
  std::vector<int32_t> cycle;
  int32_t removed = -1;
};
std::vector<BrokenCycle> BreakCyclesAtWeakestEdge(int32_t num_nodes, const std::vector<GraphEdge>& edges,
                                                  const std::function<bool(int32_t, int32_t)>& weaker,
                                                  std::vector<bool>* removed);

/// Longest chain of prerequisites ending at each concept (0 for a concept without prerequisites),
/// on a DAG given as edges. Behaviour on a graph with cycles: nodes on or behind a cycle get −1.
std::vector<int32_t> PrerequisiteDepths(int32_t num_nodes, const std::vector<GraphEdge>& edges);

/// The columns of edges.csv, in the order `kg mine` writes them. `prerequisite` and `concept` are
/// required; the others are the miner's evidence, optional when reading (train ignores them).
extern const std::vector<std::string> kEdgeCsvColumns;

/// One row of edges.csv as read: the two concept indices and the line it came from; `fields` holds
/// the evidence columns by name (only those present in the file).
struct EdgeRow {
  int32_t prerequisite = 0, concept = 0;
  unsigned line = 0;
  std::unordered_map<std::string, std::string> fields;
};

/// What ReadEdgesCsv found: the edges (duplicates merged, self edges dropped), and what it did.
struct EdgeFile {
  std::vector<EdgeRow> edges;
  std::vector<std::string> notes;      // one sentence per duplicate / self edge, naming the lines
  int64_t duplicates_merged = 0, self_edges_dropped = 0;
};

/// Reads an edges.csv. Header: `prerequisite`, `concept` and any of the evidence columns
/// (kEdgeCsvColumns); another column is a parse_error naming it. Ids are looked up in `concept_of`
/// (parse_error naming file, line, column and id). Documented treatments: a repeated
/// (prerequisite, concept) pair is merged into its first line (the first row's evidence is kept;
/// every later line is listed in `notes`); a self edge (a concept its own prerequisite) is dropped
/// and listed. If the rest has a cycle the result is prerequisite_cycle, and the message lists every
/// elementary cycle (up to 100, then how many more were found up to 10,000) as
/// "a → b (line 3) → c (line 7) → a (line 2)". `concept_names` (indexed like the concepts) name them.
StatusOr<EdgeFile> ReadEdgesCsv(const std::string& path, const std::unordered_map<std::string, int32_t>& concept_of,
                                const std::vector<std::string>& concept_names);

/// Writes a cycle as "a → b (line 3) → c (line 7) → a (line 2)": each edge's `labels[e]` (may be
/// empty) after the node it enters. Nodes are named by `names`.
std::string DescribeCycle(const std::vector<int32_t>& cycle, const std::vector<GraphEdge>& edges,
                          const std::vector<std::string>& names, const std::vector<std::string>& labels);

/// `pathlight kg stats`: the knowledge graph of a bundle as the learner meets it.
/// - `concepts`, `edges` (prerequisite edges), `cycles` (elementary cycles; 0 for a valid bundle);
/// - `share_with_edges`: of the concepts some item teaches, the share with at least one
///   prerequisite or dependant;
/// - `max_depth`: the longest prerequisite chain, in edges (a concept without prerequisites: 0);
/// - `median_path_steps`: over all concepts, the median number of steps of the engine's learning
///   path (Recommender::Path) to that concept for a learner who knows nothing (1 = the concept alone);
/// - `concepts_taught`, `concepts_taught_with_edges`, `paths_with_several_steps`, `max_path_steps`.
nlohmann::json KnowledgeGraphStats(Bundle bundle);

/// Quotes a CSV field when it holds a comma, quote or line break (quotes doubled).
std::string CsvField(const std::string& s);

}  // namespace pathlight::trainer
