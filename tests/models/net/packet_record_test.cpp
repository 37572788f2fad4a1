// IpNetwork packets and records: wire size (IPv4 20 + TCP header with options + payload)
// and the CSV form of send/recv/drop records, checked against hand-written lines.
#include "models/net/packet_record.hpp"

#include <doctest/doctest.h>

#include <array>
#include <sstream>

#include "models/net/ip_network.hpp"
#include "sim/csv_sink.hpp"
#include "sim/scheduler.hpp"
#include "sim/topology.hpp"

using namespace std::chrono_literals;
using synlab::net::IpNetwork;
using synlab::net::PacketRecord;
using synlab::net::wire_size_bytes;
using synlab::sim::at;
using synlab::sim::CsvSink;
using synlab::sim::Ipv4Address;
using synlab::sim::LinkDirectionConfig;
using synlab::sim::NodeId;
using synlab::sim::Scheduler;
using synlab::sim::Topology;
using synlab::tcp::Flag;
using synlab::tcp::Segment;
using synlab::tcp::SeqNum;
using synlab::tcp::Timestamps;

namespace {
// Linux's SYN (docs/linux-reference.md): MSS 1460, SACK_PERM, TS, NOP, WS 10; 64240.
Segment linux_syn() {
  Segment s;
  s.src_port = 40000;
  s.dst_port = 80;
  s.seq = SeqNum(1000);
  s.flags = Flag::Syn;
  s.window = 64240;
  s.options.mss = 1460;
  s.options.sack_permitted = true;
  s.options.timestamps = Timestamps{7, 0};
  s.options.window_scale = 10;
  return s;
}
}  // namespace

TEST_CASE("wire size = IPv4 20 + TCP header with options + payload") {
  // SYN: TCP header 40 B (docs/linux-reference.md) + IPv4 20 = 60 B.
  CHECK(wire_size_bytes(linux_syn()) == 60);
  // Data with NOP NOP TS: 20 + 32 + 1448 = 1500, a full Ethernet MTU.
  Segment data;
  data.flags = Flag::Ack;
  data.options.timestamps = Timestamps{1, 2};
  data.payload_bytes = 1448;
  CHECK(wire_size_bytes(data) == 1500);
}

TEST_CASE("send, recv and drop records as CSV lines") {
  Topology topo;
  const NodeId client = topo.add_node("client", Ipv4Address::from_octets(10, 0, 0, 1));
  const NodeId server = topo.add_node("server", Ipv4Address::from_octets(10, 0, 0, 2));
  LinkDirectionConfig c;
  c.delay = 10ms;
  c.rate_bps = 1'000'000;  // 60 B = 480 bits = 480 us
  topo.add_link(client, server, c);
  Scheduler s;
  std::ostringstream out;
  CsvSink<PacketRecord> csv(out);
  IpNetwork net(s, std::move(topo), 1, {&csv});
  s.schedule_at(at(1ms), [&] {
    net.send(client, synlab::net::make_packet(Ipv4Address::from_octets(10, 0, 0, 1),
                                              Ipv4Address::from_octets(10, 0, 0, 2), linux_syn()));
    net.send(client, synlab::net::make_packet(Ipv4Address::from_octets(10, 0, 0, 1),
                                              Ipv4Address::from_octets(10, 9, 9, 9), linux_syn()));
  });
  s.run();
  // The SYN is sent at 1 ms and arrives at 1 ms + 480 us + 10 ms = 11.48 ms.
  // The one CSV form (packets.csv's columns); without a run's names the node and link are
  // numbers, the sockets address:port, and conn, rel_seq and rel_ack are empty.
  CHECK(out.str() ==
        "time,event,reason,node,link,direction,from,to,src,src_port,dst,dst_port,conn,flags,seq,"
        "ack,rel_seq,rel_ack,window,payload_bytes,size_bytes,packet_id,mss,wscale,sack_permitted,"
        "tsval,tsecr\n"
        "0.001000000,send,,0,0,forward,10.0.0.1:40000,10.0.0.2:80,10.0.0.1,40000,10.0.0.2,80,,"
        "SYN,1000,0,,,64240,0,60,1,1460,10,1,7,0\n"
        "0.001000000,drop,no-route,0,,,10.0.0.1:40000,10.9.9.9:80,10.0.0.1,40000,10.9.9.9,80,,"
        "SYN,1000,0,,,64240,0,60,2,1460,10,1,7,0\n"
        "0.011480000,recv,,1,0,forward,10.0.0.1:40000,10.0.0.2:80,10.0.0.1,40000,10.0.0.2,80,,"
        "SYN,1000,0,,,64240,0,60,1,1460,10,1,7,0\n");
}

TEST_CASE("a SYN/ACK's flags cell is SYN+ACK, unquoted: the columns split at every comma") {
  // Linux's SYN/ACK (docs/linux-reference.md): seq 5000 acking the SYN's 1000 + 1, window 65160,
  // MSS 1460, SACK_PERM, TS, NOP, WS 7: 60 B on the wire (IPv4 20 + TCP 40).
  PacketRecord r;
  r.time = at(11'480'000ns);
  r.node = NodeId{1};
  r.link = synlab::sim::LinkId{0};
  r.direction = synlab::sim::Direction::Backward;
  r.packet_id = 2;
  r.size_bytes = 60;
  r.src = Ipv4Address::from_octets(10, 0, 0, 2);
  r.dst = Ipv4Address::from_octets(10, 0, 0, 1);
  r.src_port = 80;
  r.dst_port = 40000;
  r.seq = 5000;
  r.ack = 1001;
  r.flags = Flag::Syn | Flag::Ack;  // RFC 9293 §3.1: 0x02 | 0x10
  r.window = 65160;
  r.options.mss = 1460;
  r.options.sack_permitted = true;
  r.options.timestamps = Timestamps{9, 7};
  r.options.window_scale = 7;
  std::string line;
  synlab::net::to_csv(r, line);
  CHECK(line ==
        "0.011480000,send,,1,0,reverse,10.0.0.2:80,10.0.0.1:40000,10.0.0.2,80,10.0.0.1,40000,,"
        "SYN+ACK,5000,1001,,,65160,0,60,2,1460,7,1,9,7");
}

TEST_CASE("a record's text line: integer ns, event, where, addresses, tcpdump-like segment") {
  PacketRecord r;
  r.time = at(11'480'000ns);
  r.event = synlab::sim::PacketEventKind::Recv;
  r.node = NodeId{1};
  r.link = synlab::sim::LinkId{0};
  r.packet_id = 1;
  r.size_bytes = 60;
  r.src = Ipv4Address::from_octets(10, 0, 0, 1);
  r.dst = Ipv4Address::from_octets(10, 0, 0, 2);
  const Segment syn = linux_syn();
  r.src_port = syn.src_port;
  r.dst_port = syn.dst_port;
  r.seq = syn.seq.value();
  r.flags = syn.flags;
  r.window = syn.window;
  r.options = syn.options;
  CHECK(synlab::net::segment_of(r) == syn);
  CHECK(to_string(r) ==
        "11480000 recv node 1 link 0 forward #1 60B 10.0.0.1 > 10.0.0.2: 40000 > 80 [SYN] "
        "seq=1000 win=64240 <mss 1460,sackOK,TS val 7 ecr 0,wscale 10> len=0");
  r.event = synlab::sim::PacketEventKind::Drop;
  r.reason = synlab::sim::DropReason::NoRoute;
  r.link = synlab::sim::LinkId{};
  CHECK(to_string(r).starts_with("11480000 drop no-route node 1 #1 60B "));
}

// --- packets.csv rows with a run's names (net::PacketNames) --------------------------------------

namespace {

// Linux's SYN from client 10.0.0.1:40000 to server 10.0.0.2:80 (docs/linux-reference.md), sent
// at 1.5 ms on link 0, at its extremes: seq 2^32 - 1, packet id 2^64 - 1, TSval 2^32 - 1.
PacketRecord extreme_syn() {
  PacketRecord r;
  r.time = at(1'500'000ns);
  r.node = NodeId{0};
  r.link = synlab::sim::LinkId{0};
  r.packet_id = 18446744073709551615u;  // 2^64 - 1
  r.size_bytes = 60;
  r.src = Ipv4Address::from_octets(10, 0, 0, 1);
  r.dst = Ipv4Address::from_octets(10, 0, 0, 2);
  r.src_port = 40000;
  r.dst_port = 80;
  r.seq = 4294967295u;  // 2^32 - 1
  r.flags = Flag::Syn;
  r.window = 64240;
  r.options.mss = 1460;
  r.options.sack_permitted = true;
  r.options.timestamps = Timestamps{4294967295u, 0};
  r.options.window_scale = 7;
  return r;
}

std::string row(const PacketRecord& r, const synlab::net::PacketNames& names) {
  std::string line;
  synlab::net::to_csv(r, names, line);
  return line;
}

}  // namespace

TEST_CASE("a SYN's row with names: each cell from its field, numbers at their extremes") {
  synlab::net::PacketNames names;
  names.node = "client";
  names.link = "wan";
  names.from_host = "client";
  names.to_host = "server";
  names.conn = 18446744073709551615u;  // 2^64 - 1
  names.rel_seq = 0;                   // the SYN's own seq less its ISN (itself)
  // time 1.5 ms; send; no reason; node, link, forward; the sockets by name, then by address;
  // conn; SYN; seq, ack 0; rel_seq 0, no rel_ack (no ACK flag); window 64240, no payload, 60 B;
  // the id; MSS 1460, WS 7, SACK permitted, TSval, TSecr 0.
  CHECK(row(extreme_syn(), names) ==
        "0.001500000,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,"
        "18446744073709551615,SYN,4294967295,0,0,,64240,0,60,18446744073709551615,1460,7,1,"
        "4294967295,0");
  // Appended: a second row goes after what the string holds (the caller ends each line).
  std::string two = "x\n";
  synlab::net::to_csv(extreme_syn(), names, two);
  CHECK(two == "x\n" + row(extreme_syn(), names));
}

TEST_CASE("a row without names, options or link: numbers, addresses and empty cells") {
  PacketRecord r = extreme_syn();
  r.event = synlab::sim::PacketEventKind::Drop;
  r.reason = synlab::sim::DropReason::NoRoute;
  r.link = synlab::sim::LinkId{};  // a no-route drop has no link: no link, no direction
  r.node = NodeId{4294967294u};    // 2^32 - 2, the largest valid id
  r.flags = Flag::Rst | Flag::Ack;
  r.ack = 1;
  r.options = {};  // no options: empty cells, SACK permitted 0
  r.time = synlab::sim::Time{synlab::sim::Duration::max()};  // 2^63 - 1 ns
  synlab::net::PacketNames names;
  names.to_host = "server";  // only the destination named
  names.rel_ack = 4294967295u;
  CHECK(row(r, names) ==
        "9223372036.854775807,drop,no-route,4294967294,,,10.0.0.1:40000,server:80,10.0.0.1,"
        "40000,10.0.0.2,80,,RST+ACK,4294967295,1,,4294967295,64240,0,60,18446744073709551615,"
        ",,0,,");
  // The names-free form is the same with no names at all.
  std::string line;
  synlab::net::to_csv(r, line);
  CHECK(line ==
        "9223372036.854775807,drop,no-route,4294967294,,,10.0.0.1:40000,10.0.0.2:80,10.0.0.1,"
        "40000,10.0.0.2,80,,RST+ACK,4294967295,1,,,64240,0,60,18446744073709551615,,,0,,");
}

TEST_CASE("an injected segment's reason cell, and a drop's own reason wins") {
  PacketRecord r = extreme_syn();
  r.options = {};
  r.options.timestamps = Timestamps{0, 4294967295u};
  synlab::net::PacketNames names;
  names.injected = true;
  CHECK(row(r, names) ==
        "0.001500000,send,injected,0,0,forward,10.0.0.1:40000,10.0.0.2:80,10.0.0.1,40000,"
        "10.0.0.2,80,,SYN,4294967295,0,,,64240,0,60,18446744073709551615,,,0,0,4294967295");
  r.event = synlab::sim::PacketEventKind::Drop;
  r.reason = synlab::sim::DropReason::QueueFull;
  r.direction = synlab::sim::Direction::Backward;
  CHECK(row(r, names).starts_with("0.001500000,drop,queue-full,0,0,reverse,"));
}

TEST_CASE("names that need quotes are quoted, a socket's whole cell with its port") {
  synlab::net::PacketNames names;
  names.node = "a,b";         // a comma
  names.link = "say \"hi\"";  // quotes, doubled
  names.from_host = "c\nd";   // a line break
  names.to_host = "e\"f";
  CHECK(row(extreme_syn(), names) ==
        "0.001500000,send,,\"a,b\",\"say \"\"hi\"\"\",forward,\"c\nd:40000\",\"e\"\"f:80\","
        "10.0.0.1,40000,10.0.0.2,80,,SYN,4294967295,0,,,64240,0,60,18446744073709551615,1460,7,"
        "1,4294967295,0");
}

TEST_CASE("put_tail_csv writes the tail cells at a cursor, within tail_csv_chars") {
  synlab::net::PacketNames names;
  names.link = "a \"wan\", long";  // quotes doubled, the cell quoted (RFC 4180 §2.6-2.7)
  names.conn = 1;
  names.rel_seq = 0;
  const std::string expected =
      "\"a \"\"wan\"\", long\",forward,10.0.0.1:40000,10.0.0.2:80,10.0.0.1,40000,10.0.0.2,80,1,"
      "SYN,4294967295,0,0,,64240,0,60,18446744073709551615,1460,7,1,4294967295,0";
  std::array<char, 1024> buffer{};
  buffer.fill('#');
  const std::size_t most = synlab::net::tail_csv_chars(extreme_syn(), names);
  REQUIRE(most < buffer.size());
  const char* end = synlab::net::put_tail_csv(buffer.data(), extreme_syn(), names);
  const auto written = static_cast<std::size_t>(end - buffer.data());
  CHECK(std::string(buffer.data(), written) == expected);
  CHECK(written <= most);
  for (std::size_t i = written; i < buffer.size(); ++i) REQUIRE(buffer[i] == '#');  // no further
  // Kept cells are written as they are.
  names.tail = "kept,cells";
  CHECK(synlab::net::tail_csv_chars(extreme_syn(), names) == 10);
  end = synlab::net::put_tail_csv(buffer.data(), extreme_syn(), names);
  CHECK(std::string(buffer.data(), static_cast<std::size_t>(end - buffer.data())) == "kept,cells");
}

TEST_CASE(
    "the address cells from a writer's kept text: the same row as written, the text as it is") {
  synlab::net::PacketNames names;
  names.from_host = "client";  // the destination unnamed: its "to" cell is its address too
  const std::string written = row(extreme_syn(), names);
  CHECK(written ==
        "0.001500000,send,,0,0,forward,client:40000,10.0.0.2:80,10.0.0.1,40000,10.0.0.2,80,,SYN,"
        "4294967295,0,,,64240,0,60,18446744073709551615,1460,7,1,4294967295,0");
  synlab::net::PacketNames kept = names;
  kept.from_address = "10.0.0.1";
  kept.to_address = "10.0.0.2";
  CHECK(row(extreme_syn(), kept) == written);
  // The text is copied, not the record's addresses formatted: src, to (unnamed) and dst show it.
  kept.from_address = "1.2.3.4";
  kept.to_address = "5.6.7.8";
  CHECK(row(extreme_syn(), kept) ==
        "0.001500000,send,,0,0,forward,client:40000,5.6.7.8:80,1.2.3.4,40000,5.6.7.8,80,,SYN,"
        "4294967295,0,,,64240,0,60,18446744073709551615,1460,7,1,4294967295,0");
  // Room is counted from the text: one far longer than a dotted quad (twice in the row) fits.
  const std::string long_text(600, '9');
  kept.to_address = long_text;
  std::array<char, 4096> buffer{};
  const std::size_t most = synlab::net::tail_csv_chars(extreme_syn(), kept);
  const char* end = synlab::net::put_tail_csv(buffer.data(), extreme_syn(), kept);
  CHECK(static_cast<std::size_t>(end - buffer.data()) > 2 * long_text.size());
  CHECK(static_cast<std::size_t>(end - buffer.data()) <= most);
}

TEST_CASE("the tail cells, written once and kept: the same row as written each time") {
  // link, direction, the six sockets, conn, flags, seq, ack, rel_seq, rel_ack, window,
  // payload_bytes, size_bytes, packet_id, mss, wscale, sack, tsval, tsecr: all of the recv row
  // below after its time, event, reason and node.
  synlab::net::PacketNames names;
  names.node = "server";  // the recv row at the other end: its own time, event, node
  names.conn = 1;
  names.rel_seq = 0;
  std::string tail = "kept,";  // appended to
  synlab::net::tail_to_csv(extreme_syn(), names, tail);
  CHECK(tail.starts_with("kept,"));
  tail.erase(0, 5);
  CHECK(tail ==
        "0,forward,10.0.0.1:40000,10.0.0.2:80,10.0.0.1,40000,10.0.0.2,80,1,SYN,4294967295,0,0,,"
        "64240,0,60,18446744073709551615,1460,7,1,4294967295,0");
  PacketRecord recv = extreme_syn();
  recv.time = at(51'500'000ns);
  recv.event = synlab::sim::PacketEventKind::Recv;
  recv.node = NodeId{1};
  const std::string written = row(recv, names);
  CHECK(written == "0.051500000,recv,,server," + tail);
  synlab::net::PacketNames kept = names;
  kept.tail = tail;
  CHECK(same_tail(extreme_syn(), recv));
  CHECK(row(recv, kept) == written);
  // Options absent, no link (a no-route drop), no connection: the empty cells are in the tail.
  PacketRecord bare = recv;
  bare.event = synlab::sim::PacketEventKind::Drop;
  bare.reason = synlab::sim::DropReason::NoRoute;
  bare.link = synlab::sim::LinkId{};
  bare.options = {};
  synlab::net::PacketNames unnamed;
  tail.clear();
  synlab::net::tail_to_csv(bare, unnamed, tail);
  CHECK(tail ==
        ",,10.0.0.1:40000,10.0.0.2:80,10.0.0.1,40000,10.0.0.2,80,,SYN,4294967295,0,,,64240,0,60,"
        "18446744073709551615,,,0,,");
  synlab::net::PacketNames kept_bare;
  kept_bare.tail = tail;
  CHECK(row(bare, kept_bare) == row(bare, unnamed));
}

TEST_CASE("same_tail: any field of the tail cells differs, and nothing else counts") {
  const PacketRecord a = extreme_syn();
  // Each of the fields tail_to_csv reads, changed alone.
  const auto changed = [&](auto change) {
    PacketRecord b = a;
    change(b);
    return !synlab::net::same_tail(a, b);
  };
  CHECK(changed([](PacketRecord& b) { b.packet_id = 1; }));
  CHECK(changed([](PacketRecord& b) { b.link = synlab::sim::LinkId{1}; }));
  CHECK(changed([](PacketRecord& b) { b.direction = synlab::sim::Direction::Backward; }));
  CHECK(changed([](PacketRecord& b) { b.src = Ipv4Address::from_octets(10, 0, 0, 3); }));
  CHECK(changed([](PacketRecord& b) { b.dst = Ipv4Address::from_octets(10, 0, 0, 3); }));
  CHECK(changed([](PacketRecord& b) { b.src_port = 1; }));
  CHECK(changed([](PacketRecord& b) { b.dst_port = 1; }));
  CHECK(changed([](PacketRecord& b) { b.seq = 0; }));
  CHECK(changed([](PacketRecord& b) { b.ack = 1; }));
  CHECK(changed([](PacketRecord& b) { b.flags = Flag::Syn | Flag::Ack; }));
  CHECK(changed([](PacketRecord& b) { b.window = 1; }));
  CHECK(changed([](PacketRecord& b) { b.payload_bytes = 1; }));
  CHECK(changed([](PacketRecord& b) { b.size_bytes = 61; }));
  CHECK(changed([](PacketRecord& b) { b.options.timestamps = Timestamps{1, 0}; }));
  CHECK(changed([](PacketRecord& b) { b.options.mss.reset(); }));
  // What the row says of when, what and where (the head cells) does not.
  CHECK_FALSE(changed([](PacketRecord& b) {
    b.time = at(2ns);
    b.event = synlab::sim::PacketEventKind::Drop;
    b.reason = synlab::sim::DropReason::Loss;
    b.node = NodeId{1};
  }));
}
