#include "import_util.h"

#include <cstdio>

#include "pathlight/limits.h"

#include <zlib.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <algorithm>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace pathlight::trainer {

namespace {
// The longest prefix of UTF-8 `s` of at most `n` bytes that ends on a character boundary.
size_t Utf8Prefix(std::string_view s, size_t n) {
  while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return n;
}
}  // namespace

Status FieldError(const std::string& file, unsigned line, std::string_view column, std::string_view expected,
                  std::string_view value) {
  const size_t bad = limits::InvalidUtf8At(value);
  const std::string got = bad != std::string_view::npos
                              ? "bytes that are not UTF-8 (first invalid byte at offset " + std::to_string(bad) + " of the field)"
                          : value.size() > 200 ? "\"" + std::string(value.substr(0, Utf8Prefix(value, 200))) + "…\" (" +
                                                     std::to_string(value.size()) + " bytes)"
                                               : "\"" + std::string(value) + "\"";
  return Status(ErrorCode::kParseError, "file \"" + file + "\" line " + std::to_string(line) + " column \"" +
                                            std::string(column) + "\": expected " + std::string(expected) + ", got " + got);
}

Status TextField(const std::string& file, unsigned line, std::string_view column, std::string_view value) {
  if (limits::ValidString(value)) return Status::Ok();
  return FieldError(file, line, column, "UTF-8 text of at most 65536 bytes", value);
}

Status IdField(const std::string& file, unsigned line, std::string_view column, std::string_view value) {
  if (limits::ValidUtf8(value) && value.size() <= limits::kMaxIdBytes) return Status::Ok();
  return FieldError(file, line, column, "an id of UTF-8 text of at most 1024 bytes", value);
}

std::string FormatNumber(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

bool ParseInt64(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, *out);
  return ec == std::errc() && p == end;
}

bool ParseFiniteDouble(std::string_view s, double* out) {
  // A decimal number ("1e+3" too): no hex (strtod reads "0x1d" as 29), no leading "+", no spaces.
  if (s.empty() || s.size() > 64 || s[0] == '+' || s.find_first_not_of("0123456789.-+eE") != std::string_view::npos) return false;
  const std::string tmp(s);
  char* end = nullptr;
  errno = 0;
  *out = std::strtod(tmp.c_str(), &end);
  return end == tmp.c_str() + tmp.size() && errno == 0 && std::isfinite(*out);
}

StatusOr<std::string> ReadWholeFile(const std::string& path) {
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0) {
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f) return Status(ErrorCode::kIoError, "cannot open " + path);
    std::string out;
    std::vector<char> buf(1 << 16);
    int n;
    while ((n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()))) > 0) out.append(buf.data(), n);
    int err = Z_OK;
    const char* msg = gzerror(f, &err);
    const bool failed = n < 0 || (err != Z_OK && err != Z_STREAM_END);
    const std::string what = failed ? msg : "";
    gzclose(f);
    if (failed) return Status(ErrorCode::kIoError, path + ": not a valid gzip file (" + what + ")");
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::kIoError, "cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string NameKey(std::string_view name) {
  std::string s(name);
  if (!s.empty() && s.back() == ')') {
    const size_t open = s.rfind(" (");
    if (open != std::string::npos && open > 0) s.resize(open);
  }
  std::string out;
  bool space = false;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == '-' || c == '_' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(std::tolower(c)));
  }
  return out;
}

std::string LanguageTag(std::string_view label) {
  static const std::unordered_map<std::string, std::string> kCodes = {
      {"afrikaans", "af"}, {"albanian", "sq"},  {"arabic", "ar"},     {"armenian", "hy"},   {"azerbaijani", "az"},
      {"bengali", "bn"},   {"bosnian", "bs"},   {"bulgarian", "bg"},  {"burmese", "my"},    {"catalan", "ca"},
      {"chinese", "zh"},   {"croatian", "hr"},  {"czech", "cs"},      {"danish", "da"},     {"dutch", "nl"},
      {"english", "en"},   {"estonian", "et"},  {"filipino", "fil"},  {"finnish", "fi"},    {"french", "fr"},
      {"georgian", "ka"},  {"german", "de"},    {"greek", "el"},      {"gujarati", "gu"},   {"hebrew", "he"},
      {"hindi", "hi"},     {"hungarian", "hu"}, {"icelandic", "is"},  {"indonesian", "id"}, {"irish", "ga"},
      {"italian", "it"},   {"japanese", "ja"},  {"kannada", "kn"},    {"kazakh", "kk"},     {"khmer", "km"},
      {"korean", "ko"},    {"lao", "lo"},       {"latvian", "lv"},    {"lithuanian", "lt"}, {"macedonian", "mk"},
      {"malay", "ms"},     {"malayalam", "ml"}, {"marathi", "mr"},    {"mongolian", "mn"},  {"nepali", "ne"},
      {"norwegian", "no"}, {"persian", "fa"},   {"polish", "pl"},     {"portuguese", "pt"}, {"punjabi", "pa"},
      {"romanian", "ro"},  {"russian", "ru"},   {"serbian", "sr"},    {"slovak", "sk"},     {"slovenian", "sl"},
      {"spanish", "es"},   {"swahili", "sw"},   {"swedish", "sv"},    {"tagalog", "tl"},    {"tamil", "ta"},
      {"telugu", "te"},    {"thai", "th"},      {"turkish", "tr"},    {"ukrainian", "uk"},  {"urdu", "ur"},
      {"vietnamese", "vi"}, {"welsh", "cy"}};
  std::string lower;
  for (char c : label) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  while (!lower.empty() && lower.back() == ' ') lower.pop_back();
  while (!lower.empty() && lower.front() == ' ') lower.erase(lower.begin());
  if (auto it = kCodes.find(lower); it != kCodes.end()) return it->second;
  // language[-script][-region]: 2–3 letters, then a 4-letter script and/or a 2-letter or 3-digit region.
  const std::vector<std::string> parts = SplitList(lower, '-');
  auto letters = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
  };
  auto digits = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (parts.empty() || parts.size() > 3 || parts[0].size() < 2 || parts[0].size() > 3 || !letters(parts[0])) return "";
  std::string tag = parts[0];
  bool region_seen = false, script_seen = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    std::string p = parts[i];
    if (!script_seen && !region_seen && p.size() == 4 && letters(p)) {
      p[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(p[0])));
      script_seen = true;
    } else if (!region_seen && ((p.size() == 2 && letters(p)) || (p.size() == 3 && digits(p)))) {
      for (char& c : p) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      region_seen = true;
    } else {
      return "";
    }
    tag += "-" + p;
  }
  return tag;
}

std::vector<std::string> SplitList(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view piece = s.substr(start, end - start);
    while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    if (!piece.empty()) out.emplace_back(piece);
    start = end + 1;
  }
  return out;
}

}  // namespace pathlight::trainer
