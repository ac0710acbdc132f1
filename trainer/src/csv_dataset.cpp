// The generic CSV schema (docs/csv-schema.md): items.csv, concepts.csv, edges.csv, interactions.csv.
#include <algorithm>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "csv.h"
#include "import_util.h"
#include "items_csv.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/kg_graph.h"

namespace pathlight::trainer {
namespace {

StatusOr<std::vector<ConceptIndex>> ConceptList(const std::string& path, unsigned line, const char* column,
                                                const std::string& value,
                                                const std::unordered_map<std::string, int32_t>& concept_of) {
  std::vector<ConceptIndex> out;
  for (const std::string& id : SplitList(value, '|')) {
    auto it = concept_of.find(id);
    if (it == concept_of.end())
      return Status(ErrorCode::kUnknownId, "file \"" + path + "\" line " + std::to_string(line) + " column \"" +
                                               column + "\": expected concept ids from concepts.csv, got \"" + id + "\"");
    out.push_back(ConceptIndex(it->second));
  }
  return out;
}

}  // namespace

StatusOr<std::vector<ItemRow>> ReadItemsCsv(const std::string& items_path,
                                            const std::unordered_map<std::string, int32_t>& concept_of, bool with_action) {
  std::vector<ItemRow> rows;
  std::unordered_map<std::string, int32_t> item_of;
  Status bad;
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(items_path, [&] {
    io::CSVReader<16, io::trim_chars<' ', '\r'>, io::double_quote_escape<',', '"'>> in(items_path);
    in.read_header(io::ignore_missing_column, "id", "kind", "title", "price", "currency", "level", "language", "hours",
                   "teaches", "requires", "expertise", "rating", "capacity", "languages", "action", "category");
    if (!with_action && in.has_column("action")) {
      bad = Status(ErrorCode::kParseError, "file \"" + items_path + "\" line 1: column \"action\" belongs to the "
                                           "update CSV of `pathlight bundle update`, not to items.csv");
      return;
    }
    for (const char* c : {"id", "kind", "title"})
      if (!in.has_column(c)) {
        bad = Status(ErrorCode::kParseError, "file \"" + items_path + "\" line 1: header lacks required column \"" + c + "\"");
        return;
      }
    std::string f[16];
    while (in.read_row(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14],
                       f[15])) {
      const unsigned line = in.get_file_line();
      ItemRow row;
      row.line = line;
      Item& item = row.item;
      item.id = f[0];
      item.title = f[2];
      if (!f[14].empty() && f[14] != "upsert" && f[14] != "retire") {
        bad = FieldError(items_path, line, "action", "upsert (add or replace; the default) or retire", f[14]);
        return;
      }
      row.retire = f[14] == "retire";
      double x;
      int64_t n;
      auto kind = ParseItemKind(f[1]);
      auto level = f[5].empty() ? std::optional<Level>(Level::kAll) : ParseLevel(f[5]);
      if (f[0].empty()) bad = FieldError(items_path, line, "id", "a non-empty item id", f[0]);
      else if (!item_of.emplace(f[0], static_cast<int32_t>(rows.size())).second)
        bad = FieldError(items_path, line, "id", "an item id not listed before", f[0]);
      else if (row.retire) {
        rows.push_back(std::move(row));  // an id is all a retirement needs
        continue;
      } else if (!kind) bad = FieldError(items_path, line, "kind", "course|ebook|consultation|membership|mentor", f[1]);
      else if (!f[3].empty() && (!ParseFiniteDouble(f[3], &x) || x < 0))
        bad = FieldError(items_path, line, "price", "a finite number >= 0 or empty (unknown)", f[3]);
      else if (!level) bad = FieldError(items_path, line, "level", "beginner|intermediate|advanced|all or empty", f[5]);
      else if (!f[7].empty() && (!ParseFiniteDouble(f[7], &item.hours) || item.hours < 0))
        bad = FieldError(items_path, line, "hours", "a finite number >= 0 or empty", f[7]);
      else if (!f[11].empty() && (!ParseFiniteDouble(f[11], &item.rating) || !(item.rating == 0 || (item.rating >= 1 && item.rating <= 5))))
        bad = FieldError(items_path, line, "rating", "0 or a number in [1, 5]", f[11]);
      else if (!f[12].empty() && (!ParseInt64(f[12], &n) || n < 0 || n > INT32_MAX))
        bad = FieldError(items_path, line, "capacity", "an integer in [0, 2^31)", f[12]);
      if (!bad.ok()) return;
      item.kind = *kind;
      item.level = *level;
      if (!f[3].empty()) {
        item.price = x;
        item.price_known = true;
      }
      if (!f[4].empty()) item.currency = f[4];
      if (!f[6].empty()) item.language = f[6];
      if (!f[12].empty()) item.capacity = static_cast<int32_t>(n);
      item.languages = SplitList(f[13], '|');
      row.category = f[15];
      auto teaches = ConceptList(items_path, line, "teaches", f[8], concept_of);
      auto requires_c = ConceptList(items_path, line, "requires", f[9], concept_of);
      if (!teaches.ok() || !requires_c.ok()) {
        bad = teaches.ok() ? requires_c.status() : teaches.status();
        return;
      }
      item.teaches = *teaches;
      item.requires_concepts = *requires_c;
      for (const std::string& e : SplitList(f[10], '|')) {  // concept:weight
        const size_t colon = e.rfind(':');
        double w = 1;
        const std::string id = colon == std::string::npos ? e : e.substr(0, colon);
        auto c = concept_of.find(id);
        if (c == concept_of.end() || (colon != std::string::npos && (!ParseFiniteDouble(e.substr(colon + 1), &w) || w <= 0 || w > 1))) {
          bad = FieldError(items_path, line, "expertise", "concept_id:weight pairs with weight in (0, 1], '|'-separated", e);
          return;
        }
        item.expertise.push_back({ConceptIndex(c->second), static_cast<float>(w)});
      }
      rows.push_back(std::move(row));
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);
  return rows;
}

StatusOr<Dataset> LoadCsvDataset(const std::string& dir) {
  Dataset ds;
  ds.name = "csv";
  Status bad;

  // concepts.csv: id,name[,name_zh]  (optional file)
  std::vector<Concept> concepts;
  std::unordered_map<std::string, int32_t> concept_of;
  const std::string concepts_path = dir + "/concepts.csv";
  if (std::filesystem::exists(concepts_path)) {
    PATHLIGHT_RETURN_IF_ERROR(GuardCsv(concepts_path, [&] {
      io::CSVReader<3, io::trim_chars<' ', '\r'>, io::double_quote_escape<',', '"'>> in(concepts_path);
      in.read_header(io::ignore_missing_column, "id", "name", "name_zh");
      if (!in.has_column("id") || !in.has_column("name")) {
        bad = Status(ErrorCode::kParseError, "file \"" + concepts_path + "\" line 1: expected header id,name[,name_zh]");
        return;
      }
      std::string id, name, zh;
      while (in.read_row(id, name, zh)) {
        if (id.empty()) bad = FieldError(concepts_path, in.get_file_line(), "id", "a non-empty concept id", id);
        else if (!concept_of.emplace(id, static_cast<int32_t>(concepts.size())).second)
          bad = FieldError(concepts_path, in.get_file_line(), "id", "a concept id not listed before", id);
        if (!bad.ok()) return;
        concepts.push_back(Concept{id, name.empty() ? id : name, zh, {}});
      }
    }));
    PATHLIGHT_RETURN_IF_ERROR(bad);
  }

  // edges.csv: prerequisite,concept[,evidence columns of kg mine]  (optional file). Duplicates are
  // merged, self edges dropped (both reported); a cycle is an error listing every cycle (kg_graph.h).
  const std::string edges_path = dir + "/edges.csv";
  int64_t n_edges = 0;
  EdgeFile edge_file;
  if (std::filesystem::exists(edges_path)) {
    std::vector<std::string> ids;
    for (const Concept& c : concepts) ids.push_back(c.id);
    PATHLIGHT_ASSIGN_OR_RETURN(edge_file, ReadEdgesCsv(edges_path, concept_of, ids));
    for (const EdgeRow& e : edge_file.edges) {
      concepts[e.concept].prerequisites.push_back(ConceptIndex(e.prerequisite));
      ++n_edges;
    }
    ds.notes.insert(ds.notes.end(), edge_file.notes.begin(), edge_file.notes.end());
  }

  // items.csv
  const std::string items_path = dir + "/items.csv";
  PATHLIGHT_ASSIGN_OR_RETURN(std::vector<ItemRow> item_rows, ReadItemsCsv(items_path, concept_of, false));
  std::vector<Item> items;
  std::vector<std::string> categories;  // optional column "category"
  std::unordered_map<std::string, int32_t> item_of;
  items.reserve(item_rows.size());
  categories.reserve(item_rows.size());
  for (ItemRow& r : item_rows) {
    item_of.emplace(r.item.id, static_cast<int32_t>(items.size()));
    items.push_back(std::move(r.item));
    categories.push_back(std::move(r.category));
  }
  if (items.empty()) return Status(ErrorCode::kParseError, "file \"" + items_path + "\": expected at least one item row");
  if (std::any_of(categories.begin(), categories.end(), [](const std::string& c) { return !c.empty(); }))
    ds.item_category = std::move(categories);
  PATHLIGHT_ASSIGN_OR_RETURN(ds.catalog, Catalog::Build(std::move(concepts), std::move(items), dir));

  // interactions.csv: user,item,weight,timestamp[,split]
  const std::string inter_path = dir + "/interactions.csv";
  std::unordered_map<std::string, int32_t> user_of;
  std::map<std::pair<int32_t, int32_t>, int> seen_train;
  int64_t duplicates = 0, test_unknown = 0, rows = 0;
  std::vector<std::pair<std::string, Interaction>> test_rows;  // learner resolved after training rows
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(inter_path, [&] {
    io::CSVReader<5, io::trim_chars<' ', '\r'>, io::double_quote_escape<',', '"'>> in(inter_path);
    in.read_header(io::ignore_missing_column, "user", "item", "weight", "timestamp", "split");
    for (const char* c : {"user", "item", "weight"})
      if (!in.has_column(c)) {
        bad = Status(ErrorCode::kParseError, "file \"" + inter_path + "\" line 1: header lacks required column \"" +
                                                 std::string(c) + "\" (expected user,item,weight[,timestamp][,split])");
        return;
      }
    std::string user, item, weight, ts, split;
    while (in.read_row(user, item, weight, ts, split)) {
      const unsigned line = in.get_file_line();
      ++rows;
      double w;
      int64_t t = 0;
      if (user.empty()) bad = FieldError(inter_path, line, "user", "a non-empty learner id", user);
      else if (!ParseFiniteDouble(weight, &w) || w < 0)
        bad = FieldError(inter_path, line, "weight", "a finite number >= 0", weight);
      else if (!ts.empty() && !ParseInt64(ts, &t))
        bad = FieldError(inter_path, line, "timestamp", "unix seconds (integer) or empty", ts);
      else if (!split.empty() && split != "train" && split != "test")
        bad = FieldError(inter_path, line, "split", "train, test or empty (train)", split);
      if (!bad.ok()) return;
      auto it = item_of.find(item);
      const bool is_test = split == "test";
      if (is_test) {
        if (it == item_of.end()) {
          ++test_unknown;
          continue;
        }
        test_rows.push_back({user, Interaction{0, it->second, static_cast<float>(w), t}});
        continue;
      }
      if (it == item_of.end()) {
        bad = Status(ErrorCode::kUnknownId, "file \"" + inter_path + "\" line " + std::to_string(line) +
                                                " column \"item\": expected an item id from items.csv, got \"" + item + "\"");
        return;
      }
      auto [u, inserted] = user_of.emplace(user, static_cast<int32_t>(ds.user_ids.size()));
      if (inserted) ds.user_ids.push_back(user);
      if (!seen_train.emplace(std::make_pair(u->second, it->second), 1).second) ++duplicates;
      ds.train.push_back({u->second, it->second, static_cast<float>(w), t});
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);
  if (rows == 0) return Status(ErrorCode::kParseError, "file \"" + inter_path + "\": expected at least one interaction row");
  int64_t test_unknown_user = 0;
  for (auto& [user, e] : test_rows) {
    auto u = user_of.find(user);
    if (u == user_of.end()) {
      ++test_unknown_user;
      continue;
    }
    e.user = u->second;
    ds.test.push_back(e);
  }
  ds.notes.push_back("csv: " + std::to_string(ds.catalog.num_items()) + " items, " +
                     std::to_string(ds.catalog.num_concepts()) + " concepts, " + std::to_string(n_edges) + " edges, " +
                     std::to_string(ds.train.size()) + " train / " + std::to_string(ds.test.size()) +
                     " test interactions; " + std::to_string(duplicates) +
                     " repeated (learner, item) training rows summed; test rows skipped: " +
                     std::to_string(test_unknown) + " unknown item, " + std::to_string(test_unknown_user) +
                     " learner without training rows");
  ds.report = {{"items", ds.catalog.num_items()}, {"concepts", ds.catalog.num_concepts()}, {"edges", n_edges},
               {"edges_duplicates_merged", edge_file.duplicates_merged}, {"edges_self_dropped", edge_file.self_edges_dropped},
               {"train", ds.train.size()}, {"test", ds.test.size()}, {"duplicates_summed", duplicates},
               {"test_skipped_unknown_item", test_unknown}, {"test_skipped_unknown_learner", test_unknown_user}};
  return ds;
}

}  // namespace pathlight::trainer
