// Network<Traits>: a Topology brought to life — one LinkDirection per link direction, static
// routes, per-node delivery hooks, and a `send`/`recv`/`drop` trace record for every packet.
// Templated on the model's Traits (payload, loss policy, record type), so nothing per packet
// is allocated or dispatched virtually; models/net/ip_network.hpp instantiates it for TCP.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/assert.hpp"
#include "sim/direction.hpp"
#include "sim/drop_reason.hpp"
#include "sim/link_direction.hpp"
#include "sim/loss_policy.hpp"
#include "sim/packet.hpp"
#include "sim/packet_event.hpp"
#include "sim/packet_hook.hpp"
#include "sim/random_stream.hpp"
#include "sim/routing_table.hpp"
#include "sim/scheduler.hpp"
#include "sim/topology.hpp"
#include "sim/trace.hpp"

namespace synlab::sim {

// What a model supplies to instantiate a Network:
//   using Payload = ...;  // carried opaque inside Packet<Payload>
//   using Loss = ...;     // a LossPolicy<Payload>, one instance per link direction
//   using Record = ...;   // the packet trace record
//   static Record make_record(const PacketEvent&, const Packet<Payload>&);
template <class T>
concept NetworkTraits = LossPolicy<typename T::Loss, typename T::Payload> &&
    requires(const PacketEvent& event, const Packet<typename T::Payload>& packet) {
  { T::make_record(event, packet) } -> std::same_as<typename T::Record>;
};

// The name of a link direction's random stream for `what` ("jitter", "loss"):
// "link/<link name>/<forward|backward>/<what>". Stable, so adding a link changes no other
// link's numbers (STYLE §4); spelt here, not by to_string(Direction), so that no change of a
// printed word can change a run's random numbers.
inline std::string stream_name(const Topology& topology, LinkId link, Direction direction,
                               std::string_view what) {
  const std::string_view way = direction == Direction::Forward ? "forward" : "backward";
  return "link/" + topology.link(link).name + "/" + std::string(way) + "/" + std::string(what);
}

template <NetworkTraits Traits>
class Network {
 public:
  using Payload = typename Traits::Payload;
  using Loss = typename Traits::Loss;
  using Record = typename Traits::Record;
  using PacketType = Packet<Payload>;
  using Line = LinkDirection<Payload, Loss>;

  struct Counters {
    std::uint64_t sent = 0;       // packets given to send()
    std::uint64_t delivered = 0;  // packets that reached their destination node
    std::array<std::uint64_t, drop_reason_count> dropped{};  // indexed by DropReason
  };

  // Computes the routes once. `seed` roots the jitter streams. `trace` receives every
  // packet record; its sinks must outlive the network.
  Network(Scheduler& scheduler, Topology topology, std::uint64_t seed, Trace<Record> trace = {})
      : scheduler_(&scheduler),
        topology_(std::move(topology)),
        routes_(topology_),
        trace_(std::move(trace)),
        hooks_(topology_.node_count()),
        up_(topology_.node_count(), 1) {
    addresses_.reserve(topology_.node_count());
    for (std::uint32_t n = 0; n < topology_.node_count(); ++n)
      addresses_.push_back(topology_.node(NodeId{n}).address);
    channels_.reserve(2 * topology_.link_count());
    for (std::uint32_t l = 0; l < topology_.link_count(); ++l)
      for (const Direction d : {Direction::Forward, Direction::Backward})
        channels_.push_back(std::make_unique<Channel>(*this, LinkId{l}, d, seed));
  }

  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  const Topology& topology() const noexcept { return topology_; }
  const RoutingTable& routes() const noexcept { return routes_; }

  // Packets addressed to `node` are handed to `hook` (e.g. the TCP endpoint's adapter) from
  // the event loop, after their `recv` record. Without a hook they are counted and discarded.
  void attach(NodeId node, PacketHook<Payload> hook) {
    SYNLAB_ASSERT(topology_.contains(node), "Network::attach: unknown node");
    hooks_[node.value] = hook;
  }

  // Takes `node` down or brings it back up (a host that crashed, then rebooted). While it is
  // down, every packet that reaches it, for it or to be forwarded, is dropped there with reason
  // `node-down`, and so is every packet it sends. Packets already on its links, even those still
  // queued on its own outgoing link directions, still travel (a simplification: a real crash
  // loses the queued ones).
  void set_up(NodeId node, bool up) {
    SYNLAB_ASSERT(topology_.contains(node), "Network::set_up: unknown node");
    up_[node.value] = up ? 1 : 0;
  }
  bool up(NodeId node) const { return up_[node.value] != 0; }

  // Sends `packet` from `node` towards packet.dst at now(). Assigns and returns its id. A
  // packet with no route (unknown address, unreachable, or the node's own address: there is
  // no loopback) is dropped with reason `no-route`.
  // A temporary is taken by reference and given its id in place: GCC, passing it by value,
  // copied it once more right after building it, and the wide loads of that copy could not be
  // forwarded from the narrow stores that built it (a stall per packet).
  std::uint64_t send(NodeId node, PacketType&& packet) {
    SYNLAB_ASSERT(topology_.contains(node), "Network::send: unknown node");
    packet.id = ++last_id_;
    ++counters_.sent;
    forward(node, packet);
    return packet.id;
  }
  // A packet kept elsewhere (a benchmark's, a test's) is sent as a copy: it keeps its own id.
  std::uint64_t send(NodeId node, const PacketType& packet) {
    return send(node, PacketType(packet));
  }

  // A link direction, e.g. to configure its loss model before the run.
  Line& line(LinkId link, Direction direction) {
    SYNLAB_ASSERT(topology_.contains(link), "Network::line: unknown link");
    return channels_[index(link, direction)]->line;
  }
  Loss& loss(LinkId link, Direction direction) { return line(link, direction).loss(); }

  const Counters& counters() const noexcept { return counters_; }
  // The id the next send() assigns (ids count from 1, one per send()).
  std::uint64_t next_packet_id() const noexcept { return last_id_ + 1; }

 private:
  // A link direction together with where it sits in the topology.
  struct Channel {
    Channel(Network& net, LinkId l, Direction d, std::uint64_t seed)
        : network(&net),
          link(l),
          direction(d),
          from(net.topology_.link(l).from(d)),
          to(net.topology_.link(l).to(d)),
          line(*net.scheduler_, net.topology_.link(l).config(d),
               RandomStream(seed, stream_name(net.topology_, l, d, "jitter")),
               PacketHook<Payload>::template bind<&Channel::arrived>(*this)) {}
    void arrived(const PacketType& packet) { network->arrive(*this, packet); }

    Network* network;
    LinkId link;
    Direction direction;
    NodeId from;
    NodeId to;
    Line line;
  };

  static std::size_t index(LinkId link, Direction d) noexcept {
    return 2 * std::size_t{link.value} + (d == Direction::Forward ? 0 : 1);
  }

  // Puts `packet`, now at `node`, on the first link of its route.
  void forward(NodeId node, const PacketType& packet) {
    if (up_[node.value] == 0) {
      drop(PacketEvent{scheduler_->now(), PacketEventKind::Drop, DropReason::NodeDown, node,
                       LinkId{}, Direction::Forward},
           packet);
      return;
    }
    const NodeId dst = topology_.node_id_at(packet.dst);
    const Hop* hop = dst.valid() ? routes_.find_hop(node, dst) : nullptr;
    if (hop == nullptr) {
      drop(PacketEvent{scheduler_->now(), PacketEventKind::Drop, DropReason::NoRoute, node,
                       LinkId{}, Direction::Forward},
           packet);
      return;
    }
    Channel& channel = *channels_[index(hop->link, hop->direction)];
    const PacketEvent sent{scheduler_->now(), PacketEventKind::Send, DropReason::Loss, node,
                           hop->link,         hop->direction};
    trace_.write_with([&] { return Traits::make_record(sent, packet); });
    if (const std::optional<DropReason> reason = channel.line.send(packet)) {
      PacketEvent dropped = sent;
      dropped.kind = PacketEventKind::Drop;
      dropped.reason = *reason;
      drop(dropped, packet);
    }
  }

  void arrive(const Channel& channel, const PacketType& packet) {
    if (up_[channel.to.value] == 0) {  // it reached a node that is down: no `recv`
      drop(PacketEvent{scheduler_->now(), PacketEventKind::Drop, DropReason::NodeDown, channel.to,
                       channel.link, channel.direction},
           packet);
      return;
    }
    trace_.write_with([&] {
      return Traits::make_record(
          PacketEvent{scheduler_->now(), PacketEventKind::Recv, DropReason::Loss, channel.to,
                      channel.link, channel.direction},
          packet);
    });
    // Addresses are unique, so this is node_at(packet.dst) == channel.to without the search.
    if (packet.dst == addresses_[channel.to.value]) {
      ++counters_.delivered;
      hooks_[channel.to.value](packet);
    } else {
      forward(channel.to, packet);  // a router: on to the next hop, no processing delay
    }
  }

  void drop(const PacketEvent& event, const PacketType& packet) {
    ++counters_.dropped[static_cast<std::size_t>(event.reason)];
    trace_.write_with([&] { return Traits::make_record(event, packet); });
  }

  Scheduler* scheduler_;
  Topology topology_;
  RoutingTable routes_;
  Trace<Record> trace_;
  std::vector<PacketHook<Payload>> hooks_;          // [node]
  std::vector<std::uint8_t> up_;                    // [node]: 1 up, 0 down
  std::vector<Ipv4Address> addresses_;              // [node]: the topology's
  std::vector<std::unique_ptr<Channel>> channels_;  // [2 * link + direction]
  std::uint64_t last_id_ = 0;
  Counters counters_;
};

}  // namespace synlab::sim
