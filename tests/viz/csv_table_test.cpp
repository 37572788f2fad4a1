// CsvTable: RFC 4180 parsing (§2: quoted fields, doubled quotes, CRLF) on inputs written here.
#include "viz/csv_table.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <stdexcept>
#include <string>

#include "viz/viz_error.hpp"

using synlab::viz::CsvTable;
using synlab::viz::VizError;

TEST_CASE("RFC 4180: plain, quoted and empty fields, LF and CRLF line ends") {
  const CsvTable t = CsvTable::parse(
      "time,flags,note\r\n0.5,\"SYN, ACK\",\"say \"\"hi\"\"\"\n1,,\"two\nlines\"\n", "t.csv");
  REQUIRE(t.rows() == 2);
  CHECK(t.header().size() == 3);
  CHECK(t.cell(0, "flags") == "SYN, ACK");
  CHECK(t.cell(0, "note") == "say \"hi\"");
  CHECK(t.cell(1, "flags").empty());
  CHECK(t.cell(1, "note") == "two\nlines");
  CHECK(t.number(0, "time") == 0.5);
  CHECK_FALSE(t.number(1, "flags").has_value());
}

TEST_CASE("malformed CSV and lookups name the file") {
  CHECK_THROWS_AS(CsvTable::parse("a,b\n1\n", "w.csv"), VizError);  // row narrower than header
  CHECK_THROWS_AS(CsvTable::parse("a\n\"open\n", "q.csv"), VizError);
  CHECK_THROWS_AS(CsvTable::parse("", "e.csv"), VizError);
  const CsvTable t = CsvTable::parse("a\nx\n", "n.csv");
  CHECK_THROWS_WITH_AS(t.column("b"), "n.csv: no column 'b'", VizError);
  CHECK_THROWS_AS(t.number(0, "a"), VizError);
  CHECK_THROWS_AS(CsvTable::read("/nonexistent/packets.csv"), VizError);
}

TEST_CASE("cells read as numbers, counts and times refuse what no run writes") {
  // A hand-edited file: each cell of column v is one kind of value.
  const CsvTable t = CsvTable::parse(
      "v\nnan\ninf\n-inf\n1e308\n-0.5\n1.5\n-3\n42\n9223372036.854775807\n9223372037\n1e400\n",
      "h.csv");
  const auto number_ok = [&](std::size_t r) {
    try {
      (void)t.number(r, "v");
      return true;
    } catch (const VizError&) {
      return false;
    }
  };
  // Finite numbers only: nan and the infinities are refused, and so is 1e400 (past a double).
  CHECK_FALSE(number_ok(0));
  CHECK_FALSE(number_ok(1));
  CHECK_FALSE(number_ok(2));
  CHECK(number_ok(3));
  CHECK_FALSE(number_ok(10));
  CHECK_THROWS_WITH_AS(t.number(0, "v"), "h.csv: row 1, column 'v': 'nan' is not a number",
                       VizError);
  // Times: 0 to the clock's end, 2^63 - 1 ns = 9223372036.854775807 s.
  CHECK_THROWS_WITH_AS(t.seconds(3, "v"),
                       "h.csv: row 4, column 'v': '1e308' is not a time of the simulated clock "
                       "(0 to 9223372036.854775807 s)",
                       VizError);
  CHECK_THROWS_AS(t.seconds(4, "v"), VizError);  // -0.5
  CHECK(t.seconds(5, "v") == 1.5);
  CHECK(t.seconds(8, "v") == 9223372036.854775807);
  CHECK_THROWS_AS(t.seconds(9, "v"), VizError);  // a second past the end
  // Whole numbers: no fraction, no exponent; counts also from 0 only.
  CHECK_THROWS_WITH_AS(t.whole(5, "v"), "h.csv: row 6, column 'v': '1.5' is not a whole number",
                       VizError);
  CHECK_THROWS_AS(t.whole(3, "v"), VizError);  // 1e308: not written as a whole number
  CHECK(t.whole(6, "v") == -3);
  CHECK(t.count(7, "v") == 42u);
  CHECK_THROWS_WITH_AS(t.count(6, "v"),
                       "h.csv: row 7, column 'v': '-3' is not a count (a whole number from 0)",
                       VizError);
}

TEST_CASE("a NUL byte is refused: no run writes one (a file zero-filled after a crash)") {
  CHECK_THROWS_WITH_AS(CsvTable::parse(std::string("time,event\n0,send\n\0\0\0", 20), "z.csv"),
                       "z.csv:3: a NUL byte: not a CSV file synlab wrote (damaged, or zero-filled "
                       "after a crash?)",
                       VizError);
}

TEST_CASE("every cell reads back as written: empty first and last cells, blank lines, many rows") {
  // 500 rows of three cells: an empty first cell on even rows, a last cell as long as the row
  // number, a quoted middle cell with a comma; blank lines between some rows are no rows.
  std::string text = "a,b,c\n";
  const auto first = [](std::size_t r) { return r % 2 == 0 ? std::string() : std::to_string(r); };
  const auto middle = [](std::size_t r) { return "m," + std::to_string(r * 7); };
  const auto last = [](std::size_t r) { return std::string(r, static_cast<char>('a' + r % 26)); };
  for (std::size_t r = 0; r < 500; ++r) {
    text += first(r) + ",\"" + middle(r) + "\"," + last(r) + (r % 3 == 0 ? "\r\n" : "\n");
    if (r % 50 == 0) text += "\n";
  }
  const CsvTable t = CsvTable::parse(text, "many.csv");
  REQUIRE(t.rows() == 500);
  for (std::size_t r = 0; r < 500; ++r) {
    CAPTURE(r);
    CHECK(t.cell(r, "a") == first(r));
    CHECK(t.cell(r, "b") == middle(r));
    CHECK(t.cell(r, "c") == last(r));
  }
  CHECK_THROWS_AS(t.cell(500, 0), std::out_of_range);
  CHECK_THROWS_AS(t.cell(0, 3), std::out_of_range);
  // A header alone is a table of no rows; a row wider than the header names its number.
  CHECK(CsvTable::parse("a,b\n", "h.csv").rows() == 0);
  CHECK_THROWS_WITH_AS(CsvTable::parse("a,b\n1,2\n\n1,2,3\n", "w.csv"),
                       "w.csv: row 2 has 3 fields; the header has 2", VizError);
}
