// ModelCurve: the analytic expectation of the handshake time against loss probability, for the
// timing plot's overlay; the same loss p applies to SYNs and SYN/ACKs (a symmetric link).
#pragma once

#include <cstddef>
#include <vector>

#include "viz/tcp_timers.hpp"

namespace synlab::viz {

struct ModelPoint {
  double loss = 0;
  double time_s = 0;
};

// Cardwell et al. with pf = pr = p at `steps` + 1 evenly spaced p in [0, max_loss]; points with
// p >= 0.5 (where the mean diverges) are left out.
std::vector<ModelPoint> cardwell_curve(double rtt_s, double ts_s, double max_loss,
                                       std::size_t steps);

// The mean successful handshake time with the profile's actual SYN and SYN/ACK schedules
// (handshake_distribution() + conditional_mean_s()), at the same loss values.
std::vector<ModelPoint> schedule_curve(double rtt_s, const TcpTimers& timers, double max_loss,
                                       std::size_t steps);

}  // namespace synlab::viz
