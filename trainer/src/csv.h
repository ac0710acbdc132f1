// Thin wrapper over fast-cpp-csv-parser (Debian libfccp-dev): its exceptions, which already name
// the file, line and column, become Status values.
#pragma once

#include <libfccp/csv.h>

#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

#include "pathlight/status.h"

namespace pathlight::trainer {

template <int N>
using TsvReader = io::CSVReader<N, io::trim_chars<' ', '\r'>, io::no_quote_escape<'\t'>>;
template <int N>
using CsvReader = io::CSVReader<N, io::trim_chars<' ', '\r'>, io::double_quote_escape<',', '"'>>;

/// Bytes a text file cannot hold, found by one pass over the file before the reader runs; an
/// error names the line and the byte of the line (1-based):
/// - a NUL: fccp reads lines as C strings, so one would silently end its line there (the rest of
///   the line dropped);
/// - a carriage return not followed by a line feed: lines end in LF or CRLF. A file with classic
///   Mac line endings (CR only) read as one long line, and the reader then blamed its header
///   ("Extra column \"name_zhpython\"").
/// A file that cannot be opened is left to the reader; a gzip file (".gz", read through a
/// decompressing source: Junyi's) is not text here and is skipped.
inline Status CheckTextBytes(const std::string& path) {
  if (path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0) return Status::Ok();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Ok();
  char buf[1 << 16];
  uint64_t line = 1, line_start = 0, offset = 0;
  bool after_cr = false;  // the byte before was a CR (it may end the previous buffer)
  auto error = [&](uint64_t at, const char* what) {
    return Status(ErrorCode::kParseError, "file \"" + path + "\" line " + std::to_string(line) + ", byte " +
                                              std::to_string(at - line_start + 1) + " of the line: " + what);
  };
  const char* kLoneCr = "a carriage return (CR) not followed by a line feed (expected lines ending in LF or CRLF; "
                        "convert a file with CR-only line endings first)";
  while (in) {
    in.read(buf, sizeof buf);
    const size_t n = static_cast<size_t>(in.gcount());
    for (size_t i = 0; i < n; ++i) {
      if (after_cr && buf[i] != '\n') return error(offset + i - 1, kLoneCr);
      after_cr = buf[i] == '\r';
      if (buf[i] == '\n') {
        ++line;
        line_start = offset + i + 1;
      } else if (buf[i] == '\0') {
        return error(offset + i, "a NUL byte (expected UTF-8 text without NUL)");
      }
    }
    offset += n;
  }
  if (after_cr) return error(offset - 1, kLoneCr);
  return Status::Ok();
}

/// Runs `body` (which reads with a fccp reader) and converts a parse failure into kParseError
/// (kIoError when the file cannot be opened). fccp's messages already name the file, line and
/// (for value errors) the column; rows of the wrong width get what was expected appended. A NUL
/// byte or a lone carriage return anywhere in the file is refused first (CheckTextBytes).
template <class Fn>
Status GuardCsv(const std::string& path, Fn&& body) {
  if (Status st = CheckTextBytes(path); !st.ok()) return st;
  try {
    body();
  } catch (const io::error::can_not_open_file&) {
    return Status(ErrorCode::kIoError, "cannot open " + path);
  } catch (const io::error::too_few_columns& e) {
    return Status(ErrorCode::kParseError, std::string(e.what()) + " Expected one field per header column.");
  } catch (const io::error::too_many_columns& e) {
    return Status(ErrorCode::kParseError, std::string(e.what()) + " Expected one field per header column.");
  } catch (const io::error::base& e) {
    return Status(ErrorCode::kParseError, e.what());
  } catch (const std::invalid_argument&) {  // std::stod / std::stoi on a field that is not a number
    return Status(ErrorCode::kParseError, path + ": a field that should be a number is not one");
  } catch (const std::out_of_range&) {
    return Status(ErrorCode::kParseError, path + ": a number is out of range");
  }
  return Status::Ok();
}

}  // namespace pathlight::trainer
