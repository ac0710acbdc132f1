#include "pathlight/catalog.h"

#include <algorithm>
#include <cmath>
#include <queue>

#include <nlohmann/json.hpp>

#include "pathlight/json_limits.h"

namespace pathlight {
namespace {

using nlohmann::json;

constexpr const char* kKindNames[] = {"course", "ebook", "consultation", "membership", "mentor"};
constexpr const char* kLevelNames[] = {"beginner", "intermediate", "advanced", "all"};

// Limits on one record of a catalog from a bundle (limit_exceeded beyond them): generous for real
// catalogs, small enough that a hostile catalog cannot make ranking or memory blow up.
constexpr size_t kMaxStringBytes = 64 << 10;  // ids, titles, names
constexpr size_t kMaxListEntries = 4096;      // teaches, requires, prerequisites, languages, expertise

// Error helper: "<source>: <where>: <what>".
Status Bad(ErrorCode code, const std::string& source, const std::string& where, const std::string& what) {
  return Status(code, source + ": " + where + ": " + what);
}

// Typed field readers; `where` names the record for error messages.
struct Reader {
  const json& obj;
  const std::string& source;
  std::string where;

  Status String(const char* key, std::string* out, bool required) const {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) return Bad(ErrorCode::kParseError, source, where, std::string("missing field \"") + key + "\"");
      return Status::Ok();
    }
    if (!it->is_string())
      return Bad(ErrorCode::kParseError, source, where, std::string("field \"") + key + "\": expected a string");
    if (it->get_ref<const std::string&>().size() > kMaxStringBytes)
      return Bad(ErrorCode::kLimitExceeded, source, where, std::string("field \"") + key + "\" is longer than 64 KiB");
    *out = it->get<std::string>();
    return Status::Ok();
  }
  Status Number(const char* key, double* out, double lo, double hi) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Status::Ok();
    if (!it->is_number())
      return Bad(ErrorCode::kParseError, source, where, std::string("field \"") + key + "\": expected a number");
    const double v = it->get<double>();
    if (!std::isfinite(v)) return Bad(ErrorCode::kNotFinite, source, where, std::string("field \"") + key + "\" is not finite");
    if (v < lo || v > hi)
      return Bad(ErrorCode::kInvalidArgument, source, where,
                 std::string("field \"") + key + "\" = " + std::to_string(v) + ", expected a value in [" +
                     std::to_string(lo) + ", " + std::to_string(hi) + "]");
    *out = v;
    return Status::Ok();
  }
  Status StringList(const char* key, std::vector<std::string>* out) const {
    auto it = obj.find(key);
    if (it == obj.end()) return Status::Ok();
    if (!it->is_array())
      return Bad(ErrorCode::kParseError, source, where, std::string("field \"") + key + "\": expected an array of strings");
    if (it->size() > kMaxListEntries)
      return Bad(ErrorCode::kLimitExceeded, source, where, std::string("field \"") + key + "\" has more than 4096 entries");
    for (const json& v : *it) {
      if (!v.is_string())
        return Bad(ErrorCode::kParseError, source, where, std::string("field \"") + key + "\": expected an array of strings");
      if (v.get_ref<const std::string&>().size() > kMaxStringBytes)
        return Bad(ErrorCode::kLimitExceeded, source, where, std::string("field \"") + key + "\" holds a string longer than 64 KiB");
      out->push_back(v.get<std::string>());
    }
    return Status::Ok();
  }
};

}  // namespace

const char* ItemKindName(ItemKind kind) { return kKindNames[static_cast<int>(kind)]; }
std::optional<ItemKind> ParseItemKind(std::string_view name) {
  for (int i = 0; i < 5; ++i)
    if (name == kKindNames[i]) return static_cast<ItemKind>(i);
  return std::nullopt;
}
const char* LevelName(Level level) { return kLevelNames[static_cast<int>(level)]; }
std::optional<Level> ParseLevel(std::string_view name) {
  for (int i = 0; i < 4; ++i)
    if (name == kLevelNames[i]) return static_cast<Level>(i);
  return std::nullopt;
}

StatusOr<std::vector<int32_t>> TopologicalOrder(const std::vector<std::vector<int32_t>>& prerequisites,
                                                const std::vector<std::string>& names) {
  const int32_t n = static_cast<int32_t>(prerequisites.size());
  std::vector<std::vector<int32_t>> dependents(n);
  std::vector<int32_t> indegree(n, 0);
  for (int32_t v = 0; v < n; ++v)
    for (int32_t p : prerequisites[v]) {
      dependents[p].push_back(v);
      ++indegree[v];
    }
  std::priority_queue<int32_t, std::vector<int32_t>, std::greater<>> ready;
  for (int32_t v = 0; v < n; ++v)
    if (indegree[v] == 0) ready.push(v);
  std::vector<int32_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    const int32_t v = ready.top();
    ready.pop();
    order.push_back(v);
    for (int32_t d : dependents[v])
      if (--indegree[d] == 0) ready.push(d);
  }
  if (static_cast<int32_t>(order.size()) == n) return order;
  // Every node left has indegree > 0 and so a prerequisite that is also left: walking
  // prerequisites from any of them must revisit a node; that loop is a cycle.
  int32_t v = 0;
  while (indegree[v] == 0) ++v;
  std::vector<int32_t> seen_at(n, -1), path;
  while (seen_at[v] < 0) {
    seen_at[v] = static_cast<int32_t>(path.size());
    path.push_back(v);
    for (int32_t p : prerequisites[v])
      if (indegree[p] > 0) { v = p; break; }
  }
  // path[seen_at[v]..] walks prerequisite links; print in prerequisite → dependent order.
  std::vector<int32_t> cycle(path.begin() + seen_at[v], path.end());
  std::reverse(cycle.begin(), cycle.end());
  std::string text;
  for (int32_t c : cycle) text += names[c] + " → ";
  text += names[cycle.front()];
  return Status(ErrorCode::kCycle, "prerequisite cycle: " + text);
}

StatusOr<Catalog> Catalog::Parse(std::string_view text, const std::string& source) {
  StatusOr<json> doc = ParseBoundedJson(text, source);
  if (!doc.ok() && doc.status().code() == ErrorCode::kParseError)
    return Status(ErrorCode::kParseError, source + ": not valid JSON");
  if (!doc.ok()) return doc.status();
  return FromJson(*doc, source);
}

StatusOr<Catalog> Catalog::FromJson(const json& doc, const std::string& source) {
  if (!doc.is_object()) return Status(ErrorCode::kParseError, source + ": expected a JSON object");
  auto concepts_it = doc.find("concepts");
  auto items_it = doc.find("items");
  if (concepts_it == doc.end() || !concepts_it->is_array())
    return Status(ErrorCode::kParseError, source + ": missing array \"concepts\"");
  if (items_it == doc.end() || !items_it->is_array())
    return Status(ErrorCode::kParseError, source + ": missing array \"items\"");

  // Concept ids first, so references can be resolved in any order.
  std::unordered_map<std::string, int32_t> concept_ids;
  std::vector<Concept> concepts(concepts_it->size());
  for (size_t c = 0; c < concepts.size(); ++c) {
    const json& j = (*concepts_it)[c];
    const std::string where = "concepts[" + std::to_string(c) + "]";
    if (!j.is_object()) return Bad(ErrorCode::kParseError, source, where, "expected an object");
    Reader r{j, source, where};
    PATHLIGHT_RETURN_IF_ERROR(r.String("id", &concepts[c].id, true));
    if (!concept_ids.emplace(concepts[c].id, static_cast<int32_t>(c)).second)
      return Bad(ErrorCode::kInvalidArgument, source, where, "duplicate concept id \"" + concepts[c].id + "\"");
  }
  auto resolve = [&](const std::vector<std::string>& ids, const std::string& where, const char* field,
                     std::vector<ConceptIndex>* out) -> Status {
    for (const std::string& id : ids) {
      auto f = concept_ids.find(id);
      if (f == concept_ids.end())
        return Bad(ErrorCode::kUnknownId, source, where, std::string("field \"") + field + "\" names unknown concept \"" + id + "\"");
      out->push_back(ConceptIndex(f->second));
    }
    return Status::Ok();
  };
  for (size_t c = 0; c < concepts.size(); ++c) {
    const json& j = (*concepts_it)[c];
    const std::string where = "concepts[" + std::to_string(c) + "] (\"" + concepts[c].id + "\")";
    Reader r{j, source, where};
    PATHLIGHT_RETURN_IF_ERROR(r.String("name", &concepts[c].name, false));
    if (concepts[c].name.empty()) concepts[c].name = concepts[c].id;
    PATHLIGHT_RETURN_IF_ERROR(r.String("name_zh", &concepts[c].name_zh, false));
    std::vector<std::string> pre;
    PATHLIGHT_RETURN_IF_ERROR(r.StringList("prerequisites", &pre));
    PATHLIGHT_RETURN_IF_ERROR(resolve(pre, where, "prerequisites", &concepts[c].prerequisites));
  }

  std::vector<Item> items(items_it->size());
  for (size_t i = 0; i < items.size(); ++i) {
    const json& j = (*items_it)[i];
    std::string where = "items[" + std::to_string(i) + "]";
    if (!j.is_object()) return Bad(ErrorCode::kParseError, source, where, "expected an object");
    Item& item = items[i];
    Reader r{j, source, where};
    PATHLIGHT_RETURN_IF_ERROR(r.String("id", &item.id, true));
    r.where = where += " (\"" + item.id + "\")";
    std::string kind = "course", level = "all";
    PATHLIGHT_RETURN_IF_ERROR(r.String("kind", &kind, false));
    auto k = ParseItemKind(kind);
    if (!k) return Bad(ErrorCode::kParseError, source, where, "field \"kind\" = \"" + kind + "\", expected course, ebook, consultation, membership or mentor");
    item.kind = *k;
    PATHLIGHT_RETURN_IF_ERROR(r.String("title", &item.title, false));
    if (item.title.empty()) item.title = item.id;
    PATHLIGHT_RETURN_IF_ERROR(r.Number("price", &item.price, 0, 1e9));
    item.price_known = j.contains("price");
    PATHLIGHT_RETURN_IF_ERROR(r.String("currency", &item.currency, false));
    PATHLIGHT_RETURN_IF_ERROR(r.String("level", &level, false));
    auto lv = ParseLevel(level);
    if (!lv) return Bad(ErrorCode::kParseError, source, where, "field \"level\" = \"" + level + "\", expected beginner, intermediate, advanced or all");
    item.level = *lv;
    PATHLIGHT_RETURN_IF_ERROR(r.String("language", &item.language, false));
    PATHLIGHT_RETURN_IF_ERROR(r.Number("hours", &item.hours, 0, 1e6));
    std::vector<std::string> teaches, requires_ids;
    PATHLIGHT_RETURN_IF_ERROR(r.StringList("teaches", &teaches));
    PATHLIGHT_RETURN_IF_ERROR(r.StringList("requires", &requires_ids));
    PATHLIGHT_RETURN_IF_ERROR(resolve(teaches, where, "teaches", &item.teaches));
    PATHLIGHT_RETURN_IF_ERROR(resolve(requires_ids, where, "requires", &item.requires_concepts));
    PATHLIGHT_RETURN_IF_ERROR(r.StringList("languages", &item.languages));
    PATHLIGHT_RETURN_IF_ERROR(r.Number("rating", &item.rating, 0, 5));
    double capacity = 0;
    PATHLIGHT_RETURN_IF_ERROR(r.Number("capacity", &capacity, 0, 1e6));
    item.capacity = static_cast<int32_t>(capacity);
    if (auto e = j.find("expertise"); e != j.end()) {
      if (!e->is_object()) return Bad(ErrorCode::kParseError, source, where, "field \"expertise\": expected an object {concept id: weight}");
      if (e->size() > kMaxListEntries)
        return Bad(ErrorCode::kLimitExceeded, source, where, "field \"expertise\" has more than 4096 entries");
      for (auto& [cid, w] : e->items()) {
        auto f = concept_ids.find(cid);
        if (f == concept_ids.end())
          return Bad(ErrorCode::kUnknownId, source, where, "field \"expertise\" names unknown concept \"" + cid + "\"");
        if (!w.is_number() || !std::isfinite(w.get<double>()) || w.get<double>() <= 0 || w.get<double>() > 1)
          return Bad(ErrorCode::kInvalidArgument, source, where, "expertise weight for \"" + cid + "\": expected a number in (0, 1]");
        item.expertise.emplace_back(ConceptIndex(f->second), w.get<float>());
      }
    }
  }
  return Build(std::move(concepts), std::move(items), source);
}

StatusOr<Catalog> Catalog::Build(std::vector<Concept> concepts, std::vector<Item> items, const std::string& source) {
  Catalog cat;
  cat.concepts_ = std::move(concepts);
  cat.items_ = std::move(items);
  PATHLIGHT_RETURN_IF_ERROR(cat.Index(source));
  return cat;
}

Status Catalog::Index(const std::string& source) {
  if (items_.size() > (1u << 30) || concepts_.size() > (1u << 30))
    return Status(ErrorCode::kLimitExceeded, source + ": more than 2^30 items or concepts");
  concept_by_id_.clear();
  item_by_id_.clear();
  for (size_t c = 0; c < concepts_.size(); ++c)
    if (!concept_by_id_.emplace(concepts_[c].id, static_cast<int32_t>(c)).second)
      return Status(ErrorCode::kInvalidArgument, source + ": duplicate concept id \"" + concepts_[c].id + "\"");
  for (size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].id.empty()) return Status(ErrorCode::kParseError, source + ": items[" + std::to_string(i) + "] has an empty id");
    if (!item_by_id_.emplace(items_[i].id, static_cast<int32_t>(i)).second)
      return Status(ErrorCode::kInvalidArgument, source + ": duplicate item id \"" + items_[i].id + "\"");
    if (!(items_[i].price >= 0) || !std::isfinite(items_[i].price))
      return Status(ErrorCode::kInvalidArgument, source + ": item \"" + items_[i].id + "\" has a negative or non-finite price");
  }
  std::vector<std::vector<int32_t>> pre(concepts_.size());
  std::vector<std::string> names(concepts_.size());
  for (size_t c = 0; c < concepts_.size(); ++c) {
    names[c] = concepts_[c].id;
    for (ConceptIndex p : concepts_[c].prerequisites) {
      if (p.value() < 0 || p.value() >= static_cast<int32_t>(concepts_.size()))
        return Status(ErrorCode::kUnknownId, source + ": concept \"" + concepts_[c].id + "\" has a dangling prerequisite");
      pre[c].push_back(p.value());
    }
  }
  PATHLIGHT_ASSIGN_OR_RETURN(std::vector<int32_t> order, TopologicalOrder(pre, names));
  topo_.clear();
  for (int32_t c : order) topo_.push_back(ConceptIndex(c));
  return Status::Ok();
}

std::optional<ItemIndex> Catalog::FindItem(std::string_view id) const {
  auto it = item_by_id_.find(std::string(id));
  if (it == item_by_id_.end()) return std::nullopt;
  return ItemIndex(it->second);
}

std::optional<ConceptIndex> Catalog::FindConcept(std::string_view id) const {
  auto it = concept_by_id_.find(std::string(id));
  if (it == concept_by_id_.end()) return std::nullopt;
  return ConceptIndex(it->second);
}

std::vector<ConceptIndex> Catalog::PrerequisiteClosure(const std::vector<ConceptIndex>& targets) const {
  std::vector<uint8_t> in(concepts_.size(), 0);
  std::vector<int32_t> stack;
  for (ConceptIndex t : targets)
    for (ConceptIndex p : concepts_[t.value()].prerequisites) stack.push_back(p.value());
  while (!stack.empty()) {
    const int32_t c = stack.back();
    stack.pop_back();
    if (in[c]) continue;
    in[c] = 1;
    for (ConceptIndex p : concepts_[c].prerequisites) stack.push_back(p.value());
  }
  std::vector<ConceptIndex> out;
  for (ConceptIndex c : topo_)
    if (in[c.value()]) out.push_back(c);
  return out;
}

json Catalog::ToJson() const {
  json concepts = json::array(), items = json::array();
  for (const Concept& c : concepts_) {
    json pre = json::array();
    for (ConceptIndex p : c.prerequisites) pre.push_back(concepts_[p.value()].id);
    json j = {{"id", c.id}, {"name", c.name}, {"prerequisites", pre}};
    if (!c.name_zh.empty()) j["name_zh"] = c.name_zh;
    concepts.push_back(std::move(j));
  }
  auto ids = [&](const std::vector<ConceptIndex>& v) {
    json a = json::array();
    for (ConceptIndex c : v) a.push_back(concepts_[c.value()].id);
    return a;
  };
  for (const Item& it : items_) {
    json j = {{"id", it.id},       {"kind", ItemKindName(it.kind)}, {"title", it.title},
              {"currency", it.currency}, {"level", LevelName(it.level)}, {"language", it.language},
              {"hours", it.hours}, {"teaches", ids(it.teaches)},    {"requires", ids(it.requires_concepts)}};
    if (it.price_known) j["price"] = it.price;
    if (it.kind == ItemKind::kMentor || !it.expertise.empty()) {
      j["languages"] = it.languages;
      j["rating"] = it.rating;
      j["capacity"] = it.capacity;
      json e = json::object();
      for (auto& [c, w] : it.expertise) e[concepts_[c.value()].id] = w;
      j["expertise"] = e;
    }
    items.push_back(std::move(j));
  }
  return {{"concepts", concepts}, {"items", items}};
}

}  // namespace pathlight
