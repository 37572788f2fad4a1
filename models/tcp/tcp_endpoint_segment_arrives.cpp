// TcpEndpoint: SEGMENT ARRIVES, RFC 9293 §3.10.7, one function per subsection, each running the
// RFC's checks in the RFC's order. RFC 5961 (RST and SYN challenge ACKs) as RFC 9293 folds it in.
#include <algorithm>

#include "models/tcp/tcp_endpoint.hpp"
#include "sim/assert.hpp"

namespace synlab::tcp {

void TcpEndpoint::on_segment(sim::Time now, const Segment& seg, HostAddress from) {
  trace_record(now, RecordKind::Rx, [&](TcpRecord& r) { r.set_segment(seg); });
  switch (state_) {
    case State::Closed:
      // §3.10.7.1: "all data in the incoming segment is discarded" and a RST answers.
      if (const auto rst = reset_for_closed(seg)) {
        emit(now, *rst, from);
      } else {
        trace_drop(now, seg, DropReason::RstIgnored);
      }
      return;
    case State::Listen:
      segment_arrives_listen(now, seg, from);
      return;
    case State::SynSent:
      segment_arrives_syn_sent(now, seg);
      return;
    case State::SynReceived:
    case State::Established:
    case State::FinWait1:
    case State::FinWait2:
    case State::CloseWait:
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      segment_arrives_other(now, seg);
      return;
  }
}

// Records the peer's SYN options; an option is in effect only if both SYNs carry it
// (RFC 7323 §1.3, §2.2; RFC 2018 §2; RFC 9293 §3.7.1).
void TcpEndpoint::take_peer_syn_options(const Segment& syn) noexcept {
  // RFC 9293 §3.7.1 (MUST-15): 536 without the option. Linux: tcp_parse_options() ignores an
  // MSS option of 0, so the default holds then too.
  const std::uint16_t peer_mss = syn.options.mss.value_or(0);
  tcb_.snd_mss = peer_mss != 0 ? peer_mss : 536;
  tcb_.wscale_ok = syn.options.window_scale.has_value() && ctx_->profile->window_scale.has_value();
  if (tcb_.wscale_ok) {
    // RFC 7323 §2.3: a shift above 14 is used as 14.
    tcb_.snd_wscale = std::min<std::uint8_t>(*syn.options.window_scale, 14);
    tcb_.rcv_wscale = *ctx_->profile->window_scale;
  }
  tcb_.sack_ok = syn.options.sack_permitted && ctx_->profile->sack_permitted;
  tcb_.ts_ok = syn.options.timestamps.has_value() && ctx_->profile->timestamps;
  if (tcb_.ts_ok) tcb_.ts_recent = syn.options.timestamps->tsval;
}

// RFC 7323 §4.3: TS.Recent takes SEG.TSval from a segment that is not older and does not start
// beyond what we acknowledge.
void TcpEndpoint::update_ts_recent(const Segment& seg) noexcept {
  if (!tcb_.ts_ok || !seg.options.timestamps) return;
  const std::uint32_t v = seg.options.timestamps->tsval;
  if (static_cast<std::int32_t>(v - tcb_.ts_recent) >= 0 && seg.seq <= tcb_.rcv_nxt)
    tcb_.ts_recent = v;
}

// --- §3.10.7.2 LISTEN STATE -------------------------------------------------------------------

void TcpEndpoint::on_reopening_syn(sim::Time now, const Segment& syn, HostAddress from,
                                   SeqNum iss) {
  SYNLAB_ASSERT(state_ == State::Listen, "on_reopening_syn: not a listening child");
  trace_record(now, RecordKind::Rx, [&](TcpRecord& r) { r.set_segment(syn); });
  segment_arrives_listen(now, syn, from, iss);
}

void TcpEndpoint::segment_arrives_listen(sim::Time now, const Segment& seg, HostAddress from,
                                         std::optional<SeqNum> iss) {
  // "First, check for a RST: An incoming RST segment could not be valid since it could not
  // have been sent in response to anything sent by this incarnation of the connection."
  if (seg.flags.has(Flag::Rst)) {
    trace_drop(now, seg, DropReason::RstIgnored);
    return;
  }
  // "Second, check for an ACK: Any acknowledgment is bad if it arrives on a connection still
  // in the LISTEN state. An acceptable reset segment should be formed for any arriving
  // ACK-bearing segment. The RST should be formatted as follows: <SEQ=SEG.ACK><CTL=RST>"
  // Linux: the RST for data reaching a listener whose request expired (reference, f2).
  if (seg.flags.has(Flag::Ack)) {
    emit(now, make_rst(seg, seg.ack), from);
    return;
  }
  // "Third, check for a SYN": set RCV.NXT to SEG.SEQ+1, IRS to SEG.SEQ, select an ISS and send
  // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>; SND.NXT = ISS+1, SND.UNA = ISS.
  if (seg.flags.has(Flag::Syn)) {
    tcb_.remote = SocketAddress{from, seg.src_port};
    tcb_.irs = seg.seq;
    tcb_.rcv_nxt = seg.seq + 1;
    take_peer_syn_options(seg);
    // Linux: tcp_openreq_init_rwin() sizes the window for the MSS less the timestamp option.
    tcb_.rcv_wnd = initial_rcv_wnd(own_mss() - (tcb_.ts_ok ? 12u : 0u));
    tcb_.snd_wnd = seg.window;  // RFC 7323 §2.2: a SYN's window is never scaled
    tcb_.snd_wl1 = seg.seq;
    passive_ = true;
    start_handshake(now, iss ? *iss : choose_iss(now));
    send_synack(now);
    arm(now, TimerKind::Retransmission, sim::saturating_add(now, rto_));  // RFC 6298 (5.1)
    // Fig. 5: LISTEN --rcv SYN / snd SYN,ACK--> SYN-RECEIVED
    enter(now, State::SynReceived, Cause::RcvSyn);
    return;
  }
  // "Fourth, other data or control: ... drop the segment and return."
  trace_drop(now, seg, DropReason::Unexpected);
}

// --- SYN cookies (Linux; RFC 4987 §3.6): LISTEN without a request ----------------------------

void TcpEndpoint::send_cookie_synack(sim::Time now, const Segment& syn, HostAddress from,
                                     SeqNum cookie) {
  SYNLAB_ASSERT(state_ == State::Listen && !passive_, "send_cookie_synack: not a listening child");
  // §3.10.7.2 "third, check for a SYN", as segment_arrives_listen() does, with ISS = the cookie.
  tcb_.remote = SocketAddress{from, syn.src_port};
  tcb_.irs = syn.seq;
  tcb_.rcv_nxt = syn.seq + 1;
  take_peer_syn_options(syn);
  // Linux: tcp_conn_request(): "if (want_cookie && !tmp_opt.saw_tstamp) tcp_clear_options()":
  // without timestamps nothing could carry the window scale or SACK to the ACK.
  if (!tcb_.ts_ok) {
    tcb_.wscale_ok = false;
    tcb_.sack_ok = false;
  }
  tcb_.rcv_wnd = initial_rcv_wnd(own_mss() - (tcb_.ts_ok ? 12u : 0u));  // as a normal SYN,ACK
  tcb_.iss = cookie;
  tcb_.snd_una = tcb_.iss;
  tcb_.snd_nxt = tcb_.iss + 1;
  tcb_.ts_offset = choose_ts_offset();
  Segment synack = make_synack(now);
  if (tcb_.ts_ok) {
    // Linux: cookie_init_timestamp() on the TSval clock, before the connection's offset.
    const CookieOptions peer{tcb_.wscale_ok ? std::optional(tcb_.snd_wscale) : std::nullopt,
                             tcb_.sack_ok};
    synack.options.timestamps->tsval =
        tcb_.ts_offset + SynCookies::encode_tsval(tsval(now) - tcb_.ts_offset, peer);
  }
  emit(now, synack, from);
  trace_record(now, RecordKind::CookieSent, [&](TcpRecord& r) { r.set_segment(synack); });
}

void TcpEndpoint::open_from_cookie(sim::Time now, const Segment& ack, HostAddress from,
                                   std::uint16_t mss, const CookieOptions& peer) {
  SYNLAB_ASSERT(state_ == State::Listen && !passive_, "open_from_cookie: not a listening child");
  trace_record(now, RecordKind::CookieValid, [&](TcpRecord& r) { r.set_segment(ack); });
  // Linux: cookie_tcp_reqsk_init(): rcv_isn = SEG.SEQ - 1, snt_isn = SEG.ACK - 1; the
  // connection then stands where the SYN,ACK had left it.
  tcb_.remote = SocketAddress{from, ack.src_port};
  tcb_.irs = ack.seq - 1;
  tcb_.rcv_nxt = ack.seq;
  tcb_.iss = ack.ack - 1;
  tcb_.snd_una = tcb_.iss;
  tcb_.snd_nxt = tcb_.iss + 1;
  snd_max_ = tcb_.snd_nxt;
  tcb_.snd_wl1 = tcb_.irs;
  tcb_.ts_offset = choose_ts_offset();
  // Linux: cookie_tcp_reqsk_alloc(): the MSS from the cookie, the options from TSecr
  // (cookie_timestamp_decode(); none without timestamps), TS.Recent = SEG.TSval.
  tcb_.snd_mss = mss;
  tcb_.ts_ok = ack.options.timestamps.has_value() && ctx_->profile->timestamps;
  if (tcb_.ts_ok) tcb_.ts_recent = ack.options.timestamps->tsval;
  tcb_.sack_ok = tcb_.ts_ok && peer.sack_permitted && ctx_->profile->sack_permitted;
  tcb_.wscale_ok = tcb_.ts_ok && peer.window_scale && ctx_->profile->window_scale;
  if (tcb_.wscale_ok) {
    tcb_.snd_wscale = std::min<std::uint8_t>(*peer.window_scale, 14);  // RFC 7323 §2.3
    tcb_.rcv_wscale = *ctx_->profile->window_scale;
  }
  // Linux: cookie_v4_check() sizes the window with tcp_select_initial_window(..., req->mss):
  // the cookie's MSS, not our own.
  tcb_.rcv_wnd = initial_rcv_wnd(mss);
  passive_ = true;
  from_cookie_ = true;
  stats_.open_time = now;
  stats_.synacks_sent = 1;  // the cookie SYN,ACK this ACK answers (the listener kept no count)
  rto_ = ctx_->profile->initial_rto;  // RFC 6298 (2.1)
  expiries_ = 0;
  // LISTEN --rcv ACK with a valid cookie / x--> SYN-RECEIVED  (Linux cookie_v4_check() ->
  // tcp_get_cookie_sock(); not drawn in Figure 5: the SYN,ACK was sent from LISTEN)
  enter(now, State::SynReceived, Cause::RcvCookieAck);
}

// --- §3.10.7.3 SYN-SENT STATE -----------------------------------------------------------------

void TcpEndpoint::segment_arrives_syn_sent(sim::Time now, const Segment& seg) {
  const bool ack = seg.flags.has(Flag::Ack);
  // "First, check the ACK bit: If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the
  // RST bit is set, if so drop the segment and return) <SEQ=SEG.ACK><CTL=RST>".
  if (ack && (seg.ack <= tcb_.iss || seg.ack > tcb_.snd_nxt)) {
    // Linux: before any retransmission the SYN's timer is re-armed to TCP_TIMEOUT_MIN (2
    // jiffies): the ACK may be a stale connection's, which this RST ends (RFC 9293 §3.5.1,
    // Figure 9), so the SYN goes again at once. A RST,ACK re-arms it too.
    if (ctx_->profile->syn_again_after_bad_ack && expiries_ == 0)
      arm(now, TimerKind::Retransmission, sim::saturating_add(now, 2 * ctx_->profile->jiffy));
    if (!seg.flags.has(Flag::Rst)) emit(now, make_rst(seg, seg.ack));
    trace_drop(now, seg, DropReason::BadAck);
    return;
  }
  // Linux: tcp_rcv_synsent_state_process() then checks an acceptable ACK's TSecr against the
  // timestamps it has sent: a non-zero TSecr not between the first SYN's TSval (retrans_stamp)
  // and the current TSval is refused as the bad ACK above ("goto reset_and_undo", counted as
  // PAWSActiveRejected): <SEQ=SEG.ACK><CTL=RST> (none for a RST), the segment dropped, the
  // connection still in SYN-SENT. Before the RST bit's check, so such a RST,ACK is ignored.
  // (Linux takes the connection's TSval offset off a non-zero TSecr first, so a TSecr equal to
  // that offset is not tested either.)
  if (ack && ctx_->profile->paws_active_reject && ctx_->profile->timestamps &&
      seg.options.timestamps && seg.options.timestamps->tsecr != 0 &&
      seg.options.timestamps->tsecr != tcb_.ts_offset) {
    // between(TSecr, first, now) with 32-bit wrap-around: now - first >= TSecr - first.
    const std::uint32_t first = tsval(stats_.open_time);  // the first SYN left at connect()
    if (seg.options.timestamps->tsecr - first > tsval(now) - first) {
      if (!seg.flags.has(Flag::Rst)) emit(now, make_rst(seg, seg.ack));
      trace_drop(now, seg, DropReason::PawsRejected);
      return;
    }
  }
  // "Second, check the RST bit: If the ACK was acceptable, then signal to the user 'error:
  // connection reset', drop the segment, enter CLOSED state, delete TCB, and return. Otherwise
  // (no ACK), drop the segment and return." (RFC 5961 §3.2 agrees for SYN-SENT.)
  if (seg.flags.has(Flag::Rst)) {
    if (!ack) {
      trace_drop(now, seg, DropReason::RstIgnored);
      return;
    }
    set_outcome(now, Outcome::Refused);
    error_ = SocketError::ConnectionRefused;  // "error: connection reset" (Linux: ECONNREFUSED)
    // SYN-SENT --rcv RST,ACK--> CLOSED  (§3.10.7.3; not drawn in Figure 5)
    enter(now, State::Closed, Cause::RcvRst);
    notify(Notification::Refused);
    return;
  }
  // "Third, check the security" (not modelled). "Fourth, check the SYN bit".
  if (seg.flags.has(Flag::Syn)) {
    tcb_.irs = seg.seq;
    tcb_.rcv_nxt = seg.seq + 1;
    take_peer_syn_options(seg);
    if (ack) tcb_.snd_una = seg.ack;
    tcb_.snd_wnd = seg.window;  // RFC 7323 §2.2: never scaled in a SYN
    tcb_.snd_wl1 = seg.seq;
    tcb_.snd_wl2 = seg.ack;
    if (tcb_.snd_una > tcb_.iss) {
      // "If SND.UNA > ISS (our SYN has been ACKed), change the connection state to ESTABLISHED,
      // form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send it."
      handshake_rtt_sample(now, seg);
      emit(now, make_ack(now));
      // Fig. 5: SYN-SENT --rcv SYN,ACK / snd ACK--> ESTABLISHED
      enter(now, State::Established, Cause::RcvSynAck);
      handshake_complete(now);
      start_data_phase(now);  // data queued in SYN-SENT (§3.10.2)
      return;                 // Deviation: data in a SYN,ACK is not accepted
    }
    // "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT>
    // <CTL=SYN,ACK> and send it." (simultaneous open, Figure 7; MUST-10). The retransmission
    // timer keeps running: it now retransmits the SYN,ACK.
    send_synack(now);
    // Fig. 5: SYN-SENT --rcv SYN / snd SYN,ACK--> SYN-RECEIVED
    enter(now, State::SynReceived, Cause::RcvSyn);
    return;
  }
  // "Fifth, if neither of the SYN or RST bits is set, then drop the segment and return."
  trace_drop(now, seg, DropReason::Unexpected);
}

// --- §3.10.7.4 OTHER STATES ------------------------------------------------------------------

void TcpEndpoint::segment_arrives_other(sim::Time now, const Segment& seg) {
  // Linux: tcp_check_req(): a retransmitted SYN (same ISN, no ACK) to a request socket gets an
  // immediate SYN,ACK (rate-limited by tcp_invalid_ratelimit) and re-arms the request timer to
  // now + rto << num_timeout (mod_timer_pending). Reference, case e.
  if (state_ == State::SynReceived && passive_ && ctx_->profile->synack_on_duplicate_syn &&
      seg.flags.has(Flag::Syn) && !seg.flags.has(Flag::Ack) && !seg.flags.has(Flag::Rst) &&
      seg.seq == tcb_.irs) {
    if (!oow_reply_allowed(now, seg)) {
      trace_drop(now, seg, DropReason::RateLimited);
      return;
    }
    send_synack(now);
    handshake_retransmitted_ = true;  // Karn: the next ACK is ambiguous
    if (armed(TimerKind::Retransmission))
      arm(now, TimerKind::Retransmission, sim::saturating_add(now, backed_off_rto(expiries_)));
    return;
  }
  // Simultaneous open, Figure 7 line 6: the peer's SYN,ACK reaches SYN-RECEIVED with its SYN
  // octet just before RCV.NXT. §3.10.7.4 processes "the idealized segment that begins at
  // RCV.NXT": trimmed of the SYN, it is an acceptable ACK of our SYN. (Linux:
  // tcp_validate_incoming() passes the "simultaneous open SYN-ACK" the same way.)
  if (state_ == State::SynReceived && !passive_ && seg.flags.has(Flag::Syn) &&
      seg.flags.has(Flag::Ack) && !seg.flags.has(Flag::Rst) && seg.seq + 1 == tcb_.rcv_nxt &&
      seg.ack == tcb_.snd_nxt) {
    Segment trimmed = seg;
    trimmed.flags = Flags::from_bits(
        static_cast<std::uint8_t>(seg.flags.bits() & ~static_cast<std::uint8_t>(Flag::Syn)));
    trimmed.seq = seg.seq + 1;
    window_unscaled_ = true;  // RFC 7323 §2.2: a SYN's window is never scaled
    segment_checks(now, trimmed);
    window_unscaled_ = false;
    return;
  }
  segment_checks(now, seg);
}

void TcpEndpoint::segment_checks(sim::Time now, const Segment& seg) {
  if (!check_sequence(now, seg)) return;  // first
  update_ts_recent(seg);
  if (!check_rst(now, seg)) return;  // second
  // third: security and precedence (not modelled)
  if (!check_syn(now, seg)) return;  // fourth
  if (!check_ack(now, seg)) return;  // fifth
  // sixth: URG (not modelled)
  if (!process_text(now, seg)) return;  // seventh
  check_fin(now, seg);                  // eighth
}

bool TcpEndpoint::segment_acceptable(const Segment& seg) const noexcept {
  // §3.10.7.4 first check, the four cases of the acceptability test (MUST-NOT shrink: n/a).
  const std::uint32_t len = seg.seg_len();
  const std::uint32_t wnd = tcb_.rcv_wnd;
  const SeqNum lo = tcb_.rcv_nxt;
  const SeqNum hi = tcb_.rcv_nxt + wnd;
  if (len == 0) return wnd == 0 ? seg.seq == lo : in_window(lo, seg.seq, hi);
  if (wnd == 0) return false;
  return in_window(lo, seg.seq, hi) || in_window(lo, seg.seq + (len - 1), hi);
}

bool TcpEndpoint::check_sequence(sim::Time now, const Segment& seg) {
  if (segment_acceptable(seg)) return true;
  // TIME-WAIT, eighth check: "The only thing that can arrive in this state is a retransmission
  // of the remote FIN. Acknowledge it, and restart the 2 MSL timeout." That FIN ends at RCV.NXT,
  // so it fails this first check; it is recognised here (Linux: tcp_timewait_state_process()
  // re-arms TCP_TIMEWAIT_LEN and sends TCP_TW_ACK).
  if (state_ == State::TimeWait && seg.flags.has(Flag::Fin) && !seg.flags.has(Flag::Syn) &&
      !seg.flags.has(Flag::Rst) && seg.seq + seg.seg_len() == tcb_.rcv_nxt) {
    emit(now, make_ack(now));
    arm(now, TimerKind::TimeWait, sim::saturating_add(now, ctx_->profile->time_wait));
    return false;
  }
  // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply
  // (unless the RST bit is set, if so drop the segment and return): <SEQ=SND.NXT><ACK=RCV.NXT>
  // <CTL=ACK>. After sending the acknowledgment, drop the unacceptable segment and return."
  if (seg.flags.has(Flag::Rst)) {
    trace_drop(now, seg, DropReason::RstIgnored);
    return false;
  }
  // Linux: tcp_validate_incoming() rate-limits this reply (tcp_oow_rate_limited()).
  if (!oow_reply_allowed(now, seg)) {
    trace_drop(now, seg, DropReason::RateLimited);
    return false;
  }
  trace_drop(now, seg, DropReason::NotAcceptable);
  emit(now, make_ack(now));
  return false;
}

bool TcpEndpoint::check_rst(sim::Time now, const Segment& seg) {
  if (!seg.flags.has(Flag::Rst)) return true;
  // RFC 5961 §3.2 (RFC 9293 §3.10.7.4 second): reset only if SEG.SEQ = RCV.NXT exactly;
  // otherwise (in window) send a challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and drop.
  // Linux: tcp_check_req() drops a request on any in-window RST (embryonic_reset).
  const bool linux_request =
      state_ == State::SynReceived && passive_ && ctx_->profile->embryonic_reset;
  // RFC 793 §3.9 (p. 70): before RFC 5961 any RST in the window reset the connection.
  const bool rfc793 = ctx_->profile->rst_in_window == RstInWindow::Reset;
  if (seg.seq != tcb_.rcv_nxt && !linux_request && !rfc793) {
    trace_drop(now, seg, DropReason::RstIgnored);
    if (oow_reply_allowed(now, seg)) emit(now, make_ack(now));
    return false;
  }
  switch (state_) {
    case State::SynReceived:
      if (passive_) {
        // "If this connection was initiated with a passive OPEN (i.e., came from the LISTEN
        // state), then return this connection to LISTEN state and return."
        set_outcome(now, Outcome::Reset);
        send_pending_ = 0;
        // Fig. 5: SYN-RECEIVED --rcv RST--> LISTEN  (note 1: passive open)
        enter(now, State::Listen, Cause::RcvRst);
        notify(Notification::ReturnedToListen);
        return false;
      }
      // "If this connection was initiated with an active OPEN (i.e., came from SYN-SENT
      // state), then the connection was refused; signal the user 'connection refused'."
      set_outcome(now, Outcome::Refused);
      error_ = SocketError::ConnectionRefused;
      // SYN-RECEIVED --rcv RST--> CLOSED  (§3.10.7.4; active open)
      enter(now, State::Closed, Cause::RcvRst);
      notify(Notification::Refused);
      return false;
    case State::Established:
    case State::FinWait1:
    case State::FinWait2:
    case State::CloseWait:
      // "... Users should also receive an unsolicited general 'connection reset' signal. Enter
      // the CLOSED state, delete the TCB, and return."
      set_outcome(now, Outcome::Reset);
      // Linux: tcp_reset() reports EPIPE in CLOSE-WAIT, ECONNRESET in the others.
      error_ = state_ == State::CloseWait ? SocketError::BrokenPipe : SocketError::ConnectionReset;
      send_pending_ = 0;
      // ESTABLISHED (etc.) --rcv RST--> CLOSED  (§3.10.7.4)
      enter(now, State::Closed, Cause::RcvRst);
      notify(Notification::Reset);
      return false;
    case State::Closing:
    case State::LastAck:
    case State::TimeWait:
      // "If the RST bit is set, then enter the CLOSED state, delete the TCB, and return."
      error_ = SocketError::ConnectionReset;  // Linux: tcp_reset(), the default case
      enter(now, State::Closed, Cause::RcvRst);
      notify(Notification::Closed);
      return false;
    case State::Closed:
    case State::Listen:
    case State::SynSent:
      break;
  }
  SYNLAB_ASSERT(false, "check_rst: not a §3.10.7.4 state");
  return false;
}

bool TcpEndpoint::check_syn(sim::Time now, const Segment& seg) {
  if (!seg.flags.has(Flag::Syn)) return true;
  if (ctx_->profile->syn_in_synchronized == SynInSynchronized::Reset) {
    // RFC 793 §3.9 (p. 71), SYN-RECEIVED to TIME-WAIT: "If the SYN is in the window it is an
    // error, send a reset, any outstanding RECEIVEs and SEND should receive 'reset' responses,
    // all segment queues should be flushed, the user should also receive an unsolicited general
    // 'connection reset' signal, enter the CLOSED state, delete the TCB, and return." The reset
    // takes the form of RFC 793 §3.4 "Reset Generation" (that of §3.10.7.1): <SEQ=SEG.ACK>
    // <CTL=RST>, or <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> for a SYN without ACK.
    if (const auto rst = reset_for_closed(seg)) emit(now, *rst);
    set_outcome(now, Outcome::Reset);
    if (!(state_ == State::SynReceived && passive_)) error_ = SocketError::ConnectionReset;
    send_pending_ = 0;
    // SYN-RECEIVED (etc.) --rcv SYN in window / snd RST--> CLOSED  (RFC 793 §3.9; RFC 9293's
    // Figure 5 has no such arrow)
    enter(now, State::Closed, Cause::RcvSyn);
    notify(Notification::Reset);
    return false;
  }
  if (state_ == State::SynReceived && passive_) {
    // "If the connection was initiated with a passive OPEN, then return this connection to the
    // LISTEN state and return."
    // Linux: tcp_check_req() answers the SYN with a RST (send_reset() for a segment without
    // ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>) before dropping the request.
    if (ctx_->profile->embryonic_reset) {
      if (const auto rst = reset_for_closed(seg)) emit(now, *rst);
    }
    set_outcome(now, Outcome::Reset);
    // Fig. 5: SYN-RECEIVED --rcv SYN--> LISTEN  (§3.10.7.4 fourth; same arrow as RST, note 1)
    enter(now, State::Listen, Cause::RcvSyn);
    notify(Notification::ReturnedToListen);
    return false;
  }
  // "If the SYN bit is set, irrespective of the sequence number, TCP endpoints MUST send a
  // 'challenge ACK' to the remote peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" (RFC 5961 §4.2).
  // In TIME-WAIT under the linux profiles, a SYN that may reopen the connection never reaches
  // here (time_wait_reopen_iss(), TcpHost::reopen()).
  trace_drop(now, seg, DropReason::Unexpected);
  if (oow_reply_allowed(now, seg)) emit(now, make_ack(now));
  return false;
}

std::optional<SeqNum> TcpEndpoint::reopen_iss(const Segment& seg) const noexcept {
  // Linux: tcp_timewait_state_process(), RFC 1122 §4.2.2.13's "MAY accept a new SYN from the
  // remote TCP to reopen the connection directly". It returns TCP_TW_SYN for a SYN without ACK
  // or RST that PAWS does not reject, whose sequence number is after RCV.NXT or whose TSval is
  // after TS.Recent, with the new ISS SND.NXT + 65535 + 2 (1 if that wraps to 0).
  if (!ctx_->profile->syn_reopens_time_wait) return std::nullopt;
  if (!seg.flags.has(Flag::Syn) || seg.flags.has(Flag::Ack) || seg.flags.has(Flag::Rst))
    return std::nullopt;
  // tcp_paws_reject() -> tcp_paws_check() with no allowance: any TSval behind TS.Recent, unless
  // TS.Recent is 0 (a peer whose early segments carried TSval 0; the 24-day idle rule is not
  // modelled). Linux parses the options only if the connection used timestamps.
  const bool saw_tstamp = tcb_.ts_ok && seg.options.timestamps.has_value();
  const std::int32_t behind =
      saw_tstamp ? static_cast<std::int32_t>(tcb_.ts_recent - seg.options.timestamps->tsval) : 0;
  if (behind > 0 && tcb_.ts_recent != 0) return std::nullopt;
  if (!(seg.seq > tcb_.rcv_nxt || (saw_tstamp && behind < 0))) return std::nullopt;
  const SeqNum iss = tcb_.snd_nxt + (65535u + 2u);
  return iss == SeqNum(0) ? SeqNum(1) : iss;
}

void TcpEndpoint::ack_unopened_syn(sim::Time now, const Segment& syn) {
  SYNLAB_ASSERT(state_ == State::TimeWait, "ack_unopened_syn: not in TIME-WAIT");
  trace_record(now, RecordKind::Rx, [&](TcpRecord& r) { r.set_segment(syn); });
  trace_drop(now, syn, DropReason::Unexpected);
  emit(now, make_ack(now));
}

void TcpEndpoint::give_way_to_syn(sim::Time now) {
  SYNLAB_ASSERT(state_ == State::TimeWait, "give_way_to_syn: not in TIME-WAIT");
  // TIME-WAIT --rcv SYN--> CLOSED (Linux's arrow, TCP_TW_SYN; RFC 9293's Figure 5 has none)
  enter(now, State::Closed, Cause::RcvSyn);
  notify(Notification::Closed);
}

void TcpEndpoint::process_ack_of_data(sim::Time now, const Segment& seg) {
  const SeqNum ack = seg.ack;
  // After a CLOSE in SYN-RECEIVED (§3.10.4) this ACK may be the first to cover our SYN.
  const bool syn_acked = syn_unacked();
  std::uint32_t acked = static_cast<std::uint32_t>(ack - tcb_.snd_una);
  if (syn_acked) --acked;                                                 // the SYN's octet
  if (fin_seq_ && tcb_.snd_una <= *fin_seq_ && ack > *fin_seq_) --acked;  // the FIN's octet
  bytes_acked_ += acked;
  tcb_.snd_una = ack;
  if (tcb_.snd_nxt < tcb_.snd_una) {
    // A timeout rewound SND.NXT (go-back-N, RFC 6298 (5.4)) and the peer now acknowledges
    // octets sent before it: they are not to be sent again, so they leave the send queue too
    // (else the queue's count would carry them past the end of the data, and past the FIN).
    std::uint32_t skipped = static_cast<std::uint32_t>(tcb_.snd_una - tcb_.snd_nxt);
    if (fin_seq_ && tcb_.snd_nxt <= *fin_seq_ && *fin_seq_ < tcb_.snd_una) --skipped;
    send_pending_ -= std::min<std::uint64_t>(send_pending_, skipped);
    tcb_.snd_nxt = tcb_.snd_una;
  }
  if (rtt_start_ != never &&
      ack >= rtt_seq_) {  // RFC 6298 §3 with Karn's rule (never retransmitted)
    rtt_sample(now - rtt_start_);
    rtt_start_ = never;
  }
  if (syn_acked) {
    handshake_rtt_sample(now, seg);
    handshake_complete(now);
  }
  expiries_ = 0;
  if (tcb_.snd_una == snd_max_) {
    cancel(now, TimerKind::Retransmission);  // RFC 6298 (5.2)
    if (send_pending_ == 0 && acked > 0) notify(Notification::DataAcked);
  } else {
    arm(now, TimerKind::Retransmission, sim::saturating_add(now, rto_));  // RFC 6298 (5.3)
  }
}

bool TcpEndpoint::check_ack(sim::Time now, const Segment& seg) {
  // "if the ACK bit is off, drop the segment and return"
  if (!seg.flags.has(Flag::Ack)) {
    trace_drop(now, seg, DropReason::NoAck);
    return false;
  }
  switch (state_) {
    case State::SynReceived:
      // "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and continue processing
      // with the variables below set to: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ,
      // SND.WL2 <- SEG.ACK. If the segment acknowledgment is not acceptable, form a reset
      // segment <SEQ=SEG.ACK><CTL=RST> and send it."
      if (!(tcb_.snd_una < seg.ack && seg.ack <= tcb_.snd_nxt)) {
        trace_drop(now, seg, DropReason::BadAck);
        emit(now, make_rst(seg, seg.ack));
        return false;
      }
      // Linux: tcp_v4_syn_recv_sock(): with the accept queue full the ACK is dropped (a listen
      // overflow); the request and its SYN,ACK timer stay, so the client's answer to a later
      // SYN,ACK completes the handshake once accept() has made room.
      if (passive_ && !effects_->may_complete_passive_open()) {
        trace_drop(now, seg, DropReason::AcceptQueueFull);
        return false;
      }
      tcb_.snd_wnd = std::uint32_t{seg.window} << (window_unscaled_ ? 0 : tcb_.snd_wscale);
      tcb_.snd_wl1 = seg.seq;
      tcb_.snd_wl2 = seg.ack;
      tcb_.snd_una = seg.ack;
      // Linux: tcp_create_openreq_child() starts the child with last_oow_ack_time = 0: replies
      // the request sent (SYN,ACKs to duplicate SYNs) do not limit the connection's.
      if (passive_) last_oow_reply_ = never;
      handshake_rtt_sample(now, seg);
      // Fig. 5: SYN-RECEIVED --rcv ACK of SYN / x--> ESTABLISHED
      // (Linux: data with an acceptable ACK completes the handshake too, reference f3.)
      enter(now, State::Established, Cause::RcvAck);
      handshake_complete(now);
      start_data_phase(now);  // data queued in SYN-RECEIVED (§3.10.2), then the deferred FIN
      if (fin_queued_) {
        // §3.10.4: a CLOSE issued in SYN-RECEIVED with data queued was deferred "for processing
        // after entering ESTABLISHED state"; the data and FIN are now sent.
        // Fig. 5: ESTABLISHED --CLOSE / snd FIN--> FIN-WAIT-1  (the deferred CLOSE)
        enter(now, State::FinWait1, Cause::UserClose);
      }
      return true;
    case State::Established:
    case State::FinWait1:
    case State::FinWait2:
    case State::CloseWait:
    case State::Closing:
    case State::LastAck: {
      // "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK, drop
      // the segment, and return." (SND.NXT here is snd_max_: a timeout may have rewound it.)
      if (seg.ack > snd_max_) {
        trace_drop(now, seg, DropReason::BadAck);
        if (oow_reply_allowed(now, seg)) emit(now, make_ack(now));
        return false;
      }
      // "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK." Duplicates
      // (SEG.ACK =< SND.UNA) are ignored. Deviation: RFC 5961 §5.2's lower bound is not checked.
      if (tcb_.snd_una < seg.ack) process_ack_of_data(now, seg);
      // "If SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK), set
      // SND.WND <- SEG.WND, set SND.WL1 <- SEG.SEQ, and set SND.WL2 <- SEG.ACK."
      if (tcb_.snd_una <= seg.ack &&
          (tcb_.snd_wl1 < seg.seq || (tcb_.snd_wl1 == seg.seq && tcb_.snd_wl2 <= seg.ack))) {
        tcb_.snd_wnd = std::uint32_t{seg.window} << tcb_.snd_wscale;
        tcb_.snd_wl1 = seg.seq;
        tcb_.snd_wl2 = seg.ack;
      }
      if (state_ == State::FinWait1 && fin_acked()) {
        // "In addition to the processing for the ESTABLISHED state, if the FIN segment is now
        // acknowledged, then enter FIN-WAIT-2 and continue processing in that state."
        // Fig. 5: FIN-WAIT-1 --rcv ACK of FIN / x--> FIN-WAIT-2
        enter(now, State::FinWait2, Cause::RcvAck);
      } else if (state_ == State::Closing && fin_acked()) {
        // "if the ACK acknowledges our FIN, then enter the TIME-WAIT state"
        // Fig. 5: CLOSING --rcv ACK of FIN / x--> TIME-WAIT
        enter(now, State::TimeWait, Cause::RcvAck);
      } else if (state_ == State::LastAck && fin_acked()) {
        // "If our FIN is now acknowledged, delete the TCB, enter the CLOSED state, and return."
        // Fig. 5: LAST-ACK --rcv ACK of FIN / x--> CLOSED
        enter(now, State::Closed, Cause::RcvAck);
        notify(Notification::Closed);
        return false;
      }
      // The ACK may have opened the window: send what it allows of the queued data, then the FIN
      // a CLOSE deferred behind it (§3.10.4: "Queue this until all preceding SENDs have been
      // segmentized"). FIN-WAIT-1, CLOSING and LAST-ACK continue ESTABLISHED's processing, and
      // may still hold data a CLOSE queued before its FIN.
      if (state_ == State::Established || state_ == State::CloseWait || state_ == State::FinWait1 ||
          state_ == State::Closing || state_ == State::LastAck)
        transmit(now);
      return true;
    }
    case State::TimeWait:
      // "The only thing that can arrive in this state is a retransmission of the remote FIN."
      return true;
    case State::Closed:
    case State::Listen:
    case State::SynSent:
      break;
  }
  SYNLAB_ASSERT(false, "check_ack: not a §3.10.7.4 state");
  return false;
}

bool TcpEndpoint::process_text(sim::Time now, const Segment& seg) {
  // "Seventh, process the segment text" in ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2; the other
  // states have seen the peer's FIN, so text "should not occur" and is ignored.
  if (seg.payload_bytes == 0) return true;
  if (state_ != State::Established && state_ != State::FinWait1 && state_ != State::FinWait2)
    return true;
  if (receive_closed_ && seg.seq + seg.payload_bytes > tcb_.rcv_nxt) {
    // RFC 1122 §4.2.2.13: "... or if new data is received after CLOSE is called, its TCP SHOULD
    // send a RST to show that data was lost." Linux: tcp_rcv_state_process(), FIN_WAIT1/2 with
    // RCV_SHUTDOWN: tcp_reset(), then tcp_v4_send_reset() answers the segment:
    // <SEQ=SEG.ACK><CTL=RST> (it carries an ACK: the fifth check passed).
    emit(now, make_rst(seg, seg.ack));
    send_pending_ = 0;
    // FIN-WAIT-1/2 --rcv data after CLOSE / snd RST--> CLOSED  (RFC 1122 §4.2.2.13; not drawn
    // in Figure 5)
    enter(now, State::Closed, Cause::DataAfterClose);
    notify(Notification::Closed);
    return false;
  }
  const std::int32_t offset = tcb_.rcv_nxt - seg.seq;  // octets we already have
  if (offset < 0) {
    // Deviation: out-of-order text is not queued (§3.10.7.4 allows "held for later
    // processing"); a duplicate ACK asks for the missing octets.
    emit(now, make_ack(now));
    return true;
  }
  if (static_cast<std::uint32_t>(offset) >= seg.payload_bytes) {
    // Every octet is a duplicate. A FIN right after them is new: the eighth step acknowledges
    // it, with one ACK for the whole segment.
    if (!seg.flags.has(Flag::Fin)) emit(now, make_ack(now));
    return true;
  }
  const std::uint32_t fresh = seg.payload_bytes - static_cast<std::uint32_t>(offset);
  tcb_.rcv_nxt += fresh;
  bytes_received_ += fresh;
  // "Send an acknowledgment of the form <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>"; a FIN in the same
  // segment is acknowledged by the eighth step instead. Deviation: no delayed ACK (Linux quick-
  // acks at the start of a connection, reference f3).
  if (!seg.flags.has(Flag::Fin)) emit(now, make_ack(now));
  notify(Notification::DataReceived);
  return true;
}

void TcpEndpoint::check_fin(sim::Time now, const Segment& seg) {
  if (!seg.flags.has(Flag::Fin)) return;
  // The FIN counts only when everything before it has arrived. Deviation: an out-of-order FIN
  // is not held (as out-of-order text is not); a bare one draws the duplicate ACK that the
  // seventh step sends for out-of-order text.
  if (seg.seq + seg.payload_bytes != tcb_.rcv_nxt) {
    if (seg.payload_bytes == 0) emit(now, make_ack(now));
    return;
  }
  // "If the FIN bit is set, signal the user 'connection closing' ..., advance RCV.NXT over the
  // FIN, and send an acknowledgment for the FIN."
  tcb_.rcv_nxt += 1;
  emit(now, make_ack(now));
  switch (state_) {
    case State::SynReceived:
    case State::Established:
      // Fig. 5: ESTABLISHED --rcv FIN / snd ACK--> CLOSE-WAIT
      enter(now, State::CloseWait, Cause::RcvFin);
      break;
    case State::FinWait1:
      if (fin_acked()) {
        // "If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT" (step five
        // has normally moved us to FIN-WAIT-2 already).
        enter(now, State::TimeWait, Cause::RcvFinAck);
      } else {
        // Fig. 5: FIN-WAIT-1 --rcv FIN / snd ACK--> CLOSING  (simultaneous close, Figure 13)
        enter(now, State::Closing, Cause::RcvFin);
      }
      break;
    case State::FinWait2:
      // Fig. 5: FIN-WAIT-2 --rcv FIN / snd ACK--> TIME-WAIT
      enter(now, State::TimeWait, Cause::RcvFin);
      break;
    case State::TimeWait:
      // "Remain in the TIME-WAIT state. Restart the 2 MSL time-wait timeout." Reached only by a
      // FIN at RCV.NXT, beyond the peer's first FIN (a broken peer); the retransmitted FIN is
      // handled in check_sequence().
      arm(now, TimerKind::TimeWait, sim::saturating_add(now, ctx_->profile->time_wait));
      break;
    case State::CloseWait:
    case State::Closing:
    case State::LastAck:
      break;  // "Remain in the ... state."
    case State::Closed:
    case State::Listen:
    case State::SynSent:
      SYNLAB_ASSERT(false, "check_fin: not a §3.10.7.4 state");
  }
  notify(Notification::PeerClosed);
}

}  // namespace synlab::tcp
