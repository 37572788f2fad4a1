// HandshakeTimers: the schedules of tcp_endpoint_timeouts.cpp replayed without a kernel.
#include "app/handshake_timers.hpp"

#include <algorithm>
#include <chrono>

namespace synlab::app {
namespace {

double seconds(sim::Duration d) {
  return std::chrono::duration<double>(d).count();
}

// More attempts than this are never plotted: 64 doublings of 1 s exceed any max_rto anyway.
constexpr std::uint32_t attempt_cap = 64;

}  // namespace

viz::TcpTimers handshake_timers(const tcp::Profile& p) {
  viz::TcpTimers t;
  t.profile = std::string(p.name);
  t.initial_timeout_s = seconds(p.initial_rto);
  // Client: TcpEndpoint::syn_timeout(): the first syn_linear_timeouts expiries keep the RTO,
  // later ones multiply it by backoff_factor, capped at max_rto.
  std::uint32_t retransmissions = 0;
  switch (p.syn_give_up) {
    case tcp::SynGiveUp::RetryCount:
      retransmissions = p.syn_retries;
      break;
    case tcp::SynGiveUp::LinuxModel:
      retransmissions = p.syn_retries + p.syn_linear_timeouts;
      break;
    case tcp::SynGiveUp::ElapsedR2:
      retransmissions = attempt_cap;  // cut below at syn_r2
      break;
  }
  retransmissions = std::min(retransmissions, attempt_cap);
  sim::Duration at{};
  sim::Duration rto = p.initial_rto;
  t.syn_send_times_s.push_back(0);
  for (std::uint32_t expiries = 1; expiries <= retransmissions; ++expiries) {
    at += rto;
    if (p.syn_give_up == tcp::SynGiveUp::ElapsedR2 && at >= p.syn_r2) break;
    t.syn_send_times_s.push_back(seconds(at));
    if (expiries > p.syn_linear_timeouts) rto = std::min(rto * p.backoff_factor, p.max_rto);
  }
  // Server: TcpEndpoint::synack_timeout(): initial_rto * backoff^expiries, capped.
  at = {};
  rto = p.initial_rto;
  t.synack_send_times_s.push_back(0);
  for (std::uint32_t expiries = 1; expiries <= std::min(p.synack_retries, attempt_cap);
       ++expiries) {
    at += rto;
    t.synack_send_times_s.push_back(seconds(at));
    rto = std::min(rto * p.backoff_factor, p.max_rto);
  }
  return t;
}

std::optional<viz::TcpTimers> preset_timers(const std::string& name) {
  const tcp::Profile* p = tcp::find_profile(name);
  if (p == nullptr) return std::nullopt;
  return handshake_timers(*p);
}

}  // namespace synlab::app
