// Embind declarations only; the logic lives in adapters.cpp and the core.
#include <emscripten/bind.h>

#include "adapters.h"

EMSCRIPTEN_BINDINGS(pathlight) {
  using pathlight::wasm::Engine;
  emscripten::class_<Engine>("Engine")
      .constructor<>()
      .function("begin", &Engine::Begin)
      .function("addPart", &Engine::AddPart)
      .function("finish", &Engine::Finish)
      .function("catalogReady", &Engine::CatalogReady)
      .function("files", &Engine::Files)
      .function("catalogFiles", &Engine::CatalogFiles)
      .function("catalogBytes", &Engine::CatalogBytes)
      .function("itemIndices", &Engine::ItemIndices)
      .function("itemIds", &Engine::ItemIds)
      .function("call", &Engine::Call)
      .function("recommend", &Engine::Recommend)
      .function("foldIn", &Engine::FoldIn)
      .function("memory", &Engine::Memory);
}
