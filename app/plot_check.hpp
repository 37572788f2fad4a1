// Whether each plot a scenario's outputs.plots asks for can be drawn from the files its run
// writes (the sweep's shape, the swept values): the one check `synlab validate` and `synlab run`
// make, so no scenario passes validate and is then refused by run (docs/plots.md).
#pragma once

#include <string>

#include "app/scenario.hpp"
#include "viz/plot_kind.hpp"

namespace synlab::app {

// Why plot `kind` cannot be drawn for `scenario` (as loaded with its sweep), or "" if it can.
std::string unplottable(const Scenario& scenario, viz::PlotKind kind);

// Throws ScenarioError, at the outputs.plots entry, for the first plot that cannot be drawn.
void check_plots(const Scenario& scenario);

// A note when `scenario` asks for pcap files that its run will not write (a sweep or repeat > 1
// writes none, docs/pcap.md), or "". Not an error, unlike a plot: a lab scenario with
// outputs.pcap still runs with --set repeat=20. validate and run print it.
std::string unwritten_pcap_note(const Scenario& scenario);

}  // namespace synlab::app
