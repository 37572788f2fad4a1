// Flags: the TCP control bits as a typed bit set (RFC 9293 §3.1; ECE, CWR: RFC 3168).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace synlab::tcp {

// Values are the header's bit positions.
enum class Flag : std::uint8_t {
  Fin = 0x01,
  Syn = 0x02,
  Rst = 0x04,
  Psh = 0x08,
  Ack = 0x10,
  Urg = 0x20,
  Ece = 0x40,
  Cwr = 0x80,
};

class Flags {
 public:
  constexpr Flags() noexcept = default;
  constexpr Flags(Flag f) noexcept : bits_(static_cast<std::uint8_t>(f)) {}  // NOLINT
  static constexpr Flags from_bits(std::uint8_t bits) noexcept {
    Flags f;
    f.bits_ = bits;
    return f;
  }

  constexpr bool has(Flag f) const noexcept { return (bits_ & static_cast<std::uint8_t>(f)) != 0; }
  constexpr std::uint8_t bits() const noexcept { return bits_; }
  constexpr bool empty() const noexcept { return bits_ == 0; }

  friend constexpr Flags operator|(Flags a, Flags b) noexcept {
    return from_bits(static_cast<std::uint8_t>(a.bits_ | b.bits_));
  }
  friend constexpr bool operator==(Flags, Flags) noexcept = default;

  // The names of the bits set, lowest bit first, joined by `separator`; "<none>" if empty.
  // ", " gives Wireshark's names ("SYN, ACK", "FIN, PSH, ACK"); "+" the spelling of scenario
  // files' `flags:` and of packets.csv's `flags` cell ("SYN+ACK", "FIN+PSH+ACK").
  std::string to_string(std::string_view separator = ", ") const;

 private:
  std::uint8_t bits_ = 0;
};

constexpr Flags operator|(Flag a, Flag b) noexcept {
  return Flags(a) | Flags(b);
}

}  // namespace synlab::tcp
