// Jitter: each distribution's draws against its formula (mean, or mass at 0 for the clamped
// normal), with bounds of 5 standard deviations of the sample statistic.
#include "sim/jitter.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "sim/random_stream.hpp"

using namespace std::chrono_literals;
using synlab::sim::Duration;
using synlab::sim::Jitter;
using synlab::sim::RandomStream;

namespace {
constexpr int n = 100'000;
}

TEST_CASE("no jitter adds nothing and draws nothing") {
  RandomStream used(1, "j");
  const RandomStream untouched(1, "j");
  CHECK(Jitter::none().sample(used) == 0ns);
  CHECK(used == untouched);
}

TEST_CASE("uniform jitter stays in [0, max] with mean max/2") {
  // U[0, 1 ms] in whole ns: mean 500,000 ns, sd 1e6 / sqrt(12) = 288,675 ns; the sd of the
  // mean of 100,000 draws is 288,675 / 316.2 = 913 ns, so 5 sd = 4,564 ns.
  RandomStream random(3, "uniform");
  const Jitter j = Jitter::uniform(1ms);
  double sum = 0;
  for (int i = 0; i < n; ++i) {
    const Duration d = j.sample(random);
    REQUIRE(d >= 0ns);
    REQUIRE(d <= 1ms);
    sum += static_cast<double>(d.count());
  }
  CHECK(std::abs(sum / n - 500'000.0) <= 5 * 1e6 / std::sqrt(12.0) / std::sqrt(double{n}));
}

TEST_CASE("normal jitter is clamped at 0: P(0) = Phi(-mean/sd)") {
  // mean 1 ms, sd 2 ms: P(X <= 0) = Phi(-0.5) = 0.308538. Binomial sd over 100,000 draws:
  // sqrt(0.3085 * 0.6915 / 1e5) = 0.00146, so 5 sd = 0.0073.
  RandomStream random(4, "normal");
  const Jitter j = Jitter::normal(1ms, 2ms);
  int zeros = 0;
  for (int i = 0; i < n; ++i) {
    const Duration d = j.sample(random);
    REQUIRE(d >= 0ns);
    zeros += d == 0ns ? 1 : 0;
  }
  const double phi = 0.5 * std::erfc(0.5 / std::sqrt(2.0));  // Phi(-0.5)
  CHECK(std::abs(static_cast<double>(zeros) / n - phi) <= 5 * std::sqrt(phi * (1 - phi) / n));
}

TEST_CASE("exponential jitter has the configured mean") {
  // Exponential with mean 1 ms has sd 1 ms; the sd of the mean of 100,000 draws is
  // 1e6 / 316.2 = 3,162 ns, so 5 sd = 15,811 ns.
  RandomStream random(5, "exponential");
  const Jitter j = Jitter::exponential(1ms);
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += static_cast<double>(j.sample(random).count());
  CHECK(std::abs(sum / n - 1e6) <= 5 * 1e6 / std::sqrt(double{n}));
}
