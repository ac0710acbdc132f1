// The compact catalog part of a bundle ("catalog.bin", dtype "catalog-v1", or "catalog-v2" when a
// mentor lists offerings; docs/bundle-format.md):
// a header of counts, a UTF-8 string table (each distinct string once, as written here) and
// fixed-width columns. It exists because the JSON text of a 100,000-item catalog took about a
// second to parse in WebAssembly; these columns take 0.05–0.08 s natively and 0.05–0.11 s in
// WebAssembly (Node; the 100,000-item synthetic catalog). The table is sorted, so items are
// ordered by id without comparing text (that sort was half of the reading time).
// The reader checks everything the JSON reader checks (catalog.cpp), plus the layout: every count,
// offset, index and string.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <unordered_map>

#include "pathlight/catalog.h"
#include "pathlight/limits.h"

namespace pathlight {
namespace {

constexpr const char* kMagic = limits::kCatalogMagic;      // catalog-v1
constexpr const char* kMagicV2 = limits::kCatalogMagicV2;  // catalog-v1 + the offerings sections
constexpr size_t kMagicBytes = 8;
constexpr size_t kHeaderBytes = limits::kCatalogHeaderBytes;
constexpr uint32_t kMaxStringBytes = limits::kMaxStringBytes;  // as the JSON reader: ids, titles, names
constexpr uint32_t kMaxListEntries = limits::kMaxListEntries;  // as the JSON reader: every per-record list
constexpr uint32_t kMaxRecords = 1u << 30;      // items, concepts, strings, list entries

// The header's counts, in file order after the magic.
// The last is "reserved" (0) in catalog-v1 and the offerings' count in catalog-v2.
enum Count { kConcepts, kItems, kStrings, kStringBytes, kPrerequisites, kTeaches, kRequires, kLanguages, kExpertise, kOfferings, kNumCounts };
constexpr const char* kCountNames[kNumCounts] = {"concepts", "items", "strings", "string_bytes", "prerequisites",
                                                 "teaches", "requires", "languages", "expertise", "offerings"};

// The sections, in file order; each starts at a multiple of 8 bytes (zero padding before it).
// `count` is one of the header's counts, plus `extra` (the offset columns have one entry more).
enum Section {
  kStringOffsets, kStringData, kConceptId, kConceptName, kConceptNameZh, kPrerequisiteOffsets, kPrerequisiteList,
  kItemId, kItemTitle, kItemCurrency, kItemLanguage, kItemKind, kItemLevel, kItemPriceKnown, kItemPrice, kItemHours,
  kItemRating, kItemCapacity, kTeachesOffsets, kTeachesList, kRequiresOffsets, kRequiresList, kLanguagesOffsets,
  kLanguagesList, kExpertiseOffsets, kExpertiseConcepts, kExpertiseWeights,
  kNumSectionsV1,  // catalog-v2 adds:
  kOfferingsOffsets = kNumSectionsV1, kOfferingFormat, kOfferingPriceKnown, kOfferingSeats, kOfferingOpenSeats,
  kOfferingPrice, kNumSections
};
struct SectionSpec {
  const char* name;
  uint32_t elem_bytes;
  Count count;
  uint32_t extra;
};
constexpr SectionSpec kSections[kNumSections] = {
    {"string_offsets", 4, kStrings, 1},        {"string_data", 1, kStringBytes, 0},
    {"concept_id", 4, kConcepts, 0},           {"concept_name", 4, kConcepts, 0},
    {"concept_name_zh", 4, kConcepts, 0},      {"prerequisite_offsets", 4, kConcepts, 1},
    {"prerequisites", 4, kPrerequisites, 0},   {"item_id", 4, kItems, 0},
    {"item_title", 4, kItems, 0},              {"item_currency", 4, kItems, 0},
    {"item_language", 4, kItems, 0},           {"item_kind", 1, kItems, 0},
    {"item_level", 1, kItems, 0},              {"item_price_known", 1, kItems, 0},
    {"item_price", 8, kItems, 0},              {"item_hours", 8, kItems, 0},
    {"item_rating", 8, kItems, 0},             {"item_capacity", 4, kItems, 0},
    {"teaches_offsets", 4, kItems, 1},         {"teaches", 4, kTeaches, 0},
    {"requires_offsets", 4, kItems, 1},        {"requires", 4, kRequires, 0},
    {"languages_offsets", 4, kItems, 1},       {"languages", 4, kLanguages, 0},
    {"expertise_offsets", 4, kItems, 1},       {"expertise_concepts", 4, kExpertise, 0},
    {"expertise_weights", 4, kExpertise, 0},
    {"offerings_offsets", 4, kItems, 1},       {"offering_format", 1, kOfferings, 0},
    {"offering_price_known", 1, kOfferings, 0}, {"offering_seats", 4, kOfferings, 0},
    {"offering_open_seats", 4, kOfferings, 0}, {"offering_price", 8, kOfferings, 0},
};

uint64_t Align8(uint64_t x) { return (x + 7) & ~uint64_t{7}; }

// Little-endian scalars, independent of the host's byte order.
uint32_t LoadU32(const unsigned char* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
uint64_t LoadU64(const unsigned char* p) { return uint64_t{LoadU32(p)} | uint64_t{LoadU32(p + 4)} << 32; }
void StoreU32(std::string* out, uint32_t v) {
  for (int b = 0; b < 4; ++b) out->push_back(static_cast<char>(v >> (8 * b)));
}
void StoreU64(std::string* out, uint64_t v) {
  StoreU32(out, static_cast<uint32_t>(v));
  StoreU32(out, static_cast<uint32_t>(v >> 32));
}

// Section offsets from the counts (no overflow: at most 33 sections of 2^33 bytes each); the
// first `sections` (27 in catalog-v1, 33 in catalog-v2), offsets[sections] is the end.
void Layout(const uint32_t (&counts)[kNumCounts], int sections, uint64_t (&offsets)[kNumSections + 1]) {
  uint64_t at = kHeaderBytes;
  for (int s = 0; s < sections; ++s) {
    at = Align8(at);
    offsets[s] = at;
    at += (uint64_t{counts[kSections[s].count]} + kSections[s].extra) * kSections[s].elem_bytes;
  }
  offsets[sections] = at;
}

// RFC 3629 UTF-8 (limits.h: the one validator every reader and writer uses).
bool ValidUtf8(const unsigned char* s, size_t n) {
  return limits::ValidUtf8(std::string_view(reinterpret_cast<const char*>(s), n));
}

// Names a record in error messages ("items[3] (\"id\")"); built only when an error is reported.
struct Where {
  const char* list;          // "concepts" or "items"
  uint32_t index;
  const std::string* id;     // the item's id once read, else null
  std::string str() const {
    std::string s = std::string(list) + "[" + std::to_string(index) + "]";
    return id ? s + " (\"" + *id + "\")" : s;
  }
};

// Reads a verified-size part section by section through a ByteReader, so that at most the string
// table and a few columns are held at once (in WebAssembly the heap never shrinks: a copy of the
// whole part would stay as lasting memory). Errors name the byte and the record.
class BinaryReader {
 public:
  BinaryReader(const ByteReader& read, uint64_t size, const std::string& source) : read_(read), size_(size), source_(source) {}

  Status ReadLayout() {
    unsigned char header[kHeaderBytes];
    if (size_ < kHeaderBytes || !ReadBytes(0, header, kHeaderBytes))
      return Status(ErrorCode::kParseError, source_ + ": " + std::to_string(size_) + " bytes, too short for a binary catalog's 48-byte header");
    if (std::memcmp(header, kMagicV2, kMagicBytes) == 0) sections_ = kNumSections;
    else if (std::memcmp(header, kMagic, kMagicBytes) != 0)
      return Status(ErrorCode::kParseError, source_ + ": not a Pathlight binary catalog (expected the 8 bytes \"PLCATLG1\" or \"PLCATLG2\" at byte 0)");
    for (int c = 0; c < kNumCounts; ++c) {
      counts_[c] = LoadU32(header + 8 + 4 * c);
      if (counts_[c] > kMaxRecords && c != kStringBytes)
        return Status(ErrorCode::kLimitExceeded, source_ + ": byte " + std::to_string(8 + 4 * c) + ": header count \"" +
                                                     kCountNames[c] + "\" = " + std::to_string(counts_[c]) + ", more than 2^30");
    }
    if (sections_ == kNumSectionsV1 && counts_[kOfferings] != 0)
      return Corrupt(8 + 4 * kOfferings, "header field \"reserved\" must be 0 (catalog-v1; offerings need \"PLCATLG2\")");
    Layout(counts_, sections_, offsets_);
    if (offsets_[sections_] != size_)
      return Corrupt(0, "the header's counts give " + std::to_string(offsets_[sections_]) + " bytes, the part has " +
                            std::to_string(size_));
    return Status::Ok();
  }

  // Reads these sections (and the padding after each, which must be zero); an offsets section is
  // checked as it arrives: starts at 0, never decreases, ends at its list's count.
  Status Load(std::initializer_list<Section> sections) {
    for (Section s : sections) {
      std::vector<unsigned char>& buf = buffers_[s];
      buf.resize(static_cast<size_t>(offsets_[s + 1] - offsets_[s]));
      if (!ReadBytes(offsets_[s], buf.data(), buf.size())) return Corrupt(offsets_[s], "the part ended early");
      const uint64_t used = (uint64_t{counts_[kSections[s].count]} + kSections[s].extra) * kSections[s].elem_bytes;
      for (uint64_t b = used; b < buf.size(); ++b)
        if (buf[b] != 0) return Corrupt(offsets_[s] + b, std::string("padding after section \"") + kSections[s].name + "\" must be zero");
      switch (s) {
        case kStringOffsets: PATHLIGHT_RETURN_IF_ERROR(CheckOffsets(s, counts_[kStringBytes], kMaxStringBytes, "string")); break;
        case kPrerequisiteOffsets: PATHLIGHT_RETURN_IF_ERROR(CheckOffsets(s, counts_[kPrerequisites], kMaxListEntries, "concepts")); break;
        case kTeachesOffsets: case kRequiresOffsets: case kLanguagesOffsets: case kExpertiseOffsets: case kOfferingsOffsets:
          PATHLIGHT_RETURN_IF_ERROR(CheckOffsets(s, counts_[kSections[s + 1].count], kMaxListEntries, "items"));
          break;
        default: break;
      }
    }
    return Status::Ok();
  }
  void Drop(std::initializer_list<Section> sections) {
    for (Section s : sections) std::vector<unsigned char>().swap(buffers_[s]);
  }

  uint32_t count(Count c) const { return counts_[c]; }
  bool has_offerings() const { return sections_ == kNumSections; }
  uint64_t at(Section s, uint64_t i) const { return offsets_[s] + i * kSections[s].elem_bytes; }
  const unsigned char* ptr(Section s, uint64_t i) const { return buffers_[s].data() + i * kSections[s].elem_bytes; }
  uint32_t U32(Section s, uint64_t i) const { return LoadU32(ptr(s, i)); }
  uint8_t U8(Section s, uint64_t i) const { return *ptr(s, i); }
  double F64(Section s, uint64_t i) const {
    const uint64_t bits = LoadU64(ptr(s, i));
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  float F32(Section s, uint64_t i) const {
    const uint32_t bits = U32(s, i);
    float v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }

  Status Corrupt(uint64_t byte, const std::string& what) const {
    return Status(ErrorCode::kCorruptBundle, source_ + ": byte " + std::to_string(byte) + ": " + what);
  }

  // The UTF-8 string at index `column[i]` of the table, checked once per string.
  Status String(Section column, uint64_t i, const Where& where, const char* field, std::string* out) {
    const uint32_t s = U32(column, i);
    if (s >= counts_[kStrings])
      return Corrupt(at(column, i), where.str() + ": field \"" + field + "\" refers to string " + std::to_string(s) + " of " +
                                        std::to_string(counts_[kStrings]));
    const uint32_t begin = U32(kStringOffsets, s), end = U32(kStringOffsets, s + 1);
    out->assign(reinterpret_cast<const char*>(ptr(kStringData, begin)), end - begin);
    return Status::Ok();
  }

  // Concept index `list[j]`, in range.
  Status ConceptRef(Section list, uint64_t j, const Where& where, const char* field, ConceptIndex* out) const {
    const uint32_t c = U32(list, j);
    if (c >= counts_[kConcepts])
      return Corrupt(at(list, j), where.str() + ": field \"" + field + "\" refers to concept " + std::to_string(c) + " of " +
                                      std::to_string(counts_[kConcepts]));
    *out = ConceptIndex(static_cast<int32_t>(c));
    return Status::Ok();
  }

  // The string table, once loaded: string 0 is "" (an empty name_zh refers to it), every string
  // is UTF-8 — referenced or not, since the page decodes the table as one text (wasm/catalog.js) —
  // and the strings are in strictly increasing byte order (so two ids compare as their indices).
  Status CheckStrings() const {
    if (counts_[kStrings] == 0 || U32(kStringOffsets, 1) != 0)
      return Corrupt(at(kStringOffsets, 1), "string 0 must be the empty string");
    for (uint32_t s = 1; s < counts_[kStrings]; ++s) {
      const uint32_t begin = U32(kStringOffsets, s), end = U32(kStringOffsets, s + 1);
      if (!ValidUtf8(ptr(kStringData, begin), end - begin))
        return Status(ErrorCode::kParseError, source_ + ": byte " + std::to_string(offsets_[kStringData] + begin) + ": string " +
                                                  std::to_string(s) + " is not valid UTF-8");
    }
    for (uint32_t s = 1; s < counts_[kStrings]; ++s)
      if (!(View(s - 1) < View(s)))
        return Corrupt(offsets_[kStringData] + U32(kStringOffsets, s),
                       "string " + std::to_string(s) + " does not follow string " + std::to_string(s - 1) +
                           " in byte order (the table holds each string once, sorted)");
    return Status::Ok();
  }

  // String `s` of the loaded table (s < the string count).
  std::string_view View(uint32_t s) const {
    const uint32_t begin = U32(kStringOffsets, s), end = U32(kStringOffsets, s + 1);
    return std::string_view(reinterpret_cast<const char*>(ptr(kStringData, begin)), end - begin);
  }

 private:
  Status CheckOffsets(Section s, uint32_t total, uint32_t max_span, const char* records) const {
    const uint64_t n = counts_[kSections[s].count];
    if (U32(s, 0) != 0) return Corrupt(at(s, 0), std::string("section \"") + kSections[s].name + "\" must start at 0");
    for (uint64_t i = 0; i < n; ++i) {
      const uint32_t a = U32(s, i), b = U32(s, i + 1);
      if (b < a || b > total)
        return Corrupt(at(s, i + 1), std::string("section \"") + kSections[s].name + "\": entry " + std::to_string(i + 1) +
                                         " = " + std::to_string(b) + " is out of order or beyond " + std::to_string(total));
      if (b - a > max_span)
        return Status(ErrorCode::kLimitExceeded,
                      source_ + ": byte " + std::to_string(at(s, i)) + ": " + records + "[" + std::to_string(i) + "]: " +
                          (s == kStringOffsets ? std::string("a string is longer than 64 KiB")
                                               : std::string("list \"") + kSections[s + 1].name + "\" has more than 4096 entries"));
    }
    if (U32(s, n) != total)
      return Corrupt(at(s, n), std::string("section \"") + kSections[s].name + "\" must end at " + std::to_string(total));
    return Status::Ok();
  }

  bool ReadBytes(uint64_t offset, unsigned char* out, size_t n) const {
    for (size_t done = 0; done < n;) {
      const size_t got = read_(offset + done, reinterpret_cast<char*>(out) + done, n - done);
      if (got == 0) return false;
      done += got;
    }
    return true;
  }

  const ByteReader& read_;
  uint64_t size_;
  const std::string& source_;
  uint32_t counts_[kNumCounts] = {};
  int sections_ = kNumSectionsV1;  // kNumSections for catalog-v2
  uint64_t offsets_[kNumSections + 1] = {};
  std::vector<unsigned char> buffers_[kNumSections];  // the loaded sections, padding included
};

// A number column value must be finite and in [lo, hi], as the JSON reader requires.
inline bool InRange(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }
// The error for a value that is not InRange.
Status NumberError(const BinaryReader& r, Section s, uint64_t i, double v, double lo, double hi, const Where& where,
                   const char* field, const std::string& source) {
  const std::string at = source + ": byte " + std::to_string(r.at(s, i)) + ": " + where.str() + ": field \"" + field + "\"";
  if (!std::isfinite(v)) return Status(ErrorCode::kNotFinite, at + " is not finite");
  return Status(ErrorCode::kInvalidArgument, at + " = " + std::to_string(v) + ", expected a value in [" + std::to_string(lo) +
                                                   ", " + std::to_string(hi) + "]");
}

// The catalog's strings, each once. Add numbers them in first-use order; Sort then renumbers them
// in byte order (index 0 is ""), which lets the reader order items by id by comparing indices.
class StringTable {
 public:
  StringTable() { Add(""); }
  uint32_t Add(const std::string& s) {
    auto [it, inserted] = index_.emplace(s, static_cast<uint32_t>(strings_.size()));
    if (inserted) strings_.push_back(&it->first);
    return it->second;
  }
  // Sorts the table; returns each first-use index's new index.
  std::vector<uint32_t> Sort() {
    std::vector<uint32_t> order(strings_.size());
    for (uint32_t s = 0; s < order.size(); ++s) order[s] = s;
    std::sort(order.begin(), order.end(), [this](uint32_t a, uint32_t b) { return *strings_[a] < *strings_[b]; });
    std::vector<uint32_t> renumber(order.size());
    std::vector<const std::string*> sorted(order.size());
    for (uint32_t j = 0; j < order.size(); ++j) {
      renumber[order[j]] = j;
      sorted[j] = strings_[order[j]];
    }
    strings_ = std::move(sorted);
    return renumber;
  }
  const std::vector<const std::string*>& strings() const { return strings_; }

 private:
  std::unordered_map<std::string, uint32_t> index_;
  std::vector<const std::string*> strings_;  // into index_'s keys (stable addresses)
};

// catalog-v2's offerings: format 0..1, price_known 0..1, and limits::OfferingError's values;
// only mentors have any, at most limits::kMaxOfferings each.
template <typename WhereFn>
Status ReadOfferings(BinaryReader& r, std::vector<Item>& items, const WhereFn& where, const std::string& source) {
  PATHLIGHT_RETURN_IF_ERROR(r.Load({kOfferingsOffsets, kOfferingFormat, kOfferingPriceKnown, kOfferingSeats,
                                    kOfferingOpenSeats, kOfferingPrice}));
  for (uint32_t i = 0; i < items.size(); ++i) {
    const uint32_t begin = r.U32(kOfferingsOffsets, i), end = r.U32(kOfferingsOffsets, i + 1);
    if (begin == end) continue;
    if (items[i].kind != ItemKind::kMentor)
      return Status(ErrorCode::kInvalidArgument, source + ": byte " + std::to_string(r.at(kOfferingsOffsets, i + 1)) + ": " +
                                                     where(i).str() + ": only a mentor has offerings");
    if (end - begin > limits::kMaxOfferings)
      return Status(ErrorCode::kLimitExceeded, source + ": byte " + std::to_string(r.at(kOfferingsOffsets, i + 1)) + ": " +
                                                   where(i).str() + ": more than 16 offerings");
    for (uint32_t j = begin; j < end; ++j) {
      const std::string at = where(i).str() + ": offerings[" + std::to_string(j - begin) + "]";
      const uint8_t format = r.U8(kOfferingFormat, j), known = r.U8(kOfferingPriceKnown, j);
      if (format > static_cast<uint8_t>(OfferingFormat::kGroup))
        return r.Corrupt(r.at(kOfferingFormat, j), at + ": field \"format\" = " + std::to_string(format) + ", expected 0..1");
      if (known > 1)
        return r.Corrupt(r.at(kOfferingPriceKnown, j), at + ": field \"price_known\" = " + std::to_string(known) + ", expected 0 or 1");
      Offering o;
      o.format = static_cast<OfferingFormat>(format);
      o.price_known = known == 1;
      const uint32_t seats = r.U32(kOfferingSeats, j), open_seats = r.U32(kOfferingOpenSeats, j);
      const double price = r.F64(kOfferingPrice, j);
      if (!o.price_known && price != 0)
        return NumberError(r, kOfferingPrice, j, price, 0, 0, Where{"items", i, &items[i].id}, "offering price (unknown)", source);
      if (o.price_known && !std::isfinite(price))
        return NumberError(r, kOfferingPrice, j, price, 0, limits::kMaxPrice, Where{"items", i, &items[i].id}, "offering price", source);
      if (const char* bad = limits::OfferingError(o.format == OfferingFormat::kOneToOne, seats, open_seats, price, o.price_known))
        return Status(ErrorCode::kInvalidArgument, source + ": byte " + std::to_string(r.at(kOfferingSeats, j)) + ": " + at + ": " + bad);
      o.seats = static_cast<int32_t>(seats);
      o.open_seats = static_cast<int32_t>(open_seats);
      o.price_per_seat = price;
      items[i].offerings.push_back(o);
    }
  }
  r.Drop({kOfferingsOffsets, kOfferingFormat, kOfferingPriceKnown, kOfferingSeats, kOfferingOpenSeats, kOfferingPrice});
  return Status::Ok();
}

}  // namespace

std::string Catalog::ToBinary() const {
  StringTable strings;
  std::vector<uint32_t> cols[kNumSections];
  std::string item_bytes[3];  // kind, level, price_known
  std::vector<double> reals[3];  // price, hours, rating
  std::vector<float> weights;
  std::string offering_bytes[2];  // format, price_known
  std::vector<double> offering_prices;
  bool any_offerings = false;
  auto offsets_of = [](std::vector<uint32_t>* offsets, const std::vector<uint32_t>& list) {
    if (offsets->empty()) offsets->push_back(0);
    offsets->push_back(static_cast<uint32_t>(list.size()));
  };
  for (const Concept& c : concepts_) {
    cols[kConceptId].push_back(strings.Add(c.id));
    cols[kConceptName].push_back(strings.Add(c.name));
    cols[kConceptNameZh].push_back(strings.Add(c.name_zh));
    for (ConceptIndex p : c.prerequisites) cols[kPrerequisiteList].push_back(p.value());
    offsets_of(&cols[kPrerequisiteOffsets], cols[kPrerequisiteList]);
  }
  for (const Item& it : items_) {
    cols[kItemId].push_back(strings.Add(it.id));
    cols[kItemTitle].push_back(strings.Add(it.title));
    cols[kItemCurrency].push_back(strings.Add(it.currency));
    cols[kItemLanguage].push_back(strings.Add(it.language));
    item_bytes[0].push_back(static_cast<char>(it.kind));
    item_bytes[1].push_back(static_cast<char>(it.level));
    item_bytes[2].push_back(it.price_known ? 1 : 0);
    reals[0].push_back(it.price_known ? it.price : 0.0);
    reals[1].push_back(it.hours);
    reals[2].push_back(it.rating);
    cols[kItemCapacity].push_back(static_cast<uint32_t>(it.capacity));
    for (ConceptIndex c : it.teaches) cols[kTeachesList].push_back(c.value());
    for (ConceptIndex c : it.requires_concepts) cols[kRequiresList].push_back(c.value());
    for (const std::string& l : it.languages) cols[kLanguagesList].push_back(strings.Add(l));
    for (auto& [c, w] : it.expertise) {
      cols[kExpertiseConcepts].push_back(c.value());
      weights.push_back(w);
    }
    offsets_of(&cols[kTeachesOffsets], cols[kTeachesList]);
    offsets_of(&cols[kRequiresOffsets], cols[kRequiresList]);
    offsets_of(&cols[kLanguagesOffsets], cols[kLanguagesList]);
    offsets_of(&cols[kExpertiseOffsets], cols[kExpertiseConcepts]);
    for (const Offering& o : it.offerings) {
      offering_bytes[0].push_back(static_cast<char>(o.format));
      offering_bytes[1].push_back(o.price_known ? 1 : 0);
      cols[kOfferingSeats].push_back(static_cast<uint32_t>(o.seats));
      cols[kOfferingOpenSeats].push_back(static_cast<uint32_t>(o.open_seats));
      offering_prices.push_back(o.price_known ? o.price_per_seat : 0.0);
    }
    any_offerings = any_offerings || !it.offerings.empty();
    offsets_of(&cols[kOfferingsOffsets], cols[kOfferingSeats]);
  }
  for (Section s : {kPrerequisiteOffsets, kTeachesOffsets, kRequiresOffsets, kLanguagesOffsets, kExpertiseOffsets, kOfferingsOffsets})
    if (cols[s].empty()) cols[s].push_back(0);
  const std::vector<uint32_t> renumber = strings.Sort();
  for (Section s : {kConceptId, kConceptName, kConceptNameZh, kItemId, kItemTitle, kItemCurrency, kItemLanguage, kLanguagesList})
    for (uint32_t& v : cols[s]) v = renumber[v];
  std::string string_data;
  for (const std::string* str : strings.strings()) {
    cols[kStringOffsets].push_back(static_cast<uint32_t>(string_data.size()));
    string_data += *str;
  }
  cols[kStringOffsets].push_back(static_cast<uint32_t>(string_data.size()));

  uint32_t counts[kNumCounts] = {};
  counts[kConcepts] = static_cast<uint32_t>(concepts_.size());
  counts[kItems] = static_cast<uint32_t>(items_.size());
  counts[kStrings] = static_cast<uint32_t>(strings.strings().size());
  counts[kStringBytes] = static_cast<uint32_t>(string_data.size());
  counts[kPrerequisites] = static_cast<uint32_t>(cols[kPrerequisiteList].size());
  counts[kTeaches] = static_cast<uint32_t>(cols[kTeachesList].size());
  counts[kRequires] = static_cast<uint32_t>(cols[kRequiresList].size());
  counts[kLanguages] = static_cast<uint32_t>(cols[kLanguagesList].size());
  counts[kExpertise] = static_cast<uint32_t>(weights.size());
  counts[kOfferings] = static_cast<uint32_t>(offering_prices.size());

  // catalog-v1 unless a mentor lists offerings: a catalog without them keeps its bytes.
  const int sections = any_offerings ? kNumSections : kNumSectionsV1;
  std::string out(any_offerings ? kMagicV2 : kMagic, kMagicBytes);
  for (uint32_t c : counts) StoreU32(&out, c);
  for (int s = 0; s < sections; ++s) {
    out.resize(Align8(out.size()), '\0');
    switch (s) {
      case kStringData: out += string_data; break;
      case kItemKind: case kItemLevel: case kItemPriceKnown: out += item_bytes[s - kItemKind]; break;
      case kOfferingFormat: case kOfferingPriceKnown: out += offering_bytes[s - kOfferingFormat]; break;
      case kItemPrice: case kItemHours: case kItemRating: case kOfferingPrice:
        for (double v : s == kOfferingPrice ? offering_prices : reals[s - kItemPrice]) {
          uint64_t bits;
          std::memcpy(&bits, &v, sizeof bits);
          StoreU64(&out, bits);
        }
        break;
      case kExpertiseWeights:
        for (float w : weights) {
          uint32_t bits;
          std::memcpy(&bits, &w, sizeof bits);
          StoreU32(&out, bits);
        }
        break;
      default:
        for (uint32_t v : cols[s]) StoreU32(&out, v);
    }
  }
  return out;
}

StatusOr<Catalog> Catalog::ParseBinary(std::string_view bytes, const std::string& source) {
  return ParseBinaryStream(MemoryReader(bytes), bytes.size(), source);
}

// Column by column: the string table stays loaded, every other section is read, used and dropped.
StatusOr<Catalog> Catalog::ParseBinaryStream(const ByteReader& read, uint64_t size, const std::string& source,
                                             int64_t expected_items, int64_t expected_concepts) {
  BinaryReader r(read, size, source);
  PATHLIGHT_RETURN_IF_ERROR(r.ReadLayout());
  // Before anything is allocated for them: the counts a bundle's manifest promises (checked there
  // against its limits), so a consistent but enormous part cannot claim millions of records.
  if ((expected_items >= 0 && r.count(kItems) != expected_items) || (expected_concepts >= 0 && r.count(kConcepts) != expected_concepts))
    return r.Corrupt(8, "the header says " + std::to_string(r.count(kItems)) + " items and " + std::to_string(r.count(kConcepts)) +
                            " concepts; the manifest says " + std::to_string(expected_items) + " and " + std::to_string(expected_concepts));
  PATHLIGHT_RETURN_IF_ERROR(r.Load({kStringOffsets, kStringData}));
  PATHLIGHT_RETURN_IF_ERROR(r.CheckStrings());

  std::vector<Concept> concepts(r.count(kConcepts));
  PATHLIGHT_RETURN_IF_ERROR(r.Load({kConceptId, kConceptName, kConceptNameZh, kPrerequisiteOffsets, kPrerequisiteList}));
  for (uint32_t c = 0; c < concepts.size(); ++c) {
    Concept& con = concepts[c];
    const Where where{"concepts", c, nullptr};
    PATHLIGHT_RETURN_IF_ERROR(r.String(kConceptId, c, where, "id", &con.id));
    PATHLIGHT_RETURN_IF_ERROR(r.String(kConceptName, c, where, "name", &con.name));
    PATHLIGHT_RETURN_IF_ERROR(r.String(kConceptNameZh, c, where, "name_zh", &con.name_zh));
    if (con.name.empty()) con.name = con.id;
    con.prerequisites.reserve(r.U32(kPrerequisiteOffsets, c + 1) - r.U32(kPrerequisiteOffsets, c));
    for (uint32_t j = r.U32(kPrerequisiteOffsets, c), end = r.U32(kPrerequisiteOffsets, c + 1); j < end; ++j) {
      con.prerequisites.emplace_back();
      PATHLIGHT_RETURN_IF_ERROR(r.ConceptRef(kPrerequisiteList, j, where, "prerequisites", &con.prerequisites.back()));
    }
  }
  r.Drop({kConceptId, kConceptName, kConceptNameZh, kPrerequisiteOffsets, kPrerequisiteList});

  const uint32_t n = r.count(kItems);
  std::vector<Item> items(n);
  auto where = [&items](uint32_t i) { return Where{"items", i, items[i].id.empty() ? nullptr : &items[i].id}; };
  PATHLIGHT_RETURN_IF_ERROR(r.Load({kItemId, kItemTitle, kItemCurrency, kItemLanguage}));
  for (uint32_t i = 0; i < n; ++i) {
    Item& it = items[i];
    PATHLIGHT_RETURN_IF_ERROR(r.String(kItemId, i, where(i), "id", &it.id));
    PATHLIGHT_RETURN_IF_ERROR(r.String(kItemTitle, i, where(i), "title", &it.title));
    if (it.title.empty()) it.title = it.id;
    PATHLIGHT_RETURN_IF_ERROR(r.String(kItemCurrency, i, where(i), "currency", &it.currency));
    PATHLIGHT_RETURN_IF_ERROR(r.String(kItemLanguage, i, where(i), "language", &it.language));
  }
  // Items sorted by (id, index): the table is sorted, so an id's string index orders it.
  std::vector<uint64_t> id_keys(n);
  for (uint32_t i = 0; i < n; ++i) id_keys[i] = uint64_t{r.U32(kItemId, i)} << 32 | i;
  std::sort(id_keys.begin(), id_keys.end());
  std::vector<int32_t> items_by_id(n);
  for (uint32_t j = 0; j < n; ++j) items_by_id[j] = static_cast<int32_t>(id_keys[j] & 0xffffffffu);
  std::vector<uint64_t>().swap(id_keys);
  r.Drop({kItemId, kItemTitle, kItemCurrency, kItemLanguage});

  PATHLIGHT_RETURN_IF_ERROR(r.Load({kItemKind, kItemLevel, kItemPriceKnown, kItemPrice, kItemHours, kItemRating, kItemCapacity}));
  for (uint32_t i = 0; i < n; ++i) {
    Item& it = items[i];
    const uint8_t kind = r.U8(kItemKind, i), level = r.U8(kItemLevel, i), known = r.U8(kItemPriceKnown, i);
    if (kind > static_cast<uint8_t>(ItemKind::kMentor))
      return r.Corrupt(r.at(kItemKind, i), where(i).str() + ": field \"kind\" = " + std::to_string(kind) + ", expected 0..4");
    if (level > static_cast<uint8_t>(Level::kAll))
      return r.Corrupt(r.at(kItemLevel, i), where(i).str() + ": field \"level\" = " + std::to_string(level) + ", expected 0..3");
    if (known > 1)
      return r.Corrupt(r.at(kItemPriceKnown, i), where(i).str() + ": field \"price_known\" = " + std::to_string(known) + ", expected 0 or 1");
    it.kind = static_cast<ItemKind>(kind);
    it.level = static_cast<Level>(level);
    it.price_known = known == 1;
    const double price = r.F64(kItemPrice, i), hours = r.F64(kItemHours, i), rating = r.F64(kItemRating, i);
    const uint32_t capacity = r.U32(kItemCapacity, i);
    const double max_price = it.price_known ? 1e9 : 0;
    if (!InRange(price, 0, max_price)) return NumberError(r, kItemPrice, i, price, 0, max_price, where(i), "price", source);
    if (!InRange(hours, 0, 1e6)) return NumberError(r, kItemHours, i, hours, 0, 1e6, where(i), "hours", source);
    if (!InRange(rating, 0, 5)) return NumberError(r, kItemRating, i, rating, 0, 5, where(i), "rating", source);
    if (!InRange(capacity, 0, 1e6)) return NumberError(r, kItemCapacity, i, capacity, 0, 1e6, where(i), "capacity", source);
    it.price = price;
    it.hours = hours;
    it.rating = rating;
    it.capacity = static_cast<int32_t>(capacity);
  }
  r.Drop({kItemKind, kItemLevel, kItemPriceKnown, kItemPrice, kItemHours, kItemRating, kItemCapacity});

  for (auto [offsets, list, field, member] : {std::make_tuple(kTeachesOffsets, kTeachesList, "teaches", &Item::teaches),
                                              std::make_tuple(kRequiresOffsets, kRequiresList, "requires", &Item::requires_concepts)}) {
    PATHLIGHT_RETURN_IF_ERROR(r.Load({offsets, list}));
    for (uint32_t i = 0; i < n; ++i) {
      std::vector<ConceptIndex>& out = items[i].*member;
      out.reserve(r.U32(offsets, i + 1) - r.U32(offsets, i));
      for (uint32_t j = r.U32(offsets, i), end = r.U32(offsets, i + 1); j < end; ++j) {
        out.emplace_back();
        PATHLIGHT_RETURN_IF_ERROR(r.ConceptRef(list, j, where(i), field, &out.back()));
      }
    }
    r.Drop({offsets, list});
  }

  PATHLIGHT_RETURN_IF_ERROR(r.Load({kLanguagesOffsets, kLanguagesList}));
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t j = r.U32(kLanguagesOffsets, i), end = r.U32(kLanguagesOffsets, i + 1); j < end; ++j) {
      items[i].languages.emplace_back();
      PATHLIGHT_RETURN_IF_ERROR(r.String(kLanguagesList, j, where(i), "languages", &items[i].languages.back()));
    }
  r.Drop({kLanguagesOffsets, kLanguagesList});

  PATHLIGHT_RETURN_IF_ERROR(r.Load({kExpertiseOffsets, kExpertiseConcepts, kExpertiseWeights}));
  std::vector<uint32_t> expertise_of(concepts.size(), UINT32_MAX);  // the last item naming each concept
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t j = r.U32(kExpertiseOffsets, i), end = r.U32(kExpertiseOffsets, i + 1); j < end; ++j) {
      ConceptIndex c;
      PATHLIGHT_RETURN_IF_ERROR(r.ConceptRef(kExpertiseConcepts, j, where(i), "expertise", &c));
      const float w = r.F32(kExpertiseWeights, j);
      if (!std::isfinite(w) || !(w > 0) || w > 1)
        return Status(ErrorCode::kInvalidArgument, source + ": byte " + std::to_string(r.at(kExpertiseWeights, j)) + ": " +
                                                       where(i).str() + ": expertise weight for \"" + concepts[c.value()].id +
                                                       "\": expected a number in (0, 1]");
      if (expertise_of[c.value()] == i)
        return r.Corrupt(r.at(kExpertiseConcepts, j),
                         where(i).str() + ": field \"expertise\" names concept \"" + concepts[c.value()].id + "\" twice");
      expertise_of[c.value()] = i;
      items[i].expertise.emplace_back(c, w);
    }
  r.Drop({kExpertiseOffsets, kExpertiseConcepts, kExpertiseWeights});
  if (r.has_offerings()) PATHLIGHT_RETURN_IF_ERROR(ReadOfferings(r, items, where, source));
  r.Drop({kStringOffsets, kStringData});
  Catalog cat;
  cat.concepts_ = std::move(concepts);
  cat.items_ = std::move(items);
  cat.items_by_id_ = std::move(items_by_id);
  PATHLIGHT_RETURN_IF_ERROR(cat.Index(source));
  return cat;
}

}  // namespace pathlight
