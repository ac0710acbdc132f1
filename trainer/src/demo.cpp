// Simulated learners for the embedded demo catalog. The generating process (documented in
// data/demo/README.md, "Simulated learners") is a goal-directed walk over the prerequisite DAG:
//   1. goal g ~ Uniform(concepts); path P = PrerequisiteClosure({g}) ∪ {g} in topological order;
//   2. the learner already knows a prefix of P of length m ~ Uniform{0..|P|−1};
//   3. preferred language: en (80%), zh (12%), es/de (4% each); budget B ~ LogNormal(ln 60, 0.8) USD;
//   4. for each remaining concept c of P, with probability 0.85 the learner takes one non-mentor item
//      teaching c, drawn ∝ quality_i · (4 if language matches) · (2 if price ≤ B) · level fit,
//      where quality_i ~ LogNormal(0, 0.7) is fixed per item (a popularity skew); after each
//      step the learner drops out with probability 0.12;
//   5. with probability 0.3 the learner books a mentor with expertise in the last concept reached;
//   6. with probability 0.2 one exploratory item drawn ∝ quality_i is added (noise).
// Events are time-ordered; the last 20% of each learner's events (at least one, when the learner
// has ≥ 2) form the test split — the same per-learner temporal protocol as CoCo.
#include <algorithm>
#include <fstream>
#include <random>
#include <sstream>

#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {
namespace {

template <class Rng>
int32_t Draw(const std::vector<double>& weights, Rng& rng) {
  double total = 0;
  for (double w : weights) total += w;
  if (total <= 0) return -1;
  std::uniform_real_distribution<double> u(0, total);
  double x = u(rng);
  for (size_t i = 0; i < weights.size(); ++i) {
    x -= weights[i];
    if (x <= 0 && weights[i] > 0) return static_cast<int32_t>(i);
  }
  for (size_t i = weights.size(); i-- > 0;)
    if (weights[i] > 0) return static_cast<int32_t>(i);
  return -1;
}

}  // namespace

StatusOr<Dataset> LoadDemo(const std::string& catalog_path, const DemoOptions& options) {
  std::ifstream in(catalog_path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, "cannot open " + catalog_path);
  std::stringstream ss;
  ss << in.rdbuf();
  Dataset ds;
  ds.name = "demo";
  PATHLIGHT_ASSIGN_OR_RETURN(ds.catalog, Catalog::Parse(ss.str(), catalog_path));
  const Catalog& cat = ds.catalog;
  if (cat.num_concepts() == 0 || cat.num_items() == 0)
    return Status(ErrorCode::kInvalidArgument, catalog_path + ": the demo catalog needs concepts and items");

  std::mt19937_64 rng(options.seed);
  std::lognormal_distribution<double> quality_dist(0.0, 0.7), budget_dist(std::log(60.0), 0.8);
  std::uniform_real_distribution<double> coin(0, 1);
  std::vector<double> quality(cat.num_items());
  for (double& q : quality) q = quality_dist(rng);
  std::vector<std::vector<int32_t>> teachers(cat.num_concepts()), mentors(cat.num_concepts());
  for (int32_t i = 0; i < cat.num_items(); ++i) {
    const Item& item = cat.item(ItemIndex(i));
    if (item.kind == ItemKind::kMentor) {
      for (auto& [c, w] : item.expertise) mentors[c.value()].push_back(i);
    } else {
      for (ConceptIndex c : item.teaches) teachers[c.value()].push_back(i);
    }
  }

  for (int32_t u = 0; u < options.learners; ++u) {
    ds.user_ids.push_back("sim-" + std::to_string(u));
    const ConceptIndex goal(std::uniform_int_distribution<int32_t>(0, cat.num_concepts() - 1)(rng));
    std::vector<ConceptIndex> path = cat.PrerequisiteClosure({goal});
    path.push_back(goal);
    const size_t known = std::uniform_int_distribution<size_t>(0, path.size() - 1)(rng);
    const double lang_roll = coin(rng);
    const std::string lang = lang_roll < 0.80 ? "en" : lang_roll < 0.92 ? "zh" : lang_roll < 0.96 ? "es" : "de";
    const double budget = budget_dist(rng);
    std::vector<int32_t> events;
    ConceptIndex last = path[known];
    for (size_t s = known; s < path.size(); ++s) {
      const ConceptIndex c = path[s];
      last = c;
      if (coin(rng) < 0.85) {
        const auto& cands = teachers[c.value()];
        std::vector<double> w(cands.size());
        for (size_t j = 0; j < cands.size(); ++j) {
          const Item& item = cat.item(ItemIndex(cands[j]));
          const double level_fit = (s - known < 2) == (item.level == Level::kBeginner) ? 1.5 : 1.0;
          w[j] = quality[cands[j]] * (item.language == lang ? 4.0 : 1.0) *
                 (item.price <= budget ? 2.0 : 1.0) * level_fit;
          if (std::find(events.begin(), events.end(), cands[j]) != events.end()) w[j] = 0;
        }
        const int32_t pick = Draw(w, rng);
        if (pick >= 0) events.push_back(cands[pick]);
      }
      if (coin(rng) < 0.12) break;
    }
    if (coin(rng) < 0.3 && !mentors[last.value()].empty()) {
      const auto& ms = mentors[last.value()];
      events.push_back(ms[std::uniform_int_distribution<size_t>(0, ms.size() - 1)(rng)]);
    }
    if (coin(rng) < 0.2) {
      const int32_t extra = Draw(quality, rng);
      if (extra >= 0 && std::find(events.begin(), events.end(), extra) == events.end()) events.push_back(extra);
    }
    const size_t n_test = events.size() >= 2 ? std::max<size_t>(1, events.size() / 5) : 0;
    for (size_t e = 0; e < events.size(); ++e) {
      Interaction ev{u, events[e], 1.f, 1700000000 + static_cast<int64_t>(u) * 1000 + static_cast<int64_t>(e)};
      (e + n_test < events.size() ? ds.train : ds.test).push_back(ev);
    }
  }
  ds.notes.push_back("simulated " + std::to_string(options.learners) + " learners (seed " +
                     std::to_string(options.seed) + "): " + std::to_string(ds.train.size()) + " train and " +
                     std::to_string(ds.test.size()) + " test events");
  return ds;
}

}  // namespace pathlight::trainer
