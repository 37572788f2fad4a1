// Checks a scenario's expectations (see expectations.hpp).
#include "app/expectations.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "models/tcp/flags.hpp"

namespace synlab::app {
namespace {

std::string where_run(const RunResult& r) {
  return "point " + std::to_string(r.point) + ", replication " + std::to_string(r.replication);
}

std::string parameters_of(const PointResults& p) {
  std::string text;
  for (const Override& o : p.overrides) text += (text.empty() ? "" : ", ") + o.path + "=" + o.value;
  return text;
}

// Records a failure at point `i`; the first one is also the result's `observed`.
void fail_at(ExpectationResult& out, std::span<const PointResults> points, std::size_t i,
             const std::string& first_observed, const std::string& observed) {
  if (out.passed) out.observed = first_observed;
  out.passed = false;
  out.failures.push_back({i, parameters_of(points[i]), observed});
}

// "; and at 2 more points" after the first failure's text, when more points failed.
void count_more(ExpectationResult& out) {
  if (out.failures.size() > 1)
    out.observed += "; and at " + std::to_string(out.failures.size() - 1) + " more point" +
                    (out.failures.size() > 2 ? "s" : "");
}

// Over a point's runs: the first failing run's text and how many of them failed.
std::string runs_failed(const std::string& first, std::size_t failed, std::size_t runs) {
  if (runs <= 1) return first;
  return first + "; " + std::to_string(failed) + " of " + std::to_string(runs) + " runs";
}

// Runs `failure` (the failure's text, or "" when the run passes) on every run of every point;
// records each failing point with its first failing run and how many of its runs failed.
template <class Failure>
void check_runs(std::span<const PointResults> points, ExpectationResult& out,
                const Failure& failure) {
  for (std::size_t i = 0; i < points.size(); ++i) {
    std::string first;  // the point's first failing run
    std::string first_text;
    std::size_t failed = 0;
    for (const RunResult* run : points[i].runs) {
      const std::string text = failure(*run);
      if (text.empty()) continue;
      if (failed++ == 0) {
        first = text + " (" + where_run(*run) + ")";
        first_text = text + " (replication " + std::to_string(run->replication) + ")";
      }
    }
    if (failed > 0)
      fail_at(out, points, i, first, runs_failed(first_text, failed, points[i].runs.size()));
  }
  if (out.passed)
    out.observed = "as expected in every run";
  else
    count_more(out);
}

// The shortest decimal that reads back as `v`, without an exponent: two values that differ never
// print alike (std::to_string's six decimals showed 0.100000001 s as 0.1 s, failing "= 0.1 s").
std::string number(double v) {
  std::array<char, 400> text{};  // a double's longest fixed form is about 330 characters
  const auto [end, ec] =
      std::to_chars(text.data(), text.data() + text.size(), v, std::chars_format::fixed);
  return ec == std::errc() ? std::string(text.data(), end) : std::to_string(v);
}

std::string direction_text(Direction d) {
  return d == Direction::Forward ? " forward" : d == Direction::Reverse ? " reverse" : "";
}

void check_connection(const Expectation& e, std::span<const PointResults> points,
                      ExpectationResult& out) {
  out.expected = "conn " + std::to_string(e.conn);
  if (e.outcome) out.expected += ": outcome " + std::string(tcp::to_string(*e.outcome));
  if (e.established_at)
    out.expected += std::string(e.outcome ? "," : ":") + " established at " +
                    sim::format_duration(*e.established_at) + " ± " +
                    sim::format_duration(e.tolerance);
  check_runs(points, out, [&](const RunResult& run) -> std::string {
    const ConnectionResult* kept = run.connection(e.conn);
    if (kept == nullptr)
      return "the run opened only " + std::to_string(run.connections_opened) +
             (run.connections_opened == 1 ? " connection" : " connections");
    const ConnectionResult& c = *kept;
    bool ok = !e.outcome || *e.outcome == c.outcome;
    if (e.established_at) {
      ok = ok && c.client_established &&
           std::chrono::abs(*c.client_established - sim::at(*e.established_at)) <= e.tolerance;
    }
    if (ok) return "";
    return std::string(tcp::to_string(c.outcome)) +
           (c.client_established
                ? ", established at " +
                      sim::format_duration(c.client_established->time_since_epoch())
                : ", never established");
  });
}

double metric_of(const HandshakeSummary& s, Metric metric, bool& present) {
  present = true;
  auto take = [&](const std::optional<double>& v) {
    present = v.has_value();
    return v.value_or(0);
  };
  switch (metric) {
    case Metric::Connections:
      return static_cast<double>(s.connections);
    case Metric::Established:
      return static_cast<double>(s.established);
    case Metric::Refused:
      return static_cast<double>(s.refused);
    case Metric::Timeouts:
      return static_cast<double>(s.timeouts);
    case Metric::MeanHandshakeTime:
      return take(s.mean);
    case Metric::MedianHandshakeTime:
      return take(s.median);
    case Metric::P95HandshakeTime:
      return take(s.p95);
    case Metric::MaxHandshakeTime:
      return take(s.max);
  }
  return take(s.max);
}

void check_metric(const Expectation& e, std::span<const PointResults> points,
                  ExpectationResult& out) {
  const bool time = is_time(e.metric);
  const std::string unit = time ? " s" : "";
  const double tolerance = std::chrono::duration<double>(e.tolerance).count();
  out.expected = std::string(to_string(e.metric)) +
                 (e.equals ? " = " + number(*e.equals) + unit +
                                 (tolerance > 0 ? " ± " + number(tolerance) + " s" : "")
                           : " in [" + number(*e.min) + ", " + number(*e.max) + "]" + unit);
  for (std::size_t i = 0; i < points.size(); ++i) {
    bool present = false;
    const double v = metric_of(points[i].summary, e.metric, present);
    const bool ok = present && (e.equals ? std::abs(v - *e.equals) <= tolerance + 1e-12
                                         : v >= *e.min - 1e-12 && v <= *e.max + 1e-12);
    if (ok) continue;
    const std::string text = present ? number(v) + unit : "no established connection";
    fail_at(out, points, i, text + " (point " + std::to_string(i) + ")", text);
  }
  if (out.passed)
    out.observed = "holds at every point";
  else
    count_more(out);
}

void check_packets(const Expectation& e, std::size_t filter, std::span<const PointResults> points,
                   ExpectationResult& out) {
  out.expected = "packets on " + e.link + direction_text(e.direction) +
                 (e.flags ? " with flags " + tcp::Flags::from_bits(*e.flags).to_string() : "") +
                 " = " + number(*e.equals);
  check_runs(points, out, [&](const RunResult& run) -> std::string {
    const auto count = run.packet_counts.at(filter);
    return static_cast<double>(count) == *e.equals ? "" : std::to_string(count);
  });
}

}  // namespace

std::vector<PacketFilter> packet_filters(const Scenario& s) {
  std::vector<PacketFilter> filters;
  for (const Expectation& e : s.expect) {
    if (e.kind != Expectation::Kind::PacketCount) continue;
    std::size_t link = 0;
    while (link < s.links.size() && s.links[link].name != e.link) ++link;
    filters.push_back(PacketFilter{link, e.direction, e.flags});
  }
  return filters;
}

std::vector<ExpectationResult> check_expectations(const Scenario& s,
                                                  std::span<const PointResults> points) {
  std::vector<ExpectationResult> results;
  std::size_t filter = 0;
  for (const Expectation& e : s.expect) {
    ExpectationResult r;
    r.expectation = &e;
    switch (e.kind) {
      case Expectation::Kind::Connection:
        check_connection(e, points, r);
        break;
      case Expectation::Kind::Metric:
        check_metric(e, points, r);
        break;
      case Expectation::Kind::PacketCount:
        check_packets(e, filter++, points, r);
        break;
    }
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace synlab::app
