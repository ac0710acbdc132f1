#include "pathlight/trainer/models.h"

#include "pathlight/topk.h"

namespace pathlight::trainer {

const char* ModelKindName(ModelKind kind) {
  switch (kind) {
    case ModelKind::kAls: return "als";
    case ModelKind::kBpr: return "bpr";
    case ModelKind::kBiasedMf: return "biased-mf";
    case ModelKind::kPopular: return "popular";
  }
  return "als";
}

std::optional<ModelKind> ParseModelKind(std::string_view name) {
  for (ModelKind k : {ModelKind::kAls, ModelKind::kBpr, ModelKind::kBiasedMf, ModelKind::kPopular})
    if (name == ModelKindName(k)) return k;
  return std::nullopt;
}

void TrainedModel::Score(int32_t user, float* scores) const {
  const int32_t n = static_cast<int32_t>(popularity.size());
  if (kind == ModelKind::kPopular) {
    std::copy(popularity.begin(), popularity.end(), scores);
    return;
  }
  ScoreAll(item_factors.data(), item_bias.size() ? item_bias.data() : nullptr, n,
           static_cast<int32_t>(item_factors.cols()), user_factors.row(user).data(), scores);
}

void ZeroUntrainedItems(const std::vector<int32_t>& counts, RowMatrix* item_factors, Vector* item_bias) {
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] > 0) continue;
    const auto r = static_cast<int64_t>(i);
    if (r < item_factors->rows()) item_factors->row(r).setZero();
    if (item_bias != nullptr && r < item_bias->size()) (*item_bias)[r] = 0;
  }
}

StatusOr<TrainedModel> TrainModel(const SparseRows& train, const ModelOptions& o,
                                  const std::vector<std::pair<int32_t, int32_t>>& queries,
                                  const ProgressFn& progress) {
  TrainedModel m;
  m.kind = o.kind;
  const std::vector<int32_t> counts = ItemPopularity(train);
  m.popularity.assign(counts.begin(), counts.end());
  const ProgressFn timed = [&](int it, double s) {
    m.iteration_seconds.push_back(s);
    if (progress) progress(it, s);
  };
  switch (o.kind) {
    case ModelKind::kPopular:
      break;
    case ModelKind::kAls: {
      PATHLIGHT_ASSIGN_OR_RETURN(ImplicitModel als, TrainImplicitAls(train, o.als, timed));
      m.user_factors = std::move(als.user_factors);
      m.item_factors = std::move(als.item_factors);
      m.item_bias = Vector::Zero(train.cols());
      break;
    }
    case ModelKind::kBpr: {
      PATHLIGHT_ASSIGN_OR_RETURN(BprModel bpr, TrainBpr(train, o.bpr, timed));
      m.user_factors = std::move(bpr.user_factors);
      m.item_factors = std::move(bpr.item_factors);
      m.item_bias = std::move(bpr.item_bias);
      break;
    }
    case ModelKind::kBiasedMf: {
      PATHLIGHT_ASSIGN_OR_RETURN(BiasedMfModel mf, TrainBiasedMf(train, o.mf, queries, timed));
      m.user_factors = std::move(mf.user_factors);
      m.item_factors = std::move(mf.item_factors);
      m.item_bias = std::move(mf.item_bias);
      m.user_bias = std::move(mf.user_bias);
      m.global_mean = mf.global_mean;
      m.rating_model = std::move(mf.rating_model);
      m.query_predictions = std::move(mf.query_predictions);
      break;
    }
  }
  ZeroUntrainedItems(counts, &m.item_factors, &m.item_bias);
  return m;
}

}  // namespace pathlight::trainer
