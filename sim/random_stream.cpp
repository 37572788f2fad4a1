// RandomStream: distributions (see random_stream.hpp).
#include "sim/random_stream.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>

namespace synlab::sim {

double RandomStream::exponential(double mean) {
  return boost::random::exponential_distribution<double>(1.0 / mean)(*this);
}

double RandomStream::normal(double mean, double stddev) {
  return boost::random::normal_distribution<double>(mean, stddev)(*this);
}

}  // namespace synlab::sim
