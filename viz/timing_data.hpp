// TimingData: mean handshake time against a swept numeric value (a loss probability, a
// Gilbert-Elliott p or r, a delay, an initial RTO) from a sweep's sweep.csv, one series per value
// of the other swept parameters (e.g. tcp.profile), with 95% confidence intervals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "viz/csv_table.hpp"
#include "viz/run_info.hpp"

namespace synlab::viz {

// A swept parameter as the scenario and sweep.csv write it: its path and its values as text.
struct SweptParameter {
  std::string path;
  std::vector<std::string> values;
};

// A swept value as a number: a plain number ("0.05", "3"), or a duration with its unit ("20ms",
// "1.5s", "200us", "10ns") in seconds. nullopt for anything else (a profile name, a mapping).
std::optional<double> swept_number(std::string_view text);

// The timing plot's x axis: a swept path whose every value is a number.
struct TimingAxis {
  std::string path;  // e.g. links.wan.loss.p
  std::string unit;  // "s" (durations), "probability" (loss keys, p, r), or "" (a count)
  // A Bernoulli loss probability (the path ends in "loss", "loss.forward" or "loss.reverse").
  bool loss_probability = false;
  bool effective_loss = false;  // a Gilbert-Elliott link's long-run rate (use_effective_loss)
  // With effective_loss: the link's other direction loses the same long-run share at every point.
  bool effective_both_ways = false;
  // "links.wan.loss.p (probability)", "links.wan.delay (s)".
  std::string label() const;
};

// Whether a timing plot can be drawn for these swept parameters, and on which axis: the first
// numeric parameter with more than one value, a loss probability first (then any numeric one).
// The others group the series. The one rule for `synlab validate`, `synlab run` and `synlab
// plot` alike. Returns the axis, or `why_not` says what is missing.
struct TimingAxisChoice {
  std::optional<TimingAxis> axis;
  std::string why_not;
};
TimingAxisChoice choose_timing_axis(const std::vector<SweptParameter>& swept);

struct TimingPoint {
  std::size_t point = 0;  // sweep point
  double x = 0;           // the axis's value (durations in seconds)
  double mean_s = 0;
  std::optional<double> ci95_low_s;  // absent with fewer than two handshakes
  std::optional<double> ci95_high_s;
  std::uint64_t connections = 0;
  std::uint64_t established = 0;
  std::uint64_t timeouts = 0;  // left out of the mean (and the CI)
};

struct TimingSeries {
  Parameters group;   // the swept values other than the axis's, e.g. {tcp.profile: linux}
  std::string label;  // describe(group), or "measured" when nothing else is swept
  std::vector<TimingPoint> points;  // by increasing x
};

struct TimingData {
  TimingAxis axis;
  std::vector<TimingSeries> series;  // in the order their first point appears
};

// Puts the link's long-run loss rate on the x axis instead of its swept Gilbert-Elliott
// parameter (links.<name>.loss.p, .r, .loss_good or .loss_bad, or one direction's): each
// point's rate as summary.json records it (RunInfo::effective_loss, p/(p+r) with the default
// loss_good 0 and loss_bad 1). The axis then is a loss probability, comparable with Bernoulli
// loss. Throws VizError when the axis is no such parameter or a point has no rate.
void use_effective_loss(TimingData& data, const RunInfo& info);

// The swept parameter that is a loss probability: the first whose name ends in "loss".
std::optional<std::string> find_loss_parameter(const std::vector<std::string>& names);

// The swept parameters of sweep.csv: its columns between "point" and "runs", with their values.
std::vector<SweptParameter> swept_parameters(const CsvTable& sweep);

// Throws VizError when choose_timing_axis() finds no axis, or when no point has an established
// connection (nothing to draw). Points without an established connection (no mean) are left out.
TimingData build_timing(const CsvTable& sweep);

}  // namespace synlab::viz
