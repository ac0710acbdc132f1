#include "pathlight/recommender.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numeric>
#include <random>
#include <unordered_set>

namespace pathlight {
namespace {

double Decay(double age_seconds, double half_life_days) {
  if (half_life_days <= 0 || age_seconds <= 0) return 1.0;
  return std::exp2(-age_seconds / (half_life_days * 86400.0));
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Jaccard similarity of two small sorted-or-not concept lists.
float Jaccard(const std::vector<ConceptIndex>& a, const std::vector<ConceptIndex>& b) {
  if (a.empty() || b.empty()) return 0.f;
  int inter = 0;
  for (ConceptIndex x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) ++inter;
  return static_cast<float>(inter) / static_cast<float>(a.size() + b.size() - inter);
}

}  // namespace

const char* ReasonKindName(Reason::Kind k) {
  switch (k) {
    case Reason::Kind::kTeachesGoal: return "teaches_goal";
    case Reason::Kind::kPrerequisiteForGoal: return "prerequisite_for_goal";
    case Reason::Kind::kYouKnow: return "you_know";
    case Reason::Kind::kReady: return "ready";
    case Reason::Kind::kPopular: return "popular";
  }
  return "popular";
}

const char* PathStateName(PathStep::State s) {
  switch (s) {
    case PathStep::State::kKnown: return "known";
    case PathStep::State::kNext: return "next";
    case PathStep::State::kLater: return "later";
  }
  return "later";
}

Recommender::Recommender(Bundle bundle, LearnerOptions options)
    : bundle_(std::move(bundle)), options_(options), scores_(bundle_.catalog.num_items()) {
  const Catalog& cat = bundle_.catalog;
  depth_.assign(cat.num_concepts(), 0);
  for (ConceptIndex c : cat.topological_order())
    for (ConceptIndex p : cat.concept_at(c).prerequisites) depth_[c.value()] = std::max(depth_[c.value()], depth_[p.value()] + 1);
  // Taught and required concepts of every item in two flat arrays, read by Rank's pass over the
  // whole catalog: contiguous, where each Item's own vectors are one pointer (and cache miss) away.
  // Their inverses (concept → items) let Rank visit only the items a learner's known and goal
  // concepts touch.
  // Sized exactly up front: at 100,000 items, growth by doubling would leave megabytes of spare
  // capacity in a WebAssembly heap that never shrinks.
  size_t n_teaches = 0, n_requires = 0;
  for (const Item& it : cat.items()) {
    n_teaches += it.teaches.size();
    n_requires += it.requires_concepts.size();
  }
  teaches_.begin.reserve(cat.num_items() + 1);
  requires_.begin.reserve(cat.num_items() + 1);
  teaches_.values.reserve(n_teaches);
  requires_.values.reserve(n_requires);
  for (auto* v : {&requires_none_, &requires_divisor_, &teaches_divisor_}) v->reserve(cat.num_items());
  for (const Item& it : cat.items()) {
    teaches_.begin.push_back(static_cast<int32_t>(teaches_.values.size()));
    for (ConceptIndex c : it.teaches) teaches_.values.push_back(c.value());
    requires_.begin.push_back(static_cast<int32_t>(requires_.values.size()));
    for (ConceptIndex c : it.requires_concepts) requires_.values.push_back(c.value());
    requires_none_.push_back(it.requires_concepts.empty() ? 1.f : 0.f);
    requires_divisor_.push_back(static_cast<float>(std::max<size_t>(1, it.requires_concepts.size())));
    teaches_divisor_.push_back(static_cast<float>(std::max<size_t>(1, it.teaches.size())));
  }
  teaches_.begin.push_back(static_cast<int32_t>(teaches_.values.size()));
  requires_.begin.push_back(static_cast<int32_t>(requires_.values.size()));
  taught_by_ = teaches_.Inverse(cat.num_concepts());
  required_by_ = requires_.Inverse(cat.num_concepts());
  by_popularity_.resize(cat.num_items());
  std::iota(by_popularity_.begin(), by_popularity_.end(), 0);
  const Vector& pop = bundle_.item_popularity;
  std::stable_sort(by_popularity_.begin(), by_popularity_.end(), [&](int32_t a, int32_t b) {
    return (pop.size() ? pop[a] : 0.f) > (pop.size() ? pop[b] : 0.f);
  });
}

Recommender::IndexLists Recommender::IndexLists::Inverse(int32_t n_values) const {
  IndexLists inv;
  inv.begin.assign(n_values + 1, 0);
  for (int32_t v : values) ++inv.begin[v + 1];
  std::partial_sum(inv.begin.begin(), inv.begin.end(), inv.begin.begin());
  inv.values.resize(values.size());
  std::vector<int32_t> next(inv.begin.begin(), inv.begin.end() - 1);
  for (int32_t j = 0; j + 1 < static_cast<int32_t>(begin.size()); ++j)
    for (const int32_t* v = first(j); v != last(j); ++v) inv.values[next[*v]++] = j;
  return inv;
}

Vector Recommender::Row(int32_t i) const {
  Vector y(factors());
  bundle_.item_factors.Row(i, y.data());
  return y;
}

Vector Recommender::FoldIn(const std::vector<WeightedItem>& history) const {
  const FactorTable& y = bundle_.item_factors;
  return FoldInRows(y.cols(), bundle_.gram, history, bundle_.info.regularization, bundle_.info.alpha,
                    [&](int32_t i, Eigen::VectorXf& out) {
                      assert(i >= 0 && i < y.rows());
                      y.Row(i, out.data());
                    });
}

std::vector<ScoredItem> Recommender::Recommend(const Vector& user, const std::vector<WeightedItem>& history,
                                               const RankOptions& options) const {
  const int32_t n = num_items();
  assert(user.size() == factors());
  bundle_.item_factors.Score(user.data(), bundle_.item_bias.data(), scores_.data());
  std::vector<uint8_t> excluded;
  if (options.exclude_consumed && !history.empty()) {
    excluded.assign(n, 0);
    for (const WeightedItem& h : history) excluded[h.item] = 1;
  }
  return TopK(scores_.data(), n, options.k, excluded);
}

// ---- learner state ---------------------------------------------------------------------

LearnerState Recommender::Learner(Profile profile, double now) const {
  const Catalog& cat = bundle_.catalog;
  LearnerState s;
  s.now_ = now;
  s.consumed_.assign(cat.num_items(), 0);
  s.dismissed_.assign(cat.num_items(), 0);
  s.known_.assign(cat.num_concepts(), 0);
  const ItemSignals sig = ItemSignalsOf(profile, cat, now, options_.confidence);
  for (const WeightedItem& w : sig.items) s.signals_[w.item] = w;
  for (ItemIndex i : sig.consumed) s.consumed_[i.value()] = 1;
  for (ItemIndex i : sig.dismissed) s.dismissed_[i.value()] = 1;
  s.ratings_ = sig.ratings;
  s.unknown_ = sig.unknown;
  auto mark_known = [&](ConceptIndex c) { MarkKnown(s, c); };
  for (const std::string& id : profile.known) {
    if (auto c = cat.FindConcept(id)) mark_known(*c); else s.unknown_.push_back(id);
  }
  for (const Event& e : profile.events) {
    if (e.type == EventType::kKnowConcept) {
      if (auto c = cat.FindConcept(e.concept)) mark_known(*c); else s.unknown_.push_back(e.concept);
    } else if (e.type == EventType::kComplete) {
      if (auto i = cat.FindItem(e.item))
        for (ConceptIndex c : cat.item(*i).teaches) mark_known(c);
    }
  }
  for (const std::string& id : profile.goals) {
    if (auto c = cat.FindConcept(id)) s.goals_.push_back(*c); else s.unknown_.push_back(id);
  }
  std::vector<std::string> unique;
  for (std::string& id : s.unknown_)
    if (std::find(unique.begin(), unique.end(), id) == unique.end()) unique.push_back(std::move(id));
  s.unknown_ = std::move(unique);
  s.profile_ = std::move(profile);
  Resolve(s);
  return s;
}

void Recommender::MarkKnown(LearnerState& s, ConceptIndex c) const {
  s.known_[c.value()] = 1;
  if (options_.known_closure)
    for (ConceptIndex p : catalog().PrerequisiteClosure({c})) s.known_[p.value()] = 1;
}

void Recommender::Resolve(LearnerState& s) const {
  if (bundle_.info.ratings) return ResolveRatings(s);
  const int k = factors();
  const double alpha = bundle_.info.alpha;
  s.a_ = bundle_.gram.cast<double>();
  s.a_.diagonal().array() += bundle_.info.regularization;
  s.b_ = Eigen::VectorXd::Zero(k);
  Vector y(k);
  for (const auto& [i, w] : s.signals_) {
    bundle_.item_factors.Row(i, y.data());
    const double c = 1.0 + alpha * w.weight;
    const Eigen::VectorXd yd = y.cast<double>();
    s.a_.selfadjointView<Eigen::Lower>().rankUpdate(yd, c - 1.0);
    s.b_ += (c * w.preference) * yd;
  }
  // Concept pseudo-items: goals and stated known concepts (cold start and goal steering).
  auto pseudo = [&](ConceptIndex c, float weight) {
    const Eigen::VectorXd v = bundle_.concept_vectors.row(c.value()).transpose().cast<double>();
    if (v.squaredNorm() == 0 || weight <= 0) return;  // weight 0 = the concept does not steer x_u
    const double cg = 1.0 + alpha * weight;
    s.a_.selfadjointView<Eigen::Lower>().rankUpdate(v, cg - 1.0);
    s.b_ += cg * v;
  };
  for (ConceptIndex g : s.goals_) pseudo(g, options_.goal_weight);
  for (ConceptIndex c : StatedKnown(s)) pseudo(c, options_.known_weight);
  s.llt_.compute(s.a_);
  s.updates_since_factorization_ = 0;
  s.x_ = s.llt_.solve(s.b_).cast<float>();
  if (s.shift_.size() != k) s.shift_ = Vector::Zero(k);
}

void Recommender::ResolveRatings(LearnerState& s) const {
  const int k = factors();
  RatingSystem(k, s.ratings_, *bundle_.info.ratings, bundle_.item_bias.data(),
               [&](int32_t i, Eigen::VectorXf& out) { bundle_.item_factors.Row(i, out.data()); }, &s.a_, &s.b_);
  if (s.ratings_.empty() && !bundle_.info.ratings->has_prior()) {
    s.a_.diagonal().array() += 1.0;  // A = I, b = 0: z = 0, and Explain's solves stay defined
  }
  s.llt_.compute(s.a_);
  s.updates_since_factorization_ = 0;
  const Vector z = s.llt_.solve(s.b_).cast<float>();
  s.user_bias_ = z[0];
  s.x_ = z.tail(k);
  if (s.shift_.size() != k) s.shift_ = Vector::Zero(k);
}

std::vector<ConceptIndex> Recommender::StatedKnown(const LearnerState& s) const {
  std::vector<ConceptIndex> out;
  std::vector<uint8_t> seen(catalog().num_concepts(), 0);
  auto add = [&](const std::string& id) {
    if (auto c = catalog().FindConcept(id); c && !seen[c->value()]) {
      seen[c->value()] = 1;
      out.push_back(*c);
    }
  };
  for (const std::string& id : s.profile_.known) add(id);
  for (const Event& e : s.profile_.events)
    if (e.type == EventType::kKnowConcept) add(e.concept);
  return out;
}

void Recommender::ApplySignal(LearnerState& s, const Eigen::VectorXd& v, double dc, double dcp) const {
  if (dc != 0) {
    s.a_.selfadjointView<Eigen::Lower>().rankUpdate(v, dc);
    // Rank-1 Cholesky update, O(k²); refactorize now and then to bound round-off drift.
    if (++s.updates_since_factorization_ >= 64 || s.llt_.rankUpdate(v, dc).info() != Eigen::Success) {
      s.llt_.compute(s.a_);
      s.updates_since_factorization_ = 0;
    }
  }
  s.b_ += dcp * v;
  s.x_ = s.llt_.solve(s.b_).cast<float>();
}

Status Recommender::AddEvent(LearnerState& s, const Event& e) const {
  const Catalog& cat = bundle_.catalog;
  const double alpha = bundle_.info.alpha;
  if ((e.type == EventType::kRate || e.type == EventType::kMentorRated) && !(e.rating >= 1 && e.rating <= 5))
    return Status(ErrorCode::kInvalidArgument, "rating must be in 1..5, got " + std::to_string(e.rating));
  if (!std::isfinite(e.time) || e.time < 0)
    return Status(ErrorCode::kInvalidArgument, "event time must be a finite number of seconds >= 0");
  if (e.type == EventType::kKnowConcept) {
    auto c = cat.FindConcept(e.concept);
    if (!c) return Status(ErrorCode::kUnknownId, "concept \"" + e.concept + "\" is not in this bundle's catalog");
    const bool stated = [&] {
      for (ConceptIndex k : StatedKnown(s)) if (k == *c) return true;
      return false;
    }();
    s.profile_.events.push_back(e);
    MarkKnown(s, *c);
    const Eigen::VectorXd v = bundle_.concept_vectors.row(c->value()).transpose().cast<double>();
    if (!stated && v.squaredNorm() > 0 && options_.known_weight > 0 && !bundle_.info.ratings) ApplySignal(s, v, alpha * options_.known_weight, 1.0 + alpha * options_.known_weight);
    return Status::Ok();
  }
  auto idx = cat.FindItem(e.item);
  if (!idx) return Status(ErrorCode::kUnknownId, "item \"" + e.item + "\" is not in this bundle's catalog");
  const int32_t i = idx->value();
  s.profile_.events.push_back(e);
  const auto [base, pref] = EventSignal(e, options_.confidence);
  auto it = s.signals_.find(i);
  const WeightedItem old = it == s.signals_.end() ? WeightedItem{i, 0.f, 0.f} : it->second;
  WeightedItem now = it == s.signals_.end() ? WeightedItem{i, 0.f, 1.f} : it->second;
  now.weight += static_cast<float>(base * Decay(s.now_ - e.time, options_.confidence.half_life_days));
  if (pref >= 0) now.preference = pref;
  if (now.weight > 0) s.signals_[i] = now;
  switch (e.type) {
    case EventType::kEnroll: case EventType::kComplete: case EventType::kRate:
    case EventType::kMentorBooked: case EventType::kMentorRated:
      s.consumed_[i] = 1;
      break;
    default: break;
  }
  if (e.type == EventType::kCompacted && e.consumed) s.consumed_[i] = 1;
  if (e.type == EventType::kDismiss || (e.type == EventType::kCompacted && e.dismissed)) s.dismissed_[i] = 1;
  if (pref == 1.f) s.dismissed_[i] = 0;
  if (e.type == EventType::kComplete)
    for (ConceptIndex c : cat.item(*idx).teaches) MarkKnown(s, c);
  if (bundle_.info.ratings) {  // explicit-rating bundle: only a rating changes the solve
    if (e.type == EventType::kRate || e.type == EventType::kMentorRated) {
      auto r = std::find_if(s.ratings_.begin(), s.ratings_.end(), [&](const ItemRating& x) { return x.item == i; });
      if (r == s.ratings_.end()) s.ratings_.push_back({i, e.rating}); else r->rating = e.rating;
      ResolveRatings(s);
    }
    return Status::Ok();
  }
  const double c_old = 1.0 + alpha * old.weight, c_new = 1.0 + alpha * now.weight;
  const double p_old = old.weight > 0 ? old.preference : 0.0;
  const Eigen::VectorXd y = Row(i).cast<double>();
  ApplySignal(s, y, c_new - c_old, c_new * now.preference - c_old * p_old);
  return Status::Ok();
}

void Recommender::UpdatePreferences(LearnerState& s, const Profile& prefs) const {
  Profile p = s.profile_;
  p.goals = prefs.goals;
  p.known = prefs.known;
  p.budget = prefs.budget;
  p.currency = prefs.currency;
  p.language = prefs.language;
  p.weekly_hours = prefs.weekly_hours;
  const bool refined = s.refined_;
  Vector shift = s.shift_;
  auto offsets = s.offsets_;
  s = Learner(std::move(p), s.now_);
  s.refined_ = refined;
  s.shift_ = shift;
  s.offsets_ = std::move(offsets);
}

void Recommender::Refine(LearnerState& s, const RefineOptions& o) const {
  const int k = factors();
  Vector x = s.x_ + s.shift_;
  // Same sequence natively and in WebAssembly: the engine is standardized, the distribution
  // classes are not (libstdc++ and libc++ differ), and unordered_map order differs too.
  std::mt19937_64 rng(o.seed);
  auto pick = [&] { return static_cast<int32_t>(rng() % static_cast<uint64_t>(num_items())); };
  // Targets: implicit bundles fit preference p_i with confidence c_i (and sampled negatives, p = 0);
  // explicit-rating bundles fit the residual rating r_i − μ − b_u with weight 1 (no negatives: an
  // unrated item is not a low rating).
  const auto& rm = bundle_.info.ratings;
  std::vector<WeightedItem> observed;  // (item, confidence, target)
  if (rm) {
    for (const ItemRating& r : s.ratings_) observed.push_back({r.item, 1.f, r.rating - rm->global_mean - s.user_bias_});
  } else {
    for (const auto& [i, w] : s.signals_)
      observed.push_back({i, static_cast<float>(1.0 + bundle_.info.alpha * w.weight), w.preference});
  }
  std::sort(observed.begin(), observed.end(), [](const WeightedItem& a, const WeightedItem& b) { return a.item < b.item; });
  Vector y(k);
  auto step = [&](int32_t i, float p, float c) {
    bundle_.item_factors.Row(i, y.data());
    float& off = s.offsets_[i];
    const float e = c * (p - (x.dot(y) + bundle_.item_bias[i] + off));
    x += o.learning_rate * (e * y - o.regularization * (x - s.x_));
    off = std::clamp(off + o.learning_rate * (e - o.regularization * off), -o.max_offset, o.max_offset);
  };
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    for (const WeightedItem& w : observed) step(w.item, w.preference, w.weight);
    for (int j = 0; j < (rm ? 0 : o.negatives); ++j) {
      const int32_t i = pick();
      if (!s.signals_.count(i)) step(i, 0.f, 1.f);
    }
    Vector shift = x - s.x_;
    const float limit = o.max_shift * s.x_.norm();
    if (shift.norm() > limit) x = s.x_ + shift * (limit / shift.norm());
  }
  for (auto it = s.offsets_.begin(); it != s.offsets_.end();)
    it = it->second == 0.f ? s.offsets_.erase(it) : std::next(it);
  s.shift_ = x - s.x_;
  s.refined_ = true;
}

void Recommender::ResetPersonalization(LearnerState& s) const {
  s.refined_ = false;
  s.shift_ = Vector::Zero(factors());
  s.offsets_.clear();
}

// ---- ranking ---------------------------------------------------------------------------

float Recommender::Personal(const LearnerState& s, const Vector& x, int32_t i) const {
  float v = bundle_.item_bias[i];
  Vector y = Row(i);
  v += x.dot(y);
  if (auto it = s.offsets_.find(i); it != s.offsets_.end()) v += it->second;
  return v;
}

float Recommender::Readiness(const LearnerState& s, ItemIndex i) const {
  const int32_t* begin = requires_.first(i.value());
  const int32_t* end = requires_.last(i.value());
  if (begin == end) return 1.f;
  int known = 0;
  for (const int32_t* c = begin; c != end; ++c) known += s.known_[*c];
  return static_cast<float>(known) / static_cast<float>(end - begin);
}

std::vector<float> Recommender::GoalRelevance(const LearnerState& s) const {
  const Catalog& cat = catalog();
  std::vector<float> rel(cat.num_concepts(), 0.f);
  for (ConceptIndex g : s.goals_) {
    std::vector<ConceptIndex> path = cat.PrerequisiteClosure({g});
    path.push_back(g);
    for (ConceptIndex c : path) {
      if (s.known_[c.value()]) continue;
      bool ready = true;
      for (ConceptIndex p : cat.concept_at(c).prerequisites) ready = ready && s.known_[p.value()];
      rel[c.value()] = std::max(rel[c.value()], ready ? 1.f : 0.5f);
    }
  }
  return rel;
}

void Recommender::Eligible(const LearnerState* s, const RankOptions& o, std::vector<uint8_t>* ok_out) const {
  const Catalog& cat = catalog();
  const int32_t n = cat.num_items();
  std::vector<uint8_t>& ok = *ok_out;
  ok.assign(n, 1);
  // Learner filters first (flat byte arrays, one pass), then the item filters, which read each
  // Item, only when one is set and only for items still in.
  if (s && (o.exclude_consumed || o.exclude_dismissed)) {
    const uint8_t* consumed = s->consumed_.data();
    const uint8_t* dismissed = s->dismissed_.data();
    const uint8_t consumed_mask = o.exclude_consumed ? 0xff : 0, dismissed_mask = o.exclude_dismissed ? 0xff : 0;
    for (int32_t i = 0; i < n; ++i) ok[i] = ((consumed[i] & consumed_mask) | (dismissed[i] & dismissed_mask)) == 0;
  }
  if (!o.kinds.empty() || o.max_price >= 0 || !o.levels.empty() || !o.languages.empty()) {
    for (int32_t i = 0; i < n; ++i) {
      if (!ok[i]) continue;
      const Item& it = cat.item(ItemIndex(i));
      bool pass = true;
      if (!o.kinds.empty() && std::find(o.kinds.begin(), o.kinds.end(), it.kind) == o.kinds.end()) pass = false;
      if (o.max_price >= 0 && it.price_known && it.price > o.max_price) pass = false;
      if (!o.levels.empty() && std::find(o.levels.begin(), o.levels.end(), it.level) == o.levels.end()) pass = false;
      if (pass && !o.languages.empty() && !Contains(o.languages, it.language)) {
        bool any = false;  // mentors pass when they speak any listed language
        for (const std::string& l : it.languages) any = any || Contains(o.languages, l);
        if (!any) pass = false;
      }
      ok[i] = pass;
    }
  }
  if (s && o.min_readiness > 0)
    for (int32_t i = 0; i < n; ++i)
      if (ok[i] && Readiness(*s, ItemIndex(i)) < o.min_readiness) ok[i] = 0;
}

std::vector<Recommendation> Recommender::SelectMmr(std::vector<Recommendation> cand, const RankOptions& o) const {
  const Catalog& cat = catalog();
  const size_t m = cand.size();
  // Per candidate: its kind, read once, and max_{j∈S} sim(i, j) over the items chosen so far,
  // raised after each choice by the similarity to the new item only (a max is the same in any
  // order), so each round costs O(pool) instead of O(pool · |S|).
  std::vector<ItemKind> kind(m);
  for (size_t j = 0; j < m; ++j) kind[j] = cat.item(cand[j].item).kind;
  std::vector<float> max_sim(m, 0.f);
  std::vector<uint8_t> used(m, 0);
  std::vector<Recommendation> out;
  int mentors = 0, memberships = 0;
  while (static_cast<int>(out.size()) < o.k) {
    int best = -1;
    float best_value = -INFINITY;
    for (size_t j = 0; j < m; ++j) {
      if (used[j]) continue;
      if (kind[j] == ItemKind::kMentor && o.max_mentors >= 0 && mentors >= o.max_mentors) continue;
      if (kind[j] == ItemKind::kMembership && o.max_memberships >= 0 && memberships >= o.max_memberships) continue;
      float value = cand[j].score;
      if (o.mmr_lambda < 1.f) value = o.mmr_lambda * cand[j].score - (1.f - o.mmr_lambda) * max_sim[j];
      if (value > best_value) {
        best_value = value;
        best = static_cast<int>(j);
      }
    }
    if (best < 0) break;
    used[best] = 1;
    mentors += kind[best] == ItemKind::kMentor;
    memberships += kind[best] == ItemKind::kMembership;
    if (o.mmr_lambda < 1.f) {
      const std::vector<ConceptIndex>& chosen = cat.item(cand[best].item).teaches;
      for (size_t j = 0; j < m; ++j)
        if (!used[j]) max_sim[j] = std::max(max_sim[j], Jaccard(cat.item(cand[j].item).teaches, chosen));
    }
    out.push_back(std::move(cand[best]));
  }
  return out;
}

std::vector<Reason> Recommender::ReasonsFor(const LearnerState& s, ItemIndex i) const {
  const Catalog& cat = catalog();
  std::vector<Reason> out;
  const Item& item = cat.item(i);
  for (ConceptIndex t : item.teaches) {
    for (ConceptIndex g : s.goals_) {
      if (s.known_[g.value()]) continue;  // a goal already reached is no reason any more
      if (t == g) {
        out.push_back({Reason::Kind::kTeachesGoal, t, g});
        break;
      }
      const auto closure = cat.PrerequisiteClosure({g});
      if (!s.known_[t.value()] && std::find(closure.begin(), closure.end(), t) != closure.end()) {
        out.push_back({Reason::Kind::kPrerequisiteForGoal, t, g});
        break;
      }
    }
  }
  int you_know = 0;
  for (ConceptIndex r : item.requires_concepts)
    if (s.known_[r.value()] && you_know++ < 2) out.push_back({Reason::Kind::kYouKnow, r, ConceptIndex()});
  if (!item.requires_concepts.empty() && Readiness(s, i) == 1.f) out.push_back({Reason::Kind::kReady, ConceptIndex(), ConceptIndex()});
  return out;
}

std::vector<Recommendation> Recommender::Rank(const LearnerState& s, const RankOptions& o) const {
  const int32_t n = num_items();
  Eligible(&s, o, &eligible_);
  const std::vector<uint8_t>& ok = eligible_;
  const int pool = std::max(o.k, o.candidate_pool);
  std::vector<Recommendation> cand;
  if (!s.has_history() && s.goals_.empty() && StatedKnown(s).empty()) {
    // Nothing to personalize on: most popular within the filters.
    for (int32_t i : by_popularity_) {
      if (!ok[i]) continue;
      Recommendation r;
      r.item = ItemIndex(i);
      r.score = r.personal = bundle_.item_popularity.size() ? bundle_.item_popularity[i] : 0.f;
      r.readiness = Readiness(s, r.item);
      r.reasons.push_back({Reason::Kind::kPopular, ConceptIndex(), ConceptIndex()});
      cand.push_back(std::move(r));
      if (static_cast<int>(cand.size()) >= pool) break;
    }
    return SelectMmr(std::move(cand), o);
  }
  const Vector x = s.user();
  bundle_.item_factors.Score(x.data(), bundle_.item_bias.data(), scores_.data());
  for (const auto& [i, off] : s.offsets_) scores_[i] += off;
  const std::vector<float> goal_rel = GoalRelevance(s);
  const float rw = o.readiness_weight, gw = o.goal_weight, kp = o.known_penalty;
  // score_i (RankOptions) from item i's three knowledge-graph terms, each in [0, 1].
  auto combine = [rw, gw, kp](float personal, float readiness, float relevance, float known) {
    return personal + rw * readiness + gw * relevance - kp * known;
  };
  // goal relevance_i = max over taught concepts of goal_rel, and the share of taught concepts
  // already known; one pass over the flat concept arrays.
  auto relevance_and_known = [&](int32_t i, float* relevance, float* known) {
    const int32_t* begin = teaches_.first(i);
    const int32_t* end = teaches_.last(i);
    float rel = 0.f;
    int known_taught = 0;
    for (const int32_t* c = begin; c != end; ++c) {
      rel = std::max(rel, goal_rel[*c]);
      known_taught += s.known_[*c];
    }
    *relevance = rel;
    *known = begin == end ? 0.f : static_cast<float>(known_taught) / static_cast<size_t>(end - begin);
  };
  // Per item, from the inverse lists of the learner's known and goal-path concepts only: how many
  // of its required and of its taught concepts are known (counted with repeats, as the item lists
  // them) and the highest goal relevance among its taught concepts. Then one branch-free pass
  // over the catalog forms readiness_i, goal relevance_i and known_i from them, the same floats
  // as Readiness and relevance_and_known give. A term whose weight is ±0 is ±0 whatever its value
  // (each is ≥ 0), so its lists are skipped. Ineligible items get −∞, which TopK skips.
  known_required_.assign(requires_none_.begin(), requires_none_.end());
  known_taught_.resize(n);
  relevance_.resize(n);
  std::fill(known_taught_.begin(), known_taught_.end(), 0.f);
  std::fill(relevance_.begin(), relevance_.end(), 0.f);
  for (int32_t c = 0; c < catalog().num_concepts(); ++c) {
    if (s.known_[c] && rw != 0.f)
      for (const int32_t* i = required_by_.first(c); i != required_by_.last(c); ++i) known_required_[*i] += 1.f;
    if (s.known_[c] && kp != 0.f)
      for (const int32_t* i = taught_by_.first(c); i != taught_by_.last(c); ++i) known_taught_[*i] += 1.f;
    if (goal_rel[c] > 0.f && gw != 0.f)
      for (const int32_t* i = taught_by_.first(c); i != taught_by_.last(c); ++i)
        relevance_[*i] = std::max(relevance_[*i], goal_rel[c]);
  }
  final_.resize(n);
  const float *personal = scores_.data(), *relevance = relevance_.data();
  const float *known_required = known_required_.data(), *requires_divisor = requires_divisor_.data();
  const float *known_taught = known_taught_.data(), *teaches_divisor = teaches_divisor_.data();
  const uint8_t* eligible = ok.data();
  float* final_score = final_.data();
  for (int32_t i = 0; i < n; ++i) {
    const float v = combine(personal[i], known_required[i] / requires_divisor[i], relevance[i],
                            known_taught[i] / teaches_divisor[i]);
    final_score[i] = eligible[i] ? v : -INFINITY;
  }
  for (const ScoredItem& t : TopK(final_.data(), n, pool)) {
    const int32_t i = t.item.value();
    Recommendation r;
    r.item = t.item;
    r.score = t.score;
    r.personal = scores_[i];
    r.readiness = Readiness(s, t.item);
    float known;
    relevance_and_known(i, &r.goal_relevance, &known);
    cand.push_back(std::move(r));
  }
  std::vector<Recommendation> out = SelectMmr(std::move(cand), o);
  for (Recommendation& r : out) r.reasons = ReasonsFor(s, r.item);
  return out;
}

std::vector<Recommendation> Recommender::Similar(ItemIndex item, const RankOptions& o) const {
  const int32_t n = num_items();
  const RowMatrix y = bundle_.item_factors.Dequantized();
  const Vector q = y.row(item.value()).transpose();
  const float qn = q.norm();
  std::vector<uint8_t> ok;
  Eligible(nullptr, o, &ok);
  std::vector<uint8_t> excluded(n);
  std::vector<float> sim(n, 0.f);
  for (int32_t i = 0; i < n; ++i) {
    excluded[i] = !ok[i] || i == item.value();
    const float norm = y.row(i).norm();
    sim[i] = (norm > 0 && qn > 0) ? y.row(i).dot(q) / (norm * qn) : 0.f;
  }
  std::vector<Recommendation> out;
  for (const ScoredItem& t : TopK(sim.data(), n, o.k, excluded)) {
    Recommendation r;
    r.item = t.item;
    r.score = r.personal = t.score;
    out.push_back(std::move(r));
  }
  return out;
}

Explanation Recommender::Explain(const LearnerState& s, ItemIndex item) const {
  Explanation ex;
  if (const auto& rm = bundle_.info.ratings) {
    const int k = factors();
    Eigen::VectorXd yt(k + 1);
    yt[0] = 1.0;
    yt.tail(k) = Row(item.value()).cast<double>();
    const Eigen::VectorXd q = s.llt_.solve(yt);  // A⁻¹ ỹ_i
    ex.score = s.user_bias_ + s.x_.dot(Row(item.value()));
    for (const ItemRating& r : s.ratings_) {
      Eigen::VectorXd yj(k + 1);
      yj[0] = 1.0;
      yj.tail(k) = Row(r.item).cast<double>();
      const double v = (static_cast<double>(r.rating) - rm->global_mean - bundle_.item_bias[r.item]) * yj.dot(q);
      if (v != 0) ex.contributions.push_back({ItemIndex(r.item), ConceptIndex(), static_cast<float>(v)});
    }
    if (rm->has_prior())  // the average learner's part: ỹ_iᵀA⁻¹·P·m
      ex.prior = static_cast<float>(q.dot(rm->prior_precision.cast<double>() * rm->prior_mean.cast<double>()));
    std::sort(ex.contributions.begin(), ex.contributions.end(),
              [](const Contribution& a, const Contribution& b) { return std::fabs(a.value) > std::fabs(b.value); });
    ex.reasons = ReasonsFor(s, item);
    return ex;
  }
  const double alpha = bundle_.info.alpha;
  const Eigen::VectorXd yi = Row(item.value()).cast<double>();
  const Eigen::VectorXd q = s.llt_.solve(yi);  // A⁻¹ y_i
  ex.score = static_cast<float>(s.x_.cast<double>().dot(yi));
  for (const auto& [j, w] : s.signals_) {
    const double c = 1.0 + alpha * w.weight;
    const double v = c * w.preference * Row(j).cast<double>().dot(q);
    if (v != 0) ex.contributions.push_back({ItemIndex(j), ConceptIndex(), static_cast<float>(v)});
  }
  auto pseudo = [&](ConceptIndex c, float weight) {
    const Eigen::VectorXd v = bundle_.concept_vectors.row(c.value()).transpose().cast<double>();
    if (v.squaredNorm() == 0 || weight <= 0) return;
    ex.contributions.push_back({ItemIndex(), c, static_cast<float>((1.0 + alpha * weight) * v.dot(q))});
  };
  for (ConceptIndex g : s.goals_) pseudo(g, options_.goal_weight);
  for (ConceptIndex c : StatedKnown(s)) pseudo(c, options_.known_weight);
  std::sort(ex.contributions.begin(), ex.contributions.end(),
            [](const Contribution& a, const Contribution& b) { return std::fabs(a.value) > std::fabs(b.value); });
  ex.reasons = ReasonsFor(s, item);
  return ex;
}

std::optional<float> Recommender::PredictRating(const LearnerState& s, ItemIndex item) const {
  const auto& rm = bundle_.info.ratings;
  if (!rm) return std::nullopt;
  const float r = rm->global_mean + s.user_bias_ + Personal(s, s.user(), item.value());
  return std::clamp(r, rm->min_rating, rm->max_rating);
}

// ---- knowledge graph -------------------------------------------------------------------

LearningPath Recommender::Path(const LearnerState& s, std::vector<ConceptIndex> goals, const RankOptions& o) const {
  const Catalog& cat = catalog();
  if (goals.empty()) goals = s.goals_;
  LearningPath path;
  path.goals = goals;
  std::vector<uint8_t> on_path(cat.num_concepts(), 0);
  for (ConceptIndex c : cat.PrerequisiteClosure(goals)) on_path[c.value()] = 1;
  for (ConceptIndex g : goals) on_path[g.value()] = 1;
  RankOptions filters = o;
  filters.exclude_consumed = false;  // an item in progress is still the way to learn its concept
  std::vector<uint8_t> ok;
  Eligible(&s, filters, &ok);
  const Vector x = s.user();
  for (ConceptIndex c : cat.topological_order()) {
    if (!on_path[c.value()]) continue;
    PathStep step;
    step.concept = c;
    step.depth = depth_[c.value()];
    if (s.known_[c.value()]) {
      step.state = PathStep::State::kKnown;
    } else {
      bool ready = true;
      for (ConceptIndex p : cat.concept_at(c).prerequisites) ready = ready && s.known_[p.value()];
      step.state = ready ? PathStep::State::kNext : PathStep::State::kLater;
      float best = -INFINITY;
      for (const int32_t* t = taught_by_.first(c.value()); t != taught_by_.last(c.value()); ++t) {
        const int32_t i = *t;  // ascending item indices; mentors teach no path step
        if (!ok[i] || cat.item(ItemIndex(i)).kind == ItemKind::kMentor) continue;
        const float v = Personal(s, x, i);
        if (v > best) {
          best = v;
          step.best_item = ItemIndex(i);
        }
      }
      if (!step.best_item) path.unreachable.push_back(c);
      if (!path.hardest || depth_[c.value()] >= depth_[path.hardest->value()]) path.hardest = c;
    }
    path.steps.push_back(step);
  }
  // Totals: each distinct best item once (one course may be best for several steps), and not
  // the ones the learner already enrolled in (already paid for / under way).
  std::vector<uint8_t> counted(cat.num_items(), 0);
  for (const PathStep& st : path.steps) {
    if (!st.best_item || counted[st.best_item->value()] || s.consumed_[st.best_item->value()]) continue;
    counted[st.best_item->value()] = 1;
    const Item& item = cat.item(*st.best_item);
    if (item.price_known) path.total_price += item.price; else ++path.unpriced_items;
    path.total_hours += item.hours;
  }
  if (path.hardest) {
    MentorOptions mo;
    mo.k = 1;
    auto m = Mentors(s, {*path.hardest}, mo);
    if (!m.empty()) path.mentor = m.front();
  }
  return path;
}

std::vector<MentorMatch> Recommender::Mentors(const LearnerState& s, std::vector<ConceptIndex> gap,
                                              const MentorOptions& o) const {
  const Catalog& cat = catalog();
  if (gap.empty()) {
    std::vector<uint8_t> seen(cat.num_concepts(), 0);
    std::vector<ConceptIndex> targets = cat.PrerequisiteClosure(s.goals_);
    targets.insert(targets.end(), s.goals_.begin(), s.goals_.end());
    for (ConceptIndex c : targets)
      if (!s.known_[c.value()] && !seen[c.value()]) {
        seen[c.value()] = 1;
        gap.push_back(c);
      }
  }
  const Vector x = s.user();
  const std::string& lang = s.profile_.language;
  std::vector<MentorMatch> out;
  for (int32_t i = 0; i < cat.num_items(); ++i) {
    const Item& m = cat.item(ItemIndex(i));
    if (m.kind != ItemKind::kMentor || s.dismissed_[i]) continue;
    MentorMatch mm;
    mm.mentor = ItemIndex(i);
    float cov = 0.f;
    for (ConceptIndex g : gap)
      for (const auto& [c, w] : m.expertise)
        if (c == g) {
          cov += w;
          mm.covers.push_back(g);
        }
    mm.coverage = gap.empty() ? 0.f : cov / static_cast<float>(gap.size());
    if (!gap.empty() && mm.covers.empty()) continue;
    mm.personal = Personal(s, x, i);
    mm.within_budget = s.profile_.budget < 0 || !m.price_known || m.price <= s.profile_.budget;
    mm.has_capacity = m.capacity > 0;
    mm.speaks_language = lang.empty() || m.language == lang || Contains(m.languages, lang);
    if ((o.require_budget && !mm.within_budget) || (o.require_capacity && !mm.has_capacity) ||
        (o.require_language && !mm.speaks_language))
      continue;
    mm.score = o.coverage_weight * mm.coverage + o.personal_weight * mm.personal +
               o.rating_weight * static_cast<float>(m.rating / 5.0);
    out.push_back(std::move(mm));
  }
  std::sort(out.begin(), out.end(), [](const MentorMatch& a, const MentorMatch& b) {
    return a.score > b.score || (a.score == b.score && a.mentor < b.mentor);
  });
  if (static_cast<int>(out.size()) > o.k) out.resize(o.k);
  return out;
}

}  // namespace pathlight
