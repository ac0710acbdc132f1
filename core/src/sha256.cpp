// SHA-256 per FIPS 180-4, section 6.2.
#include "pathlight/sha256.h"

#include <algorithm>
#include <cstring>

namespace pathlight {
namespace {

constexpr uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

constexpr uint32_t kInit[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

inline uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

// Compresses `blocks` consecutive 64-byte blocks into h. The message schedule is kept in a
// 16-word ring (w[t mod 16]) computed alongside the rounds, so the working set stays small.
void Compress(uint32_t h[8], const uint8_t* p, size_t blocks) {
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (; blocks > 0; --blocks, p += 64) {
    uint32_t w[16];
    for (int t = 0; t < 16; ++t)
      w[t] = (uint32_t(p[4 * t]) << 24) | (uint32_t(p[4 * t + 1]) << 16) | (uint32_t(p[4 * t + 2]) << 8) |
             uint32_t(p[4 * t + 3]);
    const uint32_t a0 = a, b0 = b, c0 = c, d0 = d, e0 = e, f0 = f, g0 = g, h0 = hh;
    for (int t = 0; t < 64; ++t) {
      uint32_t wt;
      if (t < 16) {
        wt = w[t];
      } else {  // W_t = σ1(W_{t-2}) + W_{t-7} + σ0(W_{t-15}) + W_{t-16}
        const uint32_t w15 = w[(t - 15) & 15], w2 = w[(t - 2) & 15];
        const uint32_t s0 = Rotr(w15, 7) ^ Rotr(w15, 18) ^ (w15 >> 3);
        const uint32_t s1 = Rotr(w2, 17) ^ Rotr(w2, 19) ^ (w2 >> 10);
        wt = w[t & 15] = w[t & 15] + s0 + w[(t - 7) & 15] + s1;
      }
      const uint32_t t1 = hh + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + (g ^ (e & (f ^ g))) + kK[t] + wt;
      const uint32_t t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) | (c & (a | b)));
      hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    a += a0; b += b0; c += c0; d += d0; e += e0; f += f0; g += g0; hh += h0;
  }
  h[0] = a; h[1] = b; h[2] = c; h[3] = d; h[4] = e; h[5] = f; h[6] = g; h[7] = hh;
}

}  // namespace

Sha256Hasher::Sha256Hasher() { std::memcpy(h_, kInit, sizeof h_); }

Sha256Hasher& Sha256Hasher::Update(std::string_view data) {
  if (data.empty()) return *this;  // data() may be null then (an empty part), and memcpy forbids it
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t n = data.size();
  total_ += n;
  if (block_len_ > 0) {
    const size_t take = std::min(n, 64 - block_len_);
    std::memcpy(block_ + block_len_, p, take);
    block_len_ += take;
    p += take;
    n -= take;
    if (block_len_ < 64) return *this;
    Compress(h_, block_, 1);
    block_len_ = 0;
  }
  // At most 16 blocks per call: WebAssembly engines compile a function with a quick baseline
  // compiler first and switch to optimized code only on a later call (no on-stack replacement),
  // so one call over a whole 25 MB part ran about 6× slower in V8 than calls of 1 KiB.
  while (n >= 64) {
    const size_t blocks = std::min<size_t>(n / 64, 16);
    Compress(h_, p, blocks);
    p += blocks * 64;
    n -= blocks * 64;
  }
  std::memcpy(block_, p, n);
  block_len_ = n;
  return *this;
}

std::array<uint8_t, 32> Sha256Hasher::Final() {
  const uint64_t bits = total_ * 8;
  uint8_t tail[128] = {};
  std::memcpy(tail, block_, block_len_);
  tail[block_len_] = 0x80;
  const size_t len = block_len_ + 9 <= 64 ? 64 : 128;
  for (int i = 0; i < 8; ++i) tail[len - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
  Compress(h_, tail, len / 64);
  std::array<uint8_t, 32> out;
  for (int i = 0; i < 8; ++i)
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<uint8_t>(h_[i] >> (24 - 8 * j));
  return out;
}

std::string Sha256Hasher::FinalHex() {
  static const char* kHex = "0123456789abcdef";
  const auto d = Final();
  std::string s(64, '0');
  for (int i = 0; i < 32; ++i) {
    s[2 * i] = kHex[d[i] >> 4];
    s[2 * i + 1] = kHex[d[i] & 15];
  }
  return s;
}

std::array<uint8_t, 32> Sha256(std::string_view data) { return Sha256Hasher().Update(data).Final(); }

std::string Sha256Hex(std::string_view data) { return Sha256Hasher().Update(data).FinalHex(); }

}  // namespace pathlight
