// Simulated time: exact parsing and printing (STYLE §3).
#include "sim/time.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "sim/csv_row.hpp"
#include "sim/random_stream.hpp"

using namespace std::chrono_literals;
using synlab::sim::Duration;
using synlab::sim::format_duration;
using synlab::sim::format_seconds;
using synlab::sim::parse_duration;
using synlab::sim::TimeParseError;

TEST_CASE("parse_duration: every unit, exactly") {
  CHECK(parse_duration("1.5s") == 1'500'000'000ns);
  CHECK(parse_duration("250ms") == 250'000'000ns);
  CHECK(parse_duration("10us") == 10'000ns);
  CHECK(parse_duration("10\xC2\xB5s") == 10'000ns);  // µs
  CHECK(parse_duration("3ns") == 3ns);
  CHECK(parse_duration("2min") == 120'000'000'000ns);
  CHECK(parse_duration("1h") == 3'600'000'000'000ns);
  CHECK(parse_duration("1.000000001s") == 1'000'000'001ns);
  CHECK(parse_duration("0.1s") == 100'000'000ns);  // no binary fraction on the way
  CHECK(parse_duration("1.5ms") == 1'500'000ns);
  CHECK(parse_duration("0.5min") == 30'000'000'000ns);
  CHECK(parse_duration("1.050s") == 1'050'000'000ns);
  CHECK(parse_duration("10 ms") == 10'000'000ns);
  CHECK(parse_duration("-20ms") == -20'000'000ns);
  CHECK(parse_duration("0s") == 0ns);
  CHECK(parse_duration(".5s") == 500'000'000ns);
  // INT64_MAX ns is 9223372036.854775807 s; INT64_MIN is one more nanosecond below zero.
  CHECK(parse_duration("9223372036.854775807s") == Duration::max());
  CHECK(parse_duration("-9223372036.854775808s") == Duration::min());
}

TEST_CASE("parse_duration: bad strings name the string and the accepted units") {
  const char* bad[] = {
      "10 parsecs",                       // unknown unit
      "-",                                // no number
      "1e999s",                           // exponent notation
      "",                                 // nothing
      "s",                                // no number
      "1.5",                              // no unit
      "1.0000000001s",                    // finer than 1 ns
      "0.5ns",                            // finer than 1 ns
      "9223372036.854775808s",            // INT64_MAX + 1 ns
      "2562048h",                         // 2562048 h = 9.22337e18 ns + a bit: overflow
      "123456789012345678901234567890s",  // far too many digits
      "10 m s",                           // unknown unit "m s"
      "--1s",
  };
  for (const char* text : bad) {
    CAPTURE(text);
    try {
      (void)parse_duration(text);
      FAIL("accepted a bad duration");
    } catch (const TimeParseError& e) {
      const std::string what = e.what();
      CHECK(what.find("'" + std::string(text) + "'") != std::string::npos);
      CHECK(what.find("ns, us, ms, s, min, h") != std::string::npos);
    }
  }
  CHECK_THROWS_WITH_AS(parse_duration("10 parsecs"), doctest::Contains("unknown unit 'parsecs'"),
                       TimeParseError);
  CHECK_THROWS_WITH_AS(parse_duration("1e999s"), doctest::Contains("exponent"), TimeParseError);
  CHECK_THROWS_WITH_AS(parse_duration("2562048h"), doctest::Contains("too large"), TimeParseError);
}

TEST_CASE("format_duration: shortest exact form") {
  CHECK(format_duration(0ns) == "0s");
  CHECK(format_duration(1'500'000'000ns) == "1.5s");
  CHECK(format_duration(250ms) == "250ms");
  CHECK(format_duration(10us) == "10us");
  CHECK(format_duration(3ns) == "3ns");
  CHECK(format_duration(2min) == "2min");
  CHECK(format_duration(1h) == "1h");
  CHECK(format_duration(90s) == "90s");
  CHECK(format_duration(1'000'000'001ns) == "1.000000001s");
  CHECK(format_duration(1'500us) == "1.5ms");
  CHECK(format_duration(1'001ns) == "1.001us");
  CHECK(format_duration(-1'500us) == "-1.5ms");
  CHECK(format_duration(Duration::max()) == "9223372036.854775807s");
  CHECK(format_duration(Duration::min()) == "-9223372036.854775808s");
}

TEST_CASE("format_duration and parse_duration round-trip") {
  synlab::sim::RandomStream random(1, "time-round-trip");
  for (int i = 0; i < 20000; ++i) {
    // Mix magnitudes: whole units and arbitrary nanoseconds, both signs.
    const std::uint64_t bits = (std::uint64_t{random()} << 32u) | random();
    std::int64_t v = static_cast<std::int64_t>(bits >> (random() % 63u));
    if (i % 3 == 0) v = (v % 100000) * 1'000'000;
    if (i % 2 == 0) v = -v;
    const Duration d{v};
    CAPTURE(v);
    REQUIRE(parse_duration(format_duration(d)) == d);
  }
}

TEST_CASE("format_seconds: nine exact decimals") {
  CHECK(format_seconds(1'011'251'000ns) == "1.011251000");
  CHECK(format_seconds(0ns) == "0.000000000");
  CHECK(format_seconds(-3ns) == "-0.000000003");
  CHECK(format_seconds(synlab::sim::at(2min)) == "120.000000000");
  // Every digit place distinct: 123456789 ns is 0.123456789 s; 987654321012 ns is 987 s and
  // 654321012 ns.
  CHECK(format_seconds(123'456'789ns) == "0.123456789");
  CHECK(format_seconds(987'654'321'012ns) == "987.654321012");
  CHECK(format_seconds(-999'999'999ns) == "-0.999999999");
}

TEST_CASE("csv::TimeText: the time cell of each row, kept while rows share their instant") {
  synlab::sim::csv::TimeText text;
  using synlab::sim::at;
  // Time zero first: nothing is kept yet, though a kept time would start at zero.
  CHECK(text(at(0ns)) == "0.000000000");
  CHECK(text(at(0ns)) == "0.000000000");
  CHECK(text(at(1'011'251'000ns)) == "1.011251000");
  CHECK(text(at(1'011'251'000ns)) == "1.011251000");
  // One nanosecond on changes the last digit; an earlier time (rows out of order) is written too.
  CHECK(text(at(1'011'251'001ns)) == "1.011251001");
  CHECK(text(at(987'654'321'012ns)) == "987.654321012");
  CHECK(text(at(50'000'000ns)) == "0.050000000");
  CHECK(text(at(-1ns)) == "-0.000000001");  // a time before zero
  CHECK(text(at(-1ns)) == "-0.000000001");
}

TEST_CASE("saturating_add: a time past 2^63 - 2 ns is time_last, durations stop at their ends") {
  using synlab::sim::saturating_add;
  using synlab::sim::Time;
  using synlab::sim::time_last;
  using synlab::sim::time_max;
  constexpr Duration year = std::chrono::hours{24 * 365};
  // 200 + 200 years = 400 years > 2^63 ns (about 292.3 years).
  CHECK(saturating_add(Time{200 * year}, 200 * year) == time_last);
  CHECK(time_last == time_max - 1ns);  // time_max stands for "never"
  CHECK(saturating_add(time_last, 1ns) == time_last);
  CHECK(saturating_add(time_max - 3ns, 1ns) == time_max - 2ns);  // no overflow: the plain sum
  CHECK(saturating_add(Duration::max(), Duration::max()) == Duration::max());
  CHECK(saturating_add(Duration::min() + 1ns, -2ns) == Duration::min());
  CHECK(saturating_add(Duration::max(), -1ns) == Duration::max() - 1ns);
  CHECK(saturating_add(1s, 250ms) == 1250ms);
}

TEST_CASE("capped_product: min(d x k, cap) with no overflow on the way") {
  using synlab::sim::capped_product;
  CHECK(capped_product(1s, 2, 3s) == 2s);
  CHECK(capped_product(2s, 2, 3s) == 3s);
  // 2^62 ns x 2 = 2^63 ns: one more than Duration::max(), so the cap, not a wrapped negative.
  CHECK(capped_product(Duration{std::int64_t{1} << 62}, 2, Duration::max()) == Duration::max());
  CHECK(capped_product(Duration::max(), 16, 120s) == 120s);
  CHECK(capped_product(0ns, 16, 120s) == 0ns);
}
