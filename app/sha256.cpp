// SHA-256 with Nettle (sha256.hpp). OpenSSL's libcrypto did this before: loading it and setting up
// its digest (a provider lookup, reading openssl.cnf) took 5.3 million of the 19 million
// instructions of a one-connection run, and about 1.5 ms of its start; Nettle's plain functions
// need neither.
#include "app/sha256.hpp"

#include <nettle/sha2.h>
#include <nettle/version.h>

#include <array>
#include <cstdint>

namespace synlab::app {

std::string sha256_hex(std::string_view bytes) {
  sha256_ctx context{};
  sha256_init(&context);
  sha256_update(&context, bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));
  std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
#if NETTLE_VERSION_MAJOR >= 4  // Nettle 4 dropped the length: the digest is always whole
  sha256_digest(&context, digest.data());
#else
  sha256_digest(&context, digest.size(), digest.data());
#endif
  constexpr char hex_digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * digest.size());
  for (const std::uint8_t byte : digest) {
    hex += hex_digits[byte >> 4u];
    hex += hex_digits[byte & 0x0fu];
  }
  return hex;
}

}  // namespace synlab::app
