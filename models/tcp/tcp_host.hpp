// TcpHost: the adapter that binds sans-IO TcpEndpoints to the kernel (STYLE §1): one host's TCP
// module. It demultiplexes arriving segments by 4-tuple (RFC 9293 §3.10.7), answers segments
// that reach no TCB (§3.10.7.1), runs listeners with a SYN queue and an accept queue (Linux
// tcp_conn_request()) and SYN cookies (Linux; syn_cookies.hpp), keeps one scheduled event per
// armed RFC timer per connection, and sends through a SegmentOutput hook.
//
// Use: give each host an address, a profile and an output; deliver arriving segments with
// receive(); read outcomes from endpoint(id)->stats() or a HostObserver:
//   TcpHost server(scheduler, {.name = "server", .address = 2, .profile = &linux_profile()},
//                  server_out, &trace, &observer);
//   (void)server.listen(80, 128);
//   auto [error, id] = client.connect(SocketAddress{2, 80});
//   scheduler.run();  // the network calls client.receive(seg) / server.receive(seg)
//   client.endpoint(id)->stats().outcome;  // established, timeout, refused, reset
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "models/tcp/demux_table.hpp"
#include "models/tcp/effects.hpp"
#include "models/tcp/ephemeral_ports.hpp"
#include "models/tcp/host_counters.hpp"
#include "models/tcp/isn_generator.hpp"
#include "models/tcp/profile.hpp"
#include "models/tcp/socket_address.hpp"
#include "models/tcp/syn_cookies.hpp"
#include "models/tcp/tcp_endpoint.hpp"
#include "models/tcp/tcp_record.hpp"
#include "models/tcp/timer_wheel.hpp"
#include "sim/scheduler.hpp"
#include "sim/trace.hpp"

namespace synlab::tcp {

// A connection's id within its host: 1, 2, 3 ... in creation order (listeners and passive
// children included). 0 is no connection.
using ConnId = std::uint32_t;
static_assert(std::is_same_v<ConnId, DemuxTable::Id>);

// HostDown: the host has crashed and not rebooted yet (crash()).
enum class ConnectError : std::uint8_t { Ok, PortInUse, NoPortLeft, HostDown };
enum class ListenError : std::uint8_t { Ok, PortInUse, HostDown };

struct HostConfig {
  std::string name = "host";  // in trace records (first 15 characters)
  HostAddress address = 0;
  const Profile* profile = nullptr;  // not owned; must outlive the host
  std::uint64_t seed = 0;  // keys the RFC 6528 ISN and SYN cookie hashes: stream "tcp/isn/<name>"
  std::optional<std::uint32_t> fixed_isn;  // every connection uses this ISN (lab traces)
  std::uint16_t first_ephemeral_port = 40000;
  // The host's uptime at simulated time 0, which places its timer-wheel ticks when the profile
  // has timer slack (timer_wheel.hpp). Default: drawn from stream "tcp/timer-wheel/<name>".
  std::optional<sim::Duration> uptime_at_zero{};
};

// Receives each connection's notifications. Called after the endpoint's input has been fully
// processed, so it may call back into the host (send, close, connect, accept, release).
class HostObserver {
 public:
  virtual ~HostObserver() = default;
  virtual void on_notification(ConnId id, Notification what) = 0;
  // A listener on `local` forked connection `child` for a SYN from `remote` (§3.10.7.2), before
  // the child processes it: the moment an application can claim the child, before any of its
  // records. Must not call back into the host.
  virtual void on_passive_open(ConnId /*child*/, SocketAddress /*local*/,
                               SocketAddress /*remote*/) {}
};

class TcpHost {
 public:
  // `scheduler`, `output`, `trace` and `observer` must outlive the host; trace and observer may
  // be null.
  TcpHost(sim::Scheduler& scheduler, HostConfig config, SegmentOutput& output,
          const sim::Trace<TcpRecord>* trace = nullptr, HostObserver* observer = nullptr);
  ~TcpHost();
  TcpHost(const TcpHost&) = delete;
  TcpHost& operator=(const TcpHost&) = delete;

  struct ConnectResult {
    ConnectError error = ConnectError::Ok;
    ConnId id = 0;
  };
  // Active open to `remote` from `local_port` (0: the next free ephemeral port), with the
  // socket's options (TCP_USER_TIMEOUT, TCP_SYNCNT: set before connect()).
  [[nodiscard]] ConnectResult connect(SocketAddress remote, std::uint16_t local_port = 0,
                                      const SocketOptions& options = {});
  // Passive open on `port`; SYNs beyond the queues' room are dropped (see Profile). Each child
  // the listener forks starts with `options`.
  [[nodiscard]] ListenError listen(std::uint16_t port, std::uint32_t backlog,
                                   const SocketOptions& options = {});
  // The oldest established connection waiting on `port`, if any. A child its user closed in
  // SYN-RECEIVED leaves the SYN queue when its handshake completes but is never queued here.
  std::optional<ConnId> accept(std::uint16_t port);
  [[nodiscard]] UserError send(ConnId id, std::uint32_t bytes);
  // CLOSE (RFC 9293 §3.10.4). On a listener: the listener goes to CLOSED and its port is free
  // for a new listen() at once; its children not yet accepted go with it (Linux:
  // inet_csk_listen_stop()): an established one (accept queue) is aborted with a RST, a half-open
  // one (SYN queue) is dropped silently, so a later ACK for it reaches no TCB and draws a RST.
  // Each child's owner gets Notification::Closed.
  [[nodiscard]] UserError close(ConnId id);
  // shutdown(SHUT_WR): FIN after the queued data; the connection stays readable (a half-close,
  // RFC 9293 §3.10.4). A later close() sends nothing more (or a RST if octets are unread).
  [[nodiscard]] UserError shutdown_send(ConnId id);
  // RECEIVE (§3.10.3): consumes up to `max` octets received in order; returns how many (0: none
  // waiting, or no such connection). See SocketOptions::app_reads.
  std::uint64_t read(ConnId id, std::uint64_t max);
  // Octets received in order and not yet read (0: none, or no such connection).
  std::uint64_t unread(ConnId id) const;
  void abort(ConnId id);
  // The connection's pending error, cleared by the call, as getsockopt(SO_ERROR) does (None: no
  // error, or no such connection). TcpEndpoint::error() reads it without clearing.
  SocketError take_error(ConnId id);
  // Forgets a connection in any state, silently (no RST: as if the host lost it). Connections,
  // passive children that died before accept() included, stay readable through endpoint()
  // until released. Safe from an observer callback. The id is never reused.
  void release(ConnId id);
  // The user lets go of connection `id`, which goes on alone, as a Linux application's close()
  // orphans its socket (tcp_close(): sock_orphan(); Linux's limits on orphans, tcp_orphan_retries
  // and tcp_max_orphans, are not modelled): the host tells nobody of it again (its
  // notifications not yet delivered included) and releases it itself once it is gone (CLOSED
  // after TIME-WAIT or LAST-ACK, reset, timed out, or lost in a crash); one already CLOSED at
  // once. Until then endpoint(id) still reads it. Not for a listener: close() that.
  void orphan(ConnId id);

  // The host crashes and loses its memory (RFC 9293 §3.5.1): every connection and listener
  // vanishes at once, sending nothing (TcpEndpoint::crash()), and each owner is told
  // Notification::HostCrashed. Until reboot() the host is down: connect() and listen() fail with
  // HostDown and arriving segments are ignored (the network drops them first: sim::Network::
  // set_up()). The ids of the lost connections stay readable through endpoint() until released.
  void crash();
  // The host is back up with no connections and no listeners, as after a boot: ephemeral ports
  // are chosen from the first one again. It keeps its ISN clock and secret, its timer wheel's
  // phase and its counters.
  void reboot();
  bool down() const noexcept { return down_; }

  // A segment addressed to this host arrived from the network.
  void receive(const AddressedSegment& segment);

  const TcpEndpoint* endpoint(ConnId id) const;
  // The listening connection on `port` (close() it to stop listening), if any.
  std::optional<ConnId> listener(std::uint16_t port) const;
  // Accept-queue length on `port` (established, not yet accepted).
  std::size_t accept_queue_length(std::uint16_t port) const;
  const HostCounters& counters() const noexcept { return counters_; }
  HostAddress address() const noexcept { return config_.address; }
  std::uint16_t first_ephemeral_port() const noexcept { return config_.first_ephemeral_port; }
  // Whether a listener or an active open uses local port `port`.
  bool port_in_use(std::uint16_t port) const noexcept {
    return listeners_.contains(port) || ports_.in_use(port);
  }
  const std::string& name() const noexcept { return config_.name; }
  const Profile& profile() const noexcept { return *config_.profile; }
  sim::Time now() const noexcept { return scheduler_->now(); }
  std::size_t connection_count() const noexcept { return live_; }  // not yet released
  // Bytes of one connection object (endpoint, Effects binding, its timers' event ids), without the
  // host tables' entries; for memory budgets (issue 4: <= 512 bytes per connection).
  static std::size_t connection_object_bytes() noexcept;

 private:
  class Connection;
  struct Listener {
    ConnId id = 0;
    std::uint32_t backlog = 0;
    SocketOptions options;             // its children's
    std::uint32_t half_open = 0;       // children in SYN-RECEIVED (the SYN queue)
    std::vector<ConnId> accept_queue;  // children established, not yet accepted
    // Linux: tcp_synq_overflow(): when a cookie was last sent (updated at most once a second);
    // cookie ACKs are checked only within 2 minutes of it (tcp_synq_no_recent_overflow()).
    std::optional<sim::Time> last_overflow;
  };
  class CookieReply;
  Connection& create(TcpEndpoint::Start start, SocketAddress local,
                     const SocketOptions& options = {});
  Connection* find(ConnId id) const;
  void on_notify(Connection& c, Notification n);
  // Notification `n` of `c`, which is gone if `gone`, for its user (dispatch()); an orphan's
  // goes nowhere, and a gone orphan is released by dispatch().
  void tell_user(Connection& c, Notification n, bool gone);
  // Out of line: dispatch() stays small enough to be inlined where it is called.
  [[gnu::noinline, gnu::cold]] void release_gone_orphans();
  bool accept_queue_has_room(const Connection& c);
  void on_timer(Connection& c, TimerKind t);
  void unlink(Connection& c);  // leaves the demux table and the listener's queues
  void close_listener(Connection& listener);
  void dispatch();
  // On every entry (each segment): frees the connections released since the last one
  // (release()), unless an observer callback is still running. The common case, nothing to
  // free, costs two tests.
  void bury() {
    if (!dispatching_ && !graveyard_.empty()) free_released();
  }
  void free_released();
  void trace_host_drop(const Segment& seg, ConnId conn, DropReason why) const;
  void trace_host_segment(RecordKind kind, const Segment& seg, ConnId conn = 0) const;
  // A SYN that opens a connection through listener `l` (§3.10.7.2, Linux's tcp_conn_request()):
  // the queues' and cookies' tests, then a child; `reopen`: the ISS of a SYN that reopened a
  // TIME-WAIT connection, which skips the SYN queue's test and cookies.
  inline void accept_syn(Listener& l, const AddressedSegment& syn, std::optional<SeqNum> reopen);
  // Linux: a SYN for TIME-WAIT connection `c` that may reopen it (TCP_TW_SYN) goes to the
  // listener on its port, if any, with ISS `iss`; with none, `c` answers it with its ACK.
  void reopen(Connection& c, const AddressedSegment& syn, SeqNum iss);
  void answer_no_tcb(const AddressedSegment& in);  // §3.10.7.1
  void send_cookie(Listener& l, const AddressedSegment& syn);
  bool receive_cookie_ack(Listener& l, const AddressedSegment& ack);  // false: the listener's

  sim::Scheduler* scheduler_;
  HostConfig config_;
  SegmentOutput* output_;
  const sim::Trace<TcpRecord>* trace_;
  HostObserver* observer_;
  std::uint64_t secret_key_;  // from the stream "tcp/isn/<name>"
  IsnGenerator isn_;
  SynCookies cookies_;
  EndpointContext context_;
  ConnId next_id_ = 1;
  EphemeralPorts ports_;
  // The connections not yet released, by id, in pages of 4096 ids: a page is freed once every
  // connection in it is released, so memory follows the live connections, not every one ever
  // created (issue 11), and a lookup is two indexings.
  static constexpr std::uint32_t page_bits = 12;
  struct Page {
    std::array<std::unique_ptr<Connection>, std::size_t{1} << page_bits> slots;
    std::uint32_t live = 0;
  };
  std::vector<std::unique_ptr<Page>> pages_;  // [(id - 1) >> page_bits]
  std::size_t live_ = 0;
  DemuxTable demux_;  // the connections on a 4-tuple, by local port and remote socket
  std::map<std::uint16_t, Listener> listeners_;
  std::vector<std::pair<ConnId, Notification>> pending_;  // id 0: withdrawn by orphan()
  std::vector<ConnId> gone_orphans_;                      // released by dispatch()
  std::vector<std::unique_ptr<Connection>> graveyard_;
  bool dispatching_ = false;
  bool down_ = false;               // crashed, not rebooted yet
  TimerWheel wheel_;                // when this host's timers really fire (timer_wheel.hpp)
  bool in_timer_callback_ = false;  // inside on_timer(): the wheel's clock is one jiffy ahead
  HostCounters counters_;
};

std::string_view to_string(ConnectError e) noexcept;
std::string_view to_string(ListenError e) noexcept;

}  // namespace synlab::tcp
