// Builds the simulated network of a scenario (see network_builder.hpp).
#include "app/network_builder.hpp"

#include <utility>

#include "models/net/loss_model.hpp"
#include "models/net/scripted_drops.hpp"
#include "models/net/segment_match.hpp"
#include "sim/assert.hpp"

namespace synlab::app {
namespace {

sim::LinkDirectionConfig link_config(const DirectionSpec& d) {
  sim::LinkDirectionConfig config;
  config.delay = d.delay;
  switch (d.jitter.kind) {
    case JitterSpec::Kind::None:
      break;
    case JitterSpec::Kind::Uniform:
      config.jitter = sim::Jitter::uniform(d.jitter.max);
      break;
    case JitterSpec::Kind::Normal:
      config.jitter = sim::Jitter::normal(d.jitter.mean, d.jitter.stddev);
      break;
    case JitterSpec::Kind::Exponential:
      config.jitter = sim::Jitter::exponential(d.jitter.mean);
      break;
  }
  config.allow_reordering = d.jitter.reorder;
  config.rate_bps = d.rate_bps;
  if (d.queue_packets != 0 || d.queue_bytes != 0) {  // else the model's default
    config.queue_packets =
        d.queue_packets != 0
            ? std::optional<std::uint32_t>{static_cast<std::uint32_t>(d.queue_packets)}
            : std::nullopt;
    config.queue_bytes =
        d.queue_bytes != 0 ? std::optional<std::uint64_t>{d.queue_bytes} : std::nullopt;
  }
  return config;
}

net::RandomLoss random_loss(const LossSpec& loss) {
  switch (loss.kind) {
    case LossSpec::Kind::None:
      return net::NoRandomLoss{};
    case LossSpec::Kind::Bernoulli:
      return net::BernoulliLoss{loss.p};
    case LossSpec::Kind::GilbertElliott:
      return net::GilbertElliott({loss.p, loss.r, loss.loss_good, loss.loss_bad});
  }
  return net::NoRandomLoss{};
}

bool applies(Direction spec, sim::Direction d) {
  return spec == Direction::Both || (spec == Direction::Forward) == (d == sim::Direction::Forward);
}

net::ScriptedDrops scripted_drops(const Scenario& s, const std::string& link, sim::Direction d) {
  std::vector<net::ScriptedDrop> rules;
  for (const DropSpec& drop : s.drops) {
    if (drop.link != link || !applies(drop.direction, d)) continue;
    net::ScriptedDrop rule;
    if (drop.flags) rule.match = net::SegmentMatch::exactly(tcp::Flags::from_bits(*drop.flags));
    for (const std::uint64_t n : drop.nth) rule.nth.push_back(static_cast<std::uint32_t>(n));
    if (drop.from) rule.from = sim::at(*drop.from);
    if (drop.until) rule.until = sim::at(*drop.until);
    rules.push_back(std::move(rule));
  }
  return net::ScriptedDrops(std::move(rules));
}

net::Outages outages(const DirectionSpec& d) {
  std::vector<net::Outage> intervals;
  for (const OutageSpec& o : d.outages) intervals.push_back({sim::at(o.from), sim::at(o.until)});
  return net::Outages(std::move(intervals));
}

}  // namespace

sim::NodeId BuiltNetwork::node(std::string_view name) const {
  const auto id = network->topology().find_node(name);
  SYNLAB_ASSERT(id.has_value(), "BuiltNetwork::node: the loader checked every node name");
  return *id;
}

sim::Ipv4Address BuiltNetwork::address(std::string_view name) const {
  return network->topology().node(node(name)).address;
}

BuiltNetwork build_network(const Scenario& s, sim::Scheduler& scheduler, std::uint64_t seed,
                           std::vector<sim::TraceSink<net::PacketRecord>*> sinks,
                           const SinkHook& more_sinks) {
  sim::Topology topology;
  BuiltNetwork built;
  for (std::size_t i = 0; i < s.nodes.size(); ++i)
    built.nodes.push_back(topology.add_node(s.nodes[i], node_address(i)));
  for (const LinkSpec& link : s.links) {
    const auto a = topology.find_node(link.a);
    const auto b = topology.find_node(link.b);
    SYNLAB_ASSERT(a && b, "build_network: the loader checked the link's nodes");
    built.links.push_back(
        topology.add_link(*a, *b, link_config(link.forward), link_config(link.reverse), link.name));
  }
  if (more_sinks) more_sinks(topology, sinks);
  built.network = std::make_unique<net::IpNetwork>(scheduler, std::move(topology), seed,
                                                   sim::Trace<net::PacketRecord>(std::move(sinks)));
  net::IpNetwork& network = *built.network;
  for (std::size_t i = 0; i < s.links.size(); ++i) {
    const LinkSpec& spec = s.links[i];
    const sim::LinkId id = built.links[i];
    for (const sim::Direction d : {sim::Direction::Forward, sim::Direction::Backward}) {
      const DirectionSpec& ds = d == sim::Direction::Forward ? spec.forward : spec.reverse;
      network.loss(id, d) = net::LossModel(
          random_loss(ds.loss),
          sim::RandomStream(seed, sim::stream_name(network.topology(), id, d, "loss")),
          scripted_drops(s, spec.name, d), outages(ds));
    }
  }
  return built;
}

}  // namespace synlab::app
