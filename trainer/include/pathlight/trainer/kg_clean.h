// Concept hygiene (`pathlight kg clean`, docs/KNOWLEDGE_GRAPH.md): concepts that came from entity
// linking are checked against the catalog and the logs, and every concept gets a decision —
// keep, rename (display name only; ids never change), merge into another concept, or drop — with
// its reason. The decisions are a CSV file (concept_map.csv) that an operator can review and edit;
// `pathlight train|eval|import|kg mine --concept-map FILE` apply it.
//
// Rules, in order (thresholds in CleanOptions, docs/HYPERPARAMETERS.md "Concept hygiene"):
// 1. Merge near-duplicates: concepts with the same name key (case, separators and a trailing
//    Wikipedia-style "(…)" qualifier ignored: "Java", "Java (programming language)") whose items are
//    in related categories (coherence across the two ≥ `min_coherence`) are merged into the one
//    taught by most items.
// 2. Merge a wrong sense: a small one-word concept whose name extends a much bigger concept's
//    one-word name inside the word ("Pythonidae" ⊃ "python") while its own name appears in none of
//    its items' titles and the bigger one's appears in most of them: the linker picked the wrong
//    sense of the title's word.
// 3. Drop too little support: fewer than `min_learners` learners or fewer than `min_items` items —
//    when each of its items teaches another concept (support alone never takes an item's last
//    concept, so coverage stays).
// 4. Drop linking noise spread over unrelated categories: from `spread_min_items` items on, the
//    category coherence of its items is below `min_coherence`. Coherence = (m − r) / (1 − r), where
//    m is the mean relatedness of its item pairs' categories and r that of random catalog items, and
//    two categories' relatedness is the cosine of their learner sets (1 for the same category): 0 is
//    "as related as random items", 1 "all in related categories".
// 5. Drop partial-mention fragments: at least `fragment_share` of its items also teach a kept
//    concept whose name contains its name as whole words ("Data" beside "Data science").
// 6. Display names: the first word's case is taken from the catalog's titles when they write it
//    otherwise (Wikipedia capitalises a title's first letter: "IOS" → "iOS", "JQuery" → "jQuery"),
//    and the "(…)" qualifier is dropped when no other kept concept has the same name ("Python").
// Item languages are normalised to BCP-47 tags (LanguageTag: "thai" → "th").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/status.h"
#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {

struct CleanOptions {
  int32_t min_learners = 5;       // rule 3
  int32_t min_items = 2;          // rule 3
  int32_t spread_min_items = 10;  // rule 4 applies from this many items
  double min_coherence = 0.1;     // rules 1 and 4: category coherence (0 = random items, 1 = all related)
  double fragment_share = 0.8;    // rule 5
  double sense_size_ratio = 5;    // rule 2: the bigger concept has at least this many times the items
  int32_t sense_max_items = 3;    // rule 2 applies to concepts with at most this many items
};

enum class ConceptAction : uint8_t { kKeep, kRename, kMerge, kDrop };
const char* ConceptActionName(ConceptAction action);  // "keep", "rename", "merge", "drop"

/// The decision for one concept of the source.
struct ConceptDecision {
  std::string concept;         // the source's concept id
  ConceptAction action = ConceptAction::kKeep;
  std::string into;            // kept id: the concept's own (keep, rename), the target's (merge), "" (drop)
  std::string name;            // display name after cleaning ("" for drop)
  std::string reason;          // the rule and its evidence
  int32_t items = 0, learners = 0;   // before merges
  double coherence = -2;       // rule 4's category coherence (−2: not measured)
  double fragment = 0;         // rule 5's share
};

struct CleanResult {
  std::vector<ConceptDecision> decisions;  // one per source concept, in the source's order
  double coverage_before = 0, coverage_after = 0;  // share of non-mentor items teaching ≥ 1 concept
  int64_t language_fixes = 0;
  std::vector<std::string> notes;
  nlohmann::json report = nlohmann::json::object();
};

/// Applies the rules to `ds` (its catalog, training interactions and item categories).
CleanResult CleanConcepts(const Dataset& ds, const CleanOptions& options);

/// Writes the decisions as concept_map.csv: concept,action,id,name,reason,items,learners,coherence,fragment.
Status WriteConceptMap(const CleanResult& result, const std::string& path);

/// Applies a concept map to a dataset: concepts renamed, merged (items, requirements, mentor
/// expertise and prerequisite edges move to the target; self edges disappear) or dropped (with
/// their links and edges); item languages normalised. Rows must name concepts of the dataset
/// (unknown_id naming file and line) with a known action; a merge must point at a concept that is
/// kept (invalid_argument). Concepts absent from the map are kept as they are (counted in a note).
Status ApplyConceptMap(const std::string& path, Dataset* ds);

/// Adds the prerequisite edges of an edges.csv (ReadEdgesCsv's rules: duplicates merged, self edges
/// dropped, cycles an error listing every cycle with its lines) to the dataset's concepts.
Status ApplyEdgesFile(const std::string& path, Dataset* ds);

}  // namespace pathlight::trainer
