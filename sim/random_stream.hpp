// RandomStream: an independent, reproducible random number stream per model instance.
// A root seed plus a stable stream name (e.g. "link/wan/forward/loss") pick the stream, so
// adding a link never changes the numbers another link sees (STYLE §4).
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/pcg32.hpp"

namespace synlab::sim {

// SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mix.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30u)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27u)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31u);
}

// FNV-1a 64 of a stream name: stable across runs, compilers and machines.
constexpr std::uint64_t stream_key(std::string_view name) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// A seed derived from a parent seed and one more key, e.g. the seed of replication r of sweep
// point p: derive_seed(derive_seed(seed, p), r). Distinct keys give unrelated seeds.
constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t key) noexcept {
  return mix64(mix64(seed) ^ mix64(key ^ 0x6a09e667f3bcc909ULL));
}

class RandomStream {
 public:
  using result_type = Pcg32::result_type;

  // The stream `name` under root `seed`.
  constexpr RandomStream(std::uint64_t seed, std::string_view name) noexcept
      : RandomStream(seed, stream_key(name), key_tag{}) {}

  static constexpr result_type min() noexcept { return Pcg32::min(); }
  static constexpr result_type max() noexcept { return Pcg32::max(); }
  // One uniform 32-bit draw (a UniformRandomBitGenerator, for Boost.Random distributions).
  constexpr result_type operator()() noexcept { return generator_(); }

  // Uniform in [0, 1) with 53 random bits; always exactly two 32-bit draws.
  constexpr double uniform01() noexcept {
    const std::uint64_t hi = generator_();
    const std::uint64_t lo = generator_();
    return static_cast<double>(((hi << 32u) | lo) >> 11u) * 0x1.0p-53;
  }

  // true with probability p (p <= 0: never, p >= 1: always); always exactly two draws, so a
  // loss model consumes the same numbers whatever the outcome.
  constexpr bool bernoulli(double p) noexcept { return uniform01() < p; }

  // Uniform integer in [0, bound) without bias (Lemire, "Fast Random Integer Generation in
  // an Interval", ACM TOMACS 2019); bound >= 1.
  constexpr std::uint32_t below(std::uint32_t bound) noexcept {
    std::uint64_t m = std::uint64_t{generator_()} * bound;
    if (static_cast<std::uint32_t>(m) < bound) {
      const std::uint32_t threshold = (0u - bound) % bound;
      while (static_cast<std::uint32_t>(m) < threshold) m = std::uint64_t{generator_()} * bound;
    }
    return static_cast<std::uint32_t>(m >> 32u);
  }

  // Exponential with the given mean (Boost.Random's ziggurat).
  double exponential(double mean);
  // Normal with the given mean and standard deviation (Boost.Random's ziggurat).
  double normal(double mean, double stddev);

  friend constexpr bool operator==(const RandomStream&, const RandomStream&) = default;

 private:
  struct key_tag {};
  constexpr RandomStream(std::uint64_t seed, std::uint64_t key, key_tag) noexcept
      : generator_(derive_seed(seed, key), mix64(key ^ seed)) {}

  Pcg32 generator_;
};

}  // namespace synlab::sim
