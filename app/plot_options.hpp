// The options shared by `synlab plot` and `synlab view`, checked and turned into
// viz::PlotOptions (plot_command.cpp).
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string_view>

#include "app/commands.hpp"
#include "viz/plot_writer.hpp"

namespace synlab::app {

// nullopt after printing what is wrong to `err` (an unknown kind, a bad size or format...).
std::optional<viz::PlotOptions> parse_plot_options(const PlotOptions& options, std::ostream& err);

// Returns what `draw` returns; if it throws, prints the error to `err` and returns
// exit_bad_input for a viz::VizError (a run's file missing or malformed), exit_failure else.
int report_plot_errors(std::ostream& err, const std::function<int()>& draw);

// What plot and report say when reading a run's files takes more memory than the process may
// have (std::bad_alloc): the CSV files are held whole, several times their size.
inline constexpr std::string_view out_of_memory_reading =
    "out of memory reading the run's files: the plots hold each CSV file they read whole, "
    "several times its size (a traced run of a million connections writes 2.4 GB of "
    "packets.csv); give the process more memory, or trace fewer connections";

}  // namespace synlab::app
