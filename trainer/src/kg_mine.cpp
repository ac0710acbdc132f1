#include "pathlight/trainer/kg_mine.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>
#include <unordered_map>

#include "csv.h"
#include "import_util.h"
#include "pathlight/trainer/significance.h"

namespace pathlight::trainer {
namespace {

uint64_t PairKey(int32_t a, int32_t b) { return (static_cast<uint64_t>(a) << 32) | static_cast<uint32_t>(b); }

// Running counts of one unordered pair a < b, oriented a → b.
struct PairCounts {
  int32_t support = 0, before = 0, after = 0;
  int32_t informative = 0;          // learners with an ordered outcome possible (x + y > 0)
  double null_mean = 0, null_var = 0;  // of D = before − after under shuffled sessions
  std::vector<SignedOutcome> outcomes;  // kept while informative ≤ exact_limit
};

// z for a one-sided p, kept finite so that Stouffer's sum stays defined.
double ZOf(double p) { return NormalUpperQuantile(std::clamp(p, 1e-300, 1 - 1e-16)); }

// Stouffer's combination of the available one-sided p-values (NaN = not available).
double Stouffer(double p1, double p2) {
  double z = 0;
  int n = 0;
  for (double p : {p1, p2})
    if (!std::isnan(p)) {
      z += ZOf(p);
      ++n;
    }
  return n == 0 ? 1.0 : NormalUpperTail(z / std::sqrt(static_cast<double>(n)));
}

int Popcount(uint64_t x) { return __builtin_popcountll(x); }

// Log-likelihood of the 0/1 variable `child` given the partition `cells` of the learners (one
// Bernoulli per cell, maximum-likelihood): Σ_cells n1·ln(n1/n) + n0·ln(n0/n).
double CellLogLikelihood(int64_t n, int64_t n1) {
  const int64_t n0 = n - n1;
  double ll = 0;
  if (n1 > 0) ll += static_cast<double>(n1) * std::log(static_cast<double>(n1) / static_cast<double>(n));
  if (n0 > 0) ll += static_cast<double>(n0) * std::log(static_cast<double>(n0) / static_cast<double>(n));
  return ll;
}

std::string FormatP(double p) {
  if (std::isnan(p)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", p);
  return buf;
}

std::string FormatReal(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

// Ties between mined edges are broken by indices so that cycle breaking is deterministic.
bool Weaker(const PairEvidence& a, const PairEvidence& b) {
  if (a.source != b.source) return static_cast<int>(a.source) < static_cast<int>(b.source);
  if (a.score != b.score) return a.score < b.score;
  if (a.prerequisite != b.prerequisite) return a.prerequisite > b.prerequisite;
  return a.concept > b.concept;
}

}  // namespace

const char* EdgeSourceName(EdgeSource source) {
  switch (source) {
    case EdgeSource::kLogs: return "logs";
    case EdgeSource::kMetacademy: return "metacademy";
    case EdgeSource::kImported: return "imported";
  }
  return "logs";
}

int32_t MinedGraph::kept() const {
  return static_cast<int32_t>(std::count_if(edges.begin(), edges.end(), [](const PairEvidence& e) { return !e.removed; }));
}

StudyLog BuildStudyLog(const Catalog& catalog, const std::vector<Interaction>& interactions, int32_t num_learners) {
  StudyLog log;
  for (const Concept& c : catalog.concepts()) log.concept_ids.push_back(c.id);
  log.learners.resize(num_learners);
  for (const Interaction& e : interactions)
    for (ConceptIndex c : catalog.item(ItemIndex(e.item)).teaches) log.learners[e.user].push_back({e.timestamp, c.value()});
  return log;
}

PairTable CollectPairEvidence(const StudyLog& log, const MineOptions& options) {
  const int32_t num_concepts = static_cast<int32_t>(log.concept_ids.size());
  PairTable table;
  table.concept_learners.assign(num_concepts, 0);
  std::unordered_map<uint64_t, PairCounts> counts;

  // Learners with at least one concept get a dense index for the "studied" bitsets.
  std::vector<int32_t> dense(log.learners.size(), -1);
  for (size_t u = 0; u < log.learners.size(); ++u)
    if (!log.learners[u].empty()) dense[u] = table.learners++;
  const size_t words = (static_cast<size_t>(table.learners) + 63) / 64;
  table.studied.assign(num_concepts, std::vector<uint64_t>(words, 0));

  std::vector<StudyEvent> events;
  std::vector<std::vector<int32_t>> sessions_of(num_concepts);  // per concept: sorted session indices
  for (size_t u = 0; u < log.learners.size(); ++u) {
    if (log.learners[u].empty()) continue;
    events = log.learners[u];
    std::sort(events.begin(), events.end(), [](const StudyEvent& a, const StudyEvent& b) {
      return a.time != b.time ? a.time < b.time : a.concept < b.concept;
    });
    const bool unknown_time = std::any_of(events.begin(), events.end(), [](const StudyEvent& e) { return e.time == 0; });
    std::vector<int32_t> concepts;
    int32_t session = 0;
    for (size_t i = 0; i < events.size(); ++i) {
      if (i > 0 && !unknown_time && events[i].time != events[i - 1].time) ++session;
      std::vector<int32_t>& s = sessions_of[events[i].concept];
      if (s.empty()) concepts.push_back(events[i].concept);
      if (s.empty() || s.back() != session) s.push_back(session);
    }
    std::sort(concepts.begin(), concepts.end());
    const int32_t d = dense[u];
    for (int32_t c : concepts) {
      ++table.concept_learners[c];
      table.studied[c][d / 64] |= uint64_t{1} << (d % 64);
    }
    table.has_order = table.has_order || (concepts.size() >= 2 && session > 0);
    for (size_t i = 0; i < concepts.size(); ++i)
      for (size_t j = i + 1; j < concepts.size(); ++j) {
        const std::vector<int32_t>& sa = sessions_of[concepts[i]];
        const std::vector<int32_t>& sb = sessions_of[concepts[j]];
        // Sessions with a only (x), b only (y), both (z); merge of two sorted lists.
        int32_t x = 0, y = 0, z = 0;
        size_t p = 0, q = 0;
        while (p < sa.size() || q < sb.size()) {
          if (q == sb.size() || (p < sa.size() && sa[p] < sb[q])) ++x, ++p;
          else if (p == sa.size() || sb[q] < sa[p]) ++y, ++q;
          else ++z, ++p, ++q;
        }
        PairCounts& pc = counts[PairKey(concepts[i], concepts[j])];
        ++pc.support;
        if (sa.front() < sb.front()) ++pc.before;
        else if (sb.front() < sa.front()) ++pc.after;
        if (x + y == 0) continue;  // every session holds both: the outcome is a tie, whatever the order
        const double total = x + y + z, plus = x / total, minus = y / total, mean = plus - minus;
        pc.null_mean += mean;
        pc.null_var += plus + minus - mean * mean;
        if (++pc.informative <= options.exact_limit) pc.outcomes.push_back({plus, minus});
        else if (!pc.outcomes.empty()) std::vector<SignedOutcome>().swap(pc.outcomes);  // the normal approximation takes over
      }
    for (int32_t c : concepts) sessions_of[c].clear();
  }
  for (int32_t c = 0; c < num_concepts; ++c) table.concepts_studied += table.concept_learners[c] > 0;

  // Both orientations of every pair, in a deterministic order (by a, then b).
  std::vector<std::pair<uint64_t, const PairCounts*>> keys;
  keys.reserve(counts.size());
  for (const auto& [k, pc] : counts) keys.push_back({k, &pc});
  std::sort(keys.begin(), keys.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
  table.pairs.reserve(2 * keys.size());
  for (const auto& [key, pcp] : keys) {
    const PairCounts& pc = *pcp;
    const int32_t a = static_cast<int32_t>(key >> 32), b = static_cast<int32_t>(key & 0xffffffffu);
    const int32_t na = table.concept_learners[a], nb = table.concept_learners[b];
    PairEvidence ab;
    ab.prerequisite = a;
    ab.concept = b;
    ab.support = pc.support;
    ab.before = pc.before;
    ab.after = pc.after;
    ab.prerequisite_only = na - pc.support;
    ab.concept_only = nb - pc.support;
    ab.prerequisite_learners = na;
    ab.concept_learners = nb;
    ab.cooccurrence = pc.support / std::sqrt(static_cast<double>(na) * nb);
    ab.association_p = HypergeometricUpperTail(table.learners, na, nb, pc.support);
    PairEvidence ba = ab;
    std::swap(ba.prerequisite, ba.concept);
    std::swap(ba.before, ba.after);
    std::swap(ba.prerequisite_only, ba.concept_only);
    std::swap(ba.prerequisite_learners, ba.concept_learners);
    // Order: D = before − after (a → b); its mirror for b → a.
    if (pc.informative > 0) {
      const int64_t observed = pc.before - pc.after;
      if (pc.informative <= options.exact_limit) {
        std::vector<SignedOutcome> mirror = pc.outcomes;
        for (SignedOutcome& o : mirror) std::swap(o.plus, o.minus);
        ab.order_p = SignedSumUpperTailExact(pc.outcomes, observed);
        ba.order_p = SignedSumUpperTailExact(mirror, -observed);
      } else {
        ab.order_p = SignedSumUpperTailNormal(pc.null_mean, pc.null_var, observed);
        ba.order_p = SignedSumUpperTailNormal(-pc.null_mean, pc.null_var, -observed);
      }
    }
    const int64_t discordant = ab.prerequisite_only + ab.concept_only;
    if (discordant > 0) {
      ab.inclusion_p = SignTestUpperTail(discordant, ab.prerequisite_only);
      ba.inclusion_p = SignTestUpperTail(discordant, ba.prerequisite_only);
    }
    for (PairEvidence* e : {&ab, &ba}) {
      e->confidence = static_cast<double>(e->support) / e->concept_learners;
      e->direction_p = Stouffer(e->order_p, e->inclusion_p);
      e->direction_share = (e->before + e->prerequisite_only + 1.0) /
                           (e->before + e->after + e->prerequisite_only + e->concept_only + 2.0);
      e->score = e->cooccurrence * (1 + e->direction_share) / 2;
    }
    table.pairs.push_back(ab);
    table.pairs.push_back(ba);
  }
  return table;
}

StatusOr<ExternalEvidence> LoadExternalEvidence(const std::string& shared, const std::vector<std::string>& names) {
  ExternalEvidence ext;
  std::unordered_map<std::string, std::vector<int32_t>> concepts_of_key;
  for (size_t c = 0; c < names.size(); ++c) concepts_of_key[NameKey(names[c])].push_back(static_cast<int32_t>(c));

  // Metacademy: concept tags with titles, and their prerequisite edges.
  const std::string meta = shared + "/metacademy";
  if (std::filesystem::exists(meta + "/concepts.csv") && std::filesystem::exists(meta + "/concept_prerequisites.csv")) {
    std::unordered_map<std::string, std::vector<int32_t>> matched;  // tag → catalog concepts
    std::unordered_map<std::string, std::vector<std::string>> prerequisites_of;
    std::set<std::string> tags;
    PATHLIGHT_RETURN_IF_ERROR(GuardCsv(meta + "/concepts.csv", [&] {
      CsvReader<3> in(meta + "/concepts.csv");
      in.read_header(io::ignore_extra_column, "node_kind", "tag", "title");
      std::string kind, tag, title;
      while (in.read_row(kind, tag, title)) {
        if (kind != "concept") continue;
        tags.insert(tag);
        for (const std::string& key : {NameKey(title), NameKey(tag)}) {
          auto it = concepts_of_key.find(key);
          if (it == concepts_of_key.end()) continue;
          auto& m = matched[tag];
          for (int32_t c : it->second)
            if (std::find(m.begin(), m.end(), c) == m.end()) m.push_back(c);
        }
      }
    }));
    PATHLIGHT_RETURN_IF_ERROR(GuardCsv(meta + "/concept_prerequisites.csv", [&] {
      CsvReader<4> in(meta + "/concept_prerequisites.csv");
      in.read_header(io::ignore_extra_column, "node_kind", "concept", "prerequisite", "prerequisite_exists");
      std::string kind, concept, pre, exists;
      while (in.read_row(kind, concept, pre, exists))
        if (kind == "concept" && exists == "1") prerequisites_of[concept].push_back(pre);
    }));
    // For each matched concept, its nearest matched ancestors (walking through unmatched ones).
    std::set<std::pair<int32_t, int32_t>> edges;
    for (const auto& [tag, targets] : matched) {
      std::vector<std::string> todo = prerequisites_of[tag];
      std::set<std::string> seen;
      while (!todo.empty()) {
        const std::string t = todo.back();
        todo.pop_back();
        if (!seen.insert(t).second) continue;
        auto m = matched.find(t);
        if (m != matched.end()) {
          for (int32_t from : m->second)
            for (int32_t to : targets)
              if (from != to) edges.insert({from, to});
          continue;
        }
        for (const std::string& p : prerequisites_of[t]) todo.push_back(p);
      }
    }
    for (auto [from, to] : edges) ext.metacademy.push_back({from, to});
    ext.report["metacademy"] = {{"concepts", tags.size()}, {"matched", matched.size()}, {"edges", ext.metacademy.size()}};
    ext.notes.push_back("metacademy: " + std::to_string(matched.size()) + " of " + std::to_string(tags.size()) +
                        " concepts match a concept name; " + std::to_string(ext.metacademy.size()) +
                        " prerequisite edges between matched concepts");
  } else {
    ext.notes.push_back(meta + " not found: no metacademy edges");
  }

  // Stack Overflow tag network: undirected links between technologies.
  const std::string so = shared + "/so-tag-network/stack_network_links.csv";
  if (std::filesystem::exists(so)) {
    int64_t links = 0;
    std::set<std::string> matched_tags;
    Status bad;
    PATHLIGHT_RETURN_IF_ERROR(GuardCsv(so, [&] {
      CsvReader<3> in(so);
      in.read_header(io::ignore_no_column, "source", "target", "value");
      std::string s, t, v;
      while (in.read_row(s, t, v)) {
        double value;
        if (!ParseFiniteDouble(v, &value) || value < 0) {
          bad = FieldError(so, in.get_file_line(), "value", "a finite number >= 0", v);
          return;
        }
        ++links;
        auto a = concepts_of_key.find(NameKey(s)), b = concepts_of_key.find(NameKey(t));
        if (a == concepts_of_key.end() || b == concepts_of_key.end()) continue;
        matched_tags.insert(s);
        matched_tags.insert(t);
        for (int32_t x : a->second)
          for (int32_t y : b->second)
            if (x != y) {
              double& slot = ext.so_links[{std::min(x, y), std::max(x, y)}];
              slot = std::max(slot, value);
            }
      }
    }));
    PATHLIGHT_RETURN_IF_ERROR(bad);
    ext.report["so_tag_network"] = {{"links", links}, {"tags_matched", matched_tags.size()},
                                    {"concept_pairs", ext.so_links.size()}};
    ext.notes.push_back("so-tag-network: " + std::to_string(matched_tags.size()) + " tags match a concept name; " +
                        std::to_string(ext.so_links.size()) + " linked concept pairs");
  } else {
    ext.notes.push_back(so + " not found: no Stack Overflow tag links");
  }
  return ext;
}

MinedGraph SelectPrerequisites(const PairTable& table, const MineOptions& o, const ExternalEvidence* external,
                               const EdgeFile* imported, const std::vector<std::string>& concept_ids) {
  MinedGraph g;
  const int32_t num_concepts = static_cast<int32_t>(concept_ids.size());

  // 2. The two test families over the pairs with enough support (one test per unordered pair:
  // association is symmetric, direction is tested in the orientation its evidence favours).
  std::vector<double> assoc, direction;
  std::vector<int32_t> oriented;  // index into table.pairs of each tested pair's favoured orientation
  for (size_t i = 0; i + 1 < table.pairs.size(); i += 2) {
    const PairEvidence& ab = table.pairs[i];
    if (ab.support < o.min_support) continue;
    const PairEvidence& ba = table.pairs[i + 1];
    const size_t pick = ab.direction_p <= ba.direction_p ? i : i + 1;
    assoc.push_back(ab.association_p);
    direction.push_back(table.pairs[pick].direction_p);
    oriented.push_back(static_cast<int32_t>(pick));
  }
  const double assoc_threshold = BenjaminiHochbergThreshold(assoc, o.alpha);
  const double direction_threshold = BenjaminiHochbergThreshold(direction, o.alpha);
  auto so_link = [&](int32_t a, int32_t b) {
    if (!external) return 0.0;
    auto it = external->so_links.find({std::min(a, b), std::max(a, b)});
    return it == external->so_links.end() ? 0.0 : it->second;
  };
  std::vector<std::vector<int32_t>> candidates(num_concepts);  // per concept: candidate edges (pair indices)
  int64_t associated = 0, directed = 0;
  for (size_t t = 0; t < oriented.size(); ++t) {
    const PairEvidence& e = table.pairs[oriented[t]];
    const bool assoc_ok = assoc[t] <= assoc_threshold || so_link(e.prerequisite, e.concept) > 0;
    // The surmise-relation effect size: enough of the concept's learners studied the prerequisite
    // too (a popular concept is otherwise "significantly" first for almost any rarer one).
    const bool dir_ok = direction[t] <= direction_threshold && e.confidence >= o.min_confidence;
    associated += assoc_ok;
    directed += dir_ok;
    if (assoc_ok && dir_ok) candidates[e.concept].push_back(oriented[t]);
  }

  // 3. Parent sets by greedy BIC search on the 0/1 "studied" variables.
  const double penalty = o.bic_penalty >= 0 ? o.bic_penalty : 0.5 * std::log(std::max(2, table.learners));
  const size_t words = table.studied.empty() ? 0 : table.studied[0].size();
  std::vector<uint64_t> everyone(words, ~uint64_t{0});
  if (words > 0 && table.learners % 64 != 0) everyone.back() = (uint64_t{1} << (table.learners % 64)) - 1;
  std::vector<int32_t> selected;
  for (int32_t b = 0; b < num_concepts; ++b) {
    std::vector<int32_t>& cands = candidates[b];
    if (cands.empty()) continue;
    std::sort(cands.begin(), cands.end(), [&](int32_t x, int32_t y) {
      return table.pairs[x].score != table.pairs[y].score ? table.pairs[x].score > table.pairs[y].score : x < y;
    });
    const std::vector<uint64_t>& child = table.studied[b];
    std::vector<std::vector<uint64_t>> cells = {everyone};
    auto count = [&](const std::vector<uint64_t>& cell, const std::vector<uint64_t>* with, bool in) {
      int64_t n = 0, n1 = 0;
      for (size_t w = 0; w < words; ++w) {
        const uint64_t m = with ? cell[w] & (in ? (*with)[w] : ~(*with)[w]) : cell[w];
        n += Popcount(m);
        n1 += Popcount(m & child[w]);
      }
      return std::make_pair(n, n1);
    };
    double current = 0;
    for (const auto& cell : cells) {
      auto [n, n1] = count(cell, nullptr, true);
      current += CellLogLikelihood(n, n1);
    }
    std::vector<bool> used(cands.size(), false);
    for (int32_t parents = 0; parents < o.max_parents; ++parents) {
      double best_gain = 0;
      int32_t best = -1;
      for (size_t c = 0; c < cands.size(); ++c) {
        if (used[c]) continue;
        const std::vector<uint64_t>& parent = table.studied[table.pairs[cands[c]].prerequisite];
        double ll = 0;
        for (const auto& cell : cells) {
          auto [n_in, n1_in] = count(cell, &parent, true);
          auto [n_out, n1_out] = count(cell, &parent, false);
          ll += CellLogLikelihood(n_in, n1_in) + CellLogLikelihood(n_out, n1_out);
        }
        // A parent added to k parents adds 2^k free parameters (one Bernoulli per new cell).
        const double gain = ll - current - penalty * static_cast<double>(cells.size());
        if (gain > best_gain) {
          best_gain = gain;
          best = static_cast<int32_t>(c);
        }
      }
      if (best < 0) break;
      used[best] = true;
      selected.push_back(cands[best]);
      const std::vector<uint64_t>& parent = table.studied[table.pairs[cands[best]].prerequisite];
      std::vector<std::vector<uint64_t>> split;
      for (const auto& cell : cells) {
        std::vector<uint64_t> in(words), out(words);
        for (size_t w = 0; w < words; ++w) {
          in[w] = cell[w] & parent[w];
          out[w] = cell[w] & ~parent[w];
        }
        split.push_back(std::move(in));
        split.push_back(std::move(out));
      }
      cells.swap(split);
      current += best_gain + penalty * static_cast<double>(cells.size() / 2);
    }
  }

  // 4. The selected edges, then external and imported ones (merged into a selected edge when equal).
  std::map<std::pair<int32_t, int32_t>, int32_t> index_of;
  auto add = [&](PairEvidence e) {
    auto [it, inserted] = index_of.emplace(std::make_pair(e.prerequisite, e.concept), static_cast<int32_t>(g.edges.size()));
    if (inserted) {
      g.edges.push_back(std::move(e));
      return &g.edges.back();
    }
    PairEvidence& old = g.edges[it->second];
    if (static_cast<int>(e.source) > static_cast<int>(old.source)) {
      old.source = e.source;
      old.line = e.line;
    }
    old.metacademy = old.metacademy || e.metacademy;
    return &old;
  };
  std::sort(selected.begin(), selected.end());
  for (int32_t p : selected) add(table.pairs[p]);
  // Evidence of a pair from the logs when it was studied together, else an empty record.
  std::unordered_map<uint64_t, int32_t> pair_index;
  for (size_t i = 0; i < table.pairs.size(); ++i)
    pair_index[PairKey(table.pairs[i].prerequisite, table.pairs[i].concept)] = static_cast<int32_t>(i);
  auto evidence = [&](int32_t a, int32_t b) {
    auto it = pair_index.find(PairKey(a, b));
    if (it != pair_index.end()) return table.pairs[it->second];
    PairEvidence e;
    e.prerequisite = a;
    e.concept = b;
    e.prerequisite_learners = a < static_cast<int32_t>(table.concept_learners.size()) ? table.concept_learners[a] : 0;
    e.concept_learners = b < static_cast<int32_t>(table.concept_learners.size()) ? table.concept_learners[b] : 0;
    return e;
  };
  int64_t metacademy_added = 0, imported_added = 0;
  if (external)
    for (const GraphEdge& m : external->metacademy) {
      PairEvidence e = evidence(m.from, m.to);
      e.metacademy = true;
      e.source = EdgeSource::kMetacademy;
      const size_t before = g.edges.size();
      add(e);
      metacademy_added += g.edges.size() > before;
    }
  if (imported)
    for (const EdgeRow& r : imported->edges) {
      PairEvidence e = evidence(r.prerequisite, r.concept);
      e.source = EdgeSource::kImported;
      e.line = r.line;
      const size_t before = g.edges.size();
      add(e);
      imported_added += g.edges.size() > before;
    }
  for (PairEvidence& e : g.edges) {
    e.so_link = so_link(e.prerequisite, e.concept);
    if (external && !e.metacademy)
      for (const GraphEdge& m : external->metacademy) e.metacademy = e.metacademy || (m.from == e.prerequisite && m.to == e.concept);
  }

  // 5. Every elementary cycle, then break them at the weakest edge.
  std::vector<GraphEdge> graph;
  for (const PairEvidence& e : g.edges) graph.push_back({e.prerequisite, e.concept});
  const CycleList cycles = ElementaryCycles(num_concepts, graph, o.cycle_limit);
  g.cycles = cycles.cycles;
  g.cycles_truncated = cycles.truncated;
  std::vector<bool> removed(g.edges.size(), false);
  const auto broken = BreakCyclesAtWeakestEdge(
      num_concepts, graph, [&](int32_t x, int32_t y) { return Weaker(g.edges[x], g.edges[y]); }, &removed);
  for (size_t e = 0; e < removed.size(); ++e) g.edges[e].removed = removed[e];
  for (const auto& cycle : g.cycles) {
    int32_t by = -1;
    for (int32_t e : cycle)
      if (removed[e] && (by < 0 || Weaker(g.edges[e], g.edges[by]))) by = e;
    g.cycle_broken_by.push_back(by);
  }
  if (!g.cycles.empty())
    g.messages.push_back(std::to_string(g.cycles.size()) + (g.cycles_truncated ? "+" : "") + " cycle" +
                         (g.cycles.size() == 1 ? "" : "s") + " among the selected edges; " +
                         std::to_string(broken.size()) + " edge" + (broken.size() == 1 ? "" : "s") +
                         " removed (the weakest on each cycle) — listed in cycles.csv");

  g.report = {{"learners", table.learners},
              {"concepts_studied", table.concepts_studied},
              {"has_order", table.has_order},
              {"pairs_studied_together", table.pairs.size() / 2},
              {"pairs_tested", oriented.size()},
              {"association_threshold", assoc_threshold},
              {"direction_threshold", direction_threshold},
              {"pairs_associated", associated},
              {"pairs_directed", directed},
              {"candidate_edges", std::accumulate(candidates.begin(), candidates.end(), size_t{0},
                                                  [](size_t s, const auto& v) { return s + v.size(); })},
              {"selected_from_logs", selected.size()},
              {"metacademy_edges_added", metacademy_added},
              {"imported_edges_added", imported_added},
              {"cycles", g.cycles.size()},
              {"cycles_truncated", g.cycles_truncated},
              {"edges_removed_for_cycles", broken.size()},
              {"edges", g.kept()}};
  return g;
}

MinedGraph MinePrerequisites(const StudyLog& log, const MineOptions& o, const ExternalEvidence* external,
                             const EdgeFile* imported) {
  const PairTable table = CollectPairEvidence(log, o);
  std::vector<std::string> problems;
  if (table.learners < 2)
    problems.push_back("logs too small to mine: " + std::to_string(table.learners) +
                       " learner(s) studied a concept; at least 2 are needed to compare who studies what first");
  if (table.concepts_studied < 2)
    problems.push_back("logs too small to mine: " + std::to_string(table.concepts_studied) +
                       " concept(s) studied; a prerequisite needs two");
  if (problems.empty() && table.pairs.empty())
    problems.push_back("logs too small to mine: no learner studied two concepts, so no pair can be ordered");
  if (!problems.empty()) {
    // Imported edges still pass through (the operator's graph stays whole).
    PairTable empty;
    empty.concept_learners = table.concept_learners;
    empty.learners = table.learners;
    empty.concepts_studied = table.concepts_studied;
    empty.has_order = table.has_order;
    MinedGraph g = SelectPrerequisites(empty, o, nullptr, imported, log.concept_ids);
    g.messages.insert(g.messages.begin(), problems.begin(), problems.end());
    return g;
  }
  MinedGraph g = SelectPrerequisites(table, o, external, imported, log.concept_ids);
  if (g.report["pairs_tested"].get<int64_t>() == 0)
    g.messages.insert(g.messages.begin(), "logs too small to mine: no pair of concepts was studied by at least " +
                                              std::to_string(o.min_support) + " learners (--min-support), so none was tested");
  if (!table.has_order)
    g.messages.insert(g.messages.begin(),
                      "no order information: no learner studied two concepts at different times (timestamps "
                      "missing or equal), so the order test was skipped; directions rest on co-occurrence "
                      "inclusion only (who studies one concept without the other)");
  return g;
}

Status WriteMinedGraph(const MinedGraph& g, const std::vector<std::string>& ids, const std::string& edges_path,
                       const std::string& cycles_path) {
  {
    std::ofstream out(edges_path, std::ios::binary | std::ios::trunc);
    for (size_t c = 0; c < kEdgeCsvColumns.size(); ++c) out << (c ? "," : "") << kEdgeCsvColumns[c];
    out << "\n";
    std::vector<const PairEvidence*> kept;
    for (const PairEvidence& e : g.edges)
      if (!e.removed) kept.push_back(&e);
    std::sort(kept.begin(), kept.end(), [&](const PairEvidence* a, const PairEvidence* b) {
      return ids[a->concept] != ids[b->concept] ? ids[a->concept] < ids[b->concept] : a->score > b->score;
    });
    for (const PairEvidence* e : kept)
      out << CsvField(ids[e->prerequisite]) << ',' << CsvField(ids[e->concept]) << ',' << EdgeSourceName(e->source) << ','
          << FormatReal(e->score) << ',' << e->support << ',' << e->before << ',' << e->after << ','
          << FormatReal(e->confidence) << ',' << FormatP(e->order_p) << ',' << e->prerequisite_only << ','
          << e->concept_only << ',' << FormatP(e->inclusion_p) << ',' << FormatReal(e->cooccurrence) << ','
          << FormatP(e->association_p) << ',' << FormatP(e->direction_p) << ',' << (e->metacademy ? 1 : 0) << ','
          << FormatReal(e->so_link) << "\n";
    if (!out) return Status(ErrorCode::kIoError, "cannot write " + edges_path);
  }
  std::ofstream out(cycles_path, std::ios::binary | std::ios::trunc);
  out << "cycle,position,prerequisite,concept,source,line,score,removed\n";
  for (size_t c = 0; c < g.cycles.size(); ++c)
    for (size_t k = 0; k < g.cycles[c].size(); ++k) {
      const PairEvidence& e = g.edges[g.cycles[c][k]];
      out << c + 1 << ',' << k + 1 << ',' << CsvField(ids[e.prerequisite]) << ',' << CsvField(ids[e.concept]) << ','
          << EdgeSourceName(e.source) << ',' << (e.line ? std::to_string(e.line) : "") << ',' << FormatReal(e.score)
          << ',' << (g.cycles[c][k] == g.cycle_broken_by[c] ? 1 : 0) << "\n";
    }
  if (!out) return Status(ErrorCode::kIoError, "cannot write " + cycles_path);
  return Status::Ok();
}

}  // namespace pathlight::trainer
