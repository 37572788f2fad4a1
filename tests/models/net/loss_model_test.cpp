// Loss models on a link direction: Bernoulli rate, Gilbert-Elliott stationary loss and burst
// length, fixed draws per packet, scripted drops by flags / n-th match / time window, and
// outages (link-down, never re-routed).
#include "models/net/loss_model.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "models/net/ip_network.hpp"
#include "models/tcp/segment.hpp"
#include "sim/memory_sink.hpp"
#include "sim/scheduler.hpp"
#include "sim/topology.hpp"

using namespace std::chrono_literals;
using synlab::net::BernoulliLoss;
using synlab::net::GilbertElliott;
using synlab::net::IpNetwork;
using synlab::net::LossModel;
using synlab::net::NoRandomLoss;
using synlab::net::Outage;
using synlab::net::Outages;
using synlab::net::PacketRecord;
using synlab::net::ScriptedDrop;
using synlab::net::ScriptedDrops;
using synlab::net::SegmentMatch;
using synlab::sim::at;
using synlab::sim::Direction;
using synlab::sim::DropReason;
using synlab::sim::Ipv4Address;
using synlab::sim::LinkDirectionConfig;
using synlab::sim::MemorySink;
using synlab::sim::NodeId;
using synlab::sim::PacketEventKind;
using synlab::sim::RandomStream;
using synlab::sim::Scheduler;
using synlab::sim::Time;
using synlab::sim::Topology;
using synlab::tcp::Flag;
using synlab::tcp::Flags;
using synlab::tcp::Segment;

namespace {

Ipv4Address ip(std::uint8_t last) {
  return Ipv4Address::from_octets(10, 0, 0, last);
}
LinkDirectionConfig delay(synlab::sim::Duration d) {
  LinkDirectionConfig c;
  c.delay = d;
  return c;
}
Segment segment(Flags flags, std::uint32_t payload_bytes = 0) {
  Segment s;
  s.src_port = 40000;
  s.dst_port = 80;
  s.flags = flags;
  s.payload_bytes = payload_bytes;
  return s;
}

// client 10.0.0.1 <-> server 10.0.0.2, 10 ms each way, infinite rate.
struct TwoHosts {
  Scheduler s;
  MemorySink<PacketRecord> sink;
  NodeId client;
  NodeId server;
  IpNetwork net;
  TwoHosts() : net(s, make(client, server), 42, {&sink}) {}
  static Topology make(NodeId& c, NodeId& sv) {
    Topology t;
    c = t.add_node("client", ip(1));
    sv = t.add_node("server", ip(2));
    t.add_link(c, sv, delay(10ms));
    return t;
  }
  // Sends from the client (forward) or the server (backward).
  std::uint64_t send(Direction d, const Segment& seg) {
    return d == Direction::Forward ? net.send(client, synlab::net::make_packet(ip(1), ip(2), seg))
                                   : net.send(server, synlab::net::make_packet(ip(2), ip(1), seg));
  }
  std::vector<std::uint64_t> dropped(DropReason why) const {
    std::vector<std::uint64_t> ids;
    for (const PacketRecord& r : sink.records)
      if (r.event == PacketEventKind::Drop && r.reason == why) ids.push_back(r.packet_id);
    return ids;
  }
};

}  // namespace

TEST_CASE("Bernoulli loss over 100,000 packets: within 5 binomial standard deviations") {
  TwoHosts h;
  constexpr double p = 0.1;
  constexpr int n = 100'000;
  h.net.loss(h.net.topology().find_link("client-server").value(), Direction::Forward) =
      LossModel(BernoulliLoss{p}, RandomStream(42, "link/client-server/forward/loss"));
  for (int i = 0; i < n; ++i) h.send(Direction::Forward, segment(Flag::Ack, 100));
  h.s.run();
  // Expected n p = 10,000 losses; sd = sqrt(n p (1 - p)) = sqrt(9,000) = 94.87;
  // 5 sd = 474.3, so the count must lie in [9,526, 10,474].
  const double sd = std::sqrt(n * p * (1 - p));
  const auto lost = static_cast<double>(h.dropped(DropReason::Loss).size());
  CHECK(std::abs(lost - n * p) <= 5 * sd);
  CHECK(h.net.counters().delivered + h.dropped(DropReason::Loss).size() == n);
}

TEST_CASE("Bernoulli p = 0 never loses, p = 1 always loses") {
  RandomStream random(1, "edge");
  BernoulliLoss never{0.0};
  BernoulliLoss always{1.0};
  int lost_never = 0;
  int lost_always = 0;
  for (int i = 0; i < 10'000; ++i) {
    lost_never += never.lose(random) ? 1 : 0;
    lost_always += always.lose(random) ? 1 : 0;
  }
  CHECK(lost_never == 0);
  CHECK(lost_always == 10'000);
}

TEST_CASE("Gilbert-Elliott: stationary loss p/(p+r) and mean burst length 1/r") {
  constexpr double p = 0.01;
  constexpr double r = 0.25;
  constexpr int n = 1'000'000;
  GilbertElliott ge({p, r, 0.0, 1.0});
  RandomStream random(2024, "ge");
  std::uint64_t lost = 0;
  std::uint64_t bursts = 0;
  std::uint64_t run = 0;
  std::uint64_t burst_packets = 0;
  for (int i = 0; i < n; ++i) {
    if (ge.lose(random)) {
      ++lost;
      ++run;
    } else if (run > 0) {
      ++bursts;
      burst_packets += run;
      run = 0;
    }
  }
  // Stationary loss pi = p / (p + r) = 0.01 / 0.26 = 0.038462. The losses are correlated: the
  // chain's second eigenvalue is l = 1 - p - r = 0.74, so the variance of the loss rate is
  // pi (1 - pi) (1 + l) / (1 - l) / n = 0.036982 * 6.6923 / 1e6 = 2.475e-7: sd = 4.97e-4,
  // and 5 sd = 0.00249.
  const double pi = p / (p + r);
  const double lambda = 1 - p - r;
  const double rate_sd = std::sqrt(pi * (1 - pi) * (1 + lambda) / (1 - lambda) / n);
  const double rate = static_cast<double>(lost) / n;
  CHECK(std::abs(rate - pi) <= 5 * rate_sd);
  // A burst is geometric: mean 1/r = 4 packets, sd sqrt(1 - r)/r = 3.46; about
  // n pi r = 9,615 bursts, so the sd of their mean is about 3.46 / sqrt(9,615) = 0.035.
  REQUIRE(bursts > 1000);
  const double mean_burst = static_cast<double>(burst_packets) / static_cast<double>(bursts);
  const double burst_sd = std::sqrt(1 - r) / r / std::sqrt(static_cast<double>(bursts));
  CHECK(std::abs(mean_burst - 1 / r) <= 5 * burst_sd);
}

TEST_CASE("loss models make the same number of draws per packet whatever the outcome") {
  // Gilbert-Elliott: two Bernoulli decisions = four 32-bit draws per packet, in any state.
  GilbertElliott ge({0.3, 0.3, 0.1, 0.9});
  RandomStream used(9, "draws");
  RandomStream reference(9, "draws");
  for (int i = 0; i < 1000; ++i) {
    (void)ge.lose(used);
    for (int k = 0; k < 4; ++k) (void)reference();
  }
  CHECK(used == reference);

  // LossModel: the random draw happens even when an outage or a script takes the packet.
  LossModel model(BernoulliLoss{0.5}, RandomStream(9, "m"),
                  ScriptedDrops({ScriptedDrop{SegmentMatch::syn(), {}, {}, {}}}),
                  Outages({Outage{at(0s), at(1s)}}));
  RandomStream expected(9, "m");
  const auto syn = synlab::net::make_packet(ip(1), ip(2), segment(Flag::Syn));
  const auto ack = synlab::net::make_packet(ip(1), ip(2), segment(Flag::Ack));
  CHECK(model.verdict(syn, at(0s)) == DropReason::LinkDown);  // down wins over scripted
  CHECK(model.verdict(syn, at(1s)) == DropReason::Scripted);
  (void)model.verdict(ack, at(1s));
  for (int k = 0; k < 3; ++k) (void)expected.uniform01();  // three packets, two draws each
  const bool expected_loss = expected.bernoulli(0.5);      // the fourth decision
  CHECK(model.verdict(ack, at(1s)) ==
        (expected_loss ? std::optional{DropReason::Loss} : std::nullopt));
}

TEST_CASE("scripted: drop the first SYN and the second SYN/ACK, and nothing else") {
  TwoHosts h;
  const auto link = h.net.topology().find_link("client-server").value();
  h.net.loss(link, Direction::Forward) =
      LossModel(NoRandomLoss{}, RandomStream(1, "unused"),
                ScriptedDrops({ScriptedDrop{SegmentMatch::syn(), {1}, {}, {}}}));
  h.net.loss(link, Direction::Backward) =
      LossModel(NoRandomLoss{}, RandomStream(1, "unused"),
                ScriptedDrops({ScriptedDrop{SegmentMatch::syn_ack(), {2}, {}, {}}}));
  // Ids in send order: forward SYN (1), SYN (2), ACK (3), SYN (4);
  //                    backward SYN/ACK (5), SYN/ACK (6), SYN/ACK (7), RST/ACK (8).
  h.send(Direction::Forward, segment(Flag::Syn));
  h.send(Direction::Forward, segment(Flag::Syn));
  h.send(Direction::Forward, segment(Flag::Ack));
  h.send(Direction::Forward, segment(Flag::Syn));
  h.send(Direction::Backward, segment(Flag::Syn | Flag::Ack));
  h.send(Direction::Backward, segment(Flag::Syn | Flag::Ack));
  h.send(Direction::Backward, segment(Flag::Syn | Flag::Ack));
  h.send(Direction::Backward, segment(Flag::Rst | Flag::Ack));
  h.s.run();
  CHECK(h.dropped(DropReason::Scripted) == std::vector<std::uint64_t>{1, 6});
  CHECK(h.net.counters().delivered == 6);
}

TEST_CASE("scripted: a list of matches, a time window, exact flags") {
  TwoHosts h;
  const auto link = h.net.topology().find_link("client-server").value();
  h.net.loss(link, Direction::Forward) =
      LossModel(NoRandomLoss{}, RandomStream(1, "unused"),
                ScriptedDrops({
                    ScriptedDrop{SegmentMatch::Kind::Data, {2, 4}, {}, {}},      // 2nd, 4th data
                    ScriptedDrop{SegmentMatch::pure_ack(), {}, at(1s), at(2s)},  // acks in [1, 2) s
                    ScriptedDrop{SegmentMatch::exactly(Flag::Fin | Flag::Ack), {}, {}, {}},
                }));
  // Data segments, ids 1..5 at t = 0: the 2nd and 4th go.
  for (int i = 0; i < 5; ++i) h.send(Direction::Forward, segment(Flag::Psh | Flag::Ack, 100));
  // Pure ACKs at 1 s - 1 ns (id 6), 1 s (7), 1.5 s (8), 2 s (9): 7 and 8 go (deadline edges).
  for (const Time t : {at(1s - 1ns), at(1s), at(1500ms), at(2s)})
    h.s.schedule_at(t, [&h] { h.send(Direction::Forward, segment(Flag::Ack)); });
  // FIN/ACK (id 10) goes; FIN/PSH/ACK (11) is not exactly FIN/ACK and stays.
  h.s.schedule_at(at(3s), [&h] {
    h.send(Direction::Forward, segment(Flag::Fin | Flag::Ack));
    h.send(Direction::Forward, segment(Flag::Fin | Flag::Psh | Flag::Ack));
  });
  h.s.run();
  CHECK(h.dropped(DropReason::Scripted) == std::vector<std::uint64_t>{2, 4, 7, 8, 10});
}

TEST_CASE("SegmentMatch kinds follow the control bits") {
  using K = SegmentMatch::Kind;
  const Segment syn_ece = segment(Flag::Syn | Flag::Ece | Flag::Cwr);  // RFC 3168 ECN setup SYN
  CHECK(SegmentMatch{K::Syn}.matches(syn_ece));
  CHECK_FALSE(SegmentMatch{K::SynAck}.matches(syn_ece));
  CHECK(SegmentMatch{K::SynAck}.matches(segment(Flag::Syn | Flag::Ack)));
  CHECK_FALSE(SegmentMatch{K::Syn}.matches(segment(Flag::Syn | Flag::Ack)));
  CHECK(SegmentMatch{K::PureAck}.matches(segment(Flag::Ack)));
  CHECK_FALSE(SegmentMatch{K::PureAck}.matches(segment(Flag::Ack, 1)));
  CHECK_FALSE(SegmentMatch{K::PureAck}.matches(segment(Flag::Fin | Flag::Ack)));
  CHECK(SegmentMatch{K::Rst}.matches(segment(Flag::Rst | Flag::Ack)));
  CHECK(SegmentMatch{K::Any}.matches(segment(Flags{})));
  CHECK(SegmentMatch::exactly(Flag::Syn).matches(segment(Flag::Syn)));
  CHECK_FALSE(SegmentMatch::exactly(Flag::Syn).matches(syn_ece));
}

TEST_CASE("an outage drops with link-down and re-routes nothing") {
  // Diamond: s -x- t costs 10 + 10 = 20 ms, s -y- t costs 5 + 30 = 35 ms, so s -> t uses x.
  Topology topo;
  const NodeId s = topo.add_node("s", ip(1));
  const NodeId x = topo.add_node("x", ip(2));
  const NodeId y = topo.add_node("y", ip(3));
  const NodeId t = topo.add_node("t", ip(4));
  const auto sx = topo.add_link(s, x, delay(10ms));
  topo.add_link(x, t, delay(10ms));
  topo.add_link(s, y, delay(5ms));
  topo.add_link(y, t, delay(30ms));
  Scheduler sched;
  MemorySink<PacketRecord> sink;
  IpNetwork net(sched, std::move(topo), 1, {&sink});
  // s -> x is down in [1 s, 2 s).
  net.loss(sx, Direction::Forward) =
      LossModel(NoRandomLoss{}, RandomStream(1, "unused"), {}, Outages({Outage{at(1s), at(2s)}}));
  std::vector<Time> arrivals;
  auto rx = [&](const synlab::net::IpPacket&) { arrivals.push_back(sched.now()); };
  net.attach(t, synlab::sim::PacketHook<synlab::net::IpPayload>::ref(rx));
  for (const Time when : {at(500ms), at(1s), at(2s - 1ns), at(2s)})
    sched.schedule_at(when, [&net, s] {
      net.send(s, synlab::net::make_packet(ip(1), ip(4), segment(Flag::Syn)));
    });
  sched.run();
  // Sent at 0.5 s -> arrives 0.52 s; at 1 s and 2 s - 1 ns -> link-down; at 2 s -> 2.02 s.
  CHECK(arrivals == std::vector<Time>{at(520ms), at(2020ms)});
  std::vector<std::uint64_t> down;
  for (const PacketRecord& r : sink.records) {
    CHECK(r.node != y);  // nothing ever went the other way round
    if (r.event == PacketEventKind::Drop) {
      CHECK(r.reason == DropReason::LinkDown);
      CHECK(r.node == s);
      CHECK(r.link == sx);
      down.push_back(r.packet_id);
    }
  }
  CHECK(down == std::vector<std::uint64_t>{2, 3});
}
