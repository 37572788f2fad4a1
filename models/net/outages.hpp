// Outages: the intervals during which a link direction is down. A packet sent while down is
// dropped (`link-down`); packets already on the wire are still delivered, and nothing is
// re-routed (routes are static).
#pragma once

#include <vector>

#include "sim/time.hpp"

namespace synlab::net {

struct Outage {
  sim::Time down;  // first instant the direction is down
  sim::Time up;    // first instant it is up again
};

class Outages {
 public:
  Outages() = default;
  explicit Outages(std::vector<Outage> intervals) : intervals_(std::move(intervals)) {}

  // Whether `now` lies in some [down, up).
  bool down_at(sim::Time now) const noexcept {
    for (const Outage& o : intervals_)
      if (o.down <= now && now < o.up) return true;
    return false;
  }

  bool empty() const noexcept { return intervals_.empty(); }

 private:
  std::vector<Outage> intervals_;
};

}  // namespace synlab::net
