// Profile: a named bundle of TCP parameters (timers, retry limits, options offered, windows,
// backlog), each overridable. Presets: linux, linux-classic, rfc6298, classic, rfc793. Every value
// cites its source; the Linux ones come from docs/linux-reference.md (Linux 6.18 captures).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "models/tcp/timer_wheel.hpp"
#include "sim/time.hpp"

namespace synlab::tcp {

// How an active open decides to give up at a SYN retransmission-timer expiry.
enum class SynGiveUp : std::uint8_t {
  RetryCount,  // after `syn_retries` retransmissions
  LinuxModel,  // Linux tcp_write_timeout(): retransmissions >= syn_retries + syn_linear_timeouts,
               // or elapsed >= tcp_model_timeout(syn_retries) (see tcp_endpoint_timeouts.cpp)
  ElapsedR2,   // RFC 9293 §3.8.3: once `syn_r2` has elapsed since the first SYN
};

// How a socket's user timeout (SocketOptions::user_timeout) ends a handshake.
enum class UserTimeoutRule : std::uint8_t {
  // RFC 9293 §3.10.8 USER TIMEOUT: a timer of its own; when it expires the connection closes,
  // whatever the retransmission timer is doing.
  OwnTimer,
  // Linux: tcp_write_timeout() checks it only at a retransmission-timer expiry once a SYN was
  // resent (retransmits_timed_out() is false while icsk_retransmits is 0), in place of the
  // tcp_model_timeout() time bound; after each retransmission the timer is clamped to the time
  // left, or one jiffy if none is left (tcp_clamp_rto_to_user_timeout()).
  LinuxClamp,
};

// What an in-window SYN does to a connection in SYN-RECEIVED or a synchronized state.
enum class SynInSynchronized : std::uint8_t {
  // RFC 5961 §4.2, folded into RFC 9293 §3.10.7.4 (fourth): a challenge ACK
  // <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; the connection stays.
  ChallengeAck,
  // RFC 793 §3.9 (p. 71): "If the SYN is in the window it is an error, send a reset, ... enter
  // the CLOSED state, delete the TCB, and return."
  Reset,
};

// What an in-window RST whose SEG.SEQ is not exactly RCV.NXT does (§3.10.7.4 second).
enum class RstInWindow : std::uint8_t {
  ChallengeAck,  // RFC 5961 §3.2 (RFC 9293): a challenge ACK, the RST is dropped
  Reset,         // RFC 793 §3.9 (p. 70): any RST in the window resets the connection
};

struct Profile {
  std::string_view name;

  // --- Retransmission timer (RFC 6298) -----------------------------------------------------
  sim::Duration initial_rto;  // first SYN / SYN/ACK timeout and RTO before any sample (2.1)
  sim::Duration min_rto;      // floor for computed RTOs (2.4)
  // Linux: tcp_set_rto() floors the variance term instead: RTO = SRTT + max(4 RTTVAR, min_rto)
  // (rttvar_us = max(mdev, tcp_rto_min)), so a 20 ms path gets 220 ms, not 200 ms.
  bool min_rto_on_variance;
  sim::Duration max_rto;         // cap for backed-off RTOs (2.5)
  std::uint32_t backoff_factor;  // RTO multiplier per expiry (5.5: "back off the timer")
  // RFC 6298 (5.7): after a SYN (or SYN/ACK) retransmission, data starts with this RTO, unless
  // rtt_from_tsecr gave the handshake an RTT sample.
  sim::Duration rto_after_handshake_loss;
  // Linux tcp_ack_update_rtt(): a handshake with a retransmitted SYN or SYN,ACK (or a cookie
  // connection) still has an RTT sample when timestamps are on: the TSecr of the segment that
  // completes it (RFC 7323 §4.1). False: Karn's rule alone (RFC 6298 §3).
  bool rtt_from_tsecr;
  std::uint32_t data_retries;  // data/FIN retransmissions before the connection is dropped

  // --- Active open ---------------------------------------------------------------------------
  std::uint32_t syn_retries;
  std::uint32_t syn_linear_timeouts;  // the first N SYN timeouts do not back off (Linux 6.5+)
  SynGiveUp syn_give_up;
  sim::Duration syn_r2;  // used by SynGiveUp::ElapsedR2
  UserTimeoutRule user_timeout_rule;
  // Linux: one jiffy (CONFIG_HZ), the "fire ASAP" timer of tcp_clamp_rto_to_user_timeout() once
  // the user timeout has passed. Used by UserTimeoutRule::LinuxClamp only.
  sim::Duration jiffy;
  // Linux: tcp_rcv_synsent_state_process() answers an unacceptable ACK in SYN-SENT as RFC 9293
  // §3.10.7.3 does, and, before any SYN retransmission (icsk_retransmits == 0), also re-arms the
  // SYN's timer to TCP_TIMEOUT_MIN, 2 jiffies ("Previous FIN/ACK or RST/ACK might be ignored"):
  // the SYN goes again at once rather than a full RTO later.
  bool syn_again_after_bad_ack;
  // Linux: tcp_rcv_synsent_state_process() refuses a segment with an acceptable ACK (a SYN,ACK)
  // whose TSecr, less the connection's TSval offset, is non-zero and not between the first SYN's
  // TSval and the current one (LINUX_MIB_PAWSACTIVEREJECTED): it answers
  // <SEQ=SEG.ACK><CTL=RST>, drops it and stays in SYN-SENT. RFC 7323 has no such test in
  // SYN-SENT (its PAWS, §5, is for synchronized states).
  bool paws_active_reject;
  // Linux: how late the kernel's timer wheel fires each timer (timer_wheel.hpp). None in every
  // preset, so times read as the nominal schedule; a scenario may choose a wheel (tcp.timer_slack).
  TimerSlack timer_slack;

  // --- Passive open --------------------------------------------------------------------------
  std::uint32_t synack_retries;  // SYN/ACK retransmissions before the half-open is dropped
  // Linux: tcp_check_req() answers a retransmitted SYN with an immediate SYN/ACK and re-arms the
  // request timer to now + initial_rto << num_timeout. RFC 9293 §3.10.7.4 answers with an ACK.
  bool synack_on_duplicate_syn;
  // Linux: tcp_check_req() "goto embryonic_reset" for a passive SYN-RECEIVED: any in-window RST
  // drops the request (RFC 5961 §3.2 would challenge one off RCV.NXT), and an in-window SYN
  // draws a RST and drops it (RFC 9293 §3.10.7.4 fourth returns to LISTEN silently).
  bool embryonic_reset;
  SynInSynchronized syn_in_synchronized;
  RstInWindow rst_in_window;
  // Linux: tcp_timewait_state_process() lets a new SYN reopen a connection in TIME-WAIT
  // (TCP_TW_SYN) when a listener has its port: the TIME-WAIT connection goes and the listener
  // takes the SYN, with ISS = SND.NXT + 65535 + 2 (TcpEndpoint::time_wait_reopen_iss()). RFC
  // 9293 §3.10.7.4 (with RFC 5961 §4.2) answers every SYN in TIME-WAIT with an ACK; RFC 1122
  // §4.2.2.13 allows the reopening (MAY).
  bool syn_reopens_time_wait;
  // Linux: tcp_invalid_ratelimit: at most one reply to an out-of-window segment (duplicate SYN,
  // old SYN/ACK) per this interval. Zero: no limit.
  sim::Duration invalid_ratelimit;
  // Linux: sk_acceptq_is_full() is `queued > backlog`, so the queue holds backlog + 1.
  std::uint32_t accept_queue_extra;
  // Half-open connections per listener, at most (with syn_queue_by_backlog: only without cookies,
  // for its last quarter).
  std::uint32_t max_syn_backlog;
  // Linux (since 4.4, "tcp: remove max_qlen_log", and its 2025 fix for a zero backlog): the SYN
  // queue is full when it holds the listen backlog + accept_queue_extra
  // (inet_csk_reqsk_queue_is_full()); tcp_max_syn_backlog acts only with tcp_syncookies=0,
  // dropping a SYN once less than a quarter of it is left, unless the peer is proven alive
  // (tcp_conn_request(); the model has no peer metrics: none is). False: the SYN queue holds
  // min(backlog + accept_queue_extra, max_syn_backlog).
  bool syn_queue_by_backlog;
  // Linux net.core.somaxconn: listen() caps its backlog at it (__sys_listen()). 0: no cap.
  std::uint32_t somaxconn;
  // Linux: tcp_syncookies: 0 never, 1 a cookie SYN,ACK (syn_cookies.hpp) once the SYN queue is
  // full (tcp_conn_request(): inet_csk_reqsk_queue_is_full()), 2 a cookie for every SYN. No RFC
  // requires them; RFC 4987 §3.6 describes them.
  std::uint8_t syncookies;

  // --- Options offered in SYN and SYN/ACK (RFC 9293 §3.7.1, RFC 7323, RFC 2018) --------------
  std::optional<std::uint16_t> mss;  // MSS option offered; also our receive MSS
  std::optional<std::uint8_t> window_scale;
  bool sack_permitted;
  bool timestamps;
  // TSval clock (RFC 7323 §5.4: between 1 ms and 1 s per tick).
  sim::Duration ts_granularity;

  // --- Receive window ------------------------------------------------------------------------
  // Initial receive window: min(receive space, 65535) rounded down to a multiple of the MSS we
  // expect to receive (Linux tcp_select_initial_window(); RFC 9293 leaves it to the stack).
  std::uint32_t receive_space_bytes;
  bool round_window_to_mss;
  // Linux: __tcp_select_window() rounds the scaled window up (ALIGN), so 64240 >> 10 is sent as
  // 63. RFC 7323 §2.3 just shifts right.
  bool round_scaled_window_up;

  // --- Close ---------------------------------------------------------------------------------
  sim::Duration time_wait;  // TIME-WAIT length (RFC 9293 §3.4.2: 2*MSL)
  // Linux: tcp_send_active_reset() (ABORT, close() with unread data, a closed listener's
  // children) sends <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK> with the connection's window and
  // options; RFC 9293 §3.10.5 forms <SEQ=SND.NXT><CTL=RST>.
  bool active_reset_with_ack;
};

// Linux 6.18 defaults (docs/linux-reference.md, "Defaults of the kernel that was measured").
const Profile& linux_profile();
// The same stack with tcp_syn_linear_timeouts=0: Linux before 6.5.
const Profile& linux_classic_profile();
// RFC 6298 timers and RFC 9293 defaults.
const Profile& rfc6298_profile();
// 3 s initial SYN timeout (RFC 1122 §4.2.3.1, RFC 2988 (2.1)), as in Linux 2.6-3.0.
const Profile& classic_profile();
// rfc6298 with RFC 793's rules from before RFC 5961: an in-window SYN or RST resets a
// synchronized connection (RFC 793 §3.9).
const Profile& rfc793_profile();

// Every preset, in a fixed order.
std::span<const Profile* const> profiles();
// The preset named `name` ("linux", "linux-classic", "rfc6298", "classic", "rfc793"), or nullptr.
const Profile* find_profile(std::string_view name);

}  // namespace synlab::tcp
