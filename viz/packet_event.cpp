// PacketEvent: reading packets.csv rows (see packet_event.hpp).
#include "viz/packet_event.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <tuple>

#include "viz/viz_error.hpp"

namespace synlab::viz {
namespace {

// The flags' names by bit, lowest first, as Wireshark and synlab spell them.
constexpr std::array<std::string_view, 8> flag_names{"FIN", "SYN", "RST", "PSH",
                                                     "ACK", "URG", "ECE", "CWR"};

// Wireshark's names for a flags cell of either form: each "+" becomes ", " ("SYN+ACK" ->
// "SYN, ACK"); a cell already in that form stays as it is.
std::string wireshark_names(std::string_view cell) {
  std::string out;
  for (const char c : cell) {
    if (c == '+')
      out += ", ";
    else
      out += c;
  }
  return out;
}

// A relative sequence number as a signed distance (RFC 9293 §3.4: sequence space is modulo
// 2^32): one from another connection's ISN, such as an old connection's ACK after a crash, reads
// -1499999 rather than 4293467297.
std::int64_t signed_distance(std::int64_t relative) {
  constexpr std::int64_t half = std::int64_t{1} << 31;
  return relative >= half && relative < 2 * half ? relative - 2 * half : relative;
}

std::string node_of(const std::string& address) {
  return address.substr(0, address.find(':'));
}

}  // namespace

std::optional<std::uint8_t> parse_flags(std::string_view cell) {
  if (cell.empty() || cell == "<none>") return std::uint8_t{0};
  std::uint8_t bits = 0;
  std::size_t start = 0;
  while (start <= cell.size()) {
    std::size_t end = cell.find_first_of("+,", start);
    if (end == std::string_view::npos) end = cell.size();
    std::string_view name = cell.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    const auto it = std::find(flag_names.begin(), flag_names.end(), name);
    if (it == flag_names.end()) return std::nullopt;
    bits = static_cast<std::uint8_t>(bits | (1u << (it - flag_names.begin())));
    start = end + 1;
  }
  return bits;
}

bool PacketEvent::has_flag(std::string_view flag) const {
  const auto it = std::find(flag_names.begin(), flag_names.end(), flag);
  return it != flag_names.end() && (flag_bits & (1u << (it - flag_names.begin()))) != 0;
}

std::vector<PacketEvent> read_packet_events(const CsvTable& t, std::uint64_t conn) {
  return conn == 0 ? read_packet_events(t, std::vector<std::uint64_t>{})
                   : read_packet_events(t, std::vector<std::uint64_t>{conn});
}

std::vector<PacketEvent> read_packet_events(const CsvTable& t,
                                            const std::vector<std::uint64_t>& conns) {
  std::vector<PacketEvent> events;
  // (sender, rel_seq, SYN, ACK, FIN, has data, a SYN's own numbers) already sent: a second send
  // is a retransmission. ACK counts: in a simultaneous open the SYN,ACK repeats the SYN's
  // sequence number but is a new segment (RFC 9293 Figure 8), not the SYN sent again. A SYN's
  // raw numbers count too: relative ones are 0 and 1 for every request, but a new request (its
  // own ISN, after the first was reset or dropped) sends its first SYN,ACK, not the old one's
  // again, and a retransmission repeats both numbers.
  std::set<std::tuple<std::string, std::int64_t, bool, bool, bool, bool,
                      std::pair<std::int64_t, std::int64_t>>>
      sent;
  const bool raw = t.has_column("seq") && t.has_column("ack");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto row_conn = t.count(r, "conn");
    if (!conns.empty() &&
        (!row_conn || std::find(conns.begin(), conns.end(), *row_conn) == conns.end()))
      continue;
    PacketEvent e;
    e.time_s = t.seconds(r, "time").value_or(0);
    const std::string_view event = t.cell(r, "event");
    if (event == "send")
      e.kind = PacketEventKind::Send;
    else if (event == "recv")
      e.kind = PacketEventKind::Recv;
    else if (event == "drop")
      e.kind = PacketEventKind::Drop;
    else
      throw VizError(t.source() + ": row " + std::to_string(r + 1) + ": unknown event '" +
                     std::string(event) + "' (expected send, recv or drop)");
    e.reason = t.cell(r, "reason");
    e.node = t.cell(r, "node");
    e.link = t.cell(r, "link");
    e.direction = t.cell(r, "direction");
    e.from = t.cell(r, "from");
    e.to = t.cell(r, "to");
    e.from_node = node_of(e.from);
    e.to_node = node_of(e.to);
    e.conn = row_conn ? static_cast<std::uint64_t>(*row_conn) : 0;
    const std::string_view flags = t.cell(r, "flags");
    const std::optional<std::uint8_t> bits = parse_flags(flags);
    if (!bits)
      throw VizError(t.source() + ": row " + std::to_string(r + 1) + ": unknown TCP flags '" +
                     std::string(flags) + "' (expected names such as SYN+ACK or \"SYN, ACK\")");
    e.flag_bits = *bits;
    e.flags = wireshark_names(flags);
    e.rel_seq = t.whole(r, "rel_seq");
    e.rel_ack = t.whole(r, "rel_ack");
    if (t.has_column("seq")) e.seq = t.whole(r, "seq");
    // payload_bytes; files written before that column was renamed call it len.
    e.len = t.whole(r, t.has_column("payload_bytes") ? "payload_bytes" : "len").value_or(0);
    e.packet_id = t.count(r, "packet_id").value_or(0);
    const bool syn = e.has_flag("SYN");
    const bool fin = e.has_flag("FIN");
    if (e.first_hop() && e.rel_seq && (syn || fin || e.len > 0))
      e.retransmission = !sent.emplace(e.from, *e.rel_seq, syn, e.has_flag("ACK"), fin, e.len > 0,
                                       syn && raw ? std::pair(t.whole(r, "seq").value_or(-1),
                                                              t.whole(r, "ack").value_or(-1))
                                                  : std::pair<std::int64_t, std::int64_t>(0, 0))
                              .second;
    events.push_back(std::move(e));
  }
  return events;
}

std::string segment_label(const PacketEvent& e) {
  std::string label = e.flags.empty() ? "(no flags)" : e.flags;
  // A RST whose SEQ is 0 (<SEQ=0><ACK=SEG.SEQ+SEG.LEN>, RFC 9293 §3.10.7.1's answer to a
  // segment without ACK, and the rfc793 profile's to a SYN in a synchronized state) has no place
  // in its sender's sequence space: its raw 0, not a distance from the ISN (seq=-1901673054).
  if (e.has_flag("RST") && e.seq == 0 && e.rel_seq != 0)
    label += " seq=0 (raw)";
  else if (e.rel_seq)
    label += " seq=" + std::to_string(signed_distance(*e.rel_seq));
  if (e.rel_ack && e.has_flag("ACK"))
    label += " ack=" + std::to_string(signed_distance(*e.rel_ack));
  if (e.len > 0) label += " len=" + std::to_string(e.len);
  return label;
}

}  // namespace synlab::viz
