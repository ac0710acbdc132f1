// The engine's message API: one learner session over one bundle, driven by JSON requests
// {method, params} and answering {result} or {error: {code, message}}. The same class serves
// the Web Worker (wasm/), the native `pathlight api` command and the behavioural test suite that
// runs against both — so native and WebAssembly behave identically by construction.
// Methods and their parameters: the table in api_params.h (docs/API.md is checked against it).
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "pathlight/bundle.h"
#include "pathlight/recommender.h"

namespace pathlight {

class Session {
 public:
  Session() = default;

  /// Verifies and installs a bundle. On failure the previous bundle (and the learner) stay.
  /// A new bundle keeps the learner's profile and re-solves it against the new factors.
  Status Load(std::string_view manifest_text, const BundleParts& parts);
  /// Installs a bundle already decoded and verified (BundleDecoder); the learner's profile is kept
  /// and re-solved against it, as with Load.
  void Install(Bundle bundle);
  bool loaded() const { return rec_ != nullptr; }
  const Recommender* recommender() const { return rec_.get(); }

  /// Runs one request. Never throws; every failure is {"error": {"code", "message"}}.
  nlohmann::json Call(const std::string& method, const nlohmann::json& params);
  /// Convenience: parses `request_json` ({"method", "params"}) and returns the response text.
  std::string CallJson(const std::string& request_json);

 private:
  StatusOr<nlohmann::json> Dispatch(const std::string& method, const nlohmann::json& params);
  StatusOr<nlohmann::json> SetProfile(const nlohmann::json& params);
  // One handler per method (Dispatch looks them up by name; params checked against api_params.h).
  StatusOr<nlohmann::json> HandleDescribe(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleInfo(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleCatalog(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleExportProfile(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleAddEvent(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleSetPreferences(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleForgetConcept(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleLearner(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleRecommend(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleSimilar(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleExplain(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandlePath(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleMentors(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleNextConcepts(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleFoldIn(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleRefine(const nlohmann::json& params);
  StatusOr<nlohmann::json> HandleResetPersonalization(const nlohmann::json& params);
  std::unique_ptr<Recommender> rec_;
  std::unique_ptr<LearnerState> learner_;
  Profile profile_;  // kept across bundle changes
  size_t profile_bytes_ = 0;  // ≥ the JSON text size of profile_ (exact after each Bound, then + each event's)
  double now_ = 0;
  Workspace workspace_;  // scratch of the catalog-wide passes, reused by every request
};

}  // namespace pathlight
