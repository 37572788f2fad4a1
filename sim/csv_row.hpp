// CSV rows (RFC 4180), with exact numbers (no locale, no rounding surprises): times as exact
// decimal seconds, doubles as the shortest string that reads back equal. The `csv` cell writers
// are the one place cells are formatted: they write at a cursor in a buffer that append_row
// makes big enough first, so a trace row (packets.csv, states.csv) costs a few stores per cell.
// CsvRow builds a row cell by cell on top of them, for the rows that are not a hot path.
#pragma once

#include <array>
#include <charconv>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "sim/decimal.hpp"
#include "sim/ipv4_address.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

namespace csv {

// Most characters an integer cell takes: 2^64 - 1 has 20 digits, -2^63 is "-" and 19.
inline constexpr std::size_t max_integer_chars = 20;
inline constexpr std::size_t max_address_chars = 15;  // "255.255.255.255"
// Most characters `text` takes as a cell: every character a quote (doubled), and two quotes.
constexpr std::size_t max_text_chars(std::string_view text) noexcept {
  return 2 * text.size() + 2;
}

// Whether `text` must be quoted (RFC 4180 §2.6): a comma, a quote or a line break. A plain loop,
// which for the short cells of a trace beats find_first_of (one memchr per character).
constexpr bool needs_quotes_by_char(std::string_view text) noexcept {
  for (const char c : text)
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
  return false;
}
// Whether any of the eight bytes of `w` is below 0x2d: all four characters that need quotes are
// (',' 0x2c, '"' 0x22, '\r' 0x0d, '\n' 0x0a); the letters, digits, '-', '.' and '_' of most
// names are not. Exact as a yes or no (the classic "has a byte less than n", n <= 128: a byte of
// 0x80 or more is never counted, and a borrow can only come from a byte that is below).
constexpr bool has_byte_below_0x2d(std::uint64_t w) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101u;
  return ((w - ones * 0x2d) & ~w & (ones * 0x80)) != 0;
}
// The same answer as needs_quotes_by_char(). A trace writes a name in most rows (a node, a link),
// so eight characters are first tested at once, a few instructions for a whole name of up to
// eight (two overlapping loads from four characters); only text with a character below '-'
// (a space, say) is then looked at character by character.
constexpr bool needs_quotes(std::string_view text) noexcept {
  const std::size_t n = text.size();
  if (std::is_constant_evaluated() || n < 4) return needs_quotes_by_char(text);
  // Any byte order will do: the test asks whether any of the eight bytes is low, not which.
  const auto load8 = [&](std::size_t at) {
    std::uint64_t w = 0;
    std::memcpy(&w, text.data() + at, 8);
    return w;
  };
  const auto load4 = [&](std::size_t at) {
    std::uint32_t w = 0;
    std::memcpy(&w, text.data() + at, 4);
    return std::uint64_t{w};
  };
  bool below = false;
  if (n < 8) {
    // The first four and the last four (overlapping when n < 8): every byte in one word.
    below = has_byte_below_0x2d(load4(0) | (load4(n - 4) << 32u));
  } else {
    for (std::size_t i = 0; i + 8 < n && !below; i += 8) below = has_byte_below_0x2d(load8(i));
    below = below || has_byte_below_0x2d(load8(n - 8));  // the last eight, overlapping
  }
  return below && needs_quotes_by_char(text);
}

// Each writes one cell's text (no separator) at `p`, which has room for it, and returns its end.
template <std::integral T>
requires(!std::same_as<T, bool> && !std::same_as<T, char>) char* put(char* p, T value) noexcept {
  using Wide = std::conditional_t<(sizeof(T) <= 4), std::uint32_t, std::uint64_t>;
  if constexpr (std::is_signed_v<T>) {
    const auto wide = static_cast<std::int64_t>(value);
    auto magnitude = static_cast<std::uint64_t>(wide);
    if (wide < 0) {
      *p++ = '-';
      magnitude = 0 - magnitude;  // exact for the least value too: 2^63
    }
    return decimal::put(p, static_cast<Wide>(magnitude));
  } else {
    return decimal::put(p, static_cast<Wide>(value));
  }
}
inline char* put(char* p, Duration d) noexcept {  // exact seconds: "1.011251000"
  return write_seconds(p, d);
}
inline char* put(char* p, Time t) noexcept {
  return write_seconds(p, t.time_since_epoch());
}
char* put(char* p, Ipv4Address a) noexcept;  // dotted quad, "10.0.0.1"
// Copies `n` bytes from `from` to `to` (not overlapping). Most cells of a trace row are short (a
// word, a name, a flow's socket cells: under 64 characters), and a call to memcpy costs them more
// than the copy itself (about 30 instructions, most of them the call and its choice of method):
// up to 64 bytes, a few fixed-size copies that overlap instead, each one load and one store, and
// none reading or writing beyond the n bytes. Longer ones (a packet's kept tail, about 130) go to
// memcpy.
inline void copy_short(char* to, const char* from, std::size_t n) noexcept {
  if (n >= 16) {
    if (n > 64) {
      std::memcpy(to, from, n);
      return;
    }
    for (std::size_t i = 0; i + 16 < n; i += 16) std::memcpy(to + i, from + i, 16);
    std::memcpy(to + n - 16, from + n - 16, 16);  // the last 16, overlapping the block before
  } else if (n >= 8) {
    std::memcpy(to, from, 8);
    std::memcpy(to + n - 8, from + n - 8, 8);
  } else if (n >= 4) {
    std::memcpy(to, from, 4);
    std::memcpy(to + n - 4, from + n - 4, 4);
  } else if (n > 0) {  // 1 to 3: the first, the middle and the last byte
    to[0] = from[0];
    to[n / 2] = from[n / 2];
    to[n - 1] = from[n - 1];
  }
}

// A cell already in CSV form (nothing to quote, e.g. a word or a name escaped once).
inline char* put_raw(char* p, std::string_view text) noexcept {
  copy_short(p, text.data(), text.size());
  return p + text.size();
}
// `text` in quotes, its quotes doubled (RFC 4180 §2.7); room: max_text_chars(text).
char* put_quoted(char* p, std::string_view text) noexcept;
// `text` as one cell, quoted when it needs to be (RFC 4180 §2.6); room: max_text_chars(text).
inline char* put_text(char* p, std::string_view text) noexcept {
  return needs_quotes(text) ? put_quoted(p, text) : put_raw(p, text);
}
inline char* comma(char* p) noexcept {
  *p = ',';
  return p + 1;
}

// The text of a time cell, kept for the next row: a trace writes its rows in time order, most of
// them at an instant of several (at 1 ms of the run benchmark: every connection's packets and
// state changes that fall on it), and a copy costs a tenth of the digits (about 80 instructions).
class TimeText {
 public:
  std::string_view operator()(Time t) noexcept {
    if (t != time_ || size_ == 0) {
      size_ = static_cast<std::size_t>(write_seconds(text_.data(), t.time_since_epoch()) -
                                       text_.data());
      time_ = t;
    }
    return {text_.data(), size_};
  }

 private:
  Time time_{};
  std::array<char, max_seconds_chars> text_{};
  std::size_t size_ = 0;  // 0: none kept yet
};

// Appends one row to `out`: `write(char* p)` writes at most `most` characters at p and returns
// their end. A row that fits is written on the stack and appended at once.
template <class Write>
void append_row(std::string& out, std::size_t most, Write&& write) {
  std::array<char, 1024> local;  // written before it is read: no need to clear it
  if (most <= local.size()) {
    const char* end = write(local.data());
    out.append(local.data(), static_cast<std::size_t>(end - local.data()));
    return;
  }
  const std::size_t start = out.size();
  out.resize(start + most);
  const char* end = write(out.data() + start);
  out.resize(static_cast<std::size_t>(end - out.data()));
}

}  // namespace csv

class CsvRow {
 public:
  explicit CsvRow(std::string& out) : out_(out) {}

  CsvRow& add(std::string_view text);  // quoted when it holds a comma, quote or line break
  CsvRow& add(const char* text) { return add(std::string_view{text}); }
  CsvRow& add(std::int64_t value);
  CsvRow& add(std::uint64_t value);
  CsvRow& add(std::int32_t value) { return add(std::int64_t{value}); }
  CsvRow& add(std::uint32_t value) { return add(std::uint64_t{value}); }
  CsvRow& add(double value);
  CsvRow& add(Ipv4Address a);  // dotted quad
  CsvRow& add(Time t) { return add(t.time_since_epoch()); }
  CsvRow& add(Duration d);
  CsvRow& add_empty() { return add_raw({}); }
  // A cell already in CSV form (quoted if it needs to be): e.g. a name escaped once.
  CsvRow& add_raw(std::string_view text);
  // `text` as one cell, quoted when it holds a comma, quote or line break.
  static std::string escape(std::string_view text);

 private:
  // Appends one cell of at most `most` characters, written by `write` (as csv::append_row).
  template <class Write>
  CsvRow& cell(std::size_t most, Write&& write);

  std::string& out_;
  bool first_ = true;
};

}  // namespace synlab::sim
