// Measuring prerequisite mining against an expert graph (`pathlight kg mine --dataset junyi --eval`).
//
// Protocol (fixed by issue 15): candidates are all ordered pairs of concepts studied together by at
// least one learner; the expert edges are the positives; `auc` ranks every candidate by the miner's
// `score`; precision, recall and F1 compare the emitted (kept) edge set with the expert edges
// between the studied concepts. The miner is run on the whole log with its data-free defaults (a
// significance level, not a cut-off fitted to the expert edges). Its design was developed looking
// only at the concepts of the "fit" half (a seeded hash of the concept id: FNV-1a 32-bit, even);
// the headline figures are those of the other, "report" half (odd), measured on the pairs with both
// ends in it. Baselines, each emitting its top-|E| candidates (|E| = the miner's edge count, ties
// by pair order) so that precision and recall compare at equal size:
// - `cooccurrence`: the miner's co-occurrence strength alone (symmetric: no direction);
// - `refd`: reference distance (Liang, Wu, Huang & Giles 2015) with equal weights, a concept
//   "referring" to its k most co-occurring concepts; k ∈ {5, 10, 20} chosen by F1 on the fit half;
// - `random`: seeded uniform scores.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/trainer/kg_graph.h"
#include "pathlight/trainer/kg_mine.h"

namespace pathlight::trainer {

/// Which half a concept id falls in: 0 = fit, 1 = report (FNV-1a 32-bit of the id's bytes, mod 2).
int ConceptHalf(const std::string& id);

/// Area under the ROC curve of `scores` for 0/1 `labels` (ties get the average rank; Mann–Whitney).
/// 0.5 when either class is empty.
double RocAuc(const std::vector<double>& scores, const std::vector<uint8_t>& labels);

struct MiningEvalOptions {
  MineOptions mine;
  uint64_t seed = 42;  // the random baseline
};

/// Runs the miner on `log` (no external graphs) and scores it and the baselines against `expert`
/// (edges between concept indices of the log). Returns the JSON the CLI prints: `auc`, `precision`,
/// `recall`, `f1` and `baselines` for the report half; the same under `fit_half` and `all_concepts`
/// (every pair; for data sets other than the one the method was developed on); counts, the
/// miner's report and `targets` (auc ≥ 0.85, f1 ≥ 0.5, f1 ≥ 1.2 × the best baseline's).
nlohmann::json EvaluatePrerequisiteMining(const StudyLog& log, const std::vector<GraphEdge>& expert,
                                          const MiningEvalOptions& options);

}  // namespace pathlight::trainer
