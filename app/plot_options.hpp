// The options shared by `synlab plot` and `synlab view`, checked and turned into
// viz::PlotOptions (plot_command.cpp).
#pragma once

#include <iosfwd>
#include <optional>

#include "app/commands.hpp"
#include "viz/plot_writer.hpp"

namespace synlab::app {

// nullopt after printing what is wrong to `err` (an unknown kind, a bad size or format...).
std::optional<viz::PlotOptions> parse_plot_options(const PlotOptions& options, std::ostream& err);

}  // namespace synlab::app
