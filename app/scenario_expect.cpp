// expect: the connection, metric and packet-count expectations checked after a run
// (docs/scenario-format.md#expectations).
#include "app/scenario_sections.hpp"

#include <array>
#include <chrono>
#include <string_view>

namespace synlab::app {
namespace {

constexpr std::array<std::string_view, 4> conn_keys{"conn", "outcome", "established_at",
                                                    "tolerance"};
constexpr std::array<std::string_view, 4> metric_keys{"metric", "equals", "between", "tolerance"};
// In the order messages list them.
constexpr std::array<tcp::Outcome, 5> outcomes{tcp::Outcome::Established, tcp::Outcome::Refused,
                                               tcp::Outcome::Timeout, tcp::Outcome::Reset,
                                               tcp::Outcome::Pending};
constexpr std::array<std::string_view, 3> packets_keys{"packets", "equals", "tolerance"};
constexpr std::array<std::string_view, 3> packet_filter_keys{"link", "direction", "flags"};

}  // namespace

void read_expect(const Reader& r, const YAML::Node& n, Scenario& s) {
  if (!n.IsSequence()) r.expected(n, "expect", "a list of expectations");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node& e = n[i];
    const std::string path = "expect." + std::to_string(i);
    Expectation x;
    x.where = r.where(e, path);
    if (e.IsMap() && e["conn"].IsDefined()) {
      r.mapping(e, path, conn_keys, {},
                "{conn: N, outcome: ..., established_at: ..., tolerance: ...}");
      x.kind = Expectation::Kind::Connection;
      x.conn = r.count(e["conn"], path + ".conn", 1, Limits::connections);
      if (e["outcome"].IsDefined()) {
        std::vector<std::string_view> words;
        for (const tcp::Outcome o : outcomes) words.push_back(tcp::to_string(o));
        const std::string word = r.choice(e["outcome"], path + ".outcome", words);
        for (const tcp::Outcome o : outcomes)
          if (tcp::to_string(o) == word) x.outcome = o;
      }
      if (e["established_at"].IsDefined())
        x.established_at = r.duration(e["established_at"], path + ".established_at");
      if (e["tolerance"].IsDefined()) x.tolerance = r.duration(e["tolerance"], path + ".tolerance");
      if (!x.outcome && !x.established_at)
        r.fail(e, path, "says nothing to check: give outcome or established_at");
    } else if (e.IsMap() && e["metric"].IsDefined()) {
      r.mapping(e, path, metric_keys, {}, "{metric: ..., equals: ... | between: [min, max]}");
      x.kind = Expectation::Kind::Metric;
      std::vector<std::string_view> words;
      for (const Metric m : all_metrics) words.push_back(to_string(m));
      const std::string word = r.choice(e["metric"], path + ".metric", words);
      for (const Metric m : all_metrics)
        if (to_string(m) == word) x.metric = m;
      const bool time = is_time(x.metric);
      auto value = [&](const YAML::Node& v, const std::string& p) {
        return time ? std::chrono::duration<double>(r.duration(v, p)).count()
                    : static_cast<double>(r.count(v, p, 0, Limits::connections * Limits::repeat));
      };
      if (e["equals"].IsDefined()) x.equals = value(e["equals"], path + ".equals");
      if (e["between"].IsDefined()) {
        const YAML::Node& b = e["between"];
        if (!b.IsSequence() || b.size() != 2) r.expected(b, path + ".between", "[min, max]");
        x.min = value(b[0], path + ".between");
        x.max = value(b[1], path + ".between");
        if (*x.max < *x.min) r.fail(b, path + ".between", "max is below min");
      }
      if (e["tolerance"].IsDefined()) x.tolerance = r.duration(e["tolerance"], path + ".tolerance");
      if (x.equals.has_value() == x.min.has_value())
        r.fail(e, path, "give exactly one of equals or between");
    } else if (e.IsMap() && e["packets"].IsDefined()) {
      r.mapping(e, path, packets_keys, std::array<std::string_view, 1>{"equals"},
                "{packets: {link: ..., flags: ...}, equals: N}");
      x.kind = Expectation::Kind::PacketCount;
      const YAML::Node& f = e["packets"];
      r.mapping(f, path + ".packets", packet_filter_keys, std::array<std::string_view, 1>{"link"},
                "{link: ..., direction: ..., flags: ...}");
      x.link = read_link_ref(r, f["link"], path + ".packets.link", s.links).name;
      if (f["direction"].IsDefined())
        x.direction = read_direction(r, f["direction"], path + ".packets.direction");
      if (f["flags"].IsDefined()) x.flags = r.flags(f["flags"], path + ".packets.flags");
      x.equals = static_cast<double>(r.count(e["equals"], path + ".equals", 0, UINT32_MAX));
    } else {
      r.expected(e, path, "{conn: ...}, {metric: ...} or {packets: ...}");
    }
    s.expect.push_back(x);
  }
}

}  // namespace synlab::app
