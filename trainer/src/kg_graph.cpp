#include "pathlight/trainer/kg_graph.h"

#include <algorithm>
#include <map>

#include "csv.h"
#include "import_util.h"

namespace pathlight::trainer {
namespace {

// Strongly connected components (Tarjan, iterative) of the subgraph on nodes ≥ `first` whose
// edges are `active`; returns the component id of every node (−1 below `first`).
std::vector<int32_t> Components(int32_t n, int32_t first, const std::vector<std::vector<std::pair<int32_t, int32_t>>>& out) {
  std::vector<int32_t> index(n, -1), low(n, 0), comp(n, -1), stack;
  std::vector<bool> on_stack(n, false);
  int32_t counter = 0, comps = 0;
  struct Frame {
    int32_t v;
    size_t next;
  };
  for (int32_t root = first; root < n; ++root) {
    if (index[root] >= 0) continue;
    std::vector<Frame> call = {{root, 0}};
    index[root] = low[root] = counter++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!call.empty()) {
      Frame& f = call.back();
      if (f.next < out[f.v].size()) {
        const int32_t w = out[f.v][f.next++].first;
        if (w < first) continue;
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = true;
          call.push_back({w, 0});
        } else if (on_stack[w]) {
          low[f.v] = std::min(low[f.v], index[w]);
        }
        continue;
      }
      const int32_t v = f.v;
      call.pop_back();
      if (!call.empty()) low[call.back().v] = std::min(low[call.back().v], low[v]);
      if (low[v] == index[v]) {
        int32_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          comp[w] = comps;
        } while (w != v);
        ++comps;
      }
    }
  }
  return comp;
}

}  // namespace

CycleList ElementaryCycles(int32_t n, const std::vector<GraphEdge>& edges, size_t limit) {
  CycleList result;
  std::vector<std::vector<std::pair<int32_t, int32_t>>> out(n);  // (to, edge index)
  for (size_t e = 0; e < edges.size(); ++e) out[edges[e].from].push_back({edges[e].to, static_cast<int32_t>(e)});
  for (auto& o : out) std::sort(o.begin(), o.end());
  // Johnson: for each start s (in increasing order), the circuits through s that use only nodes
  // ≥ s inside s's strongly connected component, found by a blocked depth-first search.
  std::vector<bool> blocked(n, false);
  std::vector<std::vector<int32_t>> blocked_by(n);
  std::vector<int32_t> path_edges;
  // Only nodes of a non-trivial component of the whole graph (or with a self edge) lie on a cycle.
  const std::vector<int32_t> whole = Components(n, 0, out);
  std::vector<int32_t> size(n, 0);
  for (int32_t v = 0; v < n; ++v) ++size[whole[v]];
  for (int32_t s = 0; s < n && !result.truncated; ++s) {
    bool self = false;
    for (auto [w, e] : out[s]) self = self || w == s;
    if (size[whole[s]] < 2 && !self) continue;
    const std::vector<int32_t> comp = Components(n, s, out);
    bool has_cycle = false;
    for (auto [w, e] : out[s]) has_cycle = has_cycle || (w >= s && comp[w] == comp[s]);
    if (!has_cycle) continue;
    auto in_scope = [&](int32_t w) { return w >= s && comp[w] == comp[s]; };
    for (int32_t v = s; v < n; ++v)
      if (in_scope(v)) {
        blocked[v] = false;
        blocked_by[v].clear();
      }
    auto unblock = [&](int32_t u) {
      std::vector<int32_t> todo = {u};
      while (!todo.empty()) {
        const int32_t x = todo.back();
        todo.pop_back();
        if (!blocked[x]) continue;
        blocked[x] = false;
        for (int32_t y : blocked_by[x]) todo.push_back(y);
        blocked_by[x].clear();
      }
    };
    // Iterative CIRCUIT(v): frame = node, next out-edge to try, whether a circuit was found below.
    struct Frame {
      int32_t v;
      size_t next;
      bool found;
    };
    std::vector<Frame> call = {{s, 0, false}};
    blocked[s] = true;
    while (!call.empty()) {
      Frame& f = call.back();
      if (result.cycles.size() >= limit) {
        result.truncated = true;
        break;
      }
      if (f.next < out[f.v].size()) {
        auto [w, e] = out[f.v][f.next++];
        if (!in_scope(w)) continue;
        if (w == s) {
          path_edges.push_back(e);
          result.cycles.push_back(path_edges);
          path_edges.pop_back();
          f.found = true;
        } else if (!blocked[w]) {
          path_edges.push_back(e);
          blocked[w] = true;
          call.push_back({w, 0, false});
        }
        continue;
      }
      const Frame done = f;
      call.pop_back();
      if (done.found) {
        unblock(done.v);
      } else {
        for (auto [w, e] : out[done.v])
          if (in_scope(w) && std::find(blocked_by[w].begin(), blocked_by[w].end(), done.v) == blocked_by[w].end())
            blocked_by[w].push_back(done.v);
      }
      if (!call.empty()) {
        path_edges.pop_back();
        call.back().found = call.back().found || done.found;
      }
    }
    path_edges.clear();
  }
  return result;
}

std::vector<BrokenCycle> BreakCyclesAtWeakestEdge(int32_t n, const std::vector<GraphEdge>& edges,
                                                  const std::function<bool(int32_t, int32_t)>& weaker,
                                                  std::vector<bool>* removed) {
  std::vector<BrokenCycle> broken;
  std::vector<std::vector<int32_t>> out(n);
  for (size_t e = 0; e < edges.size(); ++e) out[edges[e].from].push_back(static_cast<int32_t>(e));
  for (;;) {
    // Depth-first search for a back edge; the grey path plus it is a cycle.
    std::vector<uint8_t> color(n, 0);  // 0 white, 1 on the path, 2 done
    std::vector<int32_t> cycle;
    for (int32_t root = 0; root < n && cycle.empty(); ++root) {
      if (color[root]) continue;
      struct Frame {
        int32_t v;
        size_t next;
        int32_t via;  // edge that entered v
      };
      std::vector<Frame> call = {{root, 0, -1}};
      color[root] = 1;
      while (!call.empty() && cycle.empty()) {
        Frame& f = call.back();
        if (f.next < out[f.v].size()) {
          const int32_t e = out[f.v][f.next++];
          if ((*removed)[e]) continue;
          const int32_t w = edges[e].to;
          if (color[w] == 1) {
            // The cycle: edges on the call path from w's frame onwards, then e.
            size_t at = call.size();
            while (at > 0 && call[at - 1].v != w) --at;
            for (size_t j = at; j < call.size(); ++j) cycle.push_back(call[j].via);
            cycle.push_back(e);
          } else if (color[w] == 0) {
            color[w] = 1;
            call.push_back({w, 0, e});
          }
          continue;
        }
        color[f.v] = 2;
        call.pop_back();
      }
    }
    if (cycle.empty()) return broken;
    int32_t weakest = cycle.front();
    for (int32_t e : cycle)
      if (weaker(e, weakest)) weakest = e;
    (*removed)[weakest] = true;
    broken.push_back({std::move(cycle), weakest});
  }
}

std::vector<int32_t> PrerequisiteDepths(int32_t n, const std::vector<GraphEdge>& edges) {
  std::vector<std::vector<int32_t>> out(n);
  std::vector<int32_t> indegree(n, 0), depth(n, 0);
  for (const GraphEdge& e : edges) {
    out[e.from].push_back(e.to);
    ++indegree[e.to];
  }
  std::vector<int32_t> ready;
  for (int32_t v = 0; v < n; ++v)
    if (indegree[v] == 0) ready.push_back(v);
  int32_t done = 0;
  while (!ready.empty()) {
    const int32_t v = ready.back();
    ready.pop_back();
    ++done;
    for (int32_t w : out[v]) {
      depth[w] = std::max(depth[w], depth[v] + 1);
      if (--indegree[w] == 0) ready.push_back(w);
    }
  }
  if (done < n)
    for (int32_t v = 0; v < n; ++v)
      if (indegree[v] > 0) depth[v] = -1;
  return depth;
}

const std::vector<std::string> kEdgeCsvColumns = {
    "prerequisite", "concept",      "source",        "score",       "support",    "before",
    "after",        "confidence",   "order_p",       "prerequisite_only", "concept_only", "inclusion_p",
    "cooccurrence", "association_p", "direction_p", "metacademy",  "so_link"};

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string DescribeCycle(const std::vector<int32_t>& cycle, const std::vector<GraphEdge>& edges,
                          const std::vector<std::string>& names, const std::vector<std::string>& labels) {
  if (cycle.empty()) return "";
  std::string text = names[edges[cycle.front()].from];
  for (int32_t e : cycle) {
    text += " → " + names[edges[e].to];
    if (e < static_cast<int32_t>(labels.size()) && !labels[e].empty()) text += " (" + labels[e] + ")";
  }
  return text;
}

StatusOr<EdgeFile> ReadEdgesCsv(const std::string& path, const std::unordered_map<std::string, int32_t>& concept_of,
                                const std::vector<std::string>& concept_names) {
  EdgeFile file;
  Status bad;
  constexpr int kColumns = 17;
  static_assert(kColumns > 2);
  std::map<std::pair<int32_t, int32_t>, unsigned> first_line;
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(path, [&] {
    CsvReader<kColumns> in(path);
    const std::vector<std::string>& c = kEdgeCsvColumns;
    in.read_header(io::ignore_missing_column, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11],
                   c[12], c[13], c[14], c[15], c[16]);
    for (const char* required : {"prerequisite", "concept"})
      if (!in.has_column(required)) {
        bad = Status(ErrorCode::kParseError, "file \"" + path + "\" line 1: header lacks required column \"" +
                                                 required + "\" (expected prerequisite,concept[,evidence columns])");
        return;
      }
    std::string f[kColumns];
    while (in.read_row(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14],
                       f[15], f[16])) {
      const unsigned line = in.get_file_line();
      auto p = concept_of.find(f[0]), t = concept_of.find(f[1]);
      if (p == concept_of.end() || t == concept_of.end()) {
        const bool first = p == concept_of.end();
        bad = FieldError(path, line, first ? "prerequisite" : "concept", "a concept id from concepts.csv (the catalog's concepts)",
                         first ? f[0] : f[1]);
        return;
      }
      if (p->second == t->second) {
        ++file.self_edges_dropped;
        file.notes.push_back(path + " line " + std::to_string(line) + ": self edge " + f[0] + " → " + f[1] +
                             " dropped (a concept cannot be its own prerequisite)");
        continue;
      }
      auto [it, inserted] = first_line.emplace(std::make_pair(p->second, t->second), line);
      if (!inserted) {
        ++file.duplicates_merged;
        file.notes.push_back(path + " line " + std::to_string(line) + ": edge " + f[0] + " → " + f[1] +
                             " repeats line " + std::to_string(it->second) + "; merged into it (its evidence kept)");
        continue;
      }
      EdgeRow row;
      row.prerequisite = p->second;
      row.concept = t->second;
      row.line = line;
      for (int k = 2; k < kColumns; ++k)
        if (in.has_column(c[k])) row.fields[c[k]] = f[k];
      file.edges.push_back(std::move(row));
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);
  std::vector<GraphEdge> graph;
  std::vector<std::string> labels;
  for (const EdgeRow& r : file.edges) {
    graph.push_back({r.prerequisite, r.concept});
    labels.push_back("line " + std::to_string(r.line));
  }
  constexpr size_t kListed = 100, kCounted = 10000;
  const CycleList cycles = ElementaryCycles(static_cast<int32_t>(concept_names.size()), graph, kCounted);
  if (!cycles.cycles.empty()) {
    std::string text = path + ": the prerequisite graph has " +
                       (cycles.truncated ? "at least " + std::to_string(kCounted) : std::to_string(cycles.cycles.size())) +
                       " cycle" + (cycles.cycles.size() == 1 ? "" : "s") + " (a prerequisite graph must be a DAG):";
    for (size_t i = 0; i < cycles.cycles.size() && i < kListed; ++i)
      text += "\n  " + DescribeCycle(cycles.cycles[i], graph, concept_names, labels);
    if (cycles.cycles.size() > kListed) text += "\n  … and " + std::to_string(cycles.cycles.size() - kListed) + " more";
    return Status(ErrorCode::kCycle, text);
  }
  return file;
}

}  // namespace pathlight::trainer
