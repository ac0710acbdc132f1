// Bounded JSON parsing for everything that arrives from outside the device's own code: bundle
// manifests and catalogs, engine requests, imported profiles. nlohmann/json parses iteratively,
// but copying, comparing or dumping a document recurses once per nesting level, so a document
// nested thousands deep would overflow the stack later (the WebAssembly stack is 1 MiB). The
// depth is therefore checked before parsing, and a deeper document is refused with a named error.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/status.h"

namespace pathlight {

/// Nesting limit for external JSON (objects and arrays; a scalar at the top is depth 0).
inline constexpr int kMaxJsonDepth = 64;

/// Deepest nesting of objects and arrays in JSON text, by one pass over the characters (brackets
/// inside strings do not count). For valid JSON it is the parser's depth; for invalid JSON the
/// parser reports the error anyway.
inline int JsonTextDepth(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (const char ch : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > deepest) deepest = depth;
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return deepest;
}

/// What ParseBoundedJson does with a key repeated in one object.
enum class DuplicateKeys {
  kLastWins,  // RFC 8259 leaves it open; nlohmann keeps the last (bundle parts, engine requests)
  kRefuse,    // files an operator edits (settings, search spaces): a repeat would silently replace the
              // first. Not in the engine (its JSON arrives as objects from the page, and the
              // strict parser would cost the WebAssembly package bytes it does not have).
};

/// Parses `text`. Errors: limit_exceeded ("<what>: JSON nested deeper than 64 levels") when the
/// nesting exceeds `max_depth` (checked before parsing, so a hostile document costs one scan);
/// parse_error ("<what> is not valid JSON"; with DuplicateKeys::kRefuse "<what>: malformed JSON:"
/// and nlohmann's message with line and column, or "<what>: key \"a.b\" appears twice in one object …", the path of object
/// keys down to the repeat).
inline StatusOr<nlohmann::json> ParseBoundedJson(std::string_view text, const std::string& what,
                                                 int max_depth = kMaxJsonDepth,
                                                 DuplicateKeys duplicates = DuplicateKeys::kLastWins) {
  if (JsonTextDepth(text) > max_depth)
    return Status(ErrorCode::kLimitExceeded, what + ": JSON nested deeper than " + std::to_string(max_depth) + " levels");
  if (duplicates == DuplicateKeys::kLastWins) {
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return Status(ErrorCode::kParseError, what + " is not valid JSON");
    return doc;
  }
  struct Open {
    std::unordered_set<std::string> keys;  // the keys seen so far in this object
    std::string last;                      // the latest of them (the path to a nested repeat)
    bool is_object;
  };
  std::vector<Open> open;
  std::string repeated;  // the path of the first repeated key
  const nlohmann::json::parser_callback_t check = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start || event == E::array_start) open.push_back({{}, {}, event == E::object_start});
    if (event == E::object_end || event == E::array_end) open.pop_back();
    if (event == E::key && repeated.empty() && !open.empty()) {
      std::string key = parsed.get<std::string>();
      Open& here = open.back();
      if (!here.keys.insert(key).second) {
        for (const Open& o : open)
          if (o.is_object && !o.keys.empty() && &o != &here) repeated += o.last + ".";
        repeated += key;
      }
      here.last = std::move(key);
    }
    return true;
  };
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text, check);
  } catch (const nlohmann::json::exception& e) {  // its message says where: "at line L, column C"
    return Status(ErrorCode::kParseError, what + ": malformed JSON: " + e.what());
  }
  if (!repeated.empty())
    return Status(ErrorCode::kParseError, what + ": key \"" + repeated +
                                              "\" appears twice in one object (which one is meant is unclear; keep one)");
  return doc;
}

}  // namespace pathlight
