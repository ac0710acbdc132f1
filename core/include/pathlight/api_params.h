// The JSON API's request parameters as one table: every method, every parameter's name, type,
// range and default. The session's readers check requests against it (an unknown parameter or a
// wrong type is invalid_argument naming the parameter), `describe` returns it, and tests check it
// against wasm/pathlight.d.ts and docs/API.md. Ranking-term weights come from the ranking terms
// table (ranking_terms.cpp), so a new term is a new parameter without touching this file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "pathlight/status.h"

namespace pathlight {

enum class ParamType {
  kBool,        // true / false
  kInteger,     // a whole number in [min, max]
  kNumber,      // a finite number in [min, max]
  kString,      // at most `max` bytes
  kEnum,        // one of `values`
  kStringList,  // at most `max` strings, each at most `max_bytes` bytes
  kEnumList,    // strings from `values`
  kObject,      // a JSON object, checked by the method (an event)
  kProfile,     // a profile document: an object, or its JSON text
};
const char* ParamTypeName(ParamType t);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kBool;
  double min = 0, max = 0;           // kInteger / kNumber: the range; kString / kStringList: max bytes / entries
  size_t max_bytes = 0;              // kStringList: bytes per string
  std::vector<std::string> values;   // kEnum / kEnumList
  bool required = false;
  bool nullable = false;             // null clears the value (otherwise null is the same as absent)
  std::string default_value;         // as documented ("10", "true", "the learner's budget", "" = none)
  std::string doc;
};

struct MethodSpec {
  std::string name;
  std::vector<ParamSpec> params;     // `now` is accepted by every method and not listed here
  std::string result;                // the result's shape, in words
};

/// Every method of the session API, in a fixed order.
const std::vector<MethodSpec>& ApiMethods();
const MethodSpec* FindMethod(std::string_view name);
/// The `now` parameter every method accepts.
const ParamSpec& NowParam();

/// Checks `params` against `spec`: an object, only known keys, each of its type and within its
/// range, the required ones present. Errors: invalid_argument naming the parameter and saying what
/// it must be; limit_exceeded for lists longer than allowed.
Status CheckParams(const MethodSpec& spec, const nlohmann::json& params);

/// `describe`: {methods: [{name, params: [{name, type, min?, max?, values?, required, nullable,
/// default, doc}], result}]}.
nlohmann::json DescribeMethods();

}  // namespace pathlight
