// TestNetwork: a test-only stand-in for the network layer. Hosts joined by a fixed one-way delay,
// with a drop list ("drop client->server #1") or a drop predicate, and a wire log of every
// segment sent (STYLE §10 "Scenarios"). Delivery is FIFO: every path has the same delay.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "models/node/node.hpp"
#include "models/tcp/tcp_host.hpp"
#include "sim/memory_sink.hpp"
#include "sim/scheduler.hpp"

namespace synlab::tcp::test {

struct WireEntry {
  sim::Time time;
  std::string from;
  std::string to;
  Segment segment;
  bool dropped = false;
};

// "1000010000 client>server SYN seq=0 ack=0 win=64240 len=0 DROPPED"
std::string to_text(const WireEntry& e);

class TestNetwork {
 public:
  using Notifier = std::function<void(TcpHost&, ConnId, Notification)>;

  explicit TestNetwork(sim::Duration one_way_delay) : delay_(one_way_delay) {}

  // Adds a host named `name` with address = its index + 1.
  // `uptime_at_zero` places its timer wheel's ticks (HostConfig); default: drawn from the seed.
  TcpHost& add_host(const std::string& name, const Profile& profile,
                    std::optional<std::uint32_t> fixed_isn = 0, std::uint64_t seed = 1,
                    std::optional<sim::Duration> uptime_at_zero = std::nullopt);

  // The usual pair: host "client", then host "server" listening on port 80 (backlog 5).
  void add_client_and_listener(const Profile& client, const Profile& server,
                               std::optional<std::uint32_t> client_isn = 0,
                               std::optional<std::uint32_t> server_isn = 0, std::uint64_t seed = 1);

  // Drops the n-th segment (1-based) sent from `from` to `to`.
  void drop(const std::string& from, const std::string& to, std::uint32_t n) {
    drops_.insert({from + ">" + to, n});
  }
  // Drops the n-th segment (1-based) sent on any path.
  void drop_overall(std::uint32_t n) { drops_overall_.insert(n); }
  // Drops every segment from `from` to `to` for which `pred` is true.
  void drop_if(const std::string& from, const std::string& to,
               std::function<bool(const Segment&)> pred) {
    predicates_.emplace(from + ">" + to, std::move(pred));
  }
  // Delivers `s` from `from` to `to` at `at`, bypassing the link (an old duplicate, a crash
  // survivor's segment). Logged on the wire with the injection time.
  void inject(sim::Time at, const std::string& from, const std::string& to, const Segment& s);
  // Called on every notification of every host (after the host's own processing).
  void on_notification(Notifier n) { notifier_ = std::move(n); }

  TcpHost& host(const std::string& name) { return nodes_.at(index_.at(name))->node->tcp(); }
  SocketAddress address(const std::string& name, std::uint16_t port) {
    return SocketAddress{host(name).address(), port};
  }

  sim::Scheduler scheduler;
  sim::MemorySink<TcpRecord> sink;
  sim::Trace<TcpRecord> trace{&sink};
  std::vector<WireEntry> wire;

  // The wire log as text lines.
  std::vector<std::string> wire_text() const;
  // Trace lines of one kind, e.g. "STATE" or "OUTCOME".
  std::vector<std::string> trace_text(RecordKind kind) const;
  // Times of the segments `from` -> `to` with exactly these flags, dropped or not.
  std::vector<sim::Time> times(const std::string& from, const std::string& to, Flags flags) const;

 private:
  struct Node;
  struct Port final : SegmentOutput {
    TestNetwork* net;
    Node* node;
    void output(const AddressedSegment& s) override { net->transmit(*node, s); }
  };
  // Every notification of the host, whoever owns the connection (no application does).
  struct Observer final : node::Application {
    explicit Observer(TestNetwork* n) : net(n) {}
    TestNetwork* net;
    void on_notification(node::Node& n, ConnId id, Notification what, std::uint64_t) override {
      if (net->notifier_) net->notifier_(n.tcp(), id, what);
    }
    void on_passive_open(node::Node&, ConnId, SocketAddress, SocketAddress) override {}
  };
  struct Node {
    std::string name;
    Port port;
    std::unique_ptr<node::Node> node;  // the host, wired as every host is (models/node)
  };

  void transmit(Node& from, const AddressedSegment& s);
  void deliver();

  sim::Duration delay_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<std::string, std::size_t> index_;
  std::map<HostAddress, std::size_t> by_address_;
  std::set<std::pair<std::string, std::uint32_t>> drops_;
  std::multimap<std::string, std::function<bool(const Segment&)>> predicates_;
  std::map<std::string, std::uint32_t> counts_;
  std::set<std::uint32_t> drops_overall_;
  std::uint32_t count_overall_ = 0;
  std::deque<AddressedSegment> in_flight_;
  std::vector<AddressedSegment> injected_;
  Notifier notifier_;
  Observer observer_{this};
};

}  // namespace synlab::tcp::test

#include <doctest/doctest.h>

// Failing comparisons of line lists print the lines.
namespace doctest {
template <>
struct StringMaker<std::vector<std::string>> {
  static String convert(const std::vector<std::string>& lines) {
    std::string out = "\n";
    for (const std::string& l : lines) {
      out.append("  ");
      out.append(l);
      out.append("\n");
    }
    return String(out.c_str());
  }
};
template <>
struct StringMaker<std::vector<synlab::sim::Time>> {
  static String convert(const std::vector<synlab::sim::Time>& times) {
    std::string out = "{";
    for (const auto t : times) {
      out.append(" ");
      out.append(std::to_string(synlab::sim::to_ns(t)));
    }
    out.append(" }");
    return String(out.c_str());
  }
};
}  // namespace doctest
