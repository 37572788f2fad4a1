// Trace envelope: sinks receive records in order; with no sink no record is built; CSV rows.
#include "sim/trace.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "sim/csv_row.hpp"
#include "sim/csv_sink.hpp"
#include "sim/memory_sink.hpp"
#include "sim/time.hpp"

using namespace std::chrono_literals;
using synlab::sim::at;
using synlab::sim::CsvRow;
using synlab::sim::CsvSink;
using synlab::sim::MemorySink;
using synlab::sim::Time;
using synlab::sim::Trace;

namespace {
struct Sample {
  Time time;
  std::uint32_t node;
  const char* what;
  static constexpr const char* csv_header = "time,node,what";
  friend bool operator==(const Sample&, const Sample&) = default;
};
void to_csv(const Sample& s, CsvRow& row) {
  row.add(s.time).add(s.node).add(s.what);
}
}  // namespace

TEST_CASE("every sink sees every record, in order") {
  MemorySink<Sample> a;
  MemorySink<Sample> b;
  const Trace<Sample> trace{&a, &b};
  CHECK(trace.enabled());
  trace.write({at(1s), 1, "x"});
  trace.write_with([] { return Sample{at(2s), 2, "y"}; });
  REQUIRE(a.records.size() == 2);
  CHECK(a.records == b.records);
  CHECK(a.records[1] == Sample{at(2s), 2, "y"});
}

TEST_CASE("with no sink, write_with never builds the record") {
  const Trace<Sample> trace;
  CHECK_FALSE(trace.enabled());
  int built = 0;
  trace.write_with([&] {
    ++built;
    return Sample{};
  });
  CHECK(built == 0);
}

TEST_CASE("CsvSink writes a header and one exact line per record") {
  std::ostringstream out;
  CsvSink<Sample> csv(out);
  const Trace<Sample> trace{&csv};
  trace.write({at(1'011'251'000ns), 0, "SYN"});
  trace.write({at(3ns), 1, "SYN, ACK"});  // a comma: quoted
  CHECK(out.str() ==
        "time,node,what\n"
        "1.011251000,0,SYN\n"
        "0.000000003,1,\"SYN, ACK\"\n");
}

TEST_CASE("CsvRow quotes per RFC 4180 and prints doubles exactly") {
  std::string line;
  CsvRow(line).add("a\"b").add(0.1).add(std::int64_t{-5}).add_empty().add(1e300);
  CHECK(line == "\"a\"\"b\",0.1,-5,,1e+300");
}
