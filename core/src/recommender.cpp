// The learner's state and its updates; the per-request context; reasons. Ranking: ranking.cpp;
// paths: learning_path.cpp; mentors: mentors.cpp.
#include "pathlight/recommender.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <sstream>
#include <unordered_set>

namespace pathlight {

const char* KnownViaName(KnownVia via) {
  switch (via) {
    case KnownVia::kNone: return "none";
    case KnownVia::kStated: return "stated";
    case KnownVia::kEvent: return "event";
    case KnownVia::kCompleted: return "completed";
    case KnownVia::kPrerequisite: return "prerequisite";
  }
  return "none";
}

const char* PathStateName(PathStep::State s) {
  switch (s) {
    case PathStep::State::kKnown: return "known";
    case PathStep::State::kTaking: return "taking";
    case PathStep::State::kNext: return "next";
    case PathStep::State::kLater: return "later";
  }
  return "later";
}

namespace {
// The bundle with content factors for every item without a trained row (content_model.h). A
// content model that does not fit the bundle was already refused by the reader (DecodeBundle).
Bundle WithContentFactors(Bundle b) {
  (void)FillContentFactors(&b);
  return b;
}
}  // namespace

Recommender::Recommender(Bundle bundle, LearnerOptions options)
    : bundle_(WithContentFactors(std::move(bundle))), options_(options), graph_(bundle_.catalog),
      model_(FoldInModel::For(bundle_, options_)) {
  const int32_t n = bundle_.catalog.num_items();
  by_popularity_.resize(n);
  std::iota(by_popularity_.begin(), by_popularity_.end(), 0);
  const Vector& pop = bundle_.item_popularity;
  std::stable_sort(by_popularity_.begin(), by_popularity_.end(), [&](int32_t a, int32_t b) {
    return (pop.size() ? pop[a] : 0.f) > (pop.size() ? pop[b] : 0.f);
  });
}

const std::vector<float>& Recommender::ItemNorms() const {
  std::call_once(norms_once_, [this] {
    item_norms_.resize(num_items());
    Vector y(factors());
    for (int32_t i = 0; i < num_items(); ++i) {
      bundle_.item_factors.Row(i, y.data());
      item_norms_[i] = y.norm();
    }
  });
  return item_norms_;
}

Vector Recommender::FoldIn(const std::vector<WeightedItem>& history) const {
  const FactorTable& y = bundle_.item_factors;
  // An item listed more than once is one item whose weight is the sum (its latest preference).
  std::map<int32_t, WeightedItem> merged;
  for (const WeightedItem& h : history) {
    auto [it, fresh] = merged.emplace(h.item, h);
    if (!fresh) {
      it->second.weight += h.weight;
      it->second.preference = h.preference;
    }
  }
  std::vector<WeightedItem> unique;
  unique.reserve(merged.size());
  for (const auto& [i, h] : merged) unique.push_back(h);
  return FoldInRows(y.cols(), bundle_.gram, unique, bundle_.info.regularization, bundle_.info.alpha,
                    [&](int32_t i, Eigen::VectorXf& out) {
                      assert(i >= 0 && i < y.rows());
                      y.Row(i, out.data());
                    });
}

std::vector<ScoredItem> Recommender::Recommend(const Vector& user, const std::vector<WeightedItem>& history,
                                               const RankOptions& options) const {
  const int32_t n = num_items();
  assert(user.size() == factors());
  std::vector<float> scores(n);
  bundle_.item_factors.Score(user.data(), bundle_.item_bias.data(), scores.data());
  std::vector<uint8_t> excluded;
  if (options.exclude_consumed && !history.empty()) {
    excluded.assign(n, 0);
    for (const WeightedItem& h : history) excluded[h.item] = 1;
  }
  return TopK(scores.data(), n, options.k, excluded);
}

// ---- learner state ---------------------------------------------------------------------

void Recommender::MarkKnown(LearnerState& s, ConceptIndex c, KnownVia via) const {
  KnownVia& v = s.known_via_[c.value()];
  if (v == KnownVia::kNone || via < v) v = via;
  s.known_[c.value()] = 1;
}

// Known concepts from scratch: stated, know_concept events, the concepts of items done (completed,
// or rated without an enrolment: ItemSignal::done), then
// (with known_closure) their prerequisite closure. O(concepts + edges + signals).
void Recommender::ComputeKnown(LearnerState& s) const {
  const Catalog& cat = catalog();
  s.known_.assign(cat.num_concepts(), 0);
  s.known_via_.assign(cat.num_concepts(), KnownVia::kNone);
  for (const std::string& id : s.profile_.known)
    if (auto c = cat.FindConcept(id)) MarkKnown(s, *c, KnownVia::kStated);
  for (const Event& e : s.profile_.events)
    if (e.type == EventType::kKnowConcept)
      if (auto c = cat.FindConcept(e.concept)) MarkKnown(s, *c, KnownVia::kEvent);
  for (const auto& [i, sig] : s.signals_)
    if (sig.done(graph_.item_kinds()[i]))
      for (ConceptIndex c : cat.item(ItemIndex(i)).teaches) MarkKnown(s, c, KnownVia::kCompleted);
  if (!options_.known_closure) return;
  std::vector<ConceptIndex> direct;
  for (int32_t c = 0; c < cat.num_concepts(); ++c)
    if (s.known_[c]) direct.push_back(ConceptIndex(c));
  const std::vector<uint8_t> closure = graph_.ClosureFlags(direct, false);
  for (int32_t c = 0; c < cat.num_concepts(); ++c)
    if (closure[c]) MarkKnown(s, ConceptIndex(c), KnownVia::kPrerequisite);
}

LearnerState Recommender::Learner(Profile profile, double now) const {
  const Catalog& cat = bundle_.catalog;
  LearnerState s;
  s.now_ = now;
  s.consumed_.assign(cat.num_items(), 0);
  s.dismissed_.assign(cat.num_items(), 0);
  ItemSignals sig = ItemSignalsOf(profile, cat, now, options_.confidence, model_->rating_scale());
  for (auto& [i, signal] : sig.items) {
    s.signals_.emplace(i.value(), signal);
    s.consumed_[i.value()] = signal.consumed();
    s.dismissed_[i.value()] = signal.dismissed;
  }
  s.out_of_scale_ = std::move(sig.out_of_scale);
  s.unknown_ = std::move(sig.unknown);
  std::vector<uint8_t> stated(cat.num_concepts(), 0), goal(cat.num_concepts(), 0);
  auto state = [&](const std::string& id) {
    if (auto c = cat.FindConcept(id)) {
      if (!stated[c->value()]) s.stated_known_.push_back(*c);
      stated[c->value()] = 1;
    } else {
      s.unknown_.push_back(id);
    }
  };
  for (const std::string& id : profile.known) state(id);
  for (const Event& e : profile.events)
    if (e.type == EventType::kKnowConcept) state(e.concept);
  for (const std::string& id : profile.goals) {
    if (auto c = cat.FindConcept(id)) {
      if (!goal[c->value()]) s.goals_.push_back(*c);
      goal[c->value()] = 1;
    } else {
      s.unknown_.push_back(id);
    }
  }
  std::vector<std::string> unique;  // first occurrences, in order: linear (a profile may name 100,000 unknown ids)
  std::unordered_set<std::string> seen;
  for (std::string& id : s.unknown_)
    if (seen.insert(id).second) unique.push_back(std::move(id));
  s.unknown_ = std::move(unique);
  s.profile_ = std::move(profile);
  ComputeKnown(s);
  model_->Solve(&s);
  if (s.shift_.size() != factors()) s.shift_ = Vector::Zero(factors());
  return s;
}

Status Recommender::AddEvent(LearnerState& s, const Event& e) const {
  const Catalog& cat = bundle_.catalog;
  const bool rating_event = e.type == EventType::kRate || e.type == EventType::kMentorRated;
  const RatingScale scale = model_->rating_scale();
  if (rating_event && !scale.Contains(e.rating)) {
    std::ostringstream msg;
    msg << "rating must be on this bundle's scale " << scale.min << ".." << scale.max << ", got " << e.rating;
    return Status(ErrorCode::kInvalidArgument, msg.str());
  }
  if (!rating_event && e.type != EventType::kCompacted && e.rating != 0)
    return Status(ErrorCode::kInvalidArgument, std::string("a ") + EventTypeName(e.type) + " event has no rating");
  if (!std::isfinite(e.time) || e.time < 0 || e.time > kMaxEventTime)
    return Status(ErrorCode::kInvalidArgument, "event time must be unix seconds in [0, 1e11]");
  if (e.type == EventType::kKnowConcept) {
    auto c = cat.FindConcept(e.concept);
    if (!c) return Status(ErrorCode::kUnknownId, "concept \"" + e.concept + "\" is not in this bundle's catalog");
    const bool stated = std::find(s.stated_known_.begin(), s.stated_known_.end(), *c) != s.stated_known_.end();
    s.profile_.events.push_back(e);
    ComputeKnown(s);
    if (!stated) {
      s.stated_known_.push_back(*c);
      model_->ConceptStated(*c, &s);
    }
    return Status::Ok();
  }
  auto idx = cat.FindItem(e.item);
  if (!idx) return Status(ErrorCode::kUnknownId, "item \"" + e.item + "\" is not in this bundle's catalog");
  const int32_t i = idx->value();
  s.profile_.events.push_back(e);
  const ItemSignal before = s.signals_.count(i) ? s.signals_[i] : ItemSignal();
  ItemSignal after = before;
  Accumulate(e, Decay(s.now_ - e.time, options_.confidence.half_life_days), options_.confidence, scale, &after);
  s.signals_[i] = after;
  s.consumed_[i] = after.consumed();
  s.dismissed_[i] = after.dismissed;
  if (after.done(graph_.item_kinds()[i]) != before.done(graph_.item_kinds()[i])) ComputeKnown(s);
  model_->ItemChanged(i, before, after, &s);
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
  p.level = prefs.level;
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
  const Vector& x_fold = s.system_.x;
  Vector x = x_fold + s.shift_;
  // Same sequence natively and in WebAssembly: the engine is standardized, the distribution
  // classes are not (libstdc++ and libc++ differ).
  std::mt19937_64 rng(o.seed);
  auto pick = [&] { return static_cast<int32_t>(rng() % static_cast<uint64_t>(num_items())); };
  const std::vector<WeightedItem> observed = model_->RefineTargets(s);  // (item, confidence, target), by item
  Vector y(k);
  auto step = [&](int32_t i, float p, float c) {
    bundle_.item_factors.Row(i, y.data());
    float& off = s.offsets_[i];
    const float e = c * (p - (x.dot(y) + bundle_.item_bias[i] + off));
    x += o.learning_rate * (e * y - o.regularization * (x - x_fold));
    off = std::clamp(off + o.learning_rate * (e - o.regularization * off), -o.max_offset, o.max_offset);
  };
  const int negatives = model_->refine_negatives() ? o.negatives : 0;
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    for (const WeightedItem& w : observed) step(w.item, w.preference, w.weight);
    for (int j = 0; j < negatives; ++j) {
      const int32_t i = pick();
      if (!s.signals_.count(i)) step(i, 0.f, 1.f);
    }
    Vector shift = x - x_fold;
    const float limit = o.max_shift * x_fold.norm();
    if (shift.norm() > limit) x = x_fold + shift * (limit / shift.norm());
  }
  for (auto it = s.offsets_.begin(); it != s.offsets_.end();)
    it = it->second == 0.f ? s.offsets_.erase(it) : std::next(it);
  s.shift_ = x - x_fold;
  s.refined_ = true;
}

void Recommender::ResetPersonalization(LearnerState& s) const {
  s.refined_ = false;
  s.shift_ = Vector::Zero(factors());
  s.offsets_.clear();
}

// ---- per-request context and summary ---------------------------------------------------

LearnerContext Recommender::Context(const LearnerState& s) const {
  const Catalog& cat = catalog();
  LearnerContext ctx;
  ctx.learner = &s;
  const std::vector<uint8_t>& known = s.known_concepts();
  for (ConceptIndex g : s.goals()) (known[g.value()] ? ctx.reached_goals : ctx.open_goals).push_back(g);
  ctx.goal_relevance.assign(cat.num_concepts(), 0.f);
  ctx.in_gap.assign(cat.num_concepts(), 0);
  for (ConceptIndex g : ctx.open_goals) {
    ctx.closures.push_back(graph_.ClosureFlags({g}, false));
    const std::vector<uint8_t>& closure = ctx.closures.back();
    for (int32_t c = 0; c < cat.num_concepts(); ++c) {
      if ((!closure[c] && c != g.value()) || known[c]) continue;
      bool ready = true;
      for (ConceptIndex p : cat.concept_at(ConceptIndex(c)).prerequisites) ready = ready && known[p.value()];
      ctx.goal_relevance[c] = std::max(ctx.goal_relevance[c], ready ? 1.f : 0.5f);
      ctx.in_gap[c] = 1;
    }
  }
  for (ConceptIndex c : cat.topological_order())
    if (ctx.in_gap[c.value()]) ctx.gap.push_back(c);
  return ctx;
}

namespace {

// The "My learning" group of an item (the strongest relation first; a later positive signal has
// already lifted a dismissal).
ItemRelation LearningGroup(const ItemSignal& s, ItemKind kind) {
  const bool mentor = kind == ItemKind::kMentor;
  if (s.dismissed) return ItemRelation::kDismissed;
  if (s.done(kind)) return ItemRelation::kCompleted;
  if (s.enrolled) return ItemRelation::kEnrolled;
  if (s.booked || (s.rating > 0 && mentor)) return ItemRelation::kBooked;
  if (s.bookmarked) return ItemRelation::kSaved;
  return ItemRelation::kViewed;
}

// What "because you …" says the learner did with an item: the strongest action.
ItemRelation StrongestAction(const ItemSignal& s) {
  if (s.completed) return ItemRelation::kCompleted;
  if (s.enrolled) return ItemRelation::kEnrolled;
  if (s.booked) return ItemRelation::kBooked;
  if (s.rating > 0) return ItemRelation::kRated;
  if (s.bookmarked) return ItemRelation::kSaved;
  return ItemRelation::kViewed;
}

}  // namespace

LearnerSummary Recommender::Summary(const LearnerState& s) const {
  const Catalog& cat = catalog();
  LearnerSummary out;
  const LearnerContext ctx = Context(s);
  out.goals = ctx.open_goals;
  out.reached_goals = ctx.reached_goals;
  std::vector<ConceptIndex> direct;  // known other than through the closure, with their closures
  std::vector<std::vector<uint8_t>> direct_closure;
  for (int32_t c = 0; c < cat.num_concepts(); ++c)
    if (s.known_via_[c] != KnownVia::kNone && s.known_via_[c] != KnownVia::kPrerequisite) {
      direct.push_back(ConceptIndex(c));
      if (options_.known_closure) direct_closure.push_back(graph_.ClosureFlags({ConceptIndex(c)}, false));
    }
  for (ConceptIndex c : cat.topological_order()) {
    if (!s.known_[c.value()]) continue;
    KnownConcept k;
    k.concept = c;
    k.via = s.known_via_[c.value()];
    k.stated = std::find(s.profile_.known.begin(), s.profile_.known.end(), cat.concept_at(c).id) != s.profile_.known.end();
    for (const Event& e : s.profile_.events)
      if (e.type == EventType::kKnowConcept && e.concept == cat.concept_at(c).id) k.event_ids.push_back(e.id);
    for (const int32_t* i = graph_.taught_by().first(c.value()); i != graph_.taught_by().last(c.value()); ++i)
      if (auto it = s.signals_.find(*i); it != s.signals_.end() && it->second.done(graph_.item_kinds()[*i]))
        (it->second.completed ? k.completed : k.rated).push_back(ItemIndex(*i));
    for (size_t d = 0; d < direct_closure.size(); ++d)
      if (direct[d] != c && direct_closure[d][c.value()]) k.implied_by.push_back(direct[d]);
    out.known.push_back(std::move(k));
  }
  for (const auto& [i, sig] : s.signals_) {
    const ItemRelation group = LearningGroup(sig, cat.item(ItemIndex(i)).kind);
    if (group != ItemRelation::kViewed) out.items.push_back({ItemIndex(i), group, sig.rating});
  }
  out.items_with_events = static_cast<int64_t>(s.signals_.size());
  for (const KnownConcept& k : out.known) out.skills_stated += k.said();
  return out;
}

// ---- reasons and scores ----------------------------------------------------------------

float Recommender::Personal(const LearnerState& s, ItemIndex item) const {
  // The row in a buffer on the stack (k ≤ 1024): this runs once per item in catalog-wide loops
  // (Path, Mentors), where a heap vector per call was most of the cost.
  alignas(64) float row[1024];
  bundle_.item_factors.Row(item.value(), row);
  const Eigen::Map<const Vector, Eigen::AlignedMax> y(row, factors());
  float v = bundle_.item_bias[item.value()] + s.user().dot(y);
  if (auto it = s.offsets_.find(item.value()); it != s.offsets_.end()) v += it->second;
  return v;
}

std::optional<float> Recommender::PredictRating(const LearnerState& s, ItemIndex item) const {
  return model_->PredictRating(s, Personal(s, item));
}

std::vector<Reason> Recommender::Reasons(const LearnerState& s, const LearnerContext& ctx, ItemIndex item,
                                         int max_collaborative) const {
  if (max_collaborative <= 0 || s.is_cold()) return ReasonsWith(s, ctx, item, nullptr, 0);
  const Explanation ex = model_->Explain(s, item);
  return ReasonsWith(s, ctx, item, &ex, max_collaborative);
}

std::vector<Reason> Recommender::ReasonsWith(const LearnerState& s, const LearnerContext& ctx, ItemIndex item,
                                             const Explanation* ex_in, int max_collaborative) const {
  std::vector<Reason> out;
  const RankInput in{catalog(), graph_, ctx};
  if (catalog().item(item).kind == ItemKind::kMentor) {
    if (auto m = MatchMentor(s, item, ctx.gap, ctx.in_gap, MentorOptions())) out = std::move(m->reasons);
  } else {
    for (const RankingTerm& t : RankingTerms())
      if (t.reasons) t.reasons(in, item, &out);
  }
  if (max_collaborative <= 0 || s.is_cold() || ex_in == nullptr) return out;
  // Collaborative: the learner's own items and concepts with a positive share of the score.
  const Explanation& ex = *ex_in;
  int said = 0;
  for (const Contribution& c : ex.contributions) {
    if (said >= max_collaborative) break;
    if (!(c.value > 0)) continue;
    Reason r;
    if (c.concept.value() >= 0) {
      // A goal the learner has reached is a concept they know: its share is said as such.
      const bool open_goal = c.goal && !s.known_concepts()[c.concept.value()];
      r.kind = open_goal ? Reason::Kind::kPeersOfGoal : Reason::Kind::kPeersOfKnown;
      (open_goal ? r.goal : r.concept) = c.concept;
      // A concept that is both a goal (reached) and stated known has two shares, one sentence.
      if (std::any_of(out.begin(), out.end(), [&](const Reason& o) {
            return o.kind == r.kind && o.concept == r.concept && o.goal == r.goal;
          }))
        continue;
    } else {
      if (c.item == item) continue;  // an item is not its own reason
      const ItemSignal& sig = s.signals_.at(c.item.value());
      r.kind = Reason::Kind::kBecauseItem;
      r.item = c.item;
      r.via = StrongestAction(sig);
      if (r.via == ItemRelation::kRated) r.value = sig.rating;
    }
    out.push_back(std::move(r));
    ++said;
  }
  return out;
}

}  // namespace pathlight
