// SHA-256 (FIPS 180-4) for bundle part checksums. Self-contained because the bundle reader must
// run identically natively and inside WebAssembly, and no SHA-256 library is reachable from
// Debian's Emscripten sysroot (OpenSSL is native-only). Tested against the NIST vectors.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace pathlight {

/// 32-byte digest of `data`.
std::array<uint8_t, 32> Sha256(std::string_view data);
/// Lower-case hex of Sha256(data), 64 characters.
std::string Sha256Hex(std::string_view data);

/// Incremental SHA-256: Update() with the message in pieces of any size, then Final() once.
/// Digest(a + b) == Sha256Hasher().Update(a).Update(b).Final(). Used where a part arrives or is
/// read in windows (the bundle reader hashes the catalog without holding its whole text).
class Sha256Hasher {
 public:
  Sha256Hasher();
  Sha256Hasher& Update(std::string_view data);
  /// The digest; the hasher must not be updated afterwards.
  std::array<uint8_t, 32> Final();
  /// Lower-case hex of Final().
  std::string FinalHex();

 private:
  uint32_t h_[8];
  uint8_t block_[64];
  size_t block_len_ = 0;   // bytes waiting in block_ (< 64)
  uint64_t total_ = 0;     // message length in bytes
};

}  // namespace pathlight
