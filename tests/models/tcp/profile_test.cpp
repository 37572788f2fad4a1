// Profiles: the presets' values against their sources (docs/linux-reference.md, RFC 6298,
// RFC 9293), lookup by name, and an overridden field changing behaviour as the reference says.
#include "models/tcp/profile.hpp"

#include <doctest/doctest.h>

#include <vector>

#include "models/tcp/tcp_endpoint.hpp"
#include "tests/models/tcp/recording_effects.hpp"

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;

TEST_CASE("linux profile: the reference's sysctls (Linux 6.18 defaults)") {
  const Profile& p = linux_profile();
  CHECK(p.name == "linux");
  CHECK(p.initial_rto == 1s);           // "The initial RTO is 1 s, confirmed"
  CHECK(p.syn_retries == 6);            // tcp_syn_retries
  CHECK(p.syn_linear_timeouts == 4);    // tcp_syn_linear_timeouts
  CHECK(p.synack_retries == 5);         // tcp_synack_retries
  CHECK(p.min_rto == 200ms);            // tcp_rto_min_us
  CHECK(p.max_rto == 120s);             // tcp_rto_max_ms
  CHECK(p.invalid_ratelimit == 500ms);  // tcp_invalid_ratelimit
  CHECK(p.max_syn_backlog == 2048);     // tcp_max_syn_backlog
  CHECK(p.mss == std::optional<std::uint16_t>(1460));
  CHECK(p.window_scale == std::optional<std::uint8_t>(10));
  CHECK(p.sack_permitted);
  CHECK(p.timestamps);
  CHECK(p.synack_on_duplicate_syn);
  CHECK(p.time_wait == 60s);         // TCP_TIMEWAIT_LEN (include/net/tcp.h): 60 s, not 2 x MSL
  CHECK(p.syn_again_after_bad_ack);  // tcp_rcv_synsent_state_process(): TCP_TIMEOUT_MIN
  CHECK(p.paws_active_reject);       // tcp_rcv_synsent_state_process(): PAWSActiveRejected
  CHECK(p.syn_reopens_time_wait);    // tcp_timewait_state_process(): TCP_TW_SYN
}

TEST_CASE("linux-classic differs from linux only in tcp_syn_linear_timeouts") {
  const Profile& a = linux_profile();
  const Profile& b = linux_classic_profile();
  CHECK(b.syn_linear_timeouts == 0);
  CHECK(b.syn_retries == a.syn_retries);
  CHECK(b.initial_rto == a.initial_rto);
  CHECK(b.synack_retries == a.synack_retries);
  CHECK(b.syn_give_up == a.syn_give_up);
  CHECK(b.syn_again_after_bad_ack == a.syn_again_after_bad_ack);
  CHECK(b.paws_active_reject == a.paws_active_reject);
  CHECK(b.syn_reopens_time_wait == a.syn_reopens_time_wait);
}

TEST_CASE("rfc6298 and classic profiles") {
  CHECK(rfc6298_profile().initial_rto == 1s);  // RFC 6298 (2.1)
  CHECK(rfc6298_profile().min_rto == 1s);      // RFC 6298 (2.4)
  CHECK(rfc6298_profile().max_rto == 60s);     // RFC 6298 (2.5)
  CHECK(rfc6298_profile().syn_r2 == 180s);     // RFC 9293 §3.8.3
  CHECK(rfc6298_profile().time_wait == 240s);  // 2 x MSL, MSL = 2 min
  CHECK(classic_profile().initial_rto == 3s);  // RFC 1122 §4.2.3.1 / RFC 2988 (2.1)
  // RFC 9293 §3.10.7.3 and RFC 7323: neither Linux rule of SYN-SENT.
  for (const Profile* p : {&rfc6298_profile(), &classic_profile(), &rfc793_profile()}) {
    CHECK_FALSE(p->syn_again_after_bad_ack);
    CHECK_FALSE(p->paws_active_reject);
    CHECK_FALSE(p->syn_reopens_time_wait);  // RFC 9293 §3.10.7.4 and RFC 5961 §4.2: an ACK
  }
}

TEST_CASE("profiles are found by name") {
  CHECK(profiles().size() == 5);
  CHECK(find_profile("rfc793") == &rfc793_profile());
  for (const Profile* p : profiles()) CHECK(find_profile(p->name) == p);
  CHECK(find_profile("linux-classic") == &linux_classic_profile());
  CHECK(find_profile("bsd") == nullptr);
}

TEST_CASE("an overridden field changes behaviour: linux with tcp_syn_retries=2 (reference c6)") {
  // Reference, case c, row c6: SYNs at 0, 1, 2, 3, 4, 5 s, connect() fails at 7 s
  // ((2^(2+1) - 1) x 1 s = 7 s, the time bound, before the count bound 2 + 4 = 6).
  Profile custom = linux_profile();
  custom.syn_retries = 2;
  test::RecordingEffects fx;
  const EndpointContext ctx{&custom, nullptr, IsnSource{nullptr, 1000}, NodeName("c")};
  TcpEndpoint ep(ctx, fx, 1);
  sim::Time now = sim::at(0s);
  REQUIRE(ep.connect(now, SocketAddress{1, 40000}, SocketAddress{2, 80}) == UserError::Ok);
  std::vector<sim::Time> syns = {now};
  while (ep.state() == State::SynSent) {
    const auto deadline = ep.timer_deadline(TimerKind::Retransmission);
    REQUIRE(deadline.has_value());
    now = *deadline;
    fx.sent.clear();
    ep.on_timer(now, TimerKind::Retransmission);
    if (!fx.sent.empty()) syns.push_back(now);
  }
  const std::vector<sim::Time> want = {sim::at(0s), sim::at(1s), sim::at(2s),
                                       sim::at(3s), sim::at(4s), sim::at(5s)};
  CHECK(syns == want);
  CHECK(now == sim::at(7s));
  CHECK(ep.stats().outcome == Outcome::Timeout);
  CHECK(linux_profile().syn_retries == 6);  // the preset itself is unchanged
}

}  // namespace
}  // namespace synlab::tcp
