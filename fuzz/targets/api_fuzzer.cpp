// The event API (Session::CallJson), as the Web Worker and `pathlight api` drive it: one JSON
// request per line against the demo catalog. Every line must answer {"result"} or
// {"error": {code, message}} — never throw, crash or hang — and a failed request changes nothing.
// fuzz-seeds: @api
#include <nlohmann/json.hpp>

#include "fuzz_util.h"
#include "pathlight/api.h"

using namespace pathlight;
using nlohmann::json;

namespace {

Session& DemoSession() {
  static Session* session = [] {
    auto* s = new Session();
    std::string manifest;
    StatusOr<BundleParts> parts = EncodeBundle(fuzz::DemoBundle(), &manifest);
    if (!parts.ok() || !s->Load(manifest, *parts).ok()) std::abort();
    return s;
  }();
  return *session;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Session& session = DemoSession();
  // Every input starts from an empty learner.
  session.CallJson(R"({"method":"setProfile","params":{"now":1700000000,"profile":{"format":"pathlight-profile","version":1}}})");
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  for (int line = 0; line < 32 && !rest.empty(); ++line) {
    const size_t nl = rest.find('\n');
    const std::string request(rest.substr(0, nl));
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    const std::string before = session.CallJson(R"({"method":"exportProfile"})");
    const std::string response = session.CallJson(request);
    const json r = json::parse(response, nullptr, /*allow_exceptions=*/false);
    PATHLIGHT_FUZZ_CHECK(r.is_object() && (r.contains("result") != r.contains("error")));
    if (r.contains("error")) {
      PATHLIGHT_FUZZ_CHECK(r["error"]["code"].is_string() && r["error"]["message"].is_string());
      PATHLIGHT_FUZZ_CHECK(session.CallJson(R"({"method":"exportProfile"})") == before);
    }
  }
  return 0;
}
