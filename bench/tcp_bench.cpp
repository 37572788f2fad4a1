// tcp_bench: handshakes per second and memory per connection of the TCP endpoint model.
//   1. N independent sequential connections (linux profile) over one link, loss 0 and 0.1,
//      tracing off: each connection starts when the previous one is ESTABLISHED on both sides
//      (or has timed out), and both ends are released;
//   2. M connections held ESTABLISHED at once: peak RSS growth per connection.
// Usage: tcp_bench [--quick]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>

#include "bench_support.hpp"
#include "models/node/node.hpp"
#include "models/tcp/profile.hpp"
#include "models/tcp/tcp_endpoint.hpp"
#include "models/tcp/tcp_host.hpp"
#include "sim/random_stream.hpp"
#include "sim/scheduler.hpp"

using namespace std::chrono_literals;
namespace tcp = synlab::tcp;
namespace sim = synlab::sim;

namespace {

using Clock = std::chrono::steady_clock;

// A bench-only link: fixed one-way delay, Bernoulli loss (two draws per packet, whatever the
// outcome), FIFO. Joins exactly two hosts.
class Link {
 public:
  Link(sim::Scheduler& s, sim::Duration delay, double loss)
      : s_(&s), delay_(delay), loss_(loss), random_(1, "bench/link/loss") {}
  struct Side final : tcp::SegmentOutput {
    Link* link = nullptr;
    void output(const tcp::AddressedSegment& seg) override { link->send(seg); }
  };
  void attach(synlab::node::Node& a, synlab::node::Node& b) {
    a_ = &a;
    b_ = &b;
  }
  Side side_a{}, side_b{};

 private:
  void send(const tcp::AddressedSegment& seg) {
    if (random_.bernoulli(loss_)) return;
    in_flight_.push_back(seg);
    s_->schedule_in(delay_, [this] { deliver(); });
  }
  void deliver() {
    const tcp::AddressedSegment seg = in_flight_.front();
    in_flight_.pop_front();
    (seg.dst_host == a_->address() ? a_ : b_)->receive(seg);
  }
  sim::Scheduler* s_;
  sim::Duration delay_;
  double loss_;
  sim::RandomStream random_;
  std::deque<tcp::AddressedSegment> in_flight_;
  synlab::node::Node* a_ = nullptr;
  synlab::node::Node* b_ = nullptr;
};

// Drives both hosts as their default application (it owns no connection, so the nodes hand it
// every notification).
struct Sequential final : synlab::node::Application {
  tcp::TcpHost* client = nullptr;
  tcp::TcpHost* server = nullptr;
  tcp::ConnId current = 0;
  std::uint64_t left = 0;
  std::uint64_t established = 0;
  std::uint64_t timeouts = 0;
  bool is_server = false;
  Sequential* peer = nullptr;

  void next() {
    if (left == 0) return;
    --left;
    const auto r = client->connect(tcp::SocketAddress{server->address(), 80});
    current = r.id;
  }
  void on_passive_open(synlab::node::Node&, tcp::ConnId, tcp::SocketAddress,
                       tcp::SocketAddress) override {}
  void on_notification(synlab::node::Node&, tcp::ConnId id, tcp::Notification n,
                       std::uint64_t) override {
    Sequential& d = is_server ? *peer : *this;
    if (is_server) {
      if (n == tcp::Notification::Established) {
        (void)d.server->accept(80);
        d.server->release(id);
        d.client->release(d.current);
        ++d.established;
        d.next();
      } else if (n == tcp::Notification::TimedOut) {
        // A half-open connection gave up (its SYN/ACKs or the ACKs all lost): if it was the
        // current attempt's, the client (ESTABLISHED, never told) is abandoned too.
        const tcp::TcpEndpoint* child = d.server->endpoint(id);
        const tcp::TcpEndpoint* c = d.client->endpoint(d.current);
        const bool same =
            child != nullptr && c != nullptr && child->tcb().remote.port == c->tcb().local.port;
        d.server->release(id);
        if (same) {
          d.client->release(d.current);
          ++d.timeouts;
          d.next();
        }
      }
    } else if (n == tcp::Notification::TimedOut) {
      d.client->release(id);
      ++d.timeouts;
      d.next();
    }
  }
};

// A linux-profile node on `link`'s side: "client" at address 1, "server" at 2.
std::unique_ptr<synlab::node::Node> make_node(sim::Scheduler& s, Link::Side& side, const char* name,
                                              tcp::HostAddress address) {
  synlab::node::NodeConfig config;
  config.name = name;
  config.profile = &tcp::linux_profile();
  return std::make_unique<synlab::node::Node>(s, side, address, config);
}

void handshakes(std::uint64_t n, double loss) {
  sim::Scheduler s;
  Link link(s, 10us, loss);
  link.side_a.link = &link;
  link.side_b.link = &link;
  Sequential client_obs, server_obs;
  server_obs.is_server = true;
  server_obs.peer = &client_obs;
  const auto client_node = make_node(s, link.side_a, "client", 1);
  const auto server_node = make_node(s, link.side_b, "server", 2);
  client_node->set_default_application(client_obs);
  server_node->set_default_application(server_obs);
  link.attach(*client_node, *server_node);
  tcp::TcpHost& client = client_node->tcp();
  tcp::TcpHost& server = server_node->tcp();
  (void)server.listen(80, 4096);
  client_obs.client = &client;
  client_obs.server = &server;
  client_obs.left = n;
  const std::uint64_t alloc_before = synlab::bench::allocations();
  const auto start = Clock::now();
  client_obs.next();
  s.run();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf(
      "%-36s %10llu %8llu %9.3f %14.0f %10.2f %14.3f\n",
      loss == 0 ? "sequential handshakes, loss 0" : "sequential handshakes, loss 0.1",
      static_cast<unsigned long long>(client_obs.established),
      static_cast<unsigned long long>(client_obs.timeouts), seconds,
      static_cast<double>(client_obs.established) / seconds,
      static_cast<double>(synlab::bench::allocations() - alloc_before) / static_cast<double>(n),
      static_cast<double>(sim::to_ns(s.now())) / 1e9);
}

void memory(std::uint64_t m) {
  sim::Scheduler s;
  Link link(s, 10us, 0);
  link.side_a.link = &link;
  link.side_b.link = &link;
  const auto client_node = make_node(s, link.side_a, "client", 1);
  const auto server_node = make_node(s, link.side_b, "server", 2);
  link.attach(*client_node, *server_node);
  tcp::TcpHost& client = client_node->tcp();
  tcp::TcpHost& server = server_node->tcp();
  constexpr std::uint16_t ports = 16;  // 16 listening ports: < 25,000 connections per port
  for (std::uint16_t p = 0; p < ports; ++p)
    (void)server.listen(static_cast<std::uint16_t>(80 + p), 0xffffff);
  synlab::bench::reset_peak_rss();
  const double before = synlab::bench::peak_rss_mib();
  for (std::uint64_t i = 0; i < m; ++i) {
    (void)client.connect(tcp::SocketAddress{2, static_cast<std::uint16_t>(80 + i % ports)});
    if (i % 1000 == 999) s.run_until(s.now() + 1ms);
  }
  s.run_until(s.now() + 10ms);
  const double after = synlab::bench::peak_rss_mib();
  const double per_side = (after - before) * 1024 * 1024 / static_cast<double>(2 * m);
  std::printf("memory: %llu connections ESTABLISHED on both hosts (%zu + %zu objects)\n",
              static_cast<unsigned long long>(m), client.connection_count(),
              server.connection_count());
  std::printf("  RSS growth per connection endpoint (one side, all host tables): %.0f bytes\n",
              per_side);
  std::printf("  sizeof: connection object %zu bytes (TcpEndpoint %zu)\n",
              tcp::TcpHost::connection_object_bytes(), sizeof(tcp::TcpEndpoint));
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else {
      std::fprintf(stderr,
                   "usage: tcp_bench [--quick]\n"
                   "  Handshakes/s for 1,000,000 sequential connections at loss 0 and 0.1, and\n"
                   "  memory per established connection. --quick: tiny sizes (smoke test).\n");
      return 2;
    }
  }
  const std::uint64_t scale = quick ? 1000 : 1;
  std::printf("tcp_bench: linux profile, one link (10 us one way), tracing off, one thread\n");
  std::printf("%-36s %10s %8s %9s %14s %10s %14s\n", "pattern", "handshakes", "timeouts", "seconds",
              "handshakes/s", "allocs/hs", "sim seconds");
  handshakes(1'000'000 / scale, 0.0);
  handshakes(1'000'000 / scale, 0.1);
  memory(200'000 / scale);
  return 0;
}
