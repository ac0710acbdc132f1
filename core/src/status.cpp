#include "pathlight/status.h"

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

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(ErrorCodeName(code_)) + ": " + message_;
}

}  // namespace pathlight
