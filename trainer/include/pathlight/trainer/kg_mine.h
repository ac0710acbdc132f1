// Prerequisite mining (`pathlight kg mine`, docs/KNOWLEDGE_GRAPH.md): concept → concept prerequisite
// edges from the order in which learners study, combined with concept co-occurrence and — where
// concept names match — external graphs (metacademy's prerequisites, the Stack Overflow tag network).
//
// Method (every step is a documented, data-free rule; docs/HYPERPARAMETERS.md lists the knobs):
// 1. Evidence for every pair of concepts studied by the same learner:
//    - order: for how many learners the prerequisite's first study came strictly before the
//      concept's (`before`) or after it (`after`), tested against the learner's own history with its
//      study sessions shuffled (the exact null of a within-learner permutation test: a learner whose
//      sessions hold x sessions with the first concept only, y with the second only and z with both
//      puts the first first with probability x/(x+y+z)); exact up to `exact_limit` learners, normal
//      approximation above (sequential-pattern significance in the spirit of Agrawal & Srikant 1995
//      and of permutation tests on sequences, Gionis et al. 2007);
//    - inclusion: learners who studied only one of the two (the counterexamples of item tree
//      analysis, Van Leeuwe 1974; Schrepp 1999): a one-sided sign (McNemar) test that the
//      prerequisite's learners outnumber the concept's — the broader, earlier concept is studied by
//      more people, and those who study the later one mostly studied it too;
//    - co-occurrence: Ochiai/cosine strength support / √(n_a·n_b) and a one-sided Fisher exact
//      test (hypergeometric) that they are studied together more than chance.
//    order_p and inclusion_p are combined by Stouffer's z into direction_p.
// 2. A pair is a candidate edge when its co-occurrence and its direction are both discoveries at
//    false-discovery rate `alpha` (Benjamini & Hochberg 1995, each family over all tested pairs)
//    and at least `min_confidence` of the concept's learners studied the prerequisite too (the
//    confidence of the association rule concept ⇒ prerequisite, Agrawal, Imieliński & Swami 1993).
// 3. Direct prerequisites only: for every concept, a parent set is chosen among its candidates by
//    greedy Bayesian-information-criterion search on the learners' 0/1 "studied" variables (the K2
//    search of Cooper & Herskovits 1992 with the BIC score of Schwarz 1978), so that a
//    prerequisite's prerequisite or a sibling, which add nothing once the direct parent is known,
//    are not kept.
// 4. External edges: metacademy prerequisites between concepts whose names match are added
//    (through unmatched metacademy concepts, the nearest matched ancestors); a Stack Overflow tag
//    link counts as co-occurrence evidence for the pair. Imported edges (an operator's edges.csv)
//    are added as given.
// 5. Cycles are listed (every elementary cycle, Johnson 1979) and broken at their weakest edge:
//    imported edges are stronger than metacademy's, which are stronger than mined ones; mined edges
//    are compared by `score`.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/catalog.h"
#include "pathlight/interactions.h"
#include "pathlight/status.h"
#include "pathlight/trainer/kg_graph.h"

namespace pathlight::trainer {

/// One study event: a learner studied `concept` at `time` (unix seconds; 0 = unknown).
struct StudyEvent {
  int64_t time = 0;
  int32_t concept = 0;
};

/// Learners' histories at concept level. Events with equal times form one study session (their
/// order is unknown); a learner with any unknown time (0) counts as one session: no order from them.
struct StudyLog {
  std::vector<std::string> concept_ids;           // concept index → id (messages and output)
  std::vector<std::vector<StudyEvent>> learners;  // per learner, in any order
};

/// Every interaction (learner, item, time) becomes one event per concept the item teaches; items
/// teaching nothing contribute nothing. `num_learners` rows (learners without events stay empty).
StudyLog BuildStudyLog(const Catalog& catalog, const std::vector<Interaction>& interactions, int32_t num_learners);

struct MineOptions {
  double alpha = 0.01;          // false-discovery rate of each test family (co-occurrence, direction)
  int32_t min_support = 3;      // learners who studied both concepts, for the pair to be tested
  double min_confidence = 0.2;  // share of the concept's learners who also studied the prerequisite
  int32_t max_parents = 3;      // direct prerequisites kept per concept (BIC parent selection)
  double bic_penalty = -1;      // per free parameter; < 0 = BIC's ½·ln(learners)
  int32_t exact_limit = 64;     // order test exact up to this many learners with an ordered outcome
  size_t cycle_limit = 1000;    // elementary cycles listed at most
};

enum class EdgeSource : uint8_t { kLogs, kMetacademy, kImported };
const char* EdgeSourceName(EdgeSource source);  // "logs", "metacademy", "imported"

constexpr double kNoEvidence = std::numeric_limits<double>::quiet_NaN();

/// The evidence for one directed pair prerequisite → concept. Counts are learners.
struct PairEvidence {
  int32_t prerequisite = 0, concept = 0;
  int32_t support = 0;            // studied both
  int32_t before = 0, after = 0;  // first study of the prerequisite strictly before / after the concept's
  int32_t prerequisite_only = 0, concept_only = 0;  // studied one of the two only
  int32_t prerequisite_learners = 0, concept_learners = 0;
  double confidence = 0;          // support / concept_learners: P(studied the prerequisite | studied the concept)
  double order_p = kNoEvidence;   // one-sided, "prerequisite first" vs shuffled sessions; NaN: no ordered outcome
  double inclusion_p = kNoEvidence;  // one-sided sign test prerequisite_only > concept_only; NaN: none
  double cooccurrence = 0;        // support / √(prerequisite_learners · concept_learners), in [0, 1]
  double association_p = 1;      // one-sided Fisher exact test of studying both
  double direction_p = 1;        // Stouffer combination of order_p and inclusion_p (1 without either)
  double direction_share = 0.5;  // (before + prerequisite_only + 1) / (before + after + both "only" + 2)
  double score = 0;              // cooccurrence · (1 + direction_share) / 2, in [0, 1]
  bool metacademy = false;       // metacademy has this edge (between name-matched concepts)
  double so_link = 0;            // Stack Overflow tag-network link value (0: none)
  EdgeSource source = EdgeSource::kLogs;
  unsigned line = 0;             // kImported: the line in the imported edges.csv
  bool removed = false;          // removed to break a cycle
};

/// Counts over all learners, and the evidence of every ordered pair studied together by at least
/// one learner (both orientations of each pair: `pairs.size()` is even, pair 2i and 2i+1 are a→b
/// and b→a with a < b).
struct PairTable {
  int32_t learners = 0;                    // learners with at least one concept
  int32_t concepts_studied = 0;            // concepts with at least one learner
  std::vector<int32_t> concept_learners;   // per concept
  bool has_order = false;                  // some learner studied two concepts at different times
  std::vector<PairEvidence> pairs;
  /// Per concept, a bitset over the learners with at least one concept (64 learners a word): the
  /// 0/1 "studied" variables of the parent selection.
  std::vector<std::vector<uint64_t>> studied;
};

/// Counts and tests every pair (step 1). O(Σ_learners c_u²) for c_u concepts per learner.
PairTable CollectPairEvidence(const StudyLog& log, const MineOptions& options);

/// Concepts matched by name in the external graphs: metacademy edges (prerequisite → concept, as
/// concept indices) and Stack Overflow tag links (unordered pairs, smaller index first → value).
struct ExternalEvidence {
  std::vector<GraphEdge> metacademy;
  std::map<std::pair<int32_t, int32_t>, double> so_links;
  std::vector<std::string> notes;
  nlohmann::json report = nlohmann::json::object();
};

/// Reads `<shared>/metacademy` (concepts.csv, concept_prerequisites.csv) and `<shared>/so-tag-network`
/// (stack_network_links.csv) where present, matching their names to `concept_names` with NameKey
/// (case, separators and a trailing "(…)" qualifier ignored). A missing folder is a note, not an
/// error; a malformed file is a parse_error naming it.
StatusOr<ExternalEvidence> LoadExternalEvidence(const std::string& shared_data_dir,
                                                const std::vector<std::string>& concept_names);

struct MinedGraph {
  std::vector<PairEvidence> edges;            // selected edges; `removed` ones broke a cycle
  std::vector<std::vector<int32_t>> cycles;   // elementary cycles among `edges` (edge indices)
  std::vector<int32_t> cycle_broken_by;       // per cycle, the removed edge on it
  bool cycles_truncated = false;              // more than options.cycle_limit cycles
  std::vector<std::string> messages;          // what the miner could not do, and why
  nlohmann::json report = nlohmann::json::object();  // counts of every step
  int32_t kept() const;                       // edges not removed
};

/// Steps 2–5 on a PairTable. `external` and `imported` may be null.
MinedGraph SelectPrerequisites(const PairTable& table, const MineOptions& options, const ExternalEvidence* external,
                               const EdgeFile* imported, const std::vector<std::string>& concept_ids);

/// The whole miner. Logs too small to mine give messages and no edges (never an error): fewer than
/// two learners with a concept, fewer than two concepts studied, no two concepts studied by the same
/// learner. A log without order information (no learner has two concepts at different times) is
/// mined from co-occurrence alone, and says so.
MinedGraph MinePrerequisites(const StudyLog& log, const MineOptions& options, const ExternalEvidence* external,
                             const EdgeFile* imported);

/// Writes the kept edges as edges.csv (kEdgeCsvColumns; p-values with 4 significant digits, empty
/// when there is no evidence) and the cycles as cycles.csv (cycle, position, prerequisite,
/// concept, source, line, score, removed). Errors: io_error.
Status WriteMinedGraph(const MinedGraph& graph, const std::vector<std::string>& concept_ids,
                       const std::string& edges_path, const std::string& cycles_path);

}  // namespace pathlight::trainer
