#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "csv.h"
#include "import_util.h"
#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {
namespace {

struct CourseMeta {
  std::string title;
  double price = -1;  // < 0: unknown
  std::string currency;
  double hours = 0;
};

std::string HumanizeSlug(std::string s) {
  std::replace(s.begin(), s.end(), '-', ' ');
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

Status ReadInteractions(const std::string& path, std::vector<std::array<int64_t, 3>>* rows) {
  Status bad;
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(path, [&] {
    TsvReader<4> in(path);
    in.set_header("uid", "pid", "value", "timestamp");
    long long uid, pid, ts;
    double value;
    while (in.read_row(uid, pid, value, ts)) {
      const unsigned line = in.get_file_line();
      if (uid < 0 || uid > INT32_MAX) bad = FieldError(path, line, "uid", "a learner id in [0, 2^31)", std::to_string(uid));
      else if (pid < 0 || pid > INT32_MAX) bad = FieldError(path, line, "pid", "a course id in [0, 2^31)", std::to_string(pid));
      else if (value != 1) bad = FieldError(path, line, "value", "1 (CoCo interactions are implicit positives)", std::to_string(value));
      if (!bad.ok()) return;
      rows->push_back({uid, pid, ts});
    }
  }));
  return bad;
}

}  // namespace

StatusOr<Dataset> LoadCoco(const std::string& dir) {
  Dataset ds;
  ds.name = "coco";
  // Knowledge-graph entities (eid → label) and course eid → Udemy pid + slug.
  std::unordered_map<int64_t, std::string> entity;
  std::unordered_map<int64_t, std::pair<int64_t, std::string>> course_of_eid;
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(dir + "/e_map.txt", [&] {
    TsvReader<3> in(dir + "/e_map.txt");
    in.read_header(io::ignore_no_column, "eid", "name", "entity");
    long long eid;
    std::string name, ent;
    while (in.read_row(eid, name, ent)) entity[eid] = name;
  }));
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(dir + "/i2kg_map.txt", [&] {
    TsvReader<4> in(dir + "/i2kg_map.txt");
    in.read_header(io::ignore_no_column, "eid", "pid", "name", "entity");
    long long eid, pid;
    std::string slug, ent;
    while (in.read_row(eid, pid, slug, ent)) course_of_eid[eid] = {pid, slug};
  }));
  std::vector<std::array<int64_t, 3>> valid, test;
  PATHLIGHT_RETURN_IF_ERROR(ReadInteractions(dir + "/valid.txt", &valid));
  PATHLIGHT_RETURN_IF_ERROR(ReadInteractions(dir + "/test.txt", &test));
  if (valid.empty()) return Status(ErrorCode::kParseError, dir + "/valid.txt: no interactions");

  // Items: courses seen in training, in order of first appearance.
  std::unordered_map<int64_t, int32_t> item_of_pid, user_of_uid;
  std::vector<int64_t> pids;
  for (auto& r : valid)
    if (item_of_pid.emplace(r[1], static_cast<int32_t>(pids.size())).second) pids.push_back(r[1]);
  std::unordered_map<int64_t, int64_t> eid_of_pid;
  for (auto& [eid, ps] : course_of_eid) eid_of_pid[ps.first] = eid;

  std::vector<Item> items(pids.size());
  std::unordered_map<int64_t, int32_t> item_of_eid;
  for (size_t i = 0; i < pids.size(); ++i) {
    items[i].id = std::to_string(pids[i]);
    auto e = eid_of_pid.find(pids[i]);
    if (e == eid_of_pid.end())
      return Status(ErrorCode::kUnknownId, dir + "/valid.txt: course " + items[i].id + " is not in i2kg_map.txt");
    item_of_eid[e->second] = static_cast<int32_t>(i);
    items[i].title = HumanizeSlug(course_of_eid[e->second].second);
    items[i].kind = ItemKind::kCourse;
  }

  // KG triples: concepts (relation 1), level (2), language (3).
  std::vector<Concept> concepts;
  std::unordered_map<int64_t, int32_t> concept_of_eid;
  std::unordered_map<std::string, int32_t> concept_of_name;
  std::set<std::string> unknown_languages;
  ds.item_category.assign(items.size(), "");
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(dir + "/kg_final.txt", [&] {
    TsvReader<3> in(dir + "/kg_final.txt");
    in.read_header(io::ignore_no_column, "entity_head", "relation", "entity_tail");
    long long head, rel, tail;
    while (in.read_row(head, rel, tail)) {
      auto it = item_of_eid.find(head);
      auto label = entity.find(tail);
      if (it == item_of_eid.end() || label == entity.end()) continue;  // course unseen in training
      Item& item = items[it->second];
      if (rel == 1) {
        auto [c, inserted] = concept_of_eid.emplace(tail, static_cast<int32_t>(concepts.size()));
        if (inserted) {
          std::string id = label->second;
          if (!concept_of_name.emplace(id, c->second).second) id += "#" + std::to_string(tail);
          concepts.push_back(Concept{id, label->second, "", {}});
        }
        item.teaches.push_back(ConceptIndex(c->second));
      } else if (rel == 0) {  // category, then subcategory
        std::string& path = ds.item_category[it->second];
        path += (path.empty() ? "" : "/") + label->second;
      } else if (rel == 2) {
        const std::string& l = label->second;
        item.level = l == "beginner" ? Level::kBeginner : l == "intermediate" ? Level::kIntermediate
                   : l == "esperto" ? Level::kAdvanced : Level::kAll;
      } else if (rel == 3) {
        // CoCo labels languages by English name ("english", "thai"): BCP-47 codes for the catalog.
        const std::string tag = LanguageTag(label->second);
        if (tag.empty()) unknown_languages.insert(label->second);
        item.language = tag.empty() ? label->second : tag;
      }
    }
  }));

  for (const std::string& l : unknown_languages)
    ds.notes.push_back("language label \"" + l + "\" is not a known language name or BCP-47 tag: kept as is");
  // Titles and prices from the 2017 Udemy catalogue, joined on the course id.
  const std::string meta_path =
      (std::filesystem::path(dir) / ".." / "udemy-catalog" / "coco_course_meta.csv").lexically_normal().string();
  int32_t priced = 0;
  if (std::filesystem::exists(meta_path)) {
    PATHLIGHT_RETURN_IF_ERROR(GuardCsv(meta_path, [&] {
      CsvReader<6> in(meta_path);
      in.read_header(io::ignore_extra_column, "pid", "title", "price", "currency", "duration_hours", "level");
      long long pid;
      std::string title, price, currency, hours, level;
      while (in.read_row(pid, title, price, currency, hours, level)) {
        auto it = item_of_pid.find(pid);
        if (it == item_of_pid.end()) continue;
        Item& item = items[it->second];
        if (!title.empty()) item.title = title;
        if (!price.empty()) {
          item.price = std::stod(price);
          item.price_known = true;
          item.currency = currency.empty() ? "USD" : currency;
          ++priced;
        }
        if (!hours.empty()) item.hours = std::stod(hours);
      }
    }));
    ds.notes.push_back("titles and prices joined by course id from " + meta_path + ": " +
                       std::to_string(priced) + " of " + std::to_string(items.size()) + " courses");
  } else {
    ds.notes.push_back(meta_path + " not found: courses keep their slug as title and have no price");
  }
  // Mentors from MentorCruise, skill tags matched to CoCo's concepts by name.
  const std::string mentor_path =
      (std::filesystem::path(dir) / ".." / "mentorcruise-2023" / "mentorcruise_mentors_2023-08.csv")
          .lexically_normal()
          .string();
  if (std::filesystem::exists(mentor_path)) {
    PATHLIGHT_ASSIGN_OR_RETURN(MentorJoin join, LoadMentorCruise(mentor_path, concepts, &items));
    ds.notes.push_back("mentors joined from " + mentor_path + ": " + std::to_string(join.mentors_matched) + " of " +
                       std::to_string(join.mentors_read) + " mentors have a skill tag matching a CoCo concept; " +
                       std::to_string(join.tags_matched) + " of " + std::to_string(join.distinct_tags) +
                       " distinct tags match (" + std::to_string(join.pairs_matched) + " of " +
                       std::to_string(join.pairs) + " mentor-tag pairs)");
    ds.report["mentors"] = {{"source", mentor_path},         {"mentors_read", join.mentors_read},
                            {"mentors_matched", join.mentors_matched}, {"distinct_tags", join.distinct_tags},
                            {"tags_matched", join.tags_matched}, {"pairs", join.pairs},
                            {"pairs_matched", join.pairs_matched}};
  } else {
    ds.notes.push_back(mentor_path + " not found: no mentors in the catalog");
  }
  ds.item_category.resize(items.size());  // mentors: no category
  ds.report["courses"] = static_cast<int64_t>(pids.size());
  ds.report["priced_courses"] = priced;
  PATHLIGHT_ASSIGN_OR_RETURN(ds.catalog, Catalog::Build(std::move(concepts), std::move(items), dir));

  auto user_index = [&](int64_t uid) {
    auto [it, inserted] = user_of_uid.emplace(uid, static_cast<int32_t>(ds.user_ids.size()));
    if (inserted) ds.user_ids.push_back(std::to_string(uid));
    return it->second;
  };
  for (auto& r : valid) ds.train.push_back({user_index(r[0]), item_of_pid[r[1]], 1.f, r[2]});
  int64_t skipped = 0;
  for (auto& r : test) {
    auto it = item_of_pid.find(r[1]);
    if (it == item_of_pid.end()) { ++skipped; continue; }
    ds.test.push_back({user_index(r[0]), it->second, 1.f, r[2]});
  }
  ds.notes.push_back("test interactions on courses unseen in valid.txt skipped: " + std::to_string(skipped) +
                     " of " + std::to_string(test.size()));
  ds.report["test_skipped_unknown_item"] = skipped;
  return ds;
}

}  // namespace pathlight::trainer
