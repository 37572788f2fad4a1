// Decimal digits of unsigned integers, written at a cursor (the cells of sim::csv, the fraction
// of a time). std::to_chars finds a number's length first, one loop step per four digits, then
// writes two digits per division by 100, last to first: about 120 instructions for a ten-digit
// number, and a packets.csv row has four (seq, ack, tsval, tsecr). Here the length is found by
// a few comparisons, and a number splits into blocks of eight and four digits whose halves are
// independent: each division by a constant is a multiply, and about 40 instructions write ten
// digits. The digits are exactly std::to_chars' (the tests compare them).
#pragma once

#include <array>
#include <cstdint>
#include <cstring>

namespace synlab::sim::decimal {

// "00", "01", ..., "99": the two digits of each number below 100.
inline constexpr std::array<char, 200> digit_pairs = [] {
  std::array<char, 200> p{};
  for (std::size_t i = 0; i < 100; ++i) {
    p[2 * i] = static_cast<char>('0' + i / 10);
    p[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return p;
}();

// Exactly two digits of `v` (< 100), a leading zero kept.
inline char* put_2(char* p, std::uint32_t v) noexcept {
  std::memcpy(p, &digit_pairs[2 * v], 2);
  return p + 2;
}

// Exactly four digits of `v` (< 10^4), leading zeros kept.
inline char* put_4(char* p, std::uint32_t v) noexcept {
  const std::uint32_t high = v / 100;
  put_2(p, high);
  return put_2(p + 2, v - 100 * high);
}

// Exactly eight digits of `v` (< 10^8), leading zeros kept.
inline char* put_8(char* p, std::uint32_t v) noexcept {
  const std::uint32_t high = v / 10'000;
  put_4(p, high);
  return put_4(p + 4, v - 10'000 * high);
}

// The digits of `v` (< 100): one or two.
inline char* put_upto_2(char* p, std::uint32_t v) noexcept {
  if (v < 10) {
    *p = static_cast<char>('0' + v);
    return p + 1;
  }
  return put_2(p, v);
}

// The digits of `v` (< 10^4): one to four.
inline char* put_upto_4(char* p, std::uint32_t v) noexcept {
  if (v < 100) return put_upto_2(p, v);
  const std::uint32_t high = v / 100;
  return put_2(put_upto_2(p, high), v - 100 * high);
}

// The digits of `v`, without leading zeros ("0" for 0): at most 10.
inline char* put(char* p, std::uint32_t v) noexcept {
  if (v < 10'000) return put_upto_4(p, v);
  if (v < 100'000'000) {
    const std::uint32_t high = v / 10'000;  // 1 to 9,999
    return put_4(put_upto_4(p, high), v - 10'000 * high);
  }
  const std::uint32_t high = v / 100'000'000;  // 1 to 42
  return put_8(put_upto_2(p, high), v - 100'000'000 * high);
}

// The digits of `v`, without leading zeros: at most 20.
inline char* put(char* p, std::uint64_t v) noexcept {
  if (v <= UINT32_MAX) return put(p, static_cast<std::uint32_t>(v));
  // v >= 2^32: the last eight digits, after those of v / 10^8 (at most 12 of them).
  const std::uint64_t high = v / 100'000'000;
  const auto low = static_cast<std::uint32_t>(v - 100'000'000 * high);
  if (high <= UINT32_MAX) return put_8(put(p, static_cast<std::uint32_t>(high)), low);
  const std::uint64_t top = high / 100'000'000;  // high >= 2^32: 42 to 1,844
  p = put_upto_4(p, static_cast<std::uint32_t>(top));
  p = put_8(p, static_cast<std::uint32_t>(high - 100'000'000 * top));
  return put_8(p, low);
}

}  // namespace synlab::sim::decimal
