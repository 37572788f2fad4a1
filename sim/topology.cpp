// Topology: nodes, links and their Boost.Graph arcs (see topology.hpp).
#include "sim/topology.hpp"

#include <algorithm>

#include "sim/assert.hpp"
#include "sim/topology_graph.hpp"

namespace synlab::sim {

Topology::Topology() : graph_(std::make_unique<Graph>()) {}
Topology::Topology(Topology&&) noexcept = default;
Topology& Topology::operator=(Topology&&) noexcept = default;
Topology::~Topology() = default;

NodeId Topology::add_node(std::string name, Ipv4Address address) {
  SYNLAB_ASSERT(!find_node(name), "Topology::add_node: the name is taken");
  SYNLAB_ASSERT(!node_at(address), "Topology::add_node: the address is taken");
  const NodeId id{static_cast<std::uint32_t>(node_count())};
  // The address index counts the nodes (node_count()), so it takes the entry last, when
  // nothing can throw any more: room first, then the vertex (which may throw), then the entry.
  if (by_address_.size() == by_address_.capacity()) by_address_.reserve(2 * by_address_.size() + 1);
  // add_vertex(g) then the bundle: add_vertex(bundle, g) goes through Boost's named_graph,
  // where GCC 12 warns falsely (-Wmaybe-uninitialized on a boost::optional).
  auto& g = graph_->adjacency;
  const auto vertex = boost::add_vertex(g);
  g[vertex] = NodeInfo{std::move(name), address};
  SYNLAB_ASSERT(vertex == id.value, "Topology: graph vertices are numbered as nodes");
  const auto at =
      std::lower_bound(by_address_.begin(), by_address_.end(), address,
                       [](const auto& entry, Ipv4Address a) { return entry.first < a; });
  by_address_.insert(at, {address, id});
  return id;
}

LinkId Topology::add_link(NodeId a, NodeId b, const LinkDirectionConfig& forward,
                          const LinkDirectionConfig& backward, std::string name) {
  SYNLAB_ASSERT(contains(a) && contains(b), "Topology::add_link: unknown node");
  SYNLAB_ASSERT(a != b, "Topology::add_link: a link joins two different nodes");
  SYNLAB_ASSERT(forward.delay.count() >= 0 && backward.delay.count() >= 0,
                "Topology::add_link: negative delay");
  if (name.empty()) name = node(a).name + "-" + node(b).name;
  SYNLAB_ASSERT(!find_link(name), "Topology::add_link: the name is taken");
  const LinkId id{static_cast<std::uint32_t>(links_.size())};
  links_.push_back(LinkInfo{std::move(name), a, b, forward, backward});
  auto& g = graph_->adjacency;
  boost::add_edge(a.value, b.value, Arc{id, Direction::Forward, forward.delay.count()}, g);
  boost::add_edge(b.value, a.value, Arc{id, Direction::Backward, backward.delay.count()}, g);
  return id;
}

std::optional<NodeId> Topology::find_node(std::string_view name) const {
  for (std::size_t i = 0; i < node_count(); ++i)
    if (graph_->adjacency[i].name == name) return NodeId{static_cast<std::uint32_t>(i)};
  return std::nullopt;
}

std::optional<LinkId> Topology::find_link(std::string_view name) const {
  for (std::size_t i = 0; i < links_.size(); ++i)
    if (links_[i].name == name) return LinkId{static_cast<std::uint32_t>(i)};
  return std::nullopt;
}

const NodeInfo& Topology::node(NodeId n) const {
  SYNLAB_ASSERT(contains(n), "Topology::node: unknown node");
  return graph_->adjacency[n.value];
}

const LinkInfo& Topology::link(LinkId l) const {
  SYNLAB_ASSERT(contains(l), "Topology::link: unknown link");
  return links_[l.value];
}

}  // namespace synlab::sim
