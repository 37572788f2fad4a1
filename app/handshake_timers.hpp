// HandshakeTimers: a TCP profile's SYN and SYN/ACK retransmission schedules as plain seconds
// (viz::TcpTimers), for summary.json and the analytic model in the plots.
#pragma once

#include <optional>
#include <string>

#include "models/tcp/profile.hpp"
#include "viz/tcp_timers.hpp"

namespace synlab::app {

// The times after the first SYN at which the client sends a SYN, and after the first SYN/ACK
// at which the server's own timer resends it: tcp::syn_send_times() and tcp::synack_send_times(),
// which drive a TcpEndpoint until it gives up.
// Linux 6.18: SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 and SYN/ACKs at 0, 1, 3, 7, 15, 31
// (docs/linux-reference.md, "The schedules").
viz::TcpTimers handshake_timers(const tcp::Profile& profile);

// The timers of a preset by name ("linux", "classic", ...), or nullopt.
std::optional<viz::TcpTimers> preset_timers(const std::string& name);

}  // namespace synlab::app
