// The round trip of issue 16 ("write what you read"): random CSV catalogs and interactions →
// import → train → bundle → load. The input bytes drive a generator of CSV files that are mostly
// well-formed (so that most inputs reach training) with hostile values mixed in: invalid UTF-8,
// control characters, huge and negative numbers, repeated ids, edges and list entries, weight 0,
// long lists and strings. The property: the importer either refuses with a named error (file and
// line) or returns a dataset that trains into a bundle that encodes, decodes and loads (native
// here; in WebAssembly through tests/node/roundtrip.test.mjs over the bundles written to
// PATHLIGHT_ROUNDTRIP_OUT). Used by fuzz/targets/csv_roundtrip_fuzzer.cpp and
// tests/write_what_you_read_test.cpp.
#pragma once

#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "pathlight/bundle.h"
#include "pathlight/recommender.h"
#include "pathlight/trainer/dataset.h"
#include "pathlight/trainer/evaluate.h"

namespace pathlight::fuzz {

/// Deterministic byte source over the input (zeros once it runs out).
class ByteSource {
 public:
  ByteSource(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte() { return at_ < size_ ? data_[at_++] : 0; }
  uint32_t Below(uint32_t n) { return n == 0 ? 0 : (static_cast<uint32_t>(Byte()) << 8 | Byte()) % n; }
  bool Chance(int in_256) { return Byte() < in_256; }
  /// Hostile values come with this weight (0: a clean input); set from the input's first byte.
  uint32_t hostility = 0;

 private:
  const uint8_t* data_;
  size_t size_, at_ = 0;
};

/// A field value: mostly a plain token, sometimes hostile bytes.
inline std::string Text(ByteSource& in, const std::string& plain) {
  if (in.hostility == 0) return plain;
  switch (in.Below(6 + 2000 / in.hostility)) {
    case 0: return plain + "\xC3";                 // truncated UTF-8
    case 1: return plain + "\xFF\xFE";             // never UTF-8
    case 2: return "\xED\xA0\x80" + plain;         // a surrogate
    case 3: return plain + "\xE6\x95\xB0\xE6\x8D\xAE";  // 数据: valid
    case 4: return std::string(1 + in.Below(3), '\x01') + plain;  // control characters
    case 5: return "";
    default: return plain;
  }
}
inline std::string Number(ByteSource& in, double typical) {
  if (in.hostility == 0) return std::to_string(typical);
  switch (in.Below(6 + 2000 / in.hostility)) {
    case 0: return "-1";
    case 1: return "1e10";
    case 2: return "nan";
    case 3: return "2000000";
    case 4: return "0";
    case 5: return "";
    default: return std::to_string(typical);
  }
}

struct RoundTripFiles {
  std::string concepts, edges, items, interactions;
};

inline RoundTripFiles GenerateCsv(ByteSource& in) {
  RoundTripFiles f;
  const uint8_t h = in.Byte();
  in.hostility = h < 128 ? 0 : h - 127;  // half the inputs clean, the others up to 1 hostile value in 22
  const uint32_t n_concepts = 1 + in.Below(8), n_items = 1 + in.Below(12), n_users = 1 + in.Below(10);
  auto concept_id = [&](uint32_t c) { return "k" + std::to_string(c); };
  f.concepts = "id,name,name_zh\n";
  for (uint32_t c = 0; c < n_concepts + (in.hostility > 0 && in.Chance(20) ? 1 : 0); ++c)  // sometimes a repeated id
    f.concepts += (c < n_concepts ? concept_id(c) : concept_id(0)) + "," + Text(in, "Concept " + std::to_string(c)) + ",\n";

  f.edges = "prerequisite,concept\n";
  for (uint32_t e = in.Below(2 * n_concepts); e > 0; --e) {
    const uint32_t a = in.Below(n_concepts), b = in.Below(n_concepts);
    // Forward edges (a DAG), a repeat now and then; with hostility sometimes a self-loop.
    const uint32_t lo = std::min(a, b), hi = std::max(a, b);
    if (lo == hi && !(in.hostility > 0 && in.Chance(16))) continue;
    f.edges += concept_id(lo) + "," + concept_id(hi) + "\n";
  }
  const char* kinds[] = {"course", "ebook", "consultation", "membership", "mentor"};
  f.items = "id,kind,title,price,currency,level,language,hours,teaches,requires,expertise,rating,capacity,languages,offerings\n";
  for (uint32_t i = 0; i < n_items; ++i) {
    const bool mentor = in.Chance(40);
    std::string teaches, requires_c, expertise;
    for (uint32_t t = in.Below(3); t > 0; --t) teaches += (teaches.empty() ? "" : "|") + concept_id(in.Below(n_concepts));
    for (uint32_t t = in.Below(2); t > 0; --t) requires_c += (requires_c.empty() ? "" : "|") + concept_id(in.Below(n_concepts));
    if (mentor) expertise = concept_id(in.Below(n_concepts)) + ":" + (in.hostility > 0 && in.Chance(20) ? "1.5" : "0.5");
    if (in.hostility > 0 && in.Chance(4)) teaches = std::string(5000, 'x');  // an unknown concept far over the limits
    // Group mentoring: mentors' offerings (format:seats:open_seats:price_per_seat); with hostility
    // now and then more open seats than seats, or a one-to-one of two seats (refused at import).
    std::string offerings;
    if (mentor && in.Chance(2)) {
      const uint32_t seats = 2 + in.Below(9), open = in.Below(seats + 1);
      offerings = "one_to_one:1:" + std::to_string(in.Below(2)) + ":" + Number(in, 80) + "|group:" + std::to_string(seats) + ":" +
                  std::to_string(in.hostility > 0 && in.Chance(16) ? seats + 1 : open) + ":" + (in.Chance(4) ? "" : Number(in, 25));
      if (in.hostility > 0 && in.Chance(16)) offerings = "one_to_one:2:1:80";
    }
    f.items += Text(in, "i" + std::to_string(i)) + "," + (mentor ? "mentor" : kinds[in.Below(4)]) + ",\"" +
               Text(in, "Title " + std::to_string(i % 5) + " data python") + "\"," + Number(in, 10.0 * i) + ",USD," +
               (in.hostility > 0 && in.Chance(8) ? "expert" : "") + "," + Text(in, i % 2 ? "en" : "zh") + "," + Number(in, 3) + "," + teaches +
               "," + requires_c + "," + expertise + "," + (mentor ? Number(in, 4.5) : "") + "," +
               (mentor ? Number(in, 2) : "") + "," + (mentor ? "en|es" : "") + "," + offerings + "\n";
  }
  f.interactions = "user,item,weight,timestamp\n";
  for (uint32_t r = 1 + in.Below(3 * n_items + n_users); r > 0; --r)
    f.interactions += Text(in, "u" + std::to_string(in.Below(n_users))) + ",i" + std::to_string(in.Below(n_items)) + "," +
                      (in.Chance(30) ? "0" : Number(in, 1 + in.Below(3))) + "," + std::to_string(1700000000 + r) + "\n";
  return f;
}

/// Outcome of one round trip: what the property checker saw.
struct RoundTripResult {
  bool imported = false, trained = false;
  Status error;  // the importer's (or trainer's) named error when not imported / trained
};

/// Writes the files to `dir`, imports, trains a small ALS, encodes, decodes and loads the bundle.
/// Aborts through `check` on a broken property: an import error without "file" and "line", or an
/// imported dataset whose bundle does not encode, decode or load. `out_dir` (may be empty): where
/// to write the bundle for the WebAssembly check.
template <class Check>
RoundTripResult RoundTrip(const RoundTripFiles& f, const std::filesystem::path& dir, const std::string& out_dir,
                          Check&& check) {
  auto write = [&](const char* name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary | std::ios::trunc) << text;
  };
  write("concepts.csv", f.concepts);
  write("edges.csv", f.edges);
  write("items.csv", f.items);
  write("interactions.csv", f.interactions);
  RoundTripResult r;
  StatusOr<trainer::Dataset> ds = trainer::LoadCsvDataset(dir.string());
  if (!ds.ok()) {
    r.error = ds.status();
    const std::string& m = ds.status().message();
    // A refusal names its file (and, for a row's problem, its line): never a bare error.
    check(m.find(".csv") != std::string::npos, "an import error names its file", m);
    return r;
  }
  r.imported = true;
  // The catalog the importer accepted is one the bundle's reader accepts.
  StatusOr<Catalog> back = Catalog::ParseBinary(ds->catalog.ToBinary(), "roundtrip");
  check(back.ok(), "the imported catalog loads", back.ok() ? "" : back.status().ToString());
  if (ds->train.empty()) return r;
  trainer::ModelOptions o;
  o.als.factors = 2;
  o.als.iterations = 2;
  o.als.threads = 1;
  StatusOr<trainer::ModelBundle> mb = trainer::TrainBundle(*ds, o, FactorEncoding::kF32);
  check(mb.ok(), "an imported dataset trains", mb.ok() ? "" : mb.status().ToString());
  if (!mb.ok()) return r;
  r.trained = true;
  std::string manifest;
  StatusOr<BundleParts> parts = EncodeBundle(mb->bundle, &manifest);
  check(parts.ok(), "its bundle encodes", parts.ok() ? "" : parts.status().ToString());
  if (!parts.ok()) return r;
  StatusOr<Bundle> loaded = DecodeBundle(manifest, *parts);
  check(loaded.ok(), "its bundle loads", loaded.ok() ? "" : loaded.status().ToString());
  if (!loaded.ok()) return r;
  const Recommender rec(std::move(loaded).value());
  check(rec.num_items() == ds->catalog.num_items(), "the loaded bundle has every item", "");
  if (!out_dir.empty()) {  // every 16th trained bundle, in 64 folders reused in turn
    static int serial = 0;
    if (serial % 16 == 0) (void)WriteBundleDir(mb->bundle, out_dir + "/" + std::to_string(serial / 16 % 64));
    ++serial;
  }
  return r;
}

}  // namespace pathlight::fuzz
