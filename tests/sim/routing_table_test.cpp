// Topology and RoutingTable: delay-weighted shortest paths (Boost.Graph Dijkstra), per
// direction; unknown names and unreachable nodes are answered, never crashed on.
#include "sim/routing_table.hpp"

#include <doctest/doctest.h>

#include <vector>

#include "sim/ipv4_address.hpp"
#include "sim/topology.hpp"

using namespace std::chrono_literals;
using synlab::sim::Direction;
using synlab::sim::Duration;
using synlab::sim::Hop;
using synlab::sim::Ipv4Address;
using synlab::sim::LinkDirectionConfig;
using synlab::sim::LinkId;
using synlab::sim::NodeId;
using synlab::sim::RoutingTable;
using synlab::sim::Topology;

namespace {
LinkDirectionConfig delay(Duration d) {
  LinkDirectionConfig c;
  c.delay = d;
  return c;
}
Ipv4Address ip(std::uint8_t last) {
  return Ipv4Address::from_octets(10, 0, 0, last);
}
}  // namespace

TEST_CASE("Ipv4Address prints as a dotted quad") {
  CHECK(Ipv4Address::from_octets(10, 0, 0, 1).value == 0x0a000001u);
  CHECK(Ipv4Address::from_octets(192, 168, 255, 7).to_string() == "192.168.255.7");
}

TEST_CASE("a diamond routes over the lower-delay path, per direction") {
  //        x
  //   10ms/  \10ms            s -> t: via x = 10 + 10 = 20 ms; via y = 5 + 30 = 35 ms -> x
  //      s    t
  //    5ms\  /30ms            t -> s: x -> s is 50 ms backward (asymmetric), so
  //        y                  via x = 10 + 50 = 60 ms; via y = 30 + 5 = 35 ms -> y
  Topology topo;
  const NodeId s = topo.add_node("s", ip(1));
  const NodeId x = topo.add_node("x", ip(2));
  const NodeId y = topo.add_node("y", ip(3));
  const NodeId t = topo.add_node("t", ip(4));
  const auto sx = topo.add_link(s, x, delay(10ms), delay(50ms));
  const auto xt = topo.add_link(x, t, delay(10ms));
  const auto sy = topo.add_link(s, y, delay(5ms));
  const auto yt = topo.add_link(y, t, delay(30ms));
  const RoutingTable routes(topo);

  CHECK(routes.path(s, t) == std::vector<NodeId>{s, x, t});
  CHECK(routes.path_delay(s, t) == Duration{20ms});
  CHECK(routes.next_hop(s, t) == Hop{sx, Direction::Forward, x});
  CHECK(routes.next_hop(x, t) == Hop{xt, Direction::Forward, t});

  CHECK(routes.path(t, s) == std::vector<NodeId>{t, y, s});
  CHECK(routes.path_delay(t, s) == Duration{35ms});
  CHECK(routes.next_hop(t, s) == Hop{yt, Direction::Backward, y});
  CHECK(routes.next_hop(y, s) == Hop{sy, Direction::Backward, s});

  // x -> y: via s = 50 + 5 = 55 ms, via t = 10 + 30 = 40 ms.
  CHECK(routes.path(x, y) == std::vector<NodeId>{x, t, y});
  CHECK(routes.path_delay(x, y) == Duration{40ms});
}

TEST_CASE("unknown names, addresses and unreachable nodes give no route, not a crash") {
  Topology topo;
  const NodeId a = topo.add_node("a", ip(1));
  const NodeId b = topo.add_node("b", ip(2));
  const NodeId island = topo.add_node("island", ip(3));
  topo.add_link(a, b, delay(1ms));
  const RoutingTable routes(topo);

  CHECK(topo.find_node("b") == b);
  CHECK_FALSE(topo.find_node("nope"));
  CHECK(topo.node_at(ip(3)) == island);
  CHECK_FALSE(topo.node_at(ip(99)));
  CHECK(topo.find_link("a-b").has_value());
  CHECK_FALSE(topo.find_link("b-a"));

  CHECK_FALSE(routes.next_hop(a, island));
  CHECK_FALSE(routes.path_delay(island, b));
  CHECK(routes.path(a, island).empty());
  CHECK_FALSE(routes.next_hop(a, a));  // no loopback route
  CHECK_FALSE(routes.next_hop(a, NodeId{}));
  CHECK_FALSE(routes.next_hop(NodeId{42}, b));
}

TEST_CASE("node_id_at and find_hop answer in place what node_at and next_hop answer as optionals") {
  Topology topo;
  const NodeId a = topo.add_node("a", ip(1));
  const NodeId b = topo.add_node("b", ip(2));
  const NodeId c = topo.add_node("c", ip(3));
  const NodeId island = topo.add_node("island", ip(4));
  const LinkId ab = topo.add_link(a, b, delay(1ms));
  const LinkId bc = topo.add_link(b, c, delay(1ms));
  const RoutingTable routes(topo);

  CHECK(topo.node_id_at(ip(1)) == a);
  CHECK(topo.node_id_at(ip(3)) == c);
  CHECK_FALSE(topo.node_id_at(ip(99)).valid());  // between none and after the last address
  CHECK_FALSE(topo.node_id_at(ip(0)).valid());   // before the first

  // a to c goes through b: the first hop is a-b forwards, then b-c forwards; back from c, b-c
  // backwards. The pointer is the table's own entry, so it equals next_hop's copy.
  const Hop* ac = routes.find_hop(a, c);
  REQUIRE(ac != nullptr);
  CHECK(*ac == Hop{ab, Direction::Forward, b});
  CHECK(routes.next_hop(a, c) == *ac);
  const Hop* bc_hop = routes.find_hop(b, c);
  REQUIRE(bc_hop != nullptr);
  CHECK(*bc_hop == Hop{bc, Direction::Forward, c});
  const Hop* cb = routes.find_hop(c, b);
  REQUIRE(cb != nullptr);
  CHECK(*cb == Hop{bc, Direction::Backward, b});

  CHECK(routes.find_hop(a, island) == nullptr);  // unreachable
  CHECK(routes.find_hop(a, a) == nullptr);       // no loopback
  CHECK(routes.find_hop(a, NodeId{}) == nullptr);
  CHECK(routes.find_hop(NodeId{42}, b) == nullptr);
}
