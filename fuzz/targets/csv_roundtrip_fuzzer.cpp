// Round trip of the generic CSV schema (issue 16, "write what you read"): the input drives a
// generator of CSV catalogs and interactions (fuzz/roundtrip_util.h); whatever imports must train
// into a bundle that loads, and whatever does not import must be refused naming its file.
// PATHLIGHT_ROUNDTRIP_OUT=DIR keeps up to 64 of the bundles for the WebAssembly check
// (tests/node/roundtrip.test.mjs).
// fuzz-seeds: @roundtrip
#include "fuzz_util.h"
#include "roundtrip_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pathlight::fuzz::ByteSource in(data, size);
  const auto files = pathlight::fuzz::GenerateCsv(in);
  const char* out = std::getenv("PATHLIGHT_ROUNDTRIP_OUT");
  pathlight::fuzz::RoundTrip(files, pathlight::fuzz::ScratchDir("roundtrip"), out ? out : "",
                             [](bool ok, const char* property, const std::string& detail) {
                               if (!ok) {
                                 std::fprintf(stderr, "round trip: %s failed: %s\n", property, detail.c_str());
                                 std::abort();
                               }
                             });
  return 0;
}
