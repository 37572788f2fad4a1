// PlotWriter: from a run's files to image files (plot_writer.hpp).
#include "viz/plot_writer.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "viz/cdf_data.hpp"
#include "viz/chart_style.hpp"
#include "viz/charts.hpp"
#include "viz/csv_table.hpp"
#include "viz/handshake_model.hpp"
#include "viz/ladder.hpp"
#include "viz/model_curve.hpp"
#include "viz/plot_canvas.hpp"
#include "viz/run_info.hpp"
#include "viz/time_sequence.hpp"
#include "viz/timing_data.hpp"
#include "viz/viz_error.hpp"

namespace synlab::viz {
namespace {

namespace fs = std::filesystem;

const char* needs(PlotKind kind) {
  switch (kind) {
    case PlotKind::Ladder:
    case PlotKind::Timeseq:
      return "packets.csv, which a single run (no sweep, repeat: 1) with outputs.packets writes";
    case PlotKind::Timing:
      return "sweep.csv, which a sweep or repeat > 1 writes; sweep a numeric value, e.g. "
             "sweep: {links.wan.loss: [0, 0.1, 0.2]}";
    case PlotKind::Cdf:
      return "connections.csv, which every run writes";
  }
  return "";
}

fs::path needed_file(PlotKind kind) {
  switch (kind) {
    case PlotKind::Ladder:
    case PlotKind::Timeseq:
      return "packets.csv";
    case PlotKind::Timing:
      return "sweep.csv";
    case PlotKind::Cdf:
      return "connections.csv";
  }
  return {};
}

// The timers of sweep point `point`: as summary.json recorded them, else the named profile's
// (the point's tcp.profile, or linux, the scenario default).
std::optional<TcpTimers> timers_of(std::size_t point, const RunInfo& info,
                                   const TimersLookup& lookup) {
  if (point < info.timers.size() && info.timers[point]) return info.timers[point];
  std::string profile = "linux";
  if (point < info.points.size())
    if (auto it = info.points[point].find("tcp.profile"); it != info.points[point].end())
      profile = it->second;
  return lookup ? lookup(profile) : std::nullopt;
}

std::string run_caption(const RunInfo& info) {
  std::string s = info.scenario_name + " (seed " + std::to_string(info.seed);
  if (info.repeat > 1) s += ", " + std::to_string(info.repeat) + " runs per point";
  return s + ")";
}

std::vector<TimingOverlay> timing_overlays(const TimingData& data, const RunInfo& info,
                                           const std::vector<CdfCurve>& cdfs,
                                           const TimersLookup& lookup) {
  std::vector<TimingOverlay> overlays;
  if (!data.axis.loss_probability) return overlays;  // the models are functions of a loss rate
  for (const TimingSeries& s : data.series) {
    TimingOverlay o;
    // RTT: the fastest handshake of the series, which lost nothing.
    double rtt = 1e300;
    for (const TimingPoint& p : s.points)
      for (const CdfCurve& c : cdfs)
        if (c.point == p.point && c.established > 0) rtt = std::min(rtt, c.min_time_s);
    const auto timers =
        s.points.empty() ? std::nullopt : timers_of(s.points.front().point, info, lookup);
    // A swept per-packet loss is the model's only where it is the loss of the scenario's one
    // link, the same both ways (loss_both_ways equals it at every point): not beside another
    // link, nor for one direction. The effective loss of a Gilbert-Elliott link is drawn against
    // the Bernoulli model on purpose (the gap is the cost of burstiness), when both directions
    // lose that share: the model's losses are the same both ways.
    const bool path_loss =
        data.axis.effective_loss
            ? data.axis.effective_both_ways
            : std::all_of(s.points.begin(), s.points.end(), [&](const TimingPoint& p) {
                return p.point < info.loss_both_ways.size() && info.loss_both_ways[p.point] &&
                       std::abs(*info.loss_both_ways[p.point] - p.x) <= 1e-12;
              });
    if (timers && rtt < 1e300 && path_loss) {
      const std::string& profile = timers->profile;
      double max_loss = 0;
      for (const TimingPoint& p : s.points) max_loss = std::max(max_loss, p.x);
      o.cardwell = cardwell_curve(rtt, timers->initial_timeout_s, max_loss, 60);
      o.cardwell_label = profile + ": Cardwell et al. (RTT " + format_seconds(rtt).toStdString() +
                         " s, Ts " + format_seconds(timers->initial_timeout_s).toStdString() +
                         " s, doubling)";
      o.schedule = schedule_curve(rtt, *timers, max_loss, 60);
      o.schedule_label = profile + ": model with the profile's SYN and SYN/ACK schedules";
    }
    overlays.push_back(std::move(o));
  }
  return overlays;
}

// "1, 2, 3, 4, 5, 7": the first retransmissions of a schedule (after the first send).
std::string first_times(const std::vector<double>& send_times_s, std::size_t count) {
  std::string text;
  for (std::size_t i = 1; i < send_times_s.size() && i <= count; ++i) {
    if (!text.empty()) text += ", ";
    text += format_seconds(send_times_s[i]).toStdString();
  }
  if (send_times_s.size() > count + 1) text += ", ...";
  return text;
}

std::vector<CdfPanel> cdf_panels(const std::vector<CdfCurve>& cdfs, const RunInfo& info,
                                 const TimersLookup& lookup) {
  // One curve per value of the timing plot's axis (the same rule), one panel per value of the
  // other swept parameters.
  std::vector<SweptParameter> swept;
  if (!info.points.empty())
    for (const auto& [key, value] : info.points.front()) {
      SweptParameter s{key, {}};
      for (const Parameters& p : info.points)
        if (auto it = p.find(key); it != p.end()) s.values.push_back(it->second);
      swept.push_back(std::move(s));
    }
  const TimingAxisChoice choice = choose_timing_axis(swept);
  const std::optional<std::string> axis =
      choice.axis ? std::optional(choice.axis->path) : std::nullopt;
  std::vector<CdfPanel> panels;
  for (const CdfCurve& c : cdfs) {
    Parameters group = c.parameters;
    if (axis) group.erase(*axis);
    const std::string title = group.empty() ? std::string() : describe(group);
    auto it = std::find_if(panels.begin(), panels.end(),
                           [&](const CdfPanel& p) { return p.title == title; });
    if (it == panels.end()) {
      panels.push_back({title, {}, {}, {}, {}});
      it = panels.end() - 1;
    }
    it->curves.push_back(c);
    if (axis && c.parameters.contains(*axis)) {
      it->labels.push_back(*axis + "=" + c.parameters.at(*axis));
    } else {
      const std::string d = describe(c.parameters);
      it->labels.push_back(d.empty() ? "all connections" : d);
    }
    // The model needs a per-packet (Bernoulli) loss probability, the same both ways, of a
    // scenario's one link: summary.json's loss_both_ways, swept or not. (A swept loss beside
    // another link, or of one direction only, has none: the model would not be its.)
    std::optional<std::vector<CdfStep>> model;
    double p = std::nan("");
    if (c.point < info.loss_both_ways.size() && info.loss_both_ways[c.point])
      p = *info.loss_both_ways[c.point];
    const auto timers = timers_of(c.point, info, lookup);
    if (std::isfinite(p) && p < 1 && timers && c.established > 0) {
      model = schedule_model_cdf(c.min_time_s, *timers, p, p);
      it->model_label = timers->profile + " model: SYNs resent at " +
                        first_times(timers->syn_send_times_s, 6) + " s, SYN/ACKs at " +
                        first_times(timers->synack_send_times_s, 3) + " s";
    }
    it->models.push_back(std::move(model));
  }
  return panels;
}

}  // namespace

std::string_view extension(PlotFormat format) {
  return format == PlotFormat::Png ? "png" : "svg";
}

PlotReport draw_plots(const fs::path& run_dir, const PlotOptions& o, const TimersLookup& timers,
                      const PlotSink& sink) {
  if (!fs::is_directory(run_dir))
    throw VizError(run_dir.string() + (fs::exists(run_dir)
                                           ? ": not a directory; give the run's folder (the "
                                             "OUTDIR synlab run wrote)"
                                           : ": no such directory"));
  if (!fs::exists(run_dir / "summary.json"))
    throw VizError(run_dir.string() +
                   ": not a synlab output directory (no summary.json); give the directory "
                   "'synlab run' wrote, e.g. out/first-syn-lost");
  if (o.width < 100 || o.height < 100 || o.width > 10000 || o.height > 10000)
    throw VizError("image size " + std::to_string(o.width) + "x" + std::to_string(o.height) +
                   " out of range (100 to 10000 pixels each way)");
  const RunInfo info = read_run_info(run_dir / "summary.json");
  PlotReport report;
  std::vector<PlotKind> kinds = o.kinds;
  const bool all = kinds.empty();
  if (all) kinds = {PlotKind::Ladder, PlotKind::Timeseq, PlotKind::Timing, PlotKind::Cdf};
  for (PlotKind kind : kinds) {
    if (!fs::exists(run_dir / needed_file(kind))) {
      const std::string why = "the " + std::string(to_string(kind)) + " plot needs " + needs(kind) +
                              "; " + (run_dir / needed_file(kind)).string() + " does not exist";
      if (!all) throw VizError(why);
      report.skipped.push_back(why);
      continue;
    }
    // A ladder is read first: its number of instants sets its height.
    std::optional<Ladder> ladder;
    int height = o.height;
    if (kind == PlotKind::Ladder) {
      const CsvTable packets = CsvTable::read(run_dir / "packets.csv");
      std::optional<CsvTable> states;
      if (fs::exists(run_dir / "states.csv")) states = CsvTable::read(run_dir / "states.csv");
      ladder = build_ladder(packets, states ? &*states : nullptr, o.conn);
      if (!o.fixed_size) height = ladder_height(ladder->time_marks.size(), o.height);
    }
    auto owned = std::make_unique<PlotCanvas>(o.width, height);
    PlotCanvas& canvas = *owned;
    const std::string caption = run_caption(info);
    std::string title;
    switch (kind) {
      case PlotKind::Ladder:
        title = "Ladder diagram, connection " + std::to_string(o.conn) + ": " + caption;
        draw_ladder(canvas, *ladder, qstr(title));
        break;
      case PlotKind::Timeseq: {
        const CsvTable packets = CsvTable::read(run_dir / "packets.csv");
        const TimeSequence ts = build_time_sequence(packets, o.conn);
        title = "Time-sequence graph, connection " + std::to_string(o.conn) + ": " + caption;
        draw_time_sequence(canvas, ts, qstr(title));
        break;
      }
      case PlotKind::Timing: {
        const CsvTable sweep = CsvTable::read(run_dir / "sweep.csv");
        TimingData data;
        try {
          data = build_timing(sweep);
          if (o.effective_loss) use_effective_loss(data, info);
        } catch (const VizError& e) {
          if (!all) throw;
          report.skipped.push_back(e.what());
          continue;
        }
        const CsvTable conns = CsvTable::read(run_dir / "connections.csv");
        const auto cdfs = build_cdfs(conns, info.points);
        title = "Mean handshake time, 95% confidence intervals over connections: " + caption;
        draw_timing(canvas, data, timing_overlays(data, info, cdfs, timers), qstr(title));
        break;
      }
      case PlotKind::Cdf: {
        const CsvTable conns = CsvTable::read(run_dir / "connections.csv");
        if (all && conns.rows() <= 1) {  // one step at one time: nothing a student can read
          report.skipped.push_back(
              "the cdf plot of a single connection is one step; ask for it with --kind cdf");
          continue;
        }
        const auto cdfs = build_cdfs(conns, info.points);
        title = std::string(o.ccdf ? "CCDF" : "CDF") + " of handshake times: " + caption;
        draw_cdfs(canvas, cdf_panels(cdfs, info, timers), qstr(title), o.ccdf);
        break;
      }
    }
    if (auto file = sink(kind, std::move(owned), title)) report.written.push_back(*file);
  }
  return report;
}

int ladder_height(std::size_t instants, int height) {
  // 30 pixels an instant: a label's line and its arrow's rise; 200 for the title, the node
  // names, the legend and the margins.
  constexpr std::size_t per_instant = 30;
  constexpr std::size_t frame = 200;
  const std::size_t wanted = std::min<std::size_t>(instants * per_instant + frame, 10'000);
  return std::max(height, static_cast<int>(wanted));
}

PlotReport write_plots(const fs::path& run_dir, const fs::path& out_dir, const PlotOptions& o,
                       const TimersLookup& timers) {
  return draw_plots(
      run_dir, o, timers,
      [&](PlotKind kind, std::unique_ptr<PlotCanvas> canvas,
          const std::string& title) -> std::optional<fs::path> {
        // ccdf.png beside cdf.png: a lab hands in both.
        std::string name(kind == PlotKind::Cdf && o.ccdf ? "ccdf" : to_string(kind));
        if ((kind == PlotKind::Ladder || kind == PlotKind::Timeseq) && o.conn != 1)
          name.append("-").append(std::to_string(o.conn));  // ladder.png stays connection 1's
        const fs::path file = !o.output.empty() && o.kinds.size() == 1
                                  ? o.output
                                  : out_dir / name.append(".").append(extension(o.format));
        canvas->save(file, o.format == PlotFormat::Png ? ImageFormat::Png : ImageFormat::Svg,
                     qstr(title));
        return file;
      });
}

}  // namespace synlab::viz
