// SHA-256 (FIPS 180-4) for bundle part checksums. Self-contained because the bundle reader must
// run identically natively and inside WebAssembly, and no SHA-256 library is reachable from
// Debian's Emscripten sysroot (OpenSSL is native-only). Tested against the NIST vectors.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace pathlight {

/// 32-byte digest of `data`.
std::array<uint8_t, 32> Sha256(std::string_view data);
/// Lower-case hex of Sha256(data), 64 characters.
std::string Sha256Hex(std::string_view data);

}  // namespace pathlight
