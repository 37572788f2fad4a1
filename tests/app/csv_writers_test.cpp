// The run's CSV writers (app/csv_writers.hpp): connections.csv and packets.csv rows written out
// by hand from the records' fields, and many rows through the block writer, in order.
#include "app/csv_writers.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <sstream>
#include <string>

#include "app/scenario.hpp"
#include "models/apps/connection_record.hpp"
#include "models/net/packet_record.hpp"
#include "tests/app/letter_rows.hpp"

namespace synlab::app {
namespace {

using namespace std::chrono_literals;
using sim::at;

Scenario two_nodes() {
  Scenario s;
  s.nodes = {"client", "server"};  // 10.0.0.1 and 10.0.0.2 (network_builder.hpp)
  LinkSpec wan;
  wan.name = "wan";
  wan.a = "client";
  wan.b = "server";
  s.links.push_back(wan);
  return s;
}

// A handshake opened at 2 ms over 50 ms one way: the client ESTABLISHED one RTT later (102 ms),
// the server half an RTT after that (152 ms).
apps::ConnectionRecord handshake(std::uint64_t id) {
  apps::ConnectionRecord c;
  c.id = id;
  c.client_node = 0;
  c.server_node = 1;
  c.client_port = 40000;
  c.server_port = 80;
  c.open_time = at(2ms);
  c.client_established = at(102ms);
  c.server_established = at(152ms);
  c.syns_sent = 1;
  c.synacks_sent = 1;
  c.outcome = tcp::Outcome::Established;
  return c;
}

TEST_CASE("connections.csv: a row per connection, each cell from its field") {
  const Scenario s = two_nodes();
  std::ostringstream out;
  ConnectionsCsv rows(out, s, 18446744073709551615u, 0);  // point 2^64 - 1
  rows.on_connection(handshake(1));
  apps::ConnectionRecord pending = handshake(2);  // no establishment yet: empty time cells
  pending.client_established.reset();
  pending.server_established.reset();
  pending.outcome = tcp::Outcome::Pending;
  pending.syns_sent = 4294967295u;  // 2^32 - 1
  rows.on_connection(pending);
  apps::ConnectionRecord refused = handshake(3);  // connect() refused by the client's own host
  refused.client_established.reset();
  refused.server_established.reset();
  refused.error = tcp::ConnectError::PortInUse;
  refused.client_port = 65535;
  rows.on_connection(refused);
  rows.flush();
  // Handshake time 102 - 2 = 100 ms.
  CHECK(out.str() ==
        "18446744073709551615,0,1,client,40000,server,80,0.002000000,0.102000000,0.152000000,"
        "0.100000000,1,1,established\n"
        "18446744073709551615,0,2,client,40000,server,80,0.002000000,,,,4294967295,1,pending\n"
        "18446744073709551615,0,3,client,65535,server,80,0.002000000,,,,1,1,error: port-in-use\n");
}

TEST_CASE("connections.csv: a node name that needs quotes is quoted once") {
  Scenario s = two_nodes();
  s.nodes[1] = "ser,ver";
  std::ostringstream out;
  ConnectionsCsv rows(out, s, 0, 3);
  rows.on_connection(handshake(1));
  rows.flush();
  CHECK(out.str() ==
        "0,3,1,client,40000,\"ser,ver\",80,0.002000000,0.102000000,0.152000000,0.100000000,1,1,"
        "established\n");
}

TEST_CASE("rows past many blocks reach the stream whole and in order") {
  for (const Consumer where : {Consumer::Inline, Consumer::OwnThread}) {
    CAPTURE(where == Consumer::Inline);
    const Scenario s = two_nodes();
    std::ostringstream out;
    std::string expected;
    {
      ConnectionsCsv rows(out, s, 0, 0, where);
      // 20,000 rows of about 100 bytes: 2 MB, several of the writer's 256 KiB blocks and
      // several batches of records.
      for (std::uint64_t id = 1; id <= 20000; ++id) {
        rows.on_connection(handshake(id));
        expected += "0,0," + std::to_string(id) +
                    ",client,40000,server,80,0.002000000,0.102000000,0.152000000,0.100000000,1,1,"
                    "established\n";
      }
      rows.flush();
      CHECK(out.str() == expected);
      rows.on_connection(handshake(20001));  // rows go on after a flush
      expected +=
          "0,0,20001,client,40000,server,80,0.002000000,0.102000000,0.152000000,"
          "0.100000000,1,1,established\n";
      rows.flush();
      CHECK(out.str() == expected);
    }
    CHECK(out.str() == expected);  // nothing more when the writer stops
  }
}

TEST_CASE("RowBuffer: rows of any length, where they are written, whole and in order") {
  Consumer writing = Consumer::OwnThread;
  SUBCASE("blocks written by a thread of their own") {
    writing = Consumer::OwnThread;
  }
  SUBCASE("blocks written by the filler itself (one core)") {
    writing = Consumer::Inline;
  }
  std::ostringstream out;
  std::string expected = "a,b\n";
  {
    RowBuffer rows(out, writing);
    rows.append("a,b\n");
    std::size_t unwritten = 4;  // bytes in the buffer, not yet in `out`
    // Rows shorter and longer than the room the buffer starts with (16 KiB), one longer than a
    // block, and each given more room than it takes (`most`), as the writers do.
    const std::size_t lengths[] = {0,       1,  16'383, 16'384,  40'000, 3,
                                   300'000, 77, 0,      262'143, 5,      1'000};
    char letter = 'a';
    for (const std::size_t n : lengths) {
      test::put_letter_row(rows, n, letter, expected);
      // Inline, the row that fills a block has the block written before row() returns, and no
      // other row writes anything.
      unwritten += n + 1;
      if (unwritten >= RowBuffer::block_bytes) unwritten = 0;
      if (writing == Consumer::Inline) CHECK(out.str().size() == expected.size() - unwritten);
    }
    rows.flush();
    CHECK(out.str().size() == expected.size());
    CHECK(out.str() == expected);
  }
  CHECK(out.str() == expected);
}

// Connection 5 is client:40000 -> server:80 while it is open.
class OneConnection final : public ConnectionNames {
 public:
  std::uint64_t by_sockets(tcp::SocketAddress client, tcp::SocketAddress server) const override {
    if (client == tcp::SocketAddress{client_address, 40000} &&
        server == tcp::SocketAddress{server_address, 80})
      return 5;
    return 0;
  }
  std::uint64_t by_host(std::size_t, tcp::ConnId) const override { return 0; }
  static constexpr std::uint32_t client_address = 0x0a000001;  // 10.0.0.1
  static constexpr std::uint32_t server_address = 0x0a000002;  // 10.0.0.2
};

// A segment of connection 5, with packet id `id` (0: 1 from the client, 2 from the server).
net::PacketRecord segment(sim::Time t, sim::PacketEventKind event, bool from_client,
                          tcp::Flags flags, std::uint32_t seq, std::uint32_t ack,
                          std::uint64_t id = 0) {
  net::PacketRecord r;
  r.time = t;
  r.event = event;
  r.node = sim::NodeId{from_client == (event == sim::PacketEventKind::Send) ? 0u : 1u};
  r.link = sim::LinkId{0};
  r.direction = from_client ? sim::Direction::Forward : sim::Direction::Backward;
  r.packet_id = id != 0 ? id : (from_client ? 1 : 2);
  r.size_bytes = 40;
  r.src =
      sim::Ipv4Address{from_client ? OneConnection::client_address : OneConnection::server_address};
  r.dst =
      sim::Ipv4Address{from_client ? OneConnection::server_address : OneConnection::client_address};
  r.src_port = from_client ? 40000 : 80;
  r.dst_port = from_client ? 80 : 40000;
  r.seq = seq;
  r.ack = ack;
  r.flags = flags;
  r.window = 1000;
  return r;
}

// packets.csv of the two nodes, where connection 5 is client:40000 -> server:80.
struct PacketsFile {
  const Scenario scenario = two_nodes();
  const OneConnection names;
  std::ostringstream out;
  PacketsCsv packets{out, scenario, names, Consumer::OwnThread};
};

TEST_CASE_FIXTURE(PacketsFile,
                  "packets.csv: names, the connection and seq/ack relative to each side's ISN") {
  using sim::PacketEventKind;
  // The client's ISN 4294967290 (2^32 - 6), near the top of the sequence space (RFC 9293 §3.4:
  // sequence numbers are modulo 2^32), the server's 100: a SYN, the SYN/ACK, the ACK.
  const tcp::Flags syn = tcp::Flag::Syn;
  const tcp::Flags synack = tcp::Flag::Syn | tcp::Flag::Ack;
  const tcp::Flags ack = tcp::Flag::Ack;
  packets.write(segment(at(0ms), PacketEventKind::Send, true, syn, 4294967290u, 0));
  packets.write(segment(at(50ms), PacketEventKind::Recv, true, syn, 4294967290u, 0));
  packets.write(segment(at(50ms), PacketEventKind::Send, false, synack, 100, 4294967291u));
  packets.write(segment(at(100ms), PacketEventKind::Recv, false, synack, 100, 4294967291u));
  packets.write(segment(at(100ms), PacketEventKind::Send, true, ack, 4294967291u, 101));
  packets.finish();
  const std::string header = std::string(net::PacketRecord::csv_header) + "\n";
  // rel_seq: seq - own ISN; rel_ack (ACK set): ack - the peer's ISN, e.g. 4294967291 -
  // 4294967290 = 1 and 101 - 100 = 1.
  CHECK(out.str() ==
        header +
            "0.000000000,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,"
            "10.0.0.2,80,5,SYN,4294967290,0,0,,1000,0,40,1,,,0,,\n"
            "0.050000000,recv,,server,wan,forward,client:40000,server:80,10.0.0.1,40000,"
            "10.0.0.2,80,5,SYN,4294967290,0,0,,1000,0,40,1,,,0,,\n"
            "0.050000000,send,,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,"
            "40000,5,SYN+ACK,100,4294967291,0,1,1000,0,40,2,,,0,,\n"
            "0.100000000,recv,,client,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,"
            "40000,5,SYN+ACK,100,4294967291,0,1,1000,0,40,2,,,0,,\n"
            "0.100000000,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,"
            "10.0.0.2,80,5,ACK,4294967291,101,1,1,1000,0,40,1,,,0,,\n");
}

TEST_CASE_FIXTURE(PacketsFile,
                  "packets.csv: packets whose ids share a kept header's slot each get their own "
                  "cells") {
  // The writer keeps header cells by packet id modulo 1024 (PacketsCsv::headers_): ids 3 and
  // 1027 share a slot, and their rows interleave (both sent, then both received).
  using sim::PacketEventKind;
  const tcp::Flags ack = tcp::Flag::Ack;
  packets.write(segment(at(0ms), PacketEventKind::Send, true, ack, 7, 9, 3));
  packets.write(segment(at(1ms), PacketEventKind::Send, true, ack, 8, 9, 1027));
  packets.write(segment(at(50ms), PacketEventKind::Recv, true, ack, 7, 9, 3));
  packets.write(segment(at(51ms), PacketEventKind::Recv, true, ack, 8, 9, 1027));
  packets.finish();
  // No SYN was seen: no ISN, so no relative seq or ack.
  const std::string sockets = "client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,5,";
  CHECK(out.str() ==
        std::string(net::PacketRecord::csv_header) + "\n" +
            "0.000000000,send,,client,wan,forward," + sockets + "ACK,7,9,,,1000,0,40,3,,,0,,\n" +
            "0.001000000,send,,client,wan,forward," + sockets + "ACK,8,9,,,1000,0,40,1027,,,0,,\n" +
            "0.050000000,recv,,server,wan,forward," + sockets + "ACK,7,9,,,1000,0,40,3,,,0,,\n" +
            "0.051000000,recv,,server,wan,forward," + sockets + "ACK,8,9,,,1000,0,40,1027,,,0,,\n");
}

TEST_CASE_FIXTURE(PacketsFile,
                  "packets.csv: a packet's later row sees the other side's flow that began "
                  "meanwhile") {
  // The writer finds a packet's two flows for its first row and keeps them for its next rows
  // while no flow is added (PacketsCsv::KeptHeader). Here the server's flow begins between the
  // client's ACK (id 10) being sent and received: the recv row's rel_ack is relative to the
  // server's ISN, 9 - 100 = 4294967205 modulo 2^32 (RFC 9293 §3.4), where the send row had none.
  using sim::PacketEventKind;
  const tcp::Flags ack = tcp::Flag::Ack;
  const tcp::Flags syn = tcp::Flag::Syn;
  packets.write(segment(at(0ms), PacketEventKind::Send, true, ack, 7, 9, 10));
  packets.write(segment(at(1ms), PacketEventKind::Send, false, syn, 100, 0, 11));
  packets.write(segment(at(50ms), PacketEventKind::Recv, true, ack, 7, 9, 10));
  packets.finish();
  const std::string forward = "client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,5,";
  const std::string reverse = "server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,5,";
  CHECK(out.str() ==
        std::string(net::PacketRecord::csv_header) + "\n" +
            "0.000000000,send,,client,wan,forward," + forward + "ACK,7,9,,,1000,0,40,10,,,0,,\n" +
            "0.001000000,send,,server,wan,reverse," + reverse +
            "SYN,100,0,0,,1000,0,40,11,,,0,,\n" + "0.050000000,recv,,server,wan,forward," +
            forward + "ACK,7,9,,4294967205,1000,0,40,10,,,0,,\n");
}

TEST_CASE_FIXTURE(PacketsFile,
                  "packets.csv: a packet's kept flows stay valid across rows of other flows") {
  // Packet 100's send row makes the eighth flow, which fills the writer's first table of 16
  // slots to its half; then a row of a flow already there comes between packet 100's send and
  // recv rows. It must move nothing (only a new flow grows the table), so the recv row still
  // reads its flow's cells. Ports other than 40000 belong to no connection: an empty conn cell.
  using sim::PacketEventKind;
  const tcp::Flags ack = tcp::Flag::Ack;
  const auto from_port = [](net::PacketRecord r, int port) {
    r.src_port = static_cast<std::uint16_t>(port);
    return r;
  };
  std::string expected = std::string(net::PacketRecord::csv_header) + "\n";
  const auto write = [&](sim::Time t, const char* time, PacketEventKind event, int port,
                         std::uint64_t id) {
    packets.write(from_port(segment(t, event, true, ack, 7, 9, id), port));
    const std::string p = std::to_string(port);
    const bool sent = event == PacketEventKind::Send;
    expected += time + std::string(sent ? ",send,,client" : ",recv,,server") +
                ",wan,forward,client:" + p + ",server:80,10.0.0.1," + p +
                ",10.0.0.2,80,,ACK,7,9,,,1000,0,40," + std::to_string(id) + ",,,0,,\n";
  };
  for (int k = 1; k <= 7; ++k) write(at(0ms), "0.000000000", PacketEventKind::Send, 40000 + k, k);
  write(at(1ms), "0.001000000", PacketEventKind::Send, 40008, 100);  // the eighth flow
  write(at(2ms), "0.002000000", PacketEventKind::Send, 40002, 101);  // a flow already there
  write(at(51ms), "0.051000000", PacketEventKind::Recv, 40008, 100);
  packets.finish();
  CHECK(out.str() == expected);
}

// Connection `open` (none: 0) is client:40000 -> server:80, and connection `open` is the
// client's host connection 1, for as long as the test says.
class SwitchedConnection final : public ConnectionNames {
 public:
  std::uint64_t by_sockets(tcp::SocketAddress client, tcp::SocketAddress server) const override {
    if (client == tcp::SocketAddress{OneConnection::client_address, 40000} &&
        server == tcp::SocketAddress{OneConnection::server_address, 80})
      return open;
    return 0;
  }
  std::uint64_t by_host(std::size_t node, tcp::ConnId id) const override {
    return node == 0 && id == 1 ? open : 0;
  }
  std::uint64_t open = 0;
};

TEST_CASE(
    "packets.csv and states.csv: a record's connection is the one open at its instant, "
    "wherever its row is formatted") {
  // The rows are formatted in batches (4,096 records), so these few are formatted by finish(),
  // after the connections have changed: each row must still name the connection open when its
  // record was written.
  for (const Consumer where : {Consumer::Inline, Consumer::OwnThread}) {
    CAPTURE(where == Consumer::Inline);
    const Scenario scenario = two_nodes();
    SwitchedConnection names;
    std::ostringstream packets_out;
    std::ostringstream states_out;
    PacketsCsv packets(packets_out, scenario, names, where);
    StatesCsv states(states_out, scenario, names, where);
    using sim::PacketEventKind;
    const tcp::Flags ack = tcp::Flag::Ack;
    const auto state = [](std::int64_t ms, tcp::State from, tcp::State to) {
      tcp::TcpRecord r;
      r.time_ns = ms * 1'000'000;
      r.kind = tcp::RecordKind::State;
      r.node = tcp::NodeName("client");
      r.conn = 1;
      r.from = from;
      r.to = to;
      r.cause = tcp::Cause::RcvAck;
      return r;
    };
    names.open = 5;
    packets.write(segment(at(0ms), PacketEventKind::Send, true, ack, 7, 9, 1));
    states.write(state(0, tcp::State::FinWait1, tcp::State::FinWait2));
    names.open = 6;  // 5 is gone; 6 is open on the same 4-tuple
    packets.write(segment(at(1ms), PacketEventKind::Send, true, ack, 8, 9, 2));
    states.write(state(1, tcp::State::FinWait2, tcp::State::TimeWait));
    names.open = 0;  // no connection open: a packet keeps the one last seen on its 4-tuple
    packets.write(segment(at(51ms), PacketEventKind::Recv, true, ack, 8, 9, 2));
    states.write(state(2, tcp::State::TimeWait, tcp::State::Closed));
    packets.finish();
    states.finish();
    const std::string sockets = "client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,";
    CHECK(
        packets_out.str() ==
        std::string(net::PacketRecord::csv_header) + "\n" +
            "0.000000000,send,,client,wan,forward," + sockets + "5,ACK,7,9,,,1000,0,40,1,,,0,,\n" +
            "0.001000000,send,,client,wan,forward," + sockets + "6,ACK,8,9,,,1000,0,40,2,,,0,,\n" +
            "0.051000000,recv,,server,wan,forward," + sockets + "6,ACK,8,9,,,1000,0,40,2,,,0,,\n");
    CHECK(states_out.str() == std::string(tcp::state_csv_header) + "\n" +
                                  "0.000000000,client,5,FIN-WAIT-1,FIN-WAIT-2,RcvAck\n"
                                  "0.001000000,client,6,FIN-WAIT-2,TIME-WAIT,RcvAck\n"
                                  "0.002000000,client,,TIME-WAIT,CLOSED,RcvAck\n");
  }
}

}  // namespace
}  // namespace synlab::app
