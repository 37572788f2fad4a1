// Exact parsing and printing of simulated time (see time.hpp).
#include "sim/time.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

#include "sim/decimal.hpp"

namespace synlab::sim {
namespace {

__extension__ using Int128 = __int128;

struct Unit {
  std::string_view name;
  std::int64_t ns;
};

// Longest names first is not needed: units are matched whole.
constexpr std::array<Unit, 7> units{{
    {"ns", 1},
    {"us", 1'000},
    {"\xC2\xB5s", 1'000},  // µs (UTF-8 micro sign)
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"min", 60'000'000'000},
    {"h", 3'600'000'000'000},
}};

[[noreturn]] void fail(std::string_view text, std::string_view why) {
  throw TimeParseError("bad duration '" + std::string(text) + "': " + std::string(why) +
                       "; write a number and a unit: " + std::string(duration_units_help));
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

Duration parse_duration(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n && text[i] == ' ') ++i;

  bool negative = false;
  if (i < n && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';

  // Integer part. 20 digits times the largest unit fit in Int128; 21 digits overflow int64 anyway.
  Int128 whole = 0;
  std::size_t whole_digits = 0;
  for (; i < n && is_digit(text[i]); ++i, ++whole_digits) {
    if (whole_digits == 20) fail(text, "too large for 64-bit nanoseconds");
    whole = whole * 10 + (text[i] - '0');
  }

  // Fraction, trailing zeros dropped: "1.50s" is "1.5s".
  Int128 fraction = 0;
  int fraction_digits = 0;
  std::size_t fraction_chars = 0;
  if (i < n && text[i] == '.') {
    ++i;
    std::size_t pending_zeros = 0;
    for (; i < n && is_digit(text[i]); ++i, ++fraction_chars) {
      if (text[i] == '0') {
        ++pending_zeros;
        continue;
      }
      fraction_digits += static_cast<int>(pending_zeros) + 1;
      if (fraction_digits > 18) fail(text, "more precise than 1 ns");
      for (; pending_zeros > 0; --pending_zeros) fraction *= 10;
      fraction = fraction * 10 + (text[i] - '0');
    }
  }
  if (whole_digits == 0 && fraction_chars == 0) fail(text, "no number");

  while (i < n && text[i] == ' ') ++i;
  std::string_view unit_name = text.substr(i);
  while (!unit_name.empty() && unit_name.back() == ' ') unit_name.remove_suffix(1);
  if (unit_name.empty()) fail(text, "no unit");
  if ((unit_name[0] == 'e' || unit_name[0] == 'E') && unit_name.size() > 1 &&
      (is_digit(unit_name[1]) || unit_name[1] == '-' || unit_name[1] == '+'))
    fail(text, "exponent notation is not accepted");

  const Unit* unit = nullptr;
  for (const Unit& u : units)
    if (u.name == unit_name) unit = &u;
  if (unit == nullptr) fail(text, "unknown unit '" + std::string(unit_name) + "'");

  Int128 pow10 = 1;
  for (int k = 0; k < fraction_digits; ++k) pow10 *= 10;
  const Int128 fraction_ns = fraction * unit->ns;  // < 10^18 * 3.6e12, fits in Int128
  if (fraction_ns % pow10 != 0) fail(text, "more precise than 1 ns");

  const Int128 total = whole * unit->ns + fraction_ns / pow10;
  const Int128 limit = negative ? -static_cast<Int128>(std::numeric_limits<std::int64_t>::min())
                                : static_cast<Int128>(std::numeric_limits<std::int64_t>::max());
  if (total > limit) fail(text, "too large for 64-bit nanoseconds (about 292 years)");
  return Duration{static_cast<std::int64_t>(negative ? -total : total)};
}

namespace {

// Appends `value` (< 10^digits) with exactly `digits` digits, leading zeros kept.
void append_fixed(std::string& out, std::uint64_t value, int digits) {
  std::array<char, 20> buffer{};
  for (int k = digits - 1; k >= 0; --k) {
    buffer[static_cast<std::size_t>(k)] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(buffer.data(), static_cast<std::size_t>(digits));
}

void append_integer(std::string& out, std::uint64_t value) {
  std::array<char, 20> buffer{};
  const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  out.append(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

// |d| as an unsigned number, exact even for the most negative value.
std::uint64_t magnitude(Duration d) {
  const std::int64_t v = d.count();
  return v < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
}

}  // namespace

std::string format_duration(Duration d) {
  const std::uint64_t ns = magnitude(d);
  if (ns == 0) return "0s";
  std::string out = d.count() < 0 ? "-" : "";

  // Whole hours and minutes read best in their own unit.
  if (ns % 3'600'000'000'000 == 0) return out + std::to_string(ns / 3'600'000'000'000) + "h";
  if (ns % 60'000'000'000 == 0) return out + std::to_string(ns / 60'000'000'000) + "min";

  struct Scale {
    std::uint64_t ns;
    int digits;
    const char* name;
  };
  constexpr std::array<Scale, 4> scales{
      {{1'000'000'000, 9, "s"}, {1'000'000, 6, "ms"}, {1'000, 3, "us"}, {1, 0, "ns"}}};
  for (const Scale& s : scales) {
    if (ns < s.ns && s.ns != 1) continue;
    append_integer(out, ns / s.ns);
    std::uint64_t fraction = ns % s.ns;
    int digits = s.digits;
    if (fraction != 0) {
      while (fraction % 10 == 0) fraction /= 10, --digits;
      out += '.';
      append_fixed(out, fraction, digits);
    }
    return out + s.name;
  }
  return out;  // unreachable: the 1 ns scale always matches
}

std::string format_seconds(Duration d) {
  std::string out;
  append_seconds(out, d);
  return out;
}

char* write_seconds(char* out, Duration d) noexcept {
  const std::uint64_t ns = magnitude(d);
  if (d.count() < 0) *out++ = '-';
  out = decimal::put(out, ns / 1'000'000'000);
  *out++ = '.';
  // Nine digits, leading zeros kept: the first, then eight (sim::decimal).
  const auto fraction = static_cast<std::uint32_t>(ns % 1'000'000'000);
  const std::uint32_t first = fraction / 100'000'000;
  *out++ = static_cast<char>('0' + first);
  return decimal::put_8(out, fraction - 100'000'000 * first);
}

void append_seconds(std::string& out, Duration d) {
  std::array<char, max_seconds_chars> buffer{};
  out.append(buffer.data(),
             static_cast<std::size_t>(write_seconds(buffer.data(), d) - buffer.data()));
}

}  // namespace synlab::sim
