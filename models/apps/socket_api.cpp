// SocketApi: descriptors and errno-style answers over TcpHost (socket_api.hpp).
#include "models/apps/socket_api.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

namespace synlab::apps {

namespace {

struct ErrnoName {
  Errno e;
  std::string_view name;
  int number;  // Linux, <asm-generic/errno-base.h> and <asm-generic/errno.h>
};

constexpr std::array<ErrnoName, 17> errno_table{{
    {Errno::Ok, "0", 0},
    {Errno::Again, "EAGAIN", 11},
    {Errno::InProgress, "EINPROGRESS", 115},
    {Errno::Already, "EALREADY", 114},
    {Errno::IsConn, "EISCONN", 106},
    {Errno::NotConn, "ENOTCONN", 107},
    {Errno::ConnRefused, "ECONNREFUSED", 111},
    {Errno::ConnReset, "ECONNRESET", 104},
    {Errno::TimedOut, "ETIMEDOUT", 110},
    {Errno::BadF, "EBADF", 9},
    {Errno::Inval, "EINVAL", 22},
    {Errno::AddrInUse, "EADDRINUSE", 98},
    {Errno::AddrNotAvail, "EADDRNOTAVAIL", 99},
    {Errno::NoProtoOpt, "ENOPROTOOPT", 92},
    {Errno::Pipe, "EPIPE", 32},
    {Errno::OpNotSupp, "EOPNOTSUPP", 95},
    {Errno::ConnAborted, "ECONNABORTED", 103},
}};

const ErrnoName& entry(Errno e) noexcept {
  for (const ErrnoName& n : errno_table)
    if (n.e == e) return n;
  return errno_table[0];
}

// The peer's FIN has been received in these states (RFC 9293 §3.10.7.4 eighth: CLOSE-WAIT,
// then LAST-ACK; CLOSING and TIME-WAIT after our own FIN).
bool fin_received(tcp::State s) noexcept {
  return s == tcp::State::CloseWait || s == tcp::State::LastAck || s == tcp::State::Closing ||
         s == tcp::State::TimeWait;
}

}  // namespace

std::string_view errno_name(Errno e) noexcept {
  return entry(e).name;
}

int errno_number(Errno e) noexcept {
  return entry(e).number;
}

std::optional<Errno> errno_from_name(std::string_view name) noexcept {
  for (const ErrnoName& n : errno_table)
    if (n.e != Errno::Ok && n.name == name) return n.e;
  if (name == "EWOULDBLOCK") return Errno::Again;  // the same number on Linux
  return std::nullopt;
}

SocketApi::SocketApi(node::Node& node) : node_(&node) {}

SocketApi::Socket* SocketApi::find(int fd) {
  const auto it = sockets_.find(fd);
  return it == sockets_.end() ? nullptr : &it->second;
}

const SocketApi::Socket* SocketApi::find(int fd) const {
  const auto it = sockets_.find(fd);
  return it == sockets_.end() ? nullptr : &it->second;
}

int SocketApi::new_fd(Socket s) {
  int fd = 3;
  for (const auto& [used, socket] : sockets_) {  // ascending: the first gap is the lowest
    if (used != fd) break;
    ++fd;
  }
  s.serial = next_serial_++;
  fd_of_serial_[s.serial] = fd;
  sockets_.emplace(fd, s);
  return fd;
}

const tcp::TcpEndpoint* SocketApi::endpoint(const Socket& s) const {
  return s.conn == 0 ? nullptr : node_->tcp().endpoint(s.conn);
}

namespace {

Errno errno_of(tcp::SocketError e) noexcept {
  switch (e) {
    case tcp::SocketError::ConnectionRefused:
      return Errno::ConnRefused;
    case tcp::SocketError::ConnectionReset:
      return Errno::ConnReset;
    case tcp::SocketError::TimedOut:
      return Errno::TimedOut;
    case tcp::SocketError::BrokenPipe:
      return Errno::Pipe;
    case tcp::SocketError::None:
      break;
  }
  return Errno::Ok;
}

}  // namespace

void SocketApi::settle(Socket& s) const {
  if (s.kind != Kind::Connecting) return;
  const tcp::TcpEndpoint* e = endpoint(s);
  if (e == nullptr) return;
  if (e->stats().reached_established) {
    s.kind = Kind::Connected;
  } else if (e->stats().outcome != tcp::Outcome::Pending) {
    s.kind = Kind::Failed;  // the model holds the error (refused, timed out)
  }
}

Errno SocketApi::take_error(Socket& s) {
  if (s.pending != Errno::Ok) return std::exchange(s.pending, Errno::Ok);
  return s.conn == 0 ? Errno::Ok : errno_of(node_->tcp().take_error(s.conn));
}

SocketApi::Socket SocketApi::afresh(const Socket& s) {
  Socket fresh;
  fresh.serial = s.serial;
  fresh.nonblocking = s.nonblocking;
  fresh.port = s.port;
  fresh.options = s.options;
  fresh.reuse_addr = s.reuse_addr;
  fresh.no_delay = s.no_delay;
  return fresh;
}

bool SocketApi::has_error(const Socket& s) const {
  if (s.pending != Errno::Ok) return true;
  const tcp::TcpEndpoint* e = endpoint(s);
  return e != nullptr && e->error() != tcp::SocketError::None;
}

// --- The calls -------------------------------------------------------------------------------

CallResult SocketApi::socket() {
  return CallResult::ok(new_fd(Socket{}));
}

CallResult SocketApi::bind(int fd, std::uint16_t port) {
  Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  if (s->kind != Kind::Fresh || s->port != 0) return CallResult::fail(Errno::Inval);
  // Linux inet_csk_bind_conflict(): a port another socket holds is refused, unless both set
  // SO_REUSEADDR and the other does not listen. (Accepted sockets hold their listener's port.)
  for (const auto& [other_fd, other] : sockets_) {
    if (other_fd == fd || other.port != port) continue;
    if (!(s->reuse_addr && other.reuse_addr && other.kind != Kind::Listening))
      return CallResult::fail(Errno::AddrInUse);
  }
  // Closed sockets whose connections live on hold the port too (none of them listens).
  prune_lingering();
  for (const Lingering& l : lingering_)
    if (l.port == port && !(s->reuse_addr && l.reuse_addr))
      return CallResult::fail(Errno::AddrInUse);
  s->port = port;
  return CallResult::ok();
}

void SocketApi::prune_lingering() {
  std::erase_if(lingering_, [&](const Lingering& l) {
    const tcp::TcpEndpoint* e = node_->tcp().endpoint(l.conn);
    return e == nullptr || e->state() == tcp::State::Closed;
  });
}

std::optional<std::uint16_t> SocketApi::free_port() {
  // An ephemeral port is free only if nothing holds it: unlike bind(), SO_REUSEADDR shares none
  // (Linux inet_csk_find_open_port() tests the bind conflict with relax = false).
  prune_lingering();
  const auto held = [&](std::uint16_t port) {
    for (const auto& [fd, s] : sockets_)
      if (s.port == port) return true;
    for (const Lingering& l : lingering_)
      if (l.port == port) return true;
    return node_->tcp().port_in_use(port);
  };
  for (std::uint32_t port = std::max<std::uint16_t>(node_->tcp().first_ephemeral_port(), 1);
       port <= 0xffff; ++port)
    if (!held(static_cast<std::uint16_t>(port))) return static_cast<std::uint16_t>(port);
  return std::nullopt;
}

CallResult SocketApi::listen(int fd, std::uint32_t backlog) {
  Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  if (s->kind == Kind::Listening) return CallResult::ok();  // Linux: only the backlog changes
  if (s->kind != Kind::Fresh) return CallResult::fail(Errno::Inval);
  const bool autobind = s->port == 0;
  if (autobind) {
    // Linux: inet_csk_listen_start() binds an unbound socket (inet_csk_get_port(sk, 0) ->
    // inet_csk_find_open_port(): a random free port of the range there); here the first free
    // one from the host's first ephemeral port, so a run is the same every time.
    const std::optional<std::uint16_t> port = free_port();
    if (!port) return CallResult::fail(Errno::AddrInUse);
    s->port = *port;
  }
  if (node_->tcp().listen(s->port, backlog, s->options) != tcp::ListenError::Ok) {
    if (autobind) s->port = 0;  // Linux: the socket stays unbound (inet_num 0)
    return CallResult::fail(Errno::AddrInUse);
  }
  s->kind = Kind::Listening;
  s->autobound = autobind;
  s->listener = node_->tcp().listener(s->port).value_or(0);
  node_->own_listener(s->port, *this);
  return CallResult::ok();
}

CallResult SocketApi::accept(int fd) {
  Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  if (s->kind != Kind::Listening) return CallResult::fail(Errno::Inval);
  const std::optional<tcp::ConnId> child = node_->tcp().accept(s->port);
  if (!child) return CallResult::fail(Errno::Again);
  Socket c;
  c.kind = Kind::Connected;
  c.port = s->port;
  c.conn = *child;
  c.options = s->options;        // the model's child has the listener's options too
  c.reuse_addr = s->reuse_addr;  // and, as Linux's clone of the listener, its socket flags
  c.no_delay = s->no_delay;
  const int child_fd = new_fd(c);
  node_->own(*child, *this, sockets_.at(child_fd).serial);
  return CallResult::ok(child_fd);
}

CallResult SocketApi::connect(int fd, tcp::SocketAddress remote) {
  Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  settle(*s);
  switch (s->kind) {
    case Kind::Connecting:
      return CallResult::fail(Errno::Already);
    case Kind::Connected:
      if (std::exchange(s->connect_reported, true)) return CallResult::fail(Errno::IsConn);
      return CallResult::ok();  // the first call after a non-blocking open succeeded
    case Kind::Failed: {
      // Linux: sock_error() reports the error once; then the socket may connect afresh.
      const Errno e = take_error(*s);
      *s = afresh(*s);
      return CallResult::fail(e != Errno::Ok ? e : Errno::ConnAborted);
    }
    case Kind::Listening:  // Linux: a socket not in CLOSE cannot connect (inet_stream_connect())
      return CallResult::fail(Errno::IsConn);
    case Kind::Closed:
      return CallResult::fail(Errno::Inval);
    case Kind::Fresh:
      break;
  }
  const tcp::TcpHost::ConnectResult r = node_->tcp().connect(remote, s->port, s->options);
  if (r.error == tcp::ConnectError::NoPortLeft) return CallResult::fail(Errno::AddrNotAvail);
  if (r.error == tcp::ConnectError::PortInUse) return CallResult::fail(Errno::AddrInUse);
  s->kind = Kind::Connecting;
  s->conn = r.id;
  node_->own(r.id, *this, s->serial);
  return CallResult::fail(Errno::InProgress);
}

std::optional<CallResult> SocketApi::connect_status(int fd) {
  Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  settle(*s);
  if (s->kind == Kind::Connecting) return std::nullopt;
  return connect(fd, {});  // what connect() answers now: 0 or the error
}

CallResult SocketApi::write(int fd, std::uint64_t bytes) {
  Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  settle(*s);
  if (s->kind == Kind::Connecting) return CallResult::fail(Errno::Again);
  // An open that failed: Linux sk_stream_wait_connect() reports its error once (sock_error()),
  // then EPIPE.
  if (s->kind == Kind::Failed)
    return CallResult::fail(has_error(*s) ? take_error(*s) : Errno::Pipe);
  if (s->kind != Kind::Connected) return CallResult::fail(Errno::Pipe);
  // Linux sk_stream_error(): the pending error first, then EPIPE.
  if (has_error(*s)) return CallResult::fail(take_error(*s));
  if (s->write_shut) return CallResult::fail(Errno::Pipe);
  if (const tcp::TcpEndpoint* e = endpoint(*s); e == nullptr || e->state() == tcp::State::Closed)
    return CallResult::fail(Errno::Pipe);
  if (bytes > std::numeric_limits<std::uint32_t>::max()) return CallResult::fail(Errno::Inval);
  if (node_->tcp().send(s->conn, static_cast<std::uint32_t>(bytes)) != tcp::UserError::Ok)
    return CallResult::fail(Errno::Pipe);
  return CallResult::ok(static_cast<std::int64_t>(bytes));
}

CallResult SocketApi::read(int fd, std::uint64_t max) {
  Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  settle(*s);
  if (s->kind == Kind::Connecting) return CallResult::fail(Errno::Again);
  // An open that failed: Linux tcp_recvmsg() reports its error once (sock_error()); then, as
  // tcp_done() shut the receiving side, 0, the end of the stream.
  if (s->kind == Kind::Failed)
    return has_error(*s) ? CallResult::fail(take_error(*s)) : CallResult::ok(0);
  if (s->kind != Kind::Connected) return CallResult::fail(Errno::NotConn);
  if (const std::uint64_t n = node_->tcp().read(s->conn, max); n > 0)
    return CallResult::ok(static_cast<std::int64_t>(n));
  if (has_error(*s)) return CallResult::fail(take_error(*s));
  const tcp::TcpEndpoint* e = endpoint(*s);
  if (e == nullptr || fin_received(e->state()) || e->state() == tcp::State::Closed)
    return CallResult::ok(0);  // the end of the stream
  return CallResult::fail(Errno::Again);
}

CallResult SocketApi::close(int fd) {
  Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  if (s->kind == Kind::Listening) {
    (void)node_->tcp().close(s->listener);
  } else if (const tcp::TcpEndpoint* e = endpoint(*s);
             e != nullptr && e->state() != tcp::State::Closed) {
    (void)node_->tcp().close(s->conn);
    if (s->port != 0 && (e = endpoint(*s)) != nullptr && e->state() != tcp::State::Closed)
      lingering_.push_back(Lingering{s->port, s->conn, s->reuse_addr});
  }
  fd_of_serial_.erase(s->serial);
  sockets_.erase(fd);
  return CallResult::ok();
}

CallResult SocketApi::shutdown(int fd, Shutdown how) {
  Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  settle(*s);
  if (s->kind == Kind::Listening) {
    // Linux: a listener's SHUT_RD disconnects it (tcp_disconnect(), inet_csk_listen_stop()); the
    // port stays its own if the user bound it (SOCK_BINDPORT_LOCK), else it is let go.
    if (how == Shutdown::Write) return CallResult::ok();
    (void)node_->tcp().close(s->listener);
    s->listener = 0;
    s->kind = Kind::Fresh;
    if (std::exchange(s->autobound, false)) s->port = 0;
    return CallResult::ok();
  }
  const tcp::TcpEndpoint* e = endpoint(*s);
  const tcp::State state = e != nullptr ? e->state() : tcp::State::Closed;
  if (s->kind == Kind::Connecting && state == tcp::State::SynSent) {
    // Linux: inet_shutdown() disconnects a connect in progress, whatever `how`: tcp_disconnect()
    // sends nothing in SYN-SENT (as ABORT, RFC 9293 §3.10.5) and leaves ECONNRESET for SO_ERROR;
    // the socket may connect again.
    node_->tcp().abort(s->conn);
    *s = afresh(*s);
    s->pending = Errno::ConnReset;
    return CallResult::ok();
  }
  // Linux: a connection that has ended (reset, closed, or gone on as TIME-WAIT) leaves its
  // socket in CLOSE: ENOTCONN. One in SYN-RECEIVED (a simultaneous open, still connecting) shuts
  // down as an open one does (RFC 9293 §3.10.4 CLOSE: a FIN, after any data queued).
  if ((s->kind != Kind::Connected && s->kind != Kind::Connecting) || state == tcp::State::Closed ||
      state == tcp::State::TimeWait)
    return CallResult::fail(Errno::NotConn);
  if (how != Shutdown::Read && !s->write_shut) {
    s->write_shut = true;
    (void)node_->tcp().shutdown_send(s->conn);  // RFC 9293 §3.10.4 CLOSE: "no more to send"
  }
  return CallResult::ok();
}

CallResult SocketApi::setsockopt(int fd, SocketOption option, std::int64_t value) {
  Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  switch (option) {
    case SocketOption::ReuseAddr:  // Linux: any non-zero value sets the flag, read back as 1
      s->reuse_addr = value != 0;
      return CallResult::ok();
    case SocketOption::NoDelay:
      s->no_delay = value != 0;
      return CallResult::ok();
    case SocketOption::UserTimeout:
      // Linux do_tcp_setsockopt(): an int of milliseconds, negative refused; 0 means none.
      if (value < 0 || value > std::numeric_limits<std::int32_t>::max())
        return CallResult::fail(Errno::Inval);
      if (value == 0)
        s->options.user_timeout.reset();
      else
        s->options.user_timeout = std::chrono::milliseconds(value);
      return CallResult::ok();
    case SocketOption::SynCount:
      if (value < 1 || value > 127) return CallResult::fail(Errno::Inval);  // Linux: 1..127
      s->options.syn_retries = static_cast<std::uint32_t>(value);
      return CallResult::ok();
    case SocketOption::MaxSeg:
      // Linux do_tcp_setsockopt(): 0, or TCP_MIN_MSS (88) to MAX_TCP_WINDOW (32767).
      if (value != 0 && (value < 88 || value > 32767)) return CallResult::fail(Errno::Inval);
      if (value == 0)
        s->options.max_segment.reset();
      else
        s->options.max_segment = static_cast<std::uint16_t>(value);
      return CallResult::ok();
    case SocketOption::Error:
      break;
  }
  return CallResult::fail(Errno::NoProtoOpt);
}

CallResult SocketApi::getsockopt(int fd, SocketOption option) {
  Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  settle(*s);
  switch (option) {
    case SocketOption::ReuseAddr:
      return CallResult::ok(s->reuse_addr ? 1 : 0);
    case SocketOption::NoDelay:
      return CallResult::ok(s->no_delay ? 1 : 0);
    case SocketOption::Error:
      return CallResult::ok(errno_number(take_error(*s)));
    case SocketOption::UserTimeout:
      return CallResult::ok(std::chrono::duration_cast<std::chrono::milliseconds>(
                                s->options.user_timeout.value_or(sim::Duration::zero()))
                                .count());
    case SocketOption::SynCount:
      return CallResult::ok(s->options.syn_retries.value_or(node_->tcp().profile().syn_retries));
    case SocketOption::MaxSeg: {
      // Linux tcp_getsockopt(): mss_cache once connected; before, the user's value if set,
      // else TCP_MSS_DEFAULT (536).
      const tcp::TcpEndpoint* e = endpoint(*s);
      if (e == nullptr || !e->stats().reached_established)
        return CallResult::ok(s->options.max_segment.value_or(536));
      return CallResult::ok(e->effective_send_mss());
    }
  }
  return CallResult::fail(Errno::NoProtoOpt);
}

CallResult SocketApi::set_nonblocking(int fd, bool on) {
  Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  s->nonblocking = on;
  return CallResult::ok();
}

CallResult SocketApi::nonblocking(int fd) const {
  const Socket* s = find(fd);
  if (s == nullptr) return CallResult::fail(Errno::BadF);
  return CallResult::ok(s->nonblocking ? 1 : 0);
}

std::optional<tcp::ConnId> SocketApi::connection(int fd) const {
  const Socket* s = find(fd);
  if (s == nullptr || s->conn == 0) return std::nullopt;
  return s->conn;
}

// --- Notifications ---------------------------------------------------------------------------

void SocketApi::on_notification(node::Node& /*node*/, tcp::ConnId /*id*/,
                                tcp::Notification /*what*/, std::uint64_t /*cookie*/) {
  // Nothing to keep: each call reads the connection's state, data and error from the model.
}

void SocketApi::on_passive_open(node::Node& /*node*/, tcp::ConnId /*child*/,
                                tcp::SocketAddress /*local*/, tcp::SocketAddress /*remote*/) {
  // Children are owned from accept() on; until then the endpoint tells what befell them.
}

}  // namespace synlab::apps
