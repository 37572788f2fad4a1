// sim::decimal: the digits of unsigned integers, checked against std::to_chars (the standard
// library's, an independent writer) around every length and at random, and the fixed-width
// blocks against their leading zeros.
#include "sim/decimal.hpp"

#include <doctest/doctest.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/csv_row.hpp"
#include "sim/pcg32.hpp"

namespace decimal = synlab::sim::decimal;

namespace {

template <class T>
std::string ours(T v) {
  std::array<char, 24> buffer{};
  return {buffer.data(), decimal::put(buffer.data(), v)};
}

template <class T>
std::string standard(T v) {
  std::array<char, 24> buffer{};
  return {buffer.data(), std::to_chars(buffer.data(), buffer.data() + buffer.size(), v).ptr};
}

// Every power of ten that fits in T, with its neighbours: where the number of digits changes.
template <class T>
std::vector<T> around_lengths() {
  std::vector<T> values{0, 1, std::numeric_limits<T>::max(), std::numeric_limits<T>::max() - 1};
  for (T p = 1;; p = static_cast<T>(p * 10)) {
    for (T d = 0; d <= 2; ++d) {
      values.push_back(static_cast<T>(p + d));
      values.push_back(static_cast<T>(p - d));
      values.push_back(static_cast<T>(2 * p - d));  // 2 as a leading digit: 42 and 1,844
    }
    if (p > std::numeric_limits<T>::max() / 10) break;
  }
  return values;
}

}  // namespace

TEST_CASE("decimal::put writes std::to_chars' digits for every number below 10^6") {
  for (std::uint32_t v = 0; v < 1'000'000; ++v)
    if (ours(v) != standard(v)) FAIL_CHECK(v);
}

TEST_CASE("decimal::put at each change of length: 32 and 64 bits") {
  for (const std::uint32_t v : around_lengths<std::uint32_t>()) CHECK(ours(v) == standard(v));
  for (const std::uint64_t v : around_lengths<std::uint64_t>()) CHECK(ours(v) == standard(v));
  CHECK(ours(std::uint32_t{4'294'967'295u}) == "4294967295");
  CHECK(ours(std::uint64_t{4'294'967'296u}) == "4294967296");  // 2^32: the 64-bit split
  CHECK(ours(std::uint64_t{18'446'744'073'709'551'615u}) == "18446744073709551615");
}

TEST_CASE("decimal::put at random, every length equally often") {
  synlab::sim::Pcg32 random(7, 11);
  for (int i = 0; i < 200'000; ++i) {
    const std::uint64_t wide = (std::uint64_t{random()} << 32u) | random();
    const unsigned bits = 1 + static_cast<unsigned>(i % 64);  // 1 to 64 significant bits
    const std::uint64_t v = bits == 64 ? wide : wide & ((std::uint64_t{1} << bits) - 1);
    REQUIRE(ours(v) == standard(v));
    REQUIRE(ours(static_cast<std::uint32_t>(v)) == standard(static_cast<std::uint32_t>(v)));
  }
}

TEST_CASE("decimal's fixed-width blocks keep their leading zeros") {
  std::array<char, 8> b{};
  CHECK(std::string(b.data(), decimal::put_2(b.data(), 7)) == "07");
  CHECK(std::string(b.data(), decimal::put_4(b.data(), 42)) == "0042");
  CHECK(std::string(b.data(), decimal::put_4(b.data(), 9'999)) == "9999");
  CHECK(std::string(b.data(), decimal::put_8(b.data(), 0)) == "00000000");
  CHECK(std::string(b.data(), decimal::put_8(b.data(), 10'203)) == "00010203");
  CHECK(std::string(b.data(), decimal::put_8(b.data(), 99'999'999)) == "99999999");
}

TEST_CASE("csv::put: signed integers of every width, their least values included") {
  const auto cell = [](auto v) {
    std::array<char, 24> buffer{};
    return std::string(buffer.data(), synlab::sim::csv::put(buffer.data(), v));
  };
  CHECK(cell(std::int8_t{-128}) == "-128");
  CHECK(cell(std::int16_t{-32'768}) == "-32768");
  CHECK(cell(std::int16_t{-5}) == "-5");
  CHECK(cell(std::int32_t{std::numeric_limits<std::int32_t>::min()}) == "-2147483648");
  CHECK(cell(std::int64_t{std::numeric_limits<std::int64_t>::min()}) == "-9223372036854775808");
  CHECK(cell(std::int64_t{std::numeric_limits<std::int64_t>::max()}) == "9223372036854775807");
  CHECK(cell(std::int32_t{0}) == "0");
  CHECK(cell(std::uint8_t{255}) == "255");
  CHECK(cell(std::uint16_t{65'535}) == "65535");
}
