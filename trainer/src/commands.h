// The trainer's subcommands (train, eval, import, bundle, inspect), kept apart from main.cpp so
// that the engine-facing subcommands (recommend, api) and these evolve independently.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {

struct TrainerCommands;

/// Registers train / eval / import / bundle / inspect on `app`. The returned object owns the
/// parsed flag values and must outlive parsing.
std::shared_ptr<TrainerCommands> AddTrainerCommands(CLI::App& app);

/// Runs whichever of those subcommands was given: its exit code, or -1 when none was.
int RunTrainerCommands(const TrainerCommands& commands);

/// What to load: --dataset, --data, --learners (demo), --fold (movielens), and the reviewed
/// knowledge-graph files --concept-map (kg clean's concept_map.csv) and --edges (an edges.csv).
struct DatasetFlags {
  std::string dataset = "demo";
  std::string data;
  std::string concept_map, edges;
  int32_t learners = 2000;
  int fold = -1;
};

/// Registers those flags on `cmd` (the same ones train, eval, import and bundle take).
void AddDatasetFlags(CLI::App* cmd, DatasetFlags* flags);

/// The default --data folder of a data set (data/demo/catalog.json, ../shared/data/<folder>).
std::string DefaultDataDirFor(const std::string& dataset);

/// Loads the data set, then applies --concept-map and --edges (kg_clean.h) when given.
/// `default_fold` is MovieLens's fold when --fold is not given.
StatusOr<Dataset> LoadDatasetForFlags(const DatasetFlags& flags, int default_fold = 0);

}  // namespace pathlight::trainer
