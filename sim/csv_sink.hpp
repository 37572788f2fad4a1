// CsvSink: writes each record as one CSV line to a stream, after a header line.
// A record type opts in with a static `csv_header` (the column names, comma-separated) and a
// free function `void to_csv(const Record&, std::string&)` appending its row without a line end
// (built with csv_row.hpp), found by argument-dependent lookup.
#pragma once

#include <concepts>
#include <ostream>
#include <string>
#include <string_view>

#include "sim/csv_row.hpp"
#include "sim/trace.hpp"

namespace synlab::sim {

template <class Record>
concept CsvRecord = requires(const Record& r, std::string& line) {
  { Record::csv_header } -> std::convertible_to<std::string_view>;
  to_csv(r, line);
};

template <CsvRecord Record>
class CsvSink final : public TraceSink<Record> {
 public:
  // Writes the header at once. `out` must outlive the sink.
  explicit CsvSink(std::ostream& out) : out_(out) {
    out_ << std::string_view{Record::csv_header} << '\n';
  }

  void write(const Record& record) override {
    line_.clear();
    to_csv(record, line_);
    line_ += '\n';
    out_ << line_;
  }

 private:
  std::ostream& out_;
  std::string line_;  // reused, so a steady stream of records does not allocate
};

}  // namespace synlab::sim
