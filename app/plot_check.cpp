// Whether a scenario's plots can be drawn (plot_check.hpp).
#include "app/plot_check.hpp"

#include <vector>

#include "app/scenario_error.hpp"
#include "viz/timing_data.hpp"

namespace synlab::app {

namespace {

// A single run (one point, repeat 1) writes packets.csv and pcap files; anything else writes
// sweep.csv.
bool single_run(const Scenario& s) {
  bool single = s.repeat == 1;
  for (const SweepAxis& a : s.sweep.grid) single = single && a.values.size() == 1;
  if (!s.sweep.zip.empty()) single = single && s.sweep.zip.front().values.size() == 1;
  return single;
}

}  // namespace

std::string unplottable(const Scenario& s, viz::PlotKind kind) {
  const bool single = single_run(s);
  switch (kind) {
    case viz::PlotKind::Ladder:
    case viz::PlotKind::Timeseq:
      if (!(single && s.outputs.packets))
        return "needs packets.csv, which only a single run (no sweep, repeat: 1) with "
               "outputs.packets writes";
      return "";
    case viz::PlotKind::Timing: {
      if (single)
        return "needs sweep.csv, which only a sweep or repeat > 1 writes, e.g. sweep: "
               "{links.wan.loss: [0, 0.1, 0.2]}";
      // The same rule the plot applies to sweep.csv, whose columns hold these values as written.
      std::vector<viz::SweptParameter> swept;
      for (const auto* axes : {&s.sweep.grid, &s.sweep.zip})
        for (const SweepAxis& a : *axes) swept.push_back({a.path, a.values});
      return viz::choose_timing_axis(swept).why_not;
    }
    case viz::PlotKind::Cdf:
      return "";  // connections.csv: every run writes it
  }
  return "";
}

void check_plots(const Scenario& s) {
  for (std::size_t i = 0; i < s.outputs.plots.size(); ++i) {
    const viz::PlotKind kind = s.outputs.plots[i];
    if (const std::string why = unplottable(s, kind); !why.empty())
      throw ScenarioError(
          i < s.outputs.plot_where.size() ? s.outputs.plot_where[i] : SourceMark{s.file, 0, 0},
          "outputs.plots: '" + std::string(viz::to_string(kind)) + "' " + why);
  }
}

std::string unwritten_pcap_note(const Scenario& s) {
  if (!s.outputs.pcap.enabled || single_run(s)) return "";
  return "outputs.pcap: a sweep or repeat writes no pcap files (only a single run does: no "
         "sweep, repeat: 1); the run goes on without them";
}

}  // namespace synlab::app
