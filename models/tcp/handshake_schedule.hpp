// HandshakeSchedule: when a profile sends its SYNs and its SYN,ACKs if no answer ever comes,
// found by driving a real TcpEndpoint until it gives up (RFC 9293 §3.8.3 R2, §3.10.8; RFC 6298
// (5.4)-(5.6)), so it is the simulator's own schedule and never a copy of it.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "models/tcp/profile.hpp"
#include "sim/time.hpp"

namespace synlab::tcp {

// At most this many send times per list. A longer schedule (only a pathological profile, e.g.
// an R2 bound with a 1 ns timeout that never backs off) is cut here; the scenario loader's
// limits (retries and linear timeouts 0 to 255 each) stay well below it.
inline constexpr std::size_t max_handshake_sends = 1024;

// The times, after connect(), at which an active open sends its SYN: 0 for the first, then one
// per retransmission-timer expiry until it gives up (Notification::TimedOut), every SYN lost.
std::vector<sim::Duration> syn_send_times(const Profile& profile);

// When that active open gives up (Notification::TimedOut, its last SYN's timeout expired),
// after connect(); none if it sends max_handshake_sends SYNs first.
std::optional<sim::Duration> syn_give_up_time(const Profile& profile);

// The times, after the SYN arrived, at which a passive open (a listener's child) sends its
// SYN,ACK: 0 for the first, then one per expiry of its own timer until it drops the half-open
// connection; no ACK and no duplicate SYN ever arrive.
std::vector<sim::Duration> synack_send_times(const Profile& profile);

}  // namespace synlab::tcp
