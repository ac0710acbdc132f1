// Embind declarations only; the logic lives in adapters.cpp and the core.
#include <emscripten/bind.h>

#include "adapters.h"

EMSCRIPTEN_BINDINGS(pathlight) {
  using pathlight::wasm::Engine;
  emscripten::class_<Engine>("Engine")
      .constructor<>()
      .function("addPart", &Engine::AddPart)
      .function("load", &Engine::Load)
      .function("call", &Engine::Call)
      .function("recommend", &Engine::Recommend)
      .function("foldIn", &Engine::FoldIn)
      .function("memory", &Engine::Memory);
}
