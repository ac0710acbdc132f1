// `pathlight audit` (audit.h, docs/AUDIT.md), registered and run apart from the other subcommands.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "pathlight/trainer/audit.h"

namespace pathlight::trainer {

/// The subcommand `audit BUNDLE_DIR (--learners N --seed S | --claims FILE) [--show N]`. Its flags
/// are bound to this object's members: construct it in place and keep it until Run.
class AuditCommand {
 public:
  explicit AuditCommand(CLI::App& app);
  AuditCommand(const AuditCommand&) = delete;
  AuditCommand& operator=(const AuditCommand&) = delete;

  /// When `audit` was the subcommand given: runs it and returns 0 (no violation), 1 (violations)
  /// or 2 (bad input); the last stdout line is the report's JSON. Otherwise −1.
  int Run() const;

 private:
  CLI::App* cmd_ = nullptr;
  std::string bundle_dir_, claims_;
  SimulationOptions simulation_;
  size_t show_ = AuditReport::kMaxExamples;
};

}  // namespace pathlight::trainer
