// Error values for user-facing failures (bad files, hostile bundles, unknown ids).
// Internal invariants are asserts; anything a user or a downloaded file can cause is a Status.
// At the JS boundary a Status becomes a PathlightError whose `.code` is ErrorCodeName(code).
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace pathlight {

/// Stable error codes. Their names (ErrorCodeName) are part of the public JS contract.
enum class ErrorCode {
  kOk = 0,
  kIoError,             // "io_error": a file could not be opened or read
  kParseError,          // "parse_error": a file is malformed (names file, line, column)
  kInvalidArgument,     // "invalid_argument": a caller passed an impossible value
  kChecksumMismatch,    // "checksum_mismatch": a bundle part's SHA-256 differs from the manifest
  kUnsupportedVersion,  // "unsupported_version": unknown bundle / profile format version
  kCorruptBundle,       // "corrupt_bundle": sizes, shapes or references in a bundle disagree
  kCycle,               // "prerequisite_cycle": the concept graph is not a DAG (names the cycle)
  kUnknownId,           // "unknown_id": an item or concept id is not in the catalog
  kNotFinite,           // "not_finite": a NaN or infinite number where a finite one is required
  kLimitExceeded,       // "limit_exceeded": a size or count exceeds a documented limit
  kDiverged,            // "diverged": training produced non-finite factors (raise λ)
};

/// Stable snake_case name of a code ("ok", "io_error", ...).
const char* ErrorCodeName(ErrorCode code);

/// A value from the input (an id, a field) as an error message quotes it, so that the reader sees
/// what is there: in double quotes; '"' and '\\' escaped; control characters (U+0000–U+001F,
/// U+007F–U+009F) and characters that print as nothing or reorder text (U+00AD, U+061C,
/// U+180E, U+200B–U+200F, U+2028–U+202E, U+2060–U+2064, U+2066–U+206F, U+FEFF) written as \uXXXX;
/// a byte that is not part of valid UTF-8 written as \xHH. A value longer than 256 bytes is cut at
/// a character boundary and ends in "…" with its length in bytes. Example: "c-python\u200b".
std::string QuoteForMessage(std::string_view value);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status Ok() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  /// "code: message", for logs and CLI output.
  std::string ToString() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

/// Either a value or a non-OK Status (draco's StatusOr, minimal).
template <class T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(Status status) : data_(std::move(status)) { assert(!std::get<Status>(data_).ok()); }
  StatusOr(T value) : data_(std::move(value)) {}

  bool ok() const { return std::holds_alternative<T>(data_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(data_);
  }
  const T& value() const& { assert(ok()); return std::get<T>(data_); }
  T& value() & { assert(ok()); return std::get<T>(data_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(data_)); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<Status, T> data_;
};

}  // namespace pathlight

#define PATHLIGHT_RETURN_IF_ERROR(expr)      \
  do {                                       \
    ::pathlight::Status _st = (expr);        \
    if (!_st.ok()) return _st;               \
  } while (0)

#define PATHLIGHT_CONCAT_INNER(a, b) a##b
#define PATHLIGHT_CONCAT(a, b) PATHLIGHT_CONCAT_INNER(a, b)
#define PATHLIGHT_ASSIGN_OR_RETURN(lhs, expr) \
  PATHLIGHT_ASSIGN_OR_RETURN_IMPL(PATHLIGHT_CONCAT(_so_, __LINE__), lhs, expr)
#define PATHLIGHT_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                    \
  if (!tmp.ok()) return tmp.status();                   \
  lhs = std::move(tmp).value()
