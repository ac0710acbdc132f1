// Bounded JSON parsing for everything that arrives from outside the device's own code: bundle
// manifests and catalogs, engine requests, imported profiles. nlohmann/json parses iteratively,
// but copying, comparing or dumping a document recurses once per nesting level, so a document
// nested thousands deep would overflow the stack later (the WebAssembly stack is 1 MiB). The
// depth is therefore checked before parsing, and a deeper document is refused with a named error.
#pragma once

#include <string>
#include <string_view>

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

/// Parses `text`. Errors: limit_exceeded ("<what>: JSON nested deeper than 64 levels") when the
/// nesting exceeds `max_depth` (checked before parsing, so a hostile document costs one scan);
/// parse_error ("<what> is not valid JSON") otherwise.
inline StatusOr<nlohmann::json> ParseBoundedJson(std::string_view text, const std::string& what,
                                                 int max_depth = kMaxJsonDepth) {
  if (JsonTextDepth(text) > max_depth)
    return Status(ErrorCode::kLimitExceeded, what + ": JSON nested deeper than " + std::to_string(max_depth) + " levels");
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status(ErrorCode::kParseError, what + " is not valid JSON");
  return doc;
}

}  // namespace pathlight
