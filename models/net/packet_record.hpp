// PacketRecord: the trace record of one packet event (`send`, `recv`, `drop` + reason) with
// where it happened and the TCP/IP header fields, as flat values for CSV, pcap and plots.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "models/net/ip_payload.hpp"
#include "models/tcp/flags.hpp"
#include "models/tcp/options.hpp"
#include "models/tcp/segment.hpp"
#include "sim/direction.hpp"
#include "sim/drop_reason.hpp"
#include "sim/ipv4_address.hpp"
#include "sim/link_id.hpp"
#include "sim/node_id.hpp"
#include "sim/packet.hpp"
#include "sim/packet_event.hpp"
#include "sim/time.hpp"

namespace synlab::net {

struct PacketRecord {
  sim::Time time;
  sim::PacketEventKind event = sim::PacketEventKind::Send;
  std::optional<sim::DropReason> reason;  // set for drops only
  sim::NodeId node;
  sim::LinkId link;  // none for a no-route drop
  sim::Direction direction = sim::Direction::Forward;
  std::uint64_t packet_id = 0;
  std::uint32_t size_bytes = 0;  // IPv4 + TCP header + payload
  sim::Ipv4Address src;
  sim::Ipv4Address dst;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint32_t seq = 0;  // absolute, as on the wire
  std::uint32_t ack = 0;
  tcp::Flags flags;
  std::uint16_t window = 0;
  std::uint32_t payload_bytes = 0;
  tcp::Options options;

  friend bool operator==(const PacketRecord&, const PacketRecord&) = default;

  // The record of event `e` of packet `p`; the segment fields stay zero if it carries no TCP.
  static PacketRecord make(const sim::PacketEvent& e, const sim::Packet<IpPayload>& p) {
    static const tcp::Segment none{};
    const tcp::Segment* tcp = p.payload.tcp();
    const tcp::Segment& s = tcp != nullptr ? *tcp : none;
    return PacketRecord{e.time,
                        e.kind,
                        e.kind == sim::PacketEventKind::Drop
                            ? std::optional<sim::DropReason>{e.reason}
                            : std::nullopt,
                        e.node,
                        e.link,
                        e.direction,
                        p.id,
                        p.size_bytes,
                        p.src,
                        p.dst,
                        s.src_port,
                        s.dst_port,
                        s.seq.value(),
                        s.ack.value(),
                        s.flags,
                        s.window,
                        s.payload_bytes,
                        s.options};
  }

  // The one CSV form of a packet record: packets.csv's columns (docs/running.md). Absent values
  // (reason, link, connection, options) are empty cells; flags are joined by "+" as in scenario
  // files ("SYN+ACK"; Flags::to_string("+")).
  static constexpr const char* csv_header =
      "time,event,reason,node,link,direction,from,to,src,src_port,dst,dst_port,conn,flags,seq,"
      "ack,rel_seq,rel_ack,window,payload_bytes,size_bytes,packet_id,mss,wscale,sack_permitted,"
      "tsval,tsecr";
};

// What a run knows of a record that the record itself does not hold: names for its node, link
// and the hosts of its sockets, its connection, and seq/ack relative to each side's initial
// sequence number. An empty name stands for the number or address the record holds.
struct PacketNames {
  std::string_view time;  // the time cell as sim::csv::TimeText wrote it; empty: from the record
  std::string_view node;  // where it happened; empty: its number
  std::string_view link;  // empty: its number (no cell at all when the record has no link)
  // The source and destination nodes, whose cells read "client:40000" (the name, then the
  // record's port); empty: the address, "10.0.0.1:40000".
  std::string_view from_host;
  std::string_view to_host;
  // The record's source and destination addresses as sim::csv writes them ("10.0.0.1"), which
  // a writer may keep per node; empty: written from the record.
  std::string_view from_address;
  std::string_view to_address;
  std::optional<std::uint64_t> conn;
  std::optional<std::uint32_t> rel_seq;
  std::optional<std::uint32_t> rel_ack;
  bool injected = false;  // a crafted segment (a scenario's `inject`): reason "injected"
  // The row's cells from `link` to the end, as tail_to_csv wrote them for a record with the same
  // tail (same_tail) and the same names; empty: written from the record and the names above.
  std::string_view tail;
};

// Appends the record's row, without a line end, to `out`: each cell formatted straight into
// one buffer (sim::csv), since packets.csv has a row per packet event (issue 11).
void to_csv(const PacketRecord& r, const PacketNames& names, std::string& out);
// The same row written at `p`, which has room for csv_chars(r, names) characters; returns its
// end. For a writer that formats rows where they stay.
std::size_t csv_chars(const PacketRecord& r, const PacketNames& names);
char* put_csv(char* p, const PacketRecord& r, const PacketNames& names);
// Without a run's names: the node and link by number, sockets as address:port, no connection
// and no relative numbers.
void to_csv(const PacketRecord& r, std::string& out);

// Appends the row's cells from `link` to the end (link, direction, the six socket cells, conn,
// the header's cells and rel_seq, rel_ack between them) to `out`. All but the time, event, reason
// and node: a packet's send row and its recv or drop row at the other end share them, so a writer
// may keep the first's for the second (PacketNames::tail) rather than format them again: a
// packets.csv row is mostly numbers (issue 11).
void tail_to_csv(const PacketRecord& r, const PacketNames& names, std::string& out);
// The same cells written at `p`, which has room for tail_csv_chars(r, names) characters; returns
// their end. For a writer that keeps them in a buffer of its own. With names.tail set, that text.
std::size_t tail_csv_chars(const PacketRecord& r, const PacketNames& names);
char* put_tail_csv(char* p, const PacketRecord& r, const PacketNames& names);
// Whether `a` and `b` have the same tail cells, given the same names: the fields those cells are
// made of (exactly those tail_to_csv reads) are equal.
inline bool same_tail(const PacketRecord& a, const PacketRecord& b) noexcept {
  return a.packet_id == b.packet_id && a.link == b.link && a.direction == b.direction &&
         a.src == b.src && a.dst == b.dst && a.src_port == b.src_port && a.dst_port == b.dst_port &&
         a.seq == b.seq && a.ack == b.ack && a.flags == b.flags && a.window == b.window &&
         a.payload_bytes == b.payload_bytes && a.size_bytes == b.size_bytes &&
         a.options == b.options;
}

// The record's TCP segment, rebuilt from its header fields.
tcp::Segment segment_of(const PacketRecord& r);

// One text line, integer ns first (STYLE §7):
// "11480000 recv node 1 link 0 forward #1 60B 10.0.0.1 > 10.0.0.2: 40000 > 80 [SYN] ..."
// A drop names its reason after "drop"; a no-route drop has no link.
std::string to_string(const PacketRecord& r);

}  // namespace synlab::net
