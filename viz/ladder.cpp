// Ladder: from packets.csv and states.csv rows to arrows, labels and positions (ladder.hpp).
#include "viz/ladder.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>

#include "viz/packet_event.hpp"
#include "viz/viz_error.hpp"

namespace synlab::viz {
namespace {

std::size_t axis_of(std::vector<std::string>& axes, const std::string& node) {
  const auto it = std::find(axes.begin(), axes.end(), node);
  if (it != axes.end()) return static_cast<std::size_t>(it - axes.begin());
  axes.push_back(node);
  return axes.size() - 1;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct StateRow {
  double time_s;
  std::string node;
  std::string to;
};

}  // namespace

Ladder build_ladder(const CsvTable& packets, const CsvTable* states, std::uint64_t conn,
                    const LadderLayout& layout) {
  const std::vector<PacketEvent> events = read_packet_events(packets, conn);
  if (events.empty())
    throw VizError(packets.source() + ": no packet of connection " + std::to_string(conn));
  Ladder ladder;
  ladder.conn = conn;

  // Axes: the client first, then nodes as the connection's packets first reach them (the path
  // of the first segment), and the destination even if nothing ever reached it.
  axis_of(ladder.axes, events.front().from_node);
  for (const PacketEvent& e : events) axis_of(ladder.axes, e.node);
  axis_of(ladder.axes, events.front().to_node);

  // Where each link direction leads, learnt from deliveries; a drop on a link that never
  // delivered heads for the segment's destination.
  std::map<std::pair<std::string, std::string>, std::string> link_end;
  for (const PacketEvent& e : events)
    if (e.kind == PacketEventKind::Recv) link_end[{e.link, e.direction}] = e.node;

  // Pair each send with its arrival or drop on the same link.
  struct Pending {
    std::size_t send;                // index in events
    std::optional<std::size_t> end;  // index of the recv or drop
  };
  std::vector<Pending> hops;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const PacketEvent& e = events[i];
    if (e.kind == PacketEventKind::Send) {
      hops.push_back({i, std::nullopt});
      continue;
    }
    auto it = std::find_if(hops.begin(), hops.end(), [&](const Pending& h) {
      const PacketEvent& s = events[h.send];
      return !h.end && s.packet_id == e.packet_id && s.link == e.link && s.direction == e.direction;
    });
    if (it != hops.end())
      it->end = i;
    else if (e.kind == PacketEventKind::Drop)  // dropped before it was sent (no route...)
      hops.push_back({i, i});
  }

  // One unit: the median one-way delay of delivered hops (1 ms if there is none).
  std::vector<double> flights;
  std::map<std::pair<std::string, std::string>, std::vector<double>> link_flights;
  for (const Pending& h : hops) {
    if (!h.end || events[*h.end].kind != PacketEventKind::Recv) continue;
    const double f = events[*h.end].time_s - events[h.send].time_s;
    flights.push_back(f);
    link_flights[{events[h.send].link, events[h.send].direction}].push_back(f);
  }
  double unit_s = median(flights);
  if (unit_s <= 0) unit_s = 1e-3;

  // The connection's states, and the listener's own LISTEN (no conn) up to the first event when
  // the connection came out of LISTEN at the server (states.csv has no ports: a listener on
  // another port of the same node must not show).
  std::vector<StateRow> state_rows;
  if (states != nullptr) {
    const std::string wanted = std::to_string(conn);
    const std::string& server = events.front().to_node;
    bool from_listen = false;
    for (std::size_t r = 0; r < states->rows(); ++r)
      from_listen =
          from_listen || (states->cell(r, "conn") == wanted && states->cell(r, "node") == server &&
                          states->cell(r, "from") == "LISTEN");
    for (std::size_t r = 0; r < states->rows(); ++r) {
      const std::string& row_conn = states->cell(r, "conn");
      const bool listener = from_listen && row_conn.empty() && states->cell(r, "node") == server &&
                            states->cell(r, "to") == "LISTEN" &&
                            states->number(r, "time").value_or(0) <= events.front().time_s;
      if (row_conn != wanted && !listener) continue;
      state_rows.push_back(
          {states->number(r, "time").value_or(0), states->cell(r, "node"), states->cell(r, "to")});
    }
  }

  // Rows per (time, node): sends and arrivals take one each, in file order.
  std::map<double, std::map<std::string, std::size_t>> slots;
  std::vector<std::size_t> slot_of(events.size(), 0);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const PacketEvent& e = events[i];
    std::size_t& used = slots[e.time_s][e.node];
    if (e.kind == PacketEventKind::Drop) continue;
    slot_of[i] = used++;
  }
  for (const StateRow& s : state_rows) slots[s.time_s][s.node];  // a time of its own

  // y of each distinct time: real time in units, gaps capped, plus room for the rows.
  std::map<double, double> y_of;
  double y = 0;
  std::optional<double> previous_time;
  std::size_t previous_rows = 1;
  for (const auto& [time, per_node] : slots) {
    if (previous_time) {
      const double gap_units = (time - *previous_time) / unit_s;
      const double start = y + static_cast<double>(previous_rows - 1) * layout.slot_units;
      double step = std::max(gap_units, layout.slot_units);
      if (gap_units > layout.gap_cap_units) {
        step = layout.gap_cap_units;
        ladder.gaps.push_back({start, start + step, time - *previous_time});
      }
      y = start + step;
    }
    y_of[time] = y;
    ladder.time_marks.push_back({time, y});
    previous_rows = 1;
    for (const auto& [node, count] : per_node) previous_rows = std::max(previous_rows, count);
    previous_time = time;
  }
  ladder.y_max = y + static_cast<double>(previous_rows - 1) * layout.slot_units;

  for (const Pending& h : hops) {
    const PacketEvent& s = events[h.send];
    LadderArrow a;
    a.send_time_s = s.time_s;
    a.label = segment_label(s);
    a.retransmission = s.retransmission;
    a.packet_id = s.packet_id;
    a.from_axis = axis_of(ladder.axes, s.node);
    a.x_from = static_cast<double>(a.from_axis);
    a.y_from = y_of[s.time_s] +
               (s.kind == PacketEventKind::Send ? static_cast<double>(slot_of[h.send]) : 0) *
                   layout.slot_units;
    const PacketEvent* end = h.end ? &events[*h.end] : nullptr;
    if (end != nullptr && end->kind == PacketEventKind::Recv) {
      a.end_time_s = end->time_s;
      a.to_axis = axis_of(ladder.axes, end->node);
      a.x_to = static_cast<double>(a.to_axis);
      a.y_to = y_of[end->time_s] + static_cast<double>(slot_of[*h.end]) * layout.slot_units;
    } else {
      // Dropped (or still in flight when the run ended): stop halfway to the next node.
      const auto link = link_end.find({s.link, s.direction});
      a.to_axis = axis_of(ladder.axes, link != link_end.end() ? link->second : s.to_node);
      a.dropped = true;
      a.drop_reason = end != nullptr ? end->reason : "in flight";
      a.end_time_s = end != nullptr ? end->time_s : s.time_s;
      const double direction = a.to_axis >= a.from_axis ? 1.0 : -1.0;
      a.x_to = a.x_from + 0.5 * direction;
      const auto lf = link_flights.find({s.link, s.direction});
      const double flight_units = lf != link_flights.end() ? median(lf->second) / unit_s : 1.0;
      a.y_to = a.y_from + 0.5 * std::min(flight_units, layout.gap_cap_units);
    }
    ladder.arrows.push_back(std::move(a));
  }

  // State labels: everything a node entered at one instant, beside its last arrival then.
  for (const StateRow& s : state_rows) {
    const std::size_t axis = axis_of(ladder.axes, s.node);
    if (!ladder.states.empty() && ladder.states.back().axis == axis &&
        ladder.states.back().time_s == s.time_s) {
      ladder.states.back().states.push_back(s.to);
      continue;
    }
    std::size_t arrivals = 0;
    for (const PacketEvent& e : events)
      if (e.kind == PacketEventKind::Recv && e.node == s.node && e.time_s == s.time_s) ++arrivals;
    const double row = arrivals > 0 ? static_cast<double>(arrivals - 1) : 0;
    ladder.states.push_back({axis, s.time_s, y_of[s.time_s] + row * layout.slot_units, {s.to}});
  }
  return ladder;
}

}  // namespace synlab::viz
