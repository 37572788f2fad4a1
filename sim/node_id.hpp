// NodeId: the index of a node (host or router) in a Topology, dense from 0.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>

namespace synlab::sim {

struct NodeId {
  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  std::uint32_t value = none;

  constexpr bool valid() const noexcept { return value != none; }
  friend constexpr auto operator<=>(NodeId, NodeId) noexcept = default;
};

}  // namespace synlab::sim
