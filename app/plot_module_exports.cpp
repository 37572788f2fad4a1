// libsynlab_plots.so: the drawing half of synlab, with Qt (see plot_module.hpp). Only its entry
// point is looked up; everything else reaches the program through the table.
#include "app/plot_module.hpp"
#include "app/version.hpp"
#include "viz/plot_window.hpp"

namespace {

using namespace synlab;

const app::PlotFunctions functions{
    {app::plot_functions_layout, app::source_revision},
    [](viz::QtSession::Mode mode) { return new viz::QtSession(mode); },
    [](viz::QtSession* session) noexcept { delete session; },
    [](const std::filesystem::path& run_dir, const std::filesystem::path& out_dir,
       const viz::PlotOptions& options, const viz::TimersLookup& timers) {
      return viz::write_plots(run_dir, out_dir, options, timers);
    },
    [](const std::filesystem::path& run_dir, const viz::PlotOptions& options,
       const viz::TimersLookup& timers, const std::optional<std::filesystem::path>& screenshot,
       viz::PlotReport& report) {
      return viz::show_plot_window(run_dir, options, timers, screenshot, report);
    },
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const synlab::app::PlotFunctions*
synlab_plot_functions() {
  return &functions;
}
