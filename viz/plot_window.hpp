// PlotWindow: `synlab view`: the same charts in a window, one tab per plot; the mouse wheel
// zooms, dragging pans, and hovering over a ladder label shows the segment's fields.
#pragma once

#include <filesystem>
#include <optional>

#include "viz/plot_writer.hpp"

namespace synlab::viz {

// Shows the plots of run_dir and returns when the window is closed (the QApplication's exit
// code). With `screenshot`, renders the window once into that PNG and returns at once (for
// tests and headless machines). Needs a live QtSession. Throws VizError like draw_plots().
int show_plot_window(const std::filesystem::path& run_dir, const PlotOptions& options,
                     const TimersLookup& timers,
                     const std::optional<std::filesystem::path>& screenshot, PlotReport& report);

}  // namespace synlab::viz
