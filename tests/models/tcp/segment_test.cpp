// TCP value types: sequence arithmetic across the wrap (RFC 9293 §3.4), flags, wire sizes.
#include "models/tcp/segment.hpp"

#include <doctest/doctest.h>

using synlab::tcp::Flag;
using synlab::tcp::Flags;
using synlab::tcp::in_window;
using synlab::tcp::Options;
using synlab::tcp::Segment;
using synlab::tcp::SeqNum;
using synlab::tcp::Timestamps;

TEST_CASE("SeqNum compares modulo 2^32 (RFC 9293 §3.4)") {
  const SeqNum top(0xffff'fff0u);
  const SeqNum wrapped = top + 0x20;  // 0x10 after the wrap
  CHECK(wrapped.value() == 0x10u);
  CHECK(top < wrapped);
  CHECK(wrapped > top);
  CHECK(wrapped - top == 0x20);
  CHECK(top - wrapped == -0x20);
  CHECK(in_window(top, SeqNum(0xffff'ffffu), wrapped));
  CHECK(in_window(top, SeqNum(0), wrapped));
  CHECK_FALSE(in_window(top, wrapped, wrapped));  // hi is excluded
  CHECK_FALSE(in_window(top, top - 1, wrapped));
  // 2^31 - 1 ahead is still "after"; the comparison is the sign of the 32-bit difference.
  CHECK(SeqNum(0) < SeqNum(0x7fff'ffffu));
  CHECK(SeqNum(0) > SeqNum(0x8000'0001u));
}

TEST_CASE("Flags: typed bits and Wireshark names") {
  const Flags synack = Flag::Syn | Flag::Ack;
  CHECK(synack.has(Flag::Syn));
  CHECK(synack.has(Flag::Ack));
  CHECK_FALSE(synack.has(Flag::Rst));
  CHECK(synack.bits() == 0x12);  // RFC 9293 §3.1: SYN is bit 1, ACK bit 4
  CHECK(synack.to_string() == "SYN, ACK");
  CHECK((Flag::Fin | Flag::Psh | Flag::Ack).to_string() == "FIN, PSH, ACK");
  CHECK((Flags(Flag::Syn) | Flag::Ece | Flag::Cwr).to_string() == "SYN, ECE, CWR");
  CHECK(Flags().to_string() == "<none>");
}

TEST_CASE("Flags: names joined by + as scenario files and packets.csv spell them") {
  // RFC 9293 §3.1: FIN 0x01, SYN 0x02, PSH 0x08, ACK 0x10; RFC 3168 §6.1: ECE 0x40, CWR 0x80.
  CHECK(Flags::from_bits(0x12).to_string("+") == "SYN+ACK");      // 0x02 | 0x10
  CHECK(Flags::from_bits(0x19).to_string("+") == "FIN+PSH+ACK");  // 0x01 | 0x08 | 0x10
  CHECK(Flags::from_bits(0xc2).to_string("+") == "SYN+ECE+CWR");  // 0x02 | 0x40 | 0x80
  CHECK(Flags::from_bits(0x10).to_string("+") == "ACK");
  CHECK(Flags().to_string("+") == "<none>");
}

TEST_CASE("wire sizes match Linux's option layout (docs/linux-reference.md)") {
  Segment syn;
  syn.flags = Flag::Syn;
  syn.options = Options{1460, 10, true, Timestamps{1, 0}};
  CHECK(syn.header_bytes() == 40);  // reference: SYN has a 40 B TCP header
  CHECK(syn.seg_len() == 1);

  Segment ack;
  ack.flags = Flag::Ack;
  ack.options.timestamps = Timestamps{2, 1};
  CHECK(ack.header_bytes() == 32);  // reference: third ACK is 32 B (NOP, NOP, TS)

  Segment rst;
  rst.flags = Flag::Rst | Flag::Ack;
  CHECK(rst.header_bytes() == 20);  // no options

  Segment sack_only;
  sack_only.options.sack_permitted = true;
  sack_only.options.mss = 536;
  CHECK(sack_only.header_bytes() == 28);  // MSS 4 + NOP NOP SACK_PERM 4

  Segment fin;
  fin.flags = Flag::Fin | Flag::Ack;
  fin.payload_bytes = 100;
  CHECK(fin.seg_len() == 101);
}

TEST_CASE("Segment::to_string reads like tcpdump") {
  Segment s;
  s.src_port = 40000;
  s.dst_port = 80;
  s.seq = SeqNum(1000);
  s.flags = Flag::Syn;
  s.window = 64240;
  s.options = Options{1460, 10, true, Timestamps{7, 0}};
  CHECK(s.to_string() ==
        "40000 > 80 [SYN] seq=1000 win=64240 <mss 1460,sackOK,TS val 7 ecr 0,wscale 10> len=0");
}
