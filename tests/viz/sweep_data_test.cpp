// Timing series and CDFs from hand-written sweep.csv, connections.csv and summary.json.
#include <doctest/doctest.h>

#include <string>

#include "viz/cdf_data.hpp"
#include "viz/run_info.hpp"
#include "viz/timing_data.hpp"
#include "viz/viz_error.hpp"

namespace viz = synlab::viz;
using viz::CsvTable;

TEST_CASE("timing: one series per profile, sorted by loss, with CI error bars") {
  const CsvTable sweep = CsvTable::parse(
      "point,links.wan.loss,tcp.profile,runs,n,established,timeouts,refused,mean,median,p95,max,"
      "ci95_low,ci95_high\n"
      "0,0.2,linux,2,10,10,0,0,0.5,0.1,2.1,2.1,0.3,0.7\n"
      "1,0.2,classic,2,10,9,1,0,2,0.1,6.1,6.1,1,3\n"
      "2,0,linux,2,10,10,0,0,0.1,0.1,0.1,0.1,0.1,0.1\n"
      "3,0,classic,1,1,1,0,0,0.1,0.1,0.1,0.1,,\n"
      "4,0.9,classic,1,1,0,1,0,,,,,,\n",  // nothing established: no point
      "sweep.csv");
  const viz::TimingData d = viz::build_timing(sweep);
  CHECK(d.axis.path == "links.wan.loss");
  CHECK(d.axis.unit == "probability");
  CHECK(d.axis.loss_probability);
  REQUIRE(d.series.size() == 2);
  CHECK(d.series[0].label == "tcp.profile=linux");
  CHECK(d.series[1].label == "tcp.profile=classic");
  REQUIRE(d.series[1].points.size() == 2);
  CHECK(d.series[1].points[0].x == 0);
  CHECK_FALSE(d.series[1].points[0].ci95_low_s.has_value());
  CHECK(d.series[1].points[1].x == 0.2);
  CHECK(d.series[1].points[1].mean_s == 2);
  CHECK(d.series[1].points[1].ci95_low_s == 1.0);
  CHECK(d.series[1].points[1].ci95_high_s == 3.0);
  CHECK(d.series[1].points[1].established == 9);
  CHECK(d.series[0].points[1].point == 0);
}

TEST_CASE("timing needs a numeric swept value") {
  const CsvTable sweep = CsvTable::parse(
      "point,tcp.profile,runs,n,established,timeouts,refused,mean,median,p95,max,ci95_low,"
      "ci95_high\n0,linux,1,1,1,0,0,0.1,0.1,0.1,0.1,,\n",
      "sweep.csv");
  CHECK_THROWS_AS(viz::build_timing(sweep), viz::VizError);
  CHECK(viz::find_loss_parameter({"tcp.profile", "links.b.loss"}) == "links.b.loss");
}

TEST_CASE("timing: a sweep file cut to its header is an error naming it, not a crash") {
  const CsvTable header_only = CsvTable::parse(
      "point,links.wan.loss,runs,n,established,timeouts,refused,mean,median,p95,max,ci95_low,"
      "ci95_high\n",
      "out/sweep.csv");
  REQUIRE(header_only.rows() == 0);
  try {
    (void)viz::build_timing(header_only);
    FAIL("build_timing accepted a sweep file without rows");
  } catch (const viz::VizError& e) {
    CHECK(std::string(e.what()).starts_with("out/sweep.csv: no rows"));
  }
  // The axis chooser itself, given parameters without values, says so instead of reading one.
  const auto choice = viz::choose_timing_axis({{"tcp.profile", {}}});
  CHECK_FALSE(choice.axis.has_value());
  CHECK(choice.why_not.find("tcp.profile []") != std::string::npos);
}

TEST_CASE("swept values as numbers: plain, or durations in seconds") {
  CHECK(viz::swept_number("0.05") == 0.05);
  CHECK(viz::swept_number("3") == 3.0);
  CHECK(viz::swept_number("20ms") == doctest::Approx(0.020));
  CHECK(viz::swept_number("1.5s") == 1.5);
  CHECK(viz::swept_number("200us") == doctest::Approx(200e-6));
  CHECK(viz::swept_number("10ns") == doctest::Approx(10e-9));
  // Every unit and form a scenario's time takes (docs/scenario-format.md): 2min = 120 s,
  // 1h = 3600 s, "10 ms" and "+5ms" as the scenario reads them.
  CHECK(viz::swept_number("2min") == 120.0);
  CHECK(viz::swept_number("10\xC2\xB5s") == doctest::Approx(10e-6));  // 10µs
  CHECK(viz::swept_number("0.5h") == 1800.0);
  CHECK(viz::swept_number("10 ms") == doctest::Approx(0.010));
  CHECK(viz::swept_number("+5ms") == doctest::Approx(0.005));
  CHECK_FALSE(viz::swept_number("++5ms").has_value());
  CHECK_FALSE(viz::swept_number("min").has_value());
  CHECK_FALSE(viz::swept_number("linux").has_value());
  CHECK_FALSE(viz::swept_number("{model: gilbert-elliott, p: 0.01, r: 0.5}").has_value());
  CHECK_FALSE(viz::swept_number("ms").has_value());
  CHECK_FALSE(viz::swept_number("").has_value());
}

TEST_CASE("the timing axis: any numeric swept value, a loss probability first, with its unit") {
  using P = viz::SweptParameter;
  auto axis = [](const std::vector<P>& swept) {
    const auto choice = viz::choose_timing_axis(swept);
    return choice.axis ? choice.axis->label() : "none: " + choice.why_not;
  };
  CHECK(axis({{"links.wan.loss.p", {"0.01", "0.1"}}, {"tcp.profile", {"linux", "classic"}}}) ==
        "links.wan.loss.p (probability)");
  CHECK(axis({{"links.wan.loss.r", {"0.2", "0.5"}}}) == "links.wan.loss.r (probability)");
  CHECK(axis({{"links.wan.delay", {"10ms", "50ms"}}}) == "links.wan.delay (s)");
  CHECK(axis({{"tcp.initial_rto", {"1s", "3s"}}}) == "tcp.initial_rto (s)");
  CHECK(axis({{"links.wan.delay", {"1ms", "1min", "1h"}}}) == "links.wan.delay (s)");
  // A number at one point and a mapping at the next: not an axis, and the message does not call
  // the first value, a number, not numeric.
  CHECK(axis({{"links.wan.delay", {"1ms", "{forward: 10ms, reverse: 20ms}"}}})
            .ends_with("this sweep has links.wan.delay [1ms, ...], none of them numeric at every "
                       "point"));
  CHECK(axis({{"apps.1.count", {"10", "20"}}}) == "apps.1.count");
  // A loss probability wins over an earlier numeric parameter; several values over one.
  CHECK(axis({{"links.wan.delay", {"10ms", "50ms"}}, {"links.wan.loss", {"0", "0.1"}}}) ==
        "links.wan.loss (probability)");
  CHECK(axis({{"links.wan.delay", {"10ms"}}, {"tcp.initial_rto", {"1s", "3s"}}}) ==
        "tcp.initial_rto (s)");
  CHECK(axis({{"links.wan.loss", {"{model: gilbert-elliott, p: 0.01, r: 0.5}"}},
              {"tcp.profile", {"linux"}}})
            .starts_with("none: needs a sweep over a numeric value"));
  CHECK(axis({}).ends_with("no parameter"));
}

TEST_CASE("timing: one direction's loss is a loss probability, chosen as the axis first") {
  // links.<name>.loss.forward / .reverse (docs/scenario-format.md), listed after a delay sweep.
  for (const std::string path : {"links.wan.loss.forward", "links.wan.loss.reverse"}) {
    const CsvTable sweep = CsvTable::parse(
        "point,links.wan.delay," + path +
            ",runs,n,established,timeouts,refused,mean,median,p95,max,ci95_low,ci95_high\n"
            "0,10ms,0.1,1,1,1,0,0,0.1,0.1,0.1,0.1,,\n"
            "1,10ms,0.2,1,1,1,0,0,0.1,0.1,0.1,0.1,,\n"
            "2,50ms,0.1,1,1,1,0,0,0.1,0.1,0.1,0.1,,\n"
            "3,50ms,0.2,1,1,1,0,0,0.1,0.1,0.1,0.1,,\n",
        "sweep.csv");
    const viz::TimingData d = viz::build_timing(sweep);
    CHECK(d.axis.path == path);
    CHECK(d.axis.unit == "probability");
    CHECK(d.axis.loss_probability);
    CHECK(d.series.size() == 2);  // one per delay
  }
}

TEST_CASE("timing: a Gilbert-Elliott p on the x axis, nothing established is an error") {
  const CsvTable sweep = CsvTable::parse(
      "point,links.wan.loss.p,tcp.profile,runs,n,established,timeouts,refused,mean,median,p95,"
      "max,ci95_low,ci95_high\n"
      "0,0.1,linux,2,10,9,1,0,0.5,0.1,2.1,2.1,0.3,0.7\n"
      "1,0.01,linux,2,10,10,0,0,0.1,0.1,0.1,0.1,0.1,0.1\n",
      "sweep.csv");
  const viz::TimingData d = viz::build_timing(sweep);
  CHECK(d.axis.path == "links.wan.loss.p");
  CHECK_FALSE(d.axis.loss_probability);  // a transition probability, not the loss rate
  REQUIRE(d.series.size() == 1);
  REQUIRE(d.series[0].points.size() == 2);
  CHECK(d.series[0].points[0].x == 0.01);
  CHECK(d.series[0].points[1].timeouts == 1);
  const CsvTable none = CsvTable::parse(
      "point,links.wan.loss.p,runs,n,established,timeouts,refused,mean,median,p95,max,ci95_low,"
      "ci95_high\n0,0.1,2,10,0,10,0,,,,,,\n",
      "sweep.csv");
  CHECK_THROWS_WITH_AS(viz::build_timing(none), doctest::Contains("nothing to draw"),
                       viz::VizError);
}

TEST_CASE("CDF: a connections file without rows is an error naming it, not an empty plot") {
  for (const char* header : {"point,outcome,handshake_time\n", "xxxxxxxxxx\n"}) {
    CAPTURE(header);
    CHECK_THROWS_WITH(viz::build_cdfs(CsvTable::parse(header, "out/connections.csv"), {}),
                      "out/connections.csv: no rows (one per connection): nothing to draw");
  }
}

TEST_CASE("CDF per point: fraction of all connections, timeouts keep it below 1") {
  const CsvTable conns = CsvTable::parse(
      "point,replication,conn,client,client_port,server,server_port,open_time,"
      "client_established,server_established,handshake_time,syns_sent,synacks_sent,outcome\n"
      "0,0,1,c,1,s,80,0,0.1,0.15,0.1,1,1,established\n"
      "0,0,2,c,2,s,80,5,6.1,6.15,1.1,2,1,established\n"
      "0,1,1,c,1,s,80,0,0.1,0.15,0.1,1,1,established\n"
      "0,1,2,c,2,s,80,5,,,,7,0,timeout\n"
      "1,0,1,c,1,s,80,0,0.2,0.25,0.2,1,1,established\n",
      "connections.csv");
  const auto curves = viz::build_cdfs(conns, {{{"links.wan.loss", "0.1"}}});
  REQUIRE(curves.size() == 2);
  // Point 0: 4 connections, handshakes 0.1, 0.1, 1.1 -> F(0.1) = 2/4, F(1.1) = 3/4.
  CHECK(curves[0].connections == 4);
  CHECK(curves[0].established == 3);
  CHECK(curves[0].min_time_s == 0.1);
  CHECK(curves[0].parameters.at("links.wan.loss") == "0.1");
  REQUIRE(curves[0].steps.size() == 2);
  CHECK(curves[0].steps[0].fraction == 0.5);
  CHECK(curves[0].steps[1].time_s == 1.1);
  CHECK(curves[0].steps[1].fraction == 0.75);
  CHECK(curves[1].parameters.empty());  // summary.json named only point 0
  CHECK(curves[1].steps.back().fraction == 1);
  // Model staircase: cumulative sums of the atoms.
  const auto steps = viz::model_cdf({{0.1, 0.4}, {1.1, 0.28}, {2.1, 0.04}});
  REQUIRE(steps.size() == 3);
  CHECK(steps[1].fraction == doctest::Approx(0.68));
  CHECK(steps[2].fraction == doctest::Approx(0.72));
}

TEST_CASE("summary.json: scenario, points' parameters and TCP timers") {
  const viz::RunInfo info = viz::parse_run_info(
      R"({"scenario": {"name": "lab", "file": "lab.yaml"}, "seed": 7, "repeat": 20,
          "points": [{"point": 0, "parameters": {"links.wan.loss": "0.1"},
                      "tcp": {"profile": "classic", "initial_timeout_s": 3,
                              "syn_send_times_s": [0, 3, 9], "synack_send_times_s": [0, 3]}},
                     {"point": 1, "parameters": {"links.wan.loss": "0.2"}}]})",
      "summary.json");
  CHECK(info.scenario_name == "lab");
  CHECK(info.seed == 7);
  CHECK(info.repeat == 20);
  REQUIRE(info.timers.size() == 2);
  REQUIRE(info.timers[0].has_value());
  CHECK(info.timers[0]->profile == "classic");
  CHECK(info.timers[0]->initial_timeout_s == 3);
  CHECK(info.timers[0]->syn_send_times_s == std::vector<double>{0, 3, 9});
  CHECK(info.timers[0]->synack_send_times_s == std::vector<double>{0, 3});
  CHECK_FALSE(info.timers[1].has_value());
  REQUIRE(info.points.size() == 2);
  CHECK(viz::describe(info.points[1]) == "links.wan.loss=0.2");
  CHECK_THROWS_AS(viz::parse_run_info("{", "s.json"), viz::VizError);
  CHECK_THROWS_AS(viz::parse_run_info("{\"seed\": 1}", "s.json"), viz::VizError);
  // The message is for users: the file and what is wrong, not the JSON library's error id.
  CHECK_THROWS_WITH(viz::parse_run_info("{", "s.json"),
                    doctest::Contains("s.json: not valid JSON: parse error at line 1"));
  CHECK_THROWS_WITH(viz::parse_run_info("{\"seed\": 1}", "s.json"),
                    "s.json: not a synlab summary: scenario: missing");
  // A key of another type (a hand-edited file) is named, with what was expected.
  CHECK_THROWS_WITH(viz::parse_run_info(R"({"scenario": -1, "points": []})", "s.json"),
                    "s.json: not a synlab summary: scenario: expected an object, found number");
  CHECK_THROWS_WITH(
      viz::parse_run_info(
          R"({"scenario": {}, "points": [{"parameters": {}, "tcp": {"profile": 3}}]})", "s.json"),
      "s.json: not a synlab summary: points[0].tcp.profile: expected a string, found number");
  CHECK_THROWS_WITH(
      viz::parse_run_info(R"({"scenario": {}, "points": [], "expectations": [{"passed": 1}]})",
                          "s.json"),
      "s.json: not a synlab summary: expectations[0].passed: expected true or false, found "
      "number");
  CHECK_THROWS_WITH(
      viz::parse_run_info(R"({"scenario": {}, "points": [], "repeat": "2"})", "s.json"),
      "s.json: not a synlab summary: repeat: expected a whole number from 0, found "
      "string");
  CHECK(viz::json_message("[json.exception.out_of_range.403] key 'x' not found") ==
        "key 'x' not found");
  // A point's unswept loss, when the model applies (loss_both_ways), or none.
  REQUIRE(info.loss_both_ways.size() == 2);
  CHECK_FALSE(info.loss_both_ways[0].has_value());
  const viz::RunInfo lossy = viz::parse_run_info(
      R"({"scenario": {"name": "l"}, "points": [{"parameters": {}, "loss_both_ways": 0.2}]})",
      "summary.json");
  REQUIRE(lossy.loss_both_ways.size() == 1);
  CHECK(lossy.loss_both_ways[0] == 0.2);
}

TEST_CASE("timing against the long-run loss rate of a swept Gilbert-Elliott p") {
  // p = 0.05 and 0.2 with r = 0.5: p/(p+r) = 0.0909 and 0.2857, as summary.json records them.
  const CsvTable sweep = CsvTable::parse(
      "point,links.wan.loss.p,runs,n,established,timeouts,refused,mean,median,p95,max,ci95_low,"
      "ci95_high\n"
      "0,0.2,2,10,10,0,0,0.9,0.1,2.1,2.1,0.3,1.5\n"
      "1,0.05,2,10,10,0,0,0.3,0.1,1.1,1.1,0.1,0.5\n",
      "sweep.csv");
  const viz::RunInfo info = viz::parse_run_info(
      R"({"scenario": {"name": "ge"}, "points": [
          {"point": 0, "parameters": {"links.wan.loss.p": "0.2"},
           "effective_loss": {"links.wan.forward": 0.2857, "links.wan.reverse": 0.2857}},
          {"point": 1, "parameters": {"links.wan.loss.p": "0.05"},
           "effective_loss": {"links.wan.forward": 0.0909, "links.wan.reverse": 0.0909}}]})",
      "summary.json");
  REQUIRE(info.effective_loss.size() == 2);
  CHECK(info.effective_loss[1].at("links.wan.forward") == 0.0909);
  viz::TimingData d = viz::build_timing(sweep);
  viz::use_effective_loss(d, info);
  CHECK(d.axis.loss_probability);
  CHECK(d.axis.label() ==
        "long-run loss rate of links.wan.forward, from links.wan.loss.p (probability)");
  REQUIRE(d.series[0].points.size() == 2);
  CHECK(d.series[0].points[0].x == 0.0909);
  CHECK(d.series[0].points[1].x == 0.2857);
  CHECK(d.axis.effective_both_ways);  // the Bernoulli model's curves apply (the same both ways)
  // Bursty one way only (lab 9's shape: the reverse direction Bernoulli or lossless, so not in
  // effective_loss), or another rate the other way: the model's curves would not be this link's.
  // In the second case point 1 loses the same share both ways; point 0 does not.
  for (const char* reverse : {"", R"(, "links.wan.reverse": 0.0909)"}) {
    const viz::RunInfo one_way =
        viz::parse_run_info(std::string(R"({"scenario": {"name": "ge"}, "points": [
          {"point": 0, "parameters": {"links.wan.loss.p": "0.2"},
           "effective_loss": {"links.wan.forward": 0.2857)") +
                                reverse + R"(}},
          {"point": 1, "parameters": {"links.wan.loss.p": "0.05"},
           "effective_loss": {"links.wan.forward": 0.0909)" +
                                reverse + R"(}}]})",
                            "summary.json");
    viz::TimingData e = viz::build_timing(sweep);
    viz::use_effective_loss(e, one_way);
    CHECK(e.axis.effective_loss);
    CHECK_FALSE(e.axis.effective_both_ways);
  }
  // A Bernoulli axis has no effective rate to use.
  const CsvTable bernoulli = CsvTable::parse(
      "point,links.wan.loss,runs,n,established,timeouts,refused,mean,median,p95,max,ci95_low,"
      "ci95_high\n0,0.1,1,1,1,0,0,0.1,0.1,0.1,0.1,,\n",
      "sweep.csv");
  viz::TimingData b = viz::build_timing(bernoulli);
  CHECK_THROWS_WITH_AS(viz::use_effective_loss(b, info),
                       doctest::Contains("needs a sweep over a Gilbert-Elliott parameter"),
                       viz::VizError);
}
