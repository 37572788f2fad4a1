// CsvTable: RFC 4180 parsing (see csv_table.hpp).
#include "viz/csv_table.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

#include "viz/read_file.hpp"
#include "viz/viz_error.hpp"

namespace synlab::viz {

CsvTable CsvTable::parse(std::string_view text, const std::string& source) {
  CsvTable table;
  table.source_ = source;
  std::string& out = table.text_;
  // The line being read: where its cells begin in `out`, and each cell's end from there. The
  // header line is copied out of `out` into header_ once read.
  std::uint64_t line_start = 0;
  std::uint64_t field_start = 0;
  std::vector<std::uint64_t> ends;  // the line's cells' ends, absolute
  bool header_read = false;
  std::size_t row = 0;  // data rows read, for messages
  const auto end_line = [&] {
    ends.push_back(out.size());
    if (!header_read) {
      for (std::size_t i = 0; i < ends.size(); ++i) {
        const std::uint64_t begin = i == 0 ? 0 : ends[i - 1];
        table.header_.emplace_back(out, begin, ends[i] - begin);
      }
      out.clear();
      header_read = true;
    } else {
      ++row;
      if (ends.size() != table.header_.size())
        throw VizError(source + ": row " + std::to_string(row) + " has " +
                       std::to_string(ends.size()) + " fields; the header has " +
                       std::to_string(table.header_.size()));
      if (out.size() - line_start > std::numeric_limits<std::uint32_t>::max())
        throw VizError(source + ": row " + std::to_string(row) + " is longer than 4 GiB");
      table.row_start_.push_back(line_start);
      for (const std::uint64_t end : ends)
        table.cell_end_.push_back(static_cast<std::uint32_t>(end - line_start));
    }
    ends.clear();
    line_start = out.size();
    field_start = out.size();
  };
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
        out += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line_no;
        out += c;
      }
      continue;
    }
    if (c == '"' && out.size() == field_start) {
      quoted = true;
      line_open = true;
    } else if (c == ',') {
      ends.push_back(out.size());
      field_start = out.size();
      line_open = true;
    } else if (c == '\n' || (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')) {
      if (c == '\r') ++i;
      if (line_open || out.size() != field_start) end_line();  // else a blank line: no row
      line_open = false;
      ++line_no;
    } else {
      out += c;
      line_open = true;
    }
  }
  if (quoted)
    throw VizError(source + ":" + std::to_string(line_no) + ": unterminated quoted field");
  if (line_open || out.size() != field_start) end_line();
  if (!header_read) throw VizError(source + ": empty file; expected a header line");
  out.shrink_to_fit();
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

std::string_view CsvTable::cell(std::size_t row, std::size_t col) const {
  const std::size_t width = header_.size();
  if (row >= row_start_.size() || col >= width)
    throw std::out_of_range(source_ + ": no cell at row " + std::to_string(row + 1) + ", column " +
                            std::to_string(col + 1));
  const std::size_t at = row * width + col;
  const std::uint32_t begin = col == 0 ? 0 : cell_end_[at - 1];
  return std::string_view(text_).substr(row_start_[row] + begin, cell_end_[at] - begin);
}

std::string_view CsvTable::cell(std::size_t row, std::string_view name) const {
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
  const std::string_view text = cell(row, name);
  if (text.empty()) return std::nullopt;
  const std::optional<T> value = whole_text_as<T>(text);
  if constexpr (std::is_floating_point_v<T>) {
    if (value && std::isfinite(*value)) return value;
  } else {
    if (value) return value;
  }
  throw VizError(where(row, name) + "'" + std::string(text) + "' is not " + std::string(what));
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
    throw VizError(where(row, name) + "'" + std::string(cell(row, name)) +
                   "' is not a time of the simulated clock (0 to 9223372036.854775807 s)");
  return value;
}

std::string CsvTable::where(std::size_t row, std::string_view name) const {
  return source_ + ": row " + std::to_string(row + 1) + ", column '" + std::string(name) + "': ";
}

}  // namespace synlab::viz
