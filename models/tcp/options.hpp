// Options: the TCP options synlab models in SYN and SYN/ACK and after (RFC 9293 §3.2:
// MSS; RFC 7323: window scale, timestamps; RFC 2018: SACK-permitted).
#pragma once

#include <cstdint>
#include <optional>

namespace synlab::tcp {

struct Timestamps {
  std::uint32_t tsval = 0;
  std::uint32_t tsecr = 0;
  friend constexpr bool operator==(const Timestamps&, const Timestamps&) = default;
};

struct Options {
  std::optional<std::uint16_t> mss;          // RFC 9293 §3.7.1, kind 2
  std::optional<std::uint8_t> window_scale;  // RFC 7323 §2, kind 3 (shift count)
  bool sack_permitted = false;               // RFC 2018, kind 4
  std::optional<Timestamps> timestamps;      // RFC 7323 §3, kind 8

  friend constexpr bool operator==(const Options&, const Options&) = default;

  // Bytes these options take on the wire, laid out as Linux does (tcp_options_write()):
  // MSS (4); SACK_PERM + TS (12), or NOP NOP TS (12), or NOP NOP SACK_PERM (4); NOP WS (4).
  // Always a multiple of 4, so no further padding.
  constexpr std::uint32_t wire_bytes() const noexcept {
    std::uint32_t n = mss ? 4 : 0;
    n += timestamps ? 12 : (sack_permitted ? 4 : 0);
    n += window_scale ? 4 : 0;
    return n;
  }
};

}  // namespace synlab::tcp
