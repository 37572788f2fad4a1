// TcpEndpoint: user calls (RFC 9293 §3.10.1-§3.10.5), the state-entry function, segment
// construction and transmission (§3.8.6 windows, RFC 7323 options).
#include "models/tcp/tcp_endpoint.hpp"

#include <algorithm>

#include "sim/assert.hpp"

namespace synlab::tcp {

using namespace std::chrono_literals;

std::string_view to_string(UserError e) noexcept {
  switch (e) {
    case UserError::Ok:
      return "ok";
    case UserError::InvalidState:
      return "invalid-state";
    case UserError::NotConnected:
      return "not-connected";
    case UserError::ConnectionClosing:
      return "connection-closing";
  }
  return "?";
}

// The trace of an endpoint given none: no sinks, so no kind is enabled and no record is built.
constinit const sim::Trace<TcpRecord> TcpEndpoint::no_trace_;

TcpRecord TcpEndpoint::record(sim::Time now, RecordKind kind) const noexcept {
  TcpRecord r;
  r.time_ns = sim::to_ns(now);
  r.node = ctx_->node;
  r.conn = conn_;
  r.kind = kind;
  return r;
}

TcpEndpoint::TcpEndpoint(const EndpointContext& context, Effects& effects, std::uint32_t conn,
                         Start start, SocketAddress local, const SocketOptions& options)
    : ctx_(&context),
      effects_(&effects),
      options_(options),
      conn_(conn),
      state_(start == Start::ListeningChild ? State::Listen : State::Closed) {
  SYNLAB_ASSERT(ctx_->profile != nullptr, "TcpEndpoint: no profile");
  SYNLAB_ASSERT(ctx_->isn.generator != nullptr || ctx_->isn.fixed, "TcpEndpoint: no ISN source");
  SYNLAB_ASSERT(!options_.user_timeout || *options_.user_timeout > sim::Duration::zero(),
                "TcpEndpoint: a user timeout must be positive (none: nullopt)");
  tcb_.local = local;
  rto_ = ctx_->profile->initial_rto;
}

// --- User calls ------------------------------------------------------------------------------

UserError TcpEndpoint::connect(sim::Time now, SocketAddress local, SocketAddress remote) {
  // §3.10.1 OPEN in CLOSED; §3.10.2 SEND in LISTEN with a foreign socket ("change the
  // connection from passive to active"). Anything else: "connection already exists".
  if (state_ != State::Closed && state_ != State::Listen) return UserError::InvalidState;
  const State from = state_;
  tcb_.local = local;
  tcb_.remote = remote;
  // Linux: tcp_connect_init() sizes the SYN's window for the full MSS (timestamps unknown yet).
  tcb_.rcv_wnd = initial_rcv_wnd(own_mss());
  // "A SYN segment of the form <SEQ=ISS><CTL=SYN> is sent. Set SND.UNA to ISS, SND.NXT to
  // ISS+1, enter SYN-SENT state" (§3.10.1).
  start_handshake(now, choose_iss(now));
  send_syn(now);
  arm(now, TimerKind::Retransmission, handshake_deadline(now));  // RFC 6298 (5.1)
  if (from == State::Closed) {
    // Fig. 5: CLOSED --active OPEN / snd SYN--> SYN-SENT
    enter(now, State::SynSent, Cause::UserConnect);
  } else {
    // Fig. 5: LISTEN --SEND / snd SYN--> SYN-SENT  (§3.10.2)
    enter(now, State::SynSent, Cause::UserConnect);
  }
  return UserError::Ok;
}

UserError TcpEndpoint::listen(sim::Time now, SocketAddress local) {
  if (state_ != State::Closed) return UserError::InvalidState;  // §3.10.1
  tcb_.local = local;
  // Fig. 5: CLOSED --passive OPEN / create TCB--> LISTEN
  enter(now, State::Listen, Cause::UserListen);
  return UserError::Ok;
}

UserError TcpEndpoint::send(sim::Time now, std::uint32_t bytes) {
  switch (state_) {  // §3.10.2 SEND Call
    case State::Closed:
      return UserError::NotConnected;
    case State::Listen:
      return UserError::InvalidState;  // needs a foreign socket: connect()
    case State::SynSent:
    case State::SynReceived:
      // "Queue the data for transmission after entering ESTABLISHED state."
      send_pending_ += bytes;
      return UserError::Ok;
    case State::Established:
    case State::CloseWait:
      send_pending_ += bytes;
      transmit(now);
      return UserError::Ok;
    case State::FinWait1:
    case State::FinWait2:
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      return UserError::ConnectionClosing;
  }
  return UserError::InvalidState;
}

UserError TcpEndpoint::close(sim::Time now) {
  const bool synchronized = state_ == State::Established || state_ == State::FinWait1 ||
                            state_ == State::FinWait2 || state_ == State::CloseWait ||
                            state_ == State::Closing || state_ == State::LastAck;
  if (options_.app_reads && unread() > 0 && synchronized) {
    // RFC 1122 §4.2.2.13: "If such a host issues a CLOSE call while received data is still
    // pending in TCP ... its TCP SHOULD send a RST to show that data was lost" (also RFC 2525
    // §2.17). Linux: tcp_close(): data_was_unread -> TCP_CLOSE, tcp_send_active_reset().
    emit(now, make_active_reset(now));
    send_pending_ = 0;
    // ESTABLISHED (etc.) --CLOSE with unread data / snd RST--> CLOSED  (RFC 1122 §4.2.2.13;
    // not drawn in Figure 5)
    enter(now, State::Closed, Cause::UserClose);
    return UserError::Ok;
  }
  if (options_.app_reads) receive_closed_ = true;  // data arriving from now on is lost
  // After shutdown_send() the FIN is queued or sent already: nothing more to send.
  if (send_shut_ && state_ != State::Closed) return UserError::Ok;
  return close_send(now);
}

UserError TcpEndpoint::shutdown_send(sim::Time now) {
  if (send_shut_) return state_ == State::Closed ? UserError::NotConnected : UserError::Ok;
  const UserError e = close_send(now);
  if (e == UserError::Ok) send_shut_ = true;
  return e;
}

std::uint64_t TcpEndpoint::read(std::uint64_t max) noexcept {
  const std::uint64_t n = std::min(max, unread());
  bytes_read_ += n;
  return n;
}

UserError TcpEndpoint::close_send(sim::Time now) {
  switch (state_) {  // §3.10.4 CLOSE Call
    case State::Closed:
      return UserError::NotConnected;
    case State::Listen:
      // Fig. 5: LISTEN --CLOSE / delete TCB--> CLOSED
      enter(now, State::Closed, Cause::UserClose);
      return UserError::Ok;
    case State::SynSent:
      // "Delete the TCB and return 'error: closing' responses to any queued SENDs": nothing is
      // sent (Linux agrees: tcp_close_state() takes SYN_SENT to CLOSE without a FIN or RST), so
      // a SYN,ACK that arrives later reaches no TCB and draws a RST (§3.10.7.1).
      // Fig. 5: SYN-SENT --CLOSE / delete TCB--> CLOSED
      send_pending_ = 0;
      set_outcome(now, Outcome::Cancelled);  // the handshake was not decided
      enter(now, State::Closed, Cause::UserClose);
      return UserError::Ok;
    case State::SynReceived:
      // "If no SENDs have been issued and there is no pending data to send, then form a FIN
      // segment and send it, and enter FIN-WAIT-1 state; otherwise, queue for processing after
      // entering ESTABLISHED state." Queued data stays queued; the FIN follows it.
      fin_queued_ = true;
      if (send_pending_ == 0) {
        // Fig. 5: SYN-RECEIVED --CLOSE / snd FIN--> FIN-WAIT-1
        send_fin_if_due(now);
        enter(now, State::FinWait1, Cause::UserClose);
      }
      return UserError::Ok;
    case State::Established:
      // "Queue this until all preceding SENDs have been segmentized, then form a FIN segment
      // and send it. In any case, enter FIN-WAIT-1 state."
      fin_queued_ = true;
      transmit(now);
      // Fig. 5: ESTABLISHED --CLOSE / snd FIN--> FIN-WAIT-1
      enter(now, State::FinWait1, Cause::UserClose);
      return UserError::Ok;
    case State::CloseWait:
      fin_queued_ = true;
      transmit(now);
      // Fig. 5: CLOSE-WAIT --CLOSE / snd FIN--> LAST-ACK
      enter(now, State::LastAck, Cause::UserClose);
      return UserError::Ok;
    case State::FinWait1:
    case State::FinWait2:
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      return UserError::ConnectionClosing;
  }
  return UserError::InvalidState;
}

void TcpEndpoint::abort(sim::Time now, Cause why) {
  switch (state_) {  // §3.10.5 ABORT Call
    case State::Closed:
      return;
    case State::Listen:
    case State::SynSent:
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      break;
    case State::SynReceived:
    case State::Established:
    case State::FinWait1:
    case State::FinWait2:
    case State::CloseWait:
      // "Send a reset segment: <SEQ=SND.NXT><CTL=RST>"
      emit(now, make_active_reset(now));
      break;
  }
  send_pending_ = 0;
  set_outcome(now, Outcome::Cancelled);  // only if the handshake was not decided yet
  // ABORT: any state --snd RST--> CLOSED  (§3.10.5; not drawn in Figure 5)
  enter(now, State::Closed, why);
}

void TcpEndpoint::drop_request(sim::Time now) {
  SYNLAB_ASSERT(passive_ || state_ == State::Listen, "drop_request: not a passive child");
  send_pending_ = 0;
  // SYN-RECEIVED --listener closed / x--> CLOSED  (Linux; not drawn in Figure 5)
  enter(now, State::Closed, Cause::ListenerClosed);
}

void TcpEndpoint::crash(sim::Time now) {
  if (state_ == State::Closed) return;
  send_pending_ = 0;
  set_outcome(now, Outcome::Crashed);  // only if the handshake was not decided yet
  // any state --host crash / x--> CLOSED  (§3.5.1; not drawn in Figure 5)
  enter(now, State::Closed, Cause::HostCrash);
}

Segment TcpEndpoint::make_active_reset(sim::Time now) const noexcept {
  if (ctx_->profile->active_reset_with_ack) {
    // Linux: tcp_send_active_reset(): tcp_acceptable_seq() (SND.NXT), TCPHDR_ACK | TCPHDR_RST,
    // through tcp_transmit_skb() like any segment of the connection.
    return make_segment(now, Flag::Rst | Flag::Ack, tcb_.snd_nxt);
  }
  Segment rst = make_segment(now, Flag::Rst, tcb_.snd_nxt);
  rst.options = {};
  rst.window = 0;
  return rst;
}

// --- enter(): the only assignment to state_ --------------------------------------------------

void TcpEndpoint::enter(sim::Time now, State to, Cause why) {
  const State from = state_;
  trace_record(now, RecordKind::State, [&](TcpRecord& r) {
    r.from = from;
    r.to = to;
    r.cause = why;
  });
  state_ = to;
  // Timers tied to states (§3.10.8).
  switch (to) {
    case State::Closed:
    case State::Listen:
      cancel(now, TimerKind::Retransmission);
      cancel(now, TimerKind::TimeWait);
      break;
    case State::TimeWait:
      // "turn off the other timers" and start the time-wait timer (§3.10.7.4 eighth).
      cancel(now, TimerKind::Retransmission);
      arm(now, TimerKind::TimeWait, sim::saturating_add(now, ctx_->profile->time_wait));
      break;
    case State::Established:
    case State::SynSent:
    case State::SynReceived:
    case State::FinWait1:
    case State::FinWait2:
    case State::CloseWait:
    case State::Closing:
    case State::LastAck:
      break;
  }
}

void TcpEndpoint::start_handshake(sim::Time now, SeqNum iss) {
  tcb_.iss = iss;
  tcb_.ts_offset = choose_ts_offset();
  tcb_.snd_una = tcb_.iss;
  tcb_.snd_nxt = tcb_.iss + 1;
  snd_max_ = tcb_.snd_nxt;
  stats_.open_time = now;
  rto_ = ctx_->profile->initial_rto;  // RFC 6298 (2.1)
  expiries_ = 0;
}

void TcpEndpoint::handshake_complete(sim::Time now) {
  stats_.reached_established = true;
  stats_.established_time = now;
  set_outcome(now, Outcome::Established);
  notify(Notification::Established);
}

void TcpEndpoint::set_outcome(sim::Time now, Outcome o) {
  if (stats_.outcome != Outcome::Pending) return;
  stats_.outcome = o;
  trace_record(now, RecordKind::Outcome, [&](TcpRecord& r) { r.outcome = o; });
}

void TcpEndpoint::arm(sim::Time now, TimerKind t, sim::Time deadline) {
  deadlines_[static_cast<std::size_t>(t)] = deadline;
  effects_->arm_timer(t, deadline);
  trace_record(now, RecordKind::TimerArmed, [&](TcpRecord& r) {
    r.timer = t;
    r.deadline_ns = sim::to_ns(deadline);
  });
}

void TcpEndpoint::cancel(sim::Time now, TimerKind t) {
  auto& d = deadlines_[static_cast<std::size_t>(t)];
  if (d == never) return;
  d = never;
  effects_->cancel_timer(t);
  trace_record(now, RecordKind::TimerCancelled, [&](TcpRecord& r) { r.timer = t; });
}

void TcpEndpoint::emit(sim::Time now, const Segment& seg, HostAddress to) {
  trace_record(now, RecordKind::Tx, [&](TcpRecord& r) { r.set_segment(seg); });
  effects_->send(seg, to);
}

void TcpEndpoint::trace_drop(sim::Time now, const Segment& seg, DropReason why) const {
  trace_record(now, RecordKind::Drop, [&](TcpRecord& r) {
    r.reason = why;
    r.set_segment(seg);
  });
}

// Linux: tcp_oow_rate_limited(): one reply to an out-of-window segment per invalid_ratelimit.
// "Data packets without SYNs are not likely part of an ACK loop": a segment that occupies
// sequence space (seq != end_seq: data or a FIN) and has no SYN is never limited. An allowed
// reply is recorded, so the caller must send it.
bool TcpEndpoint::oow_reply_allowed(sim::Time now, const Segment& seg) noexcept {
  if (ctx_->profile->invalid_ratelimit == sim::Duration::zero()) return true;
  if (seg.seg_len() > 0 && !seg.flags.has(Flag::Syn)) return true;
  if (last_oow_reply_ != never && now - last_oow_reply_ < ctx_->profile->invalid_ratelimit)
    return false;
  last_oow_reply_ = now;
  return true;
}

// --- Segments ------------------------------------------------------------------------------

std::uint32_t TcpEndpoint::own_mss() const noexcept {
  // RFC 9293 §3.7.1: 536 when nothing better is known.
  const std::uint32_t mss = ctx_->profile->mss.value_or(536);
  // Linux: tcp_mss_clamp(): the user's TCP_MAXSEG caps it.
  return options_.max_segment ? std::min<std::uint32_t>(mss, *options_.max_segment) : mss;
}

std::optional<std::uint16_t> TcpEndpoint::advertised_mss() const noexcept {
  // The profile's MSS option (none if it offers none), capped by TCP_MAXSEG (Linux:
  // tcp_advertise_mss()).
  if (!ctx_->profile->mss && !options_.max_segment) return std::nullopt;
  return static_cast<std::uint16_t>(own_mss());
}

std::uint32_t TcpEndpoint::initial_rcv_wnd(std::uint32_t mss) const noexcept {
  std::uint32_t w = std::min<std::uint32_t>(ctx_->profile->receive_space_bytes, 65535);
  if (ctx_->profile->round_window_to_mss && w > mss) w -= w % mss;  // Linux: rounddown(space, mss)
  return w;
}

std::uint32_t TcpEndpoint::effective_send_mss() const noexcept {
  // RFC 9293 §3.7.1: Eff.snd.MSS = min(SendMSS+20, MMS_S) - TCPhdrsize - IPoptionsize, where
  // TCPhdrsize counts options: 12 bytes (NOP NOP TS) on every segment once timestamps are on.
  const std::uint32_t mss = std::min<std::uint32_t>(tcb_.snd_mss, own_mss());
  const std::uint32_t options = tcb_.ts_ok ? 12u : 0u;
  // Linux: tcp_mtu_to_mss() never goes below net.ipv4.tcp_min_snd_mss (TCP_MIN_SND_MSS, 48), so
  // a tiny peer MSS cannot make segments of no data (nor, here, underflow).
  constexpr std::uint32_t min_snd_mss = 48;
  return std::max(mss > options ? mss - options : 0u, min_snd_mss);
}

std::uint32_t TcpEndpoint::tsval(sim::Time now) const noexcept {
  const auto ticks = sim::to_ns(now) / ctx_->profile->ts_granularity.count();
  return tcb_.ts_offset + static_cast<std::uint32_t>(static_cast<std::uint64_t>(ticks));
}

SeqNum TcpEndpoint::choose_iss(sim::Time now) const noexcept {
  if (ctx_->isn.fixed) return SeqNum(*ctx_->isn.fixed);
  return ctx_->isn.generator->isn(now, tcb_.local, tcb_.remote);  // RFC 6528 §3
}

std::uint32_t TcpEndpoint::choose_ts_offset() const noexcept {
  return ctx_->isn.fixed ? 0 : ctx_->isn.generator->ts_offset(tcb_.local, tcb_.remote);
}

std::uint16_t TcpEndpoint::window_field(bool syn) const noexcept {
  // RFC 7323 §2.2: the window in a SYN or SYN,ACK is never scaled.
  if (syn || !tcb_.wscale_ok) return static_cast<std::uint16_t>(std::min(tcb_.rcv_wnd, 65535u));
  std::uint32_t w = tcb_.rcv_wnd >> tcb_.rcv_wscale;  // RFC 7323 §2.3
  // Linux: __tcp_select_window() aligns the window up to the scale unit.
  if (ctx_->profile->round_scaled_window_up && (tcb_.rcv_wnd & ((1u << tcb_.rcv_wscale) - 1)) != 0)
    ++w;
  return static_cast<std::uint16_t>(std::min(w, 65535u));
}

void TcpEndpoint::send_syn(sim::Time now) {
  emit(now, make_syn(now));
  ++stats_.syns_sent;
}

void TcpEndpoint::send_synack(sim::Time now) {
  emit(now, make_synack(now));
  ++stats_.synacks_sent;
}

Segment TcpEndpoint::make_segment(sim::Time now, Flags flags, SeqNum seq) const noexcept {
  Segment s;
  s.src_port = tcb_.local.port;
  s.dst_port = tcb_.remote.port;
  s.seq = seq;
  s.flags = flags;
  if (flags.has(Flag::Ack)) s.ack = tcb_.rcv_nxt;
  s.window = window_field(flags.has(Flag::Syn));
  if (tcb_.ts_ok) s.options.timestamps = Timestamps{tsval(now), tcb_.ts_recent};
  return s;
}

Segment TcpEndpoint::make_syn(sim::Time now) const noexcept {
  // Options offered per the profile, in Linux's order (tcp_options_write()).
  Segment s = make_segment(now, Flag::Syn, tcb_.iss);
  s.options.mss = advertised_mss();
  s.options.sack_permitted = ctx_->profile->sack_permitted;
  if (ctx_->profile->timestamps) s.options.timestamps = Timestamps{tsval(now), 0};
  s.options.window_scale = ctx_->profile->window_scale;
  return s;
}

Segment TcpEndpoint::make_synack(sim::Time now) const noexcept {
  // RFC 7323 §1.3, RFC 2018 §2: window scale, timestamps and SACK-permitted only if the SYN
  // carried them; tcb_ already holds the negotiated result.
  Segment s = make_segment(now, Flag::Syn | Flag::Ack, tcb_.iss);
  s.options.mss = advertised_mss();
  s.options.sack_permitted = tcb_.sack_ok;
  if (tcb_.wscale_ok) s.options.window_scale = ctx_->profile->window_scale;
  return s;
}

Segment TcpEndpoint::make_ack(sim::Time now) const noexcept {
  return make_segment(now, Flag::Ack, tcb_.snd_nxt);
}

Segment TcpEndpoint::make_rst(const Segment& to, SeqNum seq) {
  Segment s;
  s.src_port = to.dst_port;
  s.dst_port = to.src_port;
  s.seq = seq;
  s.flags = Flag::Rst;
  return s;
}

std::optional<Segment> TcpEndpoint::reset_for_closed(const Segment& seg) {
  // §3.10.7.1: "An incoming segment containing a RST is discarded. An incoming segment not
  // containing a RST causes a RST to be sent in response."
  if (seg.flags.has(Flag::Rst)) return std::nullopt;
  if (!seg.flags.has(Flag::Ack)) {
    // "<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"
    Segment s = make_rst(seg, SeqNum(0));
    s.flags = Flag::Rst | Flag::Ack;
    s.ack = seg.seq + seg.seg_len();
    return s;
  }
  return make_rst(seg, seg.ack);  // "<SEQ=SEG.ACK><CTL=RST>"
}

// --- Data transfer ---------------------------------------------------------------------------

void TcpEndpoint::start_data_phase(sim::Time now) {
  // RFC 6298 (5.7): "If the timer expires awaiting the ACK of a SYN segment and the TCP
  // implementation is using an RTO less than 3 seconds, the RTO MUST be re-initialized to 3
  // seconds when data transmission begins". Linux: tcp_init_metrics(), TCP_TIMEOUT_FALLBACK.
  // With Profile::rtt_from_tsecr (linux) and timestamps, the handshake has a sample even then
  // (handshake_rtt_sample()), so the fallback applies only when it has none.
  if (handshake_retransmitted_ && !have_rtt_) {
    rto_ = std::max(ctx_->profile->initial_rto, ctx_->profile->rto_after_handshake_loss);
  } else if (!have_rtt_) {
    rto_ = ctx_->profile->initial_rto;
  }
  expiries_ = 0;
  cancel(now, TimerKind::Retransmission);
  transmit(now);
}

bool TcpEndpoint::fin_acked() const noexcept {
  return fin_seq_ && tcb_.snd_una > *fin_seq_;
}

void TcpEndpoint::send_fin_if_due(sim::Time now) {
  if (!fin_queued_ || send_pending_ != 0) return;
  if (fin_seq_ && tcb_.snd_nxt > *fin_seq_) return;  // already sent and not rewound
  if (!fin_seq_) fin_seq_ = tcb_.snd_nxt;
  emit(now, make_segment(now, Flag::Fin | Flag::Ack, tcb_.snd_nxt));
  tcb_.snd_nxt += 1;
  if (tcb_.snd_nxt > snd_max_) snd_max_ = tcb_.snd_nxt;
  if (!armed(TimerKind::Retransmission))
    arm(now, TimerKind::Retransmission, sim::saturating_add(now, rto_));  // RFC 6298 (5.1)
}

void TcpEndpoint::transmit(sim::Time now) {
  // §3.8.6: send while the usable window (SND.UNA + SND.WND - SND.NXT) allows. Deviation: no
  // congestion window, no Nagle, no persist timer (a zero window simply stalls).
  const std::uint32_t mss = effective_send_mss();
  while (send_pending_ > 0) {
    const std::int32_t in_flight = tcb_.snd_nxt - tcb_.snd_una;
    const std::int64_t usable = std::int64_t{tcb_.snd_wnd} - in_flight;
    if (usable <= 0) break;
    const auto len = static_cast<std::uint32_t>(
        std::min<std::uint64_t>({send_pending_, mss, static_cast<std::uint64_t>(usable)}));
    const bool last = len == send_pending_;
    Segment s = make_segment(now, last ? (Flag::Psh | Flag::Ack) : Flags(Flag::Ack), tcb_.snd_nxt);
    s.payload_bytes = len;
    emit(now, s);
    const bool new_data = tcb_.snd_nxt >= snd_max_;
    if (new_data && rtt_start_ == never && expiries_ == 0) {  // RFC 6298 §3 and Karn: time new data
      rtt_start_ = now;
      rtt_seq_ = tcb_.snd_nxt + len;
    }
    tcb_.snd_nxt += len;
    if (tcb_.snd_nxt > snd_max_) snd_max_ = tcb_.snd_nxt;
    send_pending_ -= len;
    if (!armed(TimerKind::Retransmission))
      arm(now, TimerKind::Retransmission, sim::saturating_add(now, rto_));  // RFC 6298 (5.1)
  }
  send_fin_if_due(now);
}

}  // namespace synlab::tcp
