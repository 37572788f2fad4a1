// RoutingTable: static shortest paths over a Topology, weighted by propagation delay and
// computed once with Boost.Graph's Dijkstra from every node. Nothing re-routes later: a link
// that goes down drops packets (`link-down`) rather than steering them elsewhere.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "sim/direction.hpp"
#include "sim/link_id.hpp"
#include "sim/node_id.hpp"
#include "sim/time.hpp"
#include "sim/topology.hpp"

namespace synlab::sim {

// The first step of a path: cross `link` in `direction` to reach `next`.
struct Hop {
  LinkId link;
  Direction direction = Direction::Forward;
  NodeId next;
  friend bool operator==(const Hop&, const Hop&) = default;
};

class RoutingTable {
 public:
  // Runs Dijkstra from each node of `topology` (which it does not keep). Among paths of
  // equal delay the choice is deterministic (Boost's order: links in the order added).
  explicit RoutingTable(const Topology& topology);

  // The first hop from `from` towards `to`; nullopt if `to` is unreachable or is `from`.
  std::optional<Hop> next_hop(NodeId from, NodeId to) const noexcept {
    const Hop* hop = find_hop(from, to);
    if (hop == nullptr) return std::nullopt;
    return *hop;
  }
  // The same as a pointer into the table, null if there is no hop: the network's forwarding
  // reads the hop in place instead of through a std::optional copy (see Topology::node_id_at).
  const Hop* find_hop(NodeId from, NodeId to) const noexcept {
    if (from.value >= nodes_ || to.value >= nodes_) return nullptr;
    const Hop& hop = hops_[from.value * nodes_ + to.value];
    return hop.link.valid() ? &hop : nullptr;
  }

  // Sum of the propagation delays along the chosen path; nullopt if unreachable.
  std::optional<Duration> path_delay(NodeId from, NodeId to) const noexcept;

  // The nodes along the chosen path, `from` and `to` included; empty if unreachable.
  std::vector<NodeId> path(NodeId from, NodeId to) const;

 private:
  std::size_t nodes_ = 0;
  std::vector<Hop> hops_;               // [from * nodes_ + to]
  std::vector<std::int64_t> delay_ns_;  // [from * nodes_ + to]; -1 if unreachable
};

}  // namespace synlab::sim
