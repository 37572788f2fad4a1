// HandshakeSchedule: each preset's SYN and SYN,ACK send times worked out by hand from RFC 6298
// (2.1), (2.5), (5.5), RFC 9293 §3.8.3 (R2) and the profiles' retry limits; then the same lists
// against the wire of a real TcpHost pair, so the model and the simulator cannot disagree.
#include "models/tcp/handshake_schedule.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/tcp/profile.hpp"
#include "tests/models/tcp/test_network.hpp"

// Failing comparisons print the times in ns.
namespace doctest {
template <>
struct StringMaker<std::vector<synlab::sim::Duration>> {
  static String convert(const std::vector<synlab::sim::Duration>& times) {
    std::string out = "{";
    for (const auto t : times) {
      out.append(" ");
      out.append(std::to_string(t.count()));
    }
    out.append(" }");
    return String(out.c_str());
  }
};
}  // namespace doctest

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;
using sim::Duration;
using Times = std::vector<Duration>;

TEST_CASE("rfc6298 (RFC 6298 (2.1), (2.5), (5.5)): doubling from 1 s, capped at 60 s, until R2") {
  // Timeouts 1, 2, 4, 8, 16, 32 s, then min(64, 60) = 60 s and 60 s again: sends at 0, 1, 3, 7,
  // 15, 31, 63, 123 s. The next expiry, at 183 s, is 180 s or more after the first SYN: past R2
  // (RFC 9293 §3.8.3, "at least 3 minutes"), so the client gives up without sending.
  const Times expected = {0s, 1s, 3s, 7s, 15s, 31s, 63s, 123s};
  CHECK(syn_send_times(rfc6298_profile()) == expected);
  // The server's SYN,ACK follows the same timer: synack_retries = 7 retransmissions ends at the
  // same 123 s, and the expiry at 183 s is past R2 as well.
  CHECK(synack_send_times(rfc6298_profile()) == expected);
}

TEST_CASE("rfc6298 with synack_retries 12 - R2 (RFC 9293 §3.8.3) ends the SYN,ACKs at 123 s") {
  // The count alone would allow 12 retransmissions, 60 s apart once capped: 0, 1, 3, 7, 15, 31,
  // 63, 123, 183, 243, 303, 363, 423 s. But the expiry at 183 s is past R2 = 180 s, at which a
  // passive open drops the half-open connection: the last SYN,ACK is the one at 123 s.
  Profile p = rfc6298_profile();
  p.synack_retries = 12;
  CHECK(synack_send_times(p) == Times{0s, 1s, 3s, 7s, 15s, 31s, 63s, 123s});
  // With fewer retries the count ends it first: 3 retransmissions, 1, 2, 4 s apart.
  p.synack_retries = 3;
  CHECK(synack_send_times(p) == Times{0s, 1s, 3s, 7s});
}

TEST_CASE("linux - 4 linear SYN timeouts, then doubling - SYN,ACKs doubling, 5 retries") {
  // SYN: the first syn_linear_timeouts = 4 expiries keep the 1 s timeout (Linux 6.5+), so SYNs
  // at 0, 1, 2, 3, 4, 5 s; then 2, 4, 8, 16, 32 s: 7, 11, 19, 35, 67 s. That is
  // syn_retries + syn_linear_timeouts = 6 + 4 = 10 retransmissions, the count limit; the next
  // expiry (67 + 64 = 131 s) also passes the time bound tcp_model_timeout(6) = (2^7 - 1) x 1 s
  // = 127 s (max_rto 120 s is never reached: the largest timeout is 64 s).
  CHECK(syn_send_times(linux_profile()) == Times{0s, 1s, 2s, 3s, 4s, 5s, 7s, 11s, 19s, 35s, 67s});
  // SYN,ACK: 1 s << expiries, synack_retries = 5: 1, 2, 4, 8, 16 s apart.
  CHECK(synack_send_times(linux_profile()) == Times{0s, 1s, 3s, 7s, 15s, 31s});
}

TEST_CASE("linux-classic - no linear timeouts: SYNs at 0, 1, 3, 7, 15, 31, 63 s") {
  // syn_linear_timeouts = 0: timeouts 1, 2, 4, 8, 16, 32 s, syn_retries = 6 retransmissions;
  // the expiry at 127 s gives up by count and by tcp_model_timeout(6) = 127 s alike.
  CHECK(syn_send_times(linux_classic_profile()) == Times{0s, 1s, 3s, 7s, 15s, 31s, 63s});
  CHECK(synack_send_times(linux_classic_profile()) == Times{0s, 1s, 3s, 7s, 15s, 31s});
}

TEST_CASE("classic (RFC 1122 §4.2.3.1 Ts = 3 s, 5 retries): 0, 3, 9, 21, 45, 93 s both ways") {
  // Timeouts 3, 6, 12, 24, 48 s (under max_rto 120 s), 5 retransmissions each way.
  const Times expected = {0s, 3s, 9s, 21s, 45s, 93s};
  CHECK(syn_send_times(classic_profile()) == expected);
  CHECK(synack_send_times(classic_profile()) == expected);
  // No retries: only the first SYN and the first SYN,ACK.
  Profile p = classic_profile();
  p.syn_retries = 0;
  p.synack_retries = 0;
  CHECK(syn_send_times(p) == Times{0s});
  CHECK(synack_send_times(p) == Times{0s});
}

TEST_CASE("When an unanswered connect() gives up: the last SYN's timeout") {
  // linux: the SYN at 67 s, then a 64 s timeout: 131 s (docs/linux-reference.md's give-up).
  CHECK(syn_give_up_time(linux_profile()) == sim::Duration(131s));
  // linux-classic: 1 + 2 + 4 + ... + 64 = 127 s; classic: 3 + 6 + 12 + 24 + 48 + 96 = 189 s.
  CHECK(syn_give_up_time(linux_classic_profile()) == sim::Duration(127s));
  CHECK(syn_give_up_time(classic_profile()) == sim::Duration(189s));
  // No retries: the first SYN's own timeout, 3 s.
  Profile p = classic_profile();
  p.syn_retries = 0;
  CHECK(syn_give_up_time(p) == sim::Duration(3s));
}

TEST_CASE("A schedule that would go on for 10^11 sends is cut at max_handshake_sends") {
  // A 1 ns timeout that cannot grow (max_rto = 1 ns) under R2 = 180 s would send 1.8 x 10^11
  // SYNs, one per ns: the lists stop after max_handshake_sends, at 0, 1, ... ns.
  Profile p = rfc6298_profile();
  p.initial_rto = 1ns;
  p.max_rto = 1ns;
  p.synack_retries = 0xffff'ffffu;
  for (const Times& t : {syn_send_times(p), synack_send_times(p)}) {
    REQUIRE(t.size() == max_handshake_sends);
    CHECK(t.front() == 0ns);
    CHECK(t.back() == Duration(max_handshake_sends - 1));
  }
}

// --- The simulator's wire against the schedule -----------------------------------------------

// `schedule` shifted by `offset`, as wire times.
std::vector<sim::Time> on_wire(const Times& schedule, Duration offset) {
  std::vector<sim::Time> out;
  for (const Duration t : schedule) out.push_back(sim::at(offset + t));
  return out;
}

TEST_CASE("The schedules are what a TcpHost pair sends, every SYN or every SYN,ACK lost") {
  // Every preset, and variants whose give-up rules meet differently: the SYN,ACK count past R2
  // (rfc6298), the Linux time bound tcp_model_timeout(3) = 15 s before the count 3 + 4.
  std::vector<Profile> variants;
  for (const Profile* p : profiles()) variants.push_back(*p);
  variants.push_back(rfc6298_profile());
  variants.back().synack_retries = 12;
  variants.push_back(linux_profile());
  variants.back().syn_retries = 3;
  variants.push_back(classic_profile());
  variants.back().initial_rto = 1500ms;
  variants.back().max_rto = 10s;

  constexpr Duration d = 10ms;  // one-way delay
  const Flags syn = Flag::Syn;
  const Flags synack = Flag::Syn | Flag::Ack;
  for (const Profile& p : variants) {
    CAPTURE(p.name);
    CAPTURE(p.syn_retries);
    CAPTURE(p.synack_retries);
    {
      // Every SYN lost: the client retransmits on its own timer from connect() at 0 until it
      // times out (RFC 9293 §3.8.3).
      test::TestNetwork net(d);
      net.add_client_and_listener(p, p);
      net.drop_if("client", "server", [syn](const Segment& s) { return s.flags == syn; });
      const auto r = net.host("client").connect(net.address("server", 80));
      REQUIRE(r.error == ConnectError::Ok);
      net.scheduler.run_until(sim::at(1h));
      CHECK(net.times("client", "server", syn) == on_wire(syn_send_times(p), 0s));
      CHECK(net.host("client").endpoint(r.id)->stats().outcome == Outcome::Timeout);
    }
    {
      // The first SYN arrives at d; every SYN,ACK is lost, and so is every later SYN (a
      // duplicate SYN would draw an extra SYN,ACK from a Linux server). The listener's child
      // resends on its own timer until it drops the half-open connection.
      test::TestNetwork net(d);
      net.add_client_and_listener(p, p);
      std::uint32_t syns = 0;
      net.drop_if("client", "server",
                  [syn, &syns](const Segment& s) { return s.flags == syn && ++syns > 1; });
      net.drop_if("server", "client", [synack](const Segment& s) { return s.flags == synack; });
      REQUIRE(net.host("client").connect(net.address("server", 80)).error == ConnectError::Ok);
      net.scheduler.run_until(sim::at(1h));
      CHECK(net.times("server", "client", synack) == on_wire(synack_send_times(p), d));
      CHECK(net.host("server").counters().requests_expired == 1);
    }
  }
}

TEST_CASE("backed-off timeouts are capped at max_rto before they can overflow (RFC 6298 (2.5))") {
  // initial_rto 1 ns, backoff 16, max_rto 100 years (876,000 h = 3.1536e18 ns), 20 SYN
  // retransmissions counted. The k-th timeout is min(16^k ns, max_rto): 16^15 ns = 1.15e18 ns
  // is under the cap, 16^16 ns = 1.8e19 ns is over it (and over 2^63 ns: computed as a plain
  // product it would overflow). The send times are the running sums, which pass 2^63 - 2 ns
  // (time_last, about 292 years) at the third capped timeout and stay at that end of time.
  Profile p = rfc6298_profile();
  p.initial_rto = 1ns;
  p.max_rto = std::chrono::hours{876'000};
  p.backoff_factor = 16;
  p.syn_give_up = SynGiveUp::RetryCount;
  p.syn_retries = 20;
  p.syn_linear_timeouts = 0;
  __extension__ using Int128 = __int128;
  const Int128 end = INT64_MAX - 1;
  Times expected{0ns};
  Int128 at = 0;
  Int128 timeout = 1;
  for (int k = 0; k < 20; ++k) {
    at = std::min(at + std::min<Int128>(timeout, p.max_rto.count()), end);
    expected.push_back(Duration{static_cast<std::int64_t>(at)});
    timeout *= 16;
  }
  CHECK(syn_send_times(p) == expected);
  // The passive side's request timer, initial_rto << expiries capped the same way (Linux:
  // reqsk_timeout()), 20 SYN,ACK retransmissions.
  p.synack_retries = 20;
  CHECK(synack_send_times(p) == expected);
}

}  // namespace
}  // namespace synlab::tcp
