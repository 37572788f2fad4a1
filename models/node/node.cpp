// Node: a host's protocol stack on the network (node.hpp).
#include "models/node/node.hpp"

#include "sim/assert.hpp"

namespace synlab::node {
namespace {

tcp::HostConfig host_config(tcp::HostAddress address, const NodeConfig& config) {
  SYNLAB_ASSERT(config.profile != nullptr, "Node: no TCP profile");
  tcp::HostConfig host;
  host.name = config.name;
  host.address = address;
  host.profile = config.profile;
  host.seed = config.seed;
  host.fixed_isn = config.fixed_isn;
  host.uptime_at_zero = config.uptime_at_zero;
  return host;
}

}  // namespace

Node::Node(sim::Scheduler& scheduler, net::IpNetwork& network, sim::NodeId id, NodeConfig config,
           const sim::Trace<tcp::TcpRecord>* trace)
    : network_(&network),
      id_(id),
      index_(config.index),
      tcp_(scheduler, host_config(network.topology().node(id).address.value, config), *this, trace,
           this) {
  network.attach(id, sim::PacketHook<net::IpPayload>::bind<&Node::on_packet>(*this));
}

Node::Node(sim::Scheduler& scheduler, tcp::SegmentOutput& output, tcp::HostAddress address,
           NodeConfig config, const sim::Trace<tcp::TcpRecord>* trace)
    : index_(config.index), tcp_(scheduler, host_config(address, config), output, trace, this) {}

void Node::own(tcp::ConnId id, Application& app, std::uint64_t cookie) {
  owners_.insert_or_assign(id, std::pair<Application*, std::uint64_t>{&app, cookie});
}

void Node::own_listener(std::uint16_t port, Application& app) {
  listeners_.insert_or_assign(port, &app);
}

void Node::release(tcp::ConnId id) {
  owners_.erase(id);
  tcp_.release(id);
}

void Node::orphan(tcp::ConnId id) {
  owners_.erase(id);
  tcp_.orphan(id);
}

std::optional<std::pair<const Application*, std::uint64_t>> Node::owner(tcp::ConnId id) const {
  const auto* owner = owners_.find(id);
  if (owner == nullptr) return std::nullopt;
  return std::pair<const Application*, std::uint64_t>{owner->first, owner->second};
}

void Node::on_notification(tcp::ConnId id, tcp::Notification what) {
  if (const auto* owner = owners_.find(id))
    owner->first->on_notification(*this, id, what, owner->second);
  else if (default_ != nullptr)  // nobody owns it (e.g. a child no application claimed)
    default_->on_notification(*this, id, what, 0);
}

void Node::on_passive_open(tcp::ConnId child, tcp::SocketAddress local, tcp::SocketAddress remote) {
  const auto it = listeners_.find(local.port);
  if (it != listeners_.end())
    it->second->on_passive_open(*this, child, local, remote);
  else if (default_ != nullptr)
    default_->on_passive_open(*this, child, local, remote);
}

void Node::crash() {
  if (network_ != nullptr) network_->set_up(id_, false);
  tcp_.crash();
}

void Node::reboot() {
  tcp_.reboot();
  if (network_ != nullptr) network_->set_up(id_, true);
}

void Node::output(const tcp::AddressedSegment& s) {
  // Only the network constructor hands the host this node as its output.
  network_->send(
      id_, net::make_packet(sim::Ipv4Address{s.src_host}, sim::Ipv4Address{s.dst_host}, s.segment));
}

void Node::on_packet(const net::IpPacket& p) {
  switch (p.payload.protocol()) {  // by IP protocol number (RFC 791 §3.1)
    case net::IpProtocol::Tcp:
      tcp_.receive(tcp::AddressedSegment{p.src.value, p.dst.value, *p.payload.tcp()});
      return;
  }
}

}  // namespace synlab::node
