// The audit's references (audit_reference.h). Nothing here calls the engine's knowledge graph,
// signal accumulation or recommender: the catalog is read field by field, closures are walked
// by depth-first search, events are replayed by the rules documented in signals.h, and the
// fold-in is re-solved densely from scratch.
#include "audit_reference.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace pathlight::trainer {

// ---- knowledge graph -------------------------------------------------------------------

GraphReference::GraphReference(const Catalog& catalog) : catalog_(catalog) {
  const int nc = catalog.num_concepts(), ni = catalog.num_items();
  prerequisites_.resize(nc);
  taught_by_.resize(nc);
  teaches_.resize(ni);
  requires_.resize(ni);
  expertise_.resize(ni);
  for (int c = 0; c < nc; ++c) {
    const Concept& concept = catalog.concepts()[c];
    concept_by_id_.emplace(concept.id, c);
    for (ConceptIndex p : concept.prerequisites) prerequisites_[c].push_back(p.value());
  }
  for (int i = 0; i < ni; ++i) {
    const Item& item = catalog.items()[i];
    item_by_id_.emplace(item.id, i);
    for (ConceptIndex c : item.teaches) {
      teaches_[i].push_back(c.value());
      if (std::find(taught_by_[c.value()].begin(), taught_by_[c.value()].end(), i) == taught_by_[c.value()].end())
        taught_by_[c.value()].push_back(i);
    }
    for (ConceptIndex c : item.requires_concepts) requires_[i].push_back(c.value());
    for (const auto& [c, w] : item.expertise) expertise_[i][c.value()] = std::max(expertise_[i][c.value()], double(w));
    if (item.kind == ItemKind::kMentor) mentors_.push_back(i);
  }
  // Depth by memoized DFS down the prerequisite edges (the catalog is a DAG: it loaded).
  depth_.assign(nc, -1);
  std::function<int(int)> depth = [&](int c) {
    if (depth_[c] >= 0) return depth_[c];
    int d = 0;
    for (int p : prerequisites_[c]) d = std::max(d, depth(p) + 1);
    return depth_[c] = d;
  };
  for (int c = 0; c < nc; ++c) depth(c);
}

int GraphReference::FindConcept(const std::string& id) const {
  auto it = concept_by_id_.find(id);
  return it == concept_by_id_.end() ? -1 : it->second;
}

int GraphReference::FindItem(const std::string& id) const {
  auto it = item_by_id_.find(id);
  return it == item_by_id_.end() ? -1 : it->second;
}

std::vector<uint8_t> GraphReference::Closure(const std::vector<int>& roots, bool include_roots) const {
  std::vector<uint8_t> seen(prerequisites_.size(), 0);
  std::vector<int> stack;
  for (int r : roots) {
    if (include_roots) seen[r] = 1;
    for (int p : prerequisites_[r]) stack.push_back(p);
  }
  std::vector<uint8_t> expanded(prerequisites_.size(), 0);
  while (!stack.empty()) {
    const int c = stack.back();
    stack.pop_back();
    seen[c] = 1;
    if (expanded[c]) continue;
    expanded[c] = 1;
    for (int p : prerequisites_[c]) stack.push_back(p);
  }
  return seen;
}

bool GraphReference::Teaches(int item, int concept) const {
  return std::find(teaches_[item].begin(), teaches_[item].end(), concept) != teaches_[item].end();
}

double GraphReference::Expertise(int item, int concept) const {
  auto it = expertise_[item].find(concept);
  return it == expertise_[item].end() ? 0.0 : it->second;
}

// ---- events ----------------------------------------------------------------------------

const char* KnownWhyName(KnownWhy w) {
  switch (w) {
    case KnownWhy::kNone: return "none";
    case KnownWhy::kStated: return "stated";
    case KnownWhy::kEvent: return "event";
    case KnownWhy::kCompleted: return "completed";
    case KnownWhy::kPrerequisite: return "prerequisite";
  }
  return "none";
}

namespace {

bool IsRatingEvent(const Event& e) {
  return e.type == EventType::kRate || e.type == EventType::kMentorRated ||
         (e.type == EventType::kCompacted && e.rating > 0);
}

// signals.h: base weight and preference of one event.
void BaseSignal(const Event& e, const ConfidenceOptions& o, const RatingScale& scale, double* base, float* pref) {
  *pref = -1.f;
  switch (e.type) {
    case EventType::kView: *base = o.view; break;
    case EventType::kBookmark: *base = o.bookmark, *pref = 1.f; break;
    case EventType::kEnroll: *base = o.enroll, *pref = 1.f; break;
    case EventType::kComplete: *base = o.complete, *pref = 1.f; break;
    case EventType::kMentorBooked: *base = o.mentor_booked, *pref = 1.f; break;
    case EventType::kDismiss: *base = o.dismiss, *pref = 0.f; break;
    case EventType::kRate:
    case EventType::kMentorRated: {
      // |r − mid| · rating_scale · 4/(hi − lo) + 1, positive from the middle of the scale up.
      const double mid = (scale.min + scale.max) / 2.0;
      *base = std::fabs(e.rating - mid) * o.rating_scale * 4.0 / (scale.max - scale.min) + 1.0;
      *pref = e.rating >= mid ? 1.f : 0.f;
      break;
    }
    case EventType::kCompacted: *base = e.weight, *pref = e.preference; break;
    case EventType::kKnowConcept: *base = 0; break;
  }
}

void AddUnique(std::vector<std::string>* v, const std::string& s) {
  if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(s);
}
void AddUnique(std::vector<int>* v, int x) {
  if (std::find(v->begin(), v->end(), x) == v->end()) v->push_back(x);
}

}  // namespace

LearnerFacts ReplayEvents(const GraphReference& g, const Profile& profile, double clock, const LearnerOptions& options,
                          const RatingScale& scale) {
  LearnerFacts f;
  f.profile = profile;
  f.clock = clock;
  const ConfidenceOptions& o = options.confidence;
  const int nc = g.num_concepts();
  // Concept ids to indices, each once; ids the catalog lacks are reported, not dropped silently.
  auto concepts = [&](const std::vector<std::string>& ids, std::vector<int>* out) {
    for (const std::string& id : ids) {
      const int c = g.FindConcept(id);
      if (c < 0)
        AddUnique(&f.unknown_ids, id);
      else
        AddUnique(out, c);
    }
  };
  std::vector<int> event_known;
  concepts(profile.known, &f.stated_known);
  for (size_t j = 0; j < profile.events.size(); ++j) {
    const Event& e = profile.events[j];
    if (e.type == EventType::kKnowConcept) {
      const int c = g.FindConcept(e.concept);
      if (c < 0) {
        AddUnique(&f.unknown_ids, e.concept);
      } else {
        AddUnique(&f.stated_known, c);
        AddUnique(&event_known, c);
      }
      continue;
    }
    const int i = g.FindItem(e.item);
    if (i < 0) {
      AddUnique(&f.unknown_ids, e.item);
      continue;
    }
    if (IsRatingEvent(e) && !scale.Contains(e.rating)) {
      f.out_of_scale.push_back(j);
      continue;
    }
    ItemFacts& s = f.items[i];
    double base = 0;
    float pref = -1;
    BaseSignal(e, o, scale, &base, &pref);
    const double age = clock - e.time;
    const double decay = (o.half_life_days <= 0 || age <= 0) ? 1.0 : std::exp2(-age / (o.half_life_days * 86400.0));
    s.weight += base * decay;
    if (pref >= 0) s.preference = pref;
    switch (e.type) {
      case EventType::kEnroll: s.enrolled = true; break;
      case EventType::kComplete: s.completed = true; break;
      case EventType::kBookmark: s.bookmarked = true; break;
      case EventType::kMentorBooked: s.booked = true; break;
      case EventType::kDismiss: s.dismissed = true; break;
      case EventType::kRate:
      case EventType::kMentorRated: s.rating = e.rating; break;
      case EventType::kCompacted:
        s.enrolled |= e.enrolled, s.completed |= e.completed, s.bookmarked |= e.bookmarked, s.booked |= e.booked;
        s.dismissed |= e.dismissed;
        if (e.rating > 0) s.rating = e.rating;
        break;
      default: break;
    }
    if (pref == 1.f) s.dismissed = false;  // a positive signal lifts a dismissal
  }
  concepts(profile.goals, &f.goals);
  // Known: stated, stated by an event, taught by an item done (completed, or rated without an
  // enrolment) — then their prerequisites.
  f.known.assign(nc, 0);
  f.why.assign(nc, KnownWhy::kNone);
  auto mark = [&](int c, KnownWhy why) {
    if (f.why[c] == KnownWhy::kNone || why < f.why[c]) f.why[c] = why;
    f.known[c] = 1;
  };
  for (const std::string& id : profile.known)
    if (const int c = g.FindConcept(id); c >= 0) mark(c, KnownWhy::kStated);
  for (int c : event_known) mark(c, KnownWhy::kEvent);
  for (const auto& [i, s] : f.items)
    if (s.done(g.catalog().item(ItemIndex(i)).kind == ItemKind::kMentor))
      for (int c : g.TaughtConcepts(i)) mark(c, KnownWhy::kCompleted);
  if (options.known_closure) {
    std::vector<int> direct;
    for (int c = 0; c < nc; ++c)
      if (f.known[c]) direct.push_back(c);
    const std::vector<uint8_t> closure = g.Closure(direct, false);
    for (int c = 0; c < nc; ++c)
      if (closure[c]) mark(c, KnownWhy::kPrerequisite);
  }
  f.in_gap.assign(nc, 0);
  for (int goal : f.goals) {
    if (f.known[goal]) {
      f.reached_goals.push_back(goal);
      continue;
    }
    f.open_goals.push_back(goal);
    f.open_closure.push_back(g.Closure({goal}, false));
    const std::vector<uint8_t>& closure = f.open_closure.back();
    for (int c = 0; c < nc; ++c)
      if ((closure[c] || c == goal) && !f.known[c]) f.in_gap[c] = 1;
  }
  f.gap_size = static_cast<int>(std::count(f.in_gap.begin(), f.in_gap.end(), 1));
  f.cold = f.items.empty() && f.goals.empty() && f.stated_known.empty();
  return f;
}

// ---- fold-in ---------------------------------------------------------------------------

FoldInReference::FoldInReference(const Bundle& bundle, const LearnerOptions& options)
    : bundle_(bundle), options_(options) {
  // YᵀY of the decoded item factors, summed in double (the bundle's own Gram matrix is not read).
  const int k = bundle.item_factors.cols();
  gram_ = Eigen::MatrixXd::Zero(k, k);
  for (int i = 0; i < bundle.catalog.num_items(); ++i) {
    const Eigen::VectorXd y = Row(i);
    gram_.selfadjointView<Eigen::Lower>().rankUpdate(y, 1.0);
  }
  const Eigen::MatrixXd full = gram_.selfadjointView<Eigen::Lower>();
  gram_ = full;
}

RatingScale FoldInReference::scale() const {
  if (!bundle_.info.ratings) return RatingScale();
  return {bundle_.info.ratings->min_rating, bundle_.info.ratings->max_rating};
}

Eigen::VectorXd FoldInReference::Row(int item) const {
  Vector y(bundle_.item_factors.cols());
  bundle_.item_factors.Row(item, y.data());
  return y.cast<double>();
}

bool FoldInReference::Pseudo(int concept, Eigen::VectorXd* v) const {
  *v = bundle_.concept_vectors.row(concept).transpose().cast<double>();
  return v->squaredNorm() > 0;
}

FoldInReference::Solved FoldInReference::Solve(const LearnerFacts& l) const {
  const int k = bundle_.item_factors.cols();
  Solved s;
  Eigen::VectorXd b;
  if (const auto& rm = bundle_.info.ratings) {
    // Ridge system over the latest rating of each rated item, z = [b_u; x_u] (fold_in.h).
    s.a = rm->has_prior() ? Eigen::MatrixXd(rm->prior_precision.cast<double>()) : Eigen::MatrixXd::Zero(k + 1, k + 1);
    b = rm->has_prior() ? Eigen::VectorXd(s.a * rm->prior_mean.cast<double>()) : Eigen::VectorXd::Zero(k + 1);
    int n = 0;
    Eigen::VectorXd yt(k + 1);
    yt[0] = 1.0;
    for (const auto& [i, f] : l.items) {
      if (!(f.rating > 0)) continue;
      yt.tail(k) = Row(i);
      s.a.selfadjointView<Eigen::Lower>().rankUpdate(yt, 1.0);
      b += (double(f.rating) - rm->global_mean - bundle_.item_bias[i]) * yt;
      ++n;
    }
    if (!rm->has_prior()) {
      s.a(0, 0) += n * double(rm->bias_regularization);
      for (int d = 1; d <= k; ++d) s.a(d, d) += n * double(rm->regularization);
      if (n == 0) s.a += Eigen::MatrixXd::Identity(k + 1, k + 1);
    }
  } else {
    // A = YᵀY + λI + Σ (c_i − 1) y_i y_iᵀ + Σ_g (c_g − 1) v_g v_gᵀ,  b = Σ c_i p_i y_i + Σ_g c_g v_g.
    const double alpha = bundle_.info.alpha;
    s.a = gram_;
    s.a.diagonal().array() += bundle_.info.regularization;
    b = Eigen::VectorXd::Zero(k);
    for (const auto& [i, f] : l.items) {
      if (!(f.weight > 0)) continue;
      const Eigen::VectorXd y = Row(i);
      const double c = 1.0 + alpha * f.weight;
      s.a.selfadjointView<Eigen::Lower>().rankUpdate(y, c - 1.0);  // A += (c − 1)·y yᵀ
      b += c * (f.preference < 0 ? 1.0 : f.preference) * y;
    }
    Eigen::VectorXd v;
    auto pseudo = [&](int concept, double w) {
      if (w <= 0 || !Pseudo(concept, &v)) return;
      const double c = 1.0 + alpha * w;
      s.a.selfadjointView<Eigen::Lower>().rankUpdate(v, c - 1.0);
      b += c * v;
    };
    for (int g : l.goals) pseudo(g, options_.goal_weight);
    for (int c : l.stated_known) pseudo(c, options_.known_weight);
  }
  s.ldlt.compute(s.a);
  s.z = s.ldlt.solve(b);
  return s;
}

double FoldInReference::Personal(const Solved& s, int item) const {
  const int k = bundle_.item_factors.cols();
  const Eigen::VectorXd x = ratings() ? Eigen::VectorXd(s.z.tail(k)) : s.z;
  return x.dot(Row(item)) + bundle_.item_bias[item];
}

FoldInReference::Shares FoldInReference::Explain(const LearnerFacts& l, const Solved& s, int item) const {
  const int k = bundle_.item_factors.cols();
  Shares out;
  auto add = [&](std::map<int, double>* to, int key, double v) {
    if (v == 0) return;
    (*to)[key] += v;
    out.magnitude += std::fabs(v);
  };
  if (const auto& rm = bundle_.info.ratings) {
    Eigen::VectorXd yi(k + 1), yj(k + 1);
    yi[0] = yj[0] = 1.0;
    yi.tail(k) = Row(item);
    const Eigen::VectorXd q = s.ldlt.solve(yi);
    for (const auto& [j, f] : l.items) {
      if (!(f.rating > 0)) continue;
      yj.tail(k) = Row(j);
      add(&out.items, j, (double(f.rating) - rm->global_mean - bundle_.item_bias[j]) * yj.dot(q));
    }
    return out;
  }
  const double alpha = bundle_.info.alpha;
  const Eigen::VectorXd q = s.ldlt.solve(Row(item));  // A⁻¹ y_i
  for (const auto& [j, f] : l.items) {
    if (!(f.weight > 0)) continue;
    add(&out.items, j, (1.0 + alpha * f.weight) * (f.preference < 0 ? 1.0 : f.preference) * Row(j).dot(q));
  }
  Eigen::VectorXd v;
  if (options_.goal_weight > 0)
    for (int g : l.goals)
      if (Pseudo(g, &v)) add(&out.goals, g, (1.0 + alpha * options_.goal_weight) * v.dot(q));
  if (options_.known_weight > 0)
    for (int c : l.stated_known)
      if (Pseudo(c, &v)) add(&out.known, c, (1.0 + alpha * options_.known_weight) * v.dot(q));
  return out;
}

}  // namespace pathlight::trainer
