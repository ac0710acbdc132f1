#include "adapters.h"

#include <emscripten/heap.h>
#include <emscripten/stack.h>

#include <algorithm>
#include <cmath>
#include <exception>

#include "pathlight/json_limits.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PATHLIGHT_WASM_ASAN_BUILD 1
#include <sanitizer/allocator_interface.h>
#endif
#endif
#ifndef PATHLIGHT_WASM_ASAN_BUILD
#include <malloc.h>
#endif

namespace pathlight::wasm {
namespace {

using emscripten::typed_memory_view;
using emscripten::val;

val Error(const char* code, const std::string& message) {
  val e = val::object();
  e.set("code", code);
  e.set("message", message);
  return e;
}
val Error(const Status& st) { return Error(ErrorCodeName(st.code()), st.message()); }

// Copies a JS typed array into a std::vector with one bulk set() (no per-element crossing).
template <class T>
std::vector<T> CopyIn(const val& array) {
  const size_t n = array["length"].as<size_t>();
  std::vector<T> out(n);
  if (n > 0) val(typed_memory_view(n, out.data())).call<void>("set", array);
  return out;
}

// Copies out: a fresh JS typed array that owns its data (safe across memory growth).
template <class T>
val CopyOut(const T* data, size_t n) {
  return val(typed_memory_view(n, data)).call<val>("slice");
}

}  // namespace

val Engine::Begin(const std::string& manifest_text) {
  pending_.reset();
  pending_error_ = Status::Ok();
  try {
    StatusOr<BundleDecoder> d = BundleDecoder::Begin(manifest_text);
    if (!d.ok()) return Error(d.status());
    pending_.emplace(std::move(d).value());
  } catch (const std::exception& e) {  // defensive: the core reports errors as values
    return Error("corrupt_bundle", std::string("bundle manifest could not be read: ") + e.what());
  }
  return val::null();
}

void Engine::AddPart(const std::string& file, const val& bytes, const std::string& sha256_hex) {
  if (!pending_ || !pending_error_.ok()) return;
  const size_t size = bytes["length"].as<size_t>();
  // The core pulls the bytes it needs straight from the JS array into its own buffers.
  const ByteReader read = [&bytes, size](uint64_t offset, char* out, size_t capacity) -> size_t {
    const size_t n = std::min<size_t>(capacity, size - static_cast<size_t>(offset));
    if (n > 0)
      val(typed_memory_view(n, reinterpret_cast<uint8_t*>(out)))
          .call<void>("set", bytes.call<val>("subarray", static_cast<double>(offset), static_cast<double>(offset + n)));
    return n;
  };
  try {
    pending_->AddPart(file, size, read, sha256_hex);
  } catch (const std::exception& e) {
    pending_error_ = Status(ErrorCode::kCorruptBundle, "bundle part \"" + file + "\" could not be decoded: " + e.what());
  }
}

bool Engine::CatalogReady() const { return pending_ && pending_error_.ok() && pending_->catalog_decoded(); }

std::string Engine::Files() const { return pending_ ? nlohmann::json(pending_->files()).dump() : "[]"; }

std::string Engine::CatalogFiles() const {
  if (!pending_) return R"({"files":[],"changes":false})";
  return nlohmann::json{{"files", pending_->catalog_files()}, {"changes", pending_->has_catalog_changes()}}.dump();
}

val Engine::CatalogBytes() const {
  const Recommender* rec = session_.recommender();
  if (!rec) return Error("invalid_argument", "no bundle is loaded");
  const std::string bytes = rec->catalog().ToBinary();
  return CopyOut(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

val Engine::Finish() {
  if (!pending_) return Error("invalid_argument", "no bundle load was begun");
  BundleDecoder decoder = std::move(*pending_);
  pending_.reset();
  if (!pending_error_.ok()) return Error(pending_error_);
  try {
    StatusOr<Bundle> b = std::move(decoder).Finish();
    if (!b.ok()) return Error(b.status());
    session_.Install(std::move(b).value());
  } catch (const std::exception& e) {  // defensive: the core reports errors as values
    return Error("corrupt_bundle", std::string("bundle could not be decoded: ") + e.what());
  }
  return val::null();
}

val Engine::ItemIndices(const std::string& ids_json) const {
  const Recommender* rec = session_.recommender();
  if (!rec) return Error("invalid_argument", "no bundle is loaded");
  StatusOr<nlohmann::json> ids = ParseBoundedJson(ids_json, "item ids");
  if (!ids.ok()) return Error(ids.status());
  if (!ids->is_array()) return Error("invalid_argument", "item ids must be an array of strings");
  std::vector<int32_t> out(ids->size(), -1);
  for (size_t j = 0; j < out.size(); ++j)
    if (const auto& id = (*ids)[j]; id.is_string())
      if (auto i = rec->catalog().FindItem(id.get_ref<const std::string&>())) out[j] = i->value();
  return CopyOut(out.data(), out.size());
}

std::string Engine::ItemIds(const val& indices) const {
  const Recommender* rec = session_.recommender();
  nlohmann::json out = nlohmann::json::array();
  if (!rec) return out.dump();
  for (int32_t i : CopyIn<int32_t>(indices))
    out.push_back(i >= 0 && i < rec->num_items() ? nlohmann::json(rec->catalog().item(ItemIndex(i)).id) : nlohmann::json());
  return out.dump();
}

std::string Engine::Call(const std::string& request_json) { return session_.CallJson(request_json); }

val Engine::ReadHistory(const val& items, const val& weights, std::vector<WeightedItem>* out) const {
  const Recommender* rec = session_.recommender();
  if (!rec) return Error("invalid_argument", "no bundle is loaded");
  const std::vector<int32_t> idx = CopyIn<int32_t>(items);
  const std::vector<float> w = CopyIn<float>(weights);
  if (idx.size() != w.size()) return Error("invalid_argument", "history items and weights differ in length");
  out->reserve(idx.size());
  for (size_t j = 0; j < idx.size(); ++j) {
    if (idx[j] < 0 || idx[j] >= rec->num_items())
      return Error("unknown_id", "history entry " + std::to_string(j) + " has item index " + std::to_string(idx[j]) +
                                     " outside the catalog (0.." + std::to_string(rec->num_items() - 1) + ")");
    if (!std::isfinite(w[j]) || w[j] <= 0)
      return Error("invalid_argument", "history entry " + std::to_string(j) + " has weight " + std::to_string(w[j]) +
                                           "; expected a finite number > 0");
    out->push_back({idx[j], w[j]});
  }
  return val::null();
}

val Engine::Recommend(const val& items, const val& weights, int k) const {
  std::vector<WeightedItem> history;
  val err = ReadHistory(items, weights, &history);
  if (!err.isNull()) return err;
  if (k < 1 || k > 1000) return Error("invalid_argument", "k must be in 1..1000, got " + std::to_string(k));
  RankOptions opt;
  opt.k = k;
  const Recommender& rec = *session_.recommender();
  const std::vector<ScoredItem> top = rec.Recommend(rec.FoldIn(history), history, opt);
  std::vector<int32_t> idx(top.size());
  std::vector<float> score(top.size());
  for (size_t j = 0; j < top.size(); ++j) {
    idx[j] = top[j].item.value();
    score[j] = top[j].score;
  }
  val o = val::object();
  o.set("indices", CopyOut(idx.data(), idx.size()));
  o.set("scores", CopyOut(score.data(), score.size()));
  return o;
}

val Engine::FoldIn(const val& items, const val& weights) const {
  std::vector<WeightedItem> history;
  val err = ReadHistory(items, weights, &history);
  if (!err.isNull()) return err;
  const Vector x = session_.recommender()->FoldIn(history);
  return CopyOut(x.data(), x.size());
}

val Engine::Memory() const {
  val o = val::object();
  o.set("heapBytes", static_cast<double>(emscripten_get_heap_size()));
#ifdef PATHLIGHT_WASM_ASAN_BUILD
  o.set("allocatedBytes", static_cast<double>(__sanitizer_get_current_allocated_bytes()));
#else
  o.set("allocatedBytes", static_cast<double>(mallinfo().uordblks));
#endif
  o.set("stackPointer", static_cast<double>(emscripten_stack_get_current()));
  return o;
}

}  // namespace pathlight::wasm
