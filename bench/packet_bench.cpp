// Packet benchmarks (see packet_bench.hpp).
#include "packet_bench.hpp"

#include <chrono>
#include <cstdio>
#include <string>

#include "models/net/ip_network.hpp"
#include "models/net/loss_model.hpp"
#include "models/tcp/segment.hpp"
#include "sim/packet_hook.hpp"
#include "sim/scheduler.hpp"
#include "sim/topology.hpp"

namespace synlab::bench {

using namespace std::chrono_literals;

Result link_packets(BenchLoss loss, std::uint64_t packets) {
  constexpr std::uint64_t burst = 64;
  sim::Topology topo;
  const sim::Ipv4Address client_ip = sim::Ipv4Address::from_octets(10, 0, 0, 1);
  const sim::Ipv4Address server_ip = sim::Ipv4Address::from_octets(10, 0, 0, 2);
  const sim::NodeId client = topo.add_node("client", client_ip);
  const sim::NodeId server = topo.add_node("server", server_ip);
  sim::LinkDirectionConfig config;
  config.delay = 10us;
  config.rate_bps = 100'000'000'000;  // 64 x 60 B = 30,720 bits = 307 ns per burst
  const sim::LinkId link = topo.add_link(client, server, config);

  sim::Scheduler s;
  net::IpNetwork network(s, std::move(topo), 1);  // no trace sinks: tracing off
  const std::string stream =
      sim::stream_name(network.topology(), link, sim::Direction::Forward, "loss");
  switch (loss) {
    case BenchLoss::None:
      break;
    case BenchLoss::Bernoulli:
      network.loss(link, sim::Direction::Forward) =
          net::LossModel(net::BernoulliLoss{0.01}, sim::RandomStream(1, stream));
      break;
    case BenchLoss::GilbertElliott:
      network.loss(link, sim::Direction::Forward) =
          net::LossModel(net::GilbertElliott({0.01, 0.25, 0.0, 1.0}), sim::RandomStream(1, stream));
      break;
  }
  std::uint64_t received = 0;
  auto on_packet = [&received](const net::IpPacket&) { ++received; };
  network.attach(server, sim::PacketHook<synlab::net::IpPayload>::ref(on_packet));

  tcp::Segment syn;
  syn.src_port = 40000;
  syn.dst_port = 80;
  syn.flags = tcp::Flag::Syn;
  syn.options.mss = 1460;
  syn.options.sack_permitted = true;
  syn.options.timestamps = tcp::Timestamps{1, 0};
  syn.options.window_scale = 10;
  const net::IpPacket packet = net::make_packet(client_ip, server_ip, syn);

  struct Source {
    sim::Scheduler* s;
    net::IpNetwork* network;
    sim::NodeId from;
    const net::IpPacket* packet;
    std::uint64_t left;
    void tick() {
      for (std::uint64_t i = 0; i < burst && left > 0; ++i, --left) network->send(from, *packet);
      if (left > 0) s->schedule_in(1us, [this] { tick(); });
    }
  } source{&s, &network, client, &packet, 0};

  auto run = [&](std::uint64_t n) {
    source.left = n;
    s.schedule_in(0ns, [&source] { source.tick(); });
    s.run();
  };
  run(100'000);  // warm-up: grows the event pool and the link's slot pool to their peak

  const std::uint64_t received_before = received;
  const std::uint64_t allocations_before = allocations();
  reset_peak_rss();
  const auto start = std::chrono::steady_clock::now();
  run(packets);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  Result r;
  const char* names[] = {"no loss", "Bernoulli 1%", "G-E p=.01 r=.25"};
  r.pattern = std::string("link: ") + names[static_cast<int>(loss)];
  r.events = packets;
  r.seconds = seconds;
  r.allocations_per_event =
      static_cast<double>(allocations() - allocations_before) / static_cast<double>(packets);
  r.peak_mib = peak_rss_mib();
  r.peak_pending = s.counters().peak_pending;
  const std::uint64_t delivered_share_permille = 1000 * (received - received_before) / packets;
  r.pattern += " [" + std::to_string(delivered_share_permille / 10) + "." +
               std::to_string(delivered_share_permille % 10) + "% delivered]";
  return r;
}

}  // namespace synlab::bench
