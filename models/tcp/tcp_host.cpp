// TcpHost: demultiplexing, listeners' queues, timers and the output hook (tcp_host.hpp).
#include "models/tcp/tcp_host.hpp"

#include <algorithm>
#include <cstddef>
#include <new>

#include "sim/assert.hpp"
#include "sim/prefetch.hpp"
#include "sim/random_stream.hpp"

namespace synlab::tcp {
namespace {

// Freed connections' memory, kept for the next ones (see Connection::operator new): a list
// threaded through the blocks themselves, so keeping one never allocates. Per thread, as each
// simulation runs on one; what is left goes back to the heap when the thread ends.
class FreeBlocks {
 public:
  static constexpr std::size_t max_kept = 4096;
  static constexpr std::align_val_t align{64};  // the blocks' (Connection's) alignment

  FreeBlocks() = default;
  FreeBlocks(const FreeBlocks&) = delete;
  FreeBlocks& operator=(const FreeBlocks&) = delete;
  ~FreeBlocks() {
    while (head_ != nullptr) ::operator delete(take(), align);
    closed_ = true;  // a connection freed later still (a static host's) goes to the heap
  }

  void* take() noexcept {
    if (head_ == nullptr) return nullptr;
    Block* b = head_;
    head_ = b->next;
    --count_;
    return b;
  }
  // Keeps `p` (a block of at least sizeof(void*) bytes) unless max_kept are kept already.
  bool keep(void* p) noexcept {
    if (closed_ || count_ == max_kept) return false;
    head_ = ::new (p) Block{head_};
    ++count_;
    return true;
  }

 private:
  struct Block {
    Block* next;
  };
  Block* head_ = nullptr;
  std::size_t count_ = 0;
  bool closed_ = false;
};

thread_local FreeBlocks free_connections;

// Under AddressSanitizer every connection gets fresh memory, so a use after free is caught.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool recycle_connections = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool recycle_connections = false;
#else
constexpr bool recycle_connections = true;
#endif
#else
constexpr bool recycle_connections = true;
#endif

}  // namespace

std::string_view to_string(ConnectError e) noexcept {
  switch (e) {
    case ConnectError::Ok:
      return "ok";
    case ConnectError::PortInUse:
      return "port-in-use";
    case ConnectError::NoPortLeft:
      return "no-port-left";
    case ConnectError::HostDown:
      return "host-down";
  }
  return "?";
}

std::string_view to_string(ListenError e) noexcept {
  switch (e) {
    case ListenError::Ok:
      return "ok";
    case ListenError::PortInUse:
      return "port-in-use";
    case ListenError::HostDown:
      return "host-down";
  }
  return "?";
}

// One connection: the endpoint, its Effects binding and its timers.
// On a cache line's start: its first line holds what most events read (below).
class alignas(64) TcpHost::Connection final : public Effects {
 public:
  Connection(TcpHost& host, ConnId id, TcpEndpoint::Start start, SocketAddress local,
             const SocketOptions& options)
      : host_(&host), id_(id), endpoint_(host.context_, *this, id, start, local, options) {}
  Connection(const Connection&) = delete;  // its events name it
  Connection& operator=(const Connection&) = delete;
  // No event outlives its connection.
  ~Connection() override {
    cancel_timer(TimerKind::Retransmission);
    cancel_timer(TimerKind::TimeWait);
  }

  void send(const Segment& segment, HostAddress to) override {
    ++host_->counters_.segments_sent;
    host_->output_->output(AddressedSegment{host_->config_.address, to, segment});
  }
  void arm_timer(TimerKind t, sim::Time deadline) override {
    cancel_timer(t);
    timer(t) = host_->scheduler_->schedule_at(
        host_->wheel_.expiry(host_->now(), deadline, host_->in_timer_callback_), Fire{this, t});
  }
  void cancel_timer(TimerKind t) override {
    sim::EventId& event = timer(t);
    if (!event.assigned()) return;
    host_->scheduler_->cancel(event);
    event = sim::EventId{};
  }
  void notify(Notification n) override { host_->on_notify(*this, n); }
  bool may_complete_passive_open() override { return host_->accept_queue_has_room(*this); }

  // A timer's event. Most TIME-WAIT timers fire 2 MSL after the connection last ran, when it is
  // long out of cache: warm() fetches it back, called by the event queue as the event before it
  // in its lane (TIME-WAIT's 2 MSL make one) runs.
  struct Fire {
    Connection* c;
    TimerKind t;
    void operator()() const {
      c->timer(t) = sim::EventId{};
      c->host_->on_timer(*c, t);
    }
    void warm() const noexcept { sim::prefetch(*c); }
  };

  // The pending event of timer `t`, unassigned when the timer is not armed.
  sim::EventId& timer(TimerKind t) {
    return t == TimerKind::Retransmission ? retransmission_timer_ : time_wait_timer_;
  }

  // A host creates and frees two connections per handshake: their memory is recycled through
  // a free list rather than malloc and free (issue 11, end-to-end speed).
  static void* operator new(std::size_t size, std::align_val_t align) {
    SYNLAB_ASSERT(size == sizeof(Connection) && align == FreeBlocks::align,
                  "Connection: a block of another size");
    if (void* p = recycle_connections ? free_connections.take() : nullptr) return p;
    return ::operator new(size, align);
  }
  // Unsized: clang declares the sized global operator delete only with -fsized-deallocation.
  static void operator delete(void* p, std::align_val_t align) noexcept {
    if (!recycle_connections || !free_connections.keep(p)) ::operator delete(p, align);
  }

  TcpHost* host_;
  ConnId id_;
  std::uint16_t listener_port_ = 0;  // a passive child of this listener port (0: none)
  bool half_open_ = false;           // counted in its listener's SYN queue
  bool queued_ = false;              // in its listener's accept queue
  bool demuxed_ = false;             // in demux_
  bool listening_ = false;           // a listener (in listeners_)
  bool orphaned_ = false;            // its user let go (orphan())
  bool gone_ = false;                // its user was told it is gone (tell_user())
  // The two RFC timers (RFC 6298's retransmission timer; TIME-WAIT's 2 MSL, RFC 9293 §3.10.7.4),
  // each the id of its pending event. Not sim::Timers (72 bytes each, past the endpoint): here
  // they share the first cache line with the Effects table the endpoint calls through, so a
  // cancel, which mostly comes long after the arm, reads no other line of the connection.
  sim::EventId retransmission_timer_;
  sim::EventId time_wait_timer_;
  TcpEndpoint endpoint_;
};

TcpHost::TcpHost(sim::Scheduler& scheduler, HostConfig config, SegmentOutput& output,
                 const sim::Trace<TcpRecord>* trace, HostObserver* observer)
    : scheduler_(&scheduler),
      config_(std::move(config)),
      output_(&output),
      trace_(trace),
      observer_(observer),
      secret_key_([&] {
        sim::RandomStream key(config_.seed, "tcp/isn/" + config_.name);
        return (std::uint64_t{key()} << 32u) | key();
      }()),
      isn_(secret_key_),
      cookies_(secret_key_),
      context_{config_.profile, trace, IsnSource{&isn_, config_.fixed_isn}, NodeName(config_.name)},
      ports_(config_.first_ephemeral_port) {
  SYNLAB_ASSERT(config_.profile != nullptr, "TcpHost: no profile");
  if (const TimerSlack slack = config_.profile->timer_slack; slack != TimerSlack::None)
    wheel_ = TimerWheel(slack,
                        config_.uptime_at_zero
                            ? *config_.uptime_at_zero
                            : draw_uptime(slack, config_.seed, "tcp/timer-wheel/" + config_.name));
}

TcpHost::~TcpHost() = default;

std::size_t TcpHost::connection_object_bytes() noexcept {
  return sizeof(Connection);
}

TcpHost::Connection& TcpHost::create(TcpEndpoint::Start start, SocketAddress local,
                                     const SocketOptions& options) {
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
  slot = std::make_unique<Connection>(*this, id, start, local, options);
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

const TcpEndpoint* TcpHost::endpoint(ConnId id) const {
  const Connection* c = find(id);
  return c == nullptr ? nullptr : &c->endpoint_;
}

std::optional<ConnId> TcpHost::listener(std::uint16_t port) const {
  const auto it = listeners_.find(port);
  if (it == listeners_.end()) return std::nullopt;
  return it->second.id;
}

std::size_t TcpHost::accept_queue_length(std::uint16_t port) const {
  const auto it = listeners_.find(port);
  return it == listeners_.end() ? 0 : it->second.accept_queue.size();
}

// --- User calls ------------------------------------------------------------------------------

TcpHost::ConnectResult TcpHost::connect(SocketAddress remote, std::uint16_t local_port,
                                        const SocketOptions& options) {
  bury();
  if (down_) return {ConnectError::HostDown, 0};
  if (local_port == 0) {
    // The next ephemeral port not used towards this remote socket, deterministic; none left is
    // known at once (Linux: EADDRNOTAVAIL).
    const std::optional<std::uint16_t> p = ports_.choose(remote, [&](std::uint16_t port) {
      return !listeners_.contains(port) && !demux_.contains(port, remote);
    });
    if (!p) return {ConnectError::NoPortLeft, 0};
    local_port = *p;
    // The next connect() towards `remote` starts from the port after this one: mostly it takes
    // that port, and looks up its 4-tuple first. Its entry was last read when the port's previous
    // connection ended, long before: fetched now, it is in cache by then.
    demux_.prefetch(ports_.cursor(), remote);
  } else if (demux_.contains(local_port, remote)) {
    return {ConnectError::PortInUse, 0};
  }
  const SocketAddress local{config_.address, local_port};
  Connection& c = create(TcpEndpoint::Start::Closed, local, options);
  demux_.emplace(local_port, remote, c.id_);
  ports_.take(remote, local_port);
  c.demuxed_ = true;
  const UserError e = c.endpoint_.connect(now(), local, remote);
  SYNLAB_ASSERT(e == UserError::Ok, "TcpHost::connect: a new endpoint refused connect()");
  dispatch();
  return {ConnectError::Ok, c.id_};
}

ListenError TcpHost::listen(std::uint16_t port, std::uint32_t backlog,
                            const SocketOptions& options) {
  bury();
  if (down_) return ListenError::HostDown;
  if (listeners_.contains(port)) return ListenError::PortInUse;
  Connection& c = create(TcpEndpoint::Start::Closed, {}, options);
  const UserError e = c.endpoint_.listen(now(), SocketAddress{config_.address, port});
  SYNLAB_ASSERT(e == UserError::Ok, "TcpHost::listen: a new endpoint refused listen()");
  c.listening_ = true;
  // Linux __sys_listen(): "if ((unsigned int)backlog > somaxconn) backlog = somaxconn".
  const std::uint32_t cap = config_.profile->somaxconn;
  if (cap != 0 && backlog > cap) backlog = cap;
  listeners_.emplace(port, Listener{c.id_, backlog, options, 0, {}, std::nullopt});
  dispatch();
  return ListenError::Ok;
}

std::optional<ConnId> TcpHost::accept(std::uint16_t port) {
  const auto it = listeners_.find(port);
  if (it == listeners_.end() || it->second.accept_queue.empty()) return std::nullopt;
  const ConnId id = it->second.accept_queue.front();
  it->second.accept_queue.erase(it->second.accept_queue.begin());
  if (Connection* c = find(id)) {
    c->queued_ = false;
    c->listener_port_ = 0;  // accepted: no longer the listener's
  }
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
  if (c->listening_) {
    close_listener(*c);
    dispatch();
    return UserError::Ok;
  }
  const UserError e = c->endpoint_.close(now());
  if (c->endpoint_.state() == State::Closed) unlink(*c);
  dispatch();
  return e;
}

UserError TcpHost::shutdown_send(ConnId id) {
  bury();
  Connection* c = find(id);
  if (c == nullptr) return UserError::NotConnected;
  if (c->listening_) return UserError::InvalidState;  // a listener sends nothing: close() it
  const UserError e = c->endpoint_.shutdown_send(now());
  if (c->endpoint_.state() == State::Closed) unlink(*c);
  dispatch();
  return e;
}

std::uint64_t TcpHost::read(ConnId id, std::uint64_t max) {
  Connection* c = find(id);
  return c == nullptr ? 0 : c->endpoint_.read(max);
}

std::uint64_t TcpHost::unread(ConnId id) const {
  const Connection* c = find(id);
  return c == nullptr ? 0 : c->endpoint_.unread();
}

SocketError TcpHost::take_error(ConnId id) {
  Connection* c = find(id);
  return c == nullptr ? SocketError::None : c->endpoint_.take_error();
}

void TcpHost::close_listener(Connection& listener) {
  const std::uint16_t port = listener.endpoint_.tcb().local.port;
  // Its children not yet accepted, in id order (a rare call: a scan of the live connections).
  std::vector<ConnId> children;
  for (const auto& page : pages_) {
    if (page == nullptr) continue;
    for (const auto& slot : page->slots)
      if (slot != nullptr && slot->listener_port_ == port && (slot->half_open_ || slot->queued_))
        children.push_back(slot->id_);
  }
  // Fig. 5: LISTEN --CLOSE / delete TCB--> CLOSED (in the endpoint); the port is free now.
  const UserError e = listener.endpoint_.close(now());
  SYNLAB_ASSERT(e == UserError::Ok, "TcpHost::close_listener: LISTEN refused CLOSE");
  unlink(listener);
  for (const ConnId id : children) {
    Connection& child = *find(id);
    const bool request = child.half_open_;
    unlink(child);
    child.listener_port_ = 0;
    if (request) {
      // Linux: a request socket is dropped with its listener, silently (reqsk_timer_handler()
      // and tcp_v4_rcv() drop requests of a listener no longer in TCP_LISTEN).
      child.endpoint_.drop_request(now());
    } else {
      // Linux: inet_csk_listen_stop() -> inet_child_forget() -> tcp_disconnect(), which sends
      // an active reset when tcp_need_reset() (ESTABLISHED, CLOSE-WAIT ...): ABORT (§3.10.5).
      child.endpoint_.abort(now(), Cause::ListenerClosed);
    }
    tell_user(child, Notification::Closed, true);
  }
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
  c->cancel_timer(TimerKind::Retransmission);
  c->cancel_timer(TimerKind::TimeWait);
  const std::size_t page = (id - 1) >> page_bits;
  Page& p = *pages_[page];
  graveyard_.push_back(std::move(p.slots[(id - 1) & ((1u << page_bits) - 1)]));
  --live_;
  // A page no id will be taken from again goes once its last connection is released.
  if (--p.live == 0 && page + 1 < pages_.size()) pages_[page].reset();
}

void TcpHost::release_gone_orphans() {
  for (const ConnId id : gone_orphans_) release(id);
  gone_orphans_.clear();
}

void TcpHost::orphan(ConnId id) {
  Connection* c = find(id);
  if (c == nullptr) return;
  SYNLAB_ASSERT(!c->listening_, "TcpHost::orphan: a listener (close() it)");
  for (auto& [pending, n] : pending_)  // what it has not heard yet goes nowhere either
    if (pending == id) pending = 0;
  if (c->gone_ || c->endpoint_.state() == State::Closed) {
    release(id);
    return;
  }
  c->orphaned_ = true;
}

void TcpHost::free_released() {
  graveyard_.clear();
}

// --- Bookkeeping -----------------------------------------------------------------------------

void TcpHost::unlink(Connection& c) {
  if (c.demuxed_) {
    const Tcb& t = c.endpoint_.tcb();
    demux_.erase(t.local.port, t.remote);
    ports_.release(t.remote, t.local.port);
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
      tell_user(c, n, true);
      return;
    case Notification::Refused:
    case Notification::Reset:
    case Notification::ReturnedToListen:  // the listener itself still listens
    case Notification::Closed:
    case Notification::HostCrashed:  // crash() unlinks first; the endpoint never notifies it
      unlink(c);
      tell_user(c, n, true);
      return;
    case Notification::DataReceived:
    case Notification::DataAcked:
    case Notification::PeerClosed:
      break;
  }
  tell_user(c, n, false);
}

void TcpHost::tell_user(Connection& c, Notification n, bool gone) {
  if (gone) c.gone_ = true;
  if (!c.orphaned_) [[likely]] {
    pending_.emplace_back(c.id_, n);
    return;
  }
  if (gone) gone_orphans_.push_back(c.id_);
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
    // Member by member: one 8-byte load of the pair, stored as 4 and 1 bytes a moment before,
    // would wait for the stores to reach the cache (no store-to-load forwarding).
    const ConnId id = pending_[i].first;
    const Notification n = pending_[i].second;
    if (observer_ != nullptr && id != 0) observer_->on_notification(id, n);
  }
  pending_.clear();
  if (!gone_orphans_.empty()) [[unlikely]]
    release_gone_orphans();
  dispatching_ = false;
}

void TcpHost::on_timer(Connection& c, TimerKind t) {
  bury();
  in_timer_callback_ = true;  // the timers the endpoint arms now are filed from a wheel callback
  c.endpoint_.on_timer(now(), t);
  in_timer_callback_ = false;
  dispatch();
}

void TcpHost::trace_host_drop(const Segment& seg, ConnId conn, DropReason why) const {
  if (trace_ == nullptr) return;
  trace_->write_with(RecordKind::Drop, [&] {
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

void TcpHost::trace_host_segment(RecordKind kind, const Segment& seg, ConnId conn) const {
  if (trace_ == nullptr) return;
  trace_->write_with(kind, [&] {
    TcpRecord r;
    r.time_ns = sim::to_ns(now());
    r.node = context_.node;
    r.conn = conn;
    r.kind = kind;
    r.set_segment(seg);
    return r;
  });
}

// --- SYN cookies (Linux; syn_cookies.hpp) -----------------------------------------------------

// The Effects of a listening child that lives for one cookie SYN,ACK: it only sends.
class TcpHost::CookieReply final : public Effects {
 public:
  explicit CookieReply(TcpHost& host) : host_(&host) {}
  void send(const Segment& segment, HostAddress to) override {
    ++host_->counters_.segments_sent;
    host_->output_->output(AddressedSegment{host_->config_.address, to, segment});
  }
  void arm_timer(TimerKind, sim::Time) override {
    SYNLAB_ASSERT(false, "a cookie SYN,ACK arms no timer");
  }
  void cancel_timer(TimerKind) override {}
  void notify(Notification) override { SYNLAB_ASSERT(false, "a cookie SYN,ACK notifies nobody"); }

 private:
  TcpHost* host_;
};

void TcpHost::send_cookie(Listener& l, const AddressedSegment& in) {
  const Segment& syn = in.segment;
  // Linux: cookie_init_sequence(): tcp_synq_overflow() (at most once a second:
  // "time_after32(now, last_overflow + HZ)"), then LINUX_MIB_SYNCOOKIESSENT.
  using namespace std::chrono_literals;
  if (!l.last_overflow || now() - *l.last_overflow > 1s) l.last_overflow = now();
  ++counters_.syncookies_sent;
  // The peer's MSS (RFC 9293 §3.7.1: 536 without the option; Linux ignores an MSS of 0),
  // rounded down to the cookie's table (__cookie_v4_init_sequence()).
  const std::uint16_t peer_mss = syn.options.mss.value_or(0) != 0 ? *syn.options.mss : 536;
  const SocketAddress local{config_.address, syn.dst_port};
  const SeqNum cookie = cookies_.make(now(), local, SocketAddress{in.src_host, syn.src_port},
                                      syn.seq, SynCookies::mss_index(peer_mss));
  // A listening child answers and is dropped: no request, no timer, no retransmission. Its
  // records carry the listener's id.
  CookieReply reply(*this);
  TcpEndpoint child(context_, reply, l.id, TcpEndpoint::Start::ListeningChild, local, l.options);
  child.send_cookie_synack(now(), syn, in.src_host, cookie);
}

bool TcpHost::receive_cookie_ack(Listener& l, const AddressedSegment& in) {
  const Segment& seg = in.segment;
  const Profile& p = *config_.profile;
  // Linux: tcp_v4_cookie_check() looks at segments without SYN; cookie_v4_check() at those with
  // ACK and without RST while tcp_syncookies is on, and cookie_tcp_check() only within two
  // minutes of the last overflow (tcp_synq_no_recent_overflow(): TCP_SYNCOOKIE_VALID).
  if (p.syncookies == 0 || seg.flags.has(Flag::Syn) || !seg.flags.has(Flag::Ack) ||
      seg.flags.has(Flag::Rst))
    return false;
  if (!l.last_overflow || now() - *l.last_overflow > SynCookies::max_age * SynCookies::period)
    return false;
  const SocketAddress local{config_.address, seg.dst_port};
  const SocketAddress remote{in.src_host, seg.src_port};
  // __cookie_v4_check(): the cookie is SEG.ACK - 1, the peer's ISN SEG.SEQ - 1.
  const std::optional<std::uint16_t> mss =
      cookies_.check(now(), local, remote, seg.seq - 1, seg.ack - 1);
  if (!mss) {
    ++counters_.syncookies_failed;
    trace_host_segment(RecordKind::CookieInvalid, seg, l.id);
    return false;  // the listener answers: <SEQ=SEG.ACK><CTL=RST> (§3.10.7.2)
  }
  ++counters_.syncookies_recv;
  // cookie_timestamp_decode(): the SYN's options from TSecr less the connection's TSval
  // offset; none without timestamps. An option this host does not offer fails the ACK.
  CookieOptions peer;
  if (seg.options.timestamps) {
    if (!p.timestamps) return false;
    std::uint32_t tsecr = seg.options.timestamps->tsecr;
    if (tsecr != 0) tsecr -= config_.fixed_isn ? 0 : isn_.ts_offset(local, remote);
    peer = SynCookies::decode_tsecr(tsecr);
    if (peer.sack_permitted && !p.sack_permitted) return false;
    if (peer.window_scale && !p.window_scale) return false;
  }
  // tcp_get_cookie_sock() -> tcp_v4_syn_recv_sock(): with the accept queue full the child is
  // not made and the ACK is dropped (LINUX_MIB_LISTENOVERFLOWS).
  if (l.accept_queue.size() >= std::size_t{l.backlog} + p.accept_queue_extra) {
    ++counters_.listen_overflows;
    trace_host_drop(seg, l.id, DropReason::AcceptQueueFull);
    return true;
  }
  Connection& child = create(TcpEndpoint::Start::ListeningChild, local, l.options);
  child.listener_port_ = seg.dst_port;
  child.half_open_ = true;  // for the instant before its ACK completes it
  ++l.half_open;
  demux_.emplace(seg.dst_port, {in.src_host, seg.src_port}, child.id_);
  child.demuxed_ = true;
  if (observer_ != nullptr) observer_->on_passive_open(child.id_, local, remote);
  child.endpoint_.open_from_cookie(now(), seg, in.src_host, *mss, peer);
  // SYN-RECEIVED --rcv ACK--> ESTABLISHED, the ACK's text taken, into the accept queue.
  child.endpoint_.on_segment(now(), seg, in.src_host);
  dispatch();
  return true;
}

// --- Segment arrival: demultiplexing (RFC 9293 §3.10.7) --------------------------------------

void TcpHost::crash() {
  bury();
  down_ = true;
  // In id order, so the trace records and notifications come in a fixed order.
  for (const std::unique_ptr<Page>& page : pages_) {
    if (page == nullptr) continue;
    for (const std::unique_ptr<Connection>& slot : page->slots) {
      // Gone already (CLOSED, or a child reset back to LISTEN), its user told: nothing to lose.
      if (slot == nullptr || slot->gone_ || slot->endpoint_.state() == State::Closed) continue;
      slot->endpoint_.crash(now());
      unlink(*slot);
      tell_user(*slot, Notification::HostCrashed, true);
    }
  }
  dispatch();
}

void TcpHost::reboot() {
  down_ = false;
  // Every port was released with its connection (unlink()): a fresh cursor, as after a boot.
  ports_ = EphemeralPorts(config_.first_ephemeral_port);
}

void TcpHost::receive(const AddressedSegment& in) {
  bury();
  if (down_) return;  // a crashed host hears nothing (only another transport can reach here)
  ++counters_.segments_received;
  const Segment& seg = in.segment;
  if (const ConnId* id = demux_.find(seg.dst_port, {in.src_host, seg.src_port})) {
    Connection& c = *find(*id);
    if (const std::optional<SeqNum> iss = c.endpoint_.time_wait_reopen_iss(seg)) [[unlikely]] {
      reopen(c, in, *iss);
      return;
    }
    c.endpoint_.on_segment(now(), seg, in.src_host);
    dispatch();
    return;
  }
  if (const auto it = listeners_.find(seg.dst_port); it != listeners_.end()) {
    Listener& l = it->second;
    Connection& listener = *find(l.id);
    const bool opens =
        seg.flags.has(Flag::Syn) && !seg.flags.has(Flag::Ack) && !seg.flags.has(Flag::Rst);
    if (!opens) {
      if (receive_cookie_ack(l, in)) return;
      // §3.10.7.2 on the listening TCB: RST ignored, ACK answered with RST, the rest dropped.
      listener.endpoint_.on_segment(now(), seg, in.src_host);
      dispatch();
      return;
    }
    accept_syn(l, in, std::nullopt);
    return;
  }
  answer_no_tcb(in);
}

void TcpHost::answer_no_tcb(const AddressedSegment& in) {
  // §3.10.7.1: no TCB at all ("If the state is CLOSED (i.e., TCB does not exist)").
  const Segment& seg = in.segment;
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

void TcpHost::reopen(Connection& c, const AddressedSegment& in, SeqNum iss) {
  // Linux: tcp_v4_rcv(), "case TCP_TW_SYN": with a listener on the port the TIME-WAIT connection
  // goes (inet_twsk_deschedule_put()) and the listener takes the SYN ("goto process"); with
  // none, it falls through to TCP_TW_ACK's tcp_v4_timewait_ack().
  const std::uint16_t port = in.segment.dst_port;
  if (!listeners_.contains(port)) {
    c.endpoint_.ack_unopened_syn(now(), in.segment);
    dispatch();
    return;
  }
  c.endpoint_.give_way_to_syn(now());  // unlinked with its Closed notification (on_notify())
  // Its user hears of it first: the 4-tuple is free for the child it may claim (Linux drops the
  // TIME-WAIT socket before the listener processes the SYN). The user may have closed the
  // listener meanwhile: then the SYN reaches no TCB.
  dispatch();
  if (const auto it = listeners_.find(port); it != listeners_.end())
    accept_syn(it->second, in, iss);
  else
    answer_no_tcb(in);
}

// Inlined into receive(): a call of its own cost tcp_bench 0.7% more instructions.
[[gnu::always_inline]] inline void TcpHost::accept_syn(Listener& l, const AddressedSegment& in,
                                                       std::optional<SeqNum> reopen) {
  const Segment& seg = in.segment;
  const Profile& p = *config_.profile;
  // Linux: tcp_conn_request(): "if (sk_acceptq_is_full(sk)) { LISTENOVERFLOWS; goto drop; }"
  // - a silent drop, so the client retries on its SYN schedule (reference, case h).
  if (l.accept_queue.size() >= std::size_t{l.backlog} + p.accept_queue_extra) {
    ++counters_.listen_overflows;
    trace_host_drop(seg, l.id, DropReason::AcceptQueueFull);
    return;
  }
  // Linux's tcp_conn_request() applies neither the SYN queue's test nor cookies to a SYN that
  // reopened a TIME-WAIT connection (its `isn` is set): that peer has shown it is real.
  if (!reopen) {
    // Linux: inet_csk_reqsk_queue_is_full() (queue length > backlog). tcp_conn_request(): "if
    // (syncookies == 2 || inet_csk_reqsk_queue_is_full(sk))" a cookie (want_cookie) if
    // tcp_syncookies allows, else the SYN is dropped. Without cookies, the last quarter of
    // tcp_max_syn_backlog is kept for peers proven alive ("max_syn_backlog -
    // inet_csk_reqsk_queue_len(sk) < (max_syn_backlog >> 2)"), which none is here.
    const std::uint32_t held = l.backlog + p.accept_queue_extra;
    const bool syn_queue_full =
        p.syn_queue_by_backlog
            ? l.half_open >= held ||
                  (p.syncookies == 0 && std::int64_t{p.max_syn_backlog} - l.half_open <
                                            std::int64_t{p.max_syn_backlog >> 2})
            : l.half_open >= std::min(held, p.max_syn_backlog);
    if (p.syncookies == 2 || (syn_queue_full && p.syncookies == 1)) {
      send_cookie(l, in);
      return;
    }
    if (syn_queue_full) {
      ++counters_.syn_queue_drops;
      trace_host_drop(seg, l.id, DropReason::SynQueueFull);
      return;
    }
  }
  // The listener forks a TCB for this SYN (§3.10.7.2; Linux's request socket).
  Connection& child = create(TcpEndpoint::Start::ListeningChild,
                             SocketAddress{config_.address, seg.dst_port}, l.options);
  child.listener_port_ = seg.dst_port;
  child.half_open_ = true;
  ++l.half_open;
  demux_.emplace(seg.dst_port, {in.src_host, seg.src_port}, child.id_);
  child.demuxed_ = true;
  if (observer_ != nullptr)
    observer_->on_passive_open(child.id_, SocketAddress{config_.address, seg.dst_port},
                               SocketAddress{in.src_host, seg.src_port});
  if (reopen)
    child.endpoint_.on_reopening_syn(now(), seg, in.src_host, *reopen);
  else
    child.endpoint_.on_segment(now(), seg, in.src_host);
  dispatch();
}

}  // namespace synlab::tcp
