// One learner's on-device state: the profile, what their events say about each item (signals.h),
// the concepts they know and want, and the fold-in system of their bundle's model
// (fold_in_model.h). Built by Recommender::Learner (a full solve) and kept current by
// Recommender::AddEvent (an incremental update that equals the full solve; tests check to 1e-4).
#pragma once

#include <cstdint>
#include <map>
#include <unordered_map>
#include <vector>

#include <Eigen/Cholesky>

#include "pathlight/fold_in.h"
#include "pathlight/profile.h"
#include "pathlight/signals.h"
#include "pathlight/types.h"

namespace pathlight {

/// Options of the learner model. Ranges and tuning: docs/HYPERPARAMETERS.md ("Learner model").
struct LearnerOptions {
  ConfidenceOptions confidence;
  float goal_weight = 2.f;    // w of each goal concept's pseudo-item (c = 1 + α·w)
  float known_weight = 0.5f;  // w of each known concept's pseudo-item
  bool known_closure = true;  // knowing a concept implies knowing its prerequisites (closure);
                              // false = only concepts stated or completed count as known
};

/// Optional SGD refinement on top of the fold-in (never leaves the device; reversible).
/// Minimizes Σ_i c_i (p_i − (x·y_i + b_i + o_i))² over observed items and `negatives` sampled
/// unobserved items (p = 0, c = 1), with L2 pulls of x towards the fold-in solution and of the
/// per-item bias offsets o_i towards 0. Bounded: |o_i| ≤ max_offset, ‖x − x_fold‖ ≤ max_shift·‖x_fold‖.
struct RefineOptions {
  int epochs = 10;
  float learning_rate = 0.02f;
  float regularization = 0.1f;
  float max_offset = 0.25f;
  float max_shift = 0.5f;
  int negatives = 20;
  uint64_t seed = 1;
};

/// The linear system of one learner's fold-in, x = A⁻¹b, kept factorized so that an event is an
/// O(k²) rank-1 update (fold_in_model.h says what A and b hold for each kind of bundle).
struct FoldInSystem {
  Eigen::MatrixXd a;               // k × k, or (k+1) × (k+1) for rating bundles; lower triangle authoritative
  Eigen::VectorXd b;
  Eigen::LLT<Eigen::MatrixXd> llt;
  int updates_since_factorization = 0;
  Vector x;                        // x_u (length k)
  float user_bias = 0;             // b_u of a rating bundle's solve (0 for implicit bundles)
};

/// Why the learner knows a concept (the first that applies, in this order).
enum class KnownVia : uint8_t {
  kNone,          // not known
  kStated,        // listed in the profile's "known" (onboarding, settings)
  kEvent,         // a know_concept event ("I know this")
  kCompleted,     // taught by an item the learner is done with (completed, or rated without enrolling)
  kPrerequisite,  // a prerequisite of a concept known in one of the ways above (the closure)
};
const char* KnownViaName(KnownVia via);

class LearnerState {
 public:
  const Profile& profile() const { return profile_; }
  /// Learner factors used for scoring: the fold-in solution plus any refinement shift (length k).
  Vector user() const { return refined_ ? Vector(system_.x + shift_) : system_.x; }
  /// The pure fold-in solution x_u = A⁻¹b.
  const Vector& fold_in() const { return system_.x; }
  const FoldInSystem& system() const { return system_; }
  /// Per-item bias offsets from refinement (item index → o_i); empty unless refined.
  const std::unordered_map<int32_t, float>& bias_offsets() const { return offsets_; }
  /// Flags by item index: taken (enrolled, completed, booked or rated) and dismissed.
  const std::vector<uint8_t>& consumed() const { return consumed_; }
  const std::vector<uint8_t>& dismissed() const { return dismissed_; }
  /// Flags by concept index: known (with LearnerOptions::known_closure, closed under prerequisites).
  const std::vector<uint8_t>& known_concepts() const { return known_; }
  /// Why each concept is known, by concept index (KnownVia::kNone when it is not).
  const std::vector<KnownVia>& known_via() const { return known_via_; }
  /// Goal concepts that exist in the catalog (unknown goal ids are listed in unknown_ids()), each once.
  const std::vector<ConceptIndex>& goals() const { return goals_; }
  /// Concepts stated as known (profile "known" and know_concept events), each once, in order.
  const std::vector<ConceptIndex>& stated_known() const { return stated_known_; }
  /// Ids in the profile (items or concepts) that the bundle's catalog does not have, each once. They are
  /// kept in the profile (a later bundle may know them) and reported, never silently dropped.
  const std::vector<std::string>& unknown_ids() const { return unknown_; }
  /// Indices (in profile().events) of ratings outside the bundle's rating scale: kept in the
  /// profile, left out of the solve, and reported.
  const std::vector<size_t>& out_of_scale() const { return out_of_scale_; }
  /// The reference time (unix seconds) at which event weights were decayed.
  double now() const { return now_; }
  /// What the events say about each item acted on, by item index (ordered).
  const std::map<int32_t, ItemSignal>& signals() const { return signals_; }
  /// The latest rating of each rated item, by item index.
  std::vector<ItemRating> ratings() const {
    std::vector<ItemRating> out;
    for (const auto& [i, s] : signals_)
      if (s.rating > 0) out.push_back({i, s.rating});
    return out;
  }
  /// b_u of an explicit-rating bundle's fold-in (0 for implicit bundles).
  float user_bias() const { return system_.user_bias; }
  bool has_history() const { return !signals_.empty(); }
  /// Nothing to personalize on: no item events, no goals and no stated known concepts (the
  /// engine then ranks by popularity and says so).
  bool is_cold() const { return signals_.empty() && goals_.empty() && stated_known_.empty(); }

 private:
  friend class Recommender;
  friend class ImplicitFoldIn;
  friend class RatingFoldIn;
  Profile profile_;
  double now_ = 0;
  std::map<int32_t, ItemSignal> signals_;
  std::vector<uint8_t> consumed_, dismissed_, known_;
  std::vector<KnownVia> known_via_;
  std::vector<ConceptIndex> goals_, stated_known_;
  std::vector<std::string> unknown_;
  std::vector<size_t> out_of_scale_;
  FoldInSystem system_;
  bool refined_ = false;
  Vector shift_;
  std::unordered_map<int32_t, float> offsets_;
};

}  // namespace pathlight
