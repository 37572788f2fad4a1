// Ladder: the sequence diagram of one connection computed from packets.csv and states.csv, one
// vertical axis per node with time flowing down, an arrow per segment and hop, drops stopping
// midway, retransmissions marked, state changes beside the axes. No drawing here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "viz/csv_table.hpp"

namespace synlab::viz {

// Vertical positions are in "ladder units", growing downwards: one unit is the median one-way
// delay of the connection's delivered segments; idle gaps longer than `gap_cap_units` are cut
// to that length (LadderGap), but never one a delivered segment is in flight across (that is
// its propagation delay). Every event of one instant is at that instant's y: only segments a
// node sends at one instant onto the same link direction get rows of their own (`slot_units`
// apart), so that they do not overlap.
struct LadderLayout {
  double gap_cap_units = 2.0;
  double slot_units = 0.8;
};

struct LadderArrow {
  double send_time_s = 0;
  double end_time_s = 0;  // arrival, or the drop's time
  std::size_t from_axis = 0;
  std::size_t to_axis = 0;  // for a drop: the axis it was heading to
  double x_from = 0;        // axis index; a dropped arrow ends halfway: x_to = x_from ± 0.5
  double x_to = 0;
  double y_from = 0;
  double y_to = 0;
  std::string label;      // "SYN seq=0", "SYN, ACK seq=0 ack=1"
  bool injected = false;  // a scenario's crafted segment (its label ends " (injected)")
  bool dropped = false;
  std::string drop_reason;  // loss, queue-full, link-down, no-route, scripted
  bool retransmission = false;
  // Why it was sent again: "timer, 1 s" (the time since the sender last sent it), or "reply to
  // the retransmitted SYN" (the peer's retransmission arrived at that instant).
  std::string retransmission_cause;
  std::uint64_t packet_id = 0;
};

// From the client's first SYN to connect() returning (the client entering ESTABLISHED).
struct LadderSpan {
  double y_from = 0;
  double y_to = 0;
  double seconds = 0;
};

// The states a node entered at one instant, e.g. {"ESTABLISHED", "CLOSE-WAIT"}.
struct LadderStateLabel {
  std::size_t axis = 0;
  double time_s = 0;
  double y = 0;
  std::vector<std::string> states;
};

struct LadderTimeMark {
  double time_s = 0;
  double y = 0;
};

// An idle gap cut short: from y_from to y_to stand `skipped_s` seconds.
struct LadderGap {
  double y_from = 0;
  double y_to = 0;
  double skipped_s = 0;
};

struct Ladder {
  std::uint64_t conn = 0;
  std::vector<std::string> axes;  // node names, the client first, in path order
  std::vector<LadderArrow> arrows;
  std::vector<LadderStateLabel> states;
  std::vector<LadderTimeMark> time_marks;  // one per distinct event time
  std::vector<LadderGap> gaps;
  std::optional<LadderSpan> connect_time;  // needs states.csv
  double y_max = 0;
};

// The ladder of connection `conn` (1-based, as in packets.csv), with the peer's own connection
// when both ends opened it (a simultaneous open: RFC 9293 Figure 8, each side's segments carry
// its own connection number). `states` may be null (no
// states.csv). Throws VizError if packets.csv holds no row of that connection.
Ladder build_ladder(const CsvTable& packets, const CsvTable* states, std::uint64_t conn,
                    const LadderLayout& layout = {});

}  // namespace synlab::viz
