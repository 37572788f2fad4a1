// CsvTable: RFC 4180 parsing (§2: quoted fields, doubled quotes, CRLF) on inputs written here.
#include "viz/csv_table.hpp"

#include <doctest/doctest.h>

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
