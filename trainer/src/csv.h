// Thin wrapper over fast-cpp-csv-parser (Debian libfccp-dev): its exceptions, which already name
// the file, line and column, become Status values.
#pragma once

#include <libfccp/csv.h>

#include <stdexcept>
#include <string>

#include "pathlight/status.h"

namespace pathlight::trainer {

template <int N>
using TsvReader = io::CSVReader<N, io::trim_chars<' ', '\r'>, io::no_quote_escape<'\t'>>;
template <int N>
using CsvReader = io::CSVReader<N, io::trim_chars<' ', '\r'>, io::double_quote_escape<',', '"'>>;

/// Runs `body` (which reads with a fccp reader) and converts a parse failure into kParseError
/// (kIoError when the file cannot be opened). fccp's messages already name the file, line and
/// (for value errors) the column; rows of the wrong width get what was expected appended.
template <class Fn>
Status GuardCsv(const std::string& path, Fn&& body) {
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
