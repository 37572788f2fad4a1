// TcpTimers: the handshake retransmission schedule of a TCP profile, as plain seconds, so the
// analytic model can use a profile without viz/ depending on models/ (app/ fills it in).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace synlab::viz {

struct TcpTimers {
  std::string profile;                      // e.g. linux
  double initial_timeout_s = 1;             // Ts: the first SYN timeout
  std::vector<double> syn_send_times_s;     // client SYN attempts after the first: 0, 1, 2, ...
  std::vector<double> synack_send_times_s;  // server SYN/ACK attempts (its own timer only)
  // When the client's connect() times out, unanswered (after its last SYN's timeout); none
  // when it never does within the schedule's cap.
  std::optional<double> give_up_s;
};

// The timers of a profile by name, or nullopt if unknown.
using TimersLookup = std::function<std::optional<TcpTimers>(const std::string& profile)>;

}  // namespace synlab::viz
