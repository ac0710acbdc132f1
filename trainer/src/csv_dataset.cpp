// The generic CSV schema (docs/csv-schema.md): items.csv, concepts.csv, edges.csv, interactions.csv.
#include <algorithm>
#include <cstring>
#include <cmath>
#include <filesystem>
#include <map>
#include <unordered_map>

#include "csv.h"
#include "import_util.h"
#include "items_csv.h"
#include "pathlight/limits.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/kg_graph.h"

namespace pathlight::trainer {
namespace {

constexpr const char* kItemColumns[17] = {"id",       "kind",     "title",     "price",     "currency", "level",
                                          "language", "hours",    "teaches",   "requires",  "expertise", "rating",
                                          "capacity", "languages", "action",   "category", "offerings"};

// A mentor's "offerings" cell: '|'-separated format:seats:open_seats:price_per_seat entries
// (price empty = unknown), each checked by limits::OfferingError as every reader checks it.
Status ParseOfferings(const std::string& path, unsigned line, const std::string& cell, Item* item) {
  const char* expected = "'|'-separated format:seats:open_seats:price_per_seat entries (format one_to_one or group; "
                         "seats an integer in 1..1000, 1 for one_to_one; open_seats an integer in 0..seats; price "
                         "per seat a number in [0, 1e9] or empty for unknown)";
  for (const std::string& e : SplitList(cell, '|')) {
    std::vector<std::string> parts;
    size_t from = 0;
    for (size_t colon; (colon = e.find(':', from)) != std::string::npos; from = colon + 1) parts.push_back(e.substr(from, colon - from));
    parts.push_back(e.substr(from));
    int64_t seats = 0, open_seats = 0;
    double price = 0;
    const std::optional<OfferingFormat> format = parts.size() == 4 ? ParseOfferingFormat(parts[0]) : std::nullopt;
    if (!format || !ParseInt64(parts[1], &seats) || !ParseInt64(parts[2], &open_seats) ||
        (!parts[3].empty() && !ParseFiniteDouble(parts[3], &price)))
      return FieldError(path, line, "offerings", expected, e);
    if (const char* what = limits::OfferingError(*format == OfferingFormat::kOneToOne, static_cast<double>(seats),
                                                 static_cast<double>(open_seats), price, !parts[3].empty()))
      return FieldError(path, line, "offerings", std::string(what) + " (" + expected + ")", e);
    if (item->offerings.size() == limits::kMaxOfferings) return FieldError(path, line, "offerings", "at most 16 offerings", cell);
    Offering o;
    o.format = *format;
    o.seats = static_cast<int32_t>(seats);
    o.open_seats = static_cast<int32_t>(open_seats);
    o.price_known = !parts[3].empty();
    o.price_per_seat = o.price_known ? price : 0;
    item->offerings.push_back(o);
  }
  if (!item->offerings.empty() && item->kind != ItemKind::kMentor)
    return FieldError(path, line, "offerings", "empty (only a mentor has offerings)", cell);
  return Status::Ok();
}

StatusOr<std::vector<ConceptIndex>> ConceptList(const std::string& path, unsigned line, const char* column,
                                                const std::string& value,
                                                const std::unordered_map<std::string, int32_t>& concept_of) {
  std::vector<ConceptIndex> out;
  for (const std::string& id : SplitList(value, '|')) {
    auto it = concept_of.find(id);
    if (it == concept_of.end())
      return Status(ErrorCode::kUnknownId, "file \"" + path + "\" line " + std::to_string(line) + " column \"" +
                                               column + "\": expected concept ids of the catalog (concepts.csv; for an update, the bundle's), got " + QuoteForMessage(id));
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
    io::CSVReader<17, io::trim_chars<' ', '\r'>, io::double_quote_escape<',', '"'>> in(items_path);
    in.read_header(io::ignore_missing_column, kItemColumns[0], kItemColumns[1], kItemColumns[2], kItemColumns[3],
                   kItemColumns[4], kItemColumns[5], kItemColumns[6], kItemColumns[7], kItemColumns[8], kItemColumns[9],
                   kItemColumns[10], kItemColumns[11], kItemColumns[12], kItemColumns[13], kItemColumns[14],
                   kItemColumns[15], kItemColumns[16]);
    if (!with_action && in.has_column("action")) {
      bad = Status(ErrorCode::kParseError, "file \"" + items_path + "\" line 1: column \"action\" belongs to the "
                                           "update CSV of `pathlight bundle update`, not to items.csv");
      return;
    }
    // An update CSV with an action column may be retirements alone ("id,action": only id is read);
    // an upsert row without kind or title is then refused on its own line.
    const bool actions = with_action && in.has_column("action");
    for (const char* c : {"id", "kind", "title"})
      if (!in.has_column(c) && !(actions && std::strcmp(c, "id") != 0)) {
        bad = Status(ErrorCode::kParseError, "file \"" + items_path + "\" line 1: header lacks required column \"" + c + "\"");
        return;
      }
    std::string f[17];
    while (in.read_row(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14],
                       f[15], f[16])) {
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
        bad = IdField(items_path, line, "id", f[0]);
        if (!bad.ok()) return;
        rows.push_back(std::move(row));  // an id is all a retirement needs
        continue;
      } else if (!kind) bad = FieldError(items_path, line, "kind", "course|ebook|consultation|membership|mentor", f[1]);
      else if (!f[3].empty() && (!ParseFiniteDouble(f[3], &x) || !limits::InRange(x, 0, limits::kMaxPrice)))
        bad = FieldError(items_path, line, "price", "a number in [0, 1e9] or empty (unknown)", f[3]);
      else if (!level) bad = FieldError(items_path, line, "level", "beginner|intermediate|advanced|all or empty", f[5]);
      else if (!f[7].empty() && (!ParseFiniteDouble(f[7], &item.hours) || !limits::InRange(item.hours, 0, limits::kMaxHours)))
        bad = FieldError(items_path, line, "hours", "a number in [0, 1e6] or empty", f[7]);
      else if (!f[11].empty() && (!ParseFiniteDouble(f[11], &item.rating) || !limits::ValidItemRating(item.rating)))
        bad = FieldError(items_path, line, "rating", "0 or a number in [1, 5]", f[11]);
      else if (!f[12].empty() && (!ParseInt64(f[12], &n) || !limits::InRange(static_cast<double>(n), 0, limits::kMaxCapacity)))
        bad = FieldError(items_path, line, "capacity", "an integer in [0, 1e6]", f[12]);
      if (bad.ok()) bad = IdField(items_path, line, "id", f[0]);
      for (int col : {2, 4, 6, 8, 9, 10, 13, 15, 16})
        if (bad.ok()) bad = TextField(items_path, line, kItemColumns[col], f[col]);
      if (!bad.ok()) return;
      item.kind = *kind;
      item.level = *level;
      if (!f[3].empty()) {
        item.price = x + 0.0;  // -0 is 0 (it was written as "price": -0.0)
        item.price_known = true;
      }
      if (!f[4].empty()) item.currency = f[4];
      if (!f[6].empty()) item.language = f[6];
      if (!f[12].empty()) item.capacity = static_cast<int32_t>(n);
      item.languages = SplitList(f[13], '|');
      row.category = f[15];
      bad = ParseOfferings(items_path, line, f[16], &item);
      if (!bad.ok()) return;
      auto teaches = ConceptList(items_path, line, "teaches", f[8], concept_of);
      auto requires_c = ConceptList(items_path, line, "requires", f[9], concept_of);
      if (!teaches.ok() || !requires_c.ok()) {
        bad = teaches.ok() ? requires_c.status() : teaches.status();
        return;
      }
      item.teaches = *teaches;
      item.requires_concepts = *requires_c;
      for (std::vector<ConceptIndex>* list : {&item.teaches, &item.requires_concepts}) {  // a repeat counts once
        const size_t before = list->size();
        std::vector<bool> seen(concept_of.size());
        std::vector<ConceptIndex> unique;
        for (ConceptIndex c : *list)
          if (!seen[static_cast<size_t>(c.value())]) {
            seen[static_cast<size_t>(c.value())] = true;
            unique.push_back(c);
          }
        *list = std::move(unique);
        row.duplicate_list_entries += static_cast<int64_t>(before - list->size());
      }
      if (item.teaches.size() > limits::kMaxListEntries || item.requires_concepts.size() > limits::kMaxListEntries ||
          item.languages.size() > limits::kMaxListEntries) {
        bad = FieldError(items_path, line, item.teaches.size() > limits::kMaxListEntries ? "teaches"
                                           : item.requires_concepts.size() > limits::kMaxListEntries ? "requires" : "languages",
                         "at most 4096 entries", "(a longer list)");
        return;
      }
      for (const std::string& e : SplitList(f[10], '|')) {  // concept:weight
        const size_t colon = e.rfind(':');
        double w = 1;
        const std::string id = colon == std::string::npos ? e : e.substr(0, colon);
        auto c = concept_of.find(id);
        if (c == concept_of.end() || (colon != std::string::npos && (!ParseFiniteDouble(e.substr(colon + 1), &w) || w <= 0 || w > 1))) {
          bad = FieldError(items_path, line, "expertise", "concept_id:weight pairs with weight in (0, 1], '|'-separated", e);
          return;
        }
        auto same = std::find_if(item.expertise.begin(), item.expertise.end(),
                                 [&](const std::pair<ConceptIndex, float>& x) { return x.first.value() == c->second; });
        if (same != item.expertise.end()) {
          bad = FieldError(items_path, line, "expertise", "each concept once", e);
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

StatusOr<Dataset> LoadCsvDataset(const std::string& dir, const RatingScaleOption& scale) {
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
        const unsigned line = in.get_file_line();
        if (id.empty()) bad = FieldError(concepts_path, line, "id", "a non-empty concept id", id);
        else if (Status t = IdField(concepts_path, line, "id", id); !t.ok()) bad = t;
        else if (Status t = TextField(concepts_path, line, "name", name); !t.ok()) bad = t;
        else if (Status t = TextField(concepts_path, line, "name_zh", zh); !t.ok()) bad = t;
        else if (!concept_of.emplace(id, static_cast<int32_t>(concepts.size())).second)
          bad = FieldError(concepts_path, in.get_file_line(), "id", "a concept id not listed before", id);
        else if (concepts.size() == static_cast<size_t>(limits::kMaxConcepts))
          bad = Status(ErrorCode::kLimitExceeded, "file \"" + concepts_path + "\" line " + std::to_string(line) +
                                                      ": one concept more than a bundle holds (at most 2^20 = 1048576)");
        if (!bad.ok()) return;
        concepts.push_back(Concept{id, name.empty() ? id : name, zh, {}});
      }
    }));
    PATHLIGHT_RETURN_IF_ERROR(bad);
  }

  // edges.csv: prerequisite,concept[,evidence columns of kg mine]  (optional file). Duplicates are
  // merged, self edges dropped (both reported); a cycle is an error listing every cycle (kg_graph.h).
  const std::string edges_path = dir + "/edges.csv";
  int64_t n_edges = 0, duplicate_list_entries = 0;
  EdgeFile edge_file;
  if (std::filesystem::exists(edges_path)) {
    std::vector<std::string> ids;
    for (const Concept& c : concepts) ids.push_back(c.id);
    PATHLIGHT_ASSIGN_OR_RETURN(edge_file, ReadEdgesCsv(edges_path, concept_of, ids));
    for (const EdgeRow& e : edge_file.edges) {
      std::vector<ConceptIndex>& pre_list = concepts[e.concept].prerequisites;
      if (pre_list.size() >= limits::kMaxListEntries)
        return FieldError(edges_path, static_cast<unsigned>(e.line), "concept", "a concept with at most 4096 prerequisites",
                          concepts[e.concept].id);
      pre_list.push_back(ConceptIndex(e.prerequisite));
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
    duplicate_list_entries += r.duplicate_list_entries;
    item_of.emplace(r.item.id, static_cast<int32_t>(items.size()));
    items.push_back(std::move(r.item));
    categories.push_back(std::move(r.category));
  }
  if (items.empty()) return Status(ErrorCode::kParseError, "file \"" + items_path + "\": expected at least one item row");
  if (std::any_of(categories.begin(), categories.end(), [](const std::string& c) { return !c.empty(); }))
    ds.item_category = std::move(categories);
  // What Build can still refuse once every row checked out is the graph as a whole (a
  // prerequisite cycle, already named by ReadEdgesCsv): name the file it comes from.
  PATHLIGHT_ASSIGN_OR_RETURN(ds.catalog, Catalog::Build(std::move(concepts), std::move(items), edges_path));

  // interactions.csv: user,item,weight|rating[,timestamp][,split]
  const std::string inter_path = dir + "/interactions.csv";
  std::unordered_map<std::string, int32_t> user_of;
  std::map<std::pair<int32_t, int32_t>, size_t> seen_train;  // (learner, item) → index in ds.train
  int64_t duplicates = 0, test_unknown = 0, rows = 0, zero_weight = 0;
  bool has_rating = false;
  std::vector<std::pair<std::string, Interaction>> test_rows;  // learner resolved after training rows
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(inter_path, [&] {
    io::CSVReader<6, io::trim_chars<' ', '\r'>, io::double_quote_escape<',', '"'>> in(inter_path);
    in.read_header(io::ignore_missing_column, "user", "item", "weight", "rating", "timestamp", "split");
    has_rating = in.has_column("rating");
    for (const char* c : {"user", "item"})
      if (!in.has_column(c)) {
        bad = Status(ErrorCode::kParseError, "file \"" + inter_path + "\" line 1: header lacks required column \"" +
                                                 std::string(c) + "\" (expected user,item,weight|rating[,timestamp][,split])");
        return;
      }
    if (!in.has_column("weight") && !has_rating)
      bad = Status(ErrorCode::kParseError, "file \"" + inter_path + "\" line 1: header needs a \"weight\" column "
                                             "(implicit feedback) or a \"rating\" column (explicit ratings)");
    else if (has_rating && in.has_column("weight"))
      bad = Status(ErrorCode::kParseError, "file \"" + inter_path + "\" line 1: the header has both \"weight\" and "
                                             "\"rating\": one of the two (weight: implicit feedback; rating: explicit ratings)");
    else if (has_rating && !scale.given())
      bad = Status(ErrorCode::kInvalidArgument, "file \"" + inter_path + "\" line 1: column \"rating\" holds explicit "
                                                  "ratings: declare their scale with --rating-scale MIN:MAX (e.g. 0.5:5)");
    else if (!has_rating && scale.given())
      bad = Status(ErrorCode::kInvalidArgument, "file \"" + inter_path + "\" line 1: --rating-scale was given but the "
                                                  "header has no \"rating\" column");
    if (!bad.ok()) return;
    const bool has_weight = in.has_column("weight");
    std::string user, item, weight, rating, ts, split;
    while (in.read_row(user, item, weight, rating, ts, split)) {
      const unsigned line = in.get_file_line();
      ++rows;
      double w = 1, r = 0;
      int64_t t = 0;
      if (user.empty()) bad = FieldError(inter_path, line, "user", "a non-empty learner id", user);
      else if (Status tu = TextField(inter_path, line, "user", user); !tu.ok()) bad = tu;
      else if (Status ti = TextField(inter_path, line, "item", item); !ti.ok()) bad = ti;
      else if (has_weight && (!ParseFiniteDouble(weight, &w) || !limits::InRange(w, 0, limits::kMaxWeight)))
        bad = FieldError(inter_path, line, "weight", "a finite number in [0, 1e6]", weight);
      else if (has_rating && (!ParseFiniteDouble(rating, &r) || !(r >= scale.min && r <= scale.max) ||
                              (scale.step > 0 && !OnRatingGrid(r, scale.min, scale.step))))
        bad = FieldError(inter_path, line, "rating",
                         "a rating on the declared scale " + FormatNumber(scale.min) + ".." + FormatNumber(scale.max) +
                             (scale.step > 0 ? " in steps of " + FormatNumber(scale.step) : std::string()),
                         rating);
      else if (!ts.empty() && !ParseInt64(ts, &t))
        bad = FieldError(inter_path, line, "timestamp", "unix seconds (integer) or empty", ts);
      else if (!split.empty() && split != "train" && split != "test")
        bad = FieldError(inter_path, line, "split", "train, test or empty (train)", split);
      if (!bad.ok()) return;
      const float value = static_cast<float>(has_rating ? r : w);
      // Hu et al.'s p = 0, c = 1: what every unobserved pair already has. A weight that is 0 as the
      // float32 the model trains on (1e-300) is one too.
      if (!has_rating && value == 0) {
        ++zero_weight;
        continue;
      }
      auto it = item_of.find(item);
      const bool is_test = split == "test";
      if (is_test) {
        if (it == item_of.end()) {
          ++test_unknown;
          continue;
        }
        test_rows.push_back({user, Interaction{0, it->second, value, t}});
        continue;
      }
      if (it == item_of.end()) {
        bad = Status(ErrorCode::kUnknownId, "file \"" + inter_path + "\" line " + std::to_string(line) +
                                                " column \"item\": expected an item id from items.csv, got " + QuoteForMessage(item));
        return;
      }
      auto [u, inserted] = user_of.emplace(user, static_cast<int32_t>(ds.user_ids.size()));
      if (inserted) ds.user_ids.push_back(user);
      auto [seen, fresh] = seen_train.emplace(std::make_pair(u->second, it->second), ds.train.size());
      if (!fresh) {
        ++duplicates;
        if (has_rating) {  // explicit: the later row's rating replaces the earlier one
          ds.train[seen->second].weight = value;
          ds.train[seen->second].timestamp = t;
          continue;
        }
      }
      ds.train.push_back({u->second, it->second, value, t});
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);
  if (has_rating) {
    ds.explicit_ratings = true;
    ds.min_rating = static_cast<float>(scale.min);
    ds.max_rating = static_cast<float>(scale.max);
    ds.rating_step = scale.step >= 0 ? static_cast<float>(scale.step) : InferRatingStep(ds.min_rating, ds.max_rating, ds.train);
  }
  if (rows == 0) return Status(ErrorCode::kParseError, "file \"" + inter_path + "\": expected at least one interaction row");
  if (ds.train.empty())  // what `train` needs: refused here, not after an import that looked fine
    return Status(ErrorCode::kParseError, "file \"" + inter_path + "\": none of its " + std::to_string(rows) +
                                              " rows is a training row (" + std::to_string(zero_weight) + " with weight 0, " +
                                              std::to_string(test_rows.size() + test_unknown) + " marked split=test): a bundle is trained on training rows");
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
                     " test interactions; " + std::to_string(duplicates) + " repeated (learner, item) training rows " +
                     (has_rating ? "(the later rating kept)" : "summed") + "; test rows skipped: " +
                     std::to_string(test_unknown) + " unknown item, " + std::to_string(test_unknown_user) +
                     " learner without training rows");
  ds.report = {{"items", ds.catalog.num_items()}, {"concepts", ds.catalog.num_concepts()}, {"edges", n_edges},
               {"edges_duplicates_merged", edge_file.duplicates_merged}, {"edges_self_dropped", edge_file.self_edges_dropped},
               {"train", ds.train.size()}, {"test", ds.test.size()}, {has_rating ? "duplicates_later_kept" : "duplicates_summed", duplicates},
               {"zero_weight_skipped", zero_weight}, {"duplicate_list_entries", duplicate_list_entries},
               {"test_skipped_unknown_item", test_unknown}, {"test_skipped_unknown_learner", test_unknown_user}};
  if (has_rating)
    ds.report["rating_scale"] = {{"min", ds.min_rating}, {"max", ds.max_rating}, {"step", ds.rating_step}};
  return ds;
}

StatusOr<RatingScaleOption> ParseRatingScale(const std::string& text) {
  const Status bad(ErrorCode::kInvalidArgument, "--rating-scale: expected MIN:MAX or MIN:MAX:STEP with 0 < MIN < MAX <= 1000 "
                                                "and 0 < STEP <= MAX - MIN, MAX = MIN + a whole number of STEPs (e.g. 0.5:5, "
                                                "1:10 or 0.5:5:0.5), got \"" + text + "\"");
  // Split on every ':' (an empty part, as in "1:5:", is an error, not a missing step).
  std::vector<std::string> parts(1);
  for (char c : text) {
    if (c == ':') parts.emplace_back();
    else parts.back().push_back(c);
  }
  if (parts.size() != 2 && parts.size() != 3) return bad;
  double lo, hi, step = -1;
  if (!ParseFiniteDouble(parts[0], &lo) || !ParseFiniteDouble(parts[1], &hi) || !limits::ValidRatingScale(lo, hi)) return bad;
  if (parts.size() == 3 && (!ParseFiniteDouble(parts[2], &step) || !(step > 0 && step <= hi - lo))) return bad;
  // The bundle keeps the scale as float32: refused here when it would not be one there (1e-50
  // rounds to 0; 0.99999999999:1.0000000001 to 1:1).
  const float flo = static_cast<float>(lo), fhi = static_cast<float>(hi), fstep = static_cast<float>(step);
  if (!limits::ValidRatingScale(flo, fhi) || (parts.size() == 3 && !(fstep > 0 && fstep <= fhi - flo))) return bad;
  // A grid that does not reach MAX (1:5:3 offers 1 and 4) would make the top rating unratable;
  // checked on the values as given (1:1000:0.001 in float32 misses 1000 by a fraction of a step).
  if (parts.size() == 3 && !OnRatingGrid(hi, lo, step)) return bad;
  return RatingScaleOption{lo, hi, step};
}

bool OnRatingGrid(double rating, double min, double step) {
  if (step <= 0) return true;
  const double j = (rating - min) / step;
  return std::abs(j - std::round(j)) <= 1e-4;
}

float InferRatingStep(float min, float max, const std::vector<Interaction>& ratings) {
  for (double step : {1.0, 0.5, 0.25, 0.1, 0.05, 0.01}) {
    // A step wider than the scale, or one whose grid misses max, is no grid on it.
    if (step > static_cast<double>(max) - min || !OnRatingGrid(max, min, step)) continue;
    bool fits = true;
    for (const Interaction& e : ratings) {
      if (!OnRatingGrid(e.weight, min, step)) {
        fits = false;
        break;
      }
    }
    if (fits) return static_cast<float>(step);
  }
  return 0;
}

}  // namespace pathlight::trainer
