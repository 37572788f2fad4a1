// SegmentMatch: which TCP segments a scripted drop rule is about, by their control bits
// (RFC 9293 §3.1) and payload — "the SYN", "the SYN/ACK", "a pure ACK", "an RST".
#pragma once

#include <cstdint>

#include "models/tcp/flags.hpp"
#include "models/tcp/segment.hpp"

namespace synlab::net {

struct SegmentMatch {
  enum class Kind : std::uint8_t {
    Any,      // every segment
    Syn,      // SYN without ACK: a connection request (ECE/CWR may be set, RFC 3168 §6.1.1)
    SynAck,   // SYN with ACK
    PureAck,  // ACK without SYN, FIN or RST, and no payload
    Rst,      // RST set (with or without ACK)
    Fin,      // FIN set
    Data,     // payload_bytes > 0
    Exactly,  // control bits exactly equal to `flags`
  };
  Kind kind = Kind::Any;
  tcp::Flags flags;  // for Kind::Exactly only

  constexpr SegmentMatch(Kind k = Kind::Any, tcp::Flags f = {}) noexcept  // NOLINT: Kind converts
      : kind(k), flags(f) {}
  static constexpr SegmentMatch syn() noexcept { return Kind::Syn; }
  static constexpr SegmentMatch syn_ack() noexcept { return Kind::SynAck; }
  static constexpr SegmentMatch pure_ack() noexcept { return Kind::PureAck; }
  static constexpr SegmentMatch rst() noexcept { return Kind::Rst; }
  static constexpr SegmentMatch exactly(tcp::Flags f) noexcept { return {Kind::Exactly, f}; }

  constexpr bool matches(const tcp::Segment& s) const noexcept {
    using tcp::Flag;
    const tcp::Flags f = s.flags;
    switch (kind) {
      case Kind::Any:
        return true;
      case Kind::Syn:
        return f.has(Flag::Syn) && !f.has(Flag::Ack);
      case Kind::SynAck:
        return f.has(Flag::Syn) && f.has(Flag::Ack);
      case Kind::PureAck:
        return f.has(Flag::Ack) && !f.has(Flag::Syn) && !f.has(Flag::Fin) && !f.has(Flag::Rst) &&
               s.payload_bytes == 0;
      case Kind::Rst:
        return f.has(Flag::Rst);
      case Kind::Fin:
        return f.has(Flag::Fin);
      case Kind::Data:
        return s.payload_bytes > 0;
      case Kind::Exactly:
        return f == flags;
    }
    return false;
  }
};

}  // namespace synlab::net
