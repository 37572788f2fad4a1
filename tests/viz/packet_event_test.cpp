// PacketEvent: packets.csv's flags cell read in both forms, "SYN+ACK" (written since issue 14)
// and the older quoted "SYN, ACK", to the header's bits (RFC 9293 §3.1; RFC 3168 §6.1).
#include "viz/packet_event.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "viz/viz_error.hpp"

namespace viz = synlab::viz;
using viz::CsvTable;

namespace {

std::optional<std::uint8_t> bits(std::uint8_t b) {
  return b;
}

// One row of connection 1 with this flags cell, already in CSV form (quoted or not).
CsvTable one_row(const std::string& flags_cell) {
  return CsvTable::parse(
      "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
      "payload_bytes,size_bytes,packet_id\n"
      "0.01,send,,server,wan,reverse,server:80,client:1,1," +
          flags_cell + ",500,101,0,1,65160,0,60,2\n",
      "packets.csv");
}

}  // namespace

TEST_CASE("flags cells of both forms read to the header's bits") {
  // FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20, ECE 0x40, CWR 0x80.
  CHECK(viz::parse_flags("SYN") == bits(0x02));
  CHECK(viz::parse_flags("SYN+ACK") == bits(0x12));   // 0x02 | 0x10
  CHECK(viz::parse_flags("SYN, ACK") == bits(0x12));  // the older form
  CHECK(viz::parse_flags("FIN+PSH+ACK") == bits(0x19));
  CHECK(viz::parse_flags("FIN, PSH, ACK") == bits(0x19));  // 0x01 | 0x08 | 0x10
  CHECK(viz::parse_flags("RST+ACK") == bits(0x14));
  CHECK(viz::parse_flags("URG+ACK") == bits(0x30));
  CHECK(viz::parse_flags("SYN+ECE+CWR") == bits(0xc2));  // 0x02 | 0x40 | 0x80
  CHECK(viz::parse_flags("<none>") == bits(0));          // Flags::to_string of no bits
  CHECK(viz::parse_flags("") == bits(0));
  // Not a flags cell: an unknown or empty name, packetdrill's letters, lower case.
  CHECK_FALSE(viz::parse_flags("SYN+FOO").has_value());
  CHECK_FALSE(viz::parse_flags("SYN+").has_value());
  CHECK_FALSE(viz::parse_flags("S.").has_value());
  CHECK_FALSE(viz::parse_flags("syn").has_value());
}

TEST_CASE("a row's flags: the same event from either form, labelled with Wireshark's names") {
  for (const std::string cell : {"SYN+ACK", "\"SYN, ACK\""}) {
    CAPTURE(cell);
    const auto events = viz::read_packet_events(one_row(cell), 1);
    REQUIRE(events.size() == 1);
    CHECK(events[0].flag_bits == 0x12);
    CHECK(events[0].flags == "SYN, ACK");
    CHECK(events[0].has_flag("SYN"));
    CHECK(events[0].has_flag("ACK"));
    CHECK_FALSE(events[0].has_flag("FIN"));
    CHECK_FALSE(events[0].has_flag("SYN, ACK"));  // one name at a time
    CHECK(viz::segment_label(events[0]) == "SYN, ACK seq=0 ack=1");
  }
}

TEST_CASE("a RST whose SEQ is 0 is labelled with its raw 0, not a distance from the ISN") {
  // rfc793 answers a SYN in ESTABLISHED with <SEQ=0><ACK=...><CTL=RST,ACK> (lab 8): relative to
  // the server's ISN 1901673054 that is 2^32 - 1901673054 = 2393294242 (packets.csv's rel_seq),
  // which the ladder printed as seq=-1901673054. A RST at its own sequence number keeps the
  // relative one.
  const auto label = [](const std::string& seq, const std::string& rel_seq) {
    const CsvTable t = CsvTable::parse(
        "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
        "payload_bytes,size_bytes,packet_id\n"
        "1.01,send,,server,wan,reverse,server:80,client:1,1,RST+ACK," +
            seq + ",348051735," + rel_seq + ",2,0,0,40,9\n",
        "packets.csv");
    return viz::segment_label(viz::read_packet_events(t, 1).at(0));
  };
  CHECK(label("0", "2393294242") == "RST, ACK seq=0 (raw) ack=2");
  CHECK(label("1901673055", "1") == "RST, ACK seq=1 ack=2");
}

TEST_CASE("a SYN dropped at its sender for want of a route is its first hop, the next a resend") {
  // A no-route drop has no link and no send before it (docs/architecture.md): the sender's SYN
  // went no further, and the same SYN a second later is a retransmission. A drop on a link, after
  // its send, is not a first hop.
  const CsvTable t = CsvTable::parse(
      "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
      "payload_bytes,size_bytes,packet_id\n"
      "0,drop,no-route,a,,,a:40000,c:80,1,SYN,7,0,0,,64240,0,60,1\n"
      "1,drop,no-route,a,,,a:40000,c:80,1,SYN,7,0,0,,64240,0,60,2\n"
      "2,send,,a,l,forward,a:40000,c:80,1,SYN,7,0,0,,64240,0,60,3\n"
      "2,drop,loss,a,l,forward,a:40000,c:80,1,SYN,7,0,0,,64240,0,60,3\n",
      "packets.csv");
  const auto events = viz::read_packet_events(t, 1);
  REQUIRE(events.size() == 4);
  CHECK(events[0].first_hop());
  CHECK_FALSE(events[0].retransmission);
  CHECK(events[1].first_hop());
  CHECK(events[1].retransmission);
  CHECK(events[2].first_hop());
  CHECK(events[2].retransmission);
  CHECK_FALSE(events[3].first_hop());
}

TEST_CASE("a row with an unknown flag name is refused, naming the file and the row") {
  CHECK_THROWS_WITH_AS(viz::read_packet_events(one_row("SYN+FOO"), 1),
                       "packets.csv: row 1: unknown TCP flags 'SYN+FOO' (expected names such as "
                       "SYN+ACK or \"SYN, ACK\")",
                       viz::VizError);
}
