// Narrative (narrative.hpp): the ladder's events as words.
#include "app/narrative.hpp"

#include <algorithm>
#include <cstdio>
#include <new>
#include <set>
#include <vector>

#include "viz/viz_error.hpp"

namespace synlab::app {
namespace {

// packets.csv above this size (about 100,000 packets) is not narrated.
constexpr std::uintmax_t max_narrated_bytes = 16u << 20u;

std::string seconds(double s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", s);
  return text;
}

// "SYN, ACK seq=0 ack=1" -> "SYN/ACK".
std::string flags_of(const std::string& label) {
  const std::string flags = label.substr(0, label.find(" seq="));
  std::string out;
  for (std::size_t i = 0; i < flags.size(); ++i) {
    if (flags.compare(i, 2, ", ") == 0) {
      out.push_back('/');
      ++i;
    } else {
      out.push_back(flags[i]);
    }
  }
  return out;
}

struct Event {
  double time_s = 0;
  int order = 0;  // sends before states at one instant
  std::string text;
};

}  // namespace

std::string narrative(const viz::Ladder& ladder, std::size_t max_events) {
  std::vector<Event> events;
  // The instants the ends entered ESTABLISHED, and whether the client ever did.
  double server_established = -1;
  bool client_established = false;
  for (const viz::LadderStateLabel& s : ladder.states)
    for (const std::string& state : s.states)
      if (state == "ESTABLISHED") {
        if (s.axis == 0)
          client_established = true;
        else if (server_established < 0)
          server_established = s.time_s;
      }
  // Each packet once, at its first hop; lost if any hop dropped it.
  std::set<std::uint64_t> seen;
  for (const viz::LadderArrow& a : ladder.arrows) {
    if (!seen.insert(a.packet_id).second) continue;
    const std::string flags = flags_of(a.label);
    // The client's ACK that completes the handshake carries no data: the data segments it may
    // send at the same instant are not "client ACK" too.
    const bool bare_ack = flags == "ACK" && a.label.find(" len=") == std::string::npos;
    const bool handshake = flags.find("SYN") != std::string::npos ||
                           flags.find("RST") != std::string::npos ||
                           (bare_ack && a.from_axis == 0 &&
                            (server_established < 0 || a.send_time_s <= server_established));
    if (!handshake) continue;
    std::string text = seconds(a.send_time_s);
    text.append(" ").append(ladder.axes[a.from_axis]).append(" ");
    if (a.retransmission) text.append("retransmits ");
    if (a.injected) text.append("injected ");  // crafted by the scenario, not by its TCP
    text.append(flags);
    if (a.retransmission && !a.retransmission_cause.empty())
      text.append(" (").append(a.retransmission_cause).append(")");
    std::string reason;
    for (const viz::LadderArrow& hop : ladder.arrows)
      if (hop.packet_id == a.packet_id && hop.dropped) reason = hop.drop_reason;
    if (!reason.empty()) text.append(" lost (").append(reason).append(")");
    events.push_back({a.send_time_s, 0, std::move(text)});
  }
  for (const viz::LadderStateLabel& s : ladder.states)
    for (const std::string& state : s.states)
      if (state.ends_with("(host crashed)"))  // the ladder's word for a crash (RFC 9293 §3.5.1)
        events.push_back(
            {s.time_s, 1,
             seconds(s.time_s).append(" ").append(ladder.axes[s.axis]).append(" crashes")});
      else if (state == "ESTABLISHED" || (state == "CLOSED" && s.axis == 0 && !client_established))
        events.push_back(
            {s.time_s, 1,
             seconds(s.time_s).append(" ").append(ladder.axes[s.axis]).append(" ").append(state)});
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.time_s != b.time_s ? a.time_s < b.time_s : a.order < b.order;
  });
  std::string out;
  for (std::size_t i = 0; i < events.size() && i < max_events; ++i)
    out.append(out.empty() ? "" : " · ").append(events[i].text);
  if (events.size() > max_events)
    out.append(" · ... (").append(std::to_string(events.size() - max_events)).append(" more)");
  if (ladder.connect_time)
    out.append(" · handshake ").append(seconds(ladder.connect_time->seconds));
  return out;
}

std::map<std::string, std::uint64_t> drops_by_reason(const viz::CsvTable& packets) {
  std::map<std::string, std::uint64_t> drops;
  for (std::size_t r = 0; r < packets.rows(); ++r)
    if (packets.cell(r, "event") == "drop") ++drops[std::string(packets.cell(r, "reason"))];
  return drops;
}

std::string drops_text(const std::map<std::string, std::uint64_t>& drops) {
  std::uint64_t total = 0;
  std::string parts;
  for (const auto& [reason, count] : drops) {
    total += count;
    parts.append(parts.empty() ? "" : ", ")
        .append(std::to_string(count))
        .append(" ")
        .append(reason);
  }
  if (total == 0) return "no packet lost in the network";
  return std::to_string(total).append(" lost in the network: ").append(parts);
}

std::string narrate_run(const std::filesystem::path& dir) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(dir / "packets.csv", ec);
  // A narrative is for a lab-sized run: a large packets.csv is not read back into memory.
  if (ec || size > max_narrated_bytes) return "";
  try {
    const viz::CsvTable packets = viz::CsvTable::read(dir / "packets.csv");
    std::optional<viz::CsvTable> states;
    if (std::filesystem::exists(dir / "states.csv"))
      states = viz::CsvTable::read(dir / "states.csv");
    const viz::Ladder ladder = viz::build_ladder(packets, states ? &*states : nullptr, 1);
    return "connection 1: " + narrative(ladder) + "\n" + drops_text(drops_by_reason(packets)) +
           "\n";
  } catch (const viz::VizError&) {
    return "";  // no packet of connection 1 (nothing to tell)
  } catch (const std::bad_alloc&) {
    return "";  // a run at its memory's limit: the finished output is in place, the story untold
  }
}

}  // namespace synlab::app
