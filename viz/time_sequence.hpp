// TimeSequence: the Stevens-style time-sequence graph of one connection from packets.csv: the
// client's relative sequence numbers against time (first sends, retransmissions and drops as
// separate series) and the server's acknowledgement numbers as a second series (and its drops),
// against the time since the connection's first packet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "viz/csv_table.hpp"

namespace synlab::viz {

struct TimeSeqPoint {
  double time_s = 0;
  double seq = 0;  // relative sequence (or acknowledgement) number
  double len = 0;  // payload bytes: the segment covers [seq, seq + len)
  std::string label;
};

struct TimeSequence {
  std::uint64_t conn = 0;
  double start_s = 0;    // when the connection's first packet left; every time_s counts from it
  std::string sender;    // the client node
  std::string receiver;  // the server node
  std::vector<TimeSeqPoint> sent;           // sender's segments, first transmissions
  std::vector<TimeSeqPoint> retransmitted;  // sender's retransmissions
  std::vector<TimeSeqPoint> dropped;        // sender's segments lost on the way (drop time)
  std::vector<TimeSeqPoint> acks;           // receiver's ACK numbers, at their send time
  std::vector<TimeSeqPoint> acks_dropped;   // receiver's ACKs lost on the way (drop time)
  // What the sender has had acknowledged so far: the highest ACK number that has reached it, a
  // point each time an arriving ACK raises it (at its arrival time). A lost ACK never raises it.
  std::vector<TimeSeqPoint> acked;
};

// Throws VizError if packets.csv holds no row of connection `conn`.
TimeSequence build_time_sequence(const CsvTable& packets, std::uint64_t conn);

}  // namespace synlab::viz
