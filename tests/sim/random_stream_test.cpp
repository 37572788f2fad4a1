// Random streams: the published PCG32 vector, reproducibility, independence, and the
// distributions' sample moments within bounds derived from the sample size.
#include "sim/random_stream.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

using synlab::sim::Pcg32;
using synlab::sim::RandomStream;

TEST_CASE("Pcg32 reproduces pcg32-demo (initstate 42, initseq 54)") {
  // Published by pcg-c-basic's pcg32-demo and on pcg-random.org ("Round 1: 32bit").
  Pcg32 g(42, 54);
  const std::array<std::uint32_t, 6> published{0xa15c02b7, 0x7b47f409, 0xba1d3330,
                                               0x83d2f293, 0xbfa4784b, 0xcbed606e};
  for (const std::uint32_t want : published) CHECK(g() == want);
}

TEST_CASE("same (seed, stream) gives the same numbers, another stream or seed does not") {
  RandomStream a(7, "link/wan/forward/loss");
  RandomStream b(7, "link/wan/forward/loss");
  RandomStream other_stream(7, "link/wan/reverse/loss");
  RandomStream other_seed(8, "link/wan/forward/loss");
  int same_as_other_stream = 0;
  int same_as_other_seed = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a();
    CHECK(x == b());
    same_as_other_stream += x == other_stream() ? 1 : 0;
    same_as_other_seed += x == other_seed() ? 1 : 0;
  }
  // Two independent 32-bit streams agree on a draw with probability 2^-32.
  CHECK(same_as_other_stream == 0);
  CHECK(same_as_other_seed == 0);
}

TEST_CASE("a new stream does not disturb an existing one") {
  RandomStream alone(3, "endpoint/client");
  std::vector<std::uint32_t> first;
  for (int i = 0; i < 100; ++i) first.push_back(alone());

  RandomStream with_neighbour(3, "endpoint/client");
  RandomStream neighbour(3, "link/new");
  for (int i = 0; i < 100; ++i) {
    (void)neighbour();
    CHECK(with_neighbour() == first[static_cast<std::size_t>(i)]);
  }
}

namespace {
struct Moments {
  double mean = 0;
  double variance = 0;  // unbiased sample variance
};
template <class Draw>
Moments moments(int n, Draw draw) {
  double sum = 0;
  double sum_sq = 0;
  for (int i = 0; i < n; ++i) {
    const double x = draw();
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / n;
  return {mean, (sum_sq - n * mean * mean) / (n - 1)};
}
constexpr int n = 100'000;
// Every bound below is 5 standard errors of the statistic for n draws, so a correct
// generator fails with probability below 1e-6 (and the fixed seeds make it deterministic).
}  // namespace

TEST_CASE("uniform01: mean 1/2, variance 1/12") {
  RandomStream r(11, "uniform");
  const Moments m = moments(n, [&] { return r.uniform01(); });
  // SE(mean) = sqrt(1/12 / n); SE(var) = sqrt((mu4 - sigma^4) / n), mu4 = 1/80.
  CHECK(std::abs(m.mean - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
  CHECK(std::abs(m.variance - 1.0 / 12) < 5 * std::sqrt((1.0 / 80 - 1.0 / 144) / n));
}

TEST_CASE("bernoulli(p): count within 5 binomial standard deviations") {
  RandomStream r(12, "bernoulli");
  for (const double p : {0.01, 0.1, 0.5}) {
    int hits = 0;
    for (int i = 0; i < n; ++i) hits += r.bernoulli(p) ? 1 : 0;
    CAPTURE(p);
    CHECK(std::abs(hits - n * p) < 5 * std::sqrt(n * p * (1 - p)));
  }
  CHECK_FALSE(r.bernoulli(0.0));
  CHECK(r.bernoulli(1.0));
}

TEST_CASE("exponential(mean 2): mean 2, variance 4") {
  RandomStream r(13, "exponential");
  const Moments m = moments(n, [&] { return r.exponential(2.0); });
  // SE(mean) = 2/sqrt(n); mu4 = 9 mean^4, so SE(var) = sqrt(8 * 16 / n).
  CHECK(std::abs(m.mean - 2.0) < 5 * 2.0 / std::sqrt(n));
  CHECK(std::abs(m.variance - 4.0) < 5 * std::sqrt(8 * 16.0 / n));
}

TEST_CASE("normal(3, 2): mean 3, variance 4") {
  RandomStream r(14, "normal");
  const Moments m = moments(n, [&] { return r.normal(3.0, 2.0); });
  // SE(mean) = 2/sqrt(n); SE(var) = sqrt(2 sigma^4 / n).
  CHECK(std::abs(m.mean - 3.0) < 5 * 2.0 / std::sqrt(n));
  CHECK(std::abs(m.variance - 4.0) < 5 * std::sqrt(2 * 16.0 / n));
}

TEST_CASE("below(6): every face near n/6, never out of range") {
  RandomStream r(15, "below");
  std::array<int, 6> counts{};
  for (int i = 0; i < n; ++i) {
    const std::uint32_t face = r.below(6);
    REQUIRE(face < 6);
    ++counts[face];
  }
  for (const int c : counts)
    CHECK(std::abs(c - n / 6.0) < 5 * std::sqrt(n * (1 / 6.0) * (5 / 6.0)));
}

TEST_CASE("two streams are uncorrelated") {
  RandomStream a(16, "a");
  RandomStream b(16, "b");
  double sum_ab = 0;
  for (int i = 0; i < n; ++i) sum_ab += (a.uniform01() - 0.5) * (b.uniform01() - 0.5);
  // Pearson's r of independent samples has standard error 1/sqrt(n).
  const double r = (sum_ab / n) / (1.0 / 12);
  CHECK(std::abs(r) < 5 / std::sqrt(n));
}
