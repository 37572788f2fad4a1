// PacketEvent: one row of packets.csv (docs/running.md) as typed fields, and which segments
// are retransmissions: a SYN, FIN or data segment whose sequence number its sender sent before
// with the same flags.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "viz/csv_table.hpp"

namespace synlab::viz {

enum class PacketEventKind : std::uint8_t { Send, Recv, Drop };

struct PacketEvent {
  double time_s = 0;
  PacketEventKind kind = PacketEventKind::Send;
  std::string reason;  // drops only: loss, queue-full, link-down, no-route, scripted
  std::string node;    // where it happened
  std::string link;
  std::string direction;  // forward or reverse
  std::string from;       // node:port
  std::string to;
  std::string from_node;  // `from` without the port: the segment's sender
  std::string to_node;
  std::uint64_t conn = 0;
  std::uint8_t flag_bits = 0;  // the header's bits (RFC 9293 §3.1): SYN 0x02, ACK 0x10
  std::string flags;           // Wireshark's names, whatever the file's form: "SYN, ACK"
  std::optional<std::int64_t> rel_seq;
  std::optional<std::int64_t> rel_ack;
  std::optional<std::int64_t> seq;  // the raw sequence number (packets.csv's `seq`)
  std::int64_t len = 0;             // payload_bytes (len in older files)
  std::uint64_t packet_id = 0;
  // A first hop (first_hop(): not a router forwarding it) of a SYN, FIN or data segment whose
  // rel_seq that sender had already sent.
  bool retransmission = false;

  bool has_flag(std::string_view flag) const;  // e.g. has_flag("SYN")
  // The event that puts the packet on its way from its sender: its `send`, or a drop at the sender
  // before any link (no route from it, or the sender down: no `send` before it).
  bool first_hop() const {
    return node == from_node &&
           (kind == PacketEventKind::Send || (kind == PacketEventKind::Drop && link.empty()));
  }
};

// The TCP flag bits (RFC 9293 §3.1: FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, URG 0x20;
// RFC 3168: ECE 0x40, CWR 0x80) of a packets.csv `flags` cell: names joined by "+" as synlab
// writes them ("SYN+ACK"), or by ", " as older files have them (Wireshark's "SYN, ACK", quoted);
// "<none>" or an empty cell for none. std::nullopt if a name is not one of these.
std::optional<std::uint8_t> parse_flags(std::string_view cell);

// The rows of connection `conn` (all rows when 0), in file order, with retransmissions marked.
// Throws VizError on a malformed row.
std::vector<PacketEvent> read_packet_events(const CsvTable& packets, std::uint64_t conn);

// The rows of any of `conns`, in file order, with retransmissions marked among them.
std::vector<PacketEvent> read_packet_events(const CsvTable& packets,
                                            const std::vector<std::uint64_t>& conns);

// The ladder label: flags and relative numbers as Wireshark shows them, e.g. "SYN seq=0",
// "SYN, ACK seq=0 ack=1", "ACK seq=1 ack=1 len=100".
std::string segment_label(const PacketEvent& e);

}  // namespace synlab::viz
