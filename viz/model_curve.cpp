// ModelCurve: sampling the analytic means over loss (model_curve.hpp).
#include "viz/model_curve.hpp"

#include <cmath>
#include <limits>

#include "viz/handshake_model.hpp"

namespace synlab::viz {

std::vector<ModelPoint> cardwell_curve(double rtt_s, double ts_s, double max_loss,
                                       std::size_t steps) {
  std::vector<ModelPoint> points;
  for (std::size_t k = 0; k <= steps; ++k) {
    const double p = max_loss * static_cast<double>(k) / static_cast<double>(steps);
    const double t = cardwell_expected_handshake_s(rtt_s, ts_s, p, p);
    if (std::isfinite(t)) points.push_back({p, t});
  }
  return points;
}

std::vector<ModelPoint> schedule_curve(double rtt_s, const TcpTimers& timers, double max_loss,
                                       std::size_t steps) {
  std::vector<ModelPoint> points;
  for (std::size_t k = 0; k <= steps; ++k) {
    const double p = max_loss * static_cast<double>(k) / static_cast<double>(steps);
    const double t = conditional_mean_s(
        handshake_distribution(rtt_s, timers.syn_send_times_s, p, timers.synack_send_times_s, p,
                               timers.give_up_s.value_or(std::numeric_limits<double>::infinity())));
    if (std::isfinite(t)) points.push_back({p, t});
  }
  return points;
}

}  // namespace synlab::viz
