// BernoulliLoss: each packet is lost independently with probability p.
#pragma once

#include "sim/random_stream.hpp"

namespace synlab::net {

struct BernoulliLoss {
  double p = 0.0;  // loss probability per packet, in [0, 1]

  // One decision; always two 32-bit draws whatever the outcome (RandomStream::bernoulli).
  bool lose(sim::RandomStream& random) noexcept { return random.bernoulli(p); }
};

}  // namespace synlab::net
