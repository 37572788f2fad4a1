// CsvRow: builds one RFC 4180 CSV line, with exact numbers (no locale, no rounding surprises).
// Times print as exact decimal seconds; doubles as the shortest string that reads back equal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/ipv4_address.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

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
  char* start_cell(char* buffer) noexcept;  // writes the separator if one is due
  void append(const char* begin, const char* end);

  std::string& out_;
  bool first_ = true;
};

}  // namespace synlab::sim
