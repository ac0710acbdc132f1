// `pathlight tune`: hyperparameter search on validation data; writes the chosen settings with
// their provenance as a config file that `pathlight train|eval --config FILE` reads.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>

namespace pathlight::trainer {

struct TuneCommand;

/// Registers `tune` on `app`. The returned object owns the parsed flag values.
std::shared_ptr<TuneCommand> AddTuneCommand(CLI::App& app);

/// Runs `tune` when it was given: its exit code, or -1 when it was not. `argc`/`argv` are recorded
/// in the config's provenance ("command").
int RunTuneCommand(const TuneCommand& command, int argc, char** argv);

}  // namespace pathlight::trainer
