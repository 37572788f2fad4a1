// HandshakeTally: what the handshake statistics keep of a set of connections, however many:
// counts by outcome and the established ones' exact handshake times (8 bytes each).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "models/tcp/tcp_state.hpp"
#include "sim/time.hpp"

namespace synlab::app {

// Connections by outcome.
struct OutcomeCounts {
  std::uint64_t connections = 0;
  std::uint64_t established = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t refused = 0;
  std::uint64_t reset = 0;
  std::uint64_t other = 0;  // pending at the end, cancelled, crashed, or never opened

  OutcomeCounts& operator+=(const OutcomeCounts& o) {
    connections += o.connections;
    established += o.established;
    timeouts += o.timeouts;
    refused += o.refused;
    reset += o.reset;
    other += o.other;
    return *this;
  }
};

// Exact median and p95 need every value; the mean and interval are computed from them too.
struct HandshakeTally : OutcomeCounts {
  std::vector<std::int64_t> times_ns;  // in the order added

  void add(tcp::Outcome outcome, std::optional<sim::Duration> handshake_time);
  void merge(const HandshakeTally& other);
  void merge(HandshakeTally&& other);  // takes other's times whole when this has none yet
};

}  // namespace synlab::app
