// PcapWriter and PcapSink: the file libpcap writes, read back byte by byte against the pcap
// format (nanosecond magic a1b23c4d, LINKTYPE_RAW 101), and files only complete when finished.
#include "models/net/pcap_writer.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

#include "models/net/capture_select.hpp"
#include "models/net/pcap_captures.hpp"
#include "models/net/pcap_sink.hpp"
#include "models/net/wire_codec.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using synlab::net::CaptureSelect;
using synlab::net::PacketRecord;
using synlab::net::PcapError;
using synlab::net::PcapWriter;
using synlab::sim::at;
using Bytes = std::vector<std::uint8_t>;
namespace fs = std::filesystem;

namespace {

using synlab::test::TempDir;

Bytes read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Fields of the file are in the writer's byte order, which the magic number tells; on the
// little-endian hosts synlab builds on, least significant byte first.
std::uint32_t le32(const Bytes& b, std::size_t at_byte) {
  return std::uint32_t{b[at_byte]} | (std::uint32_t{b[at_byte + 1]} << 8u) |
         (std::uint32_t{b[at_byte + 2]} << 16u) | (std::uint32_t{b[at_byte + 3]} << 24u);
}

PcapWriter open_or_fail(const fs::path& p) {
  auto opened = PcapWriter::open(p);
  if (const PcapError* e = std::get_if<PcapError>(&opened)) FAIL(e->message());
  return std::get<PcapWriter>(std::move(opened));
}

}  // namespace

TEST_CASE("pcap file: nanosecond magic, raw IPv4 link type, record times to the ns") {
  TempDir dir("pcap-writer-test");
  const fs::path file = dir.path / "a.pcap";
  PcapWriter writer = open_or_fail(file);
  const Bytes one{0x45, 0x01, 0x02};
  const Bytes two(60, 0xab);
  writer.write(at(0ns), one);
  writer.write(at(3'000'000'007ns), two);  // 3 s + 7 ns
  CHECK(writer.packets() == 2);
  CHECK_FALSE(fs::exists(file));  // only the .partial exists until finish()
  CHECK(fs::exists(dir.path / "a.pcap.partial"));
  CHECK_FALSE(writer.finish());
  CHECK_FALSE(fs::exists(dir.path / "a.pcap.partial"));

  const Bytes b = read_file(file);
  // Global header (24 B), then per record a 16-byte header and the bytes.
  REQUIRE(b.size() == 24 + 16 + 3 + 16 + 60);
  CHECK(le32(b, 0) == 0xa1b23c4d);  // pcap with nanosecond timestamps
  CHECK(b[4] == 2);                 // version 2.4
  CHECK(b[6] == 4);
  CHECK(le32(b, 16) == 65535);  // snaplen
  CHECK(le32(b, 20) == 101);    // LINKTYPE_RAW: the packet starts with its IP header
  // Record 1: 0 s 0 ns, 3 bytes captured of 3.
  CHECK(le32(b, 24) == 0);
  CHECK(le32(b, 28) == 0);
  CHECK(le32(b, 32) == 3);
  CHECK(le32(b, 36) == 3);
  CHECK(Bytes(b.begin() + 40, b.begin() + 43) == one);
  // Record 2: 3 s 7 ns.
  CHECK(le32(b, 43) == 3);
  CHECK(le32(b, 47) == 7);
  CHECK(le32(b, 51) == 60);
  CHECK(le32(b, 55) == 60);
  CHECK(Bytes(b.begin() + 59, b.end()) == two);
}

TEST_CASE("pcap file: the last second a record holds is 2^32 - 1, later packets are left out") {
  // A record's seconds are 32 bits: 4294967295 s (2106-02-07T06:28:15Z) is the last. A packet
  // at 4294967296 s would be stamped 0 s, back in time; it is counted and not written.
  TempDir dir("pcap-writer-last-second");
  PcapWriter writer = open_or_fail(dir.path / "a.pcap");
  const Bytes one{0x45, 0x01, 0x02};
  writer.write(at(4'294'967'295'999'999'999ns), one);  // the last nanosecond that fits
  writer.write(at(4'294'967'296'000'000'000ns), one);
  writer.write(at(9'000'000'000'000'000'000ns), one);
  CHECK(writer.packets() == 1);
  CHECK(writer.past_last_second() == 2);
  CHECK_FALSE(writer.finish());
  const Bytes b = read_file(dir.path / "a.pcap");
  REQUIRE(b.size() == 24 + 16 + 3);
  CHECK(le32(b, 24) == 4'294'967'295u);
  CHECK(le32(b, 28) == 999'999'999u);
}

TEST_CASE("pcap file errors name the path and the reason, nothing half-written stays") {
  TempDir dir("pcap-writer-test");
  SUBCASE("a directory that does not exist") {
    const fs::path file = dir.path / "missing" / "x.pcap";
    auto opened = PcapWriter::open(file);
    REQUIRE(std::holds_alternative<PcapError>(opened));
    const PcapError& e = std::get<PcapError>(opened);
    CHECK(e.path == file);
    CHECK(e.message() == file.string() + ": No such file or directory");
  }
  SUBCASE("a writer dropped before finish() removes its partial file") {
    {
      PcapWriter writer = open_or_fail(dir.path / "b.pcap");
      writer.write(at(1ms), Bytes(20, 0));
    }
    CHECK(fs::is_empty(dir.path));
  }
  SUBCASE("the full device: write errors surface in finish(), and no file is left") {
    if (!fs::exists("/dev/full")) return;
    // Writing through a symlink to /dev/full: every flush fails with ENOSPC.
    fs::create_symlink("/dev/full", dir.path / "c.pcap.partial");
    PcapWriter writer = open_or_fail(dir.path / "c.pcap");
    writer.write(at(1ms), Bytes(20, 0));
    const std::optional<PcapError> e = writer.finish();
    REQUIRE(e);
    CHECK(e->message() ==
          (dir.path / "c.pcap").string() + ": write failed: No space left on device");
    CHECK_FALSE(fs::exists(dir.path / "c.pcap"));
  }
  SUBCASE("a writer assigned over an unfinished one abandons the older file") {
    PcapWriter writer = open_or_fail(dir.path / "e.pcap");
    writer = open_or_fail(dir.path / "f.pcap");
    CHECK_FALSE(fs::exists(dir.path / "e.pcap.partial"));
    CHECK_FALSE(writer.finish());
    CHECK(fs::exists(dir.path / "f.pcap"));
    CHECK_FALSE(fs::exists(dir.path / "e.pcap"));
  }
  SUBCASE("finish() twice") {
    PcapWriter writer = open_or_fail(dir.path / "d.pcap");
    CHECK_FALSE(writer.finish());
    CHECK(writer.finish());
  }
}

TEST_CASE("capture points: link as sent, link as received, node traffic, drops never") {
  using synlab::sim::LinkId;
  using synlab::sim::NodeId;
  using synlab::sim::PacketEventKind;
  PacketRecord send;
  send.event = PacketEventKind::Send;
  send.node = NodeId{0};
  send.link = LinkId{1};
  PacketRecord recv = send;
  recv.event = PacketEventKind::Recv;
  recv.node = NodeId{2};
  PacketRecord drop = send;
  drop.event = PacketEventKind::Drop;
  PacketRecord no_route = drop;
  no_route.link = LinkId{};

  const CaptureSelect sent = CaptureSelect::link_as_sent(LinkId{1});
  CHECK(sent.selects(send));
  CHECK_FALSE(sent.selects(recv));
  CHECK_FALSE(sent.selects(drop));
  CHECK_FALSE(CaptureSelect::link_as_sent(LinkId{0}).selects(send));
  const CaptureSelect received = CaptureSelect::link_as_received(LinkId{1});
  CHECK_FALSE(received.selects(send));
  CHECK(received.selects(recv));
  CHECK_FALSE(received.selects(drop));
  const CaptureSelect at_0 = CaptureSelect::node_traffic(NodeId{0});
  const CaptureSelect at_2 = CaptureSelect::node_traffic(NodeId{2});
  CHECK(at_0.selects(send));
  CHECK_FALSE(at_0.selects(recv));
  CHECK_FALSE(at_0.selects(drop));
  CHECK_FALSE(at_0.selects(no_route));
  CHECK(at_2.selects(recv));
  CHECK_FALSE(at_2.selects(send));
}

TEST_CASE("PcapSink writes the selected records as encoded packets at the record's time") {
  TempDir dir("pcap-writer-test");
  synlab::net::PcapSink sink(open_or_fail(dir.path / "s.pcap"),
                             CaptureSelect::link_as_sent(synlab::sim::LinkId{0}));
  PacketRecord r;
  r.time = at(1'500'000'001ns);
  r.link = synlab::sim::LinkId{0};
  r.packet_id = 0x10005;  // IP ID 5
  r.src = synlab::sim::Ipv4Address::from_octets(10, 0, 0, 1);
  r.dst = synlab::sim::Ipv4Address::from_octets(10, 0, 0, 2);
  r.flags = synlab::tcp::Flag::Syn;
  sink.write(r);
  PacketRecord ignored = r;
  ignored.event = synlab::sim::PacketEventKind::Recv;
  sink.write(ignored);
  CHECK(sink.packets() == 1);
  CHECK_FALSE(sink.finish());
  const Bytes b = read_file(dir.path / "s.pcap");
  REQUIRE(b.size() == 24 + 16 + 40);
  CHECK(le32(b, 24) == 1);
  CHECK(le32(b, 28) == 500'000'001);
  const Bytes packet(b.begin() + 40, b.end());
  CHECK(packet == synlab::net::encode(synlab::net::wire_packet(r)));
  CHECK(packet[4] == 0x00);  // IP ID: packet id mod 2^16 = 5
  CHECK(packet[5] == 0x05);
}

TEST_CASE("plan_captures: links as sent (and as received), then nodes, file-safe names") {
  using synlab::sim::LinkId;
  using synlab::sim::NodeId;
  synlab::sim::Topology topo;
  const NodeId a = topo.add_node("client", synlab::sim::Ipv4Address::from_octets(10, 0, 0, 1));
  const NodeId b = topo.add_node("r/1", synlab::sim::Ipv4Address::from_octets(10, 0, 0, 9));
  topo.add_link(a, b, synlab::sim::LinkDirectionConfig{});
  using P = synlab::net::PlannedCapture;
  const synlab::net::PcapOptions both_nodes{true, false, {a, b}};
  CHECK(synlab::net::plan_captures(topo, both_nodes) ==
        std::vector<P>{{"link-client-r_1.pcap", CaptureSelect::link_as_sent(LinkId{0})},
                       {"node-client.pcap", CaptureSelect::node_traffic(a)},
                       {"node-r_1.pcap", CaptureSelect::node_traffic(b)}});
  CHECK(synlab::net::plan_captures(topo, {true, true, {}}) ==
        std::vector<P>{
            {"link-client-r_1.pcap", CaptureSelect::link_as_sent(LinkId{0})},
            {"link-client-r_1.received.pcap", CaptureSelect::link_as_received(LinkId{0})}});

  TempDir dir("pcap-writer-test");
  auto opened = synlab::net::PcapCaptures::open(dir.path, topo, both_nodes);
  REQUIRE(std::holds_alternative<synlab::net::PcapCaptures>(opened));
  auto& captures = std::get<synlab::net::PcapCaptures>(opened);
  CHECK(captures.sinks().size() == 3);
  CHECK(captures.finish().empty());
  CHECK(fs::exists(dir.path / "link-client-r_1.pcap"));
  CHECK(fs::exists(dir.path / "node-r_1.pcap"));
  auto failed = synlab::net::PcapCaptures::open(dir.path / "nope", topo, both_nodes);
  REQUIRE(std::holds_alternative<PcapError>(failed));
  CHECK(std::get<PcapError>(failed).path == dir.path / "nope" / "link-client-r_1.pcap");
}
