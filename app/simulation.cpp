// Runs one scenario (see simulation.hpp).
#include "app/simulation.hpp"

#include <algorithm>
#include <memory>
#include <new>
#include <stdexcept>
#include <utility>
#include <vector>

#include "app/csv_writers.hpp"
#include "app/huge_pages.hpp"
#include "app/network_builder.hpp"
#include "app/output_dir.hpp"
#include "models/apps/request_response.hpp"
#include "models/net/pcap_captures.hpp"
#include "models/node/node.hpp"
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
  if (spec.syncookies) p.syncookies = static_cast<std::uint8_t>(*spec.syncookies);
  if (spec.timer_slack) {
    p.timer_slack = *spec.timer_slack;
    // The wheel's jiffy is also the "fire at once" timer of the user timeout (profile.hpp).
    if (*spec.timer_slack != tcp::TimerSlack::None) p.jiffy = tcp::jiffy_of(*spec.timer_slack);
  }
  return p;
}

std::uint64_t run_seed(std::uint64_t scenario_seed, std::uint64_t point,
                       std::uint64_t replication) {
  return sim::derive_seed(sim::derive_seed(scenario_seed, point), replication);
}

namespace {

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

// One run: the network, a node stack per node, the scenario's applications, and where their
// records go.
class Run final : public ConnectionNames, public apps::ConnectionSink {
 public:
  Run(const Scenario& s, const RunSetup& setup)
      : scenario_(s),
        setup_(setup),
        seed_(run_seed(s.seed, setup.point, setup.replication)),
        profile_(make_profile(s.tcp)),
        counter_(setup.packet_counts),
        // The clients hold their connections through TIME-WAIT only when something will ask
        // for them then: the trace files name each record's connection, an injected segment
        // speaks for one of its ends.
        apps_(scheduler_, *this,
              setup.packets_csv == nullptr && setup.states_csv == nullptr && s.injects.empty()
                  ? apps::AfterClose::LetGo
                  : apps::AfterClose::Hold) {
    // Room for every connection's handshake time at once: grown by doubling, the times were
    // copied about once more and their memory touched twice (10^7 connections: 80 MB). Only
    // address space until a time is written; without that much of it (a ulimit -v), the vector
    // grows as before. What the run leaves unused is given back at its end (run()).
    std::vector<std::int64_t>& times = result_.tally.times_ns;
    try {
      times.reserve(s.connections());
      advise_huge_pages(times.data(), times.capacity() * sizeof(std::int64_t));
    } catch (const std::bad_alloc&) {
    } catch (const std::length_error&) {
    }
    if (setup.packets_csv != nullptr)
      packets_csv_.emplace(*setup.packets_csv, s, *this, setup.trace_formatting);
    if (setup.states_csv != nullptr)
      states_csv_.emplace(*setup.states_csv, s, *this, setup.trace_formatting);
    std::vector<sim::TraceSink<tcp::TcpRecord>*> tcp_sinks;
    if (setup.keep_traces) tcp_sinks.push_back(&tcp_memory_);
    if (states_csv_) tcp_sinks.push_back(&*states_csv_);
    // states.csv alone takes the state changes only: the other records (segments, timers and
    // outcomes, 15 of a handshake's 26) are not built.
    tcp_trace_ = sim::Trace<tcp::TcpRecord>(
        std::move(tcp_sinks),
        setup.keep_traces ? sim::all_trace_kinds : sim::trace_kind(tcp::RecordKind::State));
    std::vector<sim::TraceSink<net::PacketRecord>*> packet_sinks;
    if (setup.keep_traces) packet_sinks.push_back(&packet_memory_);
    if (!setup.packet_counts.empty()) packet_sinks.push_back(&counter_);
    if (packets_csv_) packet_sinks.push_back(&*packets_csv_);
    SinkHook pcap;
    if (!setup.pcap_dir.empty() && s.outputs.pcap.enabled)
      pcap = [&](const sim::Topology& topology,
                 std::vector<sim::TraceSink<net::PacketRecord>*>& sinks) {
        auto opened = net::PcapCaptures::open(setup.pcap_dir, topology, pcap_options(s, topology));
        if (auto* error = std::get_if<net::PcapError>(&opened)) throw OutputError(error->message());
        captures_ = std::get<net::PcapCaptures>(std::move(opened));
        for (auto* sink : captures_->sinks()) sinks.push_back(sink);
      };
    built_ = build_network(s, scheduler_, seed_, std::move(packet_sinks), pcap);
    // tcp.shared_ticks: one phase for every node's timer wheel; otherwise each host draws its own.
    std::optional<sim::Duration> shared_uptime;
    if (s.tcp.shared_ticks)
      shared_uptime = tcp::draw_uptime(profile_.timer_slack, seed_, "tcp/timer-wheel");
    for (std::size_t i = 0; i < s.nodes.size(); ++i) {
      node::NodeConfig config;
      config.name = s.nodes[i];
      config.profile = &profile_;
      config.seed = seed_;
      config.index = static_cast<std::uint32_t>(i);
      config.uptime_at_zero = shared_uptime;
      if (s.tcp.isn) config.fixed_isn = static_cast<std::uint32_t>(*s.tcp.isn);
      nodes_.push_back(std::make_unique<node::Node>(scheduler_, *built_.network, built_.nodes[i],
                                                    std::move(config), &tcp_trace_));
    }
  }

  RunResult run() {
    for (const ListenApp& listen : scenario_.listens) {
      apps::ListenerLine line;
      line.server = &node(listen.at.node);
      line.port = listen.at.port;
      line.backlog = static_cast<std::uint32_t>(listen.backlog);
      switch (listen.accept.kind) {
        case AcceptSpec::Kind::Now:
          line.accept_delay = sim::Duration::zero();
          break;
        case AcceptSpec::Kind::Delay:
          line.accept_delay = listen.accept.delay;
          break;
        case AcceptSpec::Kind::Never:
          line.accept_delay = std::nullopt;
          break;
      }
      line.close_at = listen.close_at;
      const tcp::ListenError e = apps_.listen(line);
      SYNLAB_ASSERT(e == tcp::ListenError::Ok,
                    "listen: the loader refuses two listeners on one port");
    }
    // Before the clients' opens: a crash or reboot at an open's instant comes first.
    for (const CrashSpec& c : scenario_.crashes) {
      node::Node* n = &node(c.node);
      scheduler_.schedule_at(sim::at(c.at), [n] { n->crash(); });
      if (c.reboot_at)
        scheduler_.schedule_at(sim::at(*c.reboot_at), [this, n] {
          n->reboot();
          apps_.restart(*n);
        });
    }
    for (const ConnectApp& c : scenario_.connects) {
      apps::ClientLine line;
      line.client = &node(c.from);
      line.server = &node(c.to.node);
      line.server_port = c.to.port;
      line.client_port = c.from_port;
      line.count = c.count;
      line.start = c.start;
      line.interval = c.interval;
      line.request_bytes = c.request_bytes;
      line.response_bytes = c.response_bytes;
      for (const SendSpec& send : c.sends)
        line.sends.push_back({send.at, static_cast<std::uint32_t>(send.bytes)});
      line.close_at = c.close_at;
      line.abort_at = c.abort_at;
      apps_.add_client(line);
    }
    for (const InjectSpec& x : scenario_.injects)
      scheduler_.schedule_at(sim::at(x.at), [this, &x] { inject(x); });
    scheduler_.set_event_budget(setup_.max_events);
    if (scenario_.stop > sim::Duration::zero())
      scheduler_.run_until(sim::at(scenario_.stop));
    else
      scheduler_.run();
    apps_.finish();  // the connections still open when the run ended
    // Most connections without a handshake time (refused, timed out, never opened): the room
    // kept for them goes, as a sweep keeps each point's times to its end.
    std::vector<std::int64_t>& times = result_.tally.times_ns;
    if (times.size() < times.capacity() / 2) times.shrink_to_fit();

    result_.point = setup_.point;
    result_.replication = setup_.replication;
    result_.seed = seed_;
    result_.end_time = scheduler_.now();
    result_.events = scheduler_.counters().executed;
    for (const auto& n : nodes_) result_.hosts.push_back(n->tcp().counters());
    if (captures_) {
      result_.pcap_past_last_second = captures_->past_last_second();
      const std::vector<net::PcapError> errors = captures_->finish();
      if (!errors.empty()) throw OutputError(errors.front().message());
    }
    if (packets_csv_) packets_csv_->finish();
    if (states_csv_) states_csv_->finish();
    result_.packets = std::move(packet_memory_.records);
    result_.packet_counts = counter_.counts();
    result_.tcp = std::move(tcp_memory_.records);
    return std::move(result_);
  }

  // A connection has its id: name what connect() traced.
  void on_open(const apps::ConnectionRecord& r) override {
    if (packets_csv_) packets_csv_->release_held();
    if (states_csv_) states_csv_->release_held();
    if (setup_.connections != nullptr) setup_.connections->on_open(r);
  }

  // Each connection's final record, in id order.
  void on_connection(const apps::ConnectionRecord& r) override {
    result_.tally.add(r.outcome, r.handshake_time());
    result_.connections_opened = r.id;
    if (setup_.connections != nullptr) {
      setup_.connections->on_connection(r);
      if (!std::binary_search(setup_.keep.begin(), setup_.keep.end(), r.id)) return;
    }
    ConnectionResult c;
    static_cast<apps::ConnectionRecord&>(c) = r;
    c.client = scenario_.nodes[r.client_node];
    c.server = scenario_.nodes[r.server_node];
    result_.connections.push_back(std::move(c));
  }

  std::uint64_t by_sockets(tcp::SocketAddress client, tcp::SocketAddress server) const override {
    return apps_.connection_at(client, server);
  }
  std::uint64_t by_host(std::size_t n, tcp::ConnId id) const override {
    return n < nodes_.size() ? apps_.connection_of(*nodes_[n], id) : 0;
  }

 private:
  // Sends the crafted segment `x` from its end of its connection, if that connection is open
  // (docs/scenario-format.md#injected-segments). Its numbers are relative to the ISNs, as
  // packetdrill's and packets.csv's rel_seq: the sender's for seq, the receiver's for ack.
  void inject(const InjectSpec& x) {
    if (x.conn == 0) {  // the sockets form: numbers as written
      node::Node& from = node(x.src.node);
      send_crafted(x, from, node(x.dst.node), x.src.port, x.dst.port, 0, 0);
      return;
    }
    const std::optional<apps::ConnectionEnds> ends = apps_.ends(x.conn);
    if (!ends) return;  // not opened yet, or both ends gone: no sockets to speak for
    const tcp::TcpEndpoint* client =
        ends->client_conn != 0 ? ends->client->tcp().endpoint(ends->client_conn) : nullptr;
    const tcp::TcpEndpoint* server =
        ends->server_conn != 0 ? ends->server->tcp().endpoint(ends->server_conn) : nullptr;
    // Each ISN from its own end's TCB, or else from the other end's (its IRS).
    const std::uint32_t client_isn = client != nullptr   ? client->tcb().iss.value()
                                     : server != nullptr ? server->tcb().irs.value()
                                                         : 0;
    const std::uint32_t server_isn = server != nullptr   ? server->tcb().iss.value()
                                     : client != nullptr ? client->tcb().irs.value()
                                                         : 0;
    if (x.from_server)
      send_crafted(x, *ends->server, *ends->client, ends->server_port, ends->client_port,
                   server_isn, client_isn);
    else
      send_crafted(x, *ends->client, *ends->server, ends->client_port, ends->server_port,
                   client_isn, server_isn);
  }

  // Sends `x`'s segment from `from`:`from_port` to `to`:`to_port`, its seq counted from
  // `from_isn` and its ack from `to_isn`.
  void send_crafted(const InjectSpec& x, node::Node& from, const node::Node& to,
                    std::uint16_t from_port, std::uint16_t to_port, std::uint32_t from_isn,
                    std::uint32_t to_isn) {
    const drill::PacketSpec& p = x.packet;
    tcp::AddressedSegment a;
    a.src_host = from.address();
    a.dst_host = to.address();
    tcp::Segment& s = a.segment;
    s.src_port = from_port;
    s.dst_port = to_port;
    s.flags = p.flags;
    s.seq = tcp::SeqNum(from_isn + p.seq_start);
    if (p.ack) s.ack = tcp::SeqNum(to_isn + *p.ack);
    s.window = p.window.value_or(0);
    s.payload_bytes = p.length;
    for (const drill::OptionToken& o : p.options) {
      switch (o.kind) {
        case drill::OptionKind::Nop:
        case drill::OptionKind::Eol:
          break;
        case drill::OptionKind::Mss:
          s.options.mss = static_cast<std::uint16_t>(o.value);
          break;
        case drill::OptionKind::SackPermitted:
          s.options.sack_permitted = true;
          break;
        case drill::OptionKind::WindowScale:
          s.options.window_scale = static_cast<std::uint8_t>(o.value);
          break;
        case drill::OptionKind::Timestamp:
          s.options.timestamps = tcp::Timestamps{o.value, o.ecr};
          break;
      }
    }
    if (packets_csv_) packets_csv_->mark_injected(built_.network->next_packet_id());
    from.inject(a);
  }

  node::Node& node(const std::string& name) {
    for (auto& n : nodes_)
      if (n->name() == name) return *n;
    SYNLAB_ASSERT(false, "Run::node: the loader checked every node name");
    return *nodes_.front();
  }

  const Scenario& scenario_;
  const RunSetup& setup_;
  std::uint64_t seed_;
  tcp::Profile profile_;
  sim::Scheduler scheduler_;
  sim::MemorySink<net::PacketRecord> packet_memory_;
  sim::MemorySink<tcp::TcpRecord> tcp_memory_;
  PacketCounter counter_;
  std::optional<PacketsCsv> packets_csv_;
  std::optional<StatesCsv> states_csv_;
  sim::Trace<tcp::TcpRecord> tcp_trace_;
  std::optional<net::PcapCaptures> captures_;  // outlives the network (declared before it)
  BuiltNetwork built_;
  std::vector<std::unique_ptr<node::Node>> nodes_;
  apps::RequestResponse apps_;  // declared after the nodes: gone before them
  RunResult result_;
};

}  // namespace

RunResult simulate(const Scenario& scenario, const RunSetup& setup) {
  Run run(scenario, setup);
  return run.run();
}

}  // namespace synlab::app
