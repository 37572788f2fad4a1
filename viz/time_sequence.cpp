// TimeSequence: from packets.csv rows to series (time_sequence.hpp).
#include "viz/time_sequence.hpp"

#include "viz/packet_event.hpp"
#include "viz/viz_error.hpp"

namespace synlab::viz {

TimeSequence build_time_sequence(const CsvTable& packets, std::uint64_t conn) {
  const std::vector<PacketEvent> events = read_packet_events(packets, conn);
  if (events.empty())
    throw VizError(packets.source() + ": no packet of connection " + std::to_string(conn));
  TimeSequence ts;
  ts.conn = conn;
  ts.sender = events.front().from_node;
  ts.receiver = events.front().to_node;
  ts.start_s = events.front().time_s;
  for (PacketEvent e : events) {
    e.time_s -= ts.start_s;
    const bool from_sender = e.from_node == ts.sender;
    if (!from_sender && e.kind == PacketEventKind::Recv && e.node == ts.sender && e.rel_ack &&
        e.has_flag("ACK")) {
      const auto ack = static_cast<double>(*e.rel_ack);
      if (ts.acked.empty() || ack > ts.acked.back().seq)
        ts.acked.push_back({e.time_s, ack, 0, segment_label(e)});
      continue;
    }
    // A drop at the sender before any link (no route, or the sender down) is its packet's first
    // hop and its drop at once (first_hop()): it is both a send and a star.
    if (from_sender && e.rel_seq) {
      if (e.first_hop())
        (e.retransmission ? ts.retransmitted : ts.sent)
            .push_back({e.time_s, static_cast<double>(*e.rel_seq), static_cast<double>(e.len),
                        segment_label(e)});
      if (e.kind == PacketEventKind::Drop)
        ts.dropped.push_back({e.time_s, static_cast<double>(*e.rel_seq), static_cast<double>(e.len),
                              segment_label(e) + " (" + e.reason + ")"});
    } else if (!from_sender && e.rel_ack && e.has_flag("ACK")) {
      if (e.first_hop())
        ts.acks.push_back({e.time_s, static_cast<double>(*e.rel_ack), 0, segment_label(e)});
      if (e.kind == PacketEventKind::Drop)
        ts.acks_dropped.push_back({e.time_s, static_cast<double>(*e.rel_ack), 0,
                                   segment_label(e) + " (" + e.reason + ")"});
    }
  }
  return ts;
}

}  // namespace synlab::viz
