// pcap export checked by Wireshark's dissectors (tshark): a client - router - server run with
// a lost and retransmitted SYN, handshake with Linux's options (linux-tcp.md), data, FIN, and
// an RST/ACK from a closed port. Every capture decodes with good IPv4 and TCP checksums
// (RFC 791 §3.1, RFC 9293 §3.1), nothing malformed, and tshark's fields equal the records.
// Skips (exit 77) only when tshark is absent; scripts/setup.sh installs it.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

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

#include "models/net/loss_model.hpp"
#include "models/net/packet_record.hpp"
#include "models/net/pcap_captures.hpp"
#include "models/net/scripted_drops.hpp"
#include "models/net/tcp_network.hpp"
#include "sim/memory_sink.hpp"
#include "sim/scheduler.hpp"
#include "sim/topology.hpp"

using namespace std::chrono_literals;
using synlab::net::PacketRecord;
using synlab::net::TcpNetwork;
using synlab::net::TcpPacket;
using synlab::sim::Direction;
using synlab::sim::Ipv4Address;
using synlab::sim::NodeId;
using synlab::sim::PacketEventKind;
using synlab::tcp::Flag;
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

// A run's captures, in a directory of its own (pid and a count), removed afterwards unless
// SYNLAB_KEEP_PCAP is set.
struct TempDir {
  static inline int count = 0;
  fs::path path =
      fs::temp_directory_path() /
      ("synlab-pcap-tshark-test-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
  TempDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    if (std::getenv("SYNLAB_KEEP_PCAP") != nullptr) return;
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

// Client and server answer as Linux does in the handshake (linux-tcp.md "TCP options and
// windows"); TSval ticks at 1 kHz from 7 (client) and 500 (server). No TCP endpoint yet: the
// test plays both sides, one reaction per arriving segment.
struct Exchange {
  synlab::sim::Scheduler& s;
  TcpNetwork& net;
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

  void at_server(const TcpPacket& p) {
    const Segment& in = p.payload;
    Segment out;
    out.src_port = in.dst_port;
    out.dst_port = in.src_port;
    if (in.flags == Flag::Syn && in.dst_port == 81) {
      // Closed port: RST/ACK, seq 0, ack ISN+1, window 0, no options (linux-tcp.md).
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

  void at_client(const TcpPacket& p) {
    const Segment& in = p.payload;
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
  using Flags = synlab::tcp::Flags;
};

struct Run {
  TempDir dir;
  std::vector<PacketRecord> records;
  std::vector<synlab::net::PlannedCapture> plan;
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
  std::vector<synlab::sim::TraceSink<PacketRecord>*> sinks = captures.sinks();
  sinks.push_back(&memory);

  synlab::sim::Scheduler s;
  TcpNetwork net(s, std::move(topo), 1, synlab::sim::Trace<PacketRecord>(sinks));
  net.loss(l0, Direction::Forward) = synlab::net::LossModel(
      synlab::net::NoRandomLoss{}, synlab::sim::RandomStream(1, "loss/unused"),
      synlab::net::ScriptedDrops({{synlab::net::SegmentMatch::syn(), {1}, {}, {}}}));
  Exchange x{s, net, client, server};
  auto server_rx = [&](const TcpPacket& p) { x.at_server(p); };
  auto client_rx = [&](const TcpPacket& p) { x.at_client(p); };
  net.attach(server, synlab::sim::PacketHook<Segment>::ref(server_rx));
  net.attach(client, synlab::sim::PacketHook<Segment>::ref(client_rx));
  s.schedule_at(synlab::sim::at(0s), [&] { x.client_syn(40000, 80); });
  s.schedule_at(synlab::sim::at(1s), [&] { x.client_syn(40000, 80); });
  s.schedule_at(synlab::sim::at(2s), [&] { x.client_syn(40001, 81); });
  s.run();
  const std::vector<synlab::net::PcapError> errors = captures.finish();
  for (const auto& e : errors) FAIL(e.message());
  out.records = memory.records;
}

// Runs `command`, returns its standard output; fails the test on a non-zero exit.
std::string run_command(const std::string& command) {
  std::FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = ::pclose(pipe);
  INFO(command);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return output;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(s);
  while (std::getline(in, field, sep)) out.push_back(field);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

// The fields tshark reports, in this order; "," joins repeated values (tcp.option_kind).
const std::vector<std::string> fields{
    "frame.time_epoch",
    "frame.protocols",
    "ip.src",
    "ip.dst",
    "ip.id",
    "ip.ttl",
    "ip.flags.df",
    "ip.len",
    "ip.checksum.status",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.seq_raw",
    "tcp.ack_raw",
    "tcp.flags",
    "tcp.window_size_value",
    "tcp.len",
    "tcp.hdr_len",
    "tcp.option_kind",
    "tcp.options.mss_val",
    "tcp.options.wscale.shift",
    "tcp.options.timestamp.tsval",
    "tcp.options.timestamp.tsecr",
    "tcp.checksum.status",
    "_ws.malformed",
    "_ws.expert.severity",
};

std::string tshark(const fs::path& file, const std::string& args) {
  // Checksum validation is off by default in Wireshark; -o turns it on for IP and TCP.
  return run_command("tshark -n -r '" + file.string() +
                     "' -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE " + args +
                     " 2>/dev/null");
}

// "S.NNNNNNNNN": how tshark prints frame.time_epoch from a nanosecond pcap.
std::string epoch_seconds(synlab::sim::Time t) {
  const std::int64_t ns = synlab::sim::to_ns(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(ns / 1'000'000'000),
                static_cast<long long>(ns % 1'000'000'000));
  return buf;
}

std::string hex4(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%04x", v);
  return buf;
}

template <class T>
std::string or_empty(const std::optional<T>& v) {
  return v ? std::to_string(static_cast<std::uint32_t>(*v)) : std::string();
}

// The option kinds in Linux's wire order, as linux-tcp.md lists them: MSS (2); SACK_PERM (4)
// then TS (8), or NOP NOP TS, or NOP NOP SACK_PERM; NOP WS (1, 3).
std::string linux_option_kinds(const synlab::tcp::Options& o) {
  std::vector<std::string> kinds;
  if (o.mss) kinds.push_back("2");
  if (o.timestamps && o.sack_permitted) kinds.insert(kinds.end(), {"4", "8"});
  if (o.timestamps && !o.sack_permitted) kinds.insert(kinds.end(), {"1", "1", "8"});
  if (!o.timestamps && o.sack_permitted) kinds.insert(kinds.end(), {"1", "1", "4"});
  if (o.window_scale) kinds.insert(kinds.end(), {"1", "3"});
  std::string out;
  for (const std::string& k : kinds) out += (out.empty() ? "" : ",") + k;
  return out;
}

// What tshark must report for the packet of record `r`, field by field (`fields` order).
// ip.checksum.status and tcp.checksum.status 1 = "Good"; _ws.malformed absent.
std::vector<std::string> expected_fields(const PacketRecord& r) {
  const synlab::tcp::Options& o = r.options;
  return {
      epoch_seconds(r.time),
      "raw:ip:tcp",
      r.src.to_string(),
      r.dst.to_string(),
      hex4(static_cast<std::uint32_t>(r.packet_id & 0xffffu)),  // IP ID (wire_codec.hpp)
      "64",                                                     // TTL (linux-tcp.md)
      "1",                                                      // DF (linux-tcp.md)
      std::to_string(r.size_bytes),
      "1",
      std::to_string(r.src_port),
      std::to_string(r.dst_port),
      std::to_string(r.seq),
      std::to_string(r.ack),
      hex4(r.flags.bits()),
      std::to_string(r.window),
      std::to_string(r.payload_bytes),
      std::to_string(20 + o.wire_bytes()),
      linux_option_kinds(o),
      or_empty(o.mss),
      or_empty(o.window_scale),
      o.timestamps ? std::to_string(o.timestamps->tsval) : "",
      o.timestamps ? std::to_string(o.timestamps->tsecr) : "",
      "1",
      "",
  };
}

// Expert-info severities (epan/proto.h): chat 0x00200000, note 0x00400000, warn 0x00600000,
// error 0x00800000. Malformed packets and bad checksums are errors.
constexpr long expert_error = 0x00800000;

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

std::vector<std::string> lines_of(const std::string& output) {
  std::vector<std::string> lines = split(output, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

}  // namespace

TEST_CASE("every capture: tshark decodes each packet with good checksums and the records' fields") {
  Run r;
  run(r);
  // link-client-router, its .received, link-router-server, its .received, client, server.
  REQUIRE(r.plan.size() == 6);
  std::string args = "-T fields -E separator=/t -E occurrence=a -E aggregator=,";
  for (const std::string& f : fields) args += " -e " + f;
  std::size_t frames = 0;
  for (const synlab::net::PlannedCapture& planned : r.plan) {
    CAPTURE(planned.file_name);
    std::vector<PacketRecord> expected;
    for (const PacketRecord& rec : r.records)
      if (planned.select.selects(rec)) expected.push_back(rec);
    REQUIRE(!expected.empty());
    const std::vector<std::string> lines = lines_of(tshark(r.dir.path / planned.file_name, args));
    REQUIRE(lines.size() == expected.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
      CAPTURE(i + 1);
      CAPTURE(to_string(expected[i]));
      std::vector<std::string> got = split(lines[i], '\t');
      REQUIRE(got.size() == fields.size());
      // Severities: every expert item below "error" (RST, SYN and FIN notes are chat/warn).
      for (const std::string& severity : split(got.back(), ','))
        CHECK(std::stol(severity) < expert_error);
      got.pop_back();
      const std::vector<std::string> want = expected_fields(expected[i]);
      for (std::size_t k = 0; k < want.size(); ++k) {
        CAPTURE(fields[k]);
        CHECK(got[k] == want[k]);
      }
      ++frames;
    }
  }
  // The client sends 7 packets (SYN lost, SYN, ACK, data, FIN, last ACK, SYN to port 81),
  // the server 4 (SYN/ACK, ACK, FIN/ACK, RST/ACK). client-router as sent: all 11; as
  // received: 10. router-server, as sent and as received: 10. Client: 7 sent + 4 received;
  // server: 6 received + 4 sent.
  CHECK(frames == 11 + 10 + 10 + 10 + 11 + 10);
}

TEST_CASE("tcp.analysis.retransmission marks exactly the retransmitted SYN") {
  Run r;
  run(r);
  for (const synlab::net::PlannedCapture& planned : r.plan) {
    CAPTURE(planned.file_name);
    std::vector<PacketRecord> frames;
    for (const PacketRecord& rec : r.records)
      if (planned.select.selects(rec)) frames.push_back(rec);
    const std::vector<std::string> marked =
        lines_of(tshark(r.dir.path / planned.file_name,
                        "-Y tcp.analysis.retransmission -T fields -e frame.number"));
    CHECK(marked == retransmitted_syns(frames));
  }
  // The lost SYN is in the sender's captures only: frame 2, the SYN sent again at 1 s (RFC
  // 6298 (2.1): initial RTO 1 s), is the one tshark marks.
  const auto marked = [&](const std::string& file) {
    return lines_of(tshark(r.dir.path / file,
                           "-Y tcp.analysis.retransmission -T fields -e frame.number -e "
                           "frame.time_epoch -e tcp.options.timestamp.tsval"));
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
    return lines_of(tshark(r.dir.path / file,
                           "-Y \"tcp.flags.syn == 1 && tcp.port == 80\" -T fields -e "
                           "frame.time_epoch"));
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
  if (std::system("tshark --version >/dev/null 2>&1") != 0) {
    std::puts("SKIPPED: tshark not found; scripts/setup.sh installs it (Debian package tshark)");
    return 77;
  }
  doctest::Context context(argc, argv);
  return context.run();
}
