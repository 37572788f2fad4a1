// Ipv4Address: an IPv4-style node address (RFC 791 §3.1), a plain 32-bit value.
// The kernel routes on it; it carries no netmask, since synlab has one address per node.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace synlab::sim {

struct Ipv4Address {
  std::uint32_t value = 0;  // host byte order: 10.0.0.1 is 0x0a000001

  static constexpr Ipv4Address from_octets(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                                           std::uint8_t d) noexcept {
    return Ipv4Address{(std::uint32_t{a} << 24u) | (std::uint32_t{b} << 16u) |
                       (std::uint32_t{c} << 8u) | std::uint32_t{d}};
  }

  friend constexpr auto operator<=>(Ipv4Address, Ipv4Address) noexcept = default;

  // Dotted quad: "10.0.0.1".
  std::string to_string() const {
    return std::to_string(value >> 24u) + '.' + std::to_string((value >> 16u) & 0xffu) + '.' +
           std::to_string((value >> 8u) & 0xffu) + '.' + std::to_string(value & 0xffu);
  }
};

}  // namespace synlab::sim
