// TcpEndpoint: one TCP connection's state machine, sans-IO (STYLE §1, §5). It receives `now` and
// one input (a user call, a segment, a timer expiry) and answers through Effects (segments,
// timers, notifications) and trace records. It never touches the Scheduler.
// RFC 9293 §3.10 (event processing), RFC 6298 (retransmission timer), RFC 5961 (challenge ACK),
// RFC 7323 (window scale, timestamps). Files: tcp_endpoint.cpp (user calls §3.10.1-§3.10.5,
// helpers), tcp_endpoint_segment_arrives.cpp (§3.10.7), tcp_endpoint_timeouts.cpp (§3.10.8).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <utility>

#include "models/tcp/effects.hpp"
#include "models/tcp/isn_generator.hpp"
#include "models/tcp/profile.hpp"
#include "models/tcp/segment.hpp"
#include "models/tcp/socket_error.hpp"
#include "models/tcp/socket_options.hpp"
#include "models/tcp/syn_cookies.hpp"
#include "models/tcp/tcb.hpp"
#include "models/tcp/tcp_record.hpp"
#include "models/tcp/tcp_state.hpp"
#include "sim/time.hpp"
#include "sim/trace.hpp"

namespace synlab::tcp {

// Misuse of the user interface (RFC 9293 §3.10 "error: ..." replies).
enum class UserError : std::uint8_t {
  Ok,
  InvalidState,       // e.g. connect() on an open connection ("connection already exists")
  NotConnected,       // "connection does not exist"
  ConnectionClosing,  // "connection closing"
};

std::string_view to_string(UserError e) noexcept;

// Per-connection handshake statistics (issue 4 "What the model reports").
struct ConnectionStats {
  // connect(), or the SYN that created a passive connection. Linux's retrans_stamp: the SYN
  // give-up time bound counts from here.
  sim::Time open_time{};
  sim::Time established_time{};    // meaningful when reached_established
  std::uint32_t syns_sent = 0;     // SYNs (not SYN,ACKs), retransmissions included
  std::uint32_t synacks_sent = 0;  // SYN,ACKs, timer retransmissions and duplicate replies included
  std::uint32_t data_retransmissions = 0;  // retransmission-timer expiries with data or FIN
  bool reached_established = false;
  Outcome outcome = Outcome::Pending;
};

// Where an endpoint's initial sequence number comes from.
struct IsnSource {
  const IsnGenerator* generator = nullptr;  // RFC 6528; not owned, must outlive the endpoint
  std::optional<std::uint32_t> fixed;       // a fixed ISN (and TSval offset 0) for lab traces
};

// What the endpoints of one host share. Not owned by the endpoint; must outlive it.
struct EndpointContext {
  const Profile* profile = nullptr;
  const sim::Trace<TcpRecord>* trace = nullptr;  // null: no tracing
  IsnSource isn;
  NodeName node;  // names the endpoint in trace records
};

class TcpEndpoint {
 public:
  enum class Start : std::uint8_t {
    Closed,
    // A copy of a listening TCB made for one arriving SYN (RFC 9293 §3.10.7.2; Linux's request
    // socket). It starts in LISTEN without a state record: LISTEN belongs to the listener.
    ListeningChild,
  };

  // `context` and `effects` must outlive the endpoint. `conn` names it in the trace. `options`
  // are the socket's (a listening child: its listener's), set before connect() or listen().
  TcpEndpoint(const EndpointContext& context, Effects& effects, std::uint32_t conn,
              Start start = Start::Closed, SocketAddress local = {},
              const SocketOptions& options = {});

  TcpEndpoint(const TcpEndpoint&) = delete;
  TcpEndpoint& operator=(const TcpEndpoint&) = delete;

  // --- User calls (RFC 9293 §3.10.1-§3.10.5) ------------------------------------------------
  // OPEN, active; also SEND in LISTEN with a remote socket (§3.10.2), which makes it active.
  [[nodiscard]] UserError connect(sim::Time now, SocketAddress local, SocketAddress remote);
  // OPEN, passive.
  [[nodiscard]] UserError listen(sim::Time now, SocketAddress local);
  // SEND `bytes` octets (the payload is not modelled, only its length).
  [[nodiscard]] UserError send(sim::Time now, std::uint32_t bytes);
  // CLOSE: FIN after the queued data. The RFC's CLOSE is a half-close ("the user who CLOSEs may
  // continue to RECEIVE", §3.10.4), and so is this one, with one exception: when the socket's
  // application reads (SocketOptions::app_reads) and received octets are still unread, close()
  // resets the connection instead (RFC 1122 §4.2.2.13; Linux tcp_close()). After
  // shutdown_send(), close() sends nothing more.
  [[nodiscard]] UserError close(sim::Time now);
  // shutdown(SHUT_WR): the RFC's CLOSE itself: FIN after the queued data, and the connection
  // stays readable until the peer's FIN.
  [[nodiscard]] UserError shutdown_send(sim::Time now);
  // RECEIVE (§3.10.3): consumes up to `max` received octets (the payload is not modelled, only
  // its length); returns how many. Deviation: unread octets do not shrink the receive window.
  [[nodiscard]] std::uint64_t read(std::uint64_t max) noexcept;
  // ABORT: RST to the peer in synchronized states, then CLOSED. `why` names the transition
  // (UserAbort; ListenerClosed when the host aborts a closed listener's child).
  void abort(sim::Time now, Cause why = Cause::UserAbort);
  // Deletes a half-open passive child whose listener closed, sending nothing: CLOSED with cause
  // ListenerClosed. Linux: the request socket dies with its listener (inet_csk_listen_stop(),
  // reqsk_timer_handler()), and a later ACK reaches no socket and draws a RST.
  void drop_request(sim::Time now);
  // The host crashed (RFC 9293 §3.5.1: "a crash that resulted in loss of memory"): the
  // connection vanishes in any state, sending nothing, its timers stopped: CLOSED with cause
  // HostCrash, outcome Crashed if the handshake was not decided. Not an event of the RFC's
  // state machine; the peer finds out only when it next hears from this host (Figures 9, 10).
  void crash(sim::Time now);

  // --- SYN cookies (Linux; RFC 4987 §3.6; see SynCookies) --------------------------------------
  // On a listening child made for one SYN: answers `syn` from host `from` as §3.10.7.2 would,
  // but with ISS = `cookie` (SynCookies::make()), and stays in LISTEN:
  // the caller discards the child, so no request is kept, no timer armed, nothing retransmitted.
  // Linux: tcp_conn_request() with want_cookie; without timestamps in the SYN,
  // tcp_clear_options() leaves the SYN,ACK without window scale and SACK; with them, TSval
  // carries the SYN's options (cookie_init_timestamp()).
  void send_cookie_synack(sim::Time now, const Segment& syn, HostAddress from, SeqNum cookie);
  // On a listening child: rebuilds the TCB from an ACK whose cookie is valid (the MSS it carries,
  // the options its TSecr carries) and enters SYN-RECEIVED; the caller then passes it `ack`
  // through on_segment(), which completes the handshake (Linux: cookie_v4_check() ->
  // tcp_get_cookie_sock(), then tcp_child_process()).
  void open_from_cookie(sim::Time now, const Segment& ack, HostAddress from, std::uint16_t mss,
                        const CookieOptions& peer);

  // Linux (Profile::syn_reopens_time_wait): in TIME-WAIT, the ISS of the new connection that
  // `seg` may open through a listener on our port (tcp_timewait_state_process(), TCP_TW_SYN):
  // SND.NXT + 65535 + 2, never 0. Only for a SYN without ACK or RST that PAWS does not reject
  // (its TSval not behind TS.Recent, or TS.Recent 0) and that is newer than this connection:
  // SEG.SEQ after RCV.NXT, or SEG.TSval after TS.Recent. Nullopt otherwise, and in any other
  // state. The host decides whether a listener takes it (TcpHost::reopen()).
  std::optional<SeqNum> time_wait_reopen_iss(const Segment& seg) const noexcept {
    if (state_ != State::TimeWait) [[likely]]
      return std::nullopt;
    return reopen_iss(seg);
  }
  // The SYN that time_wait_reopen_iss() accepted goes to a listener, and this connection gives
  // way (Linux: inet_twsk_deschedule_put()): TIME-WAIT --rcv SYN--> CLOSED; the user is told
  // Closed.
  void give_way_to_syn(sim::Time now);
  // No listener takes that SYN: this connection's ACK <SEQ=SND.NXT><ACK=RCV.NXT>, without the
  // out-of-window replies' rate limit (Linux: TCP_TW_SYN falls through to
  // tcp_v4_timewait_ack()); the connection stays in TIME-WAIT, its timer as it was.
  void ack_unopened_syn(sim::Time now, const Segment& syn);
  // A listening child takes a SYN that reopened a TIME-WAIT connection, with the ISS chosen
  // there (Linux: tcp_conn_request() with the TIME-WAIT's isn), as on_segment() takes any other.
  void on_reopening_syn(sim::Time now, const Segment& syn, HostAddress from, SeqNum iss);

  // --- Network and timers ---------------------------------------------------------------------
  // A segment for this connection arrived from host `from` (§3.10.7).
  void on_segment(sim::Time now, const Segment& seg, HostAddress from);
  // The timer `timer` fired at `now`, which is its deadline (§3.10.8).
  void on_timer(sim::Time now, TimerKind timer);

  // The reply to a segment that reaches no TCB, or a TCB in CLOSED (§3.10.7.1); nullopt if the
  // segment is a RST (never answered).
  static std::optional<Segment> reset_for_closed(const Segment& seg);

  // --- Observers ------------------------------------------------------------------------------
  State state() const noexcept { return state_; }
  const Tcb& tcb() const noexcept { return tcb_; }
  const ConnectionStats& stats() const noexcept { return stats_; }
  const Profile& profile() const noexcept { return *ctx_->profile; }
  const SocketOptions& options() const noexcept { return options_; }
  // The pending error (SO_ERROR): set when a RST or a timeout ends the connection, kept until
  // taken. None after the user's own close() or abort().
  SocketError error() const noexcept { return error_; }
  // Returns the pending error and clears it, as reading SO_ERROR does (Linux: sock_error()).
  SocketError take_error() noexcept { return std::exchange(error_, SocketError::None); }
  bool passive() const noexcept { return passive_; }
  std::uint32_t conn() const noexcept { return conn_; }
  // The deadline of an armed timer, for tests and the adapter's checks.
  std::optional<sim::Time> timer_deadline(TimerKind t) const noexcept {
    const sim::Time d = deadlines_[static_cast<std::size_t>(t)];
    return d == never ? std::nullopt : std::optional<sim::Time>(d);
  }
  sim::Duration rto() const noexcept { return rto_; }
  sim::Duration srtt() const noexcept { return srtt_; }
  sim::Duration rttvar() const noexcept { return rttvar_; }
  std::uint64_t bytes_received() const noexcept { return bytes_received_; }
  // Octets received in order and not yet consumed by read().
  std::uint64_t unread() const noexcept { return bytes_received_ - bytes_read_; }
  std::uint64_t bytes_acked() const noexcept { return bytes_acked_; }
  // Effective send MSS (RFC 9293 §3.7.1): the peer's MSS less our TCP option bytes.
  std::uint32_t effective_send_mss() const noexcept;

 private:
  // --- §3.10.7 SEGMENT ARRIVES, one function per subsection (tcp_endpoint_segment_arrives.cpp)
  // .2; `iss`: the one to take instead of selecting one (on_reopening_syn())
  void segment_arrives_listen(sim::Time now, const Segment& seg, HostAddress from,
                              std::optional<SeqNum> iss = std::nullopt);
  std::optional<SeqNum> reopen_iss(const Segment& seg) const noexcept;  // in TIME-WAIT
  void segment_arrives_syn_sent(sim::Time now, const Segment& seg);     // .3
  void segment_arrives_other(sim::Time now, const Segment& seg);        // .4
  void segment_checks(sim::Time now, const Segment& seg);               // .4's eight steps
  // §3.10.7.4's checks, in the RFC's order.
  bool check_sequence(sim::Time now, const Segment& seg);  // first
  bool check_rst(sim::Time now, const Segment& seg);       // second
  bool check_syn(sim::Time now, const Segment& seg);       // fourth
  bool check_ack(sim::Time now, const Segment& seg);       // fifth
  bool process_text(sim::Time now, const Segment& seg);    // seventh
  void check_fin(sim::Time now, const Segment& seg);       // eighth
  bool segment_acceptable(const Segment& seg) const noexcept;
  void take_peer_syn_options(const Segment& syn) noexcept;
  void update_ts_recent(const Segment& seg) noexcept;
  void process_ack_of_data(sim::Time now, const Segment& seg);

  // --- §3.10.8 TIMEOUTS (tcp_endpoint_timeouts.cpp)
  void syn_timeout(sim::Time now);
  void synack_timeout(sim::Time now);
  void data_timeout(sim::Time now);
  void time_wait_timeout(sim::Time now);
  bool syn_give_up(sim::Time now) const noexcept;
  std::uint32_t syn_retries() const noexcept;  // TCP_SYNCNT, else the profile's
  // When the SYN (or an active open's SYN,ACK) timer armed at `now` fires: now + RTO, bounded by
  // the user timeout (SocketOptions::user_timeout) as the profile's rule says.
  sim::Time handshake_deadline(sim::Time now) const noexcept;
  void handshake_timed_out(sim::Time now, Cause why);
  sim::Duration backed_off_rto(std::uint32_t expiries) const noexcept;
  void rtt_sample(sim::Duration r) noexcept;
  // The handshake's RTT sample, taken as `seg` completes it: timed from the open, unless a SYN or
  // SYN,ACK was retransmitted (Karn) or the connection came from a cookie (no SYN,ACK send
  // time); then, with Profile::rtt_from_tsecr and timestamps, from the TSecr of `seg`.
  void handshake_rtt_sample(sim::Time now, const Segment& seg) noexcept;

  // --- State and effects (tcp_endpoint.cpp)
  // The only place that changes state_: writes the trace record and handles the timers tied
  // to states (STYLE §5).
  void enter(sim::Time now, State to, Cause why);
  void set_outcome(sim::Time now, Outcome o);
  void arm(sim::Time now, TimerKind t, sim::Time deadline);
  void cancel(sim::Time now, TimerKind t);
  void emit(sim::Time now, const Segment& seg, HostAddress to);
  void emit(sim::Time now, const Segment& seg) { emit(now, seg, tcb_.remote.host); }
  void trace_drop(sim::Time now, const Segment& seg, DropReason why) const;
  void notify(Notification n) { effects_->notify(n); }
  // Linux's rate limit on replies to out-of-window segments; true records a reply.
  bool oow_reply_allowed(sim::Time now, const Segment& seg) noexcept;

  // The opening side's set-up, active (§3.10.1) or passive (§3.10.7.2): the ISS (`iss`, from
  // choose_iss() or the TIME-WAIT connection a SYN reopened), SND.UNA = ISS, SND.NXT = ISS+1, the
  // open time and the initial RTO. The caller sends the SYN or SYN,ACK and arms the timer.
  void start_handshake(sim::Time now, SeqNum iss);
  void send_syn(sim::Time now);     // <SEQ=ISS><CTL=SYN>, counted in stats_
  void send_synack(sim::Time now);  // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, counted in stats_
  // Our SYN is still unacknowledged in a synchronized state: SYN-RECEIVED, or FIN-WAIT-1 /
  // CLOSING after a CLOSE in SYN-RECEIVED (§3.10.4). Its octet is not data. SND.UNA = ISS alone
  // does not say so: sequence numbers wrap (RFC 9293 §3.4), and after the SYN and 2^32 - 1 data
  // octets SND.UNA is ISS again. No data is acknowledged before the SYN is.
  bool syn_unacked() const noexcept { return tcb_.snd_una == tcb_.iss && bytes_acked_ == 0; }
  // The peer acknowledged our SYN: records the handshake statistics and tells the user.
  void handshake_complete(sim::Time now);

  Segment make_segment(sim::Time now, Flags flags, SeqNum seq) const noexcept;
  Segment make_syn(sim::Time now) const noexcept;
  Segment make_synack(sim::Time now) const noexcept;
  Segment make_ack(sim::Time now) const noexcept;          // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>
  static Segment make_rst(const Segment& to, SeqNum seq);  // <SEQ=seq><CTL=RST>
  // The RST of ABORT (§3.10.5), in the profile's form (active_reset_with_ack).
  Segment make_active_reset(sim::Time now) const noexcept;
  std::uint16_t window_field(bool syn) const noexcept;
  std::uint32_t tsval(sim::Time now) const noexcept;
  SeqNum choose_iss(sim::Time now) const noexcept;
  std::uint32_t choose_ts_offset() const noexcept;  // RFC 7323 §5.4, from the ISN source
  std::uint32_t initial_rcv_wnd(std::uint32_t mss) const noexcept;
  std::uint32_t own_mss() const noexcept;
  std::optional<std::uint16_t> advertised_mss() const noexcept;  // the MSS option we send

  UserError close_send(sim::Time now);   // §3.10.4 CLOSE: FIN after the queued data
  void start_data_phase(sim::Time now);  // RFC 6298 (5.7) on reaching ESTABLISHED; sends
  void transmit(sim::Time now);          // sends what the window allows, FIN last
  void send_fin_if_due(sim::Time now);
  bool fin_acked() const noexcept;

  // The context's trace, or one without sinks (enabled(kind) is then false for every kind).
  const sim::Trace<TcpRecord>& trace() const noexcept {
    return ctx_->trace != nullptr ? *ctx_->trace : no_trace_;
  }
  static const sim::Trace<TcpRecord> no_trace_;
  // A trace record of this connection at `now`, its kind-specific fields left to the caller.
  TcpRecord record(sim::Time now, RecordKind kind) const noexcept;
  // Writes this connection's record of `kind` at `now`, `fill(r)` setting its kind-specific
  // fields: built only if the trace takes records of that kind. The building is out of line:
  // inlined, its calls made every caller (enter(), arm(), emit() ...) save and restore six
  // registers on every call, traced or not.
  template <class Fill>
  void trace_record(sim::Time now, RecordKind kind, Fill&& fill) const {
    if (trace().enabled(kind)) [[unlikely]]
      write_record(now, kind, fill);
  }
  template <class Fill>
  [[gnu::cold, gnu::noinline]] void write_record(sim::Time now, RecordKind kind,
                                                 const Fill& fill) const {
    TcpRecord r = record(now, kind);
    fill(r);
    trace().write(r);
  }
  bool armed(TimerKind t) const noexcept {
    return deadlines_[static_cast<std::size_t>(t)] != never;
  }

  // "Not armed" / "not timing" for the Time fields below (kept plain for a small endpoint).
  static constexpr sim::Time never = sim::time_max;

  const EndpointContext* ctx_;
  Effects* effects_;
  SocketOptions options_;
  std::uint32_t conn_;
  State state_ = State::Closed;
  bool passive_ = false;          // reached SYN-RECEIVED from LISTEN (§3.5 MUST-11)
  bool window_unscaled_ = false;  // the segment being processed had its SYN trimmed
  Tcb tcb_;

  // Retransmission (RFC 6298) and SYN / SYN-ACK retries.
  sim::Duration rto_{};
  sim::Duration srtt_{};
  sim::Duration rttvar_{};
  bool have_rtt_ = false;
  bool handshake_retransmitted_ = false;  // Karn: no RTT sample from the handshake (5.7)
  bool from_cookie_ = false;     // made by a cookie ACK: no SYN,ACK send time, so no RTT sample
  std::uint32_t expiries_ = 0;   // consecutive retransmission-timer expiries
  sim::Time rtt_start_ = never;  // one timed segment at a time (Karn)
  SeqNum rtt_seq_;
  sim::Time last_oow_reply_ = never;
  std::array<sim::Time, timer_kind_count> deadlines_{never, never};

  // Send side: snd_max_ is the highest sequence number sent; a timeout rewinds snd_nxt to
  // snd_una and sends again (go-back-N; Deviation: no SACK-based recovery, no congestion control).
  SeqNum snd_max_;
  std::uint64_t send_pending_ = 0;  // octets from snd_nxt on that the user queued
  bool fin_queued_ = false;         // CLOSE was called: FIN after the queued data
  std::optional<SeqNum> fin_seq_;   // our FIN's sequence number, once sent
  std::uint64_t bytes_received_ = 0;
  std::uint64_t bytes_read_ = 0;  // consumed by read()
  std::uint64_t bytes_acked_ = 0;
  bool send_shut_ = false;       // shutdown_send() was called
  bool receive_closed_ = false;  // close() by an application that reads: nothing more is read
  SocketError error_ = SocketError::None;

  ConnectionStats stats_;
};

}  // namespace synlab::tcp
