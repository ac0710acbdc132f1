#include "audit_command.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>

namespace pathlight::trainer {

AuditCommand::AuditCommand(CLI::App& app) {
  cmd_ = app.add_subcommand(
      "audit",
      "Check every answer of the engine against the raw knowledge graph and event log (docs/AUDIT.md); "
      "last stdout line: JSON {learners, answers_checked, claims_checked, violations, examples}");
  cmd_->add_option("bundle", bundle_dir_, "Bundle folder")->required();
  auto* learners = cmd_->add_option("--learners", simulation_.learners, "Simulated learners")
                       ->check(CLI::Range(0, 10000000))
                       ->capture_default_str();
  auto* seed = cmd_->add_option("--seed", simulation_.seed, "Seed of the simulation")->capture_default_str();
  cmd_->add_option("--show", show_, "Violations to print on stderr (the JSON line always holds the first 10)")
      ->capture_default_str();
  cmd_->add_option("--claims", claims_, "Check the answers in this claims file instead of simulating")
      ->excludes(learners)
      ->excludes(seed);
}

int AuditCommand::Run() const {
  if (!*cmd_) return -1;
  const auto start = std::chrono::steady_clock::now();
  auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  SimulationOptions simulation = simulation_;
  simulation.keep = show_;
  simulation.progress = [&](const AuditReport& r) {
    spdlog::info("audit: {} learners, {} answers, {} claims, {} violations ({:.1f} s)", r.learners, r.answers_checked,
                 r.claims_checked, r.violations, seconds());
  };
  StatusOr<AuditReport> report =
      claims_.empty() ? SimulateAndAudit(bundle_dir_, simulation) : AuditClaimsFile(bundle_dir_, claims_, show_);
  if (!report.ok()) {
    spdlog::error("{}", report.status().ToString());
    std::cerr << "error: " << report.status().ToString() << "\n";
    return 2;
  }
  spdlog::info("audit: {} answers, {} claims checked, {} violations in {:.1f} s", report->answers_checked,
               report->claims_checked, report->violations, seconds());
  std::string kinds;
  for (const auto& [kind, n] : report->reasons_checked)
    kinds += (kinds.empty() ? "" : ", ") + kind + " " + std::to_string(n);
  spdlog::info("audit: reasons checked by kind: {}", kinds.empty() ? "none" : kinds);
  for (size_t e = 0; e < report->examples.size() && e < show_; ++e) {
    const AuditViolation& v = report->examples[e];
    spdlog::info("violation: {} {} {} — {} — {}", v.learner, v.view, v.item, v.claim, v.why);
  }
  std::cout << report->ToJson().dump() << std::endl;
  return report->violations > 0 ? 1 : 0;
}

}  // namespace pathlight::trainer
