// EventId: a handle to a scheduled event, used to cancel it.
#pragma once

#include <cstdint>

namespace synlab::sim {

// Identifies one scheduled event. A default-constructed EventId refers to no event;
// cancelling it does nothing (as in ns-3). An id stays unique for the life of its Scheduler,
// so a stale id never cancels a later event that reused the same storage.
struct EventId {
  std::uint32_t slot = 0;
  std::uint64_t seq = 0;  // 0: no event

  constexpr bool assigned() const noexcept { return seq != 0; }
  friend constexpr bool operator==(EventId, EventId) = default;
};

}  // namespace synlab::sim
