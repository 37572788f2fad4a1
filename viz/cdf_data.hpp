// CdfData: the empirical distribution of handshake times per sweep point from connections.csv,
// and the analytic model's staircase for comparison.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "viz/csv_table.hpp"
#include "viz/handshake_model.hpp"
#include "viz/run_info.hpp"
#include "viz/tcp_timers.hpp"

namespace synlab::viz {

// F(t) = fraction of the connections whose handshake took at most t; it stays below 1 when some
// did not establish, so curve and model (which also counts only successes) compare directly.
struct CdfStep {
  double time_s = 0;
  double fraction = 0;  // F from time_s on
};

struct CdfCurve {
  std::size_t point = 0;
  Parameters parameters;
  std::uint64_t connections = 0;
  std::uint64_t established = 0;
  double min_time_s = 0;       // the fastest handshake: one RTT when nothing was lost
  std::vector<CdfStep> steps;  // one per distinct handshake time, increasing
};

// One curve per sweep point present in connections.csv; `points` (from summary.json) names
// their parameters and may be shorter. Throws VizError on a malformed file.
std::vector<CdfCurve> build_cdfs(const CsvTable& connections,
                                 const std::vector<Parameters>& points);

// The staircase of a model distribution: cumulative probabilities at each atom.
std::vector<CdfStep> model_cdf(const std::vector<HandshakeAtom>& atoms);

// The CDF panel's model: the handshake distribution with the profile's own SYN and SYN/ACK
// schedules (the send times summary.json records, which app/ takes from
// models/tcp/handshake_schedule), SYN loss pf and SYN/ACK loss pr, each lost segment waiting
// for the next send of its schedule: steps at RTT + syn_send_times_s[i] + synack_send_times_s[j].
std::vector<CdfStep> schedule_model_cdf(double rtt_s, const TcpTimers& timers, double pf,
                                        double pr);

}  // namespace synlab::viz
