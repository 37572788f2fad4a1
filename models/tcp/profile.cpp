// Profile presets (profile.hpp). Each value names its source.
#include "models/tcp/profile.hpp"

#include <array>

namespace synlab::tcp {

using namespace std::chrono_literals;

namespace {

constexpr Profile make_linux() {
  Profile p{};
  p.name = "linux";
  p.initial_rto = 1s;               // TCP_TIMEOUT_INIT; reference: "initial RTO is 1 s, confirmed"
  p.min_rto = 200ms;                // tcp_rto_min_us = 200000 (reference table)
  p.min_rto_on_variance = true;     // tcp_set_rto(), tcp_rtt_estimator()
  p.max_rto = 120s;                 // tcp_rto_max_ms = 120000 (reference table)
  p.backoff_factor = 2;             // tcp_retransmit_timer(): icsk_rto << 1
  p.rto_after_handshake_loss = 3s;  // TCP_TIMEOUT_FALLBACK, tcp_init_metrics() (RFC 6298 5.7)
  p.rtt_from_tsecr = true;          // tcp_ack_update_rtt(), tcp_synack_rtt_meas()
  p.data_retries = 15;              // tcp_retries2 = 15 (kernel default)
  p.syn_retries = 6;                // tcp_syn_retries (reference table)
  p.syn_linear_timeouts = 4;        // tcp_syn_linear_timeouts (reference table)
  p.syn_give_up = SynGiveUp::LinuxModel;  // reference: "A rule that reproduces every row"
  p.syn_r2 = 0s;
  p.user_timeout_rule = UserTimeoutRule::LinuxClamp;  // tcp_write_timeout(), tcp_timer.c
  p.jiffy = 4ms;                                      // CONFIG_HZ = 250 (reference table)
  p.syn_again_after_bad_ack = true;  // tcp_rcv_synsent_state_process(): TCP_TIMEOUT_MIN
  p.paws_active_reject = true;       // tcp_rcv_synsent_state_process(), net/ipv4/tcp_input.c
  p.synack_retries = 5;              // tcp_synack_retries (reference table)
  p.synack_on_duplicate_syn = true;  // reference case e: an immediate SYN/ACK per duplicate SYN
  p.embryonic_reset = true;          // tcp_check_req() (net/ipv4/tcp_minisocks.c)
  p.syn_in_synchronized = SynInSynchronized::ChallengeAck;  // tcp_validate_incoming(), RFC 5961
  p.rst_in_window = RstInWindow::ChallengeAck;              // tcp_validate_incoming(), RFC 5961
  p.syn_reopens_time_wait = true;   // tcp_timewait_state_process(), TCP_TW_SYN
  p.invalid_ratelimit = 500ms;      // tcp_invalid_ratelimit (reference table)
  p.accept_queue_extra = 1;         // reference case h: "the accept queue holds backlog + 1"
  p.max_syn_backlog = 2048;         // tcp_max_syn_backlog (reference table)
  p.syn_queue_by_backlog = true;    // tcp_conn_request(), inet_csk_reqsk_queue_is_full()
  p.somaxconn = 4096;               // net.core.somaxconn (reference table)
  p.syncookies = 1;                 // tcp_syncookies (reference table)
  p.mss = 1460;                     // reference: SYN carries MSS=1460 (1500-byte MTU)
  p.window_scale = 10;              // reference: WS=10 (tcp_rmem max 32 MiB)
  p.sack_permitted = true;          // tcp_sack = 1
  p.timestamps = true;              // tcp_timestamps = 1
  p.ts_granularity = 1ms;           // reference: "TSval ticks at 1 kHz"
  p.receive_space_bytes = 65535;    // reference: SYN window 64240 = 44 x 1460, SYN/ACK 65160
  p.round_window_to_mss = true;     //   = 45 x 1448: 65535 rounded down to the MSS
  p.round_scaled_window_up = true;  // reference: third ACK window 63 (64240/1024 = 62.7)
  p.time_wait = 60s;                // TCP_TIMEWAIT_LEN (include/net/tcp.h)
  p.active_reset_with_ack = true;   // tcp_send_active_reset(): TCPHDR_ACK | TCPHDR_RST
  return p;
}

constexpr Profile make_linux_classic() {
  Profile p = make_linux();
  p.name = "linux-classic";
  p.syn_linear_timeouts = 0;  // reference: "tcp_syn_linear_timeouts=0 (the classic schedule)"
  return p;
}

constexpr Profile make_rfc6298() {
  Profile p{};
  p.name = "rfc6298";
  p.initial_rto = 1s;  // RFC 6298 (2.1)
  p.min_rto = 1s;      // RFC 6298 (2.4)
  p.min_rto_on_variance = false;
  p.max_rto = 60s;                  // RFC 6298 (2.5): a maximum of at least 60 s
  p.backoff_factor = 2;             // RFC 6298 (5.5)
  p.rto_after_handshake_loss = 3s;  // RFC 6298 (5.7)
  p.rtt_from_tsecr = false;         // Karn's rule alone
  p.data_retries = 15;              // RFC 9293 §3.8.3 leaves R2 to the stack; as Linux
  p.syn_retries = 0xffff'ffffu;     // no count limit: R2 decides
  p.syn_linear_timeouts = 0;
  p.syn_give_up = SynGiveUp::ElapsedR2;
  p.syn_r2 = 180s;  // RFC 9293 §3.8.3: R2 for a SYN at least 3 minutes
  p.user_timeout_rule = UserTimeoutRule::OwnTimer;  // RFC 9293 §3.10.8 USER TIMEOUT
  p.jiffy = 0s;                                     // no jiffies
  p.syn_again_after_bad_ack = false;                // RFC 9293 §3.10.7.3: RST, drop, return
  p.paws_active_reject = false;                     // RFC 7323 §5: PAWS in synchronized states
  p.synack_retries = 7;               // 0,1,3,7,15,31,63,123 s: the same 3 minutes as a SYN
  p.synack_on_duplicate_syn = false;  // RFC 9293 §3.10.7.4: unacceptable segment -> ACK
  p.embryonic_reset = false;          // RFC 9293 §3.10.7.4 second and fourth, RFC 5961
  p.syn_in_synchronized = SynInSynchronized::ChallengeAck;  // RFC 5961 §4.2 (RFC 9293)
  p.rst_in_window = RstInWindow::ChallengeAck;              // RFC 5961 §3.2 (RFC 9293)
  p.syn_reopens_time_wait = false;  // RFC 9293 §3.10.7.4: a SYN in TIME-WAIT draws an ACK
  p.invalid_ratelimit = 0s;
  p.accept_queue_extra = 0;        // backlog means what it says
  p.max_syn_backlog = 1024;        // a common default; RFC 9293 sets none
  p.syn_queue_by_backlog = false;  // the SYN queue holds min(backlog, max_syn_backlog)
  p.somaxconn = 0;                 // listen()'s backlog as given
  p.syncookies = 0;                // no RFC requires them (RFC 4987 §3.6 describes them)
  p.mss = 1460;                    // RFC 9293 §3.7.1 for a 1500-byte MTU
  p.window_scale = 7;              // RFC 7323 §2: a shift fitting a 8 MiB buffer
  p.sack_permitted = true;         // RFC 2018
  p.timestamps = true;             // RFC 7323
  p.ts_granularity = 1ms;          // RFC 7323 §5.4
  p.receive_space_bytes = 65535;   // largest unscaled window (RFC 7323 §2.2)
  p.round_window_to_mss = false;
  p.round_scaled_window_up = false;  // RFC 7323 §2.3: shift right
  p.time_wait = 240s;                // RFC 9293 §3.4.2: 2 x MSL, MSL = 2 minutes
  p.active_reset_with_ack = false;   // RFC 9293 §3.10.5: <SEQ=SND.NXT><CTL=RST>
  return p;
}

constexpr Profile make_classic() {
  Profile p = make_rfc6298();
  p.name = "classic";
  p.initial_rto = 3s;                     // RFC 1122 §4.2.3.1 / RFC 2988 (2.1): "RTO <- 3 seconds"
  p.min_rto = 1s;                         // RFC 2988 (2.4)
  p.max_rto = 120s;                       // TCP_RTO_MAX of Linux 2.6-3.0
  p.syn_retries = 5;                      // tcp_syn_retries = 5 in Linux before 3.7:
  p.syn_give_up = SynGiveUp::RetryCount;  // SYNs at 0, 3, 9, 21, 45, 93 s; gives up at 189 s
  p.synack_retries = 5;                   // tcp_synack_retries = 5
  p.sack_permitted = false;  // the handshake-latency model predates SACK and timestamps
  p.timestamps = false;
  p.window_scale = std::nullopt;
  return p;
}

constexpr Profile make_rfc793() {
  Profile p = make_rfc6298();
  p.name = "rfc793";
  p.syn_in_synchronized = SynInSynchronized::Reset;  // RFC 793 §3.9 p. 71, fourth (SYN)
  p.rst_in_window = RstInWindow::Reset;              // RFC 793 §3.9 p. 70, second (RST)
  return p;
}

// const, not constexpr: clang 14 with libstdc++ 12 refuses to copy a disengaged
// std::optional (classic's window_scale) in a constant expression; GCC initializes these
// statically all the same, and nothing reads a profile before main().
const Profile linux_v = make_linux();
const Profile linux_classic_v = make_linux_classic();
const Profile rfc6298_v = make_rfc6298();
const Profile classic_v = make_classic();
const Profile rfc793_v = make_rfc793();
constexpr std::array<const Profile*, 5> all = {&linux_v, &linux_classic_v, &rfc6298_v, &classic_v,
                                               &rfc793_v};

}  // namespace

const Profile& linux_profile() {
  return linux_v;
}
const Profile& linux_classic_profile() {
  return linux_classic_v;
}
const Profile& rfc6298_profile() {
  return rfc6298_v;
}
const Profile& classic_profile() {
  return classic_v;
}
const Profile& rfc793_profile() {
  return rfc793_v;
}

std::span<const Profile* const> profiles() {
  return all;
}

const Profile* find_profile(std::string_view name) {
  for (const Profile* p : all)
    if (p->name == name) return p;
  return nullptr;
}

}  // namespace synlab::tcp
