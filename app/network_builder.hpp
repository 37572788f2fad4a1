// Builds the simulated network of a scenario: nodes with addresses, links with their
// per-direction delay, jitter, bandwidth, queue, random loss, scripted drops and outages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "app/scenario.hpp"
#include "models/net/ip_network.hpp"
#include "sim/scheduler.hpp"
#include "sim/trace.hpp"

namespace synlab::app {

struct BuiltNetwork {
  std::unique_ptr<net::IpNetwork> network;
  std::vector<sim::NodeId> nodes;  // [i]: the scenario's i-th node
  std::vector<sim::LinkId> links;  // [i]: the scenario's i-th link

  sim::NodeId node(std::string_view name) const;
  sim::Ipv4Address address(std::string_view name) const;
};

// Node i (0-based, in the order of `nodes:`) gets the address 10.0.0.0 + i + 1: 10.0.0.1, ...
constexpr sim::Ipv4Address node_address(std::size_t index) noexcept {
  return sim::Ipv4Address{static_cast<std::uint32_t>((10u << 24u) + index + 1)};
}
// The inverse: the node index of an address of that form, if it is one. Inline: packets.csv
// asks for each packet's two hosts, and an optional returned through memory from a call is
// read back whole before its parts reach the cache (docs/kernel.md, "stalls").
constexpr std::optional<std::size_t> node_index(sim::Ipv4Address address) noexcept {
  const sim::Ipv4Address first = node_address(0);
  if (address.value < first.value) return std::nullopt;
  return std::size_t{address.value - first.value};
}

// Every random stream is rooted at `seed` (the run's seed, after sweep point and replication
// are mixed in) and named after the link direction, so runs are reproducible.
// `more_sinks`, if given, is called with the finished topology (before the network exists,
// which takes its trace at construction) and may add sinks, e.g. pcap captures.
using SinkHook =
    std::function<void(const sim::Topology&, std::vector<sim::TraceSink<net::PacketRecord>*>&)>;
BuiltNetwork build_network(const Scenario& scenario, sim::Scheduler& scheduler, std::uint64_t seed,
                           std::vector<sim::TraceSink<net::PacketRecord>*> sinks = {},
                           const SinkHook& more_sinks = {});

}  // namespace synlab::app
