// HandshakeTimers: each preset's SYN and SYN/ACK schedules, against the reference tables
// (docs/linux-reference.md, "The schedules") and the profiles' cited sources.
#include "app/handshake_timers.hpp"

#include <doctest/doctest.h>

#include <vector>

using synlab::app::preset_timers;

TEST_CASE("Linux 6.18: SYNs at 0,1,2,3,4,5,7,11,19,35,67 - SYN/ACKs at 0,1,3,7,15,31") {
  const auto t = preset_timers("linux");
  REQUIRE(t.has_value());
  CHECK(t->initial_timeout_s == 1);
  CHECK(t->syn_send_times_s == std::vector<double>{0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67});
  CHECK(t->synack_send_times_s == std::vector<double>{0, 1, 3, 7, 15, 31});
}

TEST_CASE("linux-classic (no linear timeouts): SYNs at 0, 1, 3, 7, 15, 31, 63") {
  const auto t = preset_timers("linux-classic");
  REQUIRE(t.has_value());
  CHECK(t->syn_send_times_s == std::vector<double>{0, 1, 3, 7, 15, 31, 63});
}

TEST_CASE("classic (Ts = 3 s, 5 retries): SYNs at 0, 3, 9, 21, 45, 93") {
  const auto t = preset_timers("classic");
  REQUIRE(t.has_value());
  CHECK(t->initial_timeout_s == 3);
  CHECK(t->syn_send_times_s == std::vector<double>{0, 3, 9, 21, 45, 93});
  CHECK(t->synack_send_times_s == std::vector<double>{0, 3, 9, 21, 45, 93});
}

TEST_CASE("rfc6298: doubling from 1 s, capped at 60 s, until R2 = 180 s") {
  // Timeouts 1, 2, 4, 8, 16, 32, then min(64, 60) = 60: sends at 0, 1, 3, 7, 15, 31, 63, 123;
  // the next expiry, at 183 s, is past R2 (RFC 9293 §3.8.3) and gives up.
  const auto t = preset_timers("rfc6298");
  REQUIRE(t.has_value());
  CHECK(t->syn_send_times_s == std::vector<double>{0, 1, 3, 7, 15, 31, 63, 123});
  CHECK_FALSE(preset_timers("bsd").has_value());
}
