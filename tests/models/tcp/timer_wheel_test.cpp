// TimerWheel: Linux's timer wheel (kernel/time/timer.c) and what it does to the handshake's
// timers, against the real-stack captures in docs/linux-reference.md ("Timer slack").
#include "models/tcp/timer_wheel.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "models/tcp/profile.hpp"
#include "tests/models/tcp/test_network.hpp"

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;
using sim::at;
using sim::Duration;
using sim::Time;

// Seconds, for messages and tolerances.
double seconds(Duration d) {
  return static_cast<double>(d.count()) / 1e9;
}

TEST_CASE("bucket_expiry: calc_wheel_index()'s levels, each rounding up to its granularity") {
  // LVL_START(n) = 63 << 3(n - 1) jiffies: level 0 below 63, level 1 below 504, level 2 below
  // 4032, level 3 below 32256. calc_index(): bucket = ((expires >> 3 lvl) + 1) << 3 lvl.
  CHECK(TimerWheel::bucket_expiry(0, 0) == 1u);    // level 0: the next jiffy
  CHECK(TimerWheel::bucket_expiry(62, 0) == 63u);  // delta 62: level 0, 62 + 1
  CHECK(TimerWheel::bucket_expiry(63, 0) == 64u);  // delta 63: level 1, ((63 >> 3) + 1) << 3
  // HZ = 250, a 1 s timeout (250 jiffies): level 1, ((250 >> 3) + 1) << 3 = 32 * 8 = 256.
  CHECK(TimerWheel::bucket_expiry(250, 0) == 256u);
  // 2 s (500): still level 1 (< 504): (62 + 1) * 8 = 504.
  CHECK(TimerWheel::bucket_expiry(500, 0) == 504u);
  CHECK(TimerWheel::bucket_expiry(504, 0) == 512u);  // delta 504: level 2, (7 + 1) * 64
  // 4 s (1000): level 2, ((1000 >> 6) + 1) << 6 = 16 * 64 = 1024.
  CHECK(TimerWheel::bucket_expiry(1000, 0) == 1024u);
  // 64 s (16000): level 3 (4032 <= 16000 < 32256), ((16000 >> 9) + 1) << 9 = 32 * 512 = 16384.
  CHECK(TimerWheel::bucket_expiry(16000, 0) == 16384u);
  // The level depends on the distance from the wheel's clock, the rounding on the absolute jiffy:
  // 1250 jiffies due from clk 1000 (delta 250, level 1): (156 + 1) * 8 = 1256.
  CHECK(TimerWheel::bucket_expiry(1250, 1000) == 1256u);
  // Already due: the wheel's next tick.
  CHECK(TimerWheel::bucket_expiry(5, 9) == 9u);
  // The last level (8), and the capacity WHEEL_TIMEOUT_CUTOFF = LVL_START(9) = 63 << 24.
  constexpr std::uint64_t cutoff = std::uint64_t{63} << 24u;
  CHECK(TimerWheel::bucket_expiry(cutoff - 1, 0) == (((cutoff - 1) >> 24u) + 1) << 24u);
  CHECK_FALSE(TimerWheel::bucket_expiry(cutoff, 0).has_value());
}

TEST_CASE("the kernel's table of levels at HZ = 250: granularity 4, 32, 256 ms, 2.048 s") {
  // kernel/time/timer.c, "HZ 250": level 0 4 ms up to 255 ms, level 1 32 ms up to 2047 ms,
  // level 2 256 ms up to 16383 ms, level 3 2048 ms up to 131071 ms. The largest lateness of a
  // timer armed on a tick is its level's granularity.
  const TimerWheel wheel(TimerSlack::LinuxHz250, 0s);
  struct Row {
    Duration timeout;
    Duration granularity;
  };
  for (const Row row : {Row{200ms, 4ms}, Row{1s, 32ms}, Row{2s, 32ms}, Row{4s, 256ms},
                        Row{16s, 256ms}, Row{32s, 2048ms}, Row{64s, 2048ms}, Row{120s, 2048ms}}) {
    CAPTURE(seconds(row.timeout));
    Duration latest = 0s;
    for (std::int64_t tick = 0; tick < 4096; ++tick) {
      const Time now = at(tick * 4ms);
      const Time fire = wheel.expiry(now, now + row.timeout, false);
      CHECK(fire > now + row.timeout);  // calc_index() always rounds up
      latest = std::max(latest, fire - (now + row.timeout));
    }
    CHECK(latest == row.granularity);
  }
}

TEST_CASE("expiry: none fires at the deadline, HZ = 250 puts a 1 s timer 1.000 to 1.032 s out") {
  const TimerWheel none;
  CHECK(none.expiry(at(5ms), at(1s + 5ms), false) == at(1s + 5ms));

  // Armed at a random point of a tick (a connect() from process context): expires = jiffies +
  // 250, filed at level 1, rounded up to the next multiple of 8 jiffies above it: 1 to 8 jiffies
  // (4 to 32 ms) after jiffies + 250, less the part of the tick already gone (0 to 4 ms). So
  // (1.000 s, 1.032 s]; the reference measured 1.001 to 1.033 s over 25 connections.
  Duration shortest = Duration::max();
  Duration longest = 0s;
  for (std::int64_t j = 0; j < 512; ++j) {
    for (const Duration into : std::vector<Duration>{0ns, 1ns, 1ms, 2ms, 3999999ns}) {
      const TimerWheel wheel(TimerSlack::LinuxHz250, j * 4ms + into);
      const Time now = at(7ms);  // any instant: the uptime sets the phase
      const Duration after = wheel.expiry(now, now + 1s, false) - now;
      shortest = std::min(shortest, after);
      longest = std::max(longest, after);
    }
  }
  CHECK(shortest > 1s);
  CHECK(shortest < 1001ms);
  CHECK(longest == 1032ms);
}

TEST_CASE("expiry from a timer callback: re-armed on a tick, 1 s gives 1.024 s and 2 s 2.016 s") {
  // Uptime 0: tick k at k * 4 ms. From the callback of tick 256 (1.024 s) the wheel's clock is
  // 257; 256 + 250 = 506 is filed at level 1 and rounded up to 512: 256 jiffies = 1.024 s later.
  // The reference's c1 shows these intervals: 2.030 - 1.006 = 3.054 - 2.030 = ... = 1.024 s.
  const TimerWheel wheel(TimerSlack::LinuxHz250, 0s);
  CHECK(wheel.expiry(at(1024ms), at(2024ms), true) == at(2048ms));
  // 256 + 500 = 756, level 1: (94 + 1) * 8 = 760: 504 jiffies = 2.016 s (c1: 7.118 - 5.102).
  CHECK(wheel.expiry(at(1024ms), at(3024ms), true) == at(1024ms + 2016ms));
  // The callback's clock (jiffies + 1) can choose a finer level: 504 jiffies from tick 8 is due at
  // 512; from a callback the distance to clk 9 is 503, level 1: (64 + 1) * 8 = 520; from process
  // context it is 504 from clk 8, level 2: (8 + 1) * 64 = 576.
  CHECK(wheel.expiry(at(32ms), at(32ms + 2016ms), true) == at(520 * 4ms));
  CHECK(wheel.expiry(at(32ms), at(32ms + 2016ms), false) == at(576 * 4ms));
  // HZ = 1000: 1 s is 1000 jiffies, level 2 (64 ms): from tick 1024 (clk 1025), 2024 is rounded
  // up to 2048: 1.024 s.
  const TimerWheel hz1000(TimerSlack::LinuxHz1000, 0s);
  CHECK(hz1000.expiry(at(1024ms), at(2024ms), true) == at(2048ms));
  // A timeout not a whole number of jiffies is rounded up first (usecs_to_jiffies()): 201 ms
  // from tick 0 is 51 jiffies (level 0), fired at 52: 208 ms.
  CHECK(wheel.expiry(at(0ms), at(201ms), false) == at(208ms));
}

TEST_CASE("expiry: never early, for any phase and timeout (RFC 6298 §4)") {
  for (std::int64_t phase = 0; phase < 300; ++phase) {
    const TimerWheel wheel(TimerSlack::LinuxHz250, phase * 1'234'567ns);
    for (const Duration timeout :
         std::vector<Duration>{0ns, 1ns, 3ms, 200ms, 1s, 3s, 60s, 120s, 30 * 24h}) {
      const Time now = at(phase * 7'654'321ns);
      for (const bool in_callback : {false, true}) {
        const Time fire = wheel.expiry(now, now + timeout, in_callback);
        CHECK(fire >= now + timeout);
        CHECK(fire > now);
      }
    }
  }
  // Beyond the wheel's capacity (63 << 24 jiffies, 48.5 days at HZ = 250): the nominal deadline.
  const TimerWheel wheel(TimerSlack::LinuxHz250, 0s);
  CHECK(wheel.expiry(at(0s), at(60 * 24h), false) == at(60 * 24h));
}

TEST_CASE("words: none, linux-hz250, linux-hz1000") {
  for (const TimerSlack s : timer_slacks()) CHECK(parse_timer_slack(to_string(s)) == s);
  CHECK(parse_timer_slack("linux") == std::nullopt);
  CHECK(jiffy_of(TimerSlack::LinuxHz250) == 4ms);
  CHECK(jiffy_of(TimerSlack::LinuxHz1000) == 1ms);
  CHECK(jiffy_of(TimerSlack::None) == 0s);
}

// --- The handshake on a host with a wheel ------------------------------------------------------

const Flags SYN = Flag::Syn;

Profile with_slack(Profile p, TimerSlack s) {
  p.timer_slack = s;
  return p;
}

// Every SYN dropped; the client's SYN times (from its first) and its connect() failure time.
struct Unanswered {
  std::vector<Duration> syns;
  Duration failed;
};
Unanswered unanswered_syns(const Profile& client, std::optional<Duration> uptime,
                           std::uint64_t seed = 1) {
  test::TestNetwork net(10us);
  net.add_host("client", client, 0, seed, uptime);
  net.add_host("server", linux_profile(), 0, seed);
  net.drop_if("client", "server", [](const Segment&) { return true; });
  const auto r = net.host("client").connect(net.address("server", 80));
  REQUIRE(r.error == ConnectError::Ok);
  net.scheduler.run();
  Unanswered out;
  for (const Time t : net.times("client", "server", SYN)) out.syns.push_back(t - at(0s));
  const auto outcome = net.trace_text(RecordKind::Outcome);
  REQUIRE(outcome.size() == 1);
  out.failed = Duration{std::stoll(outcome[0])};
  return out;
}

TEST_CASE("linux c1 with linux-hz250: all 11 SYNs and the failure at the times Linux measured") {
  // Reference c1 (tcp_syn_retries 6, linear timeouts 4), measured: SYNs at 0, 1.005897,
  // 2.029879, 3.053914, 4.077913, 5.101904, 7.117886, 11.149880, 19.341876, 35.469872 and
  // 69.005889 s; connect() failed at 134.542124 s (nominal: 0, 1, ..., 67 and 131 s).
  // The capture does not say where the host's jiffies counter stood: that is the one free
  // parameter. Searching jiffies 0 to 4095 and 40 points within a jiffy, the first SYN sent
  // 2.0 ms into a jiffy that is 156 modulo 512 reproduces all twelve times to 0.13 ms; every
  // time after the first follows from the wheel's arithmetic (1.024 s per 1 s timeout, 2.016 s
  // for 2 s, ...), which no other phase changes by more than the level's granularity.
  const Unanswered got =
      unanswered_syns(with_slack(linux_profile(), TimerSlack::LinuxHz250), 156 * 4ms + 2ms);
  const std::vector<double> measured = {0,         1.005897,  2.029879, 3.053914,
                                        4.077913,  5.101904,  7.117886, 11.149880,
                                        19.341876, 35.469872, 69.005889};
  REQUIRE(got.syns.size() == measured.size());
  for (std::size_t i = 0; i < measured.size(); ++i) {
    CAPTURE(i);
    CHECK(std::abs(seconds(got.syns[i]) - measured[i]) < 0.0005);
  }
  CHECK(std::abs(seconds(got.failed) - 134.542124) < 0.0005);

  // Without the wheel, the nominal schedule exactly.
  const Unanswered nominal = unanswered_syns(linux_profile(), std::nullopt);
  CHECK(nominal.syns.back() == 67s);
  CHECK(nominal.failed == 131s);
}

TEST_CASE("linux-hz250, any phase: SYN retransmissions fall in the wheel's windows") {
  // From a connect() at a random point of a tick, the first expiry is (1.000, 1.032] s away
  // (above); every later one is re-armed from a callback on a tick whose jiffy is a multiple of
  // 8, so 1 s becomes exactly 1.024 s. Linux: SYNs at (1.000, 1.032], (2.024, 2.056],
  // (3.048, 3.080] s; the reference measured 1.001-1.033, 2.030-2.055 and 3.054-3.074 (a, b, c).
  // With tcp_syn_retries = 1, connect() fails in (3.048, 3.080]: measured 3.05-3.08 (c5).
  // linux-classic: the second interval is 2 s = 2.016 s from such a tick: (3.016, 3.048]
  // (c3 measured 3.034, c4 3.027).
  Profile short_linux = with_slack(linux_profile(), TimerSlack::LinuxHz250);
  short_linux.syn_retries = 1;
  const Profile classic = with_slack(linux_classic_profile(), TimerSlack::LinuxHz250);
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    CAPTURE(seed);
    const Unanswered l = unanswered_syns(short_linux, std::nullopt, seed);
    REQUIRE(l.syns.size() == 3);
    CHECK(l.syns[1] > 1000ms);
    CHECK(l.syns[1] <= 1032ms);
    CHECK(l.syns[2] - l.syns[1] == 1024ms);
    CHECK(l.failed - l.syns[2] == 1024ms);
    CHECK(l.failed > 3048ms);
    CHECK(l.failed <= 3080ms);
    const Unanswered c = unanswered_syns(classic, std::nullopt, seed);
    REQUIRE(c.syns.size() >= 3);
    CHECK(c.syns[2] - c.syns[1] == 2016ms);
  }
}

TEST_CASE(
    "syn_retries=1, shared ticks: the server's timer SYN/ACK at 3.02-3.05 s beats the give-up") {
  // The case under random loss (Linux: 1 to 2 connections in 500 complete at 3.02 to
  // 3.04 s; nominal synlab gave up at exactly 3 s, 40 us before that SYN/ACK). Both hosts on one
  // kernel's ticks (uptime u), as the reference's namespaces. Drops: the first SYN/ACK, both
  // SYN/ACKs at about 1 s (the request timer's and the reply to the retransmitted SYN) and the
  // third SYN. The client's SYNs leave at 0, T1 in (1.000, 1.032] (a multiple of 8 jiffies) and
  // T1 + 1.024; it gives up at T1 + 2.048. The server's request timer fired at T1 too (same
  // bucket), was re-armed from its callback for 2 s: 500 jiffies from a multiple of 8 is 504,
  // so its SYN/ACK leaves at T1 + 2.016 and arrives d later, 32 ms before the give-up: the
  // connection is established in (3.016 s, 3.048 s] + d. Without the wheel: the SYN/ACK leaves at
  // 3 s + d and the client has given up at 3 s.
  constexpr Duration d = 20us;
  Profile client = with_slack(linux_profile(), TimerSlack::LinuxHz250);
  client.syn_retries = 1;
  const Profile server = with_slack(linux_profile(), TimerSlack::LinuxHz250);
  auto run = [&](const Profile& c, const Profile& s, std::optional<Duration> uptime) {
    test::TestNetwork net(d);
    net.add_host("client", c, 0, 1, uptime);
    net.add_host("server", s, 0, 1, uptime);
    REQUIRE(net.host("server").listen(80, 5) == ListenError::Ok);
    for (const std::uint32_t n : {1u, 2u, 3u}) net.drop("server", "client", n);
    net.drop("client", "server", 3);
    const auto r = net.host("client").connect(net.address("server", 80));
    REQUIRE(r.error == ConnectError::Ok);
    net.scheduler.run();
    return net.host("client").endpoint(r.id)->stats();
  };
  for (std::int64_t phase = 0; phase < 64; ++phase) {
    const Duration uptime = phase * 4ms + phase * 61'000ns;  // every residue mod 8, many phases
    CAPTURE(phase);
    const ConnectionStats stats = run(client, server, uptime);
    REQUIRE(stats.outcome == Outcome::Established);
    CHECK(stats.established_time > at(3016ms + d));
    CHECK(stats.established_time <= at(3048ms + d));
  }
  Profile nominal_client = linux_profile();
  nominal_client.syn_retries = 1;
  CHECK(run(nominal_client, linux_profile(), std::nullopt).outcome == Outcome::Timeout);
}

}  // namespace
}  // namespace synlab::tcp
