// Pcg32: the PCG-XSH-RR generator, 64-bit state, 32-bit output (O'Neill 2014, pcg-c-basic).
// Fully specified integer arithmetic: the same numbers on every compiler and machine.
#pragma once

#include <cstdint>

namespace synlab::sim {

class Pcg32 {
 public:
  using result_type = std::uint32_t;

  // pcg32_srandom_r(initstate, initseq): `initseq` selects one of 2^63 streams.
  constexpr Pcg32(std::uint64_t initstate, std::uint64_t initseq) noexcept
      : increment_((initseq << 1u) | 1u) {
    (void)step();
    state_ += initstate;
    (void)step();
  }

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return 0xffff'ffffu; }

  // pcg32_random_r
  constexpr result_type operator()() noexcept {
    const std::uint64_t old = step();
    const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
    const auto rot = static_cast<std::uint32_t>(old >> 59u);
    return (xorshifted >> rot) | (xorshifted << ((0u - rot) & 31u));
  }

  friend constexpr bool operator==(const Pcg32&, const Pcg32&) = default;

 private:
  // Advances the LCG; returns the state before the step.
  constexpr std::uint64_t step() noexcept {
    const std::uint64_t old = state_;
    state_ = old * 6364136223846793005ULL + increment_;
    return old;
  }

  std::uint64_t state_ = 0;
  std::uint64_t increment_;
};

}  // namespace synlab::sim
