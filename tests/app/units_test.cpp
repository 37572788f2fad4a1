// Bit rates and sizes: exact, with errors naming the accepted units.
#include "app/units.hpp"

#include <doctest/doctest.h>

using synlab::app::parse_rate_bps;
using synlab::app::parse_size_bytes;
using synlab::app::UnitError;

TEST_CASE("bit rates, decimal prefixes") {
  CHECK(parse_rate_bps("100Mbps") == 100'000'000);
  CHECK(parse_rate_bps("1.5Gbps") == 1'500'000'000);
  CHECK(parse_rate_bps("56kbps") == 56'000);
  CHECK(parse_rate_bps("9600bps") == 9'600);
  CHECK(parse_rate_bps("10 Mbps") == 10'000'000);
  CHECK_THROWS_WITH_AS(parse_rate_bps("100"), doctest::Contains("no unit"), UnitError);
  CHECK_THROWS_WITH_AS(parse_rate_bps("100MBps"), doctest::Contains("unknown unit 'MBps'"),
                       UnitError);
  CHECK_THROWS_WITH_AS(parse_rate_bps("0.5bps"), doctest::Contains("not a whole number"),
                       UnitError);
  CHECK_THROWS_WITH_AS(parse_rate_bps("99999999999999999999Gbps"), doctest::Contains("too large"),
                       UnitError);
}

TEST_CASE("sizes: decimal and binary prefixes, a plain number is bytes") {
  CHECK(parse_size_bytes("1500B") == 1500);
  CHECK(parse_size_bytes("1500") == 1500);
  CHECK(parse_size_bytes("0") == 0);
  CHECK(parse_size_bytes("64KiB") == 65'536);
  CHECK(parse_size_bytes("1.5kB") == 1'500);
  CHECK(parse_size_bytes("2MiB") == 2'097'152);
  CHECK_THROWS_WITH_AS(parse_size_bytes("1.5B"), doctest::Contains("not a whole number"),
                       UnitError);
  CHECK_THROWS_WITH_AS(parse_size_bytes("12 bytes"), doctest::Contains("KiB"), UnitError);
  CHECK_THROWS_WITH_AS(parse_size_bytes("B"), doctest::Contains("no number"), UnitError);
}
