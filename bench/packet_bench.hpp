// Packet benchmarks: packets per second through one link direction of a IpNetwork, tracing
// off, without loss and with Bernoulli or Gilbert-Elliott loss (issue 3).
#pragma once

#include <cstdint>

#include "bench_support.hpp"

namespace synlab::bench {

enum class BenchLoss { None, Bernoulli, GilbertElliott };

// Sends `packets` SYN-sized segments client -> server in bursts of 64 every microsecond over a
// 100 Gb/s, 10 us link (so the drop-tail queue fills and drains each burst). Result::events
// counts packets offered to the link direction; allocations are per packet.
Result link_packets(BenchLoss loss, std::uint64_t packets);

}  // namespace synlab::bench
