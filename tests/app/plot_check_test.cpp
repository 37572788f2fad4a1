// Whether a scenario's plots can be drawn: the one rule validate and run share (issue 14).
#include "app/plot_check.hpp"

#include <doctest/doctest.h>

#include <string>

#include "app/scenario_loader.hpp"

using synlab::app::check_plots;
using synlab::app::load_scenario;
using synlab::app::parse_scenario_text;
using synlab::app::Scenario;
using synlab::app::ScenarioError;
using synlab::app::unplottable;
using synlab::viz::PlotKind;

namespace {

// The lab of issue 14: three nodes, Gilbert-Elliott loss on the wan link, two profiles.
const std::string lab =
    "nodes: [client, router, server]\n"
    "links:\n"
    "  access: {between: [client, router], delay: 5ms}\n"
    "  wan:\n"
    "    between: [router, server]\n"
    "    delay: 20ms\n"
    "    loss: {model: gilbert-elliott, p: 0.01, r: 0.5}\n"
    "apps:\n"
    "  - {listen: server:80}\n"
    "  - {connect: client -> server:80}\n"
    "repeat: 30\n";

Scenario load(const std::string& text) {
  return load_scenario(parse_scenario_text(text, "lab.yaml"));
}

}  // namespace

TEST_CASE("timing: a sweep over a Gilbert-Elliott p, a delay or an RTO can be plotted") {
  for (const char* axis : {"links.wan.loss.p: [0.01, 0.05, 0.1]", "links.wan.loss.r: [0.2, 0.5]",
                           "links.wan.delay: [10ms, 50ms]", "tcp.initial_rto: [1s, 3s]"}) {
    CAPTURE(axis);
    const Scenario s = load(lab + "sweep:\n  " + axis + "\n  tcp.profile: [linux, classic]\n" +
                            "outputs: {plots: [timing, cdf]}\n");
    CHECK(unplottable(s, PlotKind::Timing).empty());
    CHECK_NOTHROW(check_plots(s));
  }
}

TEST_CASE("timing: a sweep of whole loss mappings or profiles only cannot be plotted") {
  const Scenario s = load(lab +
                          "sweep:\n  links.wan.loss: [{model: gilbert-elliott, p: 0.01, r: 0.5}, "
                          "{model: gilbert-elliott, p: 0.1, r: 0.5}]\n"
                          "  tcp.profile: [linux, classic]\n"
                          "outputs: {plots: [cdf, timing]}\n");
  CHECK(unplottable(s, PlotKind::Timing).find("needs a sweep over a numeric value") !=
        std::string::npos);
  CHECK(unplottable(s, PlotKind::Cdf).empty());
  // Blamed on the entry in outputs.plots: line 15, "outputs: {plots: [cdf, " is 23 columns.
  CHECK_THROWS_WITH_AS(check_plots(s), doctest::Contains("lab.yaml:15:24: outputs.plots: 'timing'"),
                       ScenarioError);
}

TEST_CASE("ladder and timeseq need a single run, timing needs more than one") {
  const Scenario sweep = load(lab + "sweep:\n  links.wan.loss.p: [0.01, 0.1]\n");
  CHECK_FALSE(unplottable(sweep, PlotKind::Ladder).empty());
  CHECK_FALSE(unplottable(sweep, PlotKind::Timeseq).empty());
  const Scenario single = load(lab + "sweep:\n  links.wan.loss.p: [0.01]\n");  // repeat 30
  CHECK(unplottable(single, PlotKind::Timing).empty());
  const Scenario one = load_scenario(parse_scenario_text(lab, "lab.yaml"),
                                     {synlab::app::parse_set_option("repeat=1")});
  CHECK(unplottable(one, PlotKind::Ladder).empty());
  CHECK(unplottable(one, PlotKind::Timing).find("needs sweep.csv") != std::string::npos);
}
