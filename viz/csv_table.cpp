// CsvTable: RFC 4180 parsing (see csv_table.hpp).
#include "viz/csv_table.hpp"

#include <charconv>
#include <cmath>
#include <type_traits>

#include "viz/read_file.hpp"
#include "viz/viz_error.hpp"

namespace synlab::viz {

CsvTable CsvTable::parse(std::string_view text, const std::string& source) {
  CsvTable table;
  table.source_ = source;
  std::vector<std::vector<std::string>> lines;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;     // inside a quoted field
  bool line_open = false;  // something was read since the last line break
  std::size_t line_no = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\0')  // no run writes one: a file zero-filled after a crash, or not a CSV file
      throw VizError(source + ":" + std::to_string(line_no) +
                     ": a NUL byte: not a CSV file synlab wrote (damaged, or zero-filled after a "
                     "crash?)");
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line_no;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      line_open = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      line_open = true;
    } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (c == '\r') ++i;
      if (line_open || !field.empty()) {
        fields.push_back(std::move(field));
        lines.push_back(std::move(fields));
      }
      field.clear();
      fields.clear();
      line_open = false;
      ++line_no;
    } else {
      field += c;
      line_open = true;
    }
  }
  if (quoted)
    throw VizError(source + ":" + std::to_string(line_no) + ": unterminated quoted field");
  if (line_open || !field.empty()) {
    fields.push_back(std::move(field));
    lines.push_back(std::move(fields));
  }
  if (lines.empty()) throw VizError(source + ": empty file; expected a header line");
  table.header_ = std::move(lines.front());
  for (std::size_t r = 1; r < lines.size(); ++r) {
    if (lines[r].size() != table.header_.size())
      throw VizError(source + ": row " + std::to_string(r) + " has " +
                     std::to_string(lines[r].size()) + " fields; the header has " +
                     std::to_string(table.header_.size()));
    table.rows_.push_back(std::move(lines[r]));
  }
  return table;
}

CsvTable CsvTable::read(const std::filesystem::path& path) {
  return parse(read_regular_file(path), path.string());
}

std::optional<std::size_t> CsvTable::find_column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return i;
  return std::nullopt;
}

std::size_t CsvTable::column(std::string_view name) const {
  if (auto i = find_column(name)) return *i;
  throw VizError(source_ + ": no column '" + std::string(name) + "'");
}

const std::string& CsvTable::cell(std::size_t row, std::size_t col) const {
  return rows_.at(row).at(col);
}

const std::string& CsvTable::cell(std::size_t row, std::string_view name) const {
  return cell(row, column(name));
}

namespace {

// The whole of `text` as a T (std::from_chars: no sign for unsigned, no exponent for integers),
// or nullopt.
template <class T>
std::optional<T> whole_text_as(std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

template <class T>
std::optional<T> CsvTable::parsed(std::size_t row, std::string_view name,
                                  std::string_view what) const {
  const std::string& text = cell(row, name);
  if (text.empty()) return std::nullopt;
  const std::optional<T> value = whole_text_as<T>(text);
  if constexpr (std::is_floating_point_v<T>) {
    if (value && std::isfinite(*value)) return value;
  } else {
    if (value) return value;
  }
  throw VizError(where(row, name) + "'" + text + "' is not " + std::string(what));
}

std::optional<double> CsvTable::number(std::size_t row, std::string_view name) const {
  return parsed<double>(row, name, "a number");
}

std::optional<std::int64_t> CsvTable::whole(std::size_t row, std::string_view name) const {
  return parsed<std::int64_t>(row, name, "a whole number");
}

std::optional<std::uint64_t> CsvTable::count(std::size_t row, std::string_view name) const {
  return parsed<std::uint64_t>(row, name, "a count (a whole number from 0)");
}

std::optional<double> CsvTable::seconds(std::size_t row, std::string_view name) const {
  const auto value = number(row, name);
  // The clock's last nanosecond, 2^63 - 1 ns, in seconds.
  constexpr double clock_end_s = 9'223'372'036.854775807;
  if (value && !(*value >= 0 && *value <= clock_end_s))
    throw VizError(where(row, name) + "'" + cell(row, name) +
                   "' is not a time of the simulated clock (0 to 9223372036.854775807 s)");
  return value;
}

std::string CsvTable::where(std::size_t row, std::string_view name) const {
  return source_ + ": row " + std::to_string(row + 1) + ", column '" + std::string(name) + "': ";
}

}  // namespace synlab::viz
