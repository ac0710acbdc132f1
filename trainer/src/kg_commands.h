// The knowledge-graph subcommands `pathlight kg mine | clean | stats` (docs/KNOWLEDGE_GRAPH.md),
// kept apart from commands.cpp so that each group of subcommands evolves on its own.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>

namespace pathlight::trainer {

struct KgCommands;

/// Registers `kg` with its subcommands on `app`. The returned object owns the parsed flag values
/// and must outlive parsing.
std::shared_ptr<KgCommands> AddKgCommands(CLI::App& app);

/// Runs whichever kg subcommand was given: its exit code, or −1 when none was.
int RunKgCommands(const KgCommands& commands);

}  // namespace pathlight::trainer
