// PcapCheck: a pcap file compared frame by frame with the packets.csv rows it should hold,
// through Wireshark's own dissectors (tshark, with IPv4 and TCP checksum validation on).
// For tests: the pcap export's and, later, the shipped scenarios' (issue 7).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "models/net/capture_select.hpp"
#include "viz/csv_table.hpp"

namespace synlab::test {

// Whether `tshark` runs from PATH.
bool tshark_available();

// tshark -n -r `pcap` -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE
// -o tcp.analyze_sequence_numbers:TRUE `args`: its standard output, one string per line. Throws
// std::runtime_error if tshark fails.
std::vector<std::string> tshark_lines(const std::filesystem::path& pcap, const std::string& args);

// packets.csv read as viz reads it (RFC 4180, cells by column name).
using viz::CsvTable;

// The rows of a packets.csv (net::PacketRecord::csv_header) that a capture holds, in order:
// its `event` is send (select.sent) or recv (select.received), at its link or node.
std::vector<std::size_t> selected_rows(const CsvTable& packets, const net::CaptureSelect& select);

// Every difference between what tshark reads in `pcap` and `rows` of `packets`, one readable
// line each; empty when they agree. Per frame: decoded as raw:ip:tcp, good IPv4 and TCP
// checksums, no expert item at error level (malformed); time to the ns; IPv4 addresses,
// length, ID (packet_id mod 2^16), TTL 64, DF; ports, raw seq and ack, flags, window, payload
// length; MSS, window scale, SACK-permitted, TSval, TSecr; option kinds in Linux's order.
std::vector<std::string> compare_capture(const std::filesystem::path& pcap, const CsvTable& packets,
                                         const std::vector<std::size_t>& rows);

// The frames (numbered from 1) tshark marks tcp.analysis.retransmission.
std::vector<std::uint32_t> retransmission_frames(const std::filesystem::path& pcap);

}  // namespace synlab::test
