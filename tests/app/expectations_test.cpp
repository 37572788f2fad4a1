// Expectations over a sweep: a failed one lists every failing point with its swept values, not
// only the first (issue 14), for metrics, per-run packet counts and connections alike.
#include "app/expectations.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/scenario_loader.hpp"

using synlab::app::check_expectations;
using synlab::app::load_scenario;
using synlab::app::parse_scenario_text;
using synlab::app::PointResults;
using synlab::app::RunResult;
using synlab::app::Scenario;

namespace {

const std::string sweep =
    "nodes: [client, server]\n"
    "links:\n"
    "  wan: {between: [client, server], delay: 10ms}\n"
    "sweep:\n"
    "  links.wan.loss: [0, 0.1, 0.2]\n"
    "  tcp.profile: [linux, classic]\n"
    "repeat: 2\n";

// Six points (3 losses x 2 profiles), each with `established[i]` established connections.
std::vector<PointResults> points_with(const Scenario& s, const std::vector<std::uint64_t>& counts,
                                      std::vector<RunResult>& runs) {
  const auto overrides = synlab::app::sweep_points(s);
  REQUIRE(overrides.size() == counts.size());
  runs.assign(counts.size() * 2, RunResult{});
  std::vector<PointResults> points(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    points[i].overrides = overrides[i];
    points[i].summary.established = counts[i];
    for (std::uint64_t r = 0; r < 2; ++r) {
      RunResult& run = runs[i * 2 + r];
      run.point = i;
      run.replication = r;
      run.packet_counts = {i == 1 || i == 4 ? 3u : 2u};  // points 1 and 4 send 3 SYNs
      points[i].runs.push_back(&run);
    }
  }
  return points;
}

}  // namespace

TEST_CASE("a failed metric expectation lists every failing point with its parameters") {
  const Scenario s = load_scenario(
      parse_scenario_text(sweep + "expect:\n  - {metric: established, equals: 10}\n", "t.yaml"));
  std::vector<RunResult> runs;
  // Points 2 (0.1, linux), 3 (0.1, classic) and 5 (0.2, classic) miss: 9, 8 and 7 of 10.
  const auto points = points_with(s, {10, 10, 9, 8, 10, 7}, runs);
  const auto results = check_expectations(s, points);
  REQUIRE(results.size() == 1);
  const auto& r = results[0];
  CHECK_FALSE(r.passed);
  REQUIRE(r.failures.size() == 3);
  CHECK(r.failures[0].point == 2);
  CHECK(r.failures[0].parameters == "links.wan.loss=0.1, tcp.profile=linux");
  CHECK(r.failures[0].observed == "9");
  CHECK(r.failures[1].parameters == "links.wan.loss=0.1, tcp.profile=classic");
  CHECK(r.failures[2].point == 5);
  CHECK(r.failures[2].parameters == "links.wan.loss=0.2, tcp.profile=classic");
  CHECK(r.failures[2].observed == "7");
  CHECK(r.observed == "9 (point 2); and at 2 more points");
}

TEST_CASE("a failed per-run expectation lists every failing point, with its runs counted") {
  const Scenario s = load_scenario(parse_scenario_text(
      sweep + "expect:\n  - {packets: {link: wan, direction: forward, flags: SYN}, equals: 2}\n",
      "t.yaml"));
  std::vector<RunResult> runs;
  const auto points = points_with(s, {1, 1, 1, 1, 1, 1}, runs);
  const auto results = check_expectations(s, points);
  REQUIRE(results.size() == 1);
  const auto& r = results[0];
  CHECK_FALSE(r.passed);
  REQUIRE(r.failures.size() == 2);  // points 1 and 4, both runs of each
  CHECK(r.failures[0].point == 1);
  CHECK(r.failures[0].parameters == "links.wan.loss=0, tcp.profile=classic");
  CHECK(r.failures[0].observed == "3 (replication 0); 2 of 2 runs");
  CHECK(r.failures[1].point == 4);
  CHECK(r.failures[1].parameters == "links.wan.loss=0.2, tcp.profile=linux");
  CHECK(r.observed == "3 (point 1, replication 0); and at 1 more point");
}

TEST_CASE("a passing expectation has no failures") {
  const Scenario s = load_scenario(parse_scenario_text(
      sweep + "expect:\n  - {metric: established, between: [5, 10]}\n", "t.yaml"));
  std::vector<RunResult> runs;
  const auto points = points_with(s, {10, 10, 9, 8, 10, 7}, runs);
  const auto results = check_expectations(s, points);
  REQUIRE(results.size() == 1);
  CHECK(results[0].passed);
  CHECK(results[0].failures.empty());
  CHECK(results[0].observed == "holds at every point");
}

TEST_CASE("a failed time expectation prints its values exactly enough to tell them apart") {
  // 100,000,001 ns against a mean of exactly 100 ms: six decimals printed both as 0.1 s.
  const Scenario s = load_scenario(
      parse_scenario_text("nodes: [client, server]\n"
                          "links:\n"
                          "  wan: {between: [client, server], delay: 50ms}\n"
                          "expect:\n"
                          "  - {metric: mean_handshake_time, equals: 100000001ns}\n"
                          "  - {metric: mean_handshake_time, equals: 99ms, tolerance: 1ns}\n",
                          "t.yaml"));
  std::vector<PointResults> points(1);
  RunResult run;
  points[0].runs.push_back(&run);
  points[0].summary.established = 1;
  points[0].summary.mean = 0.1;
  const auto results = check_expectations(s, points);
  REQUIRE(results.size() == 2);
  CHECK(results[0].expected == "mean_handshake_time = 0.100000001 s");
  CHECK(results[0].failures.at(0).observed == "0.1 s");
  CHECK(results[1].expected == "mean_handshake_time = 0.099 s ± 0.000000001 s");
}
