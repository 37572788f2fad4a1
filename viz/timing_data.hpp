// TimingData: handshake time against loss probability from a sweep's sweep.csv, one series per
// value of the other swept parameters (e.g. tcp.profile), with 95% confidence intervals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "viz/csv_table.hpp"
#include "viz/run_info.hpp"

namespace synlab::viz {

struct TimingPoint {
  std::size_t point = 0;  // sweep point
  double loss = 0;
  double mean_s = 0;
  std::optional<double> ci95_low_s;  // absent with fewer than two handshakes
  std::optional<double> ci95_high_s;
  std::uint64_t connections = 0;
  std::uint64_t established = 0;
};

struct TimingSeries {
  Parameters group;   // the swept values other than the loss, e.g. {tcp.profile: linux}
  std::string label;  // describe(group), or "measured" when nothing else is swept
  std::vector<TimingPoint> points;  // by increasing loss
};

struct TimingData {
  std::string loss_parameter;        // e.g. links.wan.loss
  std::vector<TimingSeries> series;  // in the order their first point appears
};

// The swept parameter that is a loss probability: the first whose name ends in "loss".
std::optional<std::string> find_loss_parameter(const std::vector<std::string>& names);

// Throws VizError when sweep.csv sweeps no loss parameter. Points without an established
// connection (no mean) are left out.
TimingData build_timing(const CsvTable& sweep);

}  // namespace synlab::viz
