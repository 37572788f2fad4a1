// PlotWriter: draws the plots of a run's output directory (ladder, timeseq, timing, cdf) into
// image files, reading only the files (docs/plots.md). Qt stays behind this header: callers
// need a QtSession alive, nothing else from Qt.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "viz/plot_kind.hpp"
#include "viz/tcp_timers.hpp"

namespace synlab::viz {

class PlotCanvas;

enum class PlotFormat : std::uint8_t { Png, Svg };

std::string_view extension(PlotFormat format);  // "png" or "svg"

struct PlotOptions {
  std::vector<PlotKind> kinds;  // empty: every kind the directory's files allow
  std::uint64_t conn = 1;       // ladder and timeseq: the connection (1-based)
  PlotFormat format = PlotFormat::Png;
  int width = 1200;
  int height = 800;
  // false: a ladder with many instants is drawn taller than `height` (ladder_height()), so its
  // labels find room; true: exactly width x height (the user's --size).
  bool fixed_size = false;
  // timing: x is the swept Gilbert-Elliott link's long-run loss rate p/(p+r), not the swept
  // parameter itself (use_effective_loss()).
  bool effective_loss = false;
  // cdf: the complementary distribution 1 - F(t) on a log axis, for the tail.
  bool ccdf = false;
  // The file of a single plot (write_plots() with one kind); empty: OUT/<kind>.<ext>, or
  // <kind>-<conn>.<ext> for a ladder or time-sequence graph of another connection than 1.
  std::filesystem::path output;
};

// The height a ladder of `instants` distinct event times is drawn at: `height`, or about 30
// pixels per instant plus the title, axis and legend when that is more (at most 10,000).
int ladder_height(std::size_t instants, int height);

struct PlotReport {
  std::vector<std::filesystem::path> written;
  std::vector<std::string> skipped;  // kinds left out of "all", and why
};

// Reads run_dir's files and writes OUT/<kind>.<ext> for each kind into out_dir. A kind asked
// for explicitly whose files are missing (no packets.csv for a ladder, no sweep.csv for timing)
// throws VizError saying which file and what kind of run writes it. `timers` maps a profile
// name to its schedule for the analytic overlays (none drawn when it returns nullopt).
PlotReport write_plots(const std::filesystem::path& run_dir, const std::filesystem::path& out_dir,
                       const PlotOptions& options, const TimersLookup& timers);

// Receives each drawn plot with its title; returns the file it wrote, if any.
using PlotSink = std::function<std::optional<std::filesystem::path>(
    PlotKind, std::unique_ptr<PlotCanvas>, const std::string& title)>;

// What write_plots() does, but hands each drawn canvas to `sink` (e.g. a window) instead of
// saving it. Same checks and errors.
PlotReport draw_plots(const std::filesystem::path& run_dir, const PlotOptions& options,
                      const TimersLookup& timers, const PlotSink& sink);

}  // namespace synlab::viz
