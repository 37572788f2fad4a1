// Handshake statistics: values worked out by hand; t quantiles from published tables.
#include "app/statistics.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using synlab::app::ConnectionResult;
using synlab::app::student_t_975;
using synlab::app::summarize;
using synlab::sim::at;
namespace tcp = synlab::tcp;

namespace {
ConnectionResult established(std::chrono::milliseconds handshake) {
  ConnectionResult c;
  c.open_time = at(10s);
  c.client_established = at(10s) + handshake;
  c.outcome = tcp::Outcome::Established;
  return c;
}
ConnectionResult failed(tcp::Outcome o) {
  ConnectionResult c;
  c.outcome = o;
  return c;
}
}  // namespace

TEST_CASE("Student's t 0.975 quantiles match the printed tables") {
  // Any table of t critical values, two-sided 95%: df 1 -> 12.706, 4 -> 2.776, 30 -> 2.042,
  // 120 -> 1.980; the normal limit is 1.960.
  CHECK(student_t_975(1) == doctest::Approx(12.706).epsilon(1e-4));
  CHECK(student_t_975(4) == doctest::Approx(2.776).epsilon(1e-3));
  CHECK(student_t_975(30) == doctest::Approx(2.042).epsilon(1e-3));
  CHECK(student_t_975(120) == doctest::Approx(1.980).epsilon(1e-3));
  CHECK(student_t_975(1'000'000) == doctest::Approx(1.960).epsilon(1e-3));
}

TEST_CASE("counts, mean, median, p95, max and the confidence interval") {
  // Handshakes of 20, 20, 1020, 2020, 3020 ms; one timeout, one refused.
  std::vector<ConnectionResult> c{established(20ms),
                                  established(20ms),
                                  established(1020ms),
                                  established(2020ms),
                                  established(3020ms),
                                  failed(tcp::Outcome::Timeout),
                                  failed(tcp::Outcome::Refused)};
  const auto s = summarize(c);
  CHECK(s.connections == 7);
  CHECK(s.established == 5);
  CHECK(s.timeouts == 1);
  CHECK(s.refused == 1);
  // mean = (0.02 + 0.02 + 1.02 + 2.02 + 3.02) / 5 = 6.1 / 5 = 1.22 s
  CHECK(*s.mean == doctest::Approx(1.22));
  CHECK(*s.median == doctest::Approx(1.02));
  CHECK(*s.p95 == doctest::Approx(3.02));  // ceil(0.95 * 5) = 5th smallest
  CHECK(*s.max == doctest::Approx(3.02));
  // deviations from 1.22: -1.2, -1.2, -0.2, 0.8, 1.8; squares sum 1.44+1.44+0.04+0.64+3.24 = 6.8;
  // s = sqrt(6.8 / 4) = 1.30384; half width = 2.776445 * 1.30384 / sqrt(5) = 1.61894.
  CHECK(*s.ci95_low == doctest::Approx(1.22 - 1.61894).epsilon(1e-4));
  CHECK(*s.ci95_high == doctest::Approx(1.22 + 1.61894).epsilon(1e-4));
}

TEST_CASE("whole nanoseconds give the double nearest their decimal seconds") {
  // 12,100 ms is 12100000000 ns; times 1e-9 that is 12.100000000000001 (1e-9 is not exact in
  // binary), divided by 1e9 the double nearest 12.1, which prints as 12.1 as connections.csv
  // does. Likewise a mean of 6/5 s (1.2 s, helper-reported as 1.2000000000000002) and 34.769152
  // ms (0.034769152000000005).
  std::vector<ConnectionResult> c{established(12100ms)};
  const auto s = summarize(c);
  CHECK(*s.max == 12.1);
  CHECK(*s.median == 12.1);
  CHECK(*s.mean == 12.1);
  std::vector<ConnectionResult> five{established(1s), established(1s), established(1s),
                                     established(1s), established(2s)};
  CHECK(*summarize(five).mean == 1.2);
  synlab::app::HandshakeTally tally;
  tally.add(tcp::Outcome::Established, std::chrono::nanoseconds(34'769'152));
  CHECK(*summarize(std::move(tally)).p95 == 0.034769152);
}

TEST_CASE("even count: the median is the mean of the middle two, one value: no interval") {
  std::vector<ConnectionResult> c{established(10ms), established(30ms)};
  CHECK(*summarize(c).median == doctest::Approx(0.02));
  std::vector<ConnectionResult> one{established(10ms)};
  const auto s = summarize(one);
  CHECK(*s.mean == doctest::Approx(0.01));
  CHECK_FALSE(s.ci95_low.has_value());
  std::vector<ConnectionResult> none{failed(tcp::Outcome::Timeout)};
  CHECK_FALSE(summarize(none).mean.has_value());
}

TEST_CASE("many handshakes in shuffled order: the order statistics of the sorted times") {
  // 1..5000 ms, visited in the order i * 7919 mod 5000 (7919 is prime to 5000, so each value
  // comes once): large enough that the radix sort does not hand over to a comparison sort.
  std::vector<ConnectionResult> c;
  for (int i = 0; i < 5000; ++i)
    c.push_back(established(std::chrono::milliseconds{1 + (i * 7919) % 5000}));
  const auto s = summarize(c);
  CHECK(*s.mean == doctest::Approx(2.5005));    // (1 + 5000) / 2 ms
  CHECK(*s.median == doctest::Approx(2.5005));  // (2500 + 2501) / 2 ms
  CHECK(*s.p95 == doctest::Approx(4.75));       // ceil(0.95 * 5000) = 4750th smallest
  CHECK(*s.max == doctest::Approx(5.0));
}

TEST_CASE("a tally merged into another adds its counts and its times, moved or copied") {
  using synlab::app::HandshakeTally;
  HandshakeTally a;
  a.add(tcp::Outcome::Established, 100ms);
  a.add(tcp::Outcome::Timeout, std::nullopt);
  HandshakeTally b;
  b.add(tcp::Outcome::Established, 300ms);
  b.add(tcp::Outcome::Refused, std::nullopt);
  b.add(tcp::Outcome::Established, 200ms);

  HandshakeTally empty;  // takes b's times whole
  empty.merge(std::move(b));
  CHECK(empty.connections == 3);
  CHECK(empty.established == 2);
  CHECK(empty.refused == 1);
  CHECK(empty.times_ns == std::vector<std::int64_t>{300'000'000, 200'000'000});

  a.merge(std::move(empty));  // a has times already: appended after them, in their order
  CHECK(a.connections == 5);
  CHECK(a.established == 3);
  CHECK(a.timeouts == 1);
  CHECK(a.refused == 1);
  CHECK(a.times_ns == std::vector<std::int64_t>{100'000'000, 300'000'000, 200'000'000});

  HandshakeTally copy;
  copy.merge(a);  // copied: a keeps its own
  CHECK(copy.times_ns == a.times_ns);
  CHECK(copy.connections == a.connections);
  CHECK(a.times_ns.size() == 3);
}
