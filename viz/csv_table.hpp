// CsvTable: an RFC 4180 CSV file (as sim/csv_row.hpp writes them) read into memory, with the
// first line as the header and cells looked up by column name. The cells' text is kept in one
// string, each cell as its end within its row: about 1.5 times the file's size (a row of
// packets.csv, 168 bytes, takes about 250), where a string per cell took about 5.5 times, and
// reading a million connections' packets.csv (2.4 GB) ran out of memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace synlab::viz {

class CsvTable {
 public:
  // Parses `text`: fields separated by commas, quoted fields may hold commas, line breaks and
  // doubled quotes; lines end in LF or CRLF. `source` names the text in error messages.
  // Throws VizError on an unterminated quote or a row whose width differs from the header's.
  static CsvTable parse(std::string_view text, const std::string& source);
  // Reads and parses a file; throws VizError if it cannot be read.
  static CsvTable read(const std::filesystem::path& path);

  const std::vector<std::string>& header() const noexcept { return header_; }
  std::size_t rows() const noexcept { return row_start_.size(); }
  bool has_column(std::string_view name) const { return find_column(name).has_value(); }
  // The column's index; throws VizError naming the file if there is no such column.
  std::size_t column(std::string_view name) const;
  // The cell's text, valid as long as the table; std::out_of_range past the last row or column.
  std::string_view cell(std::size_t row, std::size_t column) const;
  std::string_view cell(std::size_t row, std::string_view name) const;
  // The cell as a finite number; nullopt when empty; throws VizError when it is not one (`nan`,
  // `inf` and numbers past a double's range included).
  std::optional<double> number(std::size_t row, std::string_view name) const;
  // The cell as a whole number (a count, an id, a relative sequence number), written without a
  // fraction or exponent; nullopt when empty; throws VizError otherwise.
  std::optional<std::int64_t> whole(std::size_t row, std::string_view name) const;
  // The cell as a count or index (a point, a number of connections): a whole number from 0.
  std::optional<std::uint64_t> count(std::size_t row, std::string_view name) const;
  // The cell as a time on the simulated clock in seconds: from 0 to its end, 2^63 - 1 ns (about
  // 292 years); nullopt when empty; throws VizError otherwise.
  std::optional<double> seconds(std::size_t row, std::string_view name) const;
  const std::string& source() const noexcept { return source_; }

 private:
  std::optional<std::size_t> find_column(std::string_view name) const;
  // The cell as a T, nullopt when empty; VizError "... is not WHAT" when it is not one.
  template <class T>
  std::optional<T> parsed(std::size_t row, std::string_view name, std::string_view what) const;
  // "SOURCE: row N, column 'NAME': ", for an error in that cell.
  std::string where(std::size_t row, std::string_view name) const;

  std::string source_;
  std::vector<std::string> header_;
  std::string text_;                      // every row's cells, one after another, unquoted
  std::vector<std::uint64_t> row_start_;  // where each row's cells begin in text_
  // Where cell (row, column) ends, from its row's start: at row * width + column. A cell begins
  // where the one before it in its row ends.
  std::vector<std::uint32_t> cell_end_;
};

}  // namespace synlab::viz
