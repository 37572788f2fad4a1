// HandshakeTimers: a profile's SYN and SYN/ACK schedules (models/tcp/handshake_schedule.hpp) in
// seconds, for summary.json and the plots.
#include "app/handshake_timers.hpp"

#include <chrono>
#include <vector>

#include "models/tcp/handshake_schedule.hpp"

namespace synlab::app {
namespace {

// Seconds appear only in output (STYLE §3).
std::vector<double> seconds(const std::vector<sim::Duration>& times) {
  std::vector<double> out;
  out.reserve(times.size());
  for (const sim::Duration d : times) out.push_back(std::chrono::duration<double>(d).count());
  return out;
}

}  // namespace

viz::TcpTimers handshake_timers(const tcp::Profile& p) {
  viz::TcpTimers t;
  t.profile = std::string(p.name);
  t.initial_timeout_s = std::chrono::duration<double>(p.initial_rto).count();
  t.syn_send_times_s = seconds(tcp::syn_send_times(p));
  t.synack_send_times_s = seconds(tcp::synack_send_times(p));
  if (const std::optional<sim::Duration> g = tcp::syn_give_up_time(p))
    t.give_up_s = std::chrono::duration<double>(*g).count();
  return t;
}

std::optional<viz::TcpTimers> preset_timers(const std::string& name) {
  const tcp::Profile* p = tcp::find_profile(name);
  if (p == nullptr) return std::nullopt;
  return handshake_timers(*p);
}

}  // namespace synlab::app
