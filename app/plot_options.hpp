// The options shared by `synlab plot` and `synlab view`, checked and turned into
// viz::PlotOptions (plot_command.cpp).
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>

#include "app/commands.hpp"
#include "viz/plot_writer.hpp"

namespace synlab::app {

// nullopt after printing what is wrong to `err` (an unknown kind, a bad size or format...).
std::optional<viz::PlotOptions> parse_plot_options(const PlotOptions& options, std::ostream& err);

// Returns what `draw` returns; if it throws, prints the error to `err` and returns
// exit_bad_input for a viz::VizError (a run's file missing or malformed), exit_failure else.
int report_plot_errors(std::ostream& err, const std::function<int()>& draw);

}  // namespace synlab::app
