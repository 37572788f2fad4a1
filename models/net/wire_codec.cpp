// WireCodec (see wire_codec.hpp): RFC 791 §3.1 and RFC 9293 §3.1 header layouts, options as
// Linux's tcp_options_write() lays them out.
#include "models/net/wire_codec.hpp"

#include <cstddef>

#include "models/net/internet_checksum.hpp"
#include "sim/assert.hpp"

namespace synlab::net {
namespace {

// TCP option kinds (RFC 9293 §3.2; RFC 7323 §2.2, §3.2; RFC 2018 §2).
constexpr std::uint8_t opt_eol = 0;
constexpr std::uint8_t opt_nop = 1;
constexpr std::uint8_t opt_mss = 2;
constexpr std::uint8_t opt_wscale = 3;
constexpr std::uint8_t opt_sack_perm = 4;
constexpr std::uint8_t opt_timestamps = 8;

constexpr std::size_t ip_header_bytes = 20;  // IHL 5
constexpr std::size_t tcp_base_bytes = 20;   // Data Offset 5

constexpr std::uint8_t byte(std::uint32_t v, unsigned shift) noexcept {
  return static_cast<std::uint8_t>((v >> shift) & 0xffu);
}

void put16(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = byte(v, 8);
  p[1] = byte(v, 0);
}
void put32(std::uint8_t* p, std::uint32_t v) noexcept {
  p[0] = byte(v, 24);
  p[1] = byte(v, 16);
  p[2] = byte(v, 8);
  p[3] = byte(v, 0);
}
std::uint16_t get16(const std::uint8_t* p) noexcept {
  return static_cast<std::uint16_t>((std::uint32_t{p[0]} << 8u) | p[1]);
}
std::uint32_t get32(const std::uint8_t* p) noexcept {
  return (std::uint32_t{p[0]} << 24u) | (std::uint32_t{p[1]} << 16u) | (std::uint32_t{p[2]} << 8u) |
         std::uint32_t{p[3]};
}

// Writes the options at `p` in Linux's order; returns the bytes written (Options::wire_bytes).
std::size_t put_options(std::uint8_t* p, const tcp::Options& o) noexcept {
  std::uint8_t* const start = p;
  if (o.mss) {  // RFC 9293 §3.2: kind 2, length 4
    p[0] = opt_mss;
    p[1] = 4;
    put16(p + 2, *o.mss);
    p += 4;
  }
  if (o.timestamps) {
    if (o.sack_permitted) {  // Linux: SACK_PERM takes the place of the two NOPs before TS
      p[0] = opt_sack_perm;
      p[1] = 2;
    } else {
      p[0] = opt_nop;
      p[1] = opt_nop;
    }
    p[2] = opt_timestamps;  // RFC 7323 §3.2: kind 8, length 10, TSval, TSecr
    p[3] = 10;
    put32(p + 4, o.timestamps->tsval);
    put32(p + 8, o.timestamps->tsecr);
    p += 12;
  } else if (o.sack_permitted) {  // NOP NOP SACK_PERM (RFC 2018 §2: kind 4, length 2)
    p[0] = opt_nop;
    p[1] = opt_nop;
    p[2] = opt_sack_perm;
    p[3] = 2;
    p += 4;
  }
  if (o.window_scale) {  // NOP, then RFC 7323 §2.2: kind 3, length 3, shift count
    p[0] = opt_nop;
    p[1] = opt_wscale;
    p[2] = 3;
    p[3] = *o.window_scale;
    p += 4;
  }
  return static_cast<std::size_t>(p - start);
}

// RFC 9293 §3.1: the checksum covers a 96-bit pseudo-header (source, destination, zero,
// PTCL, TCP Length), then the TCP header and data.
std::uint16_t tcp_checksum(sim::Ipv4Address src, sim::Ipv4Address dst,
                           std::span<const std::uint8_t> tcp) noexcept {
  InternetChecksum sum;
  sum.add_word(static_cast<std::uint16_t>(src.value >> 16u))
      .add_word(static_cast<std::uint16_t>(src.value & 0xffffu))
      .add_word(static_cast<std::uint16_t>(dst.value >> 16u))
      .add_word(static_cast<std::uint16_t>(dst.value & 0xffffu))
      .add_word(ip_protocol_tcp)
      .add_word(static_cast<std::uint16_t>(tcp.size()))
      .add(tcp);
  return sum.checksum();
}

}  // namespace

WirePacket wire_packet(const PacketRecord& record) {
  return WirePacket{record.src, record.dst, static_cast<std::uint16_t>(record.packet_id & 0xffffu),
                    default_ttl, segment_of(record)};
}

void encode(const WirePacket& packet, std::vector<std::uint8_t>& out) {
  const tcp::Segment& s = packet.segment;
  const std::uint32_t total = encoded_size(s);
  SYNLAB_ASSERT(total <= 0xffffu, "encode: packet larger than IPv4's Total Length allows");
  out.assign(total, 0);  // zeros: the payload, and every field not set below
  std::uint8_t* const ip = out.data();

  // RFC 791 §3.1.
  ip[0] = 0x45;  // Version 4, IHL 5
  ip[1] = 0;     // DSCP 0, ECN 0 (Not-ECT)
  put16(ip + 2, total);
  put16(ip + 4, packet.ip_id);
  put16(ip + 6, 0x4000);  // flags 010: DF set, MF clear; fragment offset 0
  ip[8] = packet.ttl;
  ip[9] = ip_protocol_tcp;
  put32(ip + 12, packet.src.value);
  put32(ip + 16, packet.dst.value);
  put16(ip + 10, internet_checksum({ip, ip_header_bytes}));  // over the header, field zero

  // RFC 9293 §3.1.
  std::uint8_t* const tcp = ip + ip_header_bytes;
  const std::uint32_t header = s.header_bytes();
  put16(tcp + 0, s.src_port);
  put16(tcp + 2, s.dst_port);
  put32(tcp + 4, s.seq.value());
  put32(tcp + 8, s.ack.value());
  tcp[12] = static_cast<std::uint8_t>((header / 4) << 4u);  // Data Offset, in 32-bit words
  tcp[13] = s.flags.bits();  // CWR ECE URG ACK PSH RST SYN FIN: tcp::Flag's values
  put16(tcp + 14, s.window);
  const std::size_t written = put_options(tcp + tcp_base_bytes, s.options);
  SYNLAB_ASSERT(tcp_base_bytes + written == header, "encode: options differ from wire_bytes()");
  put16(tcp + 16, tcp_checksum(packet.src, packet.dst, {tcp, total - ip_header_bytes}));
}

std::vector<std::uint8_t> encode(const WirePacket& packet) {
  std::vector<std::uint8_t> out;
  encode(packet, out);
  return out;
}

std::string_view to_string(DecodeError e) noexcept {
  switch (e) {
    case DecodeError::Truncated:
      return "truncated";
    case DecodeError::NotIpv4:
      return "not IPv4";
    case DecodeError::BadHeaderLength:
      return "bad IPv4 header length";
    case DecodeError::Fragment:
      return "IPv4 fragment";
    case DecodeError::NotTcp:
      return "not TCP";
    case DecodeError::BadIpChecksum:
      return "bad IPv4 header checksum";
    case DecodeError::BadDataOffset:
      return "bad TCP data offset";
    case DecodeError::BadTcpChecksum:
      return "bad TCP checksum";
    case DecodeError::BadOption:
      return "bad TCP option";
  }
  return "?";
}

std::variant<WirePacket, DecodeError> decode(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < ip_header_bytes) return DecodeError::Truncated;
  const std::uint8_t* const ip = bytes.data();
  if ((ip[0] >> 4u) != 4) return DecodeError::NotIpv4;
  const std::size_t ihl_bytes = (std::size_t{ip[0]} & 0x0fu) * 4;  // IHL, low nibble
  const std::size_t total = get16(ip + 2);
  if (total > bytes.size()) return DecodeError::Truncated;
  if (ihl_bytes < ip_header_bytes || ihl_bytes > total) return DecodeError::BadHeaderLength;
  if ((get16(ip + 6) & 0x3fffu) != 0) return DecodeError::Fragment;  // MF, fragment offset
  if (ip[9] != ip_protocol_tcp) return DecodeError::NotTcp;
  if (internet_checksum({ip, ihl_bytes}) != 0) return DecodeError::BadIpChecksum;

  WirePacket p;
  p.ip_id = get16(ip + 4);
  p.ttl = ip[8];
  p.src = sim::Ipv4Address{get32(ip + 12)};
  p.dst = sim::Ipv4Address{get32(ip + 16)};

  const std::span<const std::uint8_t> tcp_bytes = bytes.subspan(ihl_bytes, total - ihl_bytes);
  if (tcp_bytes.size() < tcp_base_bytes) return DecodeError::Truncated;
  const std::uint8_t* const tcp = tcp_bytes.data();
  const std::size_t header = std::size_t{tcp[12]} / 16 * 4;  // Data Offset, high nibble
  if (header < tcp_base_bytes || header > tcp_bytes.size()) return DecodeError::BadDataOffset;
  if (tcp_checksum(p.src, p.dst, tcp_bytes) != 0) return DecodeError::BadTcpChecksum;

  tcp::Segment& s = p.segment;
  s.src_port = get16(tcp + 0);
  s.dst_port = get16(tcp + 2);
  s.seq = tcp::SeqNum(get32(tcp + 4));
  s.ack = tcp::SeqNum(get32(tcp + 8));
  s.flags = tcp::Flags::from_bits(tcp[13]);
  s.window = get16(tcp + 14);
  s.payload_bytes = static_cast<std::uint32_t>(tcp_bytes.size() - header);

  // RFC 9293 §3.2: kind, then (except for EOL and NOP) a length that counts kind and length.
  std::size_t i = tcp_base_bytes;
  while (i < header) {
    const std::uint8_t kind = tcp[i];
    if (kind == opt_eol) break;
    if (kind == opt_nop) {
      ++i;
      continue;
    }
    if (i + 1 >= header) return DecodeError::BadOption;
    const std::size_t len = tcp[i + 1];
    if (len < 2 || i + len > header) return DecodeError::BadOption;
    const std::uint8_t* const v = tcp + i + 2;
    switch (kind) {
      case opt_mss:
        if (len != 4) return DecodeError::BadOption;
        s.options.mss = get16(v);
        break;
      case opt_wscale:
        if (len != 3) return DecodeError::BadOption;
        s.options.window_scale = v[0];
        break;
      case opt_sack_perm:
        if (len != 2) return DecodeError::BadOption;
        s.options.sack_permitted = true;
        break;
      case opt_timestamps:
        if (len != 10) return DecodeError::BadOption;
        s.options.timestamps = tcp::Timestamps{get32(v), get32(v + 4)};
        break;
      default:  // an option tcp::Options does not model: skipped
        break;
    }
    i += len;
  }
  return p;
}

}  // namespace synlab::net
