// Bit rates and byte sizes (see units.hpp).
#include "app/units.hpp"

#include <array>
#include <span>
#include <string>

namespace synlab::app {
namespace {

__extension__ using Int128 = unsigned __int128;

struct Unit {
  std::string_view name;
  std::uint64_t factor;
};

// Reads "<digits>[.<digits>]<unit>" exactly; the unit must be one of `units`, or absent if
// `bare_factor` is non-zero. Throws UnitError with `help` on anything else.
std::uint64_t parse_with_units(std::string_view text, std::span<const Unit> units,
                               std::uint64_t bare_factor, std::string_view what,
                               std::string_view help) {
  auto fail = [&](std::string_view why) -> std::uint64_t {
    throw UnitError("bad " + std::string(what) + " '" + std::string(text) +
                    "': " + std::string(why) + "; write a number and a unit: " + std::string(help));
  };
  std::size_t i = 0;
  Int128 whole = 0;
  std::size_t digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    if (digits == 20) return fail("too large");
    whole = whole * 10 + static_cast<unsigned>(text[i] - '0');
  }
  Int128 fraction = 0;
  Int128 scale = 1;
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      if (scale >= Int128{1'000'000'000'000'000'000ULL}) return fail("too many decimals");
      fraction = fraction * 10 + static_cast<unsigned>(text[i] - '0');
      scale *= 10;
    }
  }
  if (digits == 0 && scale == 1) return fail(text.empty() ? "empty" : "no number");
  while (i < text.size() && text[i] == ' ') ++i;
  const std::string_view unit_name = text.substr(i);
  std::uint64_t factor = 0;
  if (unit_name.empty()) {
    if (bare_factor == 0) return fail("no unit");
    factor = bare_factor;
  } else {
    for (const Unit& u : units)
      if (u.name == unit_name) factor = u.factor;
    if (factor == 0) return fail("unknown unit '" + std::string(unit_name) + "'");
  }
  const Int128 fraction_value = fraction * factor;
  if (fraction_value % scale != 0) return fail("not a whole number of the base unit");
  const Int128 total = whole * factor + fraction_value / scale;
  if (total > Int128{UINT64_MAX}) return fail("too large");
  return static_cast<std::uint64_t>(total);
}

}  // namespace

std::uint64_t parse_rate_bps(std::string_view text) {
  static constexpr std::array<Unit, 4> units{
      {{"bps", 1}, {"kbps", 1'000}, {"Mbps", 1'000'000}, {"Gbps", 1'000'000'000}}};
  return parse_with_units(text, units, 0, "bit rate", rate_units_help);
}

std::uint64_t parse_size_bytes(std::string_view text) {
  static constexpr std::array<Unit, 7> units{{{"B", 1},
                                              {"kB", 1'000},
                                              {"MB", 1'000'000},
                                              {"GB", 1'000'000'000},
                                              {"KiB", 1ULL << 10u},
                                              {"MiB", 1ULL << 20u},
                                              {"GiB", 1ULL << 30u}}};
  return parse_with_units(text, units, 1, "size", size_units_help);
}

}  // namespace synlab::app
