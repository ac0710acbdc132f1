// Adapters between JS values and the core (the middle layer of the binding; see STYLE.md).
// Dense data crosses as typed arrays, copied in bulk; errors cross as {code, message} values,
// never as exceptions. This file may include Emscripten headers; core/ never does.
#pragma once

#include <emscripten/val.h>

#include <memory>
#include <optional>
#include <string>

#include "pathlight/api.h"
#include "pathlight/bundle.h"
#include "pathlight/recommender.h"

namespace pathlight::wasm {

/// One engine = one learner session (core/api.h) over the current bundle. JS owns it (delete()).
class Engine {
 public:
  Engine() = default;

  /// Loading a bundle, one part at a time (core BundleDecoder): Begin with the manifest text, then
  /// AddPart for each part file as it arrives, then Finish. AddPart verifies the part's size and
  /// SHA-256 and decodes it at once, copying from the Uint8Array straight into the core's buffers
  /// (the item factors once, into the table that keeps them; the catalog in 1 MiB windows), so the
  /// WASM heap never holds a copy of the bundle beside what the engine keeps. Begin and Finish return null or
  /// {code, message}; on any failure the previously loaded bundle (if any) stays in use. A new
  /// Begin drops a load that was not finished.
  emscripten::val Begin(const std::string& manifest_text);
  /// `sha256_hex`: the bytes' SHA-256 when the host computed it (WebCrypto), else "" (hashed here).
  void AddPart(const std::string& file, const emscripten::val& bytes, const std::string& sha256_hex);
  emscripten::val Finish();
  /// During a load: true once the catalog part is verified and decoded (BundleDecoder::catalog_decoded).
  bool CatalogReady() const;
  /// During a load (after Begin): the files to fetch, as a JSON array text (BundleDecoder::files:
  /// plain part files, or a sharded part's content-addressed shards), and the files whose bytes,
  /// concatenated, are the catalog part ({"files": […], "changes": bool}: with changes the
  /// catalog is the part plus them, and CatalogBytes gives it after Finish).
  std::string Files() const;
  std::string CatalogFiles() const;
  /// The loaded bundle's catalog in the compact layout (Catalog::ToBinary), a fresh Uint8Array:
  /// for an updated bundle, whose catalog is its catalog part plus changes.
  emscripten::val CatalogBytes() const;

  /// Item ids → dense indices, -1 for an id the catalog does not have. `ids_json` is a JSON array
  /// of strings (one crossing for the whole list); returns an Int32Array.
  emscripten::val ItemIndices(const std::string& ids_json) const;
  /// Dense indices (Int32Array) → their item ids as a JSON array text.
  std::string ItemIds(const emscripten::val& indices) const;

  /// One session request (docs/API.md): `request_json` = {"method", "params"}; returns the
  /// response JSON text {"result"} or {"error": {code, message}}.
  std::string Call(const std::string& request_json);

  /// Stateless scoring of an explicit history (no session learner): fold-in of
  /// (Int32Array item indices, Float32Array weights w > 0), then top-k excluding the history.
  /// Returns {indices: Int32Array, scores: Float32Array} or {code, message}.
  emscripten::val Recommend(const emscripten::val& items, const emscripten::val& weights, int k) const;
  /// Fold-in only: the learner's factors as a Float32Array of length k.
  emscripten::val FoldIn(const emscripten::val& items, const emscripten::val& weights) const;
  /// Memory figures for stability tests: {heapBytes (size of the wasm memory), allocatedBytes
  /// (bytes in use by malloc), stackPointer (at this call's entry: equal between top-level calls
  /// unless something leaked stack)}.
  emscripten::val Memory() const;

 private:
  emscripten::val ReadHistory(const emscripten::val& items, const emscripten::val& weights,
                              std::vector<WeightedItem>* out) const;
  std::optional<BundleDecoder> pending_;  // a load between Begin and Finish
  Status pending_error_;                  // an exception while decoding a part (reported by Finish)
  Session session_;
};

}  // namespace pathlight::wasm
