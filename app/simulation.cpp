// Runs one scenario (see simulation.hpp).
#include "app/simulation.hpp"

#include <map>
#include <memory>
#include <tuple>
#include <utility>

#include "app/network_builder.hpp"
#include "app/output_dir.hpp"
#include "models/net/pcap_captures.hpp"
#include "models/tcp/tcp_host.hpp"
#include "sim/assert.hpp"
#include "sim/memory_sink.hpp"
#include "sim/random_stream.hpp"
#include "sim/scheduler.hpp"

namespace synlab::app {

tcp::Profile make_profile(const TcpSpec& spec) {
  const tcp::Profile* preset = tcp::find_profile(spec.profile);
  SYNLAB_ASSERT(preset != nullptr, "make_profile: the loader checked the profile name");
  tcp::Profile p = *preset;
  if (spec.initial_rto) p.initial_rto = *spec.initial_rto;
  if (spec.max_rto) p.max_rto = *spec.max_rto;
  if (spec.backoff) p.backoff_factor = static_cast<std::uint32_t>(*spec.backoff);
  if (spec.syn_retries) p.syn_retries = static_cast<std::uint32_t>(*spec.syn_retries);
  if (spec.synack_retries) p.synack_retries = static_cast<std::uint32_t>(*spec.synack_retries);
  if (spec.linear_timeouts)
    p.syn_linear_timeouts = static_cast<std::uint32_t>(*spec.linear_timeouts);
  if (spec.msl) p.time_wait = 2 * *spec.msl;  // RFC 9293 §3.4.2: TIME-WAIT lasts 2*MSL
  if (spec.mss) p.mss = static_cast<std::uint16_t>(*spec.mss);
  if (spec.window_scale) p.window_scale = static_cast<std::uint8_t>(*spec.window_scale);
  if (spec.sack) p.sack_permitted = *spec.sack;
  if (spec.timestamps) p.timestamps = *spec.timestamps;
  return p;
}

std::uint64_t run_seed(std::uint64_t scenario_seed, std::uint64_t point,
                       std::uint64_t replication) {
  return sim::derive_seed(sim::derive_seed(scenario_seed, point), replication);
}

namespace {

class Run;

// Counts sent packets matching each filter.
class PacketCounter final : public sim::TraceSink<net::PacketRecord> {
 public:
  explicit PacketCounter(std::vector<PacketFilter> filters)
      : filters_(std::move(filters)), counts_(filters_.size(), 0) {}
  void write(const net::PacketRecord& r) override {
    if (r.event != sim::PacketEventKind::Send) return;
    for (std::size_t i = 0; i < filters_.size(); ++i) {
      const PacketFilter& f = filters_[i];
      if (r.link != sim::LinkId{static_cast<std::uint32_t>(f.link)}) continue;
      if (f.direction != Direction::Both &&
          (f.direction == Direction::Forward) != (r.direction == sim::Direction::Forward))
        continue;
      if (f.flags && r.flags.bits() != *f.flags) continue;
      ++counts_[i];
    }
  }
  const std::vector<std::uint64_t>& counts() const noexcept { return counts_; }

 private:
  std::vector<PacketFilter> filters_;
  std::vector<std::uint64_t> counts_;
};

// The sinks a run's packet records go to.
std::vector<sim::TraceSink<net::PacketRecord>*> packet_sinks(
    bool keep, sim::MemorySink<net::PacketRecord>& memory, PacketCounter& counter, bool count) {
  std::vector<sim::TraceSink<net::PacketRecord>*> sinks;
  if (keep) sinks.push_back(&memory);
  if (count) sinks.push_back(&counter);
  return sinks;
}

// What outputs.pcap asks for, in the topology's terms.
net::PcapOptions pcap_options(const Scenario& s, const sim::Topology& topology) {
  net::PcapOptions options;
  options.per_link = s.outputs.pcap.links;
  options.received = s.outputs.pcap.received;
  std::vector<std::string> names;
  if (s.outputs.pcap.nodes) {
    names = *s.outputs.pcap.nodes;
  } else {  // every node that runs an app, in the order of `nodes`
    for (const std::string& node : s.nodes) {
      bool runs_app = false;
      for (const ListenApp& l : s.listens) runs_app = runs_app || l.at.node == node;
      for (const ConnectApp& c : s.connects)
        runs_app = runs_app || c.from == node || c.to.node == node;
      if (runs_app) names.push_back(node);
    }
  }
  for (const std::string& name : names) options.nodes.push_back(*topology.find_node(name));
  return options;
}

// Puts the segments a host sends on the network, from that host's node.
class HostOutput final : public tcp::SegmentOutput {
 public:
  HostOutput(net::TcpNetwork& network, sim::NodeId node) : network_(&network), node_(node) {}
  void output(const tcp::AddressedSegment& s) override {
    network_->send(node_, net::make_packet(sim::Ipv4Address{s.src_host},
                                           sim::Ipv4Address{s.dst_host}, s.segment));
  }

 private:
  net::TcpNetwork* network_;
  sim::NodeId node_;
};

// One node: its TCP host, wired to the network both ways, and its apps' reactions.
struct Node final : tcp::HostObserver {
  Node(Run& r, std::size_t i, std::string n, net::TcpNetwork& network, sim::NodeId node)
      : run(&r), index(i), name(std::move(n)), output(network, node) {}
  void on_notification(tcp::ConnId id, tcp::Notification what) override;
  void on_packet(const net::TcpPacket& p) {
    host->receive(tcp::AddressedSegment{p.src.value, p.dst.value, p.payload});
  }

  Run* run;
  std::size_t index;
  std::string name;
  HostOutput output;
  std::unique_ptr<tcp::TcpHost> host;
};

// A connection's bookkeeping beyond its result: who holds it and what its apps still owe.
struct Tracked {
  ConnectionResult result;
  std::size_t client_node = 0;
  std::size_t server_node = 0;
  tcp::ConnId client_conn = 0;
  tcp::ConnId server_conn = 0;
  std::uint64_t request_bytes = 0;
  std::uint64_t response_bytes = 0;
  bool responded = false;
  bool client_closed = false;
  bool server_closed = false;
};

class Run {
 public:
  Run(const Scenario& s, const RunSetup& setup)
      : scenario_(s),
        setup_(setup),
        seed_(run_seed(s.seed, setup.point, setup.replication)),
        profile_(make_profile(s.tcp)),
        counter_(setup.packet_counts),
        tcp_trace_(setup.keep_traces ? sim::Trace<tcp::TcpRecord>{&tcp_sink_}
                                     : sim::Trace<tcp::TcpRecord>{}) {
    SinkHook pcap;
    if (!setup.pcap_dir.empty() && s.outputs.pcap.enabled)
      pcap = [&](const sim::Topology& topology,
                 std::vector<sim::TraceSink<net::PacketRecord>*>& sinks) {
        auto opened = net::PcapCaptures::open(setup.pcap_dir, topology, pcap_options(s, topology));
        if (auto* error = std::get_if<net::PcapError>(&opened)) throw OutputError(error->message());
        captures_ = std::get<net::PcapCaptures>(std::move(opened));
        for (auto* sink : captures_->sinks()) sinks.push_back(sink);
      };
    built_ = build_network(
        s, scheduler_, seed_,
        packet_sinks(setup.keep_traces, packet_sink_, counter_, !setup.packet_counts.empty()),
        pcap);
    for (std::size_t i = 0; i < s.nodes.size(); ++i) {
      const sim::NodeId id = built_.nodes[i];
      auto node = std::make_unique<Node>(*this, i, s.nodes[i], *built_.network, id);
      tcp::HostConfig config;
      config.name = s.nodes[i];
      config.address = built_.network->topology().node(id).address.value;
      config.profile = &profile_;
      config.seed = seed_;
      if (s.tcp.isn) config.fixed_isn = static_cast<std::uint32_t>(*s.tcp.isn);
      node->host =
          std::make_unique<tcp::TcpHost>(scheduler_, config, node->output, &tcp_trace_, node.get());
      built_.network->attach(id, sim::PacketHook<tcp::Segment>::bind<&Node::on_packet>(*node));
      nodes_.push_back(std::move(node));
    }
  }

  RunResult run() {
    for (const ListenApp& listen : scenario_.listens) {
      const tcp::ListenError e =
          node(listen.at.node)
              .host->listen(listen.at.port, static_cast<std::uint32_t>(listen.backlog));
      SYNLAB_ASSERT(e == tcp::ListenError::Ok,
                    "listen: the loader refuses two listeners on one port");
    }
    for (std::size_t i = 0; i < scenario_.connects.size(); ++i)
      scheduler_.schedule_at(sim::at(scenario_.connects[i].start), [this, i] { open(i, 0); });
    if (scenario_.stop > sim::Duration::zero())
      scheduler_.run_until(sim::at(scenario_.stop));
    else
      scheduler_.run();

    RunResult result;
    result.point = setup_.point;
    result.replication = setup_.replication;
    result.seed = seed_;
    result.end_time = scheduler_.now();
    result.events = scheduler_.counters().executed;
    for (Tracked& t : tracked_) {  // connections still open when the run ended
      capture_client(t);
      capture_server(t);
      result.connections.push_back(t.result);
    }
    if (captures_) {
      const std::vector<net::PcapError> errors = captures_->finish();
      if (!errors.empty()) throw OutputError(errors.front().message());
    }
    result.packets = std::move(packet_sink_.records);
    result.packet_counts = counter_.counts();
    result.tcp = std::move(tcp_sink_.records);
    for (const auto& [key, row] : ever_)
      result.conn_ids.push_back({{nodes_[key.first]->name, key.second}, tracked_[row].result.id});
    return result;
  }

  void on_notification(Node& n, tcp::ConnId id, tcp::Notification what) {
    const tcp::TcpEndpoint* endpoint = n.host->endpoint(id);
    if (endpoint == nullptr) return;
    std::optional<std::size_t> row = find(n.index, id);
    if (!row && endpoint->passive()) row = adopt(n, id, *endpoint);
    if (!row) return;
    Tracked& t = tracked_[*row];
    if (n.index == t.client_node && id == t.client_conn)
      on_client(n, t, what);
    else
      on_server(n, t, what, *endpoint);
  }

 private:
  Node& node(const std::string& name) {
    for (auto& n : nodes_)
      if (n->name == name) return *n;
    SYNLAB_ASSERT(false, "Run::node: the loader checked every node name");
    return *nodes_.front();
  }

  std::optional<std::size_t> find(std::size_t node_index, tcp::ConnId id) const {
    const auto it = by_conn_.find({node_index, id});
    if (it == by_conn_.end()) return std::nullopt;
    return it->second;
  }

  // A server's passive child: the connection whose client this is (by 4-tuple).
  std::optional<std::size_t> adopt(Node& n, tcp::ConnId id, const tcp::TcpEndpoint& e) {
    const auto it = by_tuple_.find(
        {e.tcb().remote.host, e.tcb().remote.port, e.tcb().local.host, e.tcb().local.port});
    if (it == by_tuple_.end()) return std::nullopt;
    Tracked& t = tracked_[it->second];
    if (t.server_conn != 0) return std::nullopt;  // an old child of a reused 4-tuple
    t.server_node = n.index;
    t.server_conn = id;
    by_conn_[{n.index, id}] = it->second;
    ever_[{n.index, id}] = it->second;
    return it->second;
  }

  // Opens connection `k` of connect line `line`, then schedules the next one.
  void open(std::size_t line, std::uint64_t k) {
    const ConnectApp& app = scenario_.connects[line];
    Node& client = node(app.from);
    Node& server = node(app.to.node);
    Tracked t;
    t.result.id = tracked_.size() + 1;
    t.result.client = app.from;
    t.result.server = app.to.node;
    t.result.server_port = app.to.port;
    t.result.open_time = scheduler_.now();
    t.client_node = client.index;
    t.server_node = server.index;
    t.request_bytes = app.request_bytes;
    t.response_bytes = app.response_bytes;
    const tcp::HostAddress server_address = server.host->address();
    const auto opened =
        client.host->connect(tcp::SocketAddress{server_address, app.to.port}, app.from_port);
    const std::size_t row = tracked_.size();
    if (opened.error == tcp::ConnectError::Ok) {
      t.client_conn = opened.id;
      const tcp::TcpEndpoint* e = client.host->endpoint(opened.id);
      t.result.client_port = e != nullptr ? e->tcb().local.port : app.from_port;
      by_conn_[{client.index, opened.id}] = row;
      ever_[{client.index, opened.id}] = row;
      by_tuple_[{client.host->address(), t.result.client_port, server_address, app.to.port}] = row;
    } else {
      t.result.client_port = app.from_port;
      t.result.error = std::string(tcp::to_string(opened.error));
    }
    tracked_.push_back(std::move(t));
    if (k + 1 < app.count)
      scheduler_.schedule_in(app.interval, [this, line, k] { open(line, k + 1); });
  }

  void send(Node& n, tcp::ConnId id, std::uint64_t bytes) {
    if (bytes > 0) (void)n.host->send(id, static_cast<std::uint32_t>(bytes));
  }
  void close(Node& n, tcp::ConnId id, bool& closed) {
    if (closed) return;
    closed = true;
    (void)n.host->close(id);
  }

  void on_client(Node& n, Tracked& t, tcp::Notification what) {
    const tcp::TcpEndpoint* e = n.host->endpoint(t.client_conn);
    switch (what) {
      case tcp::Notification::Established:
        capture_client(t);
        send(n, t.client_conn, t.request_bytes);
        if (t.response_bytes == 0)
          close(n, t.client_conn, t.client_closed);  // FIN after the request
        return;
      case tcp::Notification::DataReceived:
        if (e->bytes_received() >= t.response_bytes) close(n, t.client_conn, t.client_closed);
        return;
      case tcp::Notification::PeerClosed:
        close(n, t.client_conn, t.client_closed);
        return;
      case tcp::Notification::Refused:
      case tcp::Notification::TimedOut:
      case tcp::Notification::Reset:
      case tcp::Notification::Closed:
        capture_client(t);
        by_conn_.erase({n.index, t.client_conn});
        n.host->release(t.client_conn);
        t.client_conn = 0;
        return;
      case tcp::Notification::ReturnedToListen:
      case tcp::Notification::DataAcked:
        return;
    }
  }

  void on_server(Node& n, Tracked& t, tcp::Notification what, const tcp::TcpEndpoint& e) {
    switch (what) {
      case tcp::Notification::Established:
        capture_server(t);
        (void)n.host->accept(e.tcb().local.port);  // the server app accepts at once
        if (t.request_bytes == 0 && !t.responded) {
          t.responded = true;
          send(n, t.server_conn, t.response_bytes);
        }
        return;
      case tcp::Notification::DataReceived:
        if (!t.responded && e.bytes_received() >= t.request_bytes) {
          t.responded = true;
          send(n, t.server_conn, t.response_bytes);
        }
        return;
      case tcp::Notification::PeerClosed:
        close(n, t.server_conn, t.server_closed);  // FIN after the response
        return;
      case tcp::Notification::Refused:
      case tcp::Notification::TimedOut:
      case tcp::Notification::Reset:
      case tcp::Notification::Closed:
        capture_server(t);
        by_conn_.erase({n.index, t.server_conn});
        n.host->release(t.server_conn);
        t.server_conn = 0;
        return;
      case tcp::Notification::ReturnedToListen:
      case tcp::Notification::DataAcked:
        return;
    }
  }

  void capture_client(Tracked& t) {
    if (t.client_conn == 0) return;
    const tcp::TcpEndpoint* e = nodes_[t.client_node]->host->endpoint(t.client_conn);
    if (e == nullptr) return;
    const tcp::ConnectionStats& s = e->stats();
    t.result.syns_sent = s.syns_sent;
    t.result.outcome = s.outcome;
    if (s.reached_established) t.result.client_established = s.established_time;
  }

  void capture_server(Tracked& t) {
    if (t.server_conn == 0) return;
    const tcp::TcpEndpoint* e = nodes_[t.server_node]->host->endpoint(t.server_conn);
    if (e == nullptr) return;
    const tcp::ConnectionStats& s = e->stats();
    t.result.synacks_sent = s.synacks_sent;
    if (s.reached_established) t.result.server_established = s.established_time;
  }

  const Scenario& scenario_;
  RunSetup setup_;
  std::uint64_t seed_;
  tcp::Profile profile_;
  sim::Scheduler scheduler_;
  sim::MemorySink<net::PacketRecord> packet_sink_;
  sim::MemorySink<tcp::TcpRecord> tcp_sink_;
  PacketCounter counter_;
  sim::Trace<tcp::TcpRecord> tcp_trace_;
  std::optional<net::PcapCaptures> captures_;  // outlives the network (declared before it)
  BuiltNetwork built_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::vector<Tracked> tracked_;
  std::map<std::pair<std::size_t, tcp::ConnId>, std::size_t> by_conn_;  // live connections
  std::map<std::pair<std::size_t, tcp::ConnId>, std::size_t> ever_;     // every one, for traces
  std::map<std::tuple<tcp::HostAddress, std::uint16_t, tcp::HostAddress, std::uint16_t>,
           std::size_t>
      by_tuple_;
};

void Node::on_notification(tcp::ConnId id, tcp::Notification what) {
  run->on_notification(*this, id, what);
}

}  // namespace

RunResult simulate(const Scenario& scenario, const RunSetup& setup) {
  Run run(scenario, setup);
  return run.run();
}

}  // namespace synlab::app
