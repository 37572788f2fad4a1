// HandshakeModel: the analytic connection-establishment time of Cardwell, Savage and Anderson,
// "Modeling TCP Latency" (INFOCOM 2000), its finite-retry variant and its distribution, plus a
// variant driven by a profile's actual retransmission schedule (docs/handshake-model.md).
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

namespace synlab::viz {

// One value the handshake time can take and its probability.
struct HandshakeAtom {
  double time_s = 0;
  double probability = 0;
};

// Cardwell et al.: E[T] = RTT + Ts((1-pr)/(1-2pr) + (1-pf)/(1-2pf) - 2), with forward (SYN)
// loss pf and reverse (SYN/ACK) loss pr, each below 0.5, an initial timeout Ts doubling after
// every loss and no retry limit. Returns NaN when pf or pr is not in [0, 0.5).
double cardwell_expected_handshake_s(double rtt_s, double ts_s, double pf, double pr);

// E[sum over k < n losses of one side's waiting] with doubling and at most `retries`
// retransmissions, conditional on the side succeeding: sum_{i=0}^{N} Ts(2^i - 1)(1-p)p^i
// divided by 1 - p^(N+1). Valid for every p in [0, 1) (docs/handshake-model.md).
double doubling_wait_limited_s(double ts_s, double p, std::size_t retries);

// The finite-retry variant: the mean handshake time of the connections that succeed, when the
// client sends at most 1 + syn_retries SYNs and the server 1 + synack_retries SYN/ACKs.
double cardwell_expected_handshake_limited_s(double rtt_s, double ts_s, double pf, double pr,
                                             std::size_t syn_retries, std::size_t synack_retries);

// The probability that the handshake succeeds at all under those limits:
// (1 - pf^(syn_retries+1)) (1 - pr^(synack_retries+1)).
double handshake_success_probability(double pf, double pr, std::size_t syn_retries,
                                     std::size_t synack_retries);

// Send times of attempts 0..retries relative to the first, for an initial timeout Ts that
// doubles after each expiry: 0, Ts, 3Ts, 7Ts, ..., Ts(2^i - 1).
std::vector<double> doubling_send_times_s(double ts_s, std::size_t retries);

// The distribution: T = RTT + syn_times[i] + synack_times[j] with probability
// (1-pf) pf^i (1-pr) pr^j, i and j up to the schedules' last attempt. Atoms are sorted by time,
// equal times merged, and their probabilities add up to the success probability (not to 1).
// With doubling_send_times_s() these are the values RTT + Ts(2^i - 1) + Ts(2^j - 1).
// A handshake that would end after `give_up_s` (the client's connect() has timed out by then:
// its last SYN timeout, TcpTimers::give_up_s) is a failure, not an atom.
std::vector<HandshakeAtom> handshake_distribution(
    double rtt_s, const std::vector<double>& syn_times_s, double pf,
    const std::vector<double>& synack_times_s, double pr,
    double give_up_s = std::numeric_limits<double>::infinity());

// The mean of the successful handshakes of a distribution (sum t p / sum p); NaN if empty.
double conditional_mean_s(const std::vector<HandshakeAtom>& atoms);

}  // namespace synlab::viz
