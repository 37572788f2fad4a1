// Node: one host's protocol stack (issue 11), the one place where hosts are wired: to the
// simulated network (app/, and any scenario) or to a test's or benchmark's own transport. It
// owns its protocol handlers, hands each arriving packet to the handler of the packet's IP
// protocol (TCP, RFC 9293, is the only one so far) and each connection's notifications to the
// Application that owns the connection.
//
//   node::Node server(scheduler, network, network.topology().find_node("server").value(),
//                     {.name = "server", .profile = &tcp::linux_profile()});
//   (void)server.tcp().listen(80, 128);
//   server.own_listener(80, server_app);   // children of port 80 go to server_app
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "models/net/ip_network.hpp"
#include "models/node/application.hpp"
#include "models/tcp/profile.hpp"
#include "models/tcp/tcp_host.hpp"
#include "models/tcp/tcp_record.hpp"
#include "sim/id_table.hpp"
#include "sim/scheduler.hpp"
#include "sim/trace.hpp"

namespace synlab::node {

struct NodeConfig {
  std::string name;                        // the topology's node name; names the trace records
  const tcp::Profile* profile = nullptr;   // not owned; must outlive the node
  std::uint64_t seed = 0;                  // the run's seed (keys the hosts' ISN streams)
  std::optional<std::uint32_t> fixed_isn;  // every connection uses this ISN (lab traces)
  std::uint32_t index = 0;                 // the caller's number for the node (e.g. file order)
  // The timer wheel's clock (tcp::HostConfig::uptime_at_zero); default: drawn from the seed.
  std::optional<sim::Duration> uptime_at_zero{};
};

class Node final : tcp::HostObserver, tcp::SegmentOutput {
 public:
  // Attaches itself to `network` at `id` (the node's address is the topology's). `network`,
  // `trace` and the scheduler must outlive the node; `trace` may be null.
  Node(sim::Scheduler& scheduler, net::IpNetwork& network, sim::NodeId id, NodeConfig config,
       const sim::Trace<tcp::TcpRecord>* trace = nullptr);
  // On another transport: sends through `output`, which delivers to others' receive(); the node
  // has address `address`. `output` must outlive the node.
  Node(sim::Scheduler& scheduler, tcp::SegmentOutput& output, tcp::HostAddress address,
       NodeConfig config, const sim::Trace<tcp::TcpRecord>* trace = nullptr);
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  tcp::TcpHost& tcp() noexcept { return tcp_; }
  const tcp::TcpHost& tcp() const noexcept { return tcp_; }
  const std::string& name() const noexcept { return tcp_.name(); }
  std::uint32_t index() const noexcept { return index_; }
  sim::NodeId id() const noexcept { return id_; }
  tcp::HostAddress address() const noexcept { return tcp_.address(); }

  // `app` receives connection `id`'s notifications, with `cookie`, until release(id).
  void own(tcp::ConnId id, Application& app, std::uint64_t cookie);
  // `app` is offered the children the listener on `port` forks (Application::on_passive_open).
  void own_listener(std::uint16_t port, Application& app);
  // Releases connection `id` in the host (TcpHost::release) and forgets its owner.
  void release(tcp::ConnId id);
  // Its owner lets go of connection `id`, which the host finishes alone (TcpHost::orphan).
  void orphan(tcp::ConnId id);
  // Receives what no application owns, with cookie 0: the notifications of unowned
  // connections and the children of unowned listeners (tests and benchmarks drive hosts so).
  void set_default_application(Application& app) noexcept { default_ = &app; }
  // Sends `s` onto the network from this node, as if its TCP had sent it: a crafted segment
  // (a scenario's `inject`) that no connection of this host knows of. Network nodes only; the
  // packet gets the network's next_packet_id().
  void inject(const tcp::AddressedSegment& s) { output(s); }
  // A segment for this node arrived over a transport other than the network.
  void receive(const tcp::AddressedSegment& s) { tcp_.receive(s); }
  // The node crashes (RFC 9293 §3.5.1): its TCP loses every connection and listener, sending
  // nothing (tcp::TcpHost::crash(); owners hear Notification::HostCrashed), and on the network
  // the node is down: what reaches it or leaves it is dropped (`node-down`). Listener owners
  // stay registered for reboot().
  void crash();
  // The node is back up with an empty TCP (tcp::TcpHost::reboot()); its applications open their
  // listeners again themselves (apps::RequestResponse::restart()).
  void reboot();
  bool down() const noexcept { return tcp_.down(); }
  // Who owns connection `id`, and with which cookie; nullopt if nobody does.
  std::optional<std::pair<const Application*, std::uint64_t>> owner(tcp::ConnId id) const;

 private:
  void on_notification(tcp::ConnId id, tcp::Notification what) override;
  void on_passive_open(tcp::ConnId child, tcp::SocketAddress local,
                       tcp::SocketAddress remote) override;
  void output(const tcp::AddressedSegment& s) override;  // the host's segments, onto the network
  void on_packet(const net::IpPacket& p);                // a packet for this node arrived

  net::IpNetwork* network_ = nullptr;  // null: another transport
  sim::NodeId id_;
  std::uint32_t index_;
  tcp::TcpHost tcp_;
  // By connection id: the host hands ids out in order, so owners of connections opened close in
  // time sit close in memory.
  sim::IdTable<std::pair<Application*, std::uint64_t>> owners_;
  std::unordered_map<std::uint16_t, Application*> listeners_;
  Application* default_ = nullptr;
};

}  // namespace synlab::node
