// CdfData: empirical and model CDF steps (cdf_data.hpp).
#include "viz/cdf_data.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "viz/viz_error.hpp"

namespace synlab::viz {

std::vector<CdfCurve> build_cdfs(const CsvTable& connections,
                                 const std::vector<Parameters>& points) {
  // Every run writes a row per connection: a file without rows was cut short or emptied.
  if (connections.rows() == 0)
    throw VizError(connections.source() + ": no rows (one per connection): nothing to draw");
  std::map<std::size_t, std::vector<double>> times;  // established handshakes per point
  std::map<std::size_t, std::uint64_t> counts;       // every connection per point
  for (std::size_t r = 0; r < connections.rows(); ++r) {
    const auto point = static_cast<std::size_t>(connections.count(r, "point").value_or(0));
    ++counts[point];
    if (connections.cell(r, "outcome") != "established") continue;
    if (const auto t = connections.seconds(r, "handshake_time")) times[point].push_back(*t);
  }
  std::vector<CdfCurve> curves;
  for (const auto& [point, n] : counts) {
    CdfCurve c;
    c.point = point;
    if (point < points.size()) c.parameters = points[point];
    c.connections = n;
    std::vector<double>& t = times[point];
    std::sort(t.begin(), t.end());
    c.established = t.size();
    c.min_time_s = t.empty() ? 0 : t.front();
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (i + 1 < t.size() && t[i + 1] == t[i]) continue;  // the last of equal times
      c.steps.push_back({t[i], static_cast<double>(i + 1) / static_cast<double>(n)});
    }
    curves.push_back(std::move(c));
  }
  return curves;
}

std::vector<CdfStep> model_cdf(const std::vector<HandshakeAtom>& atoms) {
  std::vector<CdfStep> steps;
  double cumulative = 0;
  for (const HandshakeAtom& a : atoms) {
    cumulative += a.probability;
    steps.push_back({a.time_s, cumulative});
  }
  return steps;
}

std::vector<CdfStep> schedule_model_cdf(double rtt_s, const TcpTimers& timers, double pf,
                                        double pr) {
  return model_cdf(
      handshake_distribution(rtt_s, timers.syn_send_times_s, pf, timers.synack_send_times_s, pr,
                             timers.give_up_s.value_or(std::numeric_limits<double>::infinity())));
}

}  // namespace synlab::viz
