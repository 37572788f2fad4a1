// SocketAddress and AddressedSegment: where a segment comes from and goes to (RFC 9293 §3.1
// pseudo-header addresses plus ports). Host addresses are opaque 32-bit ids: the network layer
// maps them to its nodes. SegmentOutput is the hook a TcpHost sends through.
#pragma once

#include <cstdint>

#include "models/tcp/segment.hpp"

namespace synlab::tcp {

using HostAddress = std::uint32_t;

struct SocketAddress {
  HostAddress host = 0;
  std::uint16_t port = 0;
  friend constexpr bool operator==(const SocketAddress&, const SocketAddress&) = default;
  friend constexpr auto operator<=>(const SocketAddress&, const SocketAddress&) = default;
};

// A segment with its IP source and destination.
struct AddressedSegment {
  HostAddress src_host = 0;
  HostAddress dst_host = 0;
  Segment segment;
  friend bool operator==(const AddressedSegment&, const AddressedSegment&) = default;

  // Bytes on an IPv4 link: a 20-byte IP header (no options) plus the TCP header and payload.
  constexpr std::uint32_t ip_bytes() const noexcept {
    return 20 + segment.header_bytes() + segment.payload_bytes;
  }
};

// Where a TcpHost puts the segments it sends. Called synchronously from inside the host, in
// send order; the implementation must not call back into the sending host before returning
// (schedule the delivery instead).
class SegmentOutput {
 public:
  virtual ~SegmentOutput() = default;
  virtual void output(const AddressedSegment& segment) = 0;
};

}  // namespace synlab::tcp
