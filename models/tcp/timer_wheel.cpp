// TimerWheel (timer_wheel.hpp): Linux's timer wheel, kernel/time/timer.c.
#include "models/tcp/timer_wheel.hpp"

#include <array>

#include "sim/random_stream.hpp"

namespace synlab::tcp {

using namespace std::chrono_literals;

namespace {

constexpr std::array all_slacks{TimerSlack::None, TimerSlack::LinuxHz250, TimerSlack::LinuxHz1000};

// kernel/time/timer.c: each level's clock runs 2^LVL_CLK_SHIFT times slower than the one below;
// each level has 2^LVL_BITS buckets; LVL_DEPTH is 9 levels for HZ > 100 (both HZ here).
constexpr unsigned lvl_clk_shift = 3;
constexpr unsigned lvl_bits = 6;
constexpr unsigned lvl_depth = 9;
constexpr std::uint64_t lvl_size = std::uint64_t{1} << lvl_bits;

// LVL_SHIFT(n): level n's granularity is 2^LVL_SHIFT(n) jiffies (1, 8, 64, 512 ...).
constexpr unsigned lvl_shift(unsigned n) {
  return n * lvl_clk_shift;
}
// LVL_START(n): a timer at least this many jiffies away goes to level n or above. It is the last
// delta of level n - 1, "so that we can later add an extra LVL_GRAN(n)" when rounding up.
constexpr std::uint64_t lvl_start(unsigned n) {
  return (lvl_size - 1) << ((n - 1) * lvl_clk_shift);
}
// WHEEL_TIMEOUT_CUTOFF: the wheel's capacity (63 << 24 jiffies: about 48 days at HZ = 250).
constexpr std::uint64_t wheel_timeout_cutoff = lvl_start(lvl_depth);

}  // namespace

std::string_view to_string(TimerSlack s) noexcept {
  switch (s) {
    case TimerSlack::None:
      return "none";
    case TimerSlack::LinuxHz250:
      return "linux-hz250";
    case TimerSlack::LinuxHz1000:
      return "linux-hz1000";
  }
  return "?";
}

std::optional<TimerSlack> parse_timer_slack(std::string_view text) noexcept {
  for (const TimerSlack s : all_slacks)
    if (to_string(s) == text) return s;
  return std::nullopt;
}

std::span<const TimerSlack> timer_slacks() noexcept {
  return all_slacks;
}

sim::Duration jiffy_of(TimerSlack s) noexcept {
  switch (s) {
    case TimerSlack::None:
      return 0s;
    case TimerSlack::LinuxHz250:
      return 4ms;  // 1 s / 250
    case TimerSlack::LinuxHz1000:
      return 1ms;  // 1 s / 1000
  }
  return 0s;
}

sim::Duration draw_uptime(TimerSlack slack, std::uint64_t seed, std::string_view stream) {
  if (slack == TimerSlack::None) return 0s;
  sim::RandomStream draw(seed, stream);
  const auto jiffy = static_cast<std::uint64_t>(jiffy_of(slack).count());
  const std::uint64_t jiffies = draw();
  const std::uint64_t into_tick = ((std::uint64_t{draw()} << 32u) | draw()) % jiffy;
  return sim::Duration{static_cast<std::int64_t>(jiffies * jiffy + into_tick)};
}

TimerWheel::TimerWheel(TimerSlack slack, sim::Duration uptime_at_zero) noexcept
    : slack_(slack),
      jiffy_ns_(jiffy_of(slack).count()),
      uptime_at_zero_ns_(uptime_at_zero.count() > 0 ? uptime_at_zero.count() : 0) {}

std::optional<std::uint64_t> TimerWheel::bucket_expiry(std::uint64_t expires,
                                                       std::uint64_t clk) noexcept {
  // A timer already due (expires before clk): "idx = clk & LVL_MASK; *bucket_expiry = clk", the
  // next tick the wheel runs.
  if (expires < clk) return clk;
  const std::uint64_t delta = expires - clk;
  if (delta >= wheel_timeout_cutoff) return std::nullopt;
  // calc_wheel_index(): the first level whose range holds delta (the last level takes the rest).
  unsigned level = 0;
  while (level + 1 < lvl_depth && delta >= lvl_start(level + 1)) ++level;
  // calc_index(): "Round up with level granularity" so the timer never fires early:
  // expires = (expires >> LVL_SHIFT(lvl)) + 1; bucket_expiry = expires << LVL_SHIFT(lvl).
  return ((expires >> lvl_shift(level)) + 1) << lvl_shift(level);
}

sim::Time TimerWheel::wheel_expiry(sim::Time now, sim::Time deadline,
                                   bool in_timer_callback) const noexcept {
  const std::int64_t now_ns = sim::to_ns(now);
  std::int64_t uptime_ns = 0;
  if (__builtin_add_overflow(uptime_at_zero_ns_, now_ns, &uptime_ns)) return deadline;
  const auto jiffies = static_cast<std::uint64_t>(uptime_ns / jiffy_ns_);
  // The timeout in whole jiffies, rounded up (usecs_to_jiffies(), msecs_to_jiffies()).
  const std::int64_t timeout_ns = deadline > now ? sim::to_ns(deadline) - now_ns : 0;
  const auto timeout =
      static_cast<std::uint64_t>(timeout_ns / jiffy_ns_ + (timeout_ns % jiffy_ns_ != 0 ? 1 : 0));
  const std::uint64_t clk = jiffies + (in_timer_callback ? 1 : 0);
  const std::optional<std::uint64_t> bucket = bucket_expiry(jiffies + timeout, clk);
  if (!bucket) return deadline;
  // Tick `bucket` comes at simulated time bucket * jiffy - uptime_at_zero.
  std::int64_t fire_ns = 0;
  if (__builtin_mul_overflow(static_cast<std::int64_t>(*bucket), jiffy_ns_, &fire_ns) ||
      __builtin_sub_overflow(fire_ns, uptime_at_zero_ns_, &fire_ns))
    return deadline;
  const sim::Time fire{sim::Duration{fire_ns}};
  // Never before the deadline: the current tick is at most one jiffy before now and the bucket at
  // least timeout + 1 jiffies after it. The guard keeps the promise if that reasoning is broken.
  return fire < deadline ? deadline : fire;
}

}  // namespace synlab::tcp
