// The truth audit (`pathlight audit`, docs/AUDIT.md): checks every answer the engine gives a
// learner — each reason's claim, what is offered, path steps and totals, mentor matching and its
// diagnostics, "My learning" — against a slow reference written apart from the code that makes
// the claims: the bundle's raw knowledge graph (the catalog's concepts, prerequisite edges,
// items' teaches / requires, mentors' expertise, prices, hours, currencies; closures by DFS), the
// learner's raw event log replayed here with the semantics documented in signals.h, and a dense
// re-solve of the fold-in (fold_in_model.h) for the shares behind "because you …" reasons. The
// engine's own ItemSignalsOf / Accumulate / KnowledgeGraph / Recommender are never called by
// the checks; the simulation drives the engine only through Session::Call, the JSON API the
// browser uses.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pathlight/bundle.h"
#include "pathlight/learner.h"
#include "pathlight/profile.h"
#include "pathlight/status.h"

namespace pathlight::trainer {

/// One claim found false.
struct AuditViolation {
  std::string learner;  // "learner-17" (simulation); empty for a claims file
  std::string view;     // "feed", "path", "mentors", "learning", "widget", …
  std::string item;     // the item, concept or step the claim is about (may be empty)
  std::string claim;    // what the answer says, e.g. {"kind":"teaches_goal","goal":"docker"}
  std::string why;      // what the reference says instead
};

/// Counts of one audit run; ToJson() is the last stdout line of `pathlight audit`.
struct AuditReport {
  static constexpr size_t kMaxExamples = 10;
  int learners = 0;             // simulated learners (0 for a claims file)
  int64_t answers_checked = 0;  // answers (results of recommend / path / mentors / learner / addEvent)
  int64_t claims_checked = 0;   // individual claims compared with the reference
  int64_t violations = 0;
  std::map<std::string, int64_t> reasons_checked;  // by reason kind (how much of each the run exercised)
  size_t keep = kMaxExamples;                      // violations kept in `examples` (`pathlight audit --show`)
  std::vector<AuditViolation> examples;            // the first `keep` violations
  void Add(AuditViolation v);
  /// {"learners", "answers_checked", "claims_checked", "violations", "examples": [{learner?, view, item?, claim, why}]}
  /// with the first kMaxExamples examples.
  nlohmann::json ToJson() const;
};

/// One answer to check: the view that rendered it, the API method that produced it, the request's
/// parameters (null = the app's defaults: product-default ranking with the profile's budget and
/// language, the learner's goals and gap) and the method's result object (wasm/pathlight.d.ts).
/// Fields absent from `result` are not checked (a claims file holds what a view rendered).
struct AuditAnswer {
  std::string view;
  std::string method;  // "recommend", "path", "mentors", "learner"
  nlohmann::json params;
  nlohmann::json result;
};

class AuditReference;  // audit_reference.h: the knowledge graph, event replay and fold-in references

/// The checks over one bundle. Thread-compatible; the bundle must outlive it.
class TruthAudit {
 public:
  /// `options`: the learner model the engine runs with (the Session uses the defaults).
  explicit TruthAudit(const Bundle& bundle, LearnerOptions options = {});
  ~TruthAudit();
  TruthAudit(const TruthAudit&) = delete;
  TruthAudit& operator=(const TruthAudit&) = delete;

  /// Checks `answers` given by the engine to the learner whose profile is `profile`, with event
  /// weights decayed to `clock` (unix seconds: the `now` of the learner's last setProfile, which
  /// is what the engine's learner state is solved at). Adds every violation to `report`, labelled
  /// `learner`. Returns the number of violations found.
  int64_t Check(const Profile& profile, double clock, const std::vector<AuditAnswer>& answers,
                const std::string& learner, AuditReport* report) const;

 private:
  std::unique_ptr<AuditReference> ref_;
};

/// Options of the simulation (`pathlight audit BUNDLE_DIR --learners N --seed S`).
struct SimulationOptions {
  int learners = 1000;
  uint64_t seed = 1;
  int min_steps = 6, max_steps = 16;        // actions per learner (events, preference changes, queries)
  size_t keep = AuditReport::kMaxExamples;  // violations kept in the report's examples
  /// Called after every 100 learners with the report so far (progress on stderr); may be empty.
  std::function<void(const AuditReport&)> progress;
};

/// Simulates `options.learners` seeded learners against the engine through Session::Call (the
/// JSON API of the browser's Worker) and checks every answer. The bundle is read from `bundle_dir`
/// and verified. Errors: those of ReadBundleDir / DecodeBundle.
StatusOr<AuditReport> SimulateAndAudit(const std::string& bundle_dir, const SimulationOptions& options);

/// Checks the answers of a claims file (docs/AUDIT.md; format shared with the Playwright truth
/// test) against the bundle in `bundle_dir`. Errors: io_error (unreadable file), parse_error /
/// invalid_argument naming the file and the field.
StatusOr<AuditReport> AuditClaimsFile(const std::string& bundle_dir, const std::string& claims_path,
                                      size_t keep = AuditReport::kMaxExamples);

/// The same on a claims document already parsed (`source` names it in errors).
StatusOr<AuditReport> AuditClaims(const Bundle& bundle, const nlohmann::json& claims, const std::string& source,
                                  size_t keep = AuditReport::kMaxExamples);

}  // namespace pathlight::trainer
