// The plots' Qt half, loaded on first use. Qt 6 Charts and the shared libraries it brings (about
// 37 more: Qt, OpenGL, X11, ICU, fonts) took about 16 ms of every start of synlab (synlab
// --version: 20 ms with them, 4 ms without), most of a small run's time, while most runs draw
// nothing.
// So the drawing lives in a module beside the program (libsynlab_plots.so, app/plot_module_
// exports.cpp), and a command that draws loads it here, once.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>

#include "app/module_loader.hpp"
#include "viz/plot_writer.hpp"
#include "viz/qt_session.hpp"
#include "viz/viz_error.hpp"

namespace synlab::app {

// What the module exports, as one table of plain functions (same compiler, same library: C++
// types may cross). Its entry point is `synlab_plot_functions`, which returns the table.
struct PlotFunctions {
  ModuleHeader header;  // plot_functions_layout, source_revision
  // A viz::QtSession, created with `mode`, ended by close_session(). Throws viz::VizError.
  viz::QtSession* (*open_session)(viz::QtSession::Mode mode);
  void (*close_session)(viz::QtSession* session) noexcept;
  // viz::write_plots() and viz::show_plot_window(), within an open session.
  viz::PlotReport (*write_plots)(const std::filesystem::path& run_dir,
                                 const std::filesystem::path& out_dir,
                                 const viz::PlotOptions& options, const viz::TimersLookup& timers);
  int (*show_plot_window)(const std::filesystem::path& run_dir, const viz::PlotOptions& options,
                          const viz::TimersLookup& timers,
                          const std::optional<std::filesystem::path>& screenshot,
                          viz::PlotReport& report);
};
inline constexpr std::size_t plot_functions_layout =
    sizeof(PlotFunctions) * 1'000'000 + sizeof(viz::PlotOptions) * 1'000 + sizeof(viz::PlotReport);

// The module cannot be loaded: an installation's fault, not the run's data. A VizError, so that a
// run that draws keeps its results and says the plot was not drawn, as for any plot.
class PlotModuleError : public viz::VizError {
 public:
  using VizError::VizError;
};

// The module's table, loaded at the first call: the file the environment variable
// SYNLAB_PLOTS_MODULE names if it is set, else libsynlab_plots.so next to the program or in
// ../lib/synlab/ from it (an installed synlab). Throws PlotModuleError naming the places tried,
// and why each failed, when it cannot be loaded; the next call tries again.
const PlotFunctions& plot_functions();

// The system refuses new threads (a `ulimit -u` the user's processes fill, or no address space
// for a stack): Qt fills large areas of an image on threads of its own and waits for them, so it
// would wait forever. Not the run's data either: a PlotModuleError.
class PlotThreadsRefused : public PlotModuleError {
 public:
  using PlotModuleError::PlotModuleError;
};

// Throws PlotThreadsRefused if a thread cannot be started now. A probe, not a promise: Qt may
// want more than one, and other processes may take the last ones meanwhile (a `ulimit -u` counts
// all of a user's); it turns the usual case, a limit already full, into a message.
void require_a_thread();

// A Qt session of the module for a scope: `PlotSession qt;` where viz::QtSession was. Throws
// PlotModuleError (PlotThreadsRefused among them) or viz::VizError if it cannot begin.
class PlotSession {
 public:
  explicit PlotSession(viz::QtSession::Mode mode = viz::QtSession::Mode::Headless)
      : functions_(&plot_functions()),
        session_((require_a_thread(), functions_->open_session(mode))) {}
  ~PlotSession() { functions_->close_session(session_); }
  PlotSession(const PlotSession&) = delete;
  PlotSession& operator=(const PlotSession&) = delete;

  viz::PlotReport write_plots(const std::filesystem::path& run_dir,
                              const std::filesystem::path& out_dir, const viz::PlotOptions& options,
                              const viz::TimersLookup& timers) const {
    return functions_->write_plots(run_dir, out_dir, options, timers);
  }
  int show_plot_window(const std::filesystem::path& run_dir, const viz::PlotOptions& options,
                       const viz::TimersLookup& timers,
                       const std::optional<std::filesystem::path>& screenshot,
                       viz::PlotReport& report) const {
    return functions_->show_plot_window(run_dir, options, timers, screenshot, report);
  }

 private:
  const PlotFunctions* functions_;
  viz::QtSession* session_;
};

}  // namespace synlab::app
