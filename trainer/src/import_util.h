// Helpers shared by the importers: error messages that name file, line, column and what was
// expected; strict number parsing; whole-file reads (gzip included).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pathlight/status.h"

namespace pathlight::trainer {

/// kParseError "file "F" line L column "C": expected WHAT, got "VALUE"". A value that is not
/// UTF-8 is not echoed (the message would not be text): the message names its first bad byte.
Status FieldError(const std::string& file, unsigned line, std::string_view column, std::string_view expected,
                  std::string_view value);

/// OK when `value` is catalog text (limits.h: UTF-8, at most 64 KiB); else FieldError naming the
/// first invalid byte. Every importer checks each text field it keeps with this.
Status TextField(const std::string& file, unsigned line, std::string_view column, std::string_view value);
/// TextField for an item or concept id: also at most limits::kMaxIdBytes (1024), the longest id a
/// learner's event may name in the engine — a longer one would load but could never be taken.
Status IdField(const std::string& file, unsigned line, std::string_view column, std::string_view value);

/// A number as the messages print it ("0.5", "10").
std::string FormatNumber(double x);

/// Strict parses of a whole field (no trailing characters, no empty string).
bool ParseInt64(std::string_view s, int64_t* out);
/// Finite double only ("nan", "inf", "1e999" are rejected).
bool ParseFiniteDouble(std::string_view s, double* out);

/// Reads a whole file; a name ending in ".gz" is decompressed (zlib). Errors: io_error.
StatusOr<std::string> ReadWholeFile(const std::string& path);

/// Name key for matching labels across sources: lower case, a trailing " (…)" dropped, runs of
/// spaces / '-' / '_' turned into one space, trimmed. "Python (programming language)" → "python".
std::string NameKey(std::string_view name);

/// A content-language label as a BCP-47 tag: an English language name (any case: "Thai",
/// "vietnamese") becomes its ISO 639-1 code ("th", "vi"); a tag gets the standard casing
/// ("EN" → "en", "zh-tw" → "zh-TW", "zh-hant" → "zh-Hant"). Returns "" for anything else.
std::string LanguageTag(std::string_view label);

/// Splits on `sep`, dropping empty pieces and trimming spaces.
std::vector<std::string> SplitList(std::string_view s, char sep);

}  // namespace pathlight::trainer
