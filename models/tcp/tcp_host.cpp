// TcpHost: demultiplexing, listeners' queues, timers and the output hook (tcp_host.hpp).
#include "models/tcp/tcp_host.hpp"

#include <algorithm>

#include "sim/assert.hpp"
#include "sim/random_stream.hpp"

namespace synlab::tcp {

std::string_view to_string(ConnectError e) noexcept {
  switch (e) {
    case ConnectError::Ok:
      return "ok";
    case ConnectError::PortInUse:
      return "port-in-use";
    case ConnectError::NoPortLeft:
      return "no-port-left";
  }
  return "?";
}

std::string_view to_string(ListenError e) noexcept {
  switch (e) {
    case ListenError::Ok:
      return "ok";
    case ListenError::PortInUse:
      return "port-in-use";
  }
  return "?";
}

// One connection: the endpoint, its Effects binding and its timers.
class TcpHost::Connection final : public Effects {
 public:
  Connection(TcpHost& host, ConnId id, TcpEndpoint::Start start, SocketAddress local)
      : host_(&host),
        id_(id),
        endpoint_(host.context_, *this, id, start, local),
        retransmission_timer_(*host.scheduler_,
                              [this] { host_->on_timer(*this, TimerKind::Retransmission); }),
        time_wait_timer_(*host.scheduler_,
                         [this] { host_->on_timer(*this, TimerKind::TimeWait); }) {}

  void send(const Segment& segment, HostAddress to) override {
    ++host_->counters_.segments_sent;
    host_->output_->output(AddressedSegment{host_->config_.address, to, segment});
  }
  void arm_timer(TimerKind t, sim::Time deadline) override { timer(t).arm_at(deadline); }
  void cancel_timer(TimerKind t) override { timer(t).cancel(); }
  void notify(Notification n) override { host_->on_notify(*this, n); }
  bool may_complete_passive_open() override { return host_->accept_queue_has_room(*this); }

  sim::Timer& timer(TimerKind t) {
    return t == TimerKind::Retransmission ? retransmission_timer_ : time_wait_timer_;
  }

  TcpHost* host_;
  ConnId id_;
  std::uint16_t listener_port_ = 0;  // a passive child of this listener port (0: none)
  bool half_open_ = false;           // counted in its listener's SYN queue
  bool queued_ = false;              // in its listener's accept queue
  bool demuxed_ = false;             // in demux_
  bool listening_ = false;           // a listener (in listeners_)
  TcpEndpoint endpoint_;
  sim::Timer retransmission_timer_;
  sim::Timer time_wait_timer_;
};

TcpHost::TcpHost(sim::Scheduler& scheduler, HostConfig config, SegmentOutput& output,
                 const sim::Trace<TcpRecord>* trace, HostObserver* observer)
    : scheduler_(&scheduler),
      config_(std::move(config)),
      output_(&output),
      trace_(trace),
      observer_(observer),
      isn_([&] {
        sim::RandomStream key(config_.seed, "tcp/isn/" + config_.name);
        return (std::uint64_t{key()} << 32u) | key();
      }()),
      context_{config_.profile, trace, IsnSource{&isn_, config_.fixed_isn}, NodeName(config_.name)},
      next_port_(config_.first_ephemeral_port) {
  SYNLAB_ASSERT(config_.profile != nullptr, "TcpHost: no profile");
}

TcpHost::~TcpHost() = default;

std::size_t TcpHost::connection_object_bytes() noexcept {
  return sizeof(Connection);
}

TcpHost::Connection& TcpHost::create(TcpEndpoint::Start start, SocketAddress local) {
  const ConnId id = next_id_++;
  SYNLAB_ASSERT(id != 0, "TcpHost: 2^32 - 1 connection ids used up");
  const std::size_t page = (id - 1) >> page_bits;
  if (page == pages_.size()) {
    // The page before stops taking ids: free it now if its connections are all released.
    if (page > 0 && pages_[page - 1] != nullptr && pages_[page - 1]->live == 0)
      pages_[page - 1].reset();
    pages_.emplace_back(std::make_unique<Page>());
  }
  Page& p = *pages_[page];
  auto& slot = p.slots[(id - 1) & ((1u << page_bits) - 1)];
  slot = std::make_unique<Connection>(*this, id, start, local);
  ++p.live;
  ++live_;
  return *slot;
}

TcpHost::Connection* TcpHost::find(ConnId id) const {
  if (id == 0) return nullptr;
  const std::size_t page = (id - 1) >> page_bits;
  if (page >= pages_.size() || pages_[page] == nullptr) return nullptr;
  return pages_[page]->slots[(id - 1) & ((1u << page_bits) - 1)].get();
}

std::size_t TcpHost::DemuxHash::operator()(const DemuxKey& k) const noexcept {
  // The 4-tuple's 64 bits through SplitMix64's finalizer: every input bit reaches every bucket
  // bit, so sequential ephemeral ports spread evenly.
  return static_cast<std::size_t>(sim::mix64((std::uint64_t{std::get<0>(k)} << 48u) |
                                             (std::uint64_t{std::get<2>(k)} << 32u) |
                                             std::get<1>(k)));
}

const TcpEndpoint* TcpHost::endpoint(ConnId id) const {
  const Connection* c = find(id);
  return c == nullptr ? nullptr : &c->endpoint_;
}

std::size_t TcpHost::accept_queue_length(std::uint16_t port) const {
  const auto it = listeners_.find(port);
  return it == listeners_.end() ? 0 : it->second.accept_queue.size();
}

// --- User calls ------------------------------------------------------------------------------

TcpHost::ConnectResult TcpHost::connect(SocketAddress remote, std::uint16_t local_port) {
  bury();
  if (local_port == 0) {
    // The next ephemeral port not used towards this remote socket, deterministic.
    for (std::uint32_t tries = 0; tries < 0x10000u; ++tries) {
      const std::uint16_t p = next_port_;
      next_port_ = static_cast<std::uint16_t>(next_port_ == 0xffff ? config_.first_ephemeral_port
                                                                   : next_port_ + 1);
      if (p != 0 && !listeners_.contains(p) && !demux_.contains({p, remote.host, remote.port})) {
        local_port = p;
        break;
      }
    }
    if (local_port == 0) return {ConnectError::NoPortLeft, 0};
  } else if (demux_.contains({local_port, remote.host, remote.port})) {
    return {ConnectError::PortInUse, 0};
  }
  const SocketAddress local{config_.address, local_port};
  Connection& c = create(TcpEndpoint::Start::Closed, local);
  demux_.emplace(DemuxKey{local_port, remote.host, remote.port}, c.id_);
  c.demuxed_ = true;
  const UserError e = c.endpoint_.connect(now(), local, remote);
  SYNLAB_ASSERT(e == UserError::Ok, "TcpHost::connect: a new endpoint refused connect()");
  dispatch();
  return {ConnectError::Ok, c.id_};
}

ListenError TcpHost::listen(std::uint16_t port, std::uint32_t backlog) {
  bury();
  if (listeners_.contains(port)) return ListenError::PortInUse;
  Connection& c = create(TcpEndpoint::Start::Closed, {});
  const UserError e = c.endpoint_.listen(now(), SocketAddress{config_.address, port});
  SYNLAB_ASSERT(e == UserError::Ok, "TcpHost::listen: a new endpoint refused listen()");
  c.listening_ = true;
  listeners_.emplace(port, Listener{c.id_, backlog, 0, {}});
  dispatch();
  return ListenError::Ok;
}

std::optional<ConnId> TcpHost::accept(std::uint16_t port) {
  const auto it = listeners_.find(port);
  if (it == listeners_.end() || it->second.accept_queue.empty()) return std::nullopt;
  const ConnId id = it->second.accept_queue.front();
  it->second.accept_queue.erase(it->second.accept_queue.begin());
  if (Connection* c = find(id)) c->queued_ = false;
  return id;
}

UserError TcpHost::send(ConnId id, std::uint32_t bytes) {
  bury();
  Connection* c = find(id);
  if (c == nullptr) return UserError::NotConnected;
  const UserError e = c->endpoint_.send(now(), bytes);
  dispatch();
  return e;
}

UserError TcpHost::close(ConnId id) {
  bury();
  Connection* c = find(id);
  if (c == nullptr) return UserError::NotConnected;
  const UserError e = c->endpoint_.close(now());
  if (c->endpoint_.state() == State::Closed) unlink(*c);
  dispatch();
  return e;
}

void TcpHost::abort(ConnId id) {
  bury();
  Connection* c = find(id);
  if (c == nullptr) return;
  c->endpoint_.abort(now());
  unlink(*c);
  dispatch();
}

void TcpHost::release(ConnId id) {
  Connection* c = find(id);
  if (c == nullptr) return;
  unlink(*c);
  // Its timers may be running this very call chain: cancel now, destroy at the next entry.
  c->retransmission_timer_.cancel();
  c->time_wait_timer_.cancel();
  const std::size_t page = (id - 1) >> page_bits;
  Page& p = *pages_[page];
  graveyard_.push_back(std::move(p.slots[(id - 1) & ((1u << page_bits) - 1)]));
  --live_;
  // A page no id will be taken from again goes once its last connection is released.
  if (--p.live == 0 && page + 1 < pages_.size()) pages_[page].reset();
}

void TcpHost::bury() {
  if (!dispatching_) graveyard_.clear();
}

// --- Bookkeeping -----------------------------------------------------------------------------

void TcpHost::unlink(Connection& c) {
  if (c.demuxed_) {
    const Tcb& t = c.endpoint_.tcb();
    demux_.erase(DemuxKey{t.local.port, t.remote.host, t.remote.port});
    c.demuxed_ = false;
  }
  if (c.listener_port_ != 0) {
    const auto it = listeners_.find(c.listener_port_);
    if (it != listeners_.end()) {
      Listener& l = it->second;
      if (c.half_open_) --l.half_open;
      if (c.queued_) std::erase(l.accept_queue, c.id_);
    }
    c.half_open_ = false;
    c.queued_ = false;
  }
  if (c.listening_) {
    listeners_.erase(c.endpoint_.tcb().local.port);
    c.listening_ = false;
  }
}

void TcpHost::on_notify(Connection& c, Notification n) {
  switch (n) {
    case Notification::Established:
      if (c.half_open_) {
        // Linux: the child joins the accept queue (inet_csk_complete_hashdance()).
        // A child the user closed in SYN-RECEIVED (now FIN-WAIT-1, §3.10.4) only leaves the
        // SYN queue.
        const auto it = listeners_.find(c.listener_port_);
        if (it != listeners_.end()) {
          --it->second.half_open;
          if (c.endpoint_.state() == State::Established) {
            it->second.accept_queue.push_back(c.id_);
            c.queued_ = true;
          }
        }
        c.half_open_ = false;
      }
      break;
    case Notification::TimedOut:
      if (c.half_open_) ++counters_.requests_expired;
      unlink(c);
      break;
    case Notification::Refused:
    case Notification::Reset:
    case Notification::ReturnedToListen:  // the listener itself still listens
    case Notification::Closed:
      unlink(c);
      break;
    case Notification::DataReceived:
    case Notification::DataAcked:
    case Notification::PeerClosed:
      break;
  }
  pending_.emplace_back(c.id_, n);
}

bool TcpHost::accept_queue_has_room(const Connection& c) {
  if (c.listener_port_ == 0) return true;
  const auto it = listeners_.find(c.listener_port_);
  if (it == listeners_.end()) return true;
  // Linux: sk_acceptq_is_full(), as for SYNs (see receive()).
  if (it->second.accept_queue.size() <
      std::size_t{it->second.backlog} + config_.profile->accept_queue_extra)
    return true;
  ++counters_.listen_overflows;
  return false;
}

void TcpHost::dispatch() {
  if (dispatching_) return;
  dispatching_ = true;
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const auto [id, n] = pending_[i];
    if (observer_ != nullptr) observer_->on_notification(id, n);
  }
  pending_.clear();
  dispatching_ = false;
}

void TcpHost::on_timer(Connection& c, TimerKind t) {
  bury();
  c.endpoint_.on_timer(now(), t);
  dispatch();
}

void TcpHost::trace_host_drop(const Segment& seg, ConnId conn, DropReason why) const {
  if (trace_ == nullptr) return;
  trace_->write_with([&] {
    TcpRecord r;
    r.time_ns = sim::to_ns(now());
    r.node = context_.node;
    r.conn = conn;
    r.kind = RecordKind::Drop;
    r.reason = why;
    r.set_segment(seg);
    return r;
  });
}

void TcpHost::trace_host_segment(RecordKind kind, const Segment& seg) const {
  if (trace_ == nullptr) return;
  trace_->write_with([&] {
    TcpRecord r;
    r.time_ns = sim::to_ns(now());
    r.node = context_.node;
    r.conn = 0;
    r.kind = kind;
    r.set_segment(seg);
    return r;
  });
}

// --- Segment arrival: demultiplexing (RFC 9293 §3.10.7) --------------------------------------

void TcpHost::receive(const AddressedSegment& in) {
  bury();
  ++counters_.segments_received;
  const Segment& seg = in.segment;
  if (const ConnId* id = demux_.find(DemuxKey{seg.dst_port, in.src_host, seg.src_port})) {
    find(*id)->endpoint_.on_segment(now(), seg, in.src_host);
    dispatch();
    return;
  }
  if (const auto it = listeners_.find(seg.dst_port); it != listeners_.end()) {
    Listener& l = it->second;
    Connection& listener = *find(l.id);
    const bool opens =
        seg.flags.has(Flag::Syn) && !seg.flags.has(Flag::Ack) && !seg.flags.has(Flag::Rst);
    if (!opens) {
      // §3.10.7.2 on the listening TCB: RST ignored, ACK answered with RST, the rest dropped.
      listener.endpoint_.on_segment(now(), seg, in.src_host);
      dispatch();
      return;
    }
    const Profile& p = *config_.profile;
    // Linux: tcp_conn_request(): "if (sk_acceptq_is_full(sk)) { LISTENOVERFLOWS; goto drop; }"
    // - a silent drop, so the client retries on its SYN schedule (reference, case h).
    if (l.accept_queue.size() >= std::size_t{l.backlog} + p.accept_queue_extra) {
      ++counters_.listen_overflows;
      trace_host_drop(seg, l.id, DropReason::AcceptQueueFull);
      return;
    }
    // Linux: inet_csk_reqsk_queue_is_full() (queue length > backlog), bounded by
    // tcp_max_syn_backlog. Deviation: SYN cookies are not modelled; the SYN is dropped.
    if (l.half_open >= std::min(l.backlog + p.accept_queue_extra, p.max_syn_backlog)) {
      ++counters_.syn_queue_drops;
      trace_host_drop(seg, l.id, DropReason::SynQueueFull);
      return;
    }
    // The listener forks a TCB for this SYN (§3.10.7.2; Linux's request socket).
    Connection& child =
        create(TcpEndpoint::Start::ListeningChild, SocketAddress{config_.address, seg.dst_port});
    child.listener_port_ = seg.dst_port;
    child.half_open_ = true;
    ++l.half_open;
    demux_.emplace(DemuxKey{seg.dst_port, in.src_host, seg.src_port}, child.id_);
    child.demuxed_ = true;
    if (observer_ != nullptr)
      observer_->on_passive_open(child.id_, SocketAddress{config_.address, seg.dst_port},
                                 SocketAddress{in.src_host, seg.src_port});
    child.endpoint_.on_segment(now(), seg, in.src_host);
    dispatch();
    return;
  }
  // §3.10.7.1: no TCB at all ("If the state is CLOSED (i.e., TCB does not exist)").
  trace_host_segment(RecordKind::Rx, seg);
  if (const auto rst = TcpEndpoint::reset_for_closed(seg)) {
    ++counters_.resets_for_no_tcb;
    ++counters_.segments_sent;
    trace_host_segment(RecordKind::Tx, *rst);
    output_->output(AddressedSegment{config_.address, in.src_host, *rst});
  } else {
    trace_host_drop(seg, 0, DropReason::RstIgnored);
  }
}

}  // namespace synlab::tcp
