// SocketApi: a POSIX-like socket layer over one Node's TCP, for scripted applications such as
// `synlab drill`: file descriptors, blocking and non-blocking sockets, errno-style errors and
// socket options, on top of TcpHost's calls (connect, listen, accept, send, close, abort).
// What each call answers follows Linux's (see docs/drill.md "System calls"); the TCP behaviour
// behind it is the model's.
//
//   apps::SocketApi api(node);
//   const int fd = static_cast<int>(api.socket().value);   // 3, like a fresh process
//   (void)api.bind(fd, 8080);
//   (void)api.listen(fd, 1);
//   ... the run ...
//   api.accept(fd);  // {4, Ok}, or {-1, Again} while the accept queue is empty
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/tcp/socket_error.hpp"
#include "models/tcp/socket_options.hpp"
#include "models/tcp/tcp_endpoint.hpp"

#include "models/node/application.hpp"
#include "models/node/node.hpp"
#include "models/tcp/socket_address.hpp"
#include "models/tcp/tcp_host.hpp"

namespace synlab::apps {

// The errno values the calls can answer, named as in <errno.h>.
enum class Errno : std::uint8_t {
  Ok,
  Again,         // EAGAIN: nothing to accept or read on a non-blocking socket
  InProgress,    // EINPROGRESS: a non-blocking connect() started
  Already,       // EALREADY: connect() again while connecting
  IsConn,        // EISCONN: connect() on a connected socket
  NotConn,       // ENOTCONN: the call needs a connection
  ConnRefused,   // ECONNREFUSED: a RST answered our SYN
  ConnReset,     // ECONNRESET: a RST ended the connection
  TimedOut,      // ETIMEDOUT: retries (or the user timeout) ran out
  BadF,          // EBADF: no such descriptor
  Inval,         // EINVAL: the call does not fit the socket's state
  AddrInUse,     // EADDRINUSE: the port is taken
  AddrNotAvail,  // EADDRNOTAVAIL: no ephemeral port left
  NoProtoOpt,    // ENOPROTOOPT: an option the model does not have
  Pipe,          // EPIPE: write() after shutdown or a failed connection
  OpNotSupp,     // EOPNOTSUPP: accept() on a socket that is not listening
  ConnAborted,   // ECONNABORTED: connect() again after a failure whose error was read
};

std::string_view errno_name(Errno e) noexcept;  // "EAGAIN"
std::optional<Errno> errno_from_name(std::string_view name) noexcept;
// Linux's number for `e` (<asm-generic/errno.h>): what SO_ERROR reads; 0 for Ok.
int errno_number(Errno e) noexcept;

// A call's answer: `value` as the system call returns it (-1 with `error` on failure).
struct CallResult {
  std::int64_t value = 0;
  Errno error = Errno::Ok;
  static constexpr CallResult ok(std::int64_t v = 0) noexcept { return {v, Errno::Ok}; }
  static constexpr CallResult fail(Errno e) noexcept { return {-1, e}; }
  friend constexpr bool operator==(const CallResult&, const CallResult&) = default;
};

enum class SocketOption : std::uint8_t {
  ReuseAddr,    // SO_REUSEADDR: accepted, no effect (the model has no bind conflicts to relax)
  Error,        // SO_ERROR: read-only; the pending error, cleared by reading it
  UserTimeout,  // TCP_USER_TIMEOUT (ms)
  SynCount,     // TCP_SYNCNT: SYN retransmissions for this socket
  MaxSeg,       // TCP_MAXSEG: caps the MSS (set before connect/listen); reads the send MSS
  NoDelay,      // TCP_NODELAY: accepted, no effect (every write is sent at once)
};

class SocketApi final : public node::Application {
 public:
  // `node` must outlive this object. The first descriptor is 3, as in a fresh process.
  explicit SocketApi(node::Node& node);
  SocketApi(const SocketApi&) = delete;
  SocketApi& operator=(const SocketApi&) = delete;

  CallResult socket();
  CallResult bind(int fd, std::uint16_t port);
  CallResult listen(int fd, std::uint32_t backlog);
  // The oldest established child; EAGAIN while there is none (the caller decides to block).
  CallResult accept(int fd);
  // Starts an active open and answers EINPROGRESS; connect_status() tells when it is decided.
  // Called again (Linux __inet_stream_connect()): EALREADY while connecting; 0 the first time
  // after the open succeeded, EISCONN after that; after a failure its error (sock_error()), or
  // ECONNABORTED if SO_ERROR already took it.
  CallResult connect(int fd, tcp::SocketAddress remote);
  // What a blocking connect() returns once the open is decided; nullopt while it is not.
  std::optional<CallResult> connect_status(int fd);
  CallResult write(int fd, std::uint64_t bytes);
  // Up to `max` received bytes; 0 at end of stream; EAGAIN while nothing is there.
  CallResult read(int fd, std::uint64_t max);
  // RFC 9293 §3.10.4 CLOSE; with unread received data the model resets the connection instead
  // (Linux tcp_close(), RFC 1122 §4.2.2.13). On a listener: stops listening (TcpHost::close()).
  CallResult close(int fd);
  // shutdown(2), as Linux's inet_shutdown(). On a connection, SHUT_WR and SHUT_RDWR send the FIN
  // after the queued data (RFC 9293 §3.10.4; the model keeps no read side, so SHUT_RD changes
  // nothing). On a listener, SHUT_RD and SHUT_RDWR stop listening as close() does, but the socket
  // stays and may listen again, on the port bind() gave it (one listen() chose is let go);
  // SHUT_WR does nothing. A connect in progress (SYN-SENT) is dropped, whatever `how`, without a
  // segment (ECONNRESET left for SO_ERROR), and the socket may connect again; one in SYN-RECEIVED
  // (a simultaneous open) shuts down as a connection does. ENOTCONN on a socket whose connection
  // has ended (CLOSED, TIME-WAIT) and on one never connected.
  enum class Shutdown : std::uint8_t { Read, Write, Both };  // SHUT_RD, SHUT_WR, SHUT_RDWR
  CallResult shutdown(int fd, Shutdown how);
  CallResult setsockopt(int fd, SocketOption option, std::int64_t value);
  // The option's value in `value` (getsockopt() itself returns 0 unless `error` is set).
  // SO_ERROR reads as errno_number().
  CallResult getsockopt(int fd, SocketOption option);
  CallResult set_nonblocking(int fd, bool on);
  CallResult nonblocking(int fd) const;  // 1 or 0; fcntl(F_GETFL) & O_NONBLOCK

  // The connection behind `fd`, if it has one.
  std::optional<tcp::ConnId> connection(int fd) const;
  node::Node& node() noexcept { return *node_; }

 private:
  enum class Kind : std::uint8_t { Fresh, Listening, Connecting, Connected, Failed, Closed };
  struct Socket {
    Kind kind = Kind::Fresh;
    std::uint64_t serial = 0;  // never reused: names the socket to Node::own() as the cookie
    bool nonblocking = false;
    bool write_shut = false;
    bool connect_reported = false;  // connect() has returned the open's result
    bool autobound = false;         // listen() chose its port, bind() did not
    bool reuse_addr = false;        // SO_REUSEADDR as set (read back by getsockopt)
    bool no_delay = false;          // TCP_NODELAY as set (the model sends at once anyway)
    std::uint16_t port = 0;         // bound or listening port
    tcp::ConnId conn = 0;
    tcp::ConnId listener = 0;   // the listening connection, for close()
    Errno pending = Errno::Ok;  // the socket layer's own error; the TCP ones are the model's
    tcp::SocketOptions options{
        .user_timeout = {}, .syn_retries = {}, .app_reads = true, .max_segment = {}};
  };

  void on_notification(node::Node& node, tcp::ConnId id, tcp::Notification what,
                       std::uint64_t cookie) override;
  void on_passive_open(node::Node& node, tcp::ConnId child, tcp::SocketAddress local,
                       tcp::SocketAddress remote) override;
  Socket* find(int fd);
  const Socket* find(int fd) const;
  // Forgets the closed sockets whose connections are gone: they hold no port any more.
  void prune_lingering();
  // The first ephemeral port no socket, lingering connection, listener or active open holds.
  std::optional<std::uint16_t> free_port();
  int new_fd(Socket s);  // the lowest free descriptor from 3, as POSIX asks
  const tcp::TcpEndpoint* endpoint(const Socket& s) const;
  void settle(Socket& s) const;  // a decided active open: Connected or Failed
  // The pending error (SO_ERROR), cleared: the socket layer's, else the connection's.
  Errno take_error(Socket& s);
  // A socket as socket() made it, with `s`'s descriptor serial, flags, options and bound port.
  static Socket afresh(const Socket& s);
  bool has_error(const Socket& s) const;

  node::Node* node_;
  std::uint64_t next_serial_ = 1;
  std::map<int, Socket> sockets_;
  std::unordered_map<std::uint64_t, int> fd_of_serial_;
  // Bound sockets closed while their connection lives on (FIN-WAIT, TIME-WAIT...): like Linux's
  // timewait and orphaned sockets in the port's bind bucket, they still hold the port.
  struct Lingering {
    std::uint16_t port = 0;
    tcp::ConnId conn = 0;
    bool reuse_addr = false;
  };
  std::vector<Lingering> lingering_;
};

}  // namespace synlab::apps
