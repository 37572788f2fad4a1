// RandomStream: distributions (see random_stream.hpp).
#include "sim/random_stream.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>

namespace synlab::sim {

std::uint32_t RandomStream::below(std::uint32_t bound) noexcept {
  // Lemire, "Fast Random Integer Generation in an Interval", ACM TOMACS 2019.
  std::uint64_t m = std::uint64_t{generator_()} * bound;
  auto low = static_cast<std::uint32_t>(m);
  if (low < bound) {
    const std::uint32_t threshold = (0u - bound) % bound;
    while (low < threshold) {
      m = std::uint64_t{generator_()} * bound;
      low = static_cast<std::uint32_t>(m);
    }
  }
  return static_cast<std::uint32_t>(m >> 32u);
}

double RandomStream::exponential(double mean) {
  return boost::random::exponential_distribution<double>(1.0 / mean)(*this);
}

double RandomStream::normal(double mean, double stddev) {
  return boost::random::normal_distribution<double>(mean, stddev)(*this);
}

}  // namespace synlab::sim
