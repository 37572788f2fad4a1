// TimingData: grouping sweep.csv rows into series (timing_data.hpp).
#include "viz/timing_data.hpp"

#include <algorithm>

#include "viz/viz_error.hpp"

namespace synlab::viz {

std::optional<std::string> find_loss_parameter(const std::vector<std::string>& names) {
  for (const std::string& n : names)
    if (n.size() >= 4 && n.compare(n.size() - 4, 4, "loss") == 0) return n;
  return std::nullopt;
}

TimingData build_timing(const CsvTable& sweep) {
  // The swept parameters stand between "point" and "runs" (docs/running.md).
  const auto& header = sweep.header();
  const std::size_t first = sweep.column("point") + 1;
  const std::size_t last = sweep.column("runs");
  const std::vector<std::string> params(header.begin() + static_cast<std::ptrdiff_t>(first),
                                        header.begin() + static_cast<std::ptrdiff_t>(last));
  const auto loss = find_loss_parameter(params);
  if (!loss)
    throw VizError(sweep.source() +
                   ": the timing plot needs a sweep over a loss probability (a parameter ending "
                   "in 'loss', e.g. links.wan.loss); this sweep has: " +
                   (params.empty() ? std::string("no parameter") : describe([&] {
                     Parameters p;
                     for (const auto& n : params) p[n] = "...";
                     return p;
                   }())));
  TimingData data;
  data.loss_parameter = *loss;
  for (std::size_t r = 0; r < sweep.rows(); ++r) {
    Parameters group;
    for (const std::string& p : params)
      if (p != *loss) group[p] = sweep.cell(r, p);
    const auto mean = sweep.number(r, "mean");
    if (!mean) continue;
    TimingPoint point;
    point.point = static_cast<std::size_t>(sweep.number(r, "point").value_or(0));
    point.loss = sweep.number(r, *loss).value_or(0);
    point.mean_s = *mean;
    point.ci95_low_s = sweep.number(r, "ci95_low");
    point.ci95_high_s = sweep.number(r, "ci95_high");
    point.connections = static_cast<std::uint64_t>(sweep.number(r, "n").value_or(0));
    point.established = static_cast<std::uint64_t>(sweep.number(r, "established").value_or(0));
    auto it = std::find_if(data.series.begin(), data.series.end(),
                           [&](const TimingSeries& s) { return s.group == group; });
    if (it == data.series.end()) {
      const std::string label = group.empty() ? "measured" : describe(group);
      data.series.push_back({group, label, {}});
      it = data.series.end() - 1;
    }
    it->points.push_back(point);
  }
  for (TimingSeries& s : data.series)
    std::stable_sort(s.points.begin(), s.points.end(),
                     [](const TimingPoint& a, const TimingPoint& b) { return a.loss < b.loss; });
  return data;
}

}  // namespace synlab::viz
