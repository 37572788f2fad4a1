// Trace envelope: sinks receive records in order; with no sink no record is built; CSV rows.
#include "sim/trace.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

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
void to_csv(const Sample& s, std::string& line) {
  CsvRow(line).add(s.time).add(s.node).add(s.what);
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

TEST_CASE("a trace limited to some kinds builds and passes on only those, none without a sink") {
  enum class Kind : std::uint8_t { Open, Data, Close, Last = 63 };
  MemorySink<Sample> sink;
  const Trace<Sample> trace(
      {&sink}, synlab::sim::trace_kind(Kind::Open) | synlab::sim::trace_kind(Kind::Last));
  CHECK(trace.enabled(Kind::Open));
  CHECK_FALSE(trace.enabled(Kind::Data));
  CHECK(trace.enabled(Kind::Last));  // the 64th kind, the mask's top bit
  int built = 0;
  const auto write = [&](Kind kind, const char* what) {
    trace.write_with(kind, [&] {
      ++built;
      return Sample{at(1s), 1, what};
    });
  };
  write(Kind::Open, "open");
  write(Kind::Data, "data");
  write(Kind::Close, "close");
  write(Kind::Last, "last");
  CHECK(built == 2);
  REQUIRE(sink.records.size() == 2);
  CHECK(std::string(sink.records[0].what) == "open");
  CHECK(std::string(sink.records[1].what) == "last");
  // Without kinds given, every kind; without a sink, none, whatever the kinds.
  MemorySink<Sample> all;
  const Trace<Sample> every({&all});
  CHECK(every.enabled(Kind::Data));
  const Trace<Sample> none(std::vector<synlab::sim::TraceSink<Sample>*>{},
                           synlab::sim::all_trace_kinds);
  CHECK_FALSE(none.enabled(Kind::Open));
  const Trace<Sample> unset;
  built = 0;
  unset.write_with(Kind::Open, [&] {
    ++built;
    return Sample{};
  });
  none.write_with(Kind::Last, [&] {
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

// --- csv cell writers (csv_row.hpp) -------------------------------------------------------------

namespace {

// The cell `write(p)` writes, as a string.
template <class Write>
std::string cell(std::size_t most, Write&& write) {
  std::string out;
  synlab::sim::csv::append_row(out, most, write);
  return out;
}

}  // namespace

TEST_CASE("csv::copy_short copies exactly n bytes, and only those, for every n up to 100") {
  // Every branch (0, 1 to 3, 4 to 7, 8 to 15, 16 to 64 in overlapping blocks, above 64 memcpy),
  // at each of 8 source alignments: the copy equals the source, and the guard bytes on either
  // side of the destination are untouched. The source bytes end their own allocation, so a read
  // past them is a heap overflow that the sanitizer build reports.
  for (std::size_t offset = 0; offset < 8; ++offset) {
    for (std::size_t n = 0; n <= 100; ++n) {
      CAPTURE(offset);
      CAPTURE(n);
      std::vector<char> source(offset + n);
      for (std::size_t i = 0; i < source.size(); ++i) source[i] = static_cast<char>('!' + i % 90);
      std::string to(n + 32, '#');
      synlab::sim::csv::copy_short(to.data() + 16, source.data() + offset, n);
      CHECK(to.substr(0, 16) == std::string(16, '#'));
      CHECK(to.substr(16, n) == std::string(source.data() + offset, n));
      CHECK(to.substr(16 + n) == std::string(16, '#'));
    }
  }
}

TEST_CASE("csv::put: integers at their extremes, exactly, in at most max_integer_chars") {
  namespace csv = synlab::sim::csv;
  constexpr std::size_t most = csv::max_integer_chars;
  // 2^64 - 1 = 18446744073709551615 (20 digits); -2^63 = -9223372036854775808 (a sign, 19).
  CHECK(cell(most, [](char* p) { return csv::put(p, std::uint64_t{18446744073709551615u}); }) ==
        "18446744073709551615");
  CHECK(cell(most, [](char* p) { return csv::put(p, std::int64_t{-9223372036854775807} - 1); }) ==
        "-9223372036854775808");
  CHECK(cell(most, [](char* p) { return csv::put(p, std::int64_t{-1}); }) == "-1");
  CHECK(cell(most, [](char* p) { return csv::put(p, std::uint32_t{0}); }) == "0");
  CHECK(cell(most, [](char* p) { return csv::put(p, std::uint16_t{65535}); }) == "65535");
  CHECK(cell(most, [](char* p) { return csv::put(p, std::uint8_t{255}); }) == "255");
}

TEST_CASE("csv::put: addresses as dotted quads, times as exact seconds") {
  namespace csv = synlab::sim::csv;
  using synlab::sim::Ipv4Address;
  const auto address = [](Ipv4Address a) {
    return cell(csv::max_address_chars, [&](char* p) { return csv::put(p, a); });
  };
  CHECK(address(Ipv4Address::from_octets(255, 255, 255, 255)) == "255.255.255.255");
  CHECK(address(Ipv4Address{}) == "0.0.0.0");
  CHECK(address(Ipv4Address::from_octets(10, 0, 100, 9)) == "10.0.100.9");
  const auto seconds = [](synlab::sim::Duration d) {
    return cell(synlab::sim::max_seconds_chars, [&](char* p) { return csv::put(p, d); });
  };
  CHECK(seconds(-3ns) == "-0.000000003");
  CHECK(seconds(0ns) == "0.000000000");
  // 2^63 - 1 ns = 9223372036 s + 854775807 ns.
  CHECK(seconds(synlab::sim::Duration::max()) == "9223372036.854775807");
  CHECK(seconds(-synlab::sim::Duration::max()) == "-9223372036.854775807");
  CHECK(cell(synlab::sim::max_seconds_chars,
             [](char* p) { return csv::put(p, at(1'011'251'000ns)); }) == "1.011251000");
}

TEST_CASE("csv::put_text quotes a cell with a comma, quote or line break (RFC 4180 §2.6-2.7)") {
  namespace csv = synlab::sim::csv;
  const auto text = [](std::string_view t) {
    return cell(csv::max_text_chars(t), [&](char* p) { return csv::put_text(p, t); });
  };
  CHECK(text("") == "");
  CHECK(text("client") == "client");
  CHECK(text("a,b") == "\"a,b\"");
  CHECK(text("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(text("two\nlines") == "\"two\nlines\"");
  CHECK(text("cr\r") == "\"cr\r\"");
  // The longest form: every character a quote, doubled, and two quotes around: 2 n + 2.
  CHECK(text("\"") == "\"\"\"\"");
  CHECK(csv::max_text_chars("\"") == 4);
  CHECK(CsvRow::escape("x,\"y\"") == "\"x,\"\"y\"\"\"");
  CHECK(CsvRow::escape("plain") == "plain");
}

TEST_CASE("csv::needs_quotes: each of the four characters, at every place, in text of 1 to 40") {
  namespace csv = synlab::sim::csv;
  // RFC 4180 §2.6: a comma, a quote, CR or LF. Their neighbours in the byte order, the bytes with
  // the high bit set (UTF-8) and a space must not count.
  for (std::size_t n = 1; n <= 40; ++n) {
    for (std::size_t at = 0; at < n; ++at) {
      for (const char c : {',', '"', '\r', '\n'}) {
        std::string t(n, 'a');
        t[at] = c;
        CHECK_MESSAGE(csv::needs_quotes(t), "n = " << n << ", at " << at);
      }
      for (const int c : {0x2b, 0x2d, 0x21, 0x23, 0x0b, 0x0c, 0x09, 0x00, 0x20, 0x7f, 0x80, 0xff}) {
        std::string t(n, 'a');
        t[at] = static_cast<char>(c);
        CHECK_MESSAGE(!csv::needs_quotes(t), "n = " << n << ", at " << at << ", byte " << c);
      }
    }
  }
}

TEST_CASE("csv::needs_quotes agrees with a test of each character, on every pair of bytes") {
  namespace csv = synlab::sim::csv;
  // Two bytes side by side, every one of the 65,536 pairs, in words of 4, 8 and 11 characters of
  // other bytes (a letter; bytes with the high bit set, which the word test masks out): the
  // word-at-a-time test and the plain loop must agree.
  std::size_t disagree = 0;
  for (const std::size_t n : {4, 8, 11}) {
    for (const int fill : {int{'z'}, 0x80, 0xff}) {
      for (int a = 0; a < 256; ++a) {
        for (int b = 0; b < 256; ++b) {
          std::string t(n, static_cast<char>(fill));
          t[n / 2 - 1] = static_cast<char>(a);
          t[n / 2] = static_cast<char>(b);
          if (csv::needs_quotes(t) != csv::needs_quotes_by_char(t)) ++disagree;
        }
      }
    }
  }
  CHECK(disagree == 0);
  static_assert(csv::needs_quotes("a,b") && !csv::needs_quotes("client"));  // constant-evaluated
}

TEST_CASE("csv::append_row: a row longer than the stack buffer, and after text already there") {
  namespace csv = synlab::sim::csv;
  // 1500 quotes: 3002 characters quoted, more than append_row's 1024 on the stack.
  const std::string quotes(1500, '"');
  std::string out = "before\n";
  csv::append_row(out, 1 + csv::max_text_chars(quotes),
                  [&](char* p) { return csv::put_text(csv::comma(p), quotes); });
  CHECK(out.size() == 7 + 1 + 3002);
  CHECK(out.starts_with("before\n,\"\"\"\""));
  CHECK(out.ends_with("\"\"\""));
  CHECK(std::count(out.begin(), out.end(), '"') == 3002);
  // CsvRow's cells, each within its row's bound, on either side of the stack buffer's size.
  std::string line;
  CsvRow(line).add(std::string(2000, 'x')).add(std::uint64_t{1}).add(quotes.substr(0, 2));
  CHECK(line == std::string(2000, 'x') + ",1,\"\"\"\"\"\"");
}

TEST_CASE("csv::put: every number of digits, at each power of ten and one below it") {
  namespace csv = synlab::sim::csv;
  // 10^k has k + 1 digits, 10^k - 1 has k (nines); std::to_string is the reference.
  std::uint64_t power = 1;
  for (int k = 0; k <= 19; ++k, power *= 10) {
    CAPTURE(k);
    for (const std::uint64_t v : {power - 1, power, power + 1}) {
      CHECK(cell(csv::max_integer_chars, [&](char* p) { return csv::put(p, v); }) ==
            std::to_string(v));
    }
    if (power <= std::uint64_t{9223372036854775807}) {
      const auto negative = -static_cast<std::int64_t>(power);
      CHECK(cell(csv::max_integer_chars, [&](char* p) { return csv::put(p, negative); }) ==
            std::to_string(negative));
    }
  }
}
