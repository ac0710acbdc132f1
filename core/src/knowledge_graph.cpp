#include "pathlight/knowledge_graph.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace pathlight {

std::string PrimaryLanguage(std::string_view tag) {
  std::string out(tag.substr(0, tag.find('-')));
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return out;
}

IndexLists IndexLists::Inverse(int32_t n_values) const {
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

KnowledgeGraph::KnowledgeGraph(const Catalog& cat) : catalog_(cat) {
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
  kinds_.reserve(cat.num_items());
  levels_.reserve(cat.num_items());
  for (const Item& it : cat.items()) {
    kinds_.push_back(it.kind);
    levels_.push_back(it.level);
    teaches_.begin.push_back(static_cast<int32_t>(teaches_.values.size()));
    for (ConceptIndex c : it.teaches) teaches_.values.push_back(c.value());
    requires_.begin.push_back(static_cast<int32_t>(requires_.values.size()));
    for (ConceptIndex c : it.requires_concepts) requires_.values.push_back(c.value());
  }
  teaches_.begin.push_back(static_cast<int32_t>(teaches_.values.size()));
  requires_.begin.push_back(static_cast<int32_t>(requires_.values.size()));
  taught_by_ = teaches_.Inverse(cat.num_concepts());
  required_by_ = requires_.Inverse(cat.num_concepts());
  expertise_.begin.reserve(cat.num_items() + 1);
  languages_.begin.reserve(cat.num_items() + 1);
  has_capacity_.reserve(cat.num_items());
  for (const Item& it : cat.items()) {
    expertise_.begin.push_back(static_cast<int32_t>(expertise_.values.size()));
    if (it.kind == ItemKind::kMentor) {
      mentors_.push_back(static_cast<int32_t>(has_capacity_.size()));
      for (const auto& [c, w] : it.expertise)
        if (w > 0) expertise_.values.push_back(c.value());
    }
    languages_.begin.push_back(static_cast<int32_t>(languages_.values.size()));
    auto add_language = [&](const std::string& l) {
      if (l.empty()) return;
      const int32_t id =
          language_ids_.emplace(PrimaryLanguage(l), static_cast<int32_t>(language_ids_.size())).first->second;
      if (std::find(languages_.values.begin() + languages_.begin.back(), languages_.values.end(), id) ==
          languages_.values.end())
        languages_.values.push_back(id);
    };
    add_language(it.language);
    for (const std::string& l : it.languages) add_language(l);
    offerings_at_.push_back(static_cast<int32_t>(offerings_.size()));
    bool open = it.capacity > 0;
    if (it.kind == ItemKind::kMentor) {
      open = false;
      for (const Offering& o : MentorOfferings(it)) {
        offerings_.push_back(o);
        open = open || o.open_seats > 0;
      }
    }
    has_capacity_.push_back(open);
  }
  offerings_at_.push_back(static_cast<int32_t>(offerings_.size()));
  expertise_.begin.push_back(static_cast<int32_t>(expertise_.values.size()));
  languages_.begin.push_back(static_cast<int32_t>(languages_.values.size()));
  experts_ = expertise_.Inverse(cat.num_concepts());
  IndexLists prerequisites;  // concept → its direct prerequisites
  prerequisites.begin.reserve(cat.num_concepts() + 1);
  for (const Concept& c : cat.concepts()) {
    prerequisites.begin.push_back(static_cast<int32_t>(prerequisites.values.size()));
    for (ConceptIndex p : c.prerequisites) prerequisites.values.push_back(p.value());
  }
  prerequisites.begin.push_back(static_cast<int32_t>(prerequisites.values.size()));
  dependants_ = prerequisites.Inverse(cat.num_concepts());
  depth_.assign(cat.num_concepts(), 0);
  for (ConceptIndex c : cat.topological_order())
    for (ConceptIndex p : cat.concept_at(c).prerequisites)
      depth_[c.value()] = std::max(depth_[c.value()], depth_[p.value()] + 1);
}

int32_t KnowledgeGraph::LanguageId(const std::string& language) const {
  if (language.empty()) return kAnyLanguage;
  const auto it = language_ids_.find(PrimaryLanguage(language));
  return it == language_ids_.end() ? kNoLanguage : it->second;
}

const std::string& KnowledgeGraph::OtherLanguage(ItemIndex i, int32_t page) const {
  static const std::string kNone;
  if (Speaks(i, page)) return kNone;
  const Item& it = catalog_.item(i);
  return it.kind == ItemKind::kMentor && !it.languages.empty() ? it.languages.front() : it.language;
}

bool KnowledgeGraph::Speaks(ItemIndex i, int32_t language) const {
  if (language == kAnyLanguage) return true;
  return std::find(languages_.first(i.value()), languages_.last(i.value()), language) != languages_.last(i.value());
}

std::vector<uint8_t> KnowledgeGraph::ClosureFlags(const std::vector<ConceptIndex>& targets, bool include_targets) const {
  std::vector<uint8_t> flags(catalog_.num_concepts(), 0);
  std::vector<int32_t> stack;
  for (ConceptIndex t : targets) {
    if (include_targets) flags[t.value()] = 1;
    for (ConceptIndex p : catalog_.concept_at(t).prerequisites) stack.push_back(p.value());
  }
  while (!stack.empty()) {
    const int32_t c = stack.back();
    stack.pop_back();
    if (flags[c]) continue;  // a target's prerequisites were pushed when it was flagged
    flags[c] = 1;
    for (ConceptIndex p : catalog_.concept_at(ConceptIndex(c)).prerequisites) stack.push_back(p.value());
  }
  return flags;
}

}  // namespace pathlight
