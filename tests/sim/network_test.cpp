// Network: multi-hop forwarding client - router - server, trace records per hop, delivery
// hooks, no-route drops, and the same seed giving the same records.
#include "sim/network.hpp"

#include <doctest/doctest.h>

#include <vector>

#include "sim/memory_sink.hpp"
#include "sim/scheduler.hpp"
#include "sim/topology.hpp"

using namespace std::chrono_literals;
using synlab::sim::at;
using synlab::sim::Direction;
using synlab::sim::DropReason;
using synlab::sim::Ipv4Address;
using synlab::sim::LinkDirectionConfig;
using synlab::sim::LinkId;
using synlab::sim::MemorySink;
using synlab::sim::NodeId;
using synlab::sim::Packet;
using synlab::sim::PacketEvent;
using synlab::sim::PacketEventKind;
using synlab::sim::PacketHook;
using synlab::sim::Scheduler;
using synlab::sim::Time;
using synlab::sim::Topology;

namespace {

struct Tag {
  int n = 0;
  friend bool operator==(const Tag&, const Tag&) = default;
};

struct TestRecord {
  PacketEvent event;
  std::uint64_t id;
  friend bool operator==(const TestRecord&, const TestRecord&) = default;
};

struct TestTraits {
  using Payload = Tag;
  using Loss = synlab::sim::NoLoss;
  using Record = TestRecord;
  static TestRecord make_record(const PacketEvent& e, const Packet<Tag>& p) { return {e, p.id}; }
};
using TestNetwork = synlab::sim::Network<TestTraits>;

Ipv4Address ip(std::uint8_t last) {
  return Ipv4Address::from_octets(10, 0, 0, last);
}
LinkDirectionConfig delay(synlab::sim::Duration d) {
  LinkDirectionConfig c;
  c.delay = d;
  return c;
}

constexpr PacketEventKind Send = PacketEventKind::Send;
constexpr PacketEventKind Recv = PacketEventKind::Recv;
constexpr PacketEventKind Drop = PacketEventKind::Drop;
constexpr Direction Fwd = Direction::Forward;
constexpr Direction Bwd = Direction::Backward;

}  // namespace

TEST_CASE("client - router - server: forwarded hop by hop, delivered to the server's hook") {
  Topology topo;
  const NodeId client = topo.add_node("client", ip(1));
  const NodeId router = topo.add_node("router", ip(254));
  const NodeId server = topo.add_node("server", ip(2));
  const LinkId l0 = topo.add_link(client, router, delay(1ms), delay(3ms));
  const LinkId l1 = topo.add_link(router, server, delay(2ms), delay(4ms));
  Scheduler s;
  MemorySink<TestRecord> sink;
  TestNetwork net(s, std::move(topo), 1, {&sink});

  std::vector<std::pair<Time, int>> at_server;
  std::vector<std::pair<Time, int>> at_client;
  auto server_rx = [&](const Packet<Tag>& p) {
    at_server.emplace_back(s.now(), p.payload.n);
    // The server answers at once: back over 4 ms + 3 ms.
    net.send(server, Packet<Tag>{0, 40, ip(2), ip(1), Tag{p.payload.n + 100}});
  };
  auto client_rx = [&](const Packet<Tag>& p) { at_client.emplace_back(s.now(), p.payload.n); };
  net.attach(server, PacketHook<Tag>::ref(server_rx));
  net.attach(client, PacketHook<Tag>::ref(client_rx));

  CHECK(net.send(client, Packet<Tag>{0, 40, ip(1), ip(2), Tag{1}}) == 1);
  s.run();
  // Forward: 1 ms + 2 ms = 3 ms. Back: 3 + 4 + 3 = 10 ms.
  CHECK(at_server == std::vector<std::pair<Time, int>>{{at(3ms), 1}});
  CHECK(at_client == std::vector<std::pair<Time, int>>{{at(10ms), 101}});
  const std::vector<TestRecord> expected{
      {{at(0ms), Send, DropReason::Loss, client, l0, Fwd}, 1},
      {{at(1ms), Recv, DropReason::Loss, router, l0, Fwd}, 1},
      {{at(1ms), Send, DropReason::Loss, router, l1, Fwd}, 1},
      {{at(3ms), Recv, DropReason::Loss, server, l1, Fwd}, 1},
      {{at(3ms), Send, DropReason::Loss, server, l1, Bwd}, 2},
      {{at(7ms), Recv, DropReason::Loss, router, l1, Bwd}, 2},
      {{at(7ms), Send, DropReason::Loss, router, l0, Bwd}, 2},
      {{at(10ms), Recv, DropReason::Loss, client, l0, Bwd}, 2},
  };
  CHECK(sink.records == expected);
  CHECK(net.counters().sent == 2);
  CHECK(net.counters().delivered == 2);
}

TEST_CASE("a packet sent from a variable is copied: it keeps id 0, each send gets the next id") {
  Topology topo;
  const NodeId a = topo.add_node("a", ip(1));
  const NodeId b = topo.add_node("b", ip(2));
  topo.add_link(a, b, delay(1ms));
  Scheduler s;
  TestNetwork net(s, std::move(topo), 1);
  std::vector<std::pair<std::uint64_t, int>> at_b;  // (id, payload) as delivered
  auto b_rx = [&](const Packet<Tag>& p) { at_b.emplace_back(p.id, p.payload.n); };
  net.attach(b, PacketHook<Tag>::ref(b_rx));

  const Packet<Tag> packet{0, 40, ip(1), ip(2), Tag{7}};
  CHECK(net.send(a, packet) == 1);
  CHECK(net.send(a, packet) == 2);
  CHECK(packet.id == 0);
  s.run();
  CHECK(at_b == std::vector<std::pair<std::uint64_t, int>>{{1, 7}, {2, 7}});
}

TEST_CASE("no route: unknown address, unreachable node, own address -> dropped, no-route") {
  Topology topo;
  const NodeId a = topo.add_node("a", ip(1));
  const NodeId b = topo.add_node("b", ip(2));
  topo.add_node("island", ip(3));
  topo.add_link(a, b, delay(1ms));
  Scheduler s;
  MemorySink<TestRecord> sink;
  TestNetwork net(s, std::move(topo), 1, {&sink});

  net.send(a, Packet<Tag>{0, 40, ip(1), ip(99), Tag{1}});  // nobody has 10.0.0.99
  net.send(a, Packet<Tag>{0, 40, ip(1), ip(3), Tag{2}});   // island: no link to it
  net.send(a, Packet<Tag>{0, 40, ip(1), ip(1), Tag{3}});   // itself: no loopback
  s.run();
  const PacketEvent no_route{at(0ms), Drop, DropReason::NoRoute, a, LinkId{}, Fwd};
  CHECK(sink.records == std::vector<TestRecord>{{no_route, 1}, {no_route, 2}, {no_route, 3}});
  CHECK(net.counters().dropped[static_cast<std::size_t>(DropReason::NoRoute)] == 3);
  CHECK(net.counters().delivered == 0);
}

TEST_CASE("the same seed gives the same records, another seed other records") {
  auto run = [](std::uint64_t seed) {
    Topology topo;
    const NodeId a = topo.add_node("a", ip(1));
    const NodeId b = topo.add_node("b", ip(2));
    LinkDirectionConfig c = delay(1ms);
    c.jitter = synlab::sim::Jitter::exponential(2ms);
    topo.add_link(a, b, c);
    Scheduler s;
    MemorySink<TestRecord> sink;
    TestNetwork net(s, std::move(topo), seed, {&sink});
    for (int i = 0; i < 50; ++i) {
      net.send(a, Packet<Tag>{0, 40, ip(1), ip(2), Tag{i}});
      net.send(b, Packet<Tag>{0, 40, ip(2), ip(1), Tag{i}});
    }
    s.run();
    return sink.records;
  };
  const auto first = run(5);
  CHECK(first.size() == 200);
  CHECK(first == run(5));
  CHECK(first != run(6));
}

TEST_CASE("a full queue drops with queue-full at the sending node, after the send record") {
  Topology topo;
  const NodeId a = topo.add_node("a", ip(1));
  const NodeId b = topo.add_node("b", ip(2));
  LinkDirectionConfig c = delay(1ms);
  c.rate_bps = 8'000;   // 100 B = 800 bits = 100 ms on the wire
  c.queue_packets = 1;  // one waiting packet
  const LinkId l = topo.add_link(a, b, c);
  Scheduler s;
  MemorySink<TestRecord> sink;
  TestNetwork net(s, std::move(topo), 1, {&sink});
  for (int i = 0; i < 3; ++i) net.send(a, Packet<Tag>{0, 100, ip(1), ip(2), Tag{i}});
  s.run();
  // #1 on the wire 0 -> 100 ms, arrives 101 ms; #2 waits, 100 -> 200 ms, arrives 201 ms;
  // #3 finds the one-packet queue full.
  const std::vector<TestRecord> expected{
      {{at(0ms), Send, DropReason::Loss, a, l, Fwd}, 1},
      {{at(0ms), Send, DropReason::Loss, a, l, Fwd}, 2},
      {{at(0ms), Send, DropReason::Loss, a, l, Fwd}, 3},
      {{at(0ms), Drop, DropReason::QueueFull, a, l, Fwd}, 3},
      {{at(101ms), Recv, DropReason::Loss, b, l, Fwd}, 1},
      {{at(201ms), Recv, DropReason::Loss, b, l, Fwd}, 2},
  };
  CHECK(sink.records == expected);
  CHECK(net.counters().dropped[static_cast<std::size_t>(DropReason::QueueFull)] == 1);
}

TEST_CASE("a node that is down drops what reaches it and what it sends - back up, it delivers") {
  // a -1ms- r -1ms- b. r goes down at 0.5 ms: a's packet sent at 0 is on the wire a->r and
  // reaches r at 1 ms, where it is dropped (node-down, on link 0, no recv). b sends at 2 ms while
  // b itself is down: dropped at b. Both back up at 3 ms: a packet sent then arrives at 5 ms.
  Topology topo;
  const NodeId a = topo.add_node("a", ip(1));
  const NodeId r = topo.add_node("r", ip(2));
  const NodeId b = topo.add_node("b", ip(3));
  topo.add_link(a, r, delay(1ms));
  topo.add_link(r, b, delay(1ms));
  Scheduler s;
  MemorySink<TestRecord> sink;
  TestNetwork net(s, std::move(topo), 1, {&sink});
  int delivered = 0;
  auto count = [&delivered](const Packet<Tag>&) { ++delivered; };
  net.attach(b, PacketHook<Tag>::ref(count));
  CHECK(net.up(r));

  net.send(a, Packet<Tag>{0, 40, ip(1), ip(3), Tag{1}});
  s.schedule_at(at(500us), [&] { net.set_up(r, false); });
  s.schedule_at(at(2ms), [&] {
    net.set_up(b, false);
    net.send(b, Packet<Tag>{0, 40, ip(3), ip(1), Tag{2}});
  });
  s.schedule_at(at(3ms), [&] {
    net.set_up(r, true);
    net.set_up(b, true);
    net.send(a, Packet<Tag>{0, 40, ip(1), ip(3), Tag{3}});
  });
  s.run();
  CHECK(net.up(r));
  const std::vector<TestRecord> expected{
      {{at(0ms), Send, DropReason::Loss, a, LinkId{0}, Fwd}, 1},
      {{at(1ms), Drop, DropReason::NodeDown, r, LinkId{0}, Fwd}, 1},
      {{at(2ms), Drop, DropReason::NodeDown, b, LinkId{}, Fwd}, 2},
      {{at(3ms), Send, DropReason::Loss, a, LinkId{0}, Fwd}, 3},
      {{at(4ms), Recv, DropReason::Loss, r, LinkId{0}, Fwd}, 3},
      {{at(4ms), Send, DropReason::Loss, r, LinkId{1}, Fwd}, 3},
      {{at(5ms), Recv, DropReason::Loss, b, LinkId{1}, Fwd}, 3},
  };
  CHECK(sink.records == expected);
  CHECK(net.counters().dropped[static_cast<std::size_t>(DropReason::NodeDown)] == 2);
  CHECK(delivered == 1);
}
