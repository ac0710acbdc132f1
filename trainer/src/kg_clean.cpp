#include "pathlight/trainer/kg_clean.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

#include "csv.h"
#include "import_util.h"
#include "pathlight/trainer/kg_graph.h"

namespace pathlight::trainer {
namespace {

using nlohmann::json;

// Lower-case word tokens (letters, digits, '+', '#'): "Learn C++ & iOS-11" → learn c++ ios 11.
std::vector<std::string> Words(std::string_view text, bool keep_case = false) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '+' || c == '#' || c >= 0x80) {
      cur.push_back(keep_case ? ch : static_cast<char>(std::tolower(c)));
    } else if (!cur.empty()) {
      out.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

bool ContainsRun(const std::vector<std::string>& text, const std::vector<std::string>& run) {
  if (run.empty() || run.size() > text.size()) return false;
  for (size_t i = 0; i + run.size() <= text.size(); ++i)
    if (std::equal(run.begin(), run.end(), text.begin() + static_cast<std::ptrdiff_t>(i))) return true;
  return false;
}

struct UnionFind {
  std::vector<int32_t> parent;
  explicit UnionFind(int32_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  int32_t Find(int32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
};

// Category relatedness learnt from the logs: cosine of the categories' learner sets.
struct Categories {
  std::vector<int32_t> of_item;          // category index per item, −1 unknown
  std::vector<std::vector<double>> cos;  // category × category
  double random_pair = 0;                // expected relatedness of two random items
  bool available = false;

  /// How far the mean relatedness of item pairs is from random items' towards "all related":
  /// (mean − random) / (1 − random), 1 when every pair shares a category (or related ones), 0 at
  /// random, below 0 for less related than random. −2 when no pair has categories.
  double Coherence(const std::vector<int32_t>& a, const std::vector<int32_t>& b, bool same_set) const {
    const double mean = Mean(a, b, same_set);
    return mean < 0 ? -2 : (mean - random_pair) / (1 - random_pair);
  }

  double Mean(const std::vector<int32_t>& a, const std::vector<int32_t>& b, bool same_set) const {
    double sum = 0;
    int64_t n = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      const int32_t ca = of_item[a[i]];
      if (ca < 0) continue;
      for (size_t j = same_set ? i + 1 : 0; j < b.size(); ++j) {
        const int32_t cb = of_item[b[j]];
        if (cb < 0) continue;
        sum += cos[ca][cb];
        ++n;
      }
    }
    return n > 0 ? sum / static_cast<double>(n) : -1;
  }
};

Categories LearnCategories(const Dataset& ds, const std::vector<bool>& teaching_item) {
  Categories cat;
  const int32_t n_items = ds.catalog.num_items();
  cat.of_item.assign(n_items, -1);
  if (ds.item_category.empty()) return cat;
  std::unordered_map<std::string, int32_t> index;
  std::vector<int64_t> items_in;
  for (int32_t i = 0; i < n_items; ++i) {
    if (i >= static_cast<int32_t>(ds.item_category.size()) || ds.item_category[i].empty()) continue;
    auto [it, inserted] = index.emplace(ds.item_category[i], static_cast<int32_t>(index.size()));
    if (inserted) items_in.push_back(0);
    cat.of_item[i] = it->second;
    if (teaching_item[i]) ++items_in[it->second];
  }
  const size_t k = index.size();
  if (k == 0) return cat;
  const size_t words = (static_cast<size_t>(ds.num_users()) + 63) / 64;
  std::vector<std::vector<uint64_t>> learners(k, std::vector<uint64_t>(words, 0));
  for (const Interaction& e : ds.train) {
    const int32_t c = cat.of_item[e.item];
    if (c >= 0) learners[c][e.user / 64] |= uint64_t{1} << (e.user % 64);
  }
  std::vector<int64_t> size(k, 0);
  for (size_t c = 0; c < k; ++c)
    for (uint64_t w : learners[c]) size[c] += __builtin_popcountll(w);
  cat.cos.assign(k, std::vector<double>(k, 0));
  for (size_t a = 0; a < k; ++a) {
    cat.cos[a][a] = 1;
    for (size_t b = a + 1; b < k; ++b) {
      int64_t both = 0;
      for (size_t w = 0; w < words; ++w) both += __builtin_popcountll(learners[a][w] & learners[b][w]);
      const double c = size[a] > 0 && size[b] > 0 ? both / std::sqrt(static_cast<double>(size[a]) * size[b]) : 0;
      cat.cos[a][b] = cat.cos[b][a] = c;
    }
  }
  const double total = std::accumulate(items_in.begin(), items_in.end(), 0.0);
  for (size_t a = 0; a < k; ++a)
    for (size_t b = 0; b < k; ++b) cat.random_pair += items_in[a] / total * items_in[b] / total * cat.cos[a][b];
  cat.available = total > 0 && cat.random_pair > 0 && cat.random_pair < 1;
  return cat;
}

std::string Percent(double x) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100 * x);
  return buf;
}

std::string Fixed(double x, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string StripQualifier(const std::string& name) {
  if (!name.empty() && name.back() == ')') {
    const size_t open = name.rfind(" (");
    if (open != std::string::npos && open > 0) return name.substr(0, open);
  }
  return name;
}

}  // namespace

const char* ConceptActionName(ConceptAction action) {
  switch (action) {
    case ConceptAction::kKeep: return "keep";
    case ConceptAction::kRename: return "rename";
    case ConceptAction::kMerge: return "merge";
    case ConceptAction::kDrop: return "drop";
  }
  return "keep";
}

CleanResult CleanConcepts(const Dataset& ds, const CleanOptions& o) {
  CleanResult r;
  const Catalog& cat = ds.catalog;
  const int32_t n = cat.num_concepts(), n_items = cat.num_items();
  std::vector<std::vector<int32_t>> items_of(n);
  std::vector<bool> teaching_item(n_items, false);
  int64_t teachable = 0, covered = 0;
  for (int32_t i = 0; i < n_items; ++i) {
    const Item& item = cat.item(ItemIndex(i));
    if (item.kind == ItemKind::kMentor) continue;
    ++teachable;
    covered += !item.teaches.empty();
    teaching_item[i] = true;
    for (ConceptIndex c : item.teaches)
      if (items_of[c.value()].empty() || items_of[c.value()].back() != i) items_of[c.value()].push_back(i);
  }
  // Learners per concept (training interactions), as bitsets so that merged groups can be unioned.
  const size_t words = (static_cast<size_t>(ds.num_users()) + 63) / 64;
  std::vector<std::vector<uint64_t>> learners(n, std::vector<uint64_t>(words, 0));
  for (const Interaction& e : ds.train)
    for (ConceptIndex c : cat.item(ItemIndex(e.item)).teaches)
      learners[c.value()][e.user / 64] |= uint64_t{1} << (e.user % 64);
  auto count_bits = [](const std::vector<uint64_t>& b) {
    int64_t s = 0;
    for (uint64_t w : b) s += __builtin_popcountll(w);
    return static_cast<int32_t>(s);
  };
  std::vector<std::vector<std::string>> title_words(n_items);
  for (int32_t i = 0; i < n_items; ++i) title_words[i] = Words(cat.item(ItemIndex(i)).title);
  const Categories categories = LearnCategories(ds, teaching_item);
  if (!categories.available) r.notes.push_back("no item categories: the category rules (1's check, 4) are skipped");

  r.decisions.resize(n);
  for (int32_t c = 0; c < n; ++c) {
    ConceptDecision& d = r.decisions[c];
    d.concept = cat.concept_at(ConceptIndex(c)).id;
    d.items = static_cast<int32_t>(items_of[c].size());
    d.learners = count_bits(learners[c]);
  }
  std::vector<std::string> key(n);
  for (int32_t c = 0; c < n; ++c) key[c] = NameKey(cat.concept_at(ConceptIndex(c)).name);

  // Rule 1: near-duplicates by name key.
  UnionFind groups(n);
  std::map<std::string, std::vector<int32_t>> by_key;
  for (int32_t c = 0; c < n; ++c)
    if (!key[c].empty()) by_key[key[c]].push_back(c);
  int64_t merged_duplicates = 0, merged_senses = 0;
  for (auto& [k, members] : by_key) {
    if (members.size() < 2) continue;
    const int32_t target = *std::max_element(members.begin(), members.end(), [&](int32_t a, int32_t b) {
      return items_of[a].size() != items_of[b].size() ? items_of[a].size() < items_of[b].size() : a > b;
    });
    for (int32_t m : members) {
      if (m == target) continue;
      double related = -2;
      if (categories.available) {
        related = categories.Coherence(items_of[m], items_of[target], false);
        if (related > -2 && related < o.min_coherence) continue;  // two different things with one name
      }
      groups.parent[m] = target;
      ConceptDecision& d = r.decisions[m];
      d.action = ConceptAction::kMerge;
      d.reason = "near-duplicate of \"" + cat.concept_at(ConceptIndex(target)).name + "\" (same name without case, separators and qualifier" +
                 (related > -2 ? "; their items' category coherence " + Fixed(related, 2) : std::string()) + ")";
      ++merged_duplicates;
    }
  }

  // Rule 2: a wrong sense of a title word.
  for (int32_t c = 0; c < n; ++c) {
    if (groups.Find(c) != c || items_of[c].empty() || static_cast<int32_t>(items_of[c].size()) > o.sense_max_items) continue;
    const std::vector<std::string> own = Words(key[c]);
    if (own.size() != 1) continue;  // one word that extends another concept's word: "pythonidae" ⊃ "python"
    bool own_in_titles = false;
    for (int32_t i : items_of[c]) own_in_titles = own_in_titles || ContainsRun(title_words[i], own);
    if (own_in_titles) continue;
    int32_t best = -1;
    for (size_t len = 4; len < key[c].size(); ++len) {
      if (!std::isalpha(static_cast<unsigned char>(key[c][len]))) break;  // the extension is inside the word
      auto it = by_key.find(key[c].substr(0, len));
      if (it == by_key.end()) continue;
      const std::vector<std::string> word = Words(it->first);
      for (int32_t d : it->second) {
        if (groups.Find(d) != d || d == c ||
            static_cast<double>(items_of[d].size()) < o.sense_size_ratio * static_cast<double>(items_of[c].size()))
          continue;
        int32_t hits = 0;
        for (int32_t i : items_of[c]) hits += ContainsRun(title_words[i], word);
        if (2 * hits > static_cast<int32_t>(items_of[c].size()) && (best < 0 || items_of[d].size() > items_of[best].size()))
          best = d;
      }
    }
    if (best < 0) continue;
    groups.parent[c] = best;
    ConceptDecision& d = r.decisions[c];
    d.action = ConceptAction::kMerge;
    d.reason = "wrong sense: its items' titles say \"" + key[best] + "\" (\"" + cat.concept_at(ConceptIndex(best)).name +
               "\", " + std::to_string(items_of[best].size()) + " items), never \"" + key[c] + "\"";
    ++merged_senses;
  }

  // Groups after merging: items and learners of each kept root.
  std::vector<std::vector<int32_t>> group_items(n);
  std::vector<std::vector<uint64_t>> group_learners(n);
  for (int32_t c = 0; c < n; ++c) {
    const int32_t g = groups.Find(c);
    group_items[g].insert(group_items[g].end(), items_of[c].begin(), items_of[c].end());
    if (group_learners[g].empty()) group_learners[g].assign(words, 0);
    for (size_t w = 0; w < words; ++w) group_learners[g][w] |= learners[c][w];
  }
  for (auto& v : group_items) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  std::vector<std::vector<int32_t>> groups_of_item(n_items);
  for (int32_t c = 0; c < n; ++c)
    if (groups.Find(c) == c)
      for (int32_t i : group_items[c]) groups_of_item[i].push_back(c);
  std::vector<bool> dropped(n, false);
  std::vector<int32_t> group_size(n, 0);
  for (int32_t c = 0; c < n; ++c) group_size[c] = groups.Find(c) == c ? count_bits(group_learners[c]) : 0;
  int64_t dropped_support = 0, dropped_spread = 0, dropped_fragment = 0;

  // Rule 3: support. Never an item's last concept: a concept that is the only one of an item stays.
  auto every_item_has_another = [&](int32_t c) {
    bool all = !group_items[c].empty();
    for (int32_t i : group_items[c]) {
      bool other = false;
      for (int32_t g : groups_of_item[i]) other = other || (g != c && group_size[g] >= o.min_learners);
      all = all && other;
    }
    return all;
  };
  for (int32_t c = 0; c < n; ++c) {
    if (groups.Find(c) != c) continue;
    const bool few_learners = group_size[c] < o.min_learners;
    const bool few_items = static_cast<int32_t>(group_items[c].size()) < o.min_items;
    if ((!few_learners && !few_items) || !every_item_has_another(c)) continue;
    dropped[c] = true;
    ++dropped_support;
    r.decisions[c].reason =
        "too little support: " +
        (few_learners ? std::to_string(group_size[c]) + " learner(s) studied it (minimum " + std::to_string(o.min_learners) + ")"
                      : std::to_string(group_items[c].size()) + " item(s) (minimum " + std::to_string(o.min_items) + ")") +
        ", and each of its items teaches another concept";
  }

  // Rule 4: items spread over unrelated categories.
  if (categories.available)
    for (int32_t c = 0; c < n; ++c) {
      if (groups.Find(c) != c || dropped[c] || static_cast<int32_t>(group_items[c].size()) < o.spread_min_items) continue;
      const double coherence = categories.Coherence(group_items[c], group_items[c], true);
      if (coherence <= -2) continue;
      ConceptDecision& d = r.decisions[c];
      d.coherence = coherence;
      if (d.coherence >= o.min_coherence) continue;
      dropped[c] = true;
      ++dropped_spread;
      d.reason = "items in unrelated categories: category coherence " + Fixed(d.coherence, 3) + " (0 = random items, 1 = all related; minimum " +
                 Fixed(o.min_coherence, 2) + ")";
    }

  // Rule 5: partial-mention fragments of a longer kept concept name.
  std::vector<std::vector<std::string>> key_words(n);
  for (int32_t c = 0; c < n; ++c) key_words[c] = Words(key[c]);
  std::vector<bool> fragment(n, false);
  for (int32_t c = 0; c < n; ++c) {
    if (groups.Find(c) != c || dropped[c] || group_items[c].empty()) continue;
    int32_t with_longer = 0;
    std::string example;
    for (int32_t i : group_items[c]) {
      for (int32_t g : groups_of_item[i]) {
        if (g == c || dropped[g] || key_words[g].size() <= key_words[c].size() || !ContainsRun(key_words[g], key_words[c]))
          continue;
        ++with_longer;
        if (example.empty()) example = cat.concept_at(ConceptIndex(g)).name;
        break;
      }
    }
    ConceptDecision& d = r.decisions[c];
    d.fragment = static_cast<double>(with_longer) / static_cast<double>(group_items[c].size());
    if (d.fragment < o.fragment_share) continue;
    fragment[c] = true;
    d.reason = "partial mention: " + Percent(d.fragment) + " of its items also teach a concept whose name contains it (e.g. \"" +
               example + "\")";
  }
  for (int32_t c = 0; c < n; ++c)
    if (fragment[c]) {
      dropped[c] = true;
      ++dropped_fragment;
    }

  // Rule 6: display names. Case evidence from titles that are not lower-cased URL slugs.
  std::unordered_map<std::string, std::map<std::string, int32_t>> forms;  // lower-case word → written forms
  for (int32_t i = 0; i < n_items; ++i) {
    const std::string& title = cat.item(ItemIndex(i)).title;
    if (!std::any_of(title.begin() + std::min<size_t>(1, title.size()), title.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
      continue;
    for (const std::string& w : Words(title, true)) {
      std::string lower = w;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      ++forms[lower][w];
    }
  }
  std::vector<std::string> display(n);
  int64_t recased = 0, qualifiers = 0;
  for (int32_t c = 0; c < n; ++c) {
    std::string name = cat.concept_at(ConceptIndex(c)).name;
    const size_t end = name.find_first_of(" (");
    const std::string first = name.substr(0, end);
    if (first.size() >= 2 && first[0] >= 'A' && first[0] <= 'Z') {
      std::string lowered_first = first;
      lowered_first[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(first[0])));
      std::string lower = first;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      auto f = forms.find(lower);
      if (f != forms.end() && lowered_first != lower) {  // only words with a capital inside ("IOS", "JQuery")
        const int32_t as_is = f->second.count(first) ? f->second.at(first) : 0;
        const int32_t lowered = f->second.count(lowered_first) ? f->second.at(lowered_first) : 0;
        if (lowered >= 2 && lowered > as_is) {
          name = lowered_first + name.substr(first.size());
          ++recased;
        }
      }
    }
    display[c] = name;
  }
  std::map<std::string, int32_t> base_count;
  for (int32_t c = 0; c < n; ++c)
    if (groups.Find(c) == c && !dropped[c]) ++base_count[NameKey(StripQualifier(display[c]))];
  for (int32_t c = 0; c < n; ++c) {
    const std::string base = StripQualifier(display[c]);
    if (base != display[c] && base_count[NameKey(base)] == 1) {
      display[c] = base;
      ++qualifiers;
    }
  }

  // Decisions.
  for (int32_t c = 0; c < n; ++c) {
    ConceptDecision& d = r.decisions[c];
    const int32_t g = groups.Find(c);
    if (dropped[g]) {
      if (g == c) {
        d.action = ConceptAction::kDrop;
      } else {  // merged into a concept that was then dropped
        d.action = ConceptAction::kDrop;
        d.reason += "; then dropped with it: " + r.decisions[g].reason;
      }
      d.into.clear();
      d.name.clear();
      continue;
    }
    if (g != c) {
      d.into = cat.concept_at(ConceptIndex(g)).id;
      d.name = display[g];
      continue;
    }
    d.into = d.concept;
    d.name = display[c];
    if (d.name != cat.concept_at(ConceptIndex(c)).name) {
      d.action = ConceptAction::kRename;
      d.reason = "display name \"" + cat.concept_at(ConceptIndex(c)).name + "\" → \"" + d.name + "\"";
    } else {
      d.reason = "kept";
    }
  }

  int64_t after = 0;
  for (int32_t i = 0; i < n_items; ++i) {
    if (!teaching_item[i]) continue;
    bool any = false;
    for (ConceptIndex c : cat.item(ItemIndex(i)).teaches) any = any || !dropped[groups.Find(c.value())];
    after += any;
  }
  for (const Item& item : cat.items()) {
    const std::string tag = LanguageTag(item.language);
    r.language_fixes += !tag.empty() && tag != item.language;
  }
  r.coverage_before = teachable ? static_cast<double>(covered) / static_cast<double>(teachable) : 0;
  r.coverage_after = teachable ? static_cast<double>(after) / static_cast<double>(teachable) : 0;
  std::map<std::string, int64_t> actions;
  for (const ConceptDecision& d : r.decisions) ++actions[ConceptActionName(d.action)];
  r.report = {{"concepts", n},
              {"kept", actions["keep"] + actions["rename"]},
              {"actions", actions},
              {"merged_near_duplicates", merged_duplicates},
              {"merged_wrong_sense", merged_senses},
              {"dropped_support", dropped_support},
              {"dropped_unrelated_categories", dropped_spread},
              {"dropped_partial_mention", dropped_fragment},
              {"names_recased", recased},
              {"qualifiers_dropped", qualifiers},
              {"language_fixes", r.language_fixes},
              {"items_teaching_before", r.coverage_before},
              {"items_teaching_after", r.coverage_after},
              {"category_random_relatedness", categories.random_pair}};
  return r;
}

Status WriteConceptMap(const CleanResult& r, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << "concept,action,id,name,reason,items,learners,coherence,fragment\n";
  for (const ConceptDecision& d : r.decisions)
    out << CsvField(d.concept) << ',' << ConceptActionName(d.action) << ',' << CsvField(d.into) << ',' << CsvField(d.name)
        << ',' << CsvField(d.reason) << ',' << d.items << ',' << d.learners << ','
        << (d.coherence > -2 ? Fixed(d.coherence, 3) : "") << ',' << Fixed(d.fragment, 3) << "\n";
  if (!out) return Status(ErrorCode::kIoError, "cannot write " + path);
  return Status::Ok();
}

Status ApplyConceptMap(const std::string& path, Dataset* ds) {
  const Catalog& cat = ds->catalog;
  const int32_t n = cat.num_concepts();
  std::unordered_map<std::string, int32_t> index;
  for (int32_t c = 0; c < n; ++c) index[cat.concept_at(ConceptIndex(c)).id] = c;
  struct Row {
    ConceptAction action;
    std::string into, name;
    unsigned line;
  };
  std::vector<std::optional<Row>> rows(n);
  Status bad;
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(path, [&] {
    CsvReader<9> in(path);
    in.read_header(io::ignore_missing_column, "concept", "action", "id", "name", "reason", "items", "learners",
                   "coherence", "fragment");
    for (const char* required : {"concept", "action", "id", "name"})
      if (!in.has_column(required)) {
        bad = Status(ErrorCode::kParseError, "file \"" + path + "\" line 1: header lacks required column \"" +
                                                 required + "\" (expected concept,action,id,name[,reason,…])");
        return;
      }
    std::string f[9];
    while (in.read_row(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8])) {
      const unsigned line = in.get_file_line();
      auto it = index.find(f[0]);
      if (it == index.end()) {
        bad = Status(ErrorCode::kUnknownId, "file \"" + path + "\" line " + std::to_string(line) +
                                                " column \"concept\": expected a concept id of the data set, got " + QuoteForMessage(f[0]));
        return;
      }
      if (rows[it->second]) {
        bad = FieldError(path, line, "concept", "a concept not listed before (line " + std::to_string(rows[it->second]->line) + ")", f[0]);
        return;
      }
      Row row{ConceptAction::kKeep, f[2], f[3], line};
      if (f[1] == "keep") row.action = ConceptAction::kKeep;
      else if (f[1] == "rename") row.action = ConceptAction::kRename;
      else if (f[1] == "merge") row.action = ConceptAction::kMerge;
      else if (f[1] == "drop") row.action = ConceptAction::kDrop;
      else {
        bad = FieldError(path, line, "action", "keep, rename, merge or drop", f[1]);
        return;
      }
      if ((row.action == ConceptAction::kKeep || row.action == ConceptAction::kRename) && row.into != f[0]) {
        bad = FieldError(path, line, "id", "the concept's own id for keep and rename (ids never change)", row.into);
        return;
      }
      if (row.action != ConceptAction::kDrop && row.action != ConceptAction::kMerge && row.name.empty()) {
        bad = FieldError(path, line, "name", "a display name", row.name);
        return;
      }
      rows[it->second] = row;
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);

  // New concept index of every source concept (−1: dropped).
  std::vector<int32_t> kept_index(n, -1);
  std::vector<Concept> concepts;
  int64_t unlisted = 0;
  for (int32_t c = 0; c < n; ++c) {
    const Concept& src = cat.concept_at(ConceptIndex(c));
    if (!rows[c]) ++unlisted;
    if (rows[c] && (rows[c]->action == ConceptAction::kMerge || rows[c]->action == ConceptAction::kDrop)) continue;
    kept_index[c] = static_cast<int32_t>(concepts.size());
    concepts.push_back(Concept{src.id, rows[c] ? rows[c]->name : src.name, src.name_zh, {}});
  }
  std::vector<int32_t> target(n, -1);
  for (int32_t c = 0; c < n; ++c) {
    if (kept_index[c] >= 0) {
      target[c] = kept_index[c];
    } else if (rows[c]->action == ConceptAction::kMerge) {
      auto it = index.find(rows[c]->into);
      if (it == index.end() || kept_index[it->second] < 0)
        return Status(ErrorCode::kInvalidArgument, "file \"" + path + "\" line " + std::to_string(rows[c]->line) +
                                                       " column \"id\": a merge must name a concept that is kept, got \"" +
                                                       rows[c]->into + "\"");
      target[c] = kept_index[it->second];
    }
  }
  auto remap = [&](const std::vector<ConceptIndex>& in) {
    std::vector<ConceptIndex> out;
    for (ConceptIndex c : in) {
      const int32_t t = target[c.value()];
      if (t >= 0 && std::find(out.begin(), out.end(), ConceptIndex(t)) == out.end()) out.push_back(ConceptIndex(t));
    }
    return out;
  };
  for (int32_t c = 0; c < n; ++c) {
    if (target[c] < 0) continue;
    for (ConceptIndex p : remap(cat.concept_at(ConceptIndex(c)).prerequisites)) {
      auto& pre = concepts[target[c]].prerequisites;
      if (p.value() != target[c] && std::find(pre.begin(), pre.end(), p) == pre.end()) pre.push_back(p);
    }
  }
  std::vector<Item> items = cat.items();
  int64_t language_fixes = 0;
  for (Item& item : items) {
    item.teaches = remap(item.teaches);
    item.requires_concepts = remap(item.requires_concepts);
    std::vector<std::pair<ConceptIndex, float>> expertise;
    for (auto [c, w] : item.expertise) {
      const int32_t t = target[c.value()];
      if (t < 0) continue;
      auto it = std::find_if(expertise.begin(), expertise.end(), [&](const auto& e) { return e.first.value() == t; });
      if (it == expertise.end()) expertise.push_back({ConceptIndex(t), w});
      else it->second = std::max(it->second, w);
    }
    item.expertise = std::move(expertise);
    const std::string tag = LanguageTag(item.language);
    if (!tag.empty() && tag != item.language) {
      item.language = tag;
      ++language_fixes;
    }
  }
  for (auto& lc : ds->learner_concepts) {
    std::vector<std::pair<ConceptIndex, float>> out;
    for (auto [c, w] : lc)
      if (target[c.value()] >= 0) out.push_back({ConceptIndex(target[c.value()]), w});
    lc = std::move(out);
  }
  const int32_t before = n;
  PATHLIGHT_ASSIGN_OR_RETURN(ds->catalog, Catalog::Build(std::move(concepts), std::move(items), path));
  ds->notes.push_back("concept map " + path + ": " + std::to_string(before) + " → " +
                      std::to_string(ds->catalog.num_concepts()) + " concepts; " + std::to_string(unlisted) +
                      " concepts not in the map kept as they are; " + std::to_string(language_fixes) +
                      " item languages normalised");
  ds->report["concept_map"] = {{"file", path}, {"concepts_before", before}, {"concepts_after", ds->catalog.num_concepts()},
                               {"unlisted_kept", unlisted}, {"language_fixes", language_fixes}};
  return Status::Ok();
}

Status ApplyEdgesFile(const std::string& path, Dataset* ds) {
  const Catalog& cat = ds->catalog;
  std::unordered_map<std::string, int32_t> index;
  std::vector<std::string> names;
  for (int32_t c = 0; c < cat.num_concepts(); ++c) {
    index[cat.concept_at(ConceptIndex(c)).id] = c;
    names.push_back(cat.concept_at(ConceptIndex(c)).id);
  }
  PATHLIGHT_ASSIGN_OR_RETURN(const EdgeFile file, ReadEdgesCsv(path, index, names));
  std::vector<Concept> concepts = cat.concepts();
  std::vector<GraphEdge> graph;
  std::vector<std::string> labels;
  for (int32_t c = 0; c < cat.num_concepts(); ++c)
    for (ConceptIndex p : concepts[c].prerequisites) {
      graph.push_back({p.value(), c});
      labels.push_back("from the data set");
    }
  int64_t added = 0;
  for (const EdgeRow& e : file.edges) {
    auto& pre = concepts[e.concept].prerequisites;
    if (std::find(pre.begin(), pre.end(), ConceptIndex(e.prerequisite)) != pre.end()) continue;
    pre.push_back(ConceptIndex(e.prerequisite));
    graph.push_back({e.prerequisite, e.concept});
    labels.push_back("line " + std::to_string(e.line));
    ++added;
  }
  const CycleList cycles = ElementaryCycles(cat.num_concepts(), graph, 10000);
  if (!cycles.cycles.empty()) {
    std::string text = path + ": with the data set's own edges the prerequisite graph has " +
                       std::to_string(cycles.cycles.size()) + (cycles.truncated ? "+" : "") + " cycle(s):";
    for (size_t i = 0; i < cycles.cycles.size() && i < 100; ++i)
      text += "\n  " + DescribeCycle(cycles.cycles[i], graph, names, labels);
    return Status(ErrorCode::kCycle, text);
  }
  for (const std::string& note : file.notes) ds->notes.push_back(note);
  ds->notes.push_back("edges " + path + ": " + std::to_string(added) + " prerequisite edges added (" +
                      std::to_string(file.duplicates_merged) + " repeated rows merged, " +
                      std::to_string(file.self_edges_dropped) + " self edges dropped)");
  ds->report["edges_file"] = {{"file", path}, {"added", added}, {"duplicates_merged", file.duplicates_merged},
                              {"self_edges_dropped", file.self_edges_dropped}};
  PATHLIGHT_ASSIGN_OR_RETURN(ds->catalog, Catalog::Build(std::move(concepts), cat.items(), path));
  return Status::Ok();
}

}  // namespace pathlight::trainer
