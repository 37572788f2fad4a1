// RoutingTable: all-pairs first hops from one Dijkstra per source (see routing_table.hpp).
#include "sim/routing_table.hpp"

#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/visitors.hpp>
#include <boost/property_map/property_map.hpp>

#include <algorithm>
#include <limits>

#include "sim/topology_graph.hpp"

namespace synlab::sim {

RoutingTable::RoutingTable(const Topology& topology)
    : nodes_(topology.node_count()), hops_(nodes_ * nodes_), delay_ns_(nodes_ * nodes_, -1) {
  using Graph = Topology::Graph::Adjacency;
  using Edge = boost::graph_traits<Graph>::edge_descriptor;
  const Graph& g = topology.graph().adjacency;
  constexpr std::int64_t unreachable = std::numeric_limits<std::int64_t>::max();

  std::vector<std::int64_t> distance(nodes_);
  std::vector<Edge> via(nodes_);    // the arc the shortest path enters each vertex by
  std::vector<Edge> first(nodes_);  // the arc that path leaves the source by
  std::vector<bool> known(nodes_);  // first[] is set
  std::vector<std::size_t> chain;   // the vertices a walk back passed
  const auto index = boost::get(boost::vertex_index, g);
  for (std::size_t src = 0; src < nodes_; ++src) {
    boost::dijkstra_shortest_paths(
        g, src,
        boost::weight_map(boost::get(&Topology::Arc::delay_ns, g))
            .distance_map(boost::make_iterator_property_map(distance.begin(), index))
            .distance_inf(unreachable)
            .visitor(boost::make_dijkstra_visitor(boost::record_edge_predecessors(
                boost::make_iterator_property_map(via.begin(), index), boost::on_edge_relaxed()))));
    // Each vertex's first arc out of src: its predecessor's, or its own arc when that leaves
    // src. Found once per vertex (a walk back stops at a vertex already known), so a source
    // costs O(V) here, not O(V x path length): a chain of 4,000 nodes took a minute.
    std::fill(known.begin(), known.end(), false);
    for (std::size_t dst = 0; dst < nodes_; ++dst) {
      if (dst == src || distance[dst] == unreachable) continue;
      delay_ns_[src * nodes_ + dst] = distance[dst];
      chain.clear();
      std::size_t v = dst;
      while (!known[v] && boost::source(via[v], g) != src) {
        chain.push_back(v);
        v = boost::source(via[v], g);
      }
      if (!known[v]) {
        first[v] = via[v];
        known[v] = true;
      }
      for (const std::size_t u : chain) {
        first[u] = first[v];
        known[u] = true;
      }
      const Topology::Arc& arc = g[first[dst]];
      hops_[src * nodes_ + dst] =
          Hop{arc.link, arc.direction,
              NodeId{static_cast<std::uint32_t>(boost::target(first[dst], g))}};
    }
  }
}

std::optional<Duration> RoutingTable::path_delay(NodeId from, NodeId to) const noexcept {
  if (from.value >= nodes_ || to.value >= nodes_) return std::nullopt;
  const std::int64_t d = delay_ns_[from.value * nodes_ + to.value];
  if (d < 0) return std::nullopt;
  return Duration{d};
}

std::vector<NodeId> RoutingTable::path(NodeId from, NodeId to) const {
  if (!next_hop(from, to)) return {};
  std::vector<NodeId> nodes{from};
  while (nodes.back() != to) nodes.push_back(next_hop(nodes.back(), to)->next);
  return nodes;
}

}  // namespace synlab::sim
