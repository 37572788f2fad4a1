// CsvRow (see csv_row.hpp).
#include "sim/csv_row.hpp"

#include <array>
#include <charconv>

namespace synlab::sim {

namespace {

// Whether `text` must be quoted (RFC 4180 §2.6): a plain loop, which for the short cells of a
// trace beats find_first_of (one memchr per character).
bool needs_quotes(std::string_view text) noexcept {
  for (const char c : text)
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
  return false;
}

}  // namespace

CsvRow& CsvRow::add_raw(std::string_view text) {
  if (!first_) out_ += ',';
  first_ = false;
  out_ += text;
  return *this;
}

// Numbers are formatted after their separator in one buffer, appended at once.
char* CsvRow::start_cell(char* buffer) noexcept {
  if (first_) {
    first_ = false;
    return buffer;
  }
  *buffer = ',';
  return buffer + 1;
}

void CsvRow::append(const char* begin, const char* end) {
  out_.append(begin, static_cast<std::size_t>(end - begin));
}

std::string CsvRow::escape(std::string_view text) {
  if (!needs_quotes(text)) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

CsvRow& CsvRow::add(std::string_view text) {
  if (!needs_quotes(text)) return add_raw(text);
  return add_raw(escape(text));
}

CsvRow& CsvRow::add(Ipv4Address a) {
  if (!first_) out_ += ',';
  first_ = false;
  for (int shift = 24; shift >= 0; shift -= 8) {
    std::array<char, 4> octet{};
    const auto end = std::to_chars(octet.data(), octet.data() + octet.size(),
                                   (a.value >> static_cast<unsigned>(shift)) & 0xffu)
                         .ptr;
    out_.append(octet.data(), static_cast<std::size_t>(end - octet.data()));
    if (shift > 0) out_ += '.';
  }
  return *this;
}

CsvRow& CsvRow::add(Duration d) {
  std::array<char, 1 + max_seconds_chars> buffer;
  append(buffer.data(), write_seconds(start_cell(buffer.data()), d));
  return *this;
}

CsvRow& CsvRow::add(std::int64_t value) {
  std::array<char, 24> buffer;
  append(buffer.data(),
         std::to_chars(start_cell(buffer.data()), buffer.data() + buffer.size(), value).ptr);
  return *this;
}

CsvRow& CsvRow::add(std::uint64_t value) {
  std::array<char, 24> buffer;
  append(buffer.data(),
         std::to_chars(start_cell(buffer.data()), buffer.data() + buffer.size(), value).ptr);
  return *this;
}

CsvRow& CsvRow::add(double value) {
  std::array<char, 32> buffer{};
  const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  return add_raw({buffer.data(), static_cast<std::size_t>(end - buffer.data())});
}

}  // namespace synlab::sim
