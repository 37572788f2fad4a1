// IpNetwork: the kernel's Network carrying IP packets — sim::Network instantiated with
// IpPayload payloads (a TCP segment so far), LossModel per link direction and PacketRecord trace
// records.
#pragma once

#include <cstdint>

#include "models/net/ip_payload.hpp"
#include "models/net/loss_model.hpp"
#include "models/net/packet_record.hpp"
#include "models/tcp/segment.hpp"
#include "sim/ipv4_address.hpp"
#include "sim/network.hpp"
#include "sim/packet.hpp"
#include "sim/packet_event.hpp"

namespace synlab::net {

constexpr std::uint32_t ipv4_header_bytes = 20;  // RFC 791 §3.1, IHL 5: no IP options

// Bytes on the wire: IPv4 header + TCP header with options + payload. This is what the
// link's serialization delay is computed from (no link-layer framing is modelled).
constexpr std::uint32_t wire_size_bytes(const tcp::Segment& s) noexcept {
  return ipv4_header_bytes + s.header_bytes() + s.payload_bytes;
}

using IpPacket = sim::Packet<IpPayload>;

// A packet carrying `segment` from `src` to `dst`, sized by wire_size_bytes. The id is set
// when it is sent.
constexpr IpPacket make_packet(sim::Ipv4Address src, sim::Ipv4Address dst,
                               const tcp::Segment& segment) noexcept {
  return IpPacket{0, wire_size_bytes(segment), src, dst, segment};
}

struct IpNetTraits {
  using Payload = IpPayload;
  using Loss = LossModel;
  using Record = PacketRecord;
  static PacketRecord make_record(const sim::PacketEvent& e, const IpPacket& p) {
    return PacketRecord::make(e, p);
  }
};

using IpNetwork = sim::Network<IpNetTraits>;

}  // namespace synlab::net
