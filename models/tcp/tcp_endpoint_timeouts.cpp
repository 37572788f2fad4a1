// TcpEndpoint: TIMEOUTS, RFC 9293 §3.10.8 and §3.8.3 (R2), with RFC 6298 (5.4)-(5.7) for the
// retransmission timer, and the profile's SYN and SYN,ACK schedules (Linux: tcp_timer.c).
#include <algorithm>

#include "models/tcp/tcp_endpoint.hpp"
#include "sim/assert.hpp"

namespace synlab::tcp {

void TcpEndpoint::on_timer(sim::Time now, TimerKind timer) {
  auto& deadline = deadlines_[static_cast<std::size_t>(timer)];
  // Due now, or later when the host's timer wheel fires it late (timer_wheel.hpp); never early.
  SYNLAB_ASSERT(deadline != never && deadline <= now, "on_timer: the timer is not due");
  deadline = never;
  trace_record(now, RecordKind::TimerFired, [&](TcpRecord& r) { r.timer = timer; });
  switch (timer) {
    case TimerKind::Retransmission:
      switch (state_) {
        case State::SynSent:
          syn_timeout(now);
          return;
        case State::SynReceived:
          synack_timeout(now);
          return;
        case State::Established:
        case State::FinWait1:
        case State::CloseWait:
        case State::Closing:
        case State::LastAck:
          data_timeout(now);
          return;
        case State::Closed:
        case State::Listen:
        case State::FinWait2:
        case State::TimeWait:
          break;
      }
      SYNLAB_ASSERT(false, "on_timer: retransmission timer armed in a state without one");
      return;
    case TimerKind::TimeWait:
      time_wait_timeout(now);
      return;
  }
}

// min(initial_rto * backoff_factor^expiries, max_rto). Linux: reqsk_timeout(), the request
// timer's `timeout << num_timeout` capped at TCP_RTO_MAX.
sim::Duration TcpEndpoint::backed_off_rto(std::uint32_t expiries) const noexcept {
  // Each product is capped before the next: a 100-year initial_rto backed off 255 times
  // reaches max_rto, never a signed overflow.
  sim::Duration rto = std::min(ctx_->profile->initial_rto, ctx_->profile->max_rto);
  for (std::uint32_t i = 0; i < expiries && rto < ctx_->profile->max_rto; ++i)
    rto = sim::capped_product(rto, ctx_->profile->backoff_factor, ctx_->profile->max_rto);
  return rto;
}

namespace {

// Linux: tcp_model_timeout(): the time `boundary` doubling retransmissions take from rto_base,
// with the doubling capped at rto_max: (2^(boundary+1) - 1) * rto_base up to the cap, then
// rto_max per further retransmission. Reference: 127 s for 6, 15 s for 3, 7 s for 2, 3 s for 1.
sim::Duration linux_model_timeout(std::uint32_t boundary, sim::Duration rto_base,
                                  sim::Duration rto_max) {
  // Computed without overflow for any rto_base > 0 (the sum saturates at Duration::max()).
  std::uint32_t thresh = 0;  // ilog2(rto_max / rto_base): 6 for 120 s / 1 s
  while (thresh < 61 && rto_base.count() <= (rto_max.count() >> (thresh + 1))) ++thresh;
  const sim::Duration doubling = sim::capped_product(
      rto_base, (std::int64_t{2} << std::min(boundary, thresh)) - 1, sim::Duration::max());
  if (boundary <= thresh) return doubling;
  return sim::saturating_add(doubling, sim::capped_product(rto_max, std::int64_t{boundary - thresh},
                                                           sim::Duration::max()));
}

}  // namespace

std::uint32_t TcpEndpoint::syn_retries() const noexcept {
  // Linux: tcp_write_timeout(): "retry_until = icsk->icsk_syn_retries ? : sysctl_tcp_syn_retries".
  return options_.syn_retries.value_or(ctx_->profile->syn_retries);
}

bool TcpEndpoint::syn_give_up(sim::Time now) const noexcept {
  const std::uint32_t retransmissions = expiries_;
  const sim::Duration elapsed = now - stats_.open_time;
  const Profile& p = *ctx_->profile;
  // The user timeout (TCP_USER_TIMEOUT), counted from the first SYN like the bounds below.
  const std::optional<sim::Duration>& user_timeout = options_.user_timeout;
  const bool linux_user_timeout =
      user_timeout && p.user_timeout_rule == UserTimeoutRule::LinuxClamp;
  if (user_timeout && elapsed >= *user_timeout) {
    switch (p.user_timeout_rule) {
      case UserTimeoutRule::OwnTimer:
        return true;  // RFC 9293 §3.10.8 USER TIMEOUT
      case UserTimeoutRule::LinuxClamp:
        // Linux: retransmits_timed_out() returns false while icsk_retransmits is 0.
        if (retransmissions > 0) return true;
        break;
    }
  }
  switch (p.syn_give_up) {
    case SynGiveUp::RetryCount:
      return retransmissions >= syn_retries();
    case SynGiveUp::LinuxModel:
      // Linux: tcp_write_timeout(): expired if icsk_retransmits >= tcp_syn_retries +
      // tcp_syn_linear_timeouts, or retransmits_timed_out(): elapsed since the first SYN >=
      // tcp_model_timeout(tcp_syn_retries, TCP_TIMEOUT_INIT) (checked once a SYN was resent), or
      // >= the user timeout instead when one is set (checked above).
      // In SYN-RECEIVED after a simultaneous open the count limit is tcp_syn_retries alone
      // (the linear timeouts apply only in SYN_SENT); the time bound is the same.
      if (retransmissions >= syn_retries() + (state_ == State::SynSent ? p.syn_linear_timeouts : 0))
        return true;
      if (retransmissions == 0 || linux_user_timeout) return false;
      return elapsed >= linux_model_timeout(syn_retries(), p.initial_rto, p.max_rto);
    case SynGiveUp::ElapsedR2:
      // RFC 9293 §3.8.3: "R2 for a SYN segment MUST be set large enough to provide
      // retransmission of the segment for at least 3 minutes." A TCP_SYNCNT also limits the
      // count (the presets' syn_retries never does).
      return elapsed >= p.syn_r2 || retransmissions >= syn_retries();
  }
  return true;
}

sim::Time TcpEndpoint::handshake_deadline(sim::Time now) const noexcept {
  const sim::Time rto_deadline = sim::saturating_add(now, rto_);
  if (!options_.user_timeout) return rto_deadline;
  const sim::Time user_deadline = sim::saturating_add(stats_.open_time, *options_.user_timeout);
  switch (ctx_->profile->user_timeout_rule) {
    case UserTimeoutRule::OwnTimer:
      // RFC 9293 §3.10.8: the user timer expires at its own time; the retransmission timer stands
      // in for it when that comes first (syn_give_up() then closes the connection).
      return std::min(rto_deadline, user_deadline);
    case UserTimeoutRule::LinuxClamp:
      // Linux: tcp_connect() arms the first SYN timer with icsk_rto, unclamped; after each
      // retransmission tcp_retransmit_timer() arms tcp_clamp_rto_to_user_timeout(): min(RTO,
      // time left), or one jiffy ("fire ASAP") if no time is left.
      if (expiries_ == 0) return rto_deadline;
      if (user_deadline <= now) return sim::saturating_add(now, ctx_->profile->jiffy);
      return std::min(rto_deadline, user_deadline);
  }
  return rto_deadline;
}

void TcpEndpoint::syn_timeout(sim::Time now) {
  if (syn_give_up(now)) {
    // SYN-SENT --R2 timeout--> CLOSED  (§3.8.3; not drawn in Figure 5). Linux: ETIMEDOUT, and
    // nothing is sent (reference, case c).
    handshake_timed_out(now, Cause::SynTimeout);
    return;
  }
  // RFC 6298 (5.4) retransmit, (5.5) back off, (5.6) restart the timer.
  ++expiries_;
  handshake_retransmitted_ = true;
  send_syn(now);
  // Linux: tcp_retransmit_timer(): in SYN-SENT the first tcp_syn_linear_timeouts expiries keep
  // the RTO (reference: SYNs at 0, 1, 2, 3, 4, 5, 7, 11 ... s).
  if (expiries_ > ctx_->profile->syn_linear_timeouts)
    rto_ = sim::capped_product(rto_, ctx_->profile->backoff_factor, ctx_->profile->max_rto);
  arm(now, TimerKind::Retransmission, handshake_deadline(now));
}

void TcpEndpoint::synack_timeout(sim::Time now) {
  if (!passive_) {
    // Simultaneous open (Figure 7): the SYN,ACK of an active open is retransmitted on the SYN's
    // rules, with the expiries counted since the first SYN. Linux: tcp_write_timeout() applies
    // tcp_syn_retries to SYN_SENT and SYN_RECV alike, and tcp_retransmit_timer() doubles the
    // RTO (the linear timeouts are for SYN_SENT only).
    if (syn_give_up(now)) {
      // SYN-RECEIVED --R2 timeout--> CLOSED  (§3.8.3; an active open: ETIMEDOUT)
      handshake_timed_out(now, Cause::SynAckTimeout);
      return;
    }
    ++expiries_;
    handshake_retransmitted_ = true;
    send_synack(now);
    rto_ =
        sim::capped_product(rto_, ctx_->profile->backoff_factor, ctx_->profile->max_rto);  // (5.5)
    arm(now, TimerKind::Retransmission, handshake_deadline(now));
    return;
  }
  const bool r2_expired = ctx_->profile->syn_give_up == SynGiveUp::ElapsedR2 &&
                          now - stats_.open_time >= ctx_->profile->syn_r2;
  // Linux: reqsk_timer_handler(): the listener's TCP_SYNCNT, else tcp_synack_retries.
  if (expiries_ >= options_.syn_retries.value_or(ctx_->profile->synack_retries) || r2_expired) {
    // SYN-RECEIVED --R2 timeout--> CLOSED  (§3.8.3). Linux: reqsk_timer_handler() drops the
    // request silently, no RST (reference: "request dropped silently at about 63").
    handshake_timed_out(now, Cause::SynAckTimeout);
    return;
  }
  ++expiries_;
  handshake_retransmitted_ = true;
  send_synack(now);
  // Linux: the request timer is re-armed to timeout << num_timeout (1, 2, 4 ... s apart).
  rto_ = backed_off_rto(expiries_);
  arm(now, TimerKind::Retransmission, sim::saturating_add(now, rto_));
}

// The handshake's R2 bound (§3.8.3) is past: outcome `timeout`, CLOSED, and the user is told
// (Linux: ETIMEDOUT). Nothing is sent.
void TcpEndpoint::handshake_timed_out(sim::Time now, Cause why) {
  set_outcome(now, Outcome::Timeout);
  if (!passive_) error_ = SocketError::TimedOut;  // a request has no socket to tell
  enter(now, State::Closed, why);
  notify(Notification::TimedOut);
}

void TcpEndpoint::data_timeout(sim::Time now) {
  // Deviation: data_retries counts expiries; Linux tcp_retries2 is turned into a time bound
  // (retransmits_timed_out(), tcp_model_timeout() from the RTO), which matches the count only
  // when the RTO starts at TCP_RTO_MIN.
  if (expiries_ >= ctx_->profile->data_retries) {
    // §3.8.3: past R2 "close the connection". Linux: tcp_retries2, ETIMEDOUT.
    send_pending_ = 0;
    error_ = SocketError::TimedOut;
    enter(now, State::Closed, Cause::DataTimeout);
    notify(Notification::TimedOut);
    return;
  }
  ++expiries_;
  ++stats_.data_retransmissions;
  rtt_start_ = never;  // Karn: no sample from a retransmitted segment
  // RFC 6298 (5.5): RTO <- RTO * 2, capped (2.5).
  rto_ = sim::capped_product(rto_, ctx_->profile->backoff_factor, ctx_->profile->max_rto);
  // RFC 6298 (5.4): retransmit the earliest unacknowledged segment. Go back to SND.UNA and
  // send again what the window allows (the FIN too, once its turn comes). Only data octets go
  // back to the send queue: the FIN's octet is resent by send_fin_if_due(), the SYN's below.
  std::uint32_t outstanding = static_cast<std::uint32_t>(tcb_.snd_nxt - tcb_.snd_una);
  if (fin_seq_ && tcb_.snd_nxt > *fin_seq_) --outstanding;
  tcb_.snd_nxt = tcb_.snd_una;
  if (syn_unacked()) {
    // A CLOSE in SYN-RECEIVED (§3.10.4) left our SYN on the retransmission queue, in front of
    // the FIN; §3.10.8 retransmits "the segment at the front of the retransmission queue": the
    // SYN,ACK <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>, then the FIN.
    --outstanding;
    handshake_retransmitted_ = true;  // Karn: the ACK of the SYN is ambiguous now
    send_synack(now);
    tcb_.snd_nxt = tcb_.iss + 1;
  }
  send_pending_ += outstanding;
  transmit(now);  // (5.6): arms the timer at now + RTO
}

void TcpEndpoint::time_wait_timeout(sim::Time now) {
  // Fig. 5: TIME-WAIT --Timeout=2MSL / delete TCB--> CLOSED
  enter(now, State::Closed, Cause::TimeWaitTimeout);
  notify(Notification::Closed);
}

// RFC 6298 §2: (2.2) first measurement, (2.3) later ones, (2.4) floor, (2.5) cap. The clock
// granularity G is the simulator's: 1 ns.
void TcpEndpoint::handshake_rtt_sample(sim::Time now, const Segment& seg) noexcept {
  // RFC 6298 §3 with Karn's rule: the open's time, if nothing was retransmitted; a cookie
  // connection has no SYN,ACK send time (Linux: snt_synack = 0).
  if (!handshake_retransmitted_ && !from_cookie_) {
    rtt_sample(now - stats_.open_time);
    return;
  }
  // Linux tcp_ack_update_rtt(), "RTTM Rule": with no timed sample, the TSecr of a segment that
  // acknowledges the SYN or SYN,ACK is one (RFC 7323 §4.1), in whole timestamp ticks, at least
  // one, and none at all from an echo 2^31 / 1000 ticks or more in the past or ahead
  // (tcp_rtt_tsopt_us()). Then SRTT is set and tcp_init_metrics() keeps the RTO it gives,
  // rather than TCP_TIMEOUT_FALLBACK's 3 s.
  const Profile& p = *ctx_->profile;
  if (!p.rtt_from_tsecr || !tcb_.ts_ok || !seg.options.timestamps) return;
  const std::uint32_t tsecr = seg.options.timestamps->tsecr;
  // Linux takes a TSecr of 0 for no echo: its clock starts at a random offset, so a TSval of 0
  // is all but never sent. The model's clock starts at 0 with a fixed ISN (readable traces),
  // where 0 is an echo like any other.
  if (tsecr == 0 && tcb_.ts_offset != 0) return;
  constexpr std::uint32_t max_ticks = 2147483647u / 1000u;  // INT_MAX / (USEC_PER_SEC / TCP_TS_HZ)
  const std::uint32_t ticks = tsval(now) - tsecr;
  if (ticks >= max_ticks) return;
  rtt_sample(std::max<std::uint32_t>(ticks, 1) * p.ts_granularity);
}

void TcpEndpoint::rtt_sample(sim::Duration r) noexcept {
  constexpr sim::Duration g{1};
  // A sample is taken as at most 2^59 ns (about 18 years), so 7 * SRTT and SRTT + 4 * RTTVAR
  // stay below 2^63 whatever the links' delays (RTO is capped at max_rto in any case).
  r = std::min(r, sim::Duration{std::int64_t{1} << 59});
  if (!have_rtt_) {
    srtt_ = r;
    rttvar_ = r / 2;
    have_rtt_ = true;
  } else {
    const sim::Duration diff = srtt_ > r ? srtt_ - r : r - srtt_;
    rttvar_ = (3 * rttvar_ + diff) / 4;  // beta = 1/4
    srtt_ = (7 * srtt_ + r) / 8;         // alpha = 1/8
  }
  const Profile& p = *ctx_->profile;
  if (p.min_rto_on_variance) {
    // Linux: tcp_set_rto(): RTO = SRTT + rttvar, rttvar = max(mdev, tcp_rto_min).
    rto_ = std::min(srtt_ + std::max(4 * rttvar_, p.min_rto), p.max_rto);
  } else {
    rto_ = std::clamp(srtt_ + std::max(g, 4 * rttvar_), p.min_rto, p.max_rto);
  }
}

}  // namespace synlab::tcp
