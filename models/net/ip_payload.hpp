// IpPayload: what an IPv4 packet carries, tagged with its IP protocol number (RFC 791 §3.1
// "Protocol"; IANA's protocol numbers): a TCP segment (6) so far. A later UDP or QUIC model adds
// an alternative here and a handler on the node, and no other layer changes. A plain value: no
// heap, no virtual call per packet.
#pragma once

#include <cstdint>
#include <variant>

#include "models/tcp/segment.hpp"

namespace synlab::net {

enum class IpProtocol : std::uint8_t {
  Tcp = 6,  // RFC 9293
};

class IpPayload {
 public:
  constexpr IpPayload() = default;
  constexpr IpPayload(const tcp::Segment& segment) noexcept  // NOLINT: a segment is a payload
      : body_(segment) {}

  constexpr IpProtocol protocol() const noexcept {
    switch (body_.index()) {
      case 0:
        return IpProtocol::Tcp;
    }
    return IpProtocol::Tcp;
  }
  // The TCP segment, or null if the packet carries another protocol.
  constexpr const tcp::Segment* tcp() const noexcept { return std::get_if<tcp::Segment>(&body_); }

  friend bool operator==(const IpPayload&, const IpPayload&) = default;

 private:
  std::variant<tcp::Segment> body_;
};

}  // namespace synlab::net
