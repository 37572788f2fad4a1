// A drill run's files (drill_trace.hpp). The drill's wire has no delay: each segment is sent and
// received at the same instant, one `send` row at its sender and one `recv` row at the other.
#include "app/drill_trace.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <vector>

#include "app/output_dir.hpp"
#include "app/version.hpp"
#include "models/net/packet_record.hpp"
#include "models/net/pcap_writer.hpp"
#include "models/net/wire_codec.hpp"

namespace synlab::app {

namespace {

constexpr std::string_view local_name = "local";
constexpr std::string_view peer_name = "peer";

}  // namespace

void write_drill_trace(OutputDir& dir, const std::string& script_path, const std::string& profile,
                       const drill::DrillResult& result) {
  // Relative numbers as packets.csv has them: each side's from its own first SYN.
  std::optional<std::uint32_t> local_isn, peer_isn;
  for (const drill::WireSegment& w : result.wire) {
    if (!w.segment.segment.flags.has(tcp::Flag::Syn)) continue;
    std::optional<std::uint32_t>& isn = w.inbound ? peer_isn : local_isn;
    if (!isn) isn = w.segment.segment.seq.value();
  }

  std::ofstream packets = dir.open("packets.csv");
  packets << net::PacketRecord::csv_header << '\n';
  std::string line;
  std::uint64_t id = 0;
  for (const drill::WireSegment& w : result.wire) {
    ++id;
    const tcp::Segment& s = w.segment.segment;
    const std::string_view from_node = w.inbound ? peer_name : local_name;
    const std::string_view to_node = w.inbound ? local_name : peer_name;
    const std::optional<std::uint32_t> own = w.inbound ? peer_isn : local_isn;
    const std::optional<std::uint32_t> other = w.inbound ? local_isn : peer_isn;
    for (const sim::PacketEventKind kind :
         {sim::PacketEventKind::Send, sim::PacketEventKind::Recv}) {
      net::PacketRecord r;
      r.time = w.time;
      r.event = kind;
      r.node = sim::NodeId{kind == sim::PacketEventKind::Send ? (w.inbound ? 1u : 0u)
                                                              : (w.inbound ? 0u : 1u)};
      r.link = sim::LinkId{0};
      r.direction = w.inbound ? sim::Direction::Backward : sim::Direction::Forward;
      r.packet_id = id;
      r.size_bytes = w.segment.ip_bytes();
      r.src = sim::Ipv4Address{w.segment.src_host};
      r.dst = sim::Ipv4Address{w.segment.dst_host};
      r.src_port = s.src_port;
      r.dst_port = s.dst_port;
      r.seq = s.seq.value();
      r.ack = s.ack.value();
      r.flags = s.flags;
      r.window = s.window;
      r.payload_bytes = s.payload_bytes;
      r.options = s.options;
      net::PacketNames names;
      names.node = kind == sim::PacketEventKind::Send ? from_node : to_node;
      names.link = "wire";
      names.from_host = from_node;  // "local:40000"
      names.to_host = to_node;
      names.conn = 1;
      if (own) names.rel_seq = s.seq.value() - *own;
      if (other && s.flags.has(tcp::Flag::Ack)) names.rel_ack = s.ack.value() - *other;
      line.clear();
      net::to_csv(r, names, line);
      packets << line << '\n';
    }
  }
  dir.check(packets, "packets.csv");

  // The listener's own records have no connection; every other one is the script's.
  std::set<std::uint32_t> listeners;
  for (const tcp::TcpRecord& r : result.states)
    if (r.to == tcp::State::Listen && r.from == tcp::State::Closed) listeners.insert(r.conn);
  std::ofstream states = dir.open("states.csv");
  states << tcp::state_csv_header << '\n';
  for (const tcp::TcpRecord& r : result.states) {
    line.clear();
    tcp::state_to_csv(
        r, listeners.contains(r.conn) ? std::nullopt : std::optional<std::uint64_t>(1), line);
    states << line << '\n';
  }
  dir.check(states, "states.csv");

  auto opened = net::PcapWriter::open(dir.staging() / "trace.pcap");
  // The writer names its file in the staging folder; the user knows OUTDIR.
  const auto shown = [&](const net::PcapError& e) {
    return OutputDir::replace_path(e.message(), dir.staging(), dir.target());
  };
  if (auto* e = std::get_if<net::PcapError>(&opened)) throw OutputError(shown(*e));
  net::PcapWriter& pcap = std::get<net::PcapWriter>(opened);
  std::vector<std::uint8_t> bytes;
  id = 0;
  for (const drill::WireSegment& w : result.wire) {
    net::WirePacket p;
    p.src = sim::Ipv4Address{w.segment.src_host};
    p.dst = sim::Ipv4Address{w.segment.dst_host};
    p.ip_id = static_cast<std::uint16_t>(++id);
    p.segment = w.segment.segment;
    net::encode(p, bytes);
    pcap.write(w.time, bytes);
  }
  if (const std::optional<net::PcapError> e = pcap.finish()) throw OutputError(shown(*e));

  nlohmann::json summary;
  summary["synlab"] = {{"version", version}, {"source", source_revision}, {"command", "drill"}};
  summary["scenario"] = {{"name", std::filesystem::path(script_path).stem().string()},
                         {"file", script_path}};
  summary["drill"] = {{"profile", profile}, {"passed", result.passed}, {"failure", result.failure}};
  summary["seed"] = 0;
  summary["repeat"] = 1;
  summary["points"] = nlohmann::json::array({{{"parameters", nlohmann::json::object()}}});
  std::ofstream out = dir.open("summary.json");
  // A byte that is not UTF-8 (in the script's path, say) is written as U+FFFD, not refused:
  // the trace is whole either way.
  out << summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  dir.check(out, "summary.json");
  dir.commit();
}

}  // namespace synlab::app
