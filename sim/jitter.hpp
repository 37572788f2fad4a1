// Jitter: the random extra delay a link direction adds to each packet's propagation delay.
// Uniform, normal (clamped at 0) or exponential; none by default.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "sim/random_stream.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

struct Jitter {
  enum class Kind : std::uint8_t {
    None,         // no extra delay, no draws
    Uniform,      // uniform integer nanoseconds in [0, a]
    Normal,       // normal with mean a and standard deviation b, clamped at 0
    Exponential,  // exponential with mean a
  };
  Kind kind = Kind::None;
  Duration a{0};
  Duration b{0};

  static constexpr Jitter none() noexcept { return {}; }
  static constexpr Jitter uniform(Duration max) noexcept { return {Kind::Uniform, max, {}}; }
  static constexpr Jitter normal(Duration mean, Duration stddev) noexcept {
    return {Kind::Normal, mean, stddev};
  }
  static constexpr Jitter exponential(Duration mean) noexcept {
    return {Kind::Exponential, mean, {}};
  }

  // One draw (>= 0). Normal and exponential draws are real numbers rounded to the nearest
  // nanosecond here, so no double reaches simulated time.
  Duration sample(RandomStream& random) const {
    switch (kind) {
      case Kind::None:
        return Duration{0};
      case Kind::Uniform:
        return uniform_ns(random);
      case Kind::Normal: {
        const double x =
            random.normal(static_cast<double>(a.count()), static_cast<double>(b.count()));
        return rounded_ns(x);
      }
      case Kind::Exponential:
        return rounded_ns(random.exponential(static_cast<double>(a.count())));
    }
    return Duration{0};
  }

 private:
  // `ns` rounded, within [0, 2^62 ns] (about 146 years): a draw from the far tail of a
  // distribution with a mean of years cannot pass llround's range (where it returns garbage).
  static Duration rounded_ns(double ns) {
    constexpr double most = 4'611'686'018'427'387'904.0;  // 2^62
    return Duration{std::llround(std::clamp(ns, 0.0, most))};
  }

  Duration uniform_ns(RandomStream& random) const {
    const auto max_ns = static_cast<std::uint64_t>(std::max<std::int64_t>(a.count(), 0));
    if (max_ns < 0xffff'ffffu)
      return Duration{random.below(static_cast<std::uint32_t>(max_ns + 1))};
    // Above ~4.29 s of jitter: 53 random bits are plenty.
    return Duration{static_cast<std::int64_t>(random.uniform01() * static_cast<double>(max_ns))};
  }
};

}  // namespace synlab::sim
