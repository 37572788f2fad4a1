// CsvRow (see csv_row.hpp).
#include "sim/csv_row.hpp"

#include <array>
#include <charconv>

namespace synlab::sim {

CsvRow& CsvRow::add_raw(std::string_view text) {
  if (!first_) out_ += ',';
  first_ = false;
  out_ += text;
  return *this;
}

std::string CsvRow::escape(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

CsvRow& CsvRow::add(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return add_raw(text);
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
  if (!first_) out_ += ',';
  first_ = false;
  append_seconds(out_, d);
  return *this;
}

CsvRow& CsvRow::add(std::int64_t value) {
  std::array<char, 24> buffer{};
  const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  return add_raw({buffer.data(), static_cast<std::size_t>(end - buffer.data())});
}

CsvRow& CsvRow::add(std::uint64_t value) {
  std::array<char, 24> buffer{};
  const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  return add_raw({buffer.data(), static_cast<std::size_t>(end - buffer.data())});
}

CsvRow& CsvRow::add(double value) {
  std::array<char, 32> buffer{};
  const auto end = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value).ptr;
  return add_raw({buffer.data(), static_cast<std::size_t>(end - buffer.data())});
}

}  // namespace synlab::sim
