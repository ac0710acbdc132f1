// One learner's on-device state: the profile, per-item implicit signals, and the fold-in system
//   A = YᵀY + λI + Σ_i (c_i − 1) y_i y_iᵀ + Σ_g (c_g − 1) v_g v_gᵀ,   b = Σ_i c_i p_i y_i + Σ_g c_g v_g
//   x_u = A⁻¹ b                    (Hu, Koren & Volinsky 2008, eq. 4, one row)
// where i runs over items the learner acted on and g over goal / known concepts, whose concept
// vectors v_g (mean factors of the items teaching g) act as pseudo-items — the cold start.
// A new event changes one (c_i, p_i): A and its Cholesky factor get a rank-1 update and b a
// vector add, O(k²) per event; the result equals a full re-solve (tests check to 1e-4).
//
// With a bundle of an explicit-rating model (Bundle::info.ratings, biased MF) the learner's
// factors come from their ratings instead: z = [b_u; x_u] is the ridge solve of fold_in.h's
// RatingSystem over the latest rating of each rated item, re-solved on every new rating
// (O(n_r·k² + k³), exact). Other events still set the filters (consumed, dismissed, known
// concepts); goals and known concepts steer the ranking through the knowledge-graph terms only.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include <Eigen/Cholesky>

#include "pathlight/profile.h"
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

class LearnerState {
 public:
  const Profile& profile() const { return profile_; }
  /// Learner factors used for scoring: the fold-in solution plus any refinement shift (length k).
  Vector user() const { return refined_ ? Vector(x_ + shift_) : x_; }
  /// The pure fold-in solution x_u = A⁻¹b.
  const Vector& fold_in() const { return x_; }
  /// Per-item bias offsets from refinement (item index → o_i); empty unless refined.
  const std::unordered_map<int32_t, float>& bias_offsets() const { return offsets_; }
  /// Items the learner consumed / dismissed (flags by item index) and known concepts (flags by
  /// concept index, closed under prerequisites: knowing a concept implies its prerequisites).
  const std::vector<uint8_t>& consumed() const { return consumed_; }
  const std::vector<uint8_t>& dismissed() const { return dismissed_; }
  const std::vector<uint8_t>& known_concepts() const { return known_; }
  /// Goal concepts that exist in the catalog (unknown goal ids are listed in unknown_ids()).
  const std::vector<ConceptIndex>& goals() const { return goals_; }
  /// Ids in the profile (items or concepts) that the bundle's catalog does not have, each once. They are
  /// kept in the profile (a later bundle may know them) and reported, never silently dropped.
  const std::vector<std::string>& unknown_ids() const { return unknown_; }
  /// The reference time (unix seconds) at which event weights were decayed.
  double now() const { return now_; }
  /// Per-item (weight, preference) aggregated from the events.
  const std::unordered_map<int32_t, WeightedItem>& signals() const { return signals_; }
  /// The latest rating of each rated item (explicit-rating bundles fold these in).
  const std::vector<ItemRating>& ratings() const { return ratings_; }
  /// b_u of an explicit-rating bundle's fold-in (0 for implicit bundles).
  float user_bias() const { return user_bias_; }
  bool has_history() const { return !signals_.empty(); }

 private:
  friend class Recommender;
  Profile profile_;
  double now_ = 0;
  std::unordered_map<int32_t, WeightedItem> signals_;
  std::vector<uint8_t> consumed_, dismissed_, known_;
  std::vector<ConceptIndex> goals_;
  std::vector<std::string> unknown_;
  std::vector<ItemRating> ratings_;
  float user_bias_ = 0;
  Eigen::MatrixXd a_;               // k × k system matrix ((k+1)² for ratings; lower triangle authoritative)
  Eigen::VectorXd b_;
  Eigen::LLT<Eigen::MatrixXd> llt_;
  int updates_since_factorization_ = 0;
  Vector x_;
  bool refined_ = false;
  Vector shift_;
  std::unordered_map<int32_t, float> offsets_;
};

}  // namespace pathlight
