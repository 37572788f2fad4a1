// CSV cells and CsvRow (see csv_row.hpp).
#include "sim/csv_row.hpp"

namespace synlab::sim {

namespace csv {

char* put(char* p, Ipv4Address a) noexcept {
  // Four small numbers by std::to_chars: measured cheaper than copying from a table of the 256
  // octets' digits.
  p = put(p, a.value >> 24u);
  *p++ = '.';
  p = put(p, (a.value >> 16u) & 0xffu);
  *p++ = '.';
  p = put(p, (a.value >> 8u) & 0xffu);
  *p++ = '.';
  return put(p, a.value & 0xffu);
}

char* put_quoted(char* p, std::string_view text) noexcept {
  *p++ = '"';
  for (const char c : text) {
    if (c == '"') *p++ = '"';
    *p++ = c;
  }
  *p++ = '"';
  return p;
}

}  // namespace csv

template <class Write>
CsvRow& CsvRow::cell(std::size_t most, Write&& write) {
  const bool first = first_;
  first_ = false;
  csv::append_row(out_, most + 1, [&](char* p) { return write(first ? p : csv::comma(p)); });
  return *this;
}

CsvRow& CsvRow::add_raw(std::string_view text) {
  return cell(text.size(), [&](char* p) { return csv::put_raw(p, text); });
}

std::string CsvRow::escape(std::string_view text) {
  std::string cell;
  csv::append_row(cell, csv::max_text_chars(text), [&](char* p) { return csv::put_text(p, text); });
  return cell;
}

CsvRow& CsvRow::add(std::string_view text) {
  return cell(csv::max_text_chars(text), [&](char* p) { return csv::put_text(p, text); });
}

CsvRow& CsvRow::add(Ipv4Address a) {
  return cell(csv::max_address_chars, [&](char* p) { return csv::put(p, a); });
}

CsvRow& CsvRow::add(Duration d) {
  return cell(max_seconds_chars, [&](char* p) { return csv::put(p, d); });
}

CsvRow& CsvRow::add(std::int64_t value) {
  return cell(csv::max_integer_chars, [&](char* p) { return csv::put(p, value); });
}

CsvRow& CsvRow::add(std::uint64_t value) {
  return cell(csv::max_integer_chars, [&](char* p) { return csv::put(p, value); });
}

CsvRow& CsvRow::add(double value) {
  std::array<char, 32> buffer{};  // the shortest form of any double fits (e.g. 24 characters)
  const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  return add_raw({buffer.data(), static_cast<std::size_t>(end - buffer.data())});
}

}  // namespace synlab::sim
