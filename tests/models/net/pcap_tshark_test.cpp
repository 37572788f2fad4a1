// pcap export checked by Wireshark's dissectors (tshark): a client - router - server run with
// a lost and retransmitted SYN, handshake with Linux's options (docs/linux-reference.md), data,
// FIN, and an RST/ACK from a closed port. Every capture decodes with good IPv4 and TCP checksums
// (RFC 791 §3.1, RFC 9293 §3.1), nothing malformed, and tshark's fields equal the records.
// Skips (exit 77) only when tshark is absent; scripts/setup.sh installs it.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "models/net/ip_network.hpp"
#include "models/net/loss_model.hpp"
#include "models/net/packet_record.hpp"
#include "models/net/pcap_captures.hpp"
#include "models/net/scripted_drops.hpp"
#include "sim/csv_row.hpp"
#include "sim/csv_sink.hpp"
#include "sim/memory_sink.hpp"
#include "sim/scheduler.hpp"
#include "sim/topology.hpp"
#include "tests/support/pcap_check.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using synlab::net::IpNetwork;
using synlab::net::IpPacket;
using synlab::net::PacketRecord;
using synlab::sim::Direction;
using synlab::sim::Ipv4Address;
using synlab::sim::NodeId;
using synlab::sim::PacketEventKind;
using synlab::tcp::Flag;
using synlab::tcp::Flags;
using synlab::tcp::Segment;
using synlab::tcp::SeqNum;
using synlab::tcp::Timestamps;
namespace fs = std::filesystem;

namespace {

const Ipv4Address client_ip = Ipv4Address::from_octets(10, 0, 0, 1);
const Ipv4Address router_ip = Ipv4Address::from_octets(10, 0, 0, 254);
const Ipv4Address server_ip = Ipv4Address::from_octets(10, 0, 0, 2);
constexpr std::uint32_t client_isn = 1000;
constexpr std::uint32_t server_isn = 5000;

// A run's captures go to a TempDir (SYNLAB_KEEP_TEST_FILES keeps them).
using synlab::test::TempDir;

// Client and server answer as Linux does in the handshake (docs/linux-reference.md "TCP options and
// windows"); TSval ticks at 1 kHz from 7 (client) and 500 (server). No TCP endpoint yet: the
// test plays both sides, one reaction per arriving segment.
struct Exchange {
  synlab::sim::Scheduler& s;
  IpNetwork& net;
  NodeId client;
  NodeId server;

  std::uint32_t ms() const {
    return static_cast<std::uint32_t>(synlab::sim::to_ns(s.now()) / 1'000'000);
  }

  static Segment linux_syn_options(Segment seg) {
    seg.options.mss = 1460;
    seg.options.sack_permitted = true;
    seg.options.window_scale = 10;
    return seg;
  }

  void client_syn(std::uint16_t src_port, std::uint16_t dst_port) {
    Segment syn;
    syn.src_port = src_port;
    syn.dst_port = dst_port;
    syn.seq = SeqNum(client_isn);
    syn.flags = Flag::Syn;
    syn.window = 64240;
    syn = linux_syn_options(syn);
    syn.options.timestamps = Timestamps{7 + ms(), 0};  // a retransmission gets a new TSval
    net.send(client, synlab::net::make_packet(client_ip, server_ip, syn));
  }

  void at_server(const IpPacket& p) {
    const Segment& in = *p.payload.tcp();
    Segment out;
    out.src_port = in.dst_port;
    out.dst_port = in.src_port;
    if (in.flags == Flag::Syn && in.dst_port == 81) {
      // Closed port: RST/ACK, seq 0, ack ISN+1, window 0, no options (docs/linux-reference.md).
      out.flags = Flag::Rst | Flag::Ack;
      out.ack = in.seq + 1;
    } else if (in.flags == Flag::Syn) {
      out = linux_syn_options(out);
      out.flags = Flag::Syn | Flag::Ack;
      out.seq = SeqNum(server_isn);
      out.ack = in.seq + 1;
      out.window = 65160;
      out.options.timestamps = Timestamps{500 + ms(), in.options.timestamps->tsval};
    } else if (in.payload_bytes > 0 || in.flags.has(Flag::Fin)) {
      // ACK the data; answer a FIN with FIN/ACK.
      out.flags = in.flags.has(Flag::Fin) ? Flag::Fin | Flag::Ack : Flags(Flag::Ack);
      out.seq = SeqNum(server_isn + 1);
      out.ack = in.seq + in.seg_len();
      out.window = 64;
      out.options.timestamps = Timestamps{500 + ms(), in.options.timestamps->tsval};
    } else {
      return;  // a pure ACK
    }
    net.send(server, synlab::net::make_packet(server_ip, client_ip, out));
  }

  void at_client(const IpPacket& p) {
    const Segment& in = *p.payload.tcp();
    if (in.flags.has(Flag::Rst)) return;
    Segment out;
    out.src_port = in.dst_port;
    out.dst_port = in.src_port;
    out.flags = Flag::Ack;
    out.seq = in.ack;
    out.ack = in.seq + in.seg_len();
    out.window = 63;
    out.options.timestamps = Timestamps{7 + ms(), in.options.timestamps->tsval};
    if (in.flags.has(Flag::Syn)) {
      net.send(client, synlab::net::make_packet(client_ip, server_ip, out));  // third ACK
      Segment data = out;
      data.flags = Flag::Psh | Flag::Ack;
      data.payload_bytes = 101;
      net.send(client, synlab::net::make_packet(client_ip, server_ip, data));
    } else if (in.flags.has(Flag::Fin)) {
      net.send(client, synlab::net::make_packet(client_ip, server_ip, out));  // last ACK
    } else {  // the data's ACK: close
      out.flags = Flag::Fin | Flag::Ack;
      net.send(client, synlab::net::make_packet(client_ip, server_ip, out));
    }
  }
};

struct Run {
  TempDir dir{"pcap-tshark-test"};
  std::vector<PacketRecord> records;
  std::vector<synlab::net::PlannedCapture> plan;
  std::string packets_csv;  // what `synlab run` writes as packets.csv (sim::CsvSink)
};

// client -(1.234567 ms, 10 Mbit/s)- router -(2.000003 ms)- server; the first SYN is lost
// on client -> router. The SYN is sent at 0 and again at 1 s (RFC 6298 (2.1): initial RTO
// 1 s); at 2 s a SYN to the closed port 81.
void run(Run& out) {
  synlab::sim::Topology topo;
  const NodeId client = topo.add_node("client", client_ip);
  const NodeId router = topo.add_node("router", router_ip);
  const NodeId server = topo.add_node("server", server_ip);
  synlab::sim::LinkDirectionConfig access;
  access.delay = 1'234'567ns;
  access.rate_bps = 10'000'000;
  synlab::sim::LinkDirectionConfig core;
  core.delay = 2'000'003ns;
  const synlab::sim::LinkId l0 = topo.add_link(client, router, access);
  topo.add_link(router, server, core);

  const synlab::net::PcapOptions options{true, true, {client, server}};
  out.plan = synlab::net::plan_captures(topo, options);
  auto opened = synlab::net::PcapCaptures::open(out.dir.path, topo, options);
  if (auto* e = std::get_if<synlab::net::PcapError>(&opened)) FAIL(e->message());
  auto& captures = std::get<synlab::net::PcapCaptures>(opened);
  synlab::sim::MemorySink<PacketRecord> memory;
  std::ostringstream csv;
  synlab::sim::CsvSink<PacketRecord> csv_sink(csv);
  std::vector<synlab::sim::TraceSink<PacketRecord>*> sinks = captures.sinks();
  sinks.push_back(&memory);
  sinks.push_back(&csv_sink);

  synlab::sim::Scheduler s;
  IpNetwork net(s, std::move(topo), 1, synlab::sim::Trace<PacketRecord>(sinks));
  net.loss(l0, Direction::Forward) = synlab::net::LossModel(
      synlab::net::NoRandomLoss{}, synlab::sim::RandomStream(1, "loss/unused"),
      synlab::net::ScriptedDrops({{synlab::net::SegmentMatch::syn(), {1}, {}, {}}}));
  Exchange x{s, net, client, server};
  auto server_rx = [&](const IpPacket& p) { x.at_server(p); };
  auto client_rx = [&](const IpPacket& p) { x.at_client(p); };
  net.attach(server, synlab::sim::PacketHook<synlab::net::IpPayload>::ref(server_rx));
  net.attach(client, synlab::sim::PacketHook<synlab::net::IpPayload>::ref(client_rx));
  s.schedule_at(synlab::sim::at(0s), [&] { x.client_syn(40000, 80); });
  s.schedule_at(synlab::sim::at(1s), [&] { x.client_syn(40000, 80); });
  s.schedule_at(synlab::sim::at(2s), [&] { x.client_syn(40001, 81); });
  s.run();
  const std::vector<synlab::net::PcapError> errors = captures.finish();
  for (const auto& e : errors) FAIL(e.message());
  out.records = memory.records;
  out.packets_csv = csv.str();
}

// The frames (numbered from 1) holding a SYN that an earlier frame of the capture already
// carried: same addresses, ports and sequence number (RFC 9293 §3.8.1 retransmission).
std::vector<std::string> retransmitted_syns(const std::vector<PacketRecord>& frames) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const PacketRecord& f = frames[i];
    if (!f.flags.has(Flag::Syn)) continue;
    for (std::size_t j = 0; j < i; ++j) {
      const PacketRecord& e = frames[j];
      if (e.flags == f.flags && e.src == f.src && e.dst == f.dst && e.src_port == f.src_port &&
          e.dst_port == f.dst_port && e.seq == f.seq) {
        out.push_back(std::to_string(i + 1));
        break;
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("every capture: tshark decodes each packet, good checksums, fields = packets.csv") {
  Run r;
  run(r);
  // link-client-router, its .received, link-router-server, its .received, client, server.
  REQUIRE(r.plan.size() == 6);
  const auto packets = synlab::test::CsvTable::parse(r.packets_csv, "packets.csv");
  REQUIRE(packets.rows() == r.records.size());
  std::size_t frames = 0;
  for (const synlab::net::PlannedCapture& planned : r.plan) {
    CAPTURE(planned.file_name);
    const std::vector<std::size_t> rows = synlab::test::selected_rows(packets, planned.select);
    CHECK(!rows.empty());
    for (const std::string& problem :
         synlab::test::compare_capture(r.dir.path / planned.file_name, packets, rows))
      FAIL_CHECK(problem);
    frames += rows.size();
  }
  // The client sends 7 packets (SYN lost, SYN, ACK, data, FIN, last ACK, SYN to port 81),
  // the server 4 (SYN/ACK, ACK, FIN/ACK, RST/ACK). client-router as sent: all 11; as
  // received: 10. router-server, as sent and as received: 10. Client: 7 sent + 4 received;
  // server: 6 received + 4 sent.
  CHECK(frames == 11 + 10 + 10 + 10 + 11 + 10);
}

TEST_CASE("the comparison fails when packets.csv and the capture differ") {
  Run r;
  run(r);
  const auto packets = synlab::test::CsvTable::parse(r.packets_csv, "packets.csv");
  const std::vector<std::size_t> rows = synlab::test::selected_rows(packets, r.plan.front().select);
  const std::filesystem::path file = r.dir.path / r.plan.front().file_name;
  REQUIRE(synlab::test::compare_capture(file, packets, rows).empty());
  // Row 1 is the first SYN: seq 1000, time 0. Written again with its seq and time changed.
  REQUIRE(packets.cell(0, "seq") == "1000");
  std::string edited;
  for (std::size_t row = 0; row <= packets.rows(); ++row) {
    synlab::sim::CsvRow line(edited);
    for (std::size_t column = 0; column < packets.header().size(); ++column) {
      const std::string& name = packets.header()[column];
      if (row == 0)
        line.add(name);
      else if (row == 1 && name == "seq")
        line.add("1001");
      else if (row == 1 && name == "time")
        line.add("0.000000001");
      else
        line.add(packets.cell(row - 1, column));
    }
    edited += '\n';
  }
  const auto changed = synlab::test::CsvTable::parse(edited, "edited packets.csv");
  CHECK(synlab::test::compare_capture(file, changed, rows) ==
        std::vector<std::string>{
            "link-client-router.pcap frame 1 (packets.csv row 1): frame.time_epoch is "
            "\"0.000000000\", expected \"0.000000001\"",
            "link-client-router.pcap frame 1 (packets.csv row 1): tcp.seq_raw is \"1000\", "
            "expected \"1001\""});
  CHECK(synlab::test::compare_capture(file, changed, {rows.begin(), rows.end() - 1}).front() ==
        "link-client-router.pcap has 11 frames, packets.csv 10 rows for it");
}

TEST_CASE("the comparison reads packets.csv's flags in both forms, and fails on other flags") {
  Run r;
  run(r);
  const auto packets = synlab::test::CsvTable::parse(r.packets_csv, "packets.csv");
  const std::vector<std::size_t> rows = synlab::test::selected_rows(packets, r.plan.front().select);
  const std::filesystem::path file = r.dir.path / r.plan.front().file_name;
  // Every flags cell rewritten by `flags_of(row, cell)`, the other cells as they are.
  const auto rewritten = [&](const auto& flags_of) {
    std::string text;
    for (std::size_t row = 0; row <= packets.rows(); ++row) {
      synlab::sim::CsvRow line(text);
      for (std::size_t column = 0; column < packets.header().size(); ++column) {
        const std::string& name = packets.header()[column];
        if (row == 0)
          line.add(name);
        else if (name == "flags")
          line.add(flags_of(row - 1, packets.cell(row - 1, column)));
        else
          line.add(packets.cell(row - 1, column));
      }
      text += '\n';
    }
    return synlab::test::CsvTable::parse(text, "edited packets.csv");
  };
  // The capture of client-router as sent: the lost SYN (frame 1), the SYN at 1 s (frame 2), the
  // server's SYN/ACK forwarded by the router (frame 3), written with "+" (Flags::to_string).
  REQUIRE(rows.size() >= 3);
  REQUIRE(packets.cell(rows[1], "flags") == "SYN");
  REQUIRE(packets.cell(rows[2], "flags") == "SYN+ACK");
  // Older files: Wireshark's names, joined by ", " (a quoted cell). The same bits: no problem.
  const auto older = rewritten([](std::size_t, std::string_view cell) {
    std::string out;
    for (const char c : cell) out += c == '+' ? std::string(", ") : std::string(1, c);
    return out;
  });
  REQUIRE(older.cell(rows[2], "flags") == "SYN, ACK");
  CHECK(synlab::test::compare_capture(file, older, rows).empty());
  // Frame 3's row as ACK alone: 0x0010, where tshark reads SYN 0x0002 | ACK 0x0010 = 0x0012.
  const auto other = rewritten([&](std::size_t row, std::string_view cell) {
    return row == rows[2] ? std::string("ACK") : std::string(cell);
  });
  const std::string row3 = std::to_string(rows[2] + 1);
  CHECK(synlab::test::compare_capture(file, other, rows) ==
        std::vector<std::string>{"link-client-router.pcap frame 3 (packets.csv row " + row3 +
                                 "): tcp.flags is \"0x0012\", expected \"0x0010\""});
}

TEST_CASE("tcp.analysis.retransmission marks exactly the retransmitted SYN") {
  Run r;
  run(r);
  for (const synlab::net::PlannedCapture& planned : r.plan) {
    CAPTURE(planned.file_name);
    std::vector<PacketRecord> frames;
    for (const PacketRecord& rec : r.records)
      if (planned.select.selects(rec)) frames.push_back(rec);
    std::vector<std::string> marked;
    for (const std::uint32_t frame :
         synlab::test::retransmission_frames(r.dir.path / planned.file_name))
      marked.push_back(std::to_string(frame));
    CHECK(marked == retransmitted_syns(frames));
  }
  // The lost SYN is in the sender's captures only: frame 2, the SYN sent again at 1 s (RFC
  // 6298 (2.1): initial RTO 1 s), is the one tshark marks.
  const auto marked = [&](const std::string& file) {
    return synlab::test::tshark_lines(r.dir.path / file,
                                      "-Y tcp.analysis.retransmission -T fields -e frame.number -e "
                                      "frame.time_epoch -e tcp.options.timestamp.tsval");
  };
  CHECK(marked("link-client-router.pcap") == std::vector<std::string>{"2\t1.000000000\t1007"});
  CHECK(marked("node-client.pcap") == std::vector<std::string>{"2\t1.000000000\t1007"});
  CHECK(marked("link-client-router.received.pcap").empty());
  CHECK(marked("link-router-server.pcap").empty());
  CHECK(marked("node-server.pcap").empty());
}

TEST_CASE("nanosecond times, derived by hand from the links' delays and rate") {
  Run r;
  run(r);
  // The SYN sent at 1 s: 60 B at 10 Mbit/s = 48 us, + 1.234567 ms = 1.001282567 s at the
  // router, + 2.000003 ms = 1.003282570 s at the server, which answers at once. The SYN/ACK
  // (60 B) is at the router at 1.005282573 s, forwarded at once onto client-router, and at
  // the client 48 us + 1.234567 ms later: 1.006565140 s.
  const auto times = [&](const std::string& file) {
    return synlab::test::tshark_lines(r.dir.path / file,
                                      "-Y \"tcp.flags.syn == 1 && tcp.port == 80\" -T fields -e "
                                      "frame.time_epoch");
  };
  CHECK(times("link-client-router.pcap") ==
        std::vector<std::string>{"0.000000000", "1.000000000", "1.005282573"});
  CHECK(times("link-client-router.received.pcap") ==
        std::vector<std::string>{"1.001282567", "1.006565140"});
  CHECK(times("node-server.pcap") == std::vector<std::string>{"1.003282570", "1.003282570"});
}

TEST_CASE("the same run writes byte-identical captures (STYLE §4)") {
  Run first;
  run(first);
  Run second;
  run(second);
  for (const synlab::net::PlannedCapture& planned : first.plan) {
    CAPTURE(planned.file_name);
    const auto bytes = [](const fs::path& p) {
      std::ifstream in(p, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    };
    const std::string a = bytes(first.dir.path / planned.file_name);
    CHECK(a.size() > 24);
    CHECK(a == bytes(second.dir.path / planned.file_name));
  }
}

int main(int argc, char** argv) {
  if (!synlab::test::tshark_available()) {
    std::puts("SKIPPED: tshark not found; scripts/setup.sh installs it (Debian package tshark)");
    return 77;
  }
  doctest::Context context(argc, argv);
  return context.run();
}
