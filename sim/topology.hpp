// Topology: the nodes (hosts, routers) and the links between them, held in a Boost.Graph
// directed graph: a vertex per node; per link, two arcs (one per direction) weighted by delay.
// Built once before a run, then moved into a Network, where nothing changes it.
// The graph's type is defined in sim/topology_graph.hpp, which only the code that walks the
// graph includes: Boost.Graph is some 1,300 header files, and every file that reaches the
// network includes this one.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/direction.hpp"
#include "sim/ipv4_address.hpp"
#include "sim/link_direction_config.hpp"
#include "sim/link_id.hpp"
#include "sim/node_id.hpp"

namespace synlab::sim {

struct NodeInfo {
  std::string name;
  Ipv4Address address;
};

struct LinkInfo {
  std::string name;  // "a-b" unless given
  NodeId a;
  NodeId b;
  LinkDirectionConfig forward;   // a -> b
  LinkDirectionConfig backward;  // b -> a

  const LinkDirectionConfig& config(Direction d) const noexcept {
    return d == Direction::Forward ? forward : backward;
  }
  NodeId from(Direction d) const noexcept { return d == Direction::Forward ? a : b; }
  NodeId to(Direction d) const noexcept { return d == Direction::Forward ? b : a; }
};

class Topology {
 public:
  Topology();
  // Move-only: the graph lives behind a pointer, so a Topology moves in O(1) (Boost's
  // adjacency_list has no cheap move in 1.74).
  Topology(Topology&&) noexcept;
  Topology& operator=(Topology&&) noexcept;
  ~Topology();

  // One arc of the graph: a link crossed in one direction.
  struct Arc {
    LinkId link;
    Direction direction = Direction::Forward;
    std::int64_t delay_ns = 0;  // the routing weight
  };
  // The Boost.Graph graph: vertex i is NodeId{i}, with the node's NodeInfo as its bundle, and
  // an Arc per link direction (sim/topology_graph.hpp).
  struct Graph;

  // Adds a node. Names and addresses must be unique (app/ validates user input first; a
  // duplicate here is a bug and aborts).
  NodeId add_node(std::string name, Ipv4Address address);

  // Adds a link a <-> b with its own parameters per direction. `a` and `b` must be nodes of
  // this topology and differ. An empty name becomes "<a>-<b>".
  LinkId add_link(NodeId a, NodeId b, const LinkDirectionConfig& forward,
                  const LinkDirectionConfig& backward, std::string name = {});
  // A symmetric link: the same parameters both ways.
  LinkId add_link(NodeId a, NodeId b, const LinkDirectionConfig& both, std::string name = {}) {
    return add_link(a, b, both, both, std::move(name));
  }

  // Lookups that may fail: user input names nodes, packets carry addresses.
  std::optional<NodeId> find_node(std::string_view name) const;
  // Inline: the network looks up every packet's destination.
  std::optional<NodeId> node_at(Ipv4Address address) const {
    const NodeId n = node_id_at(address);
    if (!n.valid()) return std::nullopt;
    return n;
  }
  // The same without std::optional: an invalid NodeId if no node has `address`. The network's
  // forwarding uses it: GCC builds an optional<NodeId> on the stack as two narrow stores and
  // reads it back as one wide load, which the store buffer cannot forward (a stall per packet).
  NodeId node_id_at(Ipv4Address address) const noexcept {
    const auto at =
        std::lower_bound(by_address_.begin(), by_address_.end(), address,
                         [](const auto& entry, Ipv4Address a) { return entry.first < a; });
    if (at == by_address_.end() || at->first != address) return NodeId{};
    return at->second;
  }
  std::optional<LinkId> find_link(std::string_view name) const;

  bool contains(NodeId n) const noexcept { return n.value < node_count(); }
  bool contains(LinkId l) const noexcept { return l.value < links_.size(); }
  const NodeInfo& node(NodeId n) const;
  const LinkInfo& link(LinkId l) const;
  // A node has one address, so by_address_ has an entry per node (the graph's vertex count).
  std::size_t node_count() const noexcept { return by_address_.size(); }
  std::size_t link_count() const noexcept { return links_.size(); }

  const Graph& graph() const noexcept { return *graph_; }

 private:
  std::vector<LinkInfo> links_;  // [link]: a link's two arcs share one LinkInfo
  std::vector<std::pair<Ipv4Address, NodeId>> by_address_;  // sorted by address
  std::unique_ptr<Graph> graph_;
};

}  // namespace synlab::sim
