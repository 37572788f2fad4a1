// Ladder: from packets.csv and states.csv rows to arrows, labels and positions (ladder.hpp).
#include "viz/ladder.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
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

// `conn`, and each connection the peer opened on the same pair of endpoints while `conn` ran: in
// a simultaneous open (RFC 9293 Figure 8) each side's segments carry its own number.
std::vector<std::uint64_t> with_peer(const CsvTable& t, std::uint64_t conn) {
  const std::string wanted = std::to_string(conn);
  std::string from;
  std::string to;
  double first = 0;
  double last = 0;
  bool seen = false;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    if (t.cell(r, "conn") != wanted) continue;
    const double time = t.seconds(r, "time").value_or(0);
    if (!seen) from = t.cell(r, "from"), to = t.cell(r, "to"), first = time, seen = true;
    last = time;
  }
  std::vector<std::uint64_t> conns{conn};
  if (!seen) return conns;
  std::set<std::string, std::less<>> looked{wanted};
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string_view c = t.cell(r, "conn");
    if (c.empty() || !looked.emplace(c).second) continue;  // each connection's first row only
    const double time = t.seconds(r, "time").value_or(0);
    std::uint64_t id = 0;
    const auto [end, ec] = std::from_chars(c.data(), c.data() + c.size(), id);
    if (ec == std::errc() && end == c.data() + c.size() && t.cell(r, "from") == to &&
        t.cell(r, "to") == from && time >= first && time <= last)
      conns.push_back(id);
  }
  return conns;
}

std::string seconds_text(double s) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.6g", s);
  return text.data();
}

// Why events[i], a retransmission, was sent: the peer's retransmitted segment arriving at that
// instant, or the sender's timer since it last sent the segment. When a node sends the same
// segment k times at one instant and r retransmitted segments of the peer arrive then (Linux's
// request timer and a duplicate SYN due together, reference case d), the last r are the replies
// and the first k - r the timer's: the timer was armed before the peer's segment was sent, so
// its event comes first among equal times.
std::string retransmission_cause(const std::vector<PacketEvent>& events, std::size_t i) {
  const PacketEvent& e = events[i];
  auto same_segment = [&](const PacketEvent& p) {
    return p.first_hop() && p.from == e.from && p.rel_seq == e.rel_seq &&
           p.has_flag("SYN") == e.has_flag("SYN") && p.has_flag("FIN") == e.has_flag("FIN");
  };
  std::string reply_to;
  std::size_t replies = 0;
  // A reply follows what it answers: only a segment received before this send, in the order the
  // run wrote them, can be its cause. (At one instant a timer may fire first and the peer's
  // retransmission arrive after: rfc6298's SYN,ACK timer at 1.025 s beside the client's second
  // SYN, which RFC 9293 answers with an ACK, not the SYN,ACK sent by the timer.)
  for (std::size_t k = 0; k < i; ++k) {
    const PacketEvent& r = events[k];
    if (r.kind != PacketEventKind::Recv || r.node != e.node || r.time_s != e.time_s ||
        r.from != e.to)
      continue;
    const auto sent = std::find_if(events.begin(), events.end(), [&](const PacketEvent& s) {
      return s.first_hop() && s.packet_id == r.packet_id;
    });
    if (sent != events.end() && sent->retransmission) {
      reply_to = r.flags;
      ++replies;
    }
  }
  if (replies > 0) {
    std::size_t later = 0;  // copies of this segment sent at this instant after this one
    for (std::size_t j = i + 1; j < events.size(); ++j)
      if (events[j].time_s == e.time_s && events[j].retransmission && same_segment(events[j]))
        ++later;
    if (later < replies) return "reply to the retransmitted " + reply_to;
  }
  for (std::size_t j = i; j-- > 0;) {
    const PacketEvent& p = events[j];
    if (same_segment(p)) return "timer, " + seconds_text(e.time_s - p.time_s) + " s";
  }
  return "timer";
}

}  // namespace

Ladder build_ladder(const CsvTable& packets, const CsvTable* states, std::uint64_t conn,
                    const LadderLayout& layout) {
  const std::vector<std::uint64_t> conns = with_peer(packets, conn);
  const std::vector<PacketEvent> events = read_packet_events(packets, conns);
  const auto own_it = std::find_if(events.begin(), events.end(),
                                   [&](const PacketEvent& e) { return e.conn == conn; });
  if (own_it == events.end())
    throw VizError(packets.source() + ": no packet of connection " + std::to_string(conn));
  const PacketEvent& own = *own_it;  // the connection's first segment: client to server
  Ladder ladder;
  ladder.conn = conn;

  // Axes: the client first, then nodes as the connection's packets first reach them (the path
  // of the first segment), and the destination even if nothing ever reached it.
  axis_of(ladder.axes, own.from_node);
  for (const PacketEvent& e : events) axis_of(ladder.axes, e.node);
  axis_of(ladder.axes, own.to_node);

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
  // The hops still in flight, by packet and link direction, oldest first: a recv or drop ends
  // the oldest (a look-up, not a scan of every hop: a path of 2,000 hops took seconds).
  std::map<std::tuple<std::uint64_t, std::string_view, std::string_view>, std::deque<std::size_t>>
      unmatched;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const PacketEvent& e = events[i];
    auto& waiting = unmatched[{e.packet_id, e.link, e.direction}];
    if (e.kind == PacketEventKind::Send) {
      waiting.push_back(hops.size());
      hops.push_back({i, std::nullopt});
      continue;
    }
    if (!waiting.empty()) {
      hops[waiting.front()].end = i;
      waiting.pop_front();
    } else if (e.kind == PacketEventKind::Drop) {  // dropped before it was sent (no route...)
      hops.push_back({i, i});
    }
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
    std::set<std::string, std::less<>> ours;
    for (const std::uint64_t c : conns) ours.insert(std::to_string(c));
    const std::string& server = own.to_node;
    bool from_listen = false;
    for (std::size_t r = 0; r < states->rows(); ++r)
      from_listen =
          from_listen || (states->cell(r, "conn") == wanted && states->cell(r, "node") == server &&
                          states->cell(r, "from") == "LISTEN");
    for (std::size_t r = 0; r < states->rows(); ++r) {
      const std::string_view row_conn = states->cell(r, "conn");
      const bool listener = from_listen && row_conn.empty() && states->cell(r, "node") == server &&
                            states->cell(r, "to") == "LISTEN" &&
                            states->seconds(r, "time").value_or(0) <= own.time_s;
      if (!ours.contains(row_conn) && !listener) continue;
      std::string to(states->cell(r, "to"));
      // A crash is no transition of RFC 9293's diagram: say why the connection vanished (§3.5.1).
      if (states->has_column("cause") && states->cell(r, "cause") == "HostCrash")
        to.append(" (host crashed)");
      state_rows.push_back(
          {states->seconds(r, "time").value_or(0), std::string(states->cell(r, "node")), to});
    }
  }

  // Every event of an instant is at that instant's y: a segment leaves when it is sent. Only
  // the sends of one node onto one link direction at one instant take a row each, in file order.
  std::map<double, std::map<std::string, std::size_t>> slots;
  std::vector<std::size_t> slot_of(events.size(), 0);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const PacketEvent& e = events[i];
    auto& per_instant = slots[e.time_s];
    if (e.kind == PacketEventKind::Send)
      slot_of[i] = per_instant[e.node + "\n" + e.link + "\n" + e.direction]++;
  }
  for (const StateRow& s : state_rows) slots[s.time_s];  // a time of its own

  // Delivered hops, (sent, arrived): a gap one of them spans is its propagation delay.
  std::vector<std::pair<double, double>> in_flight;
  for (const Pending& h : hops)
    if (h.end && events[*h.end].kind == PacketEventKind::Recv)
      in_flight.emplace_back(events[h.send].time_s, events[*h.end].time_s);

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
      // A copy: clang 14 does not let a lambda capture a structured binding.
      const double now = time;
      const bool spanned = std::any_of(in_flight.begin(), in_flight.end(), [&](const auto& f) {
        return f.first <= *previous_time && f.second >= now;
      });
      if (gap_units > layout.gap_cap_units && !spanned) {
        step = layout.gap_cap_units;
        ladder.gaps.push_back({start, start + step, time - *previous_time});
      }
      y = start + step;
    }
    y_of[time] = y;
    ladder.time_marks.push_back({time, y});
    previous_rows = 1;
    for (const auto& [key, count] : per_node) previous_rows = std::max(previous_rows, count);
    previous_time = time;
  }
  ladder.y_max = y + static_cast<double>(previous_rows - 1) * layout.slot_units;

  for (const Pending& h : hops) {
    const PacketEvent& s = events[h.send];
    LadderArrow a;
    a.send_time_s = s.time_s;
    a.label = segment_label(s);
    // A scenario's crafted segment, which no TCP of the sender knows of (packets.csv marks it).
    a.injected = s.reason == "injected";
    if (a.injected) a.label += " (injected)";
    a.retransmission = s.retransmission;
    if (s.retransmission) a.retransmission_cause = retransmission_cause(events, h.send);
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
      a.y_to = y_of[end->time_s];
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
    ladder.states.push_back({axis, s.time_s, y_of[s.time_s], {s.to}});
  }

  // connect() returns when the client enters ESTABLISHED (RFC 9293 §3.10.7.3).
  const auto first_syn = std::find_if(events.begin(), events.end(), [&](const PacketEvent& e) {
    return e.conn == conn && e.first_hop() && e.from_node == own.from_node && e.has_flag("SYN");
  });
  const auto established = std::find_if(state_rows.begin(), state_rows.end(), [&](const auto& r) {
    return r.node == own.from_node && r.to == "ESTABLISHED";
  });
  if (first_syn != events.end() && established != state_rows.end())
    ladder.connect_time = LadderSpan{y_of[first_syn->time_s], y_of[established->time_s],
                                     established->time_s - first_syn->time_s};
  return ladder;
}

}  // namespace synlab::viz
