// LinkDirectionConfig: the parameters of one direction of a link — propagation delay,
// jitter, bandwidth and drop-tail queue capacity. A plain struct (STYLE §11).
#pragma once

#include <cstdint>
#include <optional>

#include "sim/jitter.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

struct LinkDirectionConfig {
  Duration delay{0};  // propagation delay; also the routing weight
  Jitter jitter;      // added to `delay` for each packet
  // When false (the default) a packet never overtakes the one sent before it on this
  // direction: its arrival is held back to the previous arrival time if jitter says earlier.
  bool allow_reordering = false;
  // Bits per second; 0 means infinite (no serialization delay, so no queue ever forms).
  std::uint64_t rate_bps = 0;
  // Drop-tail capacity, counting packets waiting behind the one being serialized (the one on
  // the wire has left the queue, as with a Linux qdisc). Either limit may be absent.
  std::optional<std::uint32_t> queue_packets = 1000;  // Linux: default txqueuelen
  std::optional<std::uint64_t> queue_bytes;
};

}  // namespace synlab::sim
