// InternetChecksum: the 16-bit one's complement sum of RFC 1071 §1, used by the IPv4 header
// (RFC 791 §3.1 "Header Checksum") and by TCP over its pseudo-header (RFC 9293 §3.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace synlab::net {

// Accumulates 16-bit big-endian words; an odd trailing byte is padded with a zero byte on the
// right (RFC 1071 §4.1). Several spans may be added in turn, each of even length except the
// last (the pseudo-header, then the TCP header, then the payload).
class InternetChecksum {
 public:
  constexpr InternetChecksum& add(std::span<const std::uint8_t> bytes) noexcept {
    std::size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2)
      sum_ += (std::uint32_t{bytes[i]} << 8u) | std::uint32_t{bytes[i + 1]};
    if (i < bytes.size()) sum_ += std::uint32_t{bytes[i]} << 8u;
    return *this;
  }
  constexpr InternetChecksum& add_word(std::uint16_t word) noexcept {
    sum_ += word;
    return *this;
  }

  // The folded one's complement sum (RFC 1071 §4.1 "Fold 32-bit sum to 16 bits").
  constexpr std::uint16_t sum() const noexcept {
    std::uint32_t s = sum_;
    while (s >> 16u) s = (s & 0xffffu) + (s >> 16u);
    return static_cast<std::uint16_t>(s);
  }
  // The value to put in a checksum field: the complement of the sum.
  constexpr std::uint16_t checksum() const noexcept {
    return static_cast<std::uint16_t>(~sum() & 0xffffu);
  }

 private:
  // Up to 2^16 words fit without overflow: far more than a 65535-byte IPv4 packet holds.
  std::uint32_t sum_ = 0;
};

// The checksum of one run of bytes. Over bytes that include a correct checksum field the
// sum is 0xffff, so this returns 0 (RFC 1071 §1 (4): "the result is all 1 bits").
constexpr std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes) noexcept {
  return InternetChecksum{}.add(bytes).checksum();
}

}  // namespace synlab::net
