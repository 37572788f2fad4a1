// PacketEvent: reading packets.csv rows (see packet_event.hpp).
#include "viz/packet_event.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "viz/viz_error.hpp"

namespace synlab::viz {
namespace {

std::string node_of(const std::string& address) {
  return address.substr(0, address.find(':'));
}

std::optional<std::int64_t> integer(const CsvTable& t, std::size_t row, const char* name) {
  const auto v = t.number(row, name);
  if (!v) return std::nullopt;
  return static_cast<std::int64_t>(*v);
}

}  // namespace

bool PacketEvent::has_flag(const std::string& flag) const {
  std::size_t start = 0;
  while (start <= flags.size()) {
    std::size_t end = flags.find(',', start);
    if (end == std::string::npos) end = flags.size();
    std::size_t b = start;
    while (b < end && flags[b] == ' ') ++b;
    if (flags.compare(b, end - b, flag) == 0) return true;
    start = end + 1;
  }
  return false;
}

std::vector<PacketEvent> read_packet_events(const CsvTable& t, std::uint64_t conn) {
  return conn == 0 ? read_packet_events(t, std::vector<std::uint64_t>{})
                   : read_packet_events(t, std::vector<std::uint64_t>{conn});
}

std::vector<PacketEvent> read_packet_events(const CsvTable& t,
                                            const std::vector<std::uint64_t>& conns) {
  std::vector<PacketEvent> events;
  // (sender, rel_seq, SYN, ACK, FIN, has data) already sent: a second send is a retransmission.
  // ACK counts: in a simultaneous open the SYN,ACK repeats the SYN's sequence number but is a
  // new segment (RFC 9293 Figure 8), not the SYN sent again.
  std::set<std::tuple<std::string, std::int64_t, bool, bool, bool, bool>> sent;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto row_conn = integer(t, r, "conn");
    if (!conns.empty() &&
        (!row_conn || std::find(conns.begin(), conns.end(),
                                static_cast<std::uint64_t>(*row_conn)) == conns.end()))
      continue;
    PacketEvent e;
    e.time_s = t.number(r, "time").value_or(0);
    const std::string& event = t.cell(r, "event");
    if (event == "send")
      e.kind = PacketEventKind::Send;
    else if (event == "recv")
      e.kind = PacketEventKind::Recv;
    else if (event == "drop")
      e.kind = PacketEventKind::Drop;
    else
      throw VizError(t.source() + ": row " + std::to_string(r + 1) + ": unknown event '" + event +
                     "' (expected send, recv or drop)");
    e.reason = t.cell(r, "reason");
    e.node = t.cell(r, "node");
    e.link = t.cell(r, "link");
    e.direction = t.cell(r, "direction");
    e.from = t.cell(r, "from");
    e.to = t.cell(r, "to");
    e.from_node = node_of(e.from);
    e.to_node = node_of(e.to);
    e.conn = row_conn ? static_cast<std::uint64_t>(*row_conn) : 0;
    e.flags = t.cell(r, "flags");
    e.rel_seq = integer(t, r, "rel_seq");
    e.rel_ack = integer(t, r, "rel_ack");
    // payload_bytes; files written before that column was renamed call it len.
    e.len = integer(t, r, t.has_column("payload_bytes") ? "payload_bytes" : "len").value_or(0);
    e.packet_id = static_cast<std::uint64_t>(integer(t, r, "packet_id").value_or(0));
    const bool syn = e.has_flag("SYN");
    const bool fin = e.has_flag("FIN");
    if (e.first_hop() && e.rel_seq && (syn || fin || e.len > 0))
      e.retransmission =
          !sent.emplace(e.from, *e.rel_seq, syn, e.has_flag("ACK"), fin, e.len > 0).second;
    events.push_back(std::move(e));
  }
  return events;
}

namespace {

// A relative sequence number as a signed distance (RFC 9293 §3.4: sequence space is modulo
// 2^32): one from another connection's ISN, such as an old connection's ACK after a crash, reads
// -1499999 rather than 4293467297.
std::int64_t signed_distance(std::int64_t relative) {
  constexpr std::int64_t half = std::int64_t{1} << 31;
  return relative >= half && relative < 2 * half ? relative - 2 * half : relative;
}

}  // namespace

std::string segment_label(const PacketEvent& e) {
  std::string label = e.flags.empty() ? "(no flags)" : e.flags;
  if (e.rel_seq) label += " seq=" + std::to_string(signed_distance(*e.rel_seq));
  if (e.rel_ack && e.has_flag("ACK"))
    label += " ack=" + std::to_string(signed_distance(*e.rel_ack));
  if (e.len > 0) label += " len=" + std::to_string(e.len);
  return label;
}

}  // namespace synlab::viz
