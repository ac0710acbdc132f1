// The one table of limits and validators for everything a bundle or a profile holds. Every writer
// (the importers, the trainer, the bundle builder, profile export) and every reader (the native
// and WebAssembly engines; the page's catalog decoder wasm/catalog.js, whose constants a Node test
// compares with this table through `pathlight limits`) checks these same values, so that whatever
// imports trains into a bundle that loads, and whatever would not load is refused at import.
// docs/csv-schema.md lists them for operators.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pathlight::limits {

// ---- catalog ----------------------------------------------------------------------------
inline constexpr char kCatalogMagic[] = "PLCATLG1";  // the compact catalog part (catalog-v1)
inline constexpr char kCatalogMagicV2[] = "PLCATLG2";  // catalog-v1 + mentors' offerings (catalog-v2)
inline constexpr size_t kCatalogHeaderBytes = 48;     // magic + ten u32 counts
inline constexpr size_t kMaxStringBytes = 64 << 10;   // an id, title, name, currency, language
inline constexpr size_t kMaxListEntries = 4096;       // teaches, requires, prerequisites, languages, expertise
inline constexpr double kMaxPrice = 1e9;              // price ∈ [0, 1e9]
inline constexpr double kMaxHours = 1e6;              // hours ∈ [0, 1e6]
inline constexpr double kMaxCapacity = 1e6;          // capacity ∈ [0, 1e6], an integer
inline constexpr int kMaxSeats = 1000;               // a group offering's seats ∈ [1, 1000]
inline constexpr size_t kMaxOfferings = 16;          // offerings per mentor
inline constexpr double kMinItemRating = 1, kMaxItemRating = 5;  // an item's rating: 0 (unrated) or 1..5
inline constexpr size_t kMaxIdBytes = 1024;           // an item or concept id: what a learner's events can name
inline constexpr int64_t kMaxItems = int64_t{1} << 24;
inline constexpr int64_t kMaxConcepts = int64_t{1} << 20;
inline constexpr int kMaxFactors = 1024;              // k
inline constexpr size_t kMaxManifestBytes = size_t{64} << 20;  // manifest.json (a 1M-item sharded bundle's: under 1 MiB)
inline constexpr size_t kMaxConfigBytes = size_t{1} << 20;     // a settings file (pathlight tune --out)

// ---- interactions and ratings -----------------------------------------------------------
inline constexpr double kMaxWeight = 1e6;             // an interaction weight w ∈ [0, 1e6]
inline constexpr double kMaxRating = 1000;            // any rating scale lies within (0, 1000]

/// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF. Returns the byte
/// offset of the first invalid sequence, or npos when `s` is valid.
inline size_t InvalidUtf8At(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else return i;
    if (n - i < len) return i;
    for (size_t j = 1; j < len; ++j) {
      if ((p[i + j] & 0xC0) != 0x80) return i;
      cp = cp << 6 | (p[i + j] & 0x3F);
    }
    const uint32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}
inline bool ValidUtf8(std::string_view s) { return InvalidUtf8At(s) == std::string_view::npos; }

/// A catalog string: UTF-8 and at most kMaxStringBytes.
inline bool ValidString(std::string_view s) { return s.size() <= kMaxStringBytes && ValidUtf8(s); }
inline bool InRange(double x, double lo, double hi) { return std::isfinite(x) && x >= lo && x <= hi; }
inline bool ValidItemRating(double r) { return r == 0 || InRange(r, kMinItemRating, kMaxItemRating); }
/// Checks one mentor offering (catalog.h, Offering) as every reader and writer does: seats an
/// integer in [1, kMaxSeats] (exactly 1 when `one_to_one`), open seats an integer in [0, seats],
/// the price per seat in [0, kMaxPrice] when known. Returns what is wrong, or null when valid.
inline const char* OfferingError(bool one_to_one, double seats, double open_seats, double price, bool price_known) {
  if (!InRange(seats, 1, kMaxSeats) || seats != std::floor(seats)) return "seats: expected an integer in 1..1000";
  if (one_to_one && seats != 1) return "seats: a one_to_one offering has exactly 1 seat";
  if (!InRange(open_seats, 0, seats) || open_seats != std::floor(open_seats)) return "open seats: expected an integer in 0..seats";
  if (price_known && !InRange(price, 0, kMaxPrice)) return "price per seat: expected a number in [0, 1e9]";
  return nullptr;
}
/// A rating scale [lo, hi] a bundle may declare: 0 < lo < hi ≤ kMaxRating, both finite.
inline bool ValidRatingScale(double lo, double hi) {
  return std::isfinite(lo) && std::isfinite(hi) && lo > 0 && lo < hi && hi <= kMaxRating;
}

}  // namespace pathlight::limits
