// CsvTable: an RFC 4180 CSV file (as sim/csv_row.hpp writes them) read into memory, with the
// first line as the header and cells looked up by column name.
#pragma once

#include <cstddef>
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
  std::size_t rows() const noexcept { return rows_.size(); }
  bool has_column(std::string_view name) const { return find_column(name).has_value(); }
  // The column's index; throws VizError naming the file if there is no such column.
  std::size_t column(std::string_view name) const;
  const std::string& cell(std::size_t row, std::size_t column) const;
  const std::string& cell(std::size_t row, std::string_view name) const;
  // The cell as a number; nullopt when empty; throws VizError when not a number.
  std::optional<double> number(std::size_t row, std::string_view name) const;
  const std::string& source() const noexcept { return source_; }

 private:
  std::optional<std::size_t> find_column(std::string_view name) const;

  std::string source_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace synlab::viz
