// TimerWheel: when a Linux host's timer really fires. Linux runs its TCP timers (retransmission,
// request socket, TIME-WAIT) on the kernel timer wheel, which counts in jiffies (1/HZ s) and files
// a timer in one of nine levels by how far away it is; each level rounds the expiry up to its own
// granularity, 8^level jiffies (kernel/time/timer.c: calc_wheel_index(), calc_index()). So a 1 s
// timer at HZ = 250 fires 4 to 32 ms late, a 4 to 16 s timer up to 256 ms late, a 32 to 64 s one
// up to 2.048 s late (docs/handshake-model.md, "Timer slack").
//
// The model is an option of the Linux profiles (Profile::timer_slack); with TimerSlack::None a
// timer fires at its nominal deadline. No RFC asks for any of this: RFC 6298 §4 only says a timer
// must not fire early, which the wheel honours (it always rounds up).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "sim/time.hpp"

namespace synlab::tcp {

enum class TimerSlack : std::uint8_t {
  None,         // every timer fires at its deadline
  LinuxHz250,   // CONFIG_HZ = 250 (the reference kernel): 4 ms jiffies
  LinuxHz1000,  // CONFIG_HZ = 1000: 1 ms jiffies
};

std::string_view to_string(TimerSlack s) noexcept;
std::optional<TimerSlack> parse_timer_slack(std::string_view text) noexcept;
// Every value, in declaration order (for help texts and error messages).
std::span<const TimerSlack> timer_slacks() noexcept;
// One jiffy (1/HZ s); zero for None.
sim::Duration jiffy_of(TimerSlack s) noexcept;

// One host's timer wheel. The host's jiffies counter reads `uptime / jiffy` where uptime is
// `uptime_at_zero` plus the simulated time, so tick k comes at simulated time
// k * jiffy - uptime_at_zero. uptime_at_zero places the host's ticks (the sub-jiffy phase) and
// its jiffies counter (which sets the alignment of the coarse levels' buckets) against the
// simulation; each host draws its own (TcpHost).
// A host's uptime at simulated time 0 drawn from the stream `stream` under `seed`: anything from 0
// to 2^32 jiffies (199 days at HZ = 250), at any point of a tick. It sets the phase of the host's
// ticks and the alignment of its wheel's coarse buckets. Zero for TimerSlack::None.
sim::Duration draw_uptime(TimerSlack slack, std::uint64_t seed, std::string_view stream);

class TimerWheel {
 public:
  TimerWheel() = default;  // TimerSlack::None
  TimerWheel(TimerSlack slack, sim::Duration uptime_at_zero) noexcept;

  TimerSlack slack() const noexcept { return slack_; }

  // When a timer armed at `now` for `deadline` (>= now) fires. Linux: the caller computes
  // `expires = jiffies + timeout` with the timeout rounded up to whole jiffies
  // (usecs_to_jiffies()), and __mod_timer() files it against the wheel's clock: jiffies, or jiffies
  // + 1 while the wheel is running its expired timers (`in_timer_callback`: "while executing
  // timers, base->clk is 1 offset ahead of jiffies", forward_timer_base()). A timeout beyond the
  // wheel's capacity (about 48 days at HZ = 250) keeps its nominal deadline: Linux would cut it to
  // that capacity, which no TCP timer reaches. Always >= deadline (RFC 6298 §4: a timer never fires
  // early).
  // Inline: every arm of every timer asks, and without slack (the default) the answer is the
  // deadline, with no call (wheel_expiry() computes the rest).
  sim::Time expiry(sim::Time now, sim::Time deadline, bool in_timer_callback) const noexcept {
    if (slack_ == TimerSlack::None) return deadline;
    return wheel_expiry(now, deadline, in_timer_callback);
  }

  // The wheel's bucket for a timer due at jiffy `expires` filed when the wheel's clock reads
  // `clk`: the jiffy at which it fires (calc_wheel_index()). nullopt beyond the capacity.
  static std::optional<std::uint64_t> bucket_expiry(std::uint64_t expires,
                                                    std::uint64_t clk) noexcept;

 private:
  sim::Time wheel_expiry(sim::Time now, sim::Time deadline, bool in_timer_callback) const noexcept;

  TimerSlack slack_ = TimerSlack::None;
  std::int64_t jiffy_ns_ = 0;
  std::int64_t uptime_at_zero_ns_ = 0;
};

}  // namespace synlab::tcp
