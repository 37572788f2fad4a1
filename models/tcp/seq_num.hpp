// SeqNum: a TCP sequence number, arithmetic and comparison modulo 2^32 (RFC 9293 §3.4).
#pragma once

#include <cstdint>

namespace synlab::tcp {

// Comparisons are the RFC's: a < b when b is "after" a by less than 2^31, so they are correct
// across the wrap (RFC 9293 §3.4: "arithmetic ... must be performed modulo 2**32").
class SeqNum {
 public:
  constexpr SeqNum() noexcept = default;
  constexpr explicit SeqNum(std::uint32_t value) noexcept : value_(value) {}

  constexpr std::uint32_t value() const noexcept { return value_; }

  constexpr SeqNum operator+(std::uint32_t n) const noexcept { return SeqNum(value_ + n); }
  constexpr SeqNum operator-(std::uint32_t n) const noexcept { return SeqNum(value_ - n); }
  constexpr SeqNum& operator+=(std::uint32_t n) noexcept {
    value_ += n;
    return *this;
  }
  // Signed distance from b to a: how far a is after b (negative: before).
  friend constexpr std::int32_t operator-(SeqNum a, SeqNum b) noexcept {
    return static_cast<std::int32_t>(a.value_ - b.value_);
  }

  friend constexpr bool operator==(SeqNum, SeqNum) noexcept = default;
  friend constexpr bool operator<(SeqNum a, SeqNum b) noexcept { return a - b < 0; }
  friend constexpr bool operator>(SeqNum a, SeqNum b) noexcept { return a - b > 0; }
  friend constexpr bool operator<=(SeqNum a, SeqNum b) noexcept { return a - b <= 0; }
  friend constexpr bool operator>=(SeqNum a, SeqNum b) noexcept { return a - b >= 0; }

 private:
  std::uint32_t value_ = 0;
};

// lo <= x < hi, modulo 2^32 (the RFC's "=<" ... "<" acceptability tests).
constexpr bool in_window(SeqNum lo, SeqNum x, SeqNum hi) noexcept {
  return lo <= x && x < hi;
}

}  // namespace synlab::tcp
