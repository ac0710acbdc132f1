// Helpers shared by the libFuzzer harnesses in fuzz/targets/. Native only (reads the project's
// demo catalog from the source tree, writes importer inputs to a private temporary folder).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/bundle.h"
#include "pathlight/json_limits.h"
#include "pathlight/sha256.h"

namespace pathlight::fuzz {

/// Fails the run loudly (libFuzzer records a crash) when a property does not hold.
#define PATHLIGHT_FUZZ_CHECK(cond)                                                         \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond);     \
      std::abort();                                                                        \
    }                                                                                      \
  } while (0)

/// Record separator between the files of one importer input (ASCII RS, 0x1E). Seeds are made by
/// joining fixture files with it (fuzz/make-seeds.mjs); the fuzzer mutates across files freely.
inline constexpr char kFileSeparator = '\x1e';

/// Splits `data` on kFileSeparator into exactly `n` pieces (missing ones empty, extra joined
/// into the last one).
inline std::vector<std::string_view> SplitFiles(std::string_view data, size_t n) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < n) {
    const size_t at = data.find(kFileSeparator);
    if (at == std::string_view::npos) break;
    out.push_back(data.substr(0, at));
    data.remove_prefix(at + 1);
  }
  out.push_back(data);
  out.resize(n);
  return out;
}

/// A private scratch folder for this fuzzer process, emptied on every call.
inline std::filesystem::path ScratchDir(const char* name) {
  static const std::filesystem::path base =
      std::filesystem::temp_directory_path() / ("pathlight-fuzz-" + std::string(name) + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(base);
  std::filesystem::create_directories(base);
  return base;
}

inline void WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// The bundle container a bundle fuzz input is decoded from:
///   byte 0        flags; bit 0 = re-sign: before decoding, rewrite every part's "bytes" and
///                 "sha256" in the manifest to match the part data, so mutations reach the part
///                 decoders behind the checksum (bit 0 clear exercises the checks themselves)
///   then records  u32 LE name length, name, u32 LE data length, data — the first record is
///                 manifest.json, the others are part files by name.
/// Short or inconsistent records end the container (whatever was read so far is used).
struct BundleInput {
  bool resign = false;
  std::string manifest;
  BundleParts parts;
};

inline BundleInput DecodeContainer(const uint8_t* data, size_t size) {
  BundleInput in;
  if (size == 0) return in;
  in.resign = data[0] & 1;
  size_t at = 1;
  auto u32 = [&](uint32_t* v) {
    if (size - at < 4) return false;
    *v = uint32_t(data[at]) | uint32_t(data[at + 1]) << 8 | uint32_t(data[at + 2]) << 16 | uint32_t(data[at + 3]) << 24;
    at += 4;
    return true;
  };
  bool first = true;
  while (at < size) {
    uint32_t name_len, data_len;
    if (!u32(&name_len) || name_len > size - at) break;
    std::string name(reinterpret_cast<const char*>(data + at), name_len);
    at += name_len;
    if (!u32(&data_len) || data_len > size - at) break;
    std::string bytes(reinterpret_cast<const char*>(data + at), data_len);
    at += data_len;
    if (first) in.manifest = std::move(bytes);
    else in.parts[name] = std::move(bytes);
    first = false;
  }
  return in;
}

/// Rewrites "bytes" and "sha256" of every part whose file is present (re-sign mode).
inline void Resign(BundleInput* in) {
  if (JsonTextDepth(in->manifest) > kMaxJsonDepth) return;  // the reader refuses it anyway
  nlohmann::json m = nlohmann::json::parse(in->manifest, nullptr, /*allow_exceptions=*/false);
  if (!m.is_object() || !m.contains("parts") || !m["parts"].is_object()) return;
  for (auto& [name, entry] : m["parts"].items()) {
    if (!entry.is_object() || !entry.contains("file") || !entry["file"].is_string()) continue;
    auto p = in->parts.find(entry["file"].get<std::string>());
    if (p == in->parts.end()) continue;
    entry["bytes"] = p->second.size();
    entry["sha256"] = Sha256Hex(p->second);
  }
  in->manifest = m.dump();
}

/// The project's demo catalog (data/demo/catalog.json) with seeded random factors (k = 8):
/// a small, valid bundle for harnesses that drive the engine rather than the reader.
inline Bundle DemoBundle() {
  const std::string text = ReadFile(std::string(PATHLIGHT_SOURCE_DIR) + "/data/demo/catalog.json");
  StatusOr<Catalog> cat = Catalog::Parse(text, "data/demo/catalog.json");
  if (!cat.ok()) {
    std::fprintf(stderr, "demo catalog: %s\n", cat.status().ToString().c_str());
    std::abort();
  }
  RowMatrix y(cat->num_items(), 8);
  uint64_t s = 0x9e3779b97f4a7c15ull;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    y.data()[i] = static_cast<float>(static_cast<int32_t>(s >> 40) % 1000) / 2000.f;
  }
  ModelInfo info;
  info.dataset = "demo";
  info.regularization = 1.f;
  info.alpha = 10.f;
  StatusOr<Bundle> b = AssembleBundle(std::move(cat).value(), y, Vector(), info, FactorEncoding::kF32);
  if (!b.ok()) std::abort();
  for (Eigen::Index i = 0; i < b->item_popularity.size(); ++i) b->item_popularity[i] = float((i * 37) % 101) / 100.f;
  return std::move(b).value();
}

}  // namespace pathlight::fuzz
