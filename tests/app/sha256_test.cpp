// SHA-256 of the scenario file (summary.json's provenance): the digests of FIPS 180-2's own
// examples (Appendix B), which sha256sum prints too.
#include "app/sha256.hpp"

#include <doctest/doctest.h>

#include <string>

using synlab::app::sha256_hex;

TEST_CASE("sha256: FIPS 180-2's examples, as sha256sum prints them") {
  // B.1: one block.
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // B.2: 448 bits, so the padding takes a second block.
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // B.3: a million 'a's.
  CHECK(sha256_hex(std::string(1'000'000, 'a')) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // The empty file.
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("sha256: bytes past a NUL and above 0x7f count") {
  // As sha256sum of printf 'a\0b\xff' prints it.
  CHECK(sha256_hex(std::string("a\0b\xff", 4)) ==
        "a37cc3026aae4d519e0b19c298fa913b4dccfdf0658cbccbb7deaa0226d5acdb");
}
