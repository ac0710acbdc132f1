#include "pathlight/status.h"

#include <cstdio>

#include "pathlight/limits.h"

namespace pathlight {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kIoError: return "io_error";
    case ErrorCode::kParseError: return "parse_error";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kChecksumMismatch: return "checksum_mismatch";
    case ErrorCode::kUnsupportedVersion: return "unsupported_version";
    case ErrorCode::kCorruptBundle: return "corrupt_bundle";
    case ErrorCode::kCycle: return "prerequisite_cycle";
    case ErrorCode::kUnknownId: return "unknown_id";
    case ErrorCode::kNotFinite: return "not_finite";
    case ErrorCode::kLimitExceeded: return "limit_exceeded";
    case ErrorCode::kDiverged: return "diverged";
  }
  return "unknown";
}

namespace {
// Characters that print as nothing or change the order of the text around them.
bool Invisible(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xAD || cp == 0x61C || cp == 0x180E ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF;
}
}  // namespace

std::string QuoteForMessage(std::string_view value) {
  constexpr size_t kShown = 256;
  std::string out = "\"";
  char esc[16];
  size_t i = 0;
  while (i < value.size() && i < kShown) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x80 && limits::InvalidUtf8At(value.substr(i, 4)) == 0) {  // not the start of a valid sequence
      std::snprintf(esc, sizeof esc, "\\x%02X", c);
      out += esc;
      ++i;
      continue;
    }
    const size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t j = 1; j < len; ++j) cp = cp << 6 | (static_cast<unsigned char>(value[i + j]) & 0x3F);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (Invisible(cp)) {
      std::snprintf(esc, sizeof esc, "\\u%04X", static_cast<unsigned>(cp));
      out += esc;
    } else {
      out.append(value.substr(i, len));
    }
    i += len;
  }
  out += '"';
  if (i < value.size()) out += "… (" + std::to_string(value.size()) + " bytes)";
  return out;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(ErrorCodeName(code_)) + ": " + message_;
}

}  // namespace pathlight
