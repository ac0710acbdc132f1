#include "pathlight/fold_in_model.h"

#include <algorithm>
#include <cmath>

namespace pathlight {
namespace {

void SortByMagnitude(std::vector<Contribution>* cs) {
  std::sort(cs->begin(), cs->end(), [](const Contribution& a, const Contribution& b) {
    return std::fabs(a.value) > std::fabs(b.value) ||
           (std::fabs(a.value) == std::fabs(b.value) && (a.item < b.item || (a.item == b.item && a.concept < b.concept)));
  });
}

// Rank-1 update of A and of its Cholesky factor, O(k²); refactorized now and then to bound
// round-off drift. Then b += db and x = A⁻¹b.
void Update(FoldInSystem* sys, const Eigen::VectorXd& v, double da, double db) {
  if (da != 0) {
    sys->a.selfadjointView<Eigen::Lower>().rankUpdate(v, da);
    if (++sys->updates_since_factorization >= 64 || sys->llt.rankUpdate(v, da).info() != Eigen::Success) {
      sys->llt.compute(sys->a);
      sys->updates_since_factorization = 0;
    }
  }
  sys->b += db * v;
  sys->x = sys->llt.solve(sys->b).cast<float>();
}

}  // namespace

// What both fold-in models read: the bundle's item factors and the learner options.
class FoldInModelBase : public FoldInModel {
 public:
  FoldInModelBase(const Bundle& bundle, const LearnerOptions& options) : bundle_(bundle), options_(options) {}
  int k() const { return bundle_.item_factors.cols(); }
  Eigen::VectorXd Row(int32_t i) const {
    Vector y(k());
    bundle_.item_factors.Row(i, y.data());
    return y.cast<double>();
  }

 protected:
  const Bundle& bundle_;
  const LearnerOptions options_;
};

// ---- implicit ALS ------------------------------------------------------------------------

class ImplicitFoldIn final : public FoldInModelBase {
 public:
  using FoldInModelBase::FoldInModelBase;
  RatingScale rating_scale() const override { return RatingScale(); }
  bool predicts_ratings() const override { return false; }

  // The pseudo-item of concept c with weight w: (v_c, c_g = 1 + α·w), or nothing when v_c = 0.
  bool Pseudo(ConceptIndex c, Eigen::VectorXd* v) const {
    *v = bundle_.concept_vectors.row(c.value()).transpose().cast<double>();
    return v->squaredNorm() > 0;
  }

  void Solve(LearnerState* s) const override {
    const double alpha = bundle_.info.alpha;
    FoldInSystem& sys = s->system_;
    sys.a = bundle_.gram.cast<double>();
    sys.a.diagonal().array() += bundle_.info.regularization;
    sys.b = Eigen::VectorXd::Zero(k());
    for (const auto& [i, sig] : s->signals_) {
      if (!(sig.weight > 0)) continue;
      const Eigen::VectorXd y = Row(i);
      const double c = 1.0 + alpha * sig.weight;
      sys.a.selfadjointView<Eigen::Lower>().rankUpdate(y, c - 1.0);  // A += (c − 1)·y yᵀ
      sys.b += (c * sig.fold_in_preference()) * y;                  // b += c·p·y
    }
    Eigen::VectorXd v;
    auto pseudo = [&](ConceptIndex c, float weight) {
      if (weight <= 0 || !Pseudo(c, &v)) return;  // weight 0 = the concept does not steer x_u
      const double cg = 1.0 + alpha * weight;
      sys.a.selfadjointView<Eigen::Lower>().rankUpdate(v, cg - 1.0);
      sys.b += cg * v;
    };
    for (ConceptIndex g : s->goals_) pseudo(g, options_.goal_weight);
    for (ConceptIndex c : s->stated_known_) pseudo(c, options_.known_weight);
    sys.llt.compute(sys.a);
    sys.updates_since_factorization = 0;
    sys.x = sys.llt.solve(sys.b).cast<float>();
    sys.user_bias = 0;
  }

  void ItemChanged(int32_t item, const ItemSignal& before, const ItemSignal& after, LearnerState* s) const override {
    const double alpha = bundle_.info.alpha;
    const double w_old = before.weight > 0 ? before.weight : 0.0, w_new = after.weight > 0 ? after.weight : 0.0;
    const double c_old = 1.0 + alpha * w_old, c_new = 1.0 + alpha * w_new;
    const double p_old = w_old > 0 ? before.fold_in_preference() : 0.0;
    const double p_new = w_new > 0 ? after.fold_in_preference() : 0.0;
    Update(&s->system_, Row(item), c_new - c_old, c_new * p_new - c_old * p_old);
  }

  void ConceptStated(ConceptIndex c, LearnerState* s) const override {
    Eigen::VectorXd v;
    if (options_.known_weight <= 0 || !Pseudo(c, &v)) return;
    const double alpha = bundle_.info.alpha;
    Update(&s->system_, v, alpha * options_.known_weight, 1.0 + alpha * options_.known_weight);
  }

  Explanation Explain(const LearnerState& s, ItemIndex item) const override {
    const double alpha = bundle_.info.alpha;
    Explanation ex;
    const Eigen::VectorXd yi = Row(item.value());
    const Eigen::VectorXd q = s.system_.llt.solve(yi);  // A⁻¹ y_i
    ex.score = static_cast<float>(s.system_.x.cast<double>().dot(yi));
    for (const auto& [j, sig] : s.signals_) {
      if (!(sig.weight > 0)) continue;
      const double v = (1.0 + alpha * sig.weight) * sig.fold_in_preference() * Row(j).dot(q);
      if (v != 0) ex.contributions.push_back({ItemIndex(j), ConceptIndex(), static_cast<float>(v)});
    }
    Eigen::VectorXd v;
    auto pseudo = [&](ConceptIndex c, float weight, bool goal) {
      if (weight <= 0 || !Pseudo(c, &v)) return;
      ex.contributions.push_back({ItemIndex(), c, static_cast<float>((1.0 + alpha * weight) * v.dot(q)), goal});
    };
    for (ConceptIndex g : s.goals_) pseudo(g, options_.goal_weight, true);
    for (ConceptIndex c : s.stated_known_) pseudo(c, options_.known_weight, false);
    SortByMagnitude(&ex.contributions);
    return ex;
  }

  std::vector<Explanation> ExplainMany(const LearnerState& s, const std::vector<ItemIndex>& items) const override {
    const double alpha = bundle_.info.alpha;
    const int64_t m = static_cast<int64_t>(items.size());
    std::vector<Explanation> out(items.size());
    if (m == 0) return out;
    Eigen::MatrixXd y(k(), m);
    for (int64_t j = 0; j < m; ++j) y.col(j) = Row(items[j].value());
    const Eigen::MatrixXd q = s.system_.llt.solve(y);  // A⁻¹ [y_1 … y_m], one factorization
    const Eigen::RowVectorXd scores = s.system_.x.cast<double>().transpose() * y;
    // The learner's own rows, each weighted by c·p (items) or c_g (concepts), times Q.
    std::vector<Contribution> who;
    Eigen::MatrixXd rows(static_cast<int64_t>(s.signals_.size() + s.goals_.size() + s.stated_known_.size()), k());
    int64_t r = 0;
    for (const auto& [j, sig] : s.signals_) {
      if (!(sig.weight > 0)) continue;
      rows.row(r++) = (1.0 + alpha * sig.weight) * sig.fold_in_preference() * Row(j).transpose();
      who.push_back({ItemIndex(j), ConceptIndex(), 0.f});
    }
    Eigen::VectorXd v;
    auto pseudo = [&](ConceptIndex c, float weight, bool goal) {
      if (weight <= 0 || !Pseudo(c, &v)) return;
      rows.row(r++) = (1.0 + alpha * weight) * v.transpose();
      who.push_back({ItemIndex(), c, 0.f, goal});
    };
    for (ConceptIndex g : s.goals_) pseudo(g, options_.goal_weight, true);
    for (ConceptIndex c : s.stated_known_) pseudo(c, options_.known_weight, false);
    const Eigen::MatrixXd shares = rows.topRows(r) * q;  // r × m
    for (int64_t j = 0; j < m; ++j) {
      Explanation& ex = out[j];
      ex.score = static_cast<float>(scores[j]);
      for (int64_t w = 0; w < r; ++w) {
        const double value = shares(w, j);
        // An item's zero share is left out (as Explain does); a concept's is kept.
        if (who[w].concept.value() < 0 && value == 0) continue;
        Contribution c = who[w];
        c.value = static_cast<float>(value);
        ex.contributions.push_back(c);
      }
      SortByMagnitude(&ex.contributions);
    }
    return out;
  }

  std::optional<float> PredictRating(const LearnerState&, float) const override { return std::nullopt; }

  std::vector<WeightedItem> RefineTargets(const LearnerState& s) const override {
    std::vector<WeightedItem> out;
    for (const auto& [i, sig] : s.signals_)
      if (sig.weight > 0)
        out.push_back({i, static_cast<float>(1.0 + bundle_.info.alpha * sig.weight), sig.fold_in_preference()});
    return out;
  }
  bool refine_negatives() const override { return true; }
};

// ---- explicit ratings (biased MF) --------------------------------------------------------

class RatingFoldIn final : public FoldInModelBase {
 public:
  RatingFoldIn(const Bundle& bundle, const LearnerOptions& options) : FoldInModelBase(bundle, options), model_(*bundle.info.ratings) {}
  RatingScale rating_scale() const override { return {model_.min_rating, model_.max_rating, model_.step}; }
  bool predicts_ratings() const override { return true; }

  static std::vector<ItemRating> Ratings(const LearnerState& s) {
    std::vector<ItemRating> out;
    for (const auto& [i, sig] : s.signals_)
      if (sig.rating > 0) out.push_back({i, sig.rating});
    return out;
  }

  void Solve(LearnerState* s) const override {
    FoldInSystem& sys = s->system_;
    const std::vector<ItemRating> ratings = Ratings(*s);
    RatingSystem(k(), ratings, model_, bundle_.item_bias.data(),
                 [&](int32_t i, Eigen::VectorXf& out) { bundle_.item_factors.Row(i, out.data()); }, &sys.a, &sys.b);
    if (ratings.empty() && !model_.has_prior())
      sys.a.diagonal().array() += 1.0;  // A = I, b = 0: z = 0, and Explain's solves stay defined
    sys.llt.compute(sys.a);
    sys.updates_since_factorization = 0;
    const Vector z = sys.llt.solve(sys.b).cast<float>();
    sys.user_bias = z[0];
    sys.x = z.tail(k());
  }

  void ItemChanged(int32_t, const ItemSignal& before, const ItemSignal& after, LearnerState* s) const override {
    if (before.rating != after.rating) Solve(s);  // only a rating changes this solve
  }
  void ConceptStated(ConceptIndex, LearnerState*) const override {}

  Explanation Explain(const LearnerState& s, ItemIndex item) const override {
    Explanation ex;
    Eigen::VectorXd yt(k() + 1);
    yt[0] = 1.0;
    yt.tail(k()) = Row(item.value());
    const Eigen::VectorXd q = s.system_.llt.solve(yt);  // A⁻¹ ỹ_i
    ex.score = static_cast<float>(s.system_.user_bias + s.system_.x.cast<double>().dot(yt.tail(k())));
    Eigen::VectorXd yj(k() + 1);
    yj[0] = 1.0;
    for (const ItemRating& r : Ratings(s)) {
      yj.tail(k()) = Row(r.item);
      const double v = (static_cast<double>(r.rating) - model_.global_mean - bundle_.item_bias[r.item]) * yj.dot(q);
      if (v != 0) ex.contributions.push_back({ItemIndex(r.item), ConceptIndex(), static_cast<float>(v)});
    }
    if (model_.has_prior())  // the average learner's part: ỹ_iᵀA⁻¹·P·m
      ex.prior = static_cast<float>(q.dot(model_.prior_precision.cast<double>() * model_.prior_mean.cast<double>()));
    SortByMagnitude(&ex.contributions);
    return ex;
  }

  // A rated learner's solve is exact and cheap per item (k + 1 unknowns over their ratings); the
  // batch is Explain per item.
  std::vector<Explanation> ExplainMany(const LearnerState& s, const std::vector<ItemIndex>& items) const override {
    std::vector<Explanation> out;
    out.reserve(items.size());
    for (ItemIndex i : items) out.push_back(Explain(s, i));
    return out;
  }

  std::optional<float> PredictRating(const LearnerState& s, float personal) const override {
    return std::clamp(model_.global_mean + s.system_.user_bias + personal, model_.min_rating, model_.max_rating);
  }

  // The residual rating r_i − μ − b_u with weight 1.
  std::vector<WeightedItem> RefineTargets(const LearnerState& s) const override {
    std::vector<WeightedItem> out;
    for (const ItemRating& r : Ratings(s)) out.push_back({r.item, 1.f, r.rating - model_.global_mean - s.system_.user_bias});
    return out;
  }
  bool refine_negatives() const override { return false; }

 private:
  const RatingModel model_;
};

std::unique_ptr<FoldInModel> FoldInModel::For(const Bundle& bundle, const LearnerOptions& options) {
  if (bundle.info.ratings) return std::make_unique<RatingFoldIn>(bundle, options);
  return std::make_unique<ImplicitFoldIn>(bundle, options);
}

}  // namespace pathlight
