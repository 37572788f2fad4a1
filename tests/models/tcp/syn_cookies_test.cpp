// SynCookies: the cookie arithmetic of Linux's net/ipv4/syncookies.c (RFC 4987 §3.6): a round
// trip, the MSS table, the two-minute age limit, a tampered cookie, and the TSval option bits.
#include "models/tcp/syn_cookies.hpp"

#include <doctest/doctest.h>

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;

const SocketAddress server{2, 80};
const SocketAddress client{1, 40000};
constexpr std::uint64_t key = 0x1234'5678'9abc'def0u;

sim::Time at(sim::Duration d) {
  return sim::Time{} + d;
}

TEST_CASE("syn cookies: the MSS table rounds down (Linux msstab = {536, 1300, 1440, 1460})") {
  CHECK(SynCookies::mss_index(1460) == 3);
  CHECK(SynCookies::mss_index(9000) == 3);  // above the table: 1460
  CHECK(SynCookies::mss_index(1459) == 2);  // 1440
  CHECK(SynCookies::mss_index(1400) == 1);  // 1300
  CHECK(SynCookies::mss_index(1300) == 1);
  CHECK(SynCookies::mss_index(1299) == 0);  // 536
  CHECK(SynCookies::mss_index(536) == 0);
  CHECK(SynCookies::mss_index(500) == 0);  // below the table: still 536
  CHECK(syncookie_msstab[SynCookies::mss_index(1400)] == 1300);
  CHECK(syncookie_msstab[SynCookies::mss_index(500)] == 536);
}

TEST_CASE("syn cookies: the counter is minutes (Linux tcp_cookie_time(), 60 * HZ)") {
  CHECK(SynCookies::count(at(0s)) == 0);
  CHECK(SynCookies::count(at(59s)) == 0);
  CHECK(SynCookies::count(at(60s)) == 1);
  CHECK(SynCookies::count(at(185s)) == 3);
}

TEST_CASE("syn cookies: a cookie returns the MSS it encodes (round trip)") {
  const SynCookies cookies(key);
  const SeqNum peer_isn(0xfffffff0u);  // near the wrap: the arithmetic is modulo 2^32
  for (std::uint32_t i = 0; i < syncookie_msstab.size(); ++i) {
    CAPTURE(i);
    const SeqNum c = cookies.make(at(30s), server, client, peer_isn, i);
    CHECK(cookies.check(at(30s), server, client, peer_isn, c) == syncookie_msstab[i]);
  }
}

TEST_CASE("syn cookies: valid while the minute counter moved by less than 2 (MAX_SYNCOOKIE_AGE)") {
  const SynCookies cookies(key);
  const SeqNum isn(1000);
  // Made at 59 s (count 0): good at counts 0 and 1 (diff 0, 1), refused at count 2 (120 s).
  const SeqNum c = cookies.make(at(59s), server, client, isn, 3);
  CHECK(cookies.check(at(59s), server, client, isn, c) == 1460);
  CHECK(cookies.check(at(119s), server, client, isn, c) == 1460);
  CHECK_FALSE(cookies.check(at(120s), server, client, isn, c));
  // Made at 0 s: two minutes later the counter says 2, too old.
  const SeqNum c0 = cookies.make(at(0s), server, client, isn, 3);
  CHECK_FALSE(cookies.check(at(120s), server, client, isn, c0));
  CHECK_FALSE(cookies.check(at(180s), server, client, isn, c0));
}

TEST_CASE("syn cookies: a tampered or misdirected cookie is refused") {
  const SynCookies cookies(key);
  const SeqNum isn(1000);
  const SeqNum c = cookies.make(at(10s), server, client, isn, 2);
  REQUIRE(cookies.check(at(10s), server, client, isn, c) == 1440);
  // Added to the low 24 bits, the change comes back in the decoded index: 2 + 1000 and
  // 2 + 0x10000 are outside 0..3.
  CHECK_FALSE(cookies.check(at(10s), server, client, isn, c + 1000));
  CHECK_FALSE(cookies.check(at(10s), server, client, isn, c + 0x10000));
  // Another peer ISN, another client port, or another key: the hashes no longer cancel, and the
  // index is a 24-bit hash value (in 0..3 with a chance of 4 in 2^24, fixed by the key here).
  CHECK_FALSE(cookies.check(at(10s), server, client, isn + 7, c));
  CHECK_FALSE(cookies.check(at(10s), server, SocketAddress{1, 40001}, isn, c));
  CHECK_FALSE(SynCookies(key + 1).check(at(10s), server, client, isn, c));
}

TEST_CASE("syn cookies: TSval's low 6 bits carry the SYN's options (cookie_init_timestamp())") {
  // ts_now = 1000 = 0b1111101000: low 6 bits 0b101000 = 40. Options: wscale 7, SACK: 7 | 16 =
  // 23 <= 40, so TSval = 1000 - 40 + 23 = 983.
  CHECK(SynCookies::encode_tsval(1000, {7, true}) == 983);
  // No window scale: 0xf; no SACK: 15 <= 40, TSval = 960 + 15 = 975.
  CHECK(SynCookies::encode_tsval(1000, {std::nullopt, false}) == 975);
  // ts_now = 1024 (low bits 0): wscale 14 and SACK = 30 > 0, so one step of 64 back:
  // 1024 + 30 - 64 = 990, not ahead of the clock.
  CHECK(SynCookies::encode_tsval(1024, {14, true}) == 990);
  // Decoding the echo gives the options back.
  const CookieOptions o = SynCookies::decode_tsecr(983);
  CHECK(o.window_scale == std::optional<std::uint8_t>(7));
  CHECK(o.sack_permitted);
  const CookieOptions none = SynCookies::decode_tsecr(975);
  CHECK_FALSE(none.window_scale);
  CHECK_FALSE(none.sack_permitted);
  const CookieOptions zero = SynCookies::decode_tsecr(990);
  CHECK(zero.window_scale == std::optional<std::uint8_t>(14));
  CHECK(zero.sack_permitted);
}

}  // namespace
}  // namespace synlab::tcp
