// HostCounters: what one TCP host counted over a run, as a kernel's netstat counters do, and the
// one list of their names (summary.json's keys, the run records' order).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace synlab::tcp {

struct HostCounters {
  std::uint64_t segments_received = 0;
  std::uint64_t segments_sent = 0;
  std::uint64_t resets_for_no_tcb = 0;  // §3.10.7.1 replies (closed port)
  std::uint64_t listen_overflows = 0;   // Linux: TcpExtListenOverflows (accept queue full)
  std::uint64_t syn_queue_drops = 0;    // SYNs dropped with the SYN queue full
  std::uint64_t requests_expired = 0;   // half-open connections dropped after their retries
  std::uint64_t syncookies_sent = 0;    // Linux: LINUX_MIB_SYNCOOKIESSENT (cookie SYN,ACKs)
  std::uint64_t syncookies_recv = 0;    // Linux: LINUX_MIB_SYNCOOKIESRECV (valid cookie ACKs)
  std::uint64_t syncookies_failed = 0;  // Linux: LINUX_MIB_SYNCOOKIESFAILED (invalid cookie ACKs)

  friend bool operator==(const HostCounters&, const HostCounters&) = default;
};

// Each counter's name and member, in the order the run records carry them.
struct HostCounter {
  std::string_view name;
  std::uint64_t HostCounters::*member;
};
inline constexpr std::array<HostCounter, 9> host_counters{{
    {"segments_received", &HostCounters::segments_received},
    {"segments_sent", &HostCounters::segments_sent},
    {"resets_for_no_tcb", &HostCounters::resets_for_no_tcb},
    {"listen_overflows", &HostCounters::listen_overflows},
    {"syn_queue_drops", &HostCounters::syn_queue_drops},
    {"requests_expired", &HostCounters::requests_expired},
    {"syncookies_sent", &HostCounters::syncookies_sent},
    {"syncookies_recv", &HostCounters::syncookies_recv},
    {"syncookies_failed", &HostCounters::syncookies_failed},
}};
static_assert(host_counters.size() * sizeof(std::uint64_t) == sizeof(HostCounters),
              "host_counters names every member of HostCounters");

// Adds `b`'s counts to `a`'s (a point's replications together).
inline HostCounters& operator+=(HostCounters& a, const HostCounters& b) noexcept {
  for (const HostCounter& c : host_counters) a.*c.member += b.*c.member;
  return a;
}

}  // namespace synlab::tcp
