// Metacademy: ML/maths concepts, prerequisite DAG, learning resources (free or paid) as items.
#include <map>
#include <set>
#include <unordered_map>

#include "csv.h"
#include "import_util.h"
#include "pathlight/trainer/dataset.h"

namespace pathlight::trainer {
namespace {

std::string Tag(std::string s) {  // prerequisite tags are written with '-' or '_'
  for (char& c : s)
    if (c == '-') c = '_';
  return s;
}

Level LevelOf(const std::string& l) {
  if (l == "introductory") return Level::kBeginner;
  if (l == "undergraduate" || l == "advanced undergraduate") return Level::kIntermediate;
  if (l == "graduate" || l == "expert") return Level::kAdvanced;
  return Level::kAll;
}

ItemKind KindOf(const std::string& type) {
  for (const char* reading : {"book", "paper", "report", "thesis", "notes", "compendium", "reference", "wiki", "blog",
                              "slide", "forum", "text"})
    if (type.find(reading) != std::string::npos) return ItemKind::kEbook;
  return ItemKind::kCourse;
}

struct Resource {
  std::string title, url, type, free, level;
};

}  // namespace

StatusOr<Dataset> LoadMetacademy(const std::string& dir) {
  Dataset ds;
  ds.name = "metacademy";
  std::vector<Concept> concepts;
  std::unordered_map<std::string, int32_t> concept_of;
  int32_t shortcuts = 0;
  const std::string concepts_path = dir + "/concepts.csv";
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(concepts_path, [&] {
    CsvReader<3> in(concepts_path);
    in.read_header(io::ignore_extra_column, "node_kind", "tag", "title");
    std::string kind, tag, title;
    while (in.read_row(kind, tag, title)) {
      if (kind != "concept") {  // "shortcut": a lighter version of a concept; the concept stands for it
        ++shortcuts;
        continue;
      }
      if (concept_of.emplace(tag, static_cast<int32_t>(concepts.size())).second)
        concepts.push_back(Concept{tag, title.empty() ? tag : title, "", {}});
    }
  }));
  if (concepts.empty()) return Status(ErrorCode::kParseError, "file \"" + concepts_path + "\" lists no concepts");

  const std::string pre_path = dir + "/concept_prerequisites.csv";
  int32_t edges = 0, unresolved = 0;
  std::set<std::pair<int32_t, int32_t>> edge_set;
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(pre_path, [&] {
    CsvReader<3> in(pre_path);
    in.read_header(io::ignore_extra_column, "node_kind", "concept", "prerequisite");
    std::string kind, concept_tag, pre;
    while (in.read_row(kind, concept_tag, pre)) {
      if (kind != "concept") continue;
      auto c = concept_of.find(concept_tag), p = concept_of.find(Tag(pre));
      if (c == concept_of.end() || p == concept_of.end()) {
        ++unresolved;  // documented upstream: 21 rows name tags with no concept folder
        continue;
      }
      if (edge_set.insert({p->second, c->second}).second) {
        concepts[c->second].prerequisites.push_back(ConceptIndex(p->second));
        ++edges;
      }
    }
  }));

  std::map<std::string, Resource> catalogue;
  const std::string res_path = dir + "/resources.csv";
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(res_path, [&] {
    CsvReader<6> in(res_path);
    in.read_header(io::ignore_extra_column, "key", "title", "url", "resource_type", "free", "level");
    Resource r;
    std::string key;
    while (in.read_row(key, r.title, r.url, r.type, r.free, r.level)) catalogue[key] = r;
  }));

  // Items: catalogue resources by key, inline resources by title; teaches = linking concepts.
  std::vector<Item> items;
  std::unordered_map<std::string, int32_t> item_of;
  const std::string link_path = dir + "/concept_resources.csv";
  Status bad;
  int32_t links = 0, unknown_free = 0;
  PATHLIGHT_RETURN_IF_ERROR(GuardCsv(link_path, [&] {
    CsvReader<10> in(link_path);
    in.read_header(io::ignore_extra_column, "node_kind", "concept", "source", "title", "url", "resource_type", "free",
                   "level", "dependencies", "core");
    std::string kind, concept_tag, source, deps, core;
    Resource inline_r;
    while (in.read_row(kind, concept_tag, source, inline_r.title, inline_r.url, inline_r.type, inline_r.free,
                       inline_r.level, deps, core)) {
      if (kind != "concept") continue;
      auto c = concept_of.find(concept_tag);
      if (c == concept_of.end()) {
        bad = FieldError(link_path, in.get_file_line(), "concept", "a concept tag from concepts.csv", concept_tag);
        return;
      }
      Resource r = inline_r;
      std::string key = "inline:" + inline_r.title;
      if (!source.empty()) {
        auto it = catalogue.find(source);
        if (it == catalogue.end()) {
          bad = FieldError(link_path, in.get_file_line(), "source", "a key from resources.csv (or empty)", source);
          return;
        }
        key = source;
        r = it->second;  // inline values override the catalogue's where given
        if (!inline_r.free.empty()) r.free = inline_r.free;
        if (!inline_r.level.empty()) r.level = inline_r.level;
        if (!inline_r.type.empty()) r.type = inline_r.type;
      } else if (inline_r.title.empty()) {
        bad = FieldError(link_path, in.get_file_line(), "title", "a title for a resource without a source key", "");
        return;
      }
      auto [it, inserted] = item_of.emplace(key, static_cast<int32_t>(items.size()));
      if (inserted) {
        Item item;
        item.id = source.empty() ? "inline-" + std::to_string(items.size()) : source;
        item.title = r.title;
        item.kind = KindOf(r.type);
        item.level = LevelOf(r.level);
        if (r.free == "1") {
          item.price = 0;
          item.price_known = true;
        } else if (r.free.empty()) {
          ++unknown_free;
        }
        items.push_back(std::move(item));
      }
      Item& item = items[it->second];
      const ConceptIndex ci(c->second);
      if (std::find(item.teaches.begin(), item.teaches.end(), ci) == item.teaches.end()) item.teaches.push_back(ci);
      for (const std::string& d : SplitList(deps, ',')) {
        auto dc = concept_of.find(Tag(d));
        if (dc == concept_of.end()) continue;
        const ConceptIndex di(dc->second);
        if (std::find(item.requires_concepts.begin(), item.requires_concepts.end(), di) == item.requires_concepts.end())
          item.requires_concepts.push_back(di);
      }
      ++links;
    }
  }));
  PATHLIGHT_RETURN_IF_ERROR(bad);
  int32_t free_items = 0;
  for (const Item& i : items) free_items += i.price_known ? 1 : 0;
  PATHLIGHT_ASSIGN_OR_RETURN(ds.catalog, Catalog::Build(std::move(concepts), std::move(items), dir));
  ds.notes.push_back("metacademy: " + std::to_string(ds.catalog.num_concepts()) + " concepts (" +
                     std::to_string(shortcuts) + " shortcut nodes folded into their concepts), " +
                     std::to_string(edges) + " prerequisite edges (" + std::to_string(unresolved) +
                     " rows naming unknown tags skipped), " + std::to_string(ds.catalog.num_items()) + " resources (" +
                     std::to_string(free_items) + " free: price 0; the rest paid or unknown: no price) from " +
                     std::to_string(links) + " concept-resource links; no interactions");
  ds.report = {{"concepts", ds.catalog.num_concepts()}, {"prerequisite_edges", edges},
               {"unresolved_prerequisites", unresolved}, {"resources", ds.catalog.num_items()},
               {"free_resources", free_items}, {"links", links}, {"resources_free_unknown", unknown_free}};
  return ds;
}

}  // namespace pathlight::trainer
