// expect: the connection, metric and packet-count expectations checked after a run
// (docs/scenario-format.md#expectations).
#include "app/scenario_sections.hpp"

#include <chrono>

namespace synlab::app {

void read_expect(const Reader& r, const YAML::Node& n, Scenario& s) {
  if (!n.IsSequence()) r.expected(n, "expect", "a list of expectations");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node& e = n[i];
    const std::string path = "expect." + std::to_string(i);
    Expectation x;
    x.where = r.where(e, path);
    if (e.IsMap() && e["conn"].IsDefined()) {
      r.mapping(e, path, "expect.*", "conn",
                "{conn: N, outcome: ..., established_at: ..., tolerance: ...}");
      x.kind = Expectation::Kind::Connection;
      x.conn = r.count(e["conn"], path + ".conn", schema_key("expect.*.conn"));
      if (e["outcome"].IsDefined()) {
        const std::string word =
            r.choice(e["outcome"], path + ".outcome", schema_key("expect.*.outcome"));
        for (const tcp::Outcome o : outcome_order)
          if (tcp::to_string(o) == word) x.outcome = o;
      }
      if (e["established_at"].IsDefined())
        x.established_at = r.duration(e["established_at"], path + ".established_at",
                                      schema_key("expect.*.established_at"));
      if (e["tolerance"].IsDefined()) {
        x.tolerance = r.duration(e["tolerance"], path + ".tolerance",
                                 schema_key("expect.*.tolerance", "conn"));
        if (!x.established_at)  // used only there: ignored, it would mislead
          r.fail(e["tolerance"], path + ".tolerance", "applies to established_at, not given");
      }
      if (!x.outcome && !x.established_at)
        r.fail(e, path, "says nothing to check: give outcome or established_at");
      // A connection the apps never open cannot meet it; that was found only after the run.
      // (Checked last: a mistake in the rest shows first.)
      check_conn_opened(r, e["conn"], path + ".conn", x.conn, s);
    } else if (e.IsMap() && e["metric"].IsDefined()) {
      r.mapping(e, path, "expect.*", "metric", "{metric: ..., equals: ... | between: [min, max]}");
      x.kind = Expectation::Kind::Metric;
      const std::string word =
          r.choice(e["metric"], path + ".metric", schema_key("expect.*.metric"));
      for (const Metric m : all_metrics)
        if (to_string(m) == word) x.metric = m;
      const bool time = is_time(x.metric);
      auto value = [&](const YAML::Node& v, const std::string& p) {
        return time ? std::chrono::duration<double>(r.duration(v, p)).count()
                    : static_cast<double>(r.count(v, p, schema_key("expect.*.equals", "metric")));
      };
      if (e["equals"].IsDefined()) x.equals = value(e["equals"], path + ".equals");
      if (e["between"].IsDefined()) {
        const YAML::Node& b = e["between"];
        if (!b.IsSequence() || b.size() != 2) r.expected(b, path + ".between", "[min, max]");
        x.min = value(b[0], path + ".between");
        x.max = value(b[1], path + ".between");
        if (*x.max < *x.min) r.fail(b, path + ".between", "max is below min");
      }
      if (e["tolerance"].IsDefined()) {
        x.tolerance = r.duration(e["tolerance"], path + ".tolerance",
                                 schema_key("expect.*.tolerance", "metric"));
        // Only where it is used: silently ignored, it would let a test pass or fail for
        // another reason than its writer thinks.
        if (!time)
          r.fail(e["tolerance"], path + ".tolerance",
                 "applies to a time metric; " + word + " is a count, compared exactly");
        if (e["between"].IsDefined())
          r.fail(e["tolerance"], path + ".tolerance",
                 "applies to equals; with between, widen [min, max] itself");
      }
      if (x.equals.has_value() == x.min.has_value())
        r.fail(e, path, "give exactly one of equals or between");
    } else if (e.IsMap() && e["packets"].IsDefined()) {
      r.mapping(e, path, "expect.*", "packets", "{packets: {link: ..., flags: ...}, equals: N}");
      x.kind = Expectation::Kind::PacketCount;
      if (e["tolerance"].IsDefined())
        r.fail(e["tolerance"], path + ".tolerance", "a packet count is compared exactly");
      const YAML::Node& f = e["packets"];
      r.mapping(f, path + ".packets", "expect.*.packets", "",
                "{link: ..., direction: ..., flags: ...}");
      x.link = read_link_ref(r, f["link"], path + ".packets.link", s.links).name;
      if (f["direction"].IsDefined())
        x.direction = read_direction(r, f["direction"], path + ".packets.direction",
                                     schema_key("expect.*.packets.direction"));
      if (f["flags"].IsDefined())
        x.flags =
            r.flags(f["flags"], path + ".packets.flags", schema_key("expect.*.packets.flags"));
      x.equals = static_cast<double>(
          r.count(e["equals"], path + ".equals", schema_key("expect.*.equals", "packets")));
    } else {
      if (e.IsMap()) r.mapping(e, path, Keys{}, Keys{}, "");  // names a merge key, if there is one
      r.expected(e, path, "{conn: ...}, {metric: ...} or {packets: ...}");
    }
    s.expect.push_back(x);
  }
}

}  // namespace synlab::app
