// Simulated time: signed 64-bit integer nanoseconds, parsed and printed exactly (STYLE §3).
// No floating point ever touches simulated time; seconds appear only in output.
#pragma once

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace synlab::sim {

// A span of simulated time, in nanoseconds (std::chrono, so `1s + 250ms` just works).
using Duration = std::chrono::nanoseconds;

// The clock of simulated time. Its epoch is the start of the simulation.
struct SimClock {
  using rep = std::int64_t;
  using period = std::nano;
  using duration = Duration;
  using time_point = std::chrono::time_point<SimClock, Duration>;
  static constexpr bool is_steady = true;
};

// A point in simulated time: nanoseconds since the simulation started. A distinct type from
// Duration, so `Time + Time` does not compile.
using Time = SimClock::time_point;

inline constexpr Time time_zero{};
inline constexpr Time time_max{Duration::max()};
// The last instant an event can have: time_max itself stands for "never" and "no limit"
// (Scheduler::run(), an unarmed timer), so sums of times saturate one nanosecond before it.
inline constexpr Time time_last{Duration::max() - Duration{1}};

// The time `d` after the start of the simulation.
constexpr Time at(Duration d) {
  return Time{d};
}
// Nanoseconds since the start of the simulation.
constexpr std::int64_t to_ns(Time t) {
  return t.time_since_epoch().count();
}

// Saturating arithmetic: simulated time ends at time_last (2^63 - 2 ns, about 292 years), so
// a sum or product that would pass it (a 100-year timeout doubled, an event 100 years after
// another at 250 years) is time_last instead of a signed overflow. Durations likewise stop at
// Duration::max() and Duration::min(). Where a model adds a configured duration to now(), it
// uses these.
constexpr Duration saturating_add(Duration a, Duration b) noexcept {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(a.count(), b.count(), &sum))
    return b.count() > 0 ? Duration::max() : Duration::min();
  return Duration{sum};
}
constexpr Time saturating_add(Time t, Duration d) noexcept {
  const Time sum{saturating_add(t.time_since_epoch(), d)};
  return sum < time_last ? sum : time_last;
}
// min(d × k, cap) for d >= 0 and k >= 0, with no overflow on the way (RFC 6298 (5.5): "RTO <- RTO
// * 2" with (2.5)'s maximum, here checked before the multiplication).
constexpr Duration capped_product(Duration d, std::int64_t k, Duration cap) noexcept {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(d.count(), k, &product)) return cap;
  return Duration{product} < cap ? Duration{product} : cap;
}

// Thrown by parse_duration; what() names the string and the accepted units.
class TimeParseError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// The units parse_duration accepts, for error messages and help texts.
inline constexpr std::string_view duration_units_help =
    "ns, us, ms, s, min, h (for example 1.5s, 250ms, 10us, 3ns, 2min)";

// Parses "1.5s", "250ms", "10us", "3ns", "2min", "1h", "-20ms", "10 ms" exactly.
// A unit is required; the value must be a whole number of nanoseconds and fit in 64 bits.
// Throws TimeParseError otherwise.
Duration parse_duration(std::string_view text);

// The shortest exact human form: "0s", "1.5s", "1.000000001s", "250ms", "10us", "3ns", "2min".
// parse_duration(format_duration(d)) == d for every d.
std::string format_duration(Duration d);

// Exact decimal seconds with all nine fractional digits: "1.011251000", "-0.000000003".
// For CSV columns and trace output.
std::string format_seconds(Duration d);
inline std::string format_seconds(Time t) {
  return format_seconds(t.time_since_epoch());
}
// The same, appended to `out` (no temporary string: the CSV writers' hot path).
void append_seconds(std::string& out, Duration d);
// The same text written to `out`, which has room for max_seconds_chars; returns its end.
inline constexpr std::size_t max_seconds_chars = 21;  // "-", 10 digits (< 2^63 ns), ".", 9
char* write_seconds(char* out, Duration d) noexcept;

}  // namespace synlab::sim
