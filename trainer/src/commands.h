// The trainer's subcommands (train, eval, import, bundle, inspect), kept apart from main.cpp so
// that the engine-facing subcommands (recommend, api) and these evolve independently.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>

namespace pathlight::trainer {

struct TrainerCommands;

/// Registers train / eval / import / bundle / inspect on `app`. The returned object owns the
/// parsed flag values and must outlive parsing.
std::shared_ptr<TrainerCommands> AddTrainerCommands(CLI::App& app);

/// Runs whichever of those subcommands was given: its exit code, or -1 when none was.
int RunTrainerCommands(const TrainerCommands& commands);

}  // namespace pathlight::trainer
