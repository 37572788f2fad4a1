// WireCodec: a TCP segment and its addresses as the bytes of a real IPv4 + TCP packet, and
// back (RFC 791 §3.1 IPv4 header, RFC 9293 §3.1 TCP header and checksum, RFC 7323 / RFC 2018
// options). Bytes exist only here, at the edge (STYLE §6): for pcap files and their tests.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>
#include <vector>

#include "models/net/packet_record.hpp"
#include "models/tcp/segment.hpp"
#include "sim/ipv4_address.hpp"

namespace synlab::net {

// Linux's initial TTL (net.ipv4.ip_default_ttl; docs/linux-reference.md: "TTL 64").
constexpr std::uint8_t default_ttl = 64;
constexpr std::uint8_t ip_protocol_tcp = 6;  // RFC 790 (assigned numbers), IPv4 Protocol field

// What the codec writes and reads back: the IPv4 fields that vary, plus the TCP segment.
// Fixed on encode: version 4, IHL 5 (no IP options), DSCP/ECN 0, DF set, MF clear, fragment
// offset 0 (docs/linux-reference.md: DF set, TTL 64, DSCP and ECN 0).
struct WirePacket {
  sim::Ipv4Address src;
  sim::Ipv4Address dst;
  // RFC 6864 §4.1: the ID of an atomic datagram (DF set, not a fragment) may be any value.
  // wire_packet() uses the low 16 bits of the Network's packet id, so every packet has its
  // own ID and keeps it on each hop, which lets a reader match copies across captures.
  std::uint16_t ip_id = 0;
  std::uint8_t ttl = default_ttl;
  tcp::Segment segment;

  friend bool operator==(const WirePacket&, const WirePacket&) = default;
};

// The packet a trace record describes: its addresses, ip_id = packet_id mod 2^16, TTL 64 on
// every hop (Deviation: routers forward without decrementing the TTL), and its segment.
WirePacket wire_packet(const PacketRecord& record);

// IPv4 header + TCP header with options + payload, in bytes: net::wire_size_bytes.
constexpr std::uint32_t encoded_size(const tcp::Segment& s) noexcept {
  return 20 + s.header_bytes() + s.payload_bytes;
}

// Writes `packet` into `out` (resized to encoded_size): IPv4 header with its checksum, TCP
// header with options in Linux's order (tcp::Options::wire_bytes: MSS, SACK_PERM + TS or
// NOP NOP TS or NOP NOP SACK_PERM, NOP WS), the TCP checksum over the pseudo-header, and
// payload_bytes zero bytes (the model carries lengths, not data). Urgent pointer 0.
// The whole packet must fit the IPv4 Total Length (65535 bytes): asserted.
void encode(const WirePacket& packet, std::vector<std::uint8_t>& out);
std::vector<std::uint8_t> encode(const WirePacket& packet);

// Why bytes are not a packet decode() accepts.
enum class DecodeError : std::uint8_t {
  Truncated,        // fewer bytes than a header or the Total Length says
  NotIpv4,          // version != 4
  BadHeaderLength,  // IHL < 5, or longer than the packet
  Fragment,         // MF set or fragment offset != 0: synlab never fragments
  NotTcp,           // protocol != 6
  BadIpChecksum,    // RFC 791 §3.1: header sum is not all ones
  BadDataOffset,    // TCP Data Offset < 5, or past the end of the packet
  BadTcpChecksum,   // RFC 9293 §3.1: sum over pseudo-header, header and data not all ones
  BadOption,        // an option's length runs past the header, or is wrong for its kind
};
std::string_view to_string(DecodeError e) noexcept;

// Reads one IPv4 packet carrying TCP; bytes after Total Length (link padding) are ignored.
// MSS, window scale, SACK-permitted and timestamps are read whatever their order; NOP and
// End of Option List are honoured; other options are skipped (tcp::Options has no field for
// them). The payload's length is kept, its content is not.
[[nodiscard]] std::variant<WirePacket, DecodeError> decode(std::span<const std::uint8_t> bytes);

}  // namespace synlab::net
