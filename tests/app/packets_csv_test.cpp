// packets.csv's flags cell, written by the one CSV form (net::to_csv) and read back as synlab's
// readers read it (viz: plots, narrative, report): names joined by "+", so no cell needs quotes
// and every row splits at each comma (issue 14); files in the older form ("SYN, ACK") still read.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/net/packet_record.hpp"
#include "models/tcp/flags.hpp"
#include "sim/csv_row.hpp"
#include "viz/csv_table.hpp"
#include "viz/packet_event.hpp"

using synlab::net::PacketRecord;
using synlab::tcp::Flags;
using synlab::viz::CsvTable;
using synlab::viz::PacketEvent;

namespace {

std::vector<std::string> split_at_commas(const std::string& line) {
  std::vector<std::string> out(1);
  for (const char c : line) {
    if (c == ',')
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

// A SYN-sized record (RFC 9293 §3.1 header, 40 B of Linux's options: 60 B) with these flags.
PacketRecord record(std::uint8_t bits) {
  PacketRecord r;
  r.node = synlab::sim::NodeId{0};
  r.link = synlab::sim::LinkId{0};
  r.packet_id = 1;
  r.size_bytes = 60;
  r.src = synlab::sim::Ipv4Address::from_octets(10, 0, 0, 1);
  r.dst = synlab::sim::Ipv4Address::from_octets(10, 0, 0, 2);
  r.src_port = 40000;
  r.dst_port = 80;
  r.flags = Flags::from_bits(bits);
  return r;
}

// The cell written out by hand: the names of the bits set, lowest first, joined by "+"; bit b
// is 1 << b in the header (RFC 9293 §3.1: FIN 0x01 ... URG 0x20; RFC 3168 §6.1: ECE, CWR).
std::string expected_cell(std::uint8_t bits) {
  const char* const names[8] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
  std::string out;
  for (unsigned b = 0; b < 8; ++b) {
    if ((bits & (1u << b)) == 0) continue;
    if (!out.empty()) out += '+';
    out += names[b];
  }
  return out.empty() ? "<none>" : out;
}

std::string csv_line(const PacketRecord& r) {
  std::string line;
  synlab::net::to_csv(r, line);
  return line;
}

}  // namespace

TEST_CASE("every one of the 256 flag sets: a cell without comma or quote, read back to its bits") {
  const std::vector<std::string> header = split_at_commas(PacketRecord::csv_header);
  const auto flags_column =
      static_cast<std::size_t>(std::find(header.begin(), header.end(), "flags") - header.begin());
  REQUIRE(flags_column == 13);  // docs/running.md: the 14th column, after conn
  for (unsigned n = 0; n < 256; ++n) {
    const auto bits = static_cast<std::uint8_t>(n);
    CAPTURE(n);
    const std::string line = csv_line(record(bits));
    CHECK(line.find('"') == std::string::npos);
    // No comma inside a cell: the row splits into exactly the header's columns.
    const std::vector<std::string> cells = split_at_commas(line);
    REQUIRE(cells.size() == header.size());
    const std::string& cell = cells[flags_column];
    CHECK(cell == expected_cell(bits));  // e.g. 0x12: "SYN+ACK"; 0x19: "FIN+PSH+ACK"
    CHECK(synlab::viz::parse_flags(cell) == std::optional<std::uint8_t>(bits));
    // Through the whole reader: the same bits, and Wireshark's names for the plots' labels.
    const CsvTable table =
        CsvTable::parse(std::string(PacketRecord::csv_header) + "\n" + line + "\n", "p.csv");
    const std::vector<PacketEvent> events = synlab::viz::read_packet_events(table, 0);
    REQUIRE(events.size() == 1);
    CHECK(events[0].flag_bits == bits);
    CHECK(events[0].flags == Flags::from_bits(bits).to_string());
  }
}

TEST_CASE("older files' flags cell (Wireshark's names, quoted) reads to the same bits") {
  for (unsigned n = 0; n < 256; ++n) {
    const auto bits = static_cast<std::uint8_t>(n);
    CAPTURE(n);
    const Flags flags = Flags::from_bits(bits);
    // The row as synlab wrote it before issue 14: the flags cell "SYN, ACK", quoted.
    std::vector<std::string> cells = split_at_commas(csv_line(record(flags.bits())));
    cells[13] = synlab::sim::CsvRow::escape(flags.to_string());
    std::string line = cells[0];
    for (std::size_t i = 1; i < cells.size(); ++i) {
      line += ',';
      line += cells[i];
    }
    const CsvTable table =
        CsvTable::parse(std::string(PacketRecord::csv_header) + "\n" + line + "\n", "old.csv");
    CHECK(synlab::viz::parse_flags(table.cell(0, "flags")) == std::optional<std::uint8_t>(bits));
    const std::vector<PacketEvent> events = synlab::viz::read_packet_events(table, 0);
    REQUIRE(events.size() == 1);
    CHECK(events[0].flag_bits == bits);
    CHECK(events[0].flags == flags.to_string());
  }
}
