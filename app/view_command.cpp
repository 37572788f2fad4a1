// `synlab view` (see commands.hpp and docs/plots.md): the plots in an interactive window.
#include <ostream>

#include "app/commands.hpp"
#include "app/handshake_timers.hpp"
#include "app/plot_module.hpp"
#include "app/plot_options.hpp"

namespace synlab::app {

int view_command(const ViewOptions& o, std::ostream& out, std::ostream& err) {
  const auto options = parse_plot_options(o.plot, err);
  if (!options) return exit_bad_input;
  return report_plot_errors(err, [&] {
    const bool headless = !o.screenshot.empty();
    const PlotSession qt(headless ? viz::QtSession::Mode::Headless : viz::QtSession::Mode::Window);
    viz::PlotReport report;
    const auto screenshot =
        headless ? std::optional<std::filesystem::path>(o.screenshot) : std::nullopt;
    const int code =
        qt.show_plot_window(o.plot.outdir, *options, &preset_timers, screenshot, report);
    for (const std::string& why : report.skipped) err << "synlab: note: skipped: " << why << "\n";
    for (const auto& file : report.written) out << "wrote " << file.string() << "\n";
    return code;
  });
}

}  // namespace synlab::app
