// GilbertElliott: bursty loss from a two-state Markov chain (Gilbert 1960, Elliott 1963).
// Good -> Bad with probability p, Bad -> Good with probability r, one step per packet; a
// packet is lost with probability loss_good or loss_bad according to the state it finds.
#pragma once

#include "sim/random_stream.hpp"

namespace synlab::net {

class GilbertElliott {
 public:
  struct Params {
    double p = 0.0;          // P(Good -> Bad) per packet
    double r = 1.0;          // P(Bad -> Good) per packet
    double loss_good = 0.0;  // loss probability in Good (1 - k in Elliott's notation)
    double loss_bad = 1.0;   // loss probability in Bad (1 - h); 0 and 1: Gilbert's simple model
  };
  // For the simple model (loss_good = 0, loss_bad = 1) the stationary loss rate is
  // p / (p + r) and a burst of losses lasts 1 / r packets on average (geometric).

  explicit GilbertElliott(const Params& params) noexcept : params_(params) {}

  // Steps the chain, then decides the packet's fate in the new state. Always exactly two
  // Bernoulli decisions (four 32-bit draws), whatever the state or outcome.
  bool lose(sim::RandomStream& random) noexcept {
    const bool flip = random.bernoulli(bad_ ? params_.r : params_.p);
    if (flip) bad_ = !bad_;
    return random.bernoulli(bad_ ? params_.loss_bad : params_.loss_good);
  }

  bool bad() const noexcept { return bad_; }
  const Params& params() const noexcept { return params_; }

 private:
  Params params_;
  bool bad_ = false;  // the chain starts in Good
};

}  // namespace synlab::net
