// TestNetwork (test_network.hpp).
#include "tests/models/tcp/test_network.hpp"

#include <algorithm>

namespace synlab::tcp::test {

std::string to_text(const WireEntry& e) {
  std::string flags = e.segment.flags.to_string();
  flags.erase(std::remove(flags.begin(), flags.end(), ' '), flags.end());
  std::string out = std::to_string(sim::to_ns(e.time));
  out += ' ';
  out += e.from;
  out += '>';
  out += e.to;
  out += ' ';
  out += flags;
  out += " seq=";
  out += std::to_string(e.segment.seq.value());
  out += " ack=";
  out += std::to_string(e.segment.ack.value());
  out += " win=";
  out += std::to_string(e.segment.window);
  out += " len=";
  out += std::to_string(e.segment.payload_bytes);
  if (e.dropped) out += " DROPPED";
  return out;
}

void TestNetwork::add_client_and_listener(const Profile& client, const Profile& server,
                                          std::optional<std::uint32_t> client_isn,
                                          std::optional<std::uint32_t> server_isn,
                                          std::uint64_t seed) {
  add_host("client", client, client_isn, seed);
  add_host("server", server, server_isn, seed);
  REQUIRE(host("server").listen(80, 5) == ListenError::Ok);
}

TcpHost& TestNetwork::add_host(const std::string& name, const Profile& profile,
                               std::optional<std::uint32_t> fixed_isn, std::uint64_t seed,
                               std::optional<sim::Duration> uptime_at_zero) {
  auto node = std::make_unique<Node>();
  node->name = name;
  node->port.net = this;
  node->port.node = node.get();
  node::NodeConfig config;
  config.name = name;
  config.profile = &profile;
  config.seed = seed;
  config.fixed_isn = fixed_isn;
  config.index = static_cast<std::uint32_t>(nodes_.size());
  config.uptime_at_zero = uptime_at_zero;
  const auto address = static_cast<HostAddress>(nodes_.size() + 1);
  node->node = std::make_unique<node::Node>(scheduler, node->port, address, config, &trace);
  node->node->set_default_application(observer_);
  index_[name] = nodes_.size();
  by_address_[address] = nodes_.size();
  nodes_.push_back(std::move(node));
  return nodes_.back()->node->tcp();
}

void TestNetwork::transmit(Node& from, const AddressedSegment& s) {
  const auto to_it = by_address_.find(s.dst_host);
  const std::string to = to_it == by_address_.end() ? "?" : nodes_[to_it->second]->name;
  const std::string path = from.name + ">" + to;
  const std::uint32_t n = ++counts_[path];
  bool dropped = drops_.contains({path, n}) || drops_overall_.contains(++count_overall_) ||
                 to_it == by_address_.end();
  for (auto [it, end] = predicates_.equal_range(path); it != end; ++it)
    dropped = dropped || it->second(s.segment);
  wire.push_back(WireEntry{scheduler.now(), from.name, to, s.segment, dropped});
  if (dropped) return;
  in_flight_.push_back(s);
  scheduler.schedule_in(delay_, [this] { deliver(); });
}

void TestNetwork::deliver() {
  const AddressedSegment s = in_flight_.front();
  in_flight_.pop_front();
  nodes_[by_address_.at(s.dst_host)]->node->receive(s);
}

void TestNetwork::inject(sim::Time at, const std::string& from, const std::string& to,
                         const Segment& s) {
  const HostAddress src = host(from).address();
  const HostAddress dst = host(to).address();
  injected_.push_back(AddressedSegment{src, dst, s});
  const std::size_t i = injected_.size() - 1;
  scheduler.schedule_at(at, [this, i] {
    Node& target = *nodes_[by_address_.at(injected_[i].dst_host)];
    wire.push_back(WireEntry{scheduler.now(), "inject", target.name, injected_[i].segment, false});
    target.node->receive(injected_[i]);
  });
}

std::vector<std::string> TestNetwork::wire_text() const {
  std::vector<std::string> out;
  for (const WireEntry& e : wire) out.push_back(to_text(e));
  return out;
}

std::vector<std::string> TestNetwork::trace_text(RecordKind kind) const {
  std::vector<std::string> out;
  for (const TcpRecord& r : sink.records)
    if (r.kind == kind) out.push_back(tcp::to_text(r));
  return out;
}

std::vector<sim::Time> TestNetwork::times(const std::string& from, const std::string& to,
                                          Flags flags) const {
  std::vector<sim::Time> out;
  for (const WireEntry& e : wire)
    if (e.from == from && e.to == to && e.segment.flags == flags) out.push_back(e.time);
  return out;
}

}  // namespace synlab::tcp::test
