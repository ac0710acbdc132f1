// Junyi Academy 2015: exercises (items), prerequisite DAG (one concept per exercise), attempts.
#include <unordered_map>

#include "csv.h"
#include "import_util.h"
#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {
namespace {

std::string Humanize(std::string s) {
  for (char& c : s)
    if (c == '_' || c == '-') c = ' ';
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

// True when `from` already (transitively) requires `to`: adding the edge to → from would close a cycle.
bool Reaches(const std::vector<Concept>& concepts, int32_t from, int32_t to) {
  std::vector<int32_t> stack = {from};
  std::vector<uint8_t> seen(concepts.size(), 0);
  while (!stack.empty()) {
    const int32_t c = stack.back();
    stack.pop_back();
    if (c == to) return true;
    if (seen[c]) continue;
    seen[c] = 1;
    for (ConceptIndex p : concepts[c].prerequisites) stack.push_back(p.value());
  }
  return false;
}

}  // namespace

StatusOr<Dataset> LoadJunyi(const std::string& dir) {
  Dataset ds;
  ds.name = "junyi";
  std::vector<Concept> concepts;
  std::vector<Item> items;
  std::unordered_map<std::string, int32_t> index_of;
  int32_t repeated = 0;
  const std::string table = dir + "/junyi_Exercise_table.csv";
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(table, [&] {
    CsvReader<5> in(table);
    in.read_header(io::ignore_extra_column, "name", "live", "pretty_display_name", "topic", "area");
    std::string name, live, pretty, topic, area;
    while (in.read_row(name, live, pretty, topic, area)) {
      if (!index_of.emplace(name, static_cast<int32_t>(items.size())).second) {
        ++repeated;  // two names occur twice with identical prerequisites: keep the first
        continue;
      }
      const ConceptIndex c(static_cast<int32_t>(concepts.size()));
      concepts.push_back(Concept{name, Humanize(name), pretty, {}});
      Item item;
      item.id = name;
      item.kind = ItemKind::kCourse;
      item.title = Humanize(name);
      item.language = "zh-TW";
      item.price = 0;
      item.price_known = true;  // Junyi Academy is free
      item.teaches = {c};
      items.push_back(std::move(item));
    }
  }));
  if (items.empty()) return Status(ErrorCode::kParseError, "file \"" + table + "\" lists no exercises");

  const std::string edges = dir + "/exercise_prerequisites.csv";
  Status bad;
  int32_t n_edges = 0;
  std::vector<std::string> dropped;
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(edges, [&] {
    CsvReader<2> in(edges);
    in.read_header(io::ignore_no_column, "prerequisite", "exercise");
    std::string pre, ex;
    while (in.read_row(pre, ex)) {
      auto p = index_of.find(pre), e = index_of.find(ex);
      if (p == index_of.end() || e == index_of.end()) {
        const bool first = p == index_of.end();
        bad = FieldError(edges, in.get_file_line(), first ? "prerequisite" : "exercise",
                         "an exercise name from junyi_Exercise_table.csv", first ? pre : ex);
        return;
      }
      // The expert graph has a few cycles (e.g. among the radicals exercises). Documented
      // treatment: edges are taken in file order and one that would close a cycle is dropped.
      if (Reaches(concepts, p->second, e->second)) {
        dropped.push_back(pre + " -> " + ex);
        continue;
      }
      concepts[e->second].prerequisites.push_back(ConceptIndex(p->second));
      items[e->second].requires_concepts.push_back(ConceptIndex(p->second));
      ++n_edges;
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);
  PATHLIGHT_ASSIGN_OR_RETURN(ds.catalog, Catalog::Build(std::move(concepts), std::move(items), dir));

  const std::string log = dir + "/user_exercise_train.csv.gz";
  PATHLIGHT_ASSIGN_OR_RETURN(const std::string text, ReadWholeFile(log));
  std::unordered_map<int64_t, int32_t> user_of_id;
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(log, [&] {
    CsvReader<2> in(log, text.data(), text.data() + text.size());
    in.read_header(io::ignore_no_column, "user_id", "exercise");
    std::string uid, ex;
    while (in.read_row(uid, ex)) {
      int64_t u;
      if (!ParseInt64(uid, &u) || u < 0 || u > INT32_MAX) {
        bad = FieldError(log, in.get_file_line(), "user_id", "an integer id in [0, 2^31)", uid);
        return;
      }
      auto e = index_of.find(ex);
      if (e == index_of.end()) {
        bad = FieldError(log, in.get_file_line(), "exercise", "an exercise name from junyi_Exercise_table.csv", ex);
        return;
      }
      auto [it, inserted] = user_of_id.emplace(u, static_cast<int32_t>(ds.user_ids.size()));
      if (inserted) ds.user_ids.push_back(uid);
      ds.train.push_back({it->second, e->second, 1.f, 0});
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);
  if (ds.train.empty()) return Status(ErrorCode::kParseError, "file \"" + log + "\" holds no attempts");
  ds.notes.push_back("junyi: " + std::to_string(ds.catalog.num_items()) + " exercises (" + std::to_string(repeated) +
                     " repeated names kept once), " + std::to_string(n_edges) + " prerequisite edges (" +
                     std::to_string(dropped.size()) + " dropped because they close a cycle" +
                     (dropped.empty() ? std::string() : ": " + dropped.front() + (dropped.size() > 1 ? ", ..." : "")) + "), " +
                     std::to_string(ds.train.size()) + " attempts by " + std::to_string(ds.num_users()) +
                     " learners (no split given: use --protocol random-80-20)");
  ds.report = {{"exercises", ds.catalog.num_items()}, {"repeated_names", repeated}, {"prerequisite_edges", n_edges},
               {"edges_dropped_for_cycles", dropped}, 
               {"attempts", ds.train.size()}, {"learners", ds.num_users()}};
  return ds;
}

}  // namespace pathlight::trainer
