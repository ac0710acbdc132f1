#include "pathlight/catalog.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <optional>
#include <queue>

#include <nlohmann/json.hpp>

#include "pathlight/json_limits.h"
#include "pathlight/limits.h"

namespace pathlight {
namespace {

using nlohmann::json;

constexpr const char* kKindNames[] = {"course", "ebook", "consultation", "membership", "mentor"};
constexpr const char* kLevelNames[] = {"beginner", "intermediate", "advanced", "all"};
constexpr const char* kFormatNames[] = {"one_to_one", "group"};

// Limits on one record of a catalog from a bundle (limit_exceeded beyond them): generous for real
// catalogs, small enough that a hostile catalog cannot make ranking or memory blow up.
constexpr size_t kMaxStringBytes = limits::kMaxStringBytes;  // ids, titles, names
constexpr size_t kMaxListEntries = limits::kMaxListEntries;  // teaches, requires, prerequisites, languages, expertise

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

const char* OfferingFormatName(OfferingFormat format) { return kFormatNames[static_cast<int>(format)]; }
std::optional<OfferingFormat> ParseOfferingFormat(std::string_view name) {
  for (int i = 0; i < 2; ++i)
    if (name == kFormatNames[i]) return static_cast<OfferingFormat>(i);
  return std::nullopt;
}

PriceUnit PriceUnitOf(ItemKind kind) {
  switch (kind) {
    case ItemKind::kConsultation:
    case ItemKind::kMentor: return PriceUnit::kHour;
    case ItemKind::kMembership: return PriceUnit::kMonth;
    case ItemKind::kCourse:
    case ItemKind::kEbook: break;
  }
  return PriceUnit::kOnce;
}

const char* PriceUnitName(PriceUnit unit) {
  static const char* const kNames[] = {"once", "hour", "month"};
  return kNames[static_cast<int>(unit)];
}

std::optional<double> PriceToTake(const Item& item) {
  if (!item.price_known) return std::nullopt;
  if (PriceUnitOf(item.kind) != PriceUnit::kHour) return item.price;
  if (item.hours > 0) return item.price * item.hours;
  return std::nullopt;  // a price per hour, and no session length to multiply it by
}

std::vector<Offering> MentorOfferings(const Item& item) {
  if (item.kind != ItemKind::kMentor) return {};
  if (!item.offerings.empty()) return item.offerings;
  Offering o;
  o.format = OfferingFormat::kOneToOne;
  o.seats = 1;
  o.open_seats = item.capacity > 0 ? 1 : 0;
  const std::optional<double> session = PriceToTake(item);
  o.price_per_seat = session.value_or(0);
  o.price_known = session.has_value();
  return {o};
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

namespace {

using ConceptIds = std::unordered_map<std::string, int32_t>;

Status ResolveConcepts(const ConceptIds& concept_ids, const std::vector<std::string>& ids, const std::string& source,
                       const std::string& where, const char* field, std::vector<ConceptIndex>* out) {
  for (const std::string& id : ids) {
    auto f = concept_ids.find(id);
    if (f == concept_ids.end())
      return Bad(ErrorCode::kUnknownId, source, where, std::string("field \"") + field + "\" names unknown concept \"" + id + "\"");
    out->push_back(ConceptIndex(f->second));
  }
  return Status::Ok();
}

// The "concepts" array: ids first (so references resolve in any order), then the other fields.
Status ReadConcepts(const json::array_t& docs, const std::string& source, std::vector<Concept>* concepts,
                    ConceptIds* concept_ids) {
  concepts->resize(docs.size());
  for (size_t c = 0; c < docs.size(); ++c) {
    const json& j = docs[c];
    const std::string where = "concepts[" + std::to_string(c) + "]";
    if (!j.is_object()) return Bad(ErrorCode::kParseError, source, where, "expected an object");
    Reader r{j, source, where};
    PATHLIGHT_RETURN_IF_ERROR(r.String("id", &(*concepts)[c].id, true));
    if (!concept_ids->emplace((*concepts)[c].id, static_cast<int32_t>(c)).second)
      return Bad(ErrorCode::kInvalidArgument, source, where, "duplicate concept id \"" + (*concepts)[c].id + "\"");
  }
  for (size_t c = 0; c < docs.size(); ++c) {
    Concept& concept_c = (*concepts)[c];
    const std::string where = "concepts[" + std::to_string(c) + "] (\"" + concept_c.id + "\")";
    Reader r{docs[c], source, where};
    PATHLIGHT_RETURN_IF_ERROR(r.String("name", &concept_c.name, false));
    if (concept_c.name.empty()) concept_c.name = concept_c.id;
    PATHLIGHT_RETURN_IF_ERROR(r.String("name_zh", &concept_c.name_zh, false));
    std::vector<std::string> pre;
    PATHLIGHT_RETURN_IF_ERROR(r.StringList("prerequisites", &pre));
    PATHLIGHT_RETURN_IF_ERROR(ResolveConcepts(*concept_ids, pre, source, where, "prerequisites", &concept_c.prerequisites));
  }
  return Status::Ok();
}

// A mentor's "offerings": [{format, seats, open_seats, price_per_seat?}] (limits::OfferingError).
Status ReadOfferings(const json& j, const std::string& source, const std::string& where, Item* item) {
  auto e = j.find("offerings");
  if (e == j.end()) return Status::Ok();
  if (!e->is_array()) return Bad(ErrorCode::kParseError, source, where, "field \"offerings\": expected an array");
  if (item->kind != ItemKind::kMentor && !e->empty())
    return Bad(ErrorCode::kInvalidArgument, source, where, "field \"offerings\": only a mentor has offerings");
  if (e->size() > limits::kMaxOfferings)
    return Bad(ErrorCode::kLimitExceeded, source, where, "field \"offerings\" has more than 16 entries");
  for (size_t o = 0; o < e->size(); ++o) {
    const json& d = (*e)[o];
    const std::string at = where + ": offerings[" + std::to_string(o) + "]";
    if (!d.is_object()) return Bad(ErrorCode::kParseError, source, at, "expected an object");
    Reader r{d, source, at};
    std::string format;
    PATHLIGHT_RETURN_IF_ERROR(r.String("format", &format, true));
    auto f = ParseOfferingFormat(format);
    if (!f) return Bad(ErrorCode::kParseError, source, at, "field \"format\" = \"" + format + "\", expected one_to_one or group");
    double seats = 1, open_seats = 0, price = 0;
    PATHLIGHT_RETURN_IF_ERROR(r.Number("seats", &seats, -1e300, 1e300));
    if (*f == OfferingFormat::kGroup && !d.contains("seats"))
      return Bad(ErrorCode::kParseError, source, at, "missing field \"seats\" (a group offering's size)");
    if (!d.contains("open_seats")) return Bad(ErrorCode::kParseError, source, at, "missing field \"open_seats\"");
    PATHLIGHT_RETURN_IF_ERROR(r.Number("open_seats", &open_seats, -1e300, 1e300));
    PATHLIGHT_RETURN_IF_ERROR(r.Number("price_per_seat", &price, -1e300, 1e300));
    const bool price_known = d.contains("price_per_seat");
    if (const char* bad = limits::OfferingError(*f == OfferingFormat::kOneToOne, seats, open_seats, price, price_known))
      return Bad(ErrorCode::kInvalidArgument, source, at, bad);
    Offering off;
    off.format = *f;
    off.seats = static_cast<int32_t>(seats);
    off.open_seats = static_cast<int32_t>(open_seats);
    off.price_per_seat = price_known ? price : 0;
    off.price_known = price_known;
    item->offerings.push_back(off);
  }
  return Status::Ok();
}

// Element i of the "items" array.
Status ReadItem(const json& j, size_t i, const ConceptIds& concept_ids, const std::string& source, Item* out) {
  std::string where = "items[" + std::to_string(i) + "]";
  if (!j.is_object()) return Bad(ErrorCode::kParseError, source, where, "expected an object");
  Item& item = *out;
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
  PATHLIGHT_RETURN_IF_ERROR(ResolveConcepts(concept_ids, teaches, source, where, "teaches", &item.teaches));
  PATHLIGHT_RETURN_IF_ERROR(ResolveConcepts(concept_ids, requires_ids, source, where, "requires", &item.requires_concepts));
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
      // Checked as the f32 it is stored as: 1e-50 passes as a double but is 0 in f32, and the
      // bundle's catalog part (which holds the f32) would then be refused by its own reader.
      if (!w.is_number() || !std::isfinite(w.get<double>()) || w.get<double>() > 1 || !(w.get<float>() > 0))
        return Bad(ErrorCode::kInvalidArgument, source, where,
                   "expertise weight for \"" + cid + "\": expected a number in (0, 1] that is above 0 as a 32-bit float");
      item.expertise.emplace_back(ConceptIndex(f->second), w.get<float>());
    }
  }
  return ReadOfferings(j, source, where, &item);
}

// Input iterator over a text read in windows through a ByteReader (nlohmann's parser pulls one
// character at a time through it); the end iterator has no window.
struct TextWindow {
  const ByteReader* read;
  uint64_t size;
  uint64_t offset = 0;  // of buf[0] in the text
  std::vector<char> buf;
  size_t pos = 0, len = 0;
  bool Fill() {
    offset += len;
    pos = 0;
    len = offset < size ? (*read)(offset, buf.data(), static_cast<size_t>(std::min<uint64_t>(buf.size(), size - offset))) : 0;
    return len > 0;
  }
};

class WindowIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;
  WindowIterator() = default;
  explicit WindowIterator(TextWindow* w) : w_(w->Fill() ? w : nullptr) {}
  const char& operator*() const { return w_->buf[w_->pos]; }
  WindowIterator& operator++() {
    if (++w_->pos == w_->len && !w_->Fill()) w_ = nullptr;
    return *this;
  }
  bool operator==(const WindowIterator& o) const { return w_ == o.w_; }
  bool operator!=(const WindowIterator& o) const { return w_ != o.w_; }

 private:
  TextWindow* w_ = nullptr;
};

// SAX handler that reads a catalog without building a DOM for the whole document: each element of
// "concepts" and "items" becomes a small DOM of its own (the same value json::parse would build),
// checked by ReadConcepts / ReadItem exactly as Catalog::FromJson checks it, then dropped. The
// parse always runs to the end, because invalid JSON anywhere must win over a schema error, and
// the outcome is resolved in FromJson's order: not an object, "concepts", "items", first record
// error. A document FromJson would read differently — "items" before "concepts", or a repeated
// top-level key (the last one wins in a DOM) — asks for the DOM reader instead (`fallback`).
class CatalogSax {
 public:
  CatalogSax(const std::string& source, size_t expected_items) : source_(source) {
    items_.reserve(std::min<size_t>(expected_items, size_t{1} << 24));
  }

  bool null() { return Scalar([](Dom& d) { return d.null(); }); }
  bool boolean(bool v) { return Scalar([&](Dom& d) { return d.boolean(v); }); }
  bool number_integer(json::number_integer_t v) { return Scalar([&](Dom& d) { return d.number_integer(v); }); }
  bool number_unsigned(json::number_unsigned_t v) { return Scalar([&](Dom& d) { return d.number_unsigned(v); }); }
  bool number_float(json::number_float_t v, const std::string& s) { return Scalar([&](Dom& d) { return d.number_float(v, s); }); }
  bool string(std::string& v) { return Scalar([&](Dom& d) { return d.string(v); }); }
  bool binary(json::binary_t& v) { return Scalar([&](Dom& d) { return d.binary(v); }); }
  bool start_object(size_t n) { return Open(true, n); }
  bool start_array(size_t n) { return Open(false, n); }
  bool end_object() { return Close(true); }
  bool end_array() { return Close(false); }
  bool key(std::string& k) {
    if (dom_) return dom_->key(k);
    if (depth_ == 1 && top_object_) key_ = k;
    return true;
  }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception&) {
    invalid_ = true;
    return false;
  }

  bool invalid() const { return invalid_; }
  bool too_deep() const { return too_deep_; }
  bool fallback() const { return fallback_; }

  /// The outcome of a parse that reached the end of valid JSON.
  StatusOr<Catalog> Finish() {
    if (!top_object_) return Status(ErrorCode::kParseError, source_ + ": expected a JSON object");
    if (concepts_ != Field::kArray) return Status(ErrorCode::kParseError, source_ + ": missing array \"concepts\"");
    if (items_state_ != Field::kArray) return Status(ErrorCode::kParseError, source_ + ": missing array \"items\"");
    PATHLIGHT_RETURN_IF_ERROR(error_);
    return Catalog::Build(std::move(concepts_list_), std::move(items_), source_);
  }

 private:
  using Dom = nlohmann::detail::json_sax_dom_parser<json>;
  enum class Field { kAbsent, kArray, kOther };
  enum class List { kNone, kConcepts, kItems };

  template <class F>
  bool Scalar(F&& forward) {
    if (dom_) return forward(*dom_);
    if (depth_ == 2 && list_ != List::kNone) {
      BeginElement();
      forward(*dom_);
      EndElement();
      return true;
    }
    if (depth_ == 1 && top_object_) return TopValue(false);
    return true;
  }

  bool Open(bool object, size_t n) {
    if (++depth_ > kMaxJsonDepth) {
      too_deep_ = true;
      return false;
    }
    if (dom_) return object ? dom_->start_object(n) : dom_->start_array(n);
    if (depth_ == 3 && list_ != List::kNone) {
      BeginElement();
      element_depth_ = depth_;
      return object ? dom_->start_object(n) : dom_->start_array(n);
    }
    if (depth_ == 1) top_object_ = object;
    else if (depth_ == 2 && top_object_) return TopValue(!object);
    return true;
  }

  bool Close(bool object) {
    if (dom_) {
      const bool ok = object ? dom_->end_object() : dom_->end_array();
      if (depth_-- == element_depth_) EndElement();
      return ok;
    }
    if (depth_ == 2 && list_ != List::kNone) EndList();
    --depth_;
    return true;
  }

  // The value of a top-level key; `array` when it is an array (then its elements are read).
  bool TopValue(bool array) {
    const Field state = array ? Field::kArray : Field::kOther;
    if (key_ == "concepts") {
      if (concepts_ != Field::kAbsent) return Fallback();
      concepts_ = state;
      if (array) list_ = List::kConcepts;
    } else if (key_ == "items") {
      if (items_state_ != Field::kAbsent || concepts_ == Field::kAbsent) return Fallback();
      items_state_ = state;
      if (array) list_ = List::kItems;
    }
    return true;
  }

  bool Fallback() {
    fallback_ = true;
    return false;
  }

  void BeginElement() {
    element_ = json();
    dom_.emplace(element_, /*allow_exceptions=*/false);
  }

  void EndElement() {
    dom_.reset();
    if (list_ == List::kConcepts) {
      concept_docs_.push_back(std::move(element_));
    } else if (error_.ok() && concepts_ok_) {
      Item item;
      error_ = ReadItem(element_, item_index_, concept_ids_, source_, &item);
      if (error_.ok()) items_.push_back(std::move(item));
    }
    if (list_ == List::kItems) ++item_index_;
    element_ = json();
  }

  void EndList() {
    if (list_ == List::kConcepts) {
      error_ = ReadConcepts(concept_docs_, source_, &concepts_list_, &concept_ids_);
      concepts_ok_ = error_.ok();
      json::array_t().swap(concept_docs_);
    }
    list_ = List::kNone;
  }

  const std::string& source_;
  int depth_ = 0;            // open objects and arrays
  bool top_object_ = false;  // the document is an object
  std::string key_;          // the current top-level key
  Field concepts_ = Field::kAbsent, items_state_ = Field::kAbsent;
  List list_ = List::kNone;  // reading the elements of this array
  std::optional<Dom> dom_;   // building the current element
  json element_;
  int element_depth_ = 0;    // depth_ of the current element's container
  json::array_t concept_docs_;
  std::vector<Concept> concepts_list_;
  ConceptIds concept_ids_;
  bool concepts_ok_ = false;
  std::vector<Item> items_;
  size_t item_index_ = 0;
  Status error_;
  bool invalid_ = false, too_deep_ = false, fallback_ = false;
};

}  // namespace

ByteReader MemoryReader(std::string_view bytes) {
  return [bytes](uint64_t offset, char* out, size_t capacity) {
    const size_t n = std::min<size_t>(capacity, bytes.size() - static_cast<size_t>(offset));
    if (n > 0) std::memcpy(out, bytes.data() + offset, n);
    return n;
  };
}

StatusOr<Catalog> Catalog::Parse(std::string_view text, const std::string& source) {
  return ParseStream(MemoryReader(text), text.size(), source);
}

StatusOr<Catalog> Catalog::ParseStream(const ByteReader& read, uint64_t size, const std::string& source,
                                       size_t expected_items) {
  constexpr size_t kWindow = size_t{1} << 20;
  TextWindow window{&read, size, 0, {}, 0, 0};
  window.buf.resize(static_cast<size_t>(std::min<uint64_t>(kWindow, std::max<uint64_t>(size, 1))));
  // Reserve for the promised items only as far as the text could hold them (an item takes at least
  // 8 bytes of JSON): a small part whose manifest promises millions of items reserves little.
  CatalogSax sax(source, static_cast<size_t>(std::min<uint64_t>(expected_items, size / 8)));
  const bool parsed = json::sax_parse(WindowIterator(&window), WindowIterator(), &sax);
  const Status too_deep(ErrorCode::kLimitExceeded, source + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  if (sax.too_deep()) return too_deep;
  if (parsed) return sax.Finish();
  // What the DOM reader (Parse before streaming: depth check, json::parse, FromJson) answers.
  std::string text(static_cast<size_t>(size), '\0');
  for (uint64_t at = 0; at < size;) {
    const size_t n = read(at, text.data() + at, static_cast<size_t>(std::min<uint64_t>(kWindow, size - at)));
    if (n == 0) {
      text.resize(at);
      break;
    }
    at += n;
  }
  if (JsonTextDepth(text) > kMaxJsonDepth) return too_deep;
  if (sax.invalid()) return Status(ErrorCode::kParseError, source + ": not valid JSON");
  StatusOr<json> doc = ParseBoundedJson(text, source);
  if (!doc.ok() && doc.status().code() == ErrorCode::kParseError)
    return Status(ErrorCode::kParseError, source + ": not valid JSON");
  if (!doc.ok()) return doc.status();
  text = std::string();
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
  ConceptIds concept_ids;
  std::vector<Concept> concepts;
  PATHLIGHT_RETURN_IF_ERROR(ReadConcepts(concepts_it->get_ref<const json::array_t&>(), source, &concepts, &concept_ids));
  std::vector<Item> items(items_it->size());
  for (size_t i = 0; i < items.size(); ++i)
    PATHLIGHT_RETURN_IF_ERROR(ReadItem((*items_it)[i], i, concept_ids, source, &items[i]));
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
  if (items_.size() > static_cast<size_t>(limits::kMaxItems) || concepts_.size() > static_cast<size_t>(limits::kMaxConcepts))
    return Status(ErrorCode::kLimitExceeded, source + ": " + std::to_string(items_.size()) + " items and " +
                                                 std::to_string(concepts_.size()) + " concepts (a bundle holds at most 2^24 items and 2^20 concepts)");
  // An id the engine would refuse in a learner's event (ProfileLimits) could never be taken.
  auto long_id = [&](const char* list, size_t at, size_t bytes) {
    return Status(ErrorCode::kLimitExceeded, source + ": " + list + "[" + std::to_string(at) + "] has an id of " + std::to_string(bytes) +
                                                 " bytes (at most " + std::to_string(limits::kMaxIdBytes) + ")");
  };
  concept_by_id_.clear();
  concept_by_id_.reserve(concepts_.size());
  for (size_t c = 0; c < concepts_.size(); ++c) {
    if (concepts_[c].id.size() > limits::kMaxIdBytes) return long_id("concepts", c, concepts_[c].id.size());
    if (!concept_by_id_.emplace(concepts_[c].id, static_cast<int32_t>(c)).second)
      return Status(ErrorCode::kInvalidArgument, source + ": duplicate concept id \"" + concepts_[c].id + "\"");
  }
  // Items by id: indices sorted by (id, index) — a twentieth of a hash map's memory at 100,000
  // items — unless the binary reader has already sorted them (by string index). The first
  // duplicate in catalog order is the smallest index that follows an equal id.
  if (items_by_id_.size() != items_.size()) {
    items_by_id_.resize(items_.size());
    for (size_t i = 0; i < items_.size(); ++i) items_by_id_[i] = static_cast<int32_t>(i);
    std::sort(items_by_id_.begin(), items_by_id_.end(), [this](int32_t a, int32_t b) {
      const int order = items_[a].id.compare(items_[b].id);
      return order != 0 ? order < 0 : a < b;
    });
  }
  size_t first_duplicate = items_.size();
  for (size_t j = 1; j < items_by_id_.size(); ++j)
    if (items_[items_by_id_[j]].id == items_[items_by_id_[j - 1]].id)
      first_duplicate = std::min(first_duplicate, static_cast<size_t>(items_by_id_[j]));
  for (size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].id.empty()) return Status(ErrorCode::kParseError, source + ": items[" + std::to_string(i) + "] has an empty id");
    if (items_[i].id.size() > limits::kMaxIdBytes) return long_id("items", i, items_[i].id.size());
    if (i == first_duplicate)
      return Status(ErrorCode::kInvalidArgument, source + ": duplicate item id \"" + items_[i].id + "\"");
    if (!(items_[i].price >= 0) || !std::isfinite(items_[i].price))
      return Status(ErrorCode::kInvalidArgument, source + ": item \"" + items_[i].id + "\" has a negative or non-finite price");
    const std::vector<Offering>& offerings = items_[i].offerings;
    if (!offerings.empty() && items_[i].kind != ItemKind::kMentor)
      return Status(ErrorCode::kInvalidArgument, source + ": item \"" + items_[i].id + "\" has offerings but is not a mentor");
    if (offerings.size() > limits::kMaxOfferings)
      return Status(ErrorCode::kLimitExceeded, source + ": item \"" + items_[i].id + "\" has more than 16 offerings");
    for (size_t o = 0; o < offerings.size(); ++o)
      if (const char* bad = limits::OfferingError(offerings[o].format == OfferingFormat::kOneToOne, offerings[o].seats,
                                                  offerings[o].open_seats, offerings[o].price_per_seat, offerings[o].price_known))
        return Status(ErrorCode::kInvalidArgument,
                      source + ": item \"" + items_[i].id + "\": offerings[" + std::to_string(o) + "]: " + bad);
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
  StatusOr<std::vector<int32_t>> order = TopologicalOrder(pre, names);
  if (!order.ok()) return Status(order.status().code(), source + ": " + order.status().message());
  topo_.clear();
  for (int32_t c : *order) topo_.push_back(ConceptIndex(c));
  return Status::Ok();
}

std::optional<ItemIndex> Catalog::FindItem(std::string_view id) const {
  auto it = std::lower_bound(items_by_id_.begin(), items_by_id_.end(), id,
                             [this](int32_t i, std::string_view key) { return std::string_view(items_[i].id) < key; });
  if (it == items_by_id_.end() || items_[*it].id != id) return std::nullopt;
  return ItemIndex(*it);
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
    if (!it.offerings.empty()) {
      json offerings = json::array();
      for (const Offering& o : it.offerings) {
        json d = {{"format", OfferingFormatName(o.format)}, {"seats", o.seats}, {"open_seats", o.open_seats}};
        if (o.price_known) d["price_per_seat"] = o.price_per_seat;
        offerings.push_back(std::move(d));
      }
      j["offerings"] = offerings;
    }
    items.push_back(std::move(j));
  }
  return {{"concepts", concepts}, {"items", items}};
}

}  // namespace pathlight
