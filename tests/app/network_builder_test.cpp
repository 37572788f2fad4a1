// Building a scenario's network: addresses, per-direction links, scripted drops, loss.
#include "app/network_builder.hpp"

#include <doctest/doctest.h>

#include <vector>

#include "app/scenario_loader.hpp"
#include "sim/memory_sink.hpp"

using namespace std::chrono_literals;
using synlab::app::build_network;
using synlab::app::load_scenario;
using synlab::app::parse_scenario_text;
using synlab::sim::at;
using synlab::sim::Time;
namespace net = synlab::net;
namespace sim = synlab::sim;
namespace tcp = synlab::tcp;

namespace {

const char* scenario_text = R"(nodes: [client, router, server]
links:
  access: {between: [client, router], delay: 10ms, bandwidth: 100Mbps}
  wan: {between: [router, server], delay: {forward: 40ms, reverse: 30ms}}
drops:
  - {link: wan, direction: forward, flags: SYN, nth: 1}
)";

tcp::Segment syn() {
  tcp::Segment s;
  s.src_port = 40000;
  s.dst_port = 80;
  s.flags = tcp::Flag::Syn;
  s.options = tcp::Options{1460, 10, true, tcp::Timestamps{1, 0}};  // 40-byte TCP header
  return s;
}

}  // namespace

TEST_CASE("addresses follow the order of nodes") {
  CHECK(synlab::app::node_address(0).to_string() == "10.0.0.1");
  CHECK(synlab::app::node_address(254).to_string() == "10.0.0.255");
  CHECK(synlab::app::node_address(255).to_string() == "10.0.1.0");
}

TEST_CASE("a SYN crosses client-router-server with the scenario's delays, the first is dropped") {
  const auto scenario = load_scenario(parse_scenario_text(scenario_text, "t.yaml"));
  sim::Scheduler scheduler;
  sim::MemorySink<net::PacketRecord> records;
  auto built = build_network(scenario, scheduler, 1, {&records});
  std::vector<Time> arrivals;
  auto on_packet = [&](const net::IpPacket&) { arrivals.push_back(scheduler.now()); };
  built.network->attach(built.node("server"),
                        sim::PacketHook<synlab::net::IpPayload>::ref(on_packet));

  const auto packet = net::make_packet(built.address("client"), built.address("server"), syn());
  CHECK(packet.size_bytes == 60);                     // IPv4 20 + TCP 40
  built.network->send(built.node("client"), packet);  // t = 0
  scheduler.schedule_at(at(1s),
                        [&] { built.network->send(built.node("client"), packet); });  // t = 1 s
  scheduler.run();

  // The first SYN: access serialization 60 B * 8 / 100 Mbps = 4.8 us, + 10 ms; then dropped
  // entering wan forward (scripted nth 1). The second: sent at 1 s, 4.8 us + 10 ms + 40 ms.
  REQUIRE(arrivals.size() == 1);
  CHECK(arrivals[0] == at(1s + 4800ns + 10ms + 40ms));
  int scripted = 0;
  for (const auto& r : records.records) scripted += r.reason == sim::DropReason::Scripted ? 1 : 0;
  CHECK(scripted == 1);
}

TEST_CASE("the reverse direction has its own delay") {
  const auto scenario = load_scenario(parse_scenario_text(scenario_text, "t.yaml"));
  sim::Scheduler scheduler;
  auto built = build_network(scenario, scheduler, 1);
  std::vector<Time> arrivals;
  auto on_packet = [&](const net::IpPacket&) { arrivals.push_back(scheduler.now()); };
  built.network->attach(built.node("client"),
                        sim::PacketHook<synlab::net::IpPayload>::ref(on_packet));
  tcp::Segment ack;
  ack.flags = tcp::Flag::Ack;  // 20-byte header, 40 bytes on the wire
  built.network->send(built.node("server"),
                      net::make_packet(built.address("server"), built.address("client"), ack));
  scheduler.run();
  // wan reverse 30 ms, then access: 40 B * 8 / 100 Mbps = 3.2 us + 10 ms.
  REQUIRE(arrivals.size() == 1);
  CHECK(arrivals[0] == at(30ms + 3200ns + 10ms));
}

TEST_CASE("loss settings reach the right direction") {
  const auto scenario = load_scenario(parse_scenario_text(R"(nodes: [a, b]
links:
  l: {between: [a, b], loss: {forward: 1, reverse: 0}}
)",
                                                          "t.yaml"));
  sim::Scheduler scheduler;
  auto built = build_network(scenario, scheduler, 1);
  int at_a = 0;
  int at_b = 0;
  auto to_a = [&](const net::IpPacket&) { ++at_a; };
  auto to_b = [&](const net::IpPacket&) { ++at_b; };
  built.network->attach(built.node("a"), sim::PacketHook<synlab::net::IpPayload>::ref(to_a));
  built.network->attach(built.node("b"), sim::PacketHook<synlab::net::IpPayload>::ref(to_b));
  for (int i = 0; i < 10; ++i) {
    built.network->send(built.node("a"),
                        net::make_packet(built.address("a"), built.address("b"), syn()));
    built.network->send(built.node("b"),
                        net::make_packet(built.address("b"), built.address("a"), syn()));
  }
  scheduler.run();
  CHECK(at_b == 0);   // forward loss 1: every packet lost
  CHECK(at_a == 10);  // reverse loss 0
}
