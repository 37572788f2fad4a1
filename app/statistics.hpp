// Handshake statistics over a set of connections: counts by outcome and the mean, median,
// 95th percentile, maximum and 95% confidence interval of the mean handshake time.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "app/handshake_tally.hpp"
#include "app/run_result.hpp"

namespace synlab::app {

struct HandshakeSummary : OutcomeCounts {
  // Over the established connections' handshake times, in seconds.
  std::optional<double> mean;
  std::optional<double> median;  // the middle one; for an even count, the mean of the two
  std::optional<double> p95;     // nearest rank: the ceil(0.95 n)-th smallest
  std::optional<double> max;
  // mean -/+ t(0.975, n-1) s / sqrt(n) (Student's t; needs n >= 2).
  std::optional<double> ci95_low;
  std::optional<double> ci95_high;
};

HandshakeSummary summarize(HandshakeTally tally);
HandshakeSummary summarize(std::span<const ConnectionResult> connections);

// The 0.975 quantile of Student's t with `df` degrees of freedom (Boost.Math).
double student_t_975(std::uint64_t df);

}  // namespace synlab::app
