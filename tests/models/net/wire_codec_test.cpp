// WireCodec: the RFC 1071 checksum on its worked example, IPv4 (RFC 791 §3.1) and TCP
// (RFC 9293 §3.1) headers laid out and summed by hand, Linux's option layout, round trips.
#include "models/net/wire_codec.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <variant>
#include <vector>

#include "models/net/internet_checksum.hpp"

using synlab::net::decode;
using synlab::net::DecodeError;
using synlab::net::encode;
using synlab::net::internet_checksum;
using synlab::net::WirePacket;
using synlab::sim::Ipv4Address;
using synlab::tcp::Flag;
using synlab::tcp::Flags;
using synlab::tcp::Segment;
using synlab::tcp::SeqNum;
using synlab::tcp::Timestamps;
using Bytes = std::vector<std::uint8_t>;

namespace {

const Ipv4Address client = Ipv4Address::from_octets(10, 0, 0, 1);
const Ipv4Address server = Ipv4Address::from_octets(10, 0, 0, 2);

// Linux's SYN (docs/linux-reference.md): MSS 1460, SACK_PERM, TS, NOP, WS 10; 64240.
Segment linux_syn() {
  Segment s;
  s.src_port = 40000;
  s.dst_port = 80;
  s.seq = SeqNum(0x01020304);
  s.flags = Flag::Syn;
  s.window = 64240;
  s.options.mss = 1460;
  s.options.sack_permitted = true;
  s.options.timestamps = Timestamps{0x0a0b0c0d, 0};
  s.options.window_scale = 10;
  return s;
}

Bytes slice(const Bytes& b, std::size_t from, std::size_t n) {
  return Bytes(b.begin() + static_cast<std::ptrdiff_t>(from),
               b.begin() + static_cast<std::ptrdiff_t>(from + n));
}

WirePacket decoded(const Bytes& b) {
  const auto result = decode(b);
  REQUIRE(std::holds_alternative<WirePacket>(result));
  return std::get<WirePacket>(result);
}

DecodeError decode_error(const Bytes& b) {
  const auto result = decode(b);
  REQUIRE(std::holds_alternative<DecodeError>(result));
  return std::get<DecodeError>(result);
}

}  // namespace

TEST_CASE("RFC 1071 §3 worked example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2") {
  const Bytes b{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  CHECK(synlab::net::InternetChecksum{}.add(b).sum() == 0xddf2);
  CHECK(internet_checksum(b) == 0x220d);  // ~ddf2
  // An odd byte is padded with zero on the right (RFC 1071 §4.1): 0001 + f200 = f201.
  CHECK(synlab::net::InternetChecksum{}.add(Bytes{0x00, 0x01, 0xf2}).sum() == 0xf201);
  // Carries fold back in: ffff + 0002 = 1_0001 -> 0002.
  CHECK(synlab::net::InternetChecksum{}.add(Bytes{0xff, 0xff, 0x00, 0x02}).sum() == 0x0002);
}

TEST_CASE("RFC 791 §3.1 header checksum: a published header sums to all ones") {
  // 192.168.0.1 -> 192.168.0.199, UDP, checksum b861 (the textbook example of the algorithm):
  // 4500+0073+0000+4000+4011+c0a8+0001+c0a8+00c7 = 2_479c -> 479e; ~479e = b861.
  Bytes h{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
          0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  CHECK(internet_checksum(h) == 0xb861);
  h[10] = 0xb8;
  h[11] = 0x61;
  CHECK(internet_checksum(h) == 0);  // a correct header checks to zero
}

TEST_CASE("RST/ACK from a closed port: every byte and both checksums worked out by hand") {
  // docs/linux-reference.md: a closed port answers a SYN with RST/ACK: seq 0, ack = the SYN's
  // ISN + 1, window 0, no options. 10.0.0.2:80 -> 10.0.0.1:40000, ISN 1000, IP ID 1.
  Segment rst;
  rst.src_port = 80;
  rst.dst_port = 40000;
  rst.seq = SeqNum(0);
  rst.ack = SeqNum(1001);
  rst.flags = Flag::Rst | Flag::Ack;
  rst.window = 0;
  const Bytes b = encode(WirePacket{server, client, 1, 64, rst});
  // IPv4 checksum (RFC 791 §3.1), the header's words with the checksum field zero:
  //   4500 + 0028 + 0001 + 4000 + 4006 + 0a00 + 0002 + 0a00 + 0001 = d932; ~d932 = 26cd.
  // TCP checksum (RFC 9293 §3.1), pseudo-header 0a00 0002 0a00 0001 0006 0014 (= 141d),
  //   then 0050 9c40 0000 0000 0000 03e9 5014 0000 0000 0000:
  //   141d + 0050 + 9c40 + 03e9 + 5014 = 1_04aa -> 04ab; ~04ab = fb54.
  const Bytes expected{
      0x45, 0x00, 0x00, 0x28,  // version 4, IHL 5, DSCP/ECN 0, total length 40
      0x00, 0x01, 0x40, 0x00,  // ID 1, DF, fragment offset 0
      0x40, 0x06, 0x26, 0xcd,  // TTL 64, TCP, header checksum
      0x0a, 0x00, 0x00, 0x02,  // 10.0.0.2
      0x0a, 0x00, 0x00, 0x01,  // 10.0.0.1
      0x00, 0x50, 0x9c, 0x40,  // ports 80 -> 40000
      0x00, 0x00, 0x00, 0x00,  // seq 0
      0x00, 0x00, 0x03, 0xe9,  // ack 1001
      0x50, 0x14, 0x00, 0x00,  // data offset 5, RST+ACK, window 0
      0xfb, 0x54, 0x00, 0x00,  // checksum, urgent pointer 0
  };
  CHECK(b == expected);
  CHECK(decoded(b) == WirePacket{server, client, 1, 64, rst});
}

TEST_CASE("options in Linux's wire order (docs/linux-reference.md)") {
  SUBCASE("SYN: MSS, SACK_PERM, TS, NOP, WS; 40-byte header") {
    const Bytes b = encode(WirePacket{client, server, 7, 64, linux_syn()});
    REQUIRE(b.size() == 60);
    CHECK(b[20 + 12] == 0xa0);                               // data offset 10 words
    CHECK(b[20 + 13] == 0x02);                               // SYN
    CHECK(slice(b, 40, 20) == Bytes{0x02, 0x04, 0x05, 0xb4,  // MSS 1460
                                    0x04, 0x02,              // SACK_PERM
                                    0x08, 0x0a, 0x0a, 0x0b, 0x0c, 0x0d, 0, 0, 0, 0,  // TS
                                    0x01, 0x03, 0x03, 0x0a});                        // NOP, WS 10
  }
  SUBCASE("third ACK: NOP, NOP, TS; 32-byte header") {
    Segment ack;
    ack.flags = Flag::Ack;
    ack.options.timestamps = Timestamps{1, 2};
    const Bytes b = encode(WirePacket{client, server, 7, 64, ack});
    REQUIRE(b.size() == 52);
    CHECK(b[20 + 12] == 0x80);
    CHECK(slice(b, 40, 12) == Bytes{0x01, 0x01, 0x08, 0x0a, 0, 0, 0, 1, 0, 0, 0, 2});
  }
  SUBCASE("SACK_PERM without timestamps: NOP, NOP, SACK_PERM; MSS alone") {
    Segment syn;
    syn.flags = Flag::Syn;
    syn.options.mss = 536;
    syn.options.sack_permitted = true;
    const Bytes b = encode(WirePacket{client, server, 7, 64, syn});
    REQUIRE(b.size() == 48);
    CHECK(slice(b, 40, 8) == Bytes{0x02, 0x04, 0x02, 0x18, 0x01, 0x01, 0x04, 0x02});
  }
}

TEST_CASE("round trips: decode(encode(p)) == p and encode(decode(b)) == b") {
  Segment syn_ack = linux_syn();
  syn_ack.src_port = 80;
  syn_ack.dst_port = 40000;
  syn_ack.flags = Flag::Syn | Flag::Ack;
  syn_ack.ack = SeqNum(0x01020305);
  syn_ack.window = 65160;
  syn_ack.options.timestamps = Timestamps{0xfffffffe, 0x0a0b0c0d};
  Segment data;
  data.seq = SeqNum(0xffffff00);  // payload crosses the 2^32 wrap
  data.ack = SeqNum(1);
  data.flags = Flag::Psh | Flag::Ack;
  data.window = 63;
  data.options.timestamps = Timestamps{5, 6};
  data.payload_bytes = 101;  // odd: the checksum pads the last byte (RFC 1071 §4.1)
  Segment fin;
  fin.flags = Flag::Fin | Flag::Ack;
  fin.window = 502;
  Segment all_bits;
  all_bits.flags = Flags::from_bits(0xff);
  all_bits.options.window_scale = 14;
  Segment big;
  big.flags = Flag::Ack;
  big.payload_bytes = 65535 - 40;  // the largest IPv4 packet
  const std::vector<WirePacket> packets{
      {client, server, 1, 64, linux_syn()}, {server, client, 0xffff, 64, syn_ack},
      {client, server, 3, 1, data},         {client, server, 4, 255, fin},
      {server, client, 5, 64, all_bits},    {client, server, 6, 64, big},
  };
  for (const WirePacket& p : packets) {
    CAPTURE(p.segment.to_string());
    const Bytes b = encode(p);
    CHECK(b.size() == synlab::net::encoded_size(p.segment));
    CHECK(internet_checksum(slice(b, 0, 20)) == 0);
    CHECK(decoded(b) == p);
    CHECK(encode(decoded(b)) == b);
  }
}

TEST_CASE("decode rejects what is not an intact IPv4 + TCP packet") {
  Segment data;
  data.flags = Flag::Ack;
  data.payload_bytes = 10;
  const Bytes good = encode(WirePacket{client, server, 9, 64, data});
  CHECK(decode_error(slice(good, 0, 19)) == DecodeError::Truncated);
  CHECK(decode_error(slice(good, 0, good.size() - 1)) == DecodeError::Truncated);
  Bytes b = good;
  b[0] = 0x65;
  CHECK(decode_error(b) == DecodeError::NotIpv4);
  b = good;
  b[8] = 63;  // TTL changed, checksum not updated
  CHECK(decode_error(b) == DecodeError::BadIpChecksum);
  b = good;
  b[good.size() - 1] = 1;  // a payload byte
  CHECK(decode_error(b) == DecodeError::BadTcpChecksum);
  b = good;
  b[24] ^= 0x01;  // a seq bit
  CHECK(decode_error(b) == DecodeError::BadTcpChecksum);
  // Link-layer padding after Total Length is ignored.
  b = good;
  b.push_back(0);
  CHECK(decoded(b).segment == data);
}

TEST_CASE("decode reads options in any order and skips kinds it does not model") {
  // Hand-made options: WS 7, unknown kind 30 (length 4), MSS 1200, EOL, then junk after EOL.
  Segment s;
  s.flags = Flag::Syn;
  s.options.mss = 1;
  s.options.timestamps = Timestamps{0, 0};  // 4 + 12 = 16 option bytes to overwrite
  Bytes b = encode(WirePacket{client, server, 9, 64, s});
  const Bytes options{0x03, 0x03, 0x07, 0x1e, 0x04, 0xaa, 0xbb, 0x02,
                      0x04, 0x04, 0xb0, 0x00, 0xff, 0xff, 0xff, 0xff};
  std::copy(options.begin(), options.end(), b.begin() + 40);
  // Recompute the TCP checksum over the pseudo-header (RFC 9293 §3.1).
  b[36] = b[37] = 0;
  synlab::net::InternetChecksum sum;
  sum.add(slice(b, 12, 8)).add_word(6).add_word(static_cast<std::uint16_t>(b.size() - 20));
  sum.add(slice(b, 20, b.size() - 20));
  b[36] = static_cast<std::uint8_t>(sum.checksum() >> 8u);
  b[37] = static_cast<std::uint8_t>(sum.checksum() & 0xffu);
  const WirePacket p = decoded(b);
  CHECK(p.segment.options.window_scale == 7);
  CHECK(p.segment.options.mss == 1200);
  CHECK_FALSE(p.segment.options.timestamps);
  CHECK_FALSE(p.segment.options.sack_permitted);
  // A length running past the header is an error.
  b[41] = 0x20;  // kind 3 with length 32
  b[36] = b[37] = 0;
  synlab::net::InternetChecksum sum2;
  sum2.add(slice(b, 12, 8)).add_word(6).add_word(static_cast<std::uint16_t>(b.size() - 20));
  sum2.add(slice(b, 20, b.size() - 20));
  b[36] = static_cast<std::uint8_t>(sum2.checksum() >> 8u);
  b[37] = static_cast<std::uint8_t>(sum2.checksum() & 0xffu);
  CHECK(decode_error(b) == DecodeError::BadOption);
}
