#include "pathlight/sha256.h"

#include <gtest/gtest.h>

namespace pathlight {
namespace {

// FIPS 180-4 examples / NIST CAVP short and long messages.
TEST(Sha256Test, NistVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, PaddingBoundaries) {
  // 55, 56 and 64 bytes straddle the one-block / two-block padding boundary.
  EXPECT_EQ(Sha256Hex(std::string(55, 'a')), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(Sha256Hex(std::string(56, 'a')), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(Sha256Hex(std::string(64, 'a')), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

// The incremental hasher must give the one-shot digest however the message is split, including
// pieces that end inside a block, exactly on a block boundary, and empty pieces.
TEST(Sha256Test, IncrementalMatchesOneShot) {
  std::string msg;
  for (int i = 0; i < 1000; ++i) msg.push_back(static_cast<char>((i * 131 + 7) & 0xff));
  for (size_t len : {0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 1000}) {
    const std::string m = msg.substr(0, len);
    for (size_t piece : {1, 3, 63, 64, 65, 200}) {
      Sha256Hasher h;
      for (size_t at = 0; at < m.size(); at += piece) h.Update(std::string_view(m).substr(at, piece)).Update("");
      EXPECT_EQ(h.FinalHex(), Sha256Hex(m)) << "length " << len << ", pieces of " << piece;
    }
  }
  Sha256Hasher million;
  for (int i = 0; i < 1000; ++i) million.Update(std::string(1000, 'a'));
  EXPECT_EQ(million.FinalHex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

}  // namespace
}  // namespace pathlight
