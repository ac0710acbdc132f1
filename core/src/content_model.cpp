#include "pathlight/content_model.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>
#include <random>
#include <unordered_map>

#include <Eigen/IterativeLinearSolvers>
#include <Eigen/SparseCore>

#include "pathlight/bundle.h"
#include "pathlight/limits.h"

namespace pathlight {
namespace {

constexpr char kMagic[8] = {'P', 'L', 'C', 'O', 'N', 'T', 'N', '1'};
constexpr size_t kHeaderBytes = 8 + 8 * 4;  // magic + 8 u32: concepts, factors, languages, words, string bytes, features, 2 reserved
constexpr int kKinds = 5, kLevels = 4;

size_t Align8(size_t x) { return (x + 7) & ~size_t{7}; }

int PriceBand(const Item& item) {
  if (!item.price_known) return 0;
  const double p = item.price;
  return p <= 0 ? 1 : p <= 20 ? 2 : p <= 50 ? 3 : p <= 100 ? 4 : p <= 200 ? 5 : 6;
}

void PutU32(std::string* out, uint32_t v) {
  char b[4];
  std::memcpy(b, &v, 4);
  out->append(b, 4);
}
uint32_t GetU32(std::string_view bytes, size_t at) {
  uint32_t v;
  std::memcpy(&v, bytes.data() + at, 4);
  return v;
}

int32_t IndexOf(const std::vector<std::string>& sorted, std::string_view s) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), s, [](const std::string& a, std::string_view b) { return a < b; });
  return it != sorted.end() && *it == s ? static_cast<int32_t>(it - sorted.begin()) : -1;
}

// Appends a group's entries scaled to unit L2 norm.
void AddGroup(std::vector<std::pair<int32_t, float>> group, std::vector<std::pair<int32_t, float>>* out) {
  double sq = 0;
  for (const auto& g : group) sq += static_cast<double>(g.second) * g.second;
  if (sq <= 0) return;
  const float inv = static_cast<float>(1.0 / std::sqrt(sq));
  for (auto& g : group) out->push_back({g.first, g.second * inv});
}

}  // namespace

std::vector<std::string> TitleWords(std::string_view title) {
  std::vector<std::string> words;
  std::string cur;
  int cls = 0;  // 1 ASCII alphanumeric run, 2 non-ASCII run
  auto flush = [&] {
    if (cur.size() >= 2 && cur.size() <= kMaxContentWordBytes && std::find(words.begin(), words.end(), cur) == words.end())
      words.push_back(cur);
    cur.clear();
  };
  for (const char ch : title) {
    const auto c = static_cast<unsigned char>(ch);
    const int k = c >= 0x80 ? 2 : std::isalnum(c) ? 1 : 0;
    if (k != cls) flush();
    cls = k;
    if (k == 1) cur.push_back(static_cast<char>(std::tolower(c)));
    else if (k == 2) cur.push_back(ch);
  }
  flush();
  // A non-ASCII run cut at 64 bytes could end inside a character: only whole UTF-8 words count.
  words.erase(std::remove_if(words.begin(), words.end(), [](const std::string& w) { return !limits::ValidUtf8(w); }),
              words.end());
  return words;
}

int32_t ContentModel::NumFeatures() const {
  return 2 * concepts + kKinds + kLevels + kPriceBands + static_cast<int32_t>(languages.size()) + 1 +
         static_cast<int32_t>(words.size());
}

std::vector<std::pair<int32_t, float>> ContentModel::Features(const Item& item) const {
  std::vector<std::pair<int32_t, float>> f;
  int32_t base = 0;
  std::map<int32_t, float> teaches;  // a concept listed twice counts once
  for (ConceptIndex c : item.teaches)
    if (c.value() < concepts) teaches[c.value()] = 1.f;
  for (const auto& [c, w] : item.expertise)
    if (c.value() < concepts) teaches[c.value()] = std::max(teaches[c.value()], w);
  AddGroup({teaches.begin(), teaches.end()}, &f);
  base += concepts;
  std::map<int32_t, float> req;
  for (ConceptIndex c : item.requires_concepts)
    if (c.value() < concepts) req[base + c.value()] = 1.f;
  AddGroup({req.begin(), req.end()}, &f);
  base += concepts;
  f.push_back({base + static_cast<int32_t>(item.kind), 1.f});
  base += kKinds;
  f.push_back({base + static_cast<int32_t>(item.level), 1.f});
  base += kLevels;
  f.push_back({base + PriceBand(item), 1.f});
  base += kPriceBands;
  const int32_t lang = IndexOf(languages, item.language);
  f.push_back({base + (lang >= 0 ? lang : static_cast<int32_t>(languages.size())), 1.f});
  base += static_cast<int32_t>(languages.size()) + 1;
  std::vector<std::pair<int32_t, float>> w;
  for (const std::string& word : TitleWords(item.title))
    if (const int32_t j = IndexOf(words, word); j >= 0) w.push_back({base + j, 1.f});
  std::sort(w.begin(), w.end());
  AddGroup(std::move(w), &f);
  return f;
}

void ContentModel::Predict(const Item& item, float* out) const {
  const int32_t d = factors + 1;
  for (int32_t j = 0; j < d; ++j) out[j] = mean[j];
  for (const auto& [f, v] : Features(item))
    for (int32_t j = 0; j < d; ++j) out[j] += v * weights(f, j);
}

std::string ContentModel::ToBinary() const {
  std::string strings;
  std::vector<uint32_t> offsets = {0};
  for (const auto* list : {&languages, &words})
    for (const std::string& s : *list) {
      strings += s;
      offsets.push_back(static_cast<uint32_t>(strings.size()));
    }
  const int32_t f = NumFeatures(), d = factors + 1;
  std::string out(kMagic, 8);
  for (uint32_t v : {static_cast<uint32_t>(concepts), static_cast<uint32_t>(factors),
                     static_cast<uint32_t>(languages.size()), static_cast<uint32_t>(words.size()),
                     static_cast<uint32_t>(strings.size()), static_cast<uint32_t>(f), 0u, 0u})
    PutU32(&out, v);
  for (uint32_t o : offsets) PutU32(&out, o);
  out += strings;
  out.resize(Align8(out.size()), '\0');
  out.append(reinterpret_cast<const char*>(mean.data()), static_cast<size_t>(d) * 4);
  out.append(reinterpret_cast<const char*>(weights.data()), static_cast<size_t>(f) * d * 4);
  return out;
}

StatusOr<ContentModel> ContentModel::FromBinary(std::string_view bytes, int64_t concepts, int64_t factors,
                                                const std::string& source) {
  auto err = [&](ErrorCode code, size_t at, const std::string& what) {
    return Status(code, source + ": byte " + std::to_string(at) + ": " + what);
  };
  if (bytes.size() < kHeaderBytes || std::memcmp(bytes.data(), kMagic, 8) != 0)
    return err(ErrorCode::kParseError, 0, "not a content model (expected the magic PLCONTN1 and a 40-byte header)");
  uint32_t h[8];
  for (int i = 0; i < 8; ++i) h[i] = GetU32(bytes, 8 + 4 * i);
  ContentModel m;
  if (h[0] != concepts || h[1] != factors)
    return err(ErrorCode::kCorruptBundle, 8, "the model is for " + std::to_string(h[0]) + " concepts and k = " +
                                                 std::to_string(h[1]) + "; the manifest says " + std::to_string(concepts) +
                                                 " and " + std::to_string(factors));
  if (h[2] > kMaxContentLanguages || h[3] > kMaxContentWords)
    return err(ErrorCode::kLimitExceeded, 16, "more than 4096 languages or 65536 words");
  if (h[6] != 0 || h[7] != 0) return err(ErrorCode::kCorruptBundle, 32, "reserved header fields must be 0");
  m.concepts = static_cast<int32_t>(h[0]);
  m.factors = static_cast<int32_t>(h[1]);
  const uint64_t n_strings = uint64_t{h[2]} + h[3];
  m.languages.resize(h[2]);
  m.words.resize(h[3]);
  const int32_t f = m.NumFeatures(), d = m.factors + 1;
  if (h[5] != static_cast<uint32_t>(f))
    return err(ErrorCode::kCorruptBundle, 28, "feature count " + std::to_string(h[5]) + ", the vocabularies give " + std::to_string(f));
  const uint64_t strings_at = kHeaderBytes + 4 * (n_strings + 1);
  const uint64_t floats_at = Align8(static_cast<size_t>(strings_at + h[4]));
  const uint64_t expected = floats_at + 4 * (uint64_t{static_cast<uint32_t>(d)} * (uint64_t{static_cast<uint32_t>(f)} + 1));
  if (h[4] > n_strings * kMaxContentWordBytes || bytes.size() != expected)
    return err(ErrorCode::kCorruptBundle, 24, "the part is " + std::to_string(bytes.size()) + " bytes; its counts give " +
                                                  std::to_string(expected));
  uint32_t prev = 0;
  for (uint64_t s = 0; s < n_strings; ++s) {
    const size_t at = kHeaderBytes + 4 * s;
    const uint32_t begin = GetU32(bytes, at), end = GetU32(bytes, at + 4);
    if ((s == 0 && begin != 0) || begin != prev || end < begin || end > h[4] || end - begin > kMaxContentWordBytes)
      return err(ErrorCode::kCorruptBundle, at, "string offsets out of order or a string over 64 bytes");
    prev = end;
    const std::string_view text = bytes.substr(static_cast<size_t>(strings_at + begin), end - begin);
    if (!limits::ValidUtf8(text)) return err(ErrorCode::kParseError, static_cast<size_t>(strings_at + begin), "a string is not valid UTF-8");
    std::string& out = s < h[2] ? m.languages[s] : m.words[s - h[2]];
    out.assign(text);
    const std::vector<std::string>& list = s < h[2] ? m.languages : m.words;
    const size_t i = s < h[2] ? s : s - h[2];
    if (i > 0 && !(list[i - 1] < out))
      return err(ErrorCode::kCorruptBundle, static_cast<size_t>(strings_at + begin),
                 "vocabulary strings must be in strictly increasing byte order");
  }
  if (GetU32(bytes, kHeaderBytes + 4 * n_strings) != h[4])
    return err(ErrorCode::kCorruptBundle, kHeaderBytes + 4 * n_strings, "the last string offset must equal the string bytes");
  for (uint64_t at = strings_at + h[4]; at < floats_at; ++at)
    if (bytes[at] != 0) return err(ErrorCode::kCorruptBundle, static_cast<size_t>(at), "padding must be zero");
  m.mean.resize(d);
  m.weights.resize(f, d);
  // Empty Eigen objects have no data pointer: copy only what is there.
  if (d > 0) std::memcpy(m.mean.data(), bytes.data() + floats_at, static_cast<size_t>(d) * 4);
  if (f > 0 && d > 0) std::memcpy(m.weights.data(), bytes.data() + floats_at + 4 * d, static_cast<size_t>(f) * d * 4);
  if (!m.mean.allFinite() || !m.weights.allFinite())
    return err(ErrorCode::kNotFinite, static_cast<size_t>(floats_at), "the content model holds a non-finite number");
  return m;
}

double MeanAuc(const std::vector<int32_t>& candidates, const std::vector<std::vector<int32_t>>& positives,
               const std::function<void(int32_t, const std::vector<int32_t>&, float*)>& scores) {
  std::unordered_map<int32_t, int32_t> slot;
  for (size_t j = 0; j < candidates.size(); ++j) slot[candidates[j]] = static_cast<int32_t>(j);
  const int32_t n_users = static_cast<int32_t>(positives.size());
  // Each learner's AUC in its own slot, added up in learner order afterwards: the same mean
  // whatever the threads did (a parallel sum would change in the last digits from run to run, and
  // with it the manifest that records it).
  std::vector<double> auc(static_cast<size_t>(n_users), -1);
#pragma omp parallel
  {
    std::vector<float> s(candidates.size());
    std::vector<uint8_t> pos(candidates.size(), 0);
    std::vector<int32_t> order(candidates.size());
#pragma omp for schedule(dynamic, 64)
    for (int32_t u = 0; u < n_users; ++u) {
      int64_t n_pos = 0;
      for (int32_t i : positives[u])
        if (auto it = slot.find(i); it != slot.end() && !pos[it->second]) {
          pos[it->second] = 1;
          ++n_pos;
        }
      const int64_t n_neg = static_cast<int64_t>(candidates.size()) - n_pos;
      if (n_pos > 0 && n_neg > 0) {
        scores(u, candidates, s.data());
        // Mann–Whitney: AUC = (Σ ranks of positives − n_pos(n_pos+1)/2) / (n_pos·n_neg), ties averaged.
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) { return s[a] < s[b]; });
        double rank_sum = 0;
        for (size_t a = 0; a < order.size();) {
          size_t b = a;
          while (b + 1 < order.size() && s[order[b + 1]] == s[order[a]]) ++b;
          const double mid = (static_cast<double>(a) + b) / 2 + 1;
          for (size_t j = a; j <= b; ++j)
            if (pos[order[j]]) rank_sum += mid;
          a = b + 1;
        }
        auc[static_cast<size_t>(u)] = (rank_sum - static_cast<double>(n_pos) * (n_pos + 1) / 2) / (static_cast<double>(n_pos) * n_neg);
      }
      for (int32_t i : positives[u])
        if (auto it = slot.find(i); it != slot.end()) pos[it->second] = 0;
    }
  }
  double sum = 0;
  int64_t learners = 0;
  for (double a : auc)
    if (a >= 0) {
      sum += a;
      ++learners;
    }
  return learners > 0 ? sum / static_cast<double>(learners) : 0;
}

namespace {

using SparseD = Eigen::SparseMatrix<double>;

// Φ of `rows` (one row per listed item).
SparseD FeatureMatrix(const ContentModel& m, const Catalog& catalog, const std::vector<int32_t>& rows) {
  std::vector<Eigen::Triplet<double>> t;
  for (size_t r = 0; r < rows.size(); ++r)
    for (const auto& [f, v] : m.Features(catalog.item(ItemIndex(rows[r]))))
      t.emplace_back(static_cast<int32_t>(r), f, v);
  SparseD phi(static_cast<int64_t>(rows.size()), m.NumFeatures());
  phi.setFromTriplets(t.begin(), t.end());
  return phi;
}

// The ridge fit of `m.weights` and `m.mean` on `rows` with λ = `lambda`; `targets` n × (k+1).
// Conjugate gradients on the sparse normal equations (ΦᵀΦ + λI)W = ΦᵀT, one column per thread,
// starting from `m.weights` when it has the right shape (the previous λ of a grid: warm start).
void Ridge(const Catalog& catalog, const Eigen::MatrixXd& targets, const std::vector<int32_t>& rows, double lambda,
           const ContentOptions& o, ContentModel* m) {
  const int32_t d = static_cast<int32_t>(targets.cols());
  Eigen::MatrixXd t(rows.size(), d);
  for (size_t r = 0; r < rows.size(); ++r) t.row(static_cast<int64_t>(r)) = targets.row(rows[r]);
  const Eigen::RowVectorXd mean = t.colwise().mean();
  t.rowwise() -= mean;
  const SparseD phi = FeatureMatrix(*m, catalog, rows);
  const int64_t f = phi.cols();
  SparseD eye(f, f);
  eye.setIdentity();
  const SparseD a = SparseD(phi.transpose() * phi) + lambda * eye;
  const Eigen::MatrixXd rhs = phi.transpose() * t;
  const bool warm = m->weights.rows() == f && m->weights.cols() == d;
  Eigen::MatrixXd w = warm ? Eigen::MatrixXd(m->weights.cast<double>()) : Eigen::MatrixXd::Zero(f, d);
#pragma omp parallel
  {
    Eigen::ConjugateGradient<SparseD, Eigen::Lower | Eigen::Upper> cg;  // one per thread: solve() keeps state
    cg.setMaxIterations(o.cg_iterations);
    cg.setTolerance(o.cg_tolerance);
    cg.compute(a);
#pragma omp for schedule(dynamic, 1)
    for (int32_t j = 0; j < d; ++j) {
      const Eigen::VectorXd guess = w.col(j);
      w.col(j) = cg.solveWithGuess(rhs.col(j), guess);
    }
  }
  m->weights = w.cast<float>();
  m->mean = mean.transpose().cast<float>();
}

}  // namespace

StatusOr<ContentFit> FitContentModel(const Catalog& catalog, const RowMatrix& y, const Vector& bias,
                                     const std::vector<uint8_t>& trained, const ContentOptions& o,
                                     const RowMatrix& user_factors, const std::vector<std::vector<int32_t>>& interactions) {
  const int32_t n = catalog.num_items(), k = static_cast<int32_t>(y.cols());
  if (y.rows() != n || static_cast<int32_t>(trained.size()) != n || (bias.size() != 0 && bias.size() != n) || k < 1)
    return Status(ErrorCode::kInvalidArgument, "content model: factors, biases and the trained mask must have one row per item");
  if (o.regularizations.empty() || std::any_of(o.regularizations.begin(), o.regularizations.end(), [](float l) { return !(l > 0); }))
    return Status(ErrorCode::kInvalidArgument, "content model: the regularization grid needs values > 0");
  std::vector<int32_t> rows;
  for (int32_t i = 0; i < n; ++i)
    if (trained[i]) rows.push_back(i);
  if (rows.empty()) return Status(ErrorCode::kInvalidArgument, "content model: no item has trained factors");

  ContentModel m;
  m.concepts = catalog.num_concepts();
  m.factors = k;
  // Vocabularies from the trained items (a language or word no trained item has would get W = 0).
  std::map<std::string, int32_t> langs, word_items;
  for (int32_t i : rows) {
    const Item& item = catalog.item(ItemIndex(i));
    if (item.language.size() <= kMaxContentWordBytes && limits::ValidUtf8(item.language)) ++langs[item.language];
    for (const std::string& w : TitleWords(item.title)) ++word_items[w];
  }
  for (const auto& [l, c] : langs)
    if (m.languages.size() < kMaxContentLanguages) m.languages.push_back(l);
  std::vector<std::pair<int32_t, std::string>> by_count;
  for (const auto& [w, c] : word_items)
    if (c >= o.min_word_items) by_count.push_back({-c, w});
  std::sort(by_count.begin(), by_count.end());
  const size_t max_words = std::min<size_t>(static_cast<size_t>(std::max(0, o.max_words)), kMaxContentWords);
  for (size_t j = 0; j < by_count.size() && j < max_words; ++j) m.words.push_back(by_count[j].second);
  std::sort(m.words.begin(), m.words.end());

  Eigen::MatrixXd targets(n, k + 1);
  if (bias.size() == n) targets.col(0) = bias.cast<double>();
  else targets.col(0).setZero();
  targets.rightCols(k) = y.cast<double>();

  ContentFit fit;
  fit.trained_items = static_cast<int32_t>(rows.size());
  float best = o.regularizations.front();
  if (o.regularizations.size() > 1 && rows.size() >= 20) {
    // λ on validation items carved from the trained ones.
    std::vector<int32_t> shuffled = rows;
    std::mt19937_64 rng(o.seed);
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const size_t n_val = std::max<size_t>(1, static_cast<size_t>(o.validation_fraction * static_cast<double>(rows.size())));
    std::vector<int32_t> val(shuffled.begin(), shuffled.begin() + static_cast<int64_t>(n_val));
    std::vector<int32_t> fit_rows(shuffled.begin() + static_cast<int64_t>(n_val), shuffled.end());
    std::sort(val.begin(), val.end());
    std::sort(fit_rows.begin(), fit_rows.end());
    fit.validation_items = static_cast<int32_t>(val.size());
    const bool by_auc = user_factors.rows() > 0 && user_factors.cols() == k && !interactions.empty();
    double best_score = -1e300;
    for (float lambda : o.regularizations) {
      Ridge(catalog, targets, fit_rows, lambda, o, &m);
      RowMatrix pred(static_cast<int64_t>(val.size()), k + 1);
      for (size_t r = 0; r < val.size(); ++r) m.Predict(catalog.item(ItemIndex(val[r])), pred.row(static_cast<int64_t>(r)).data());
      double score;
      if (by_auc) {
        std::unordered_map<int32_t, int32_t> row_of;
        for (size_t r = 0; r < val.size(); ++r) row_of[val[r]] = static_cast<int32_t>(r);
        score = MeanAuc(val, interactions, [&](int32_t u, const std::vector<int32_t>& items, float* out) {
          for (size_t j = 0; j < items.size(); ++j) {
            const auto p = pred.row(row_of.at(items[j]));
            out[j] = p[0] + user_factors.row(u).dot(p.tail(k));
          }
        });
      } else {
        double se = 0;
        for (size_t r = 0; r < val.size(); ++r)
          se += (pred.row(static_cast<int64_t>(r)).cast<double>() - targets.row(val[r])).squaredNorm();
        score = -se;
      }
      if (score > best_score) {
        best_score = score;
        best = lambda;
        fit.validation_auc = by_auc ? score : -1;
      }
    }
  }
  Ridge(catalog, targets, rows, best, o, &m);
  m.regularization = best;
  fit.regularization = best;
  fit.model = std::move(m);
  return fit;
}

StatusOr<int32_t> FillContentFactors(Bundle* b) {
  if (!b->content_model) return 0;
  const ContentModel& m = *b->content_model;
  const int32_t n = b->catalog.num_items(), k = b->item_factors.cols();
  if (m.factors != k || m.concepts > b->catalog.num_concepts())
    return Status(ErrorCode::kInvalidArgument, "content model: fitted for k = " + std::to_string(m.factors) + " and " +
                                                   std::to_string(m.concepts) + " concepts, the bundle has k = " +
                                                   std::to_string(k) + " and " + std::to_string(b->catalog.num_concepts()));
  Vector y(k), p(k + 1);
  Eigen::MatrixXd added = Eigen::MatrixXd::Zero(k, k);
  int32_t filled = 0;
  for (int32_t i = 0; i < n; ++i) {
    b->item_factors.Row(i, y.data());
    if (!y.isZero(0)) continue;
    m.Predict(b->catalog.item(ItemIndex(i)), p.data());
    b->item_factors.SetRow(i, p.data() + 1);
    if (b->item_bias[i] == 0) b->item_bias[i] = p[0];
    b->item_factors.Row(i, y.data());  // as encoded: the Gram matrix must match what scoring reads
    const Eigen::VectorXd yd = y.cast<double>();
    added.selfadjointView<Eigen::Lower>().rankUpdate(yd);
    ++filled;
  }
  if (filled == 0) return 0;
  b->gram += added.selfadjointView<Eigen::Lower>().toDenseMatrix().cast<float>();
  // Concept vectors again (means over the items teaching each concept, now with their content
  // rows), reading one row at a time: no dequantized copy of the table.
  RowMatrix cv = RowMatrix::Zero(b->catalog.num_concepts(), k);
  std::vector<int32_t> counts(b->catalog.num_concepts(), 0);
  for (int32_t i = 0; i < n; ++i) {
    const std::vector<ConceptIndex>& teaches = b->catalog.item(ItemIndex(i)).teaches;
    if (teaches.empty()) continue;
    b->item_factors.Row(i, y.data());
    for (ConceptIndex c : teaches) {
      cv.row(c.value()) += y.transpose();
      ++counts[c.value()];
    }
  }
  for (int32_t c = 0; c < cv.rows(); ++c)
    if (counts[c] > 0) cv.row(c) /= static_cast<float>(counts[c]);
  b->concept_vectors = std::move(cv);
  return filled;
}

}  // namespace pathlight
