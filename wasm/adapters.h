// Adapters between JS values and the core (the middle layer of the binding; see STYLE.md).
// Dense data crosses as typed arrays, copied in bulk; errors cross as {code, message} values,
// never as exceptions. This file may include Emscripten headers; core/ never does.
#pragma once

#include <emscripten/val.h>

#include <memory>
#include <string>

#include "pathlight/api.h"
#include "pathlight/bundle.h"
#include "pathlight/recommender.h"

namespace pathlight::wasm {

/// One engine = one learner session (core/api.h) over the current bundle. JS owns it (delete()).
class Engine {
 public:
  Engine() = default;

  /// Stages one bundle part (file name → bytes) before Load. `bytes` is a Uint8Array, copied once.
  void AddPart(const std::string& file, const emscripten::val& bytes);
  /// Verifies and decodes the staged parts against `manifest_text`. Returns null on success or
  /// {code, message} on failure; on failure the previously loaded bundle (if any) stays in use.
  emscripten::val Load(const std::string& manifest_text);

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
  BundleParts staged_;
  Session session_;
};

}  // namespace pathlight::wasm
