// The catalog (items of every kind, mentors included) and the knowledge graph of concepts with
// prerequisite edges. Loaded from JSON (schema: docs/bundle-format.md, "catalog.json") and
// validated: unique ids, known references, non-negative prices, finite numbers, and a
// prerequisite graph that is a DAG (a cycle is a kCycle error naming the concepts in it).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "pathlight/status.h"
#include "pathlight/types.h"

namespace pathlight {

enum class ItemKind : uint8_t { kCourse, kEbook, kConsultation, kMembership, kMentor };
enum class Level : uint8_t { kBeginner, kIntermediate, kAdvanced, kAll };
/// How a mentor offering is given: one mentor with one learner, or one mentor with a group of
/// learners who each pay for a seat (小组辅导).
enum class OfferingFormat : uint8_t { kOneToOne, kGroup };

/// "course", "ebook", "consultation", "membership", "mentor".
const char* ItemKindName(ItemKind kind);
std::optional<ItemKind> ParseItemKind(std::string_view name);
/// "beginner", "intermediate", "advanced", "all".
const char* LevelName(Level level);
std::optional<Level> ParseLevel(std::string_view name);
/// "one_to_one", "group".
const char* OfferingFormatName(OfferingFormat format);
std::optional<OfferingFormat> ParseOfferingFormat(std::string_view name);

/// What an item's `price` is quoted per (docs/csv-schema.md, `price`): once for courses and
/// e-books, per hour for consultations and mentors, per month for memberships. The one place
/// this rule lives in the product: PriceToTake and the bundle's `info.priceUnits` (what the app
/// and the widget print beside a price) read it; the truth audit recomputes it on its own.
enum class PriceUnit : uint8_t { kOnce, kHour, kMonth };
PriceUnit PriceUnitOf(ItemKind kind);
/// "once", "hour", "month".
const char* PriceUnitName(PriceUnit unit);

/// One way a mentor can be booked (catalog JSON: an entry of a mentor's "offerings"). Limits and
/// their check: limits::OfferingError (shared by every reader and writer).
struct Offering {
  double price_per_seat = 0;  // ≥ 0, in the mentor's currency: per session for one_to_one, per seat for group
  int32_t seats = 1;          // group size, 1..limits::kMaxSeats; exactly 1 for one_to_one
  int32_t open_seats = 0;     // seats still free, 0..seats (0: full — never offered as available)
  OfferingFormat format = OfferingFormat::kOneToOne;
  bool price_known = false;   // false when the source has no price (JSON: "price_per_seat" absent)
  bool operator==(const Offering& o) const {
    return price_per_seat == o.price_per_seat && seats == o.seats && open_seats == o.open_seats &&
           format == o.format && price_known == o.price_known;
  }
};

struct Concept {
  std::string id;        // stable slug, unique among concepts
  std::string name;      // display name (English)
  std::string name_zh;   // display name (Simplified Chinese), may be empty
  std::vector<ConceptIndex> prerequisites;  // direct prerequisites (edges prerequisite → this)
};

// Fields ordered by size (no padding: 128 bytes in wasm32), since a catalog holds 100,000s of them.
struct Item {
  std::string id;           // stable id, unique among items (≤ 2^31 items)
  std::string title;
  std::string currency = "USD";  // ISO 4217
  std::string language = "en";   // BCP-47
  std::vector<ConceptIndex> teaches;
  std::vector<ConceptIndex> requires_concepts;
  std::vector<std::string> languages;
  std::vector<std::pair<ConceptIndex, float>> expertise;  // weight in (0, 1]
  std::vector<Offering> offerings;  // mentors only, ≤ limits::kMaxOfferings; empty: see MentorOfferings
  double price = 0;         // ≥ 0, in `currency`, per PriceUnitOf(kind): once, per hour (mentors, consultations) or per month
  double hours = 0;         // ≥ 0; course length, or session length for mentors/consultations
  double rating = 0;        // 0 (unrated) or 1..5
  int32_t capacity = 0;     // open slots, ≥ 0
  ItemKind kind = ItemKind::kCourse;
  Level level = Level::kAll;
  bool price_known = false; // false when the source has no price (JSON: "price" absent)
};

/// What taking `item` once costs the learner, in its `currency` (PriceUnitOf gives what `price` is
/// per): a course's or an e-book's price; a consultation's or a mentor's session, its price per
/// hour × `hours` (the session's length); a membership's month. nullopt when that is unknown: no
/// price, or a session whose length is not given (hours 0). Budgets (`maxPrice`, a profile's
/// budget), path totals and a mentor's one-to-one booking all use this.
std::optional<double> PriceToTake(const Item& item);

/// The offerings a mentor can be booked by: its `offerings` when the catalog lists any, else the
/// one it has always had — one-to-one at PriceToTake (its price per hour × the session's hours;
/// unknown without either), one seat, open when `capacity` > 0. Empty for an item that is not a
/// mentor.
std::vector<Offering> MentorOfferings(const Item& item);

/// Reads up to `capacity` bytes of a text or a file, starting at byte `offset`, into `buffer`;
/// returns how many it wrote (0 only at the end). Lets a reader pull a large input in windows.
using ByteReader = std::function<size_t(uint64_t offset, char* buffer, size_t capacity)>;
/// A ByteReader over bytes in memory (which must outlive it).
ByteReader MemoryReader(std::string_view bytes);

/// Concepts + items with id lookup. Immutable after Parse.
class Catalog {
 public:
  /// Parses and validates catalog JSON (object with "concepts" and "items").
  /// `source` names the input in error messages (a file name or a bundle part name).
  static StatusOr<Catalog> FromJson(const nlohmann::json& doc, const std::string& source);
  /// Errors: limit_exceeded (nesting deeper than kMaxJsonDepth, strings over 64 KiB, lists over
  /// 4096 entries), parse_error (not JSON, wrong types), unknown_id, invalid_argument, kCycle.
  static StatusOr<Catalog> Parse(std::string_view text, const std::string& source);
  /// Parse, pulling the `size`-byte text through `read` in 1 MiB windows and building a small DOM
  /// per concept and item instead of one for the whole document (a DOM costs about ten times the
  /// text's bytes; the WebAssembly engine never holds more than one window of a bundle's catalog).
  /// Same checks, errors and messages as Parse. `expected_items` reserves room for that many items.
  static StatusOr<Catalog> ParseStream(const ByteReader& read, uint64_t size, const std::string& source,
                                       size_t expected_items = 0);
  /// Serializes back to the same schema (round-trips through FromJson).
  nlohmann::json ToJson() const;

  /// The bundle's compact catalog part ("catalog.bin", dtype "catalog-v1"; docs/bundle-format.md):
  /// the 8 bytes "PLCATLG1", ten little-endian u32 counts, then fixed-width columns (string
  /// indices, concept indices, u8 kind/level, f64 price/hours/rating, f32 expertise weights), each
  /// 8-byte aligned, and a string table holding every distinct string once, sorted by bytes.
  /// Deterministic: the same catalog always gives the same bytes. ParseBinary(ToBinary()) equals
  /// the catalog.
  std::string ToBinary() const;
  /// Reads ToBinary's bytes with every check of the JSON reader (limits of 64 KiB per string and
  /// 4096 entries per list, number ranges, unique ids, a prerequisite DAG) plus the layout's:
  /// counts against the part's size, offsets in order, string and concept indices in range, UTF-8,
  /// a sorted string table (which gives the items' order by id without comparing text).
  /// Errors name `source`, the byte offset and the record: parse_error (not this format; invalid
  /// UTF-8), corrupt_bundle (layout, strings out of order, dangling index), limit_exceeded, not_finite,
  /// invalid_argument (a value out of range, a duplicate id), prerequisite_cycle.
  static StatusOr<Catalog> ParseBinary(std::string_view bytes, const std::string& source);
  /// ParseBinary pulling `size` bytes through `read`, one section at a time: besides the catalog it
  /// builds, it holds the string table and a few columns, never the whole part. `expected_items` /
  /// `expected_concepts` (≥ 0: a bundle manifest's counts) are compared with the header's before
  /// anything is allocated for the records (corrupt_bundle when they differ).
  static StatusOr<Catalog> ParseBinaryStream(const ByteReader& read, uint64_t size, const std::string& source,
                                             int64_t expected_items = -1, int64_t expected_concepts = -1);

  int32_t num_items() const { return static_cast<int32_t>(items_.size()); }
  int32_t num_concepts() const { return static_cast<int32_t>(concepts_.size()); }
  const Item& item(ItemIndex i) const { return items_[i.value()]; }
  const Concept& concept_at(ConceptIndex c) const { return concepts_[c.value()]; }
  const std::vector<Item>& items() const { return items_; }
  const std::vector<Concept>& concepts() const { return concepts_; }
  std::optional<ItemIndex> FindItem(std::string_view id) const;
  std::optional<ConceptIndex> FindConcept(std::string_view id) const;

  /// Concepts in a topological order of the prerequisite DAG (prerequisites first; ties by index).
  const std::vector<ConceptIndex>& topological_order() const { return topo_; }
  /// All concepts that must be known before `targets` (transitively), excluding the targets
  /// themselves unless one is a prerequisite of another. Sorted in topological order.
  std::vector<ConceptIndex> PrerequisiteClosure(const std::vector<ConceptIndex>& targets) const;

  /// Builds a catalog from already-validated parts (importers); validates like FromJson.
  static StatusOr<Catalog> Build(std::vector<Concept> concepts, std::vector<Item> items,
                                 const std::string& source);

 private:
  Status Index(const std::string& source);
  std::vector<Concept> concepts_;
  std::vector<Item> items_;
  std::unordered_map<std::string, int32_t> concept_by_id_;
  std::vector<int32_t> items_by_id_;  // item indices sorted by id (then index), for FindItem
  std::vector<ConceptIndex> topo_;
};

/// Topological order of a graph given as direct-predecessor lists (node → its prerequisites).
/// Kahn's algorithm, smallest index first among ready nodes. On a cycle returns kCycle whose
/// message lists one cycle's nodes by `names` ("a → b → c → a").
StatusOr<std::vector<int32_t>> TopologicalOrder(const std::vector<std::vector<int32_t>>& prerequisites,
                                                const std::vector<std::string>& names);

}  // namespace pathlight
