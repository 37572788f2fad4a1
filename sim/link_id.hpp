// LinkId: the index of a link in a Topology, dense from 0 in the order links were added.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>

namespace synlab::sim {

struct LinkId {
  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t value = none;

  constexpr bool valid() const noexcept { return value != none; }
  friend constexpr auto operator<=>(LinkId, LinkId) noexcept = default;
};

}  // namespace synlab::sim
