// PcapCheck (see pcap_check.hpp).
#include "tests/support/pcap_check.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "viz/packet_event.hpp"

namespace synlab::test {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(s);
  while (std::getline(in, field, sep)) out.push_back(field);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

// The fields asked of tshark, in this order; "," joins repeated values (tcp.option_kind).
const std::vector<std::string> fields{
    "frame.time_epoch",
    "frame.protocols",
    "ip.src",
    "ip.dst",
    "ip.id",
    "ip.ttl",
    "ip.flags.df",
    "ip.len",
    "ip.checksum.status",
    "tcp.srcport",
    "tcp.dstport",
    "tcp.seq_raw",
    "tcp.ack_raw",
    "tcp.flags",
    "tcp.window_size_value",
    "tcp.len",
    "tcp.hdr_len",
    "tcp.option_kind",
    "tcp.options.mss_val",
    "tcp.options.wscale.shift",
    "tcp.options.timestamp.tsval",
    "tcp.options.timestamp.tsecr",
    "tcp.checksum.status",
    "_ws.malformed",
    "_ws.expert.severity",
};

// Expert-info severities (Wireshark's epan/proto.h): chat 0x00200000, note 0x00400000,
// warn 0x00600000, error 0x00800000. Malformed packets and bad checksums are errors.
constexpr long expert_error = 0x00800000;

std::string hex4(unsigned long v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%04lx", v & 0xffffUL);
  return buf;
}

// packets.csv names the flags ("SYN+ACK"; "SYN, ACK" in older files), read as viz reads them;
// tshark's tcp.flags is hex. A cell viz cannot read is shown as it is, so it differs.
std::string flag_bits(const std::string& cell) {
  const std::optional<std::uint8_t> bits = viz::parse_flags(cell);
  return bits ? hex4(*bits) : "unreadable flags cell '" + cell + "'";
}

// The option kinds in Linux's order (docs/linux-reference.md, "Options, windows
// and IP header"): MSS (2); SACK_PERM TS (4,8), or NOP NOP TS (1,1,8), or NOP NOP SACK_PERM
// (1,1,4); NOP WS (1,3). Returns them joined by ",", and their bytes in `length`.
std::string linux_option_kinds(bool mss, bool sack, bool ts, bool ws, unsigned& length) {
  std::string out;
  length = 0;
  const auto add = [&](const char* kinds, unsigned bytes) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on `"," + string`.
    if (!out.empty()) out += ',';
    out += kinds;
    length += bytes;
  };
  if (mss) add("2", 4);
  if (ts && sack) add("4,8", 12);
  if (ts && !sack) add("1,1,8", 12);
  if (!ts && sack) add("1,1,4", 4);
  if (ws) add("1,3", 4);
  return out;
}

}  // namespace

bool tshark_available() {
  return std::system("tshark --version >/dev/null 2>&1") == 0;
}

std::vector<std::string> tshark_lines(const std::filesystem::path& pcap, const std::string& args) {
  // Checksum validation is off by default in Wireshark; -o turns it on for IPv4 and TCP.
  // Sequence analysis (tcp.analysis) is on by default; -o keeps it on whatever the user's
  // Wireshark preferences say.
  const std::string command = "tshark -n -r '" + pcap.string() +
                              "' -o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE"
                              " -o tcp.analyze_sequence_numbers:TRUE " +
                              args + " 2>/dev/null";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run: " + command);
  std::string output;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = ::pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("failed (status " + std::to_string(status) + "): " + command);
  std::vector<std::string> lines = split(output, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::vector<std::size_t> selected_rows(const CsvTable& packets, const net::CaptureSelect& select) {
  std::vector<std::size_t> out;
  const std::string id = std::to_string(select.id);
  for (std::size_t r = 0; r < packets.rows(); ++r) {
    const std::string_view event = packets.cell(r, "event");
    const bool point = (event == "send" && select.sent) || (event == "recv" && select.received);
    if (!point) continue;
    const char* column = select.scope == net::CaptureSelect::Scope::Link ? "link" : "node";
    if (packets.cell(r, column) == id) out.push_back(r);
  }
  return out;
}

std::vector<std::string> compare_capture(const std::filesystem::path& pcap, const CsvTable& packets,
                                         const std::vector<std::size_t>& rows) {
  std::string args = "-T fields -E separator=/t -E occurrence=a -E aggregator=,";
  for (const std::string& f : fields) args += " -e " + f;
  const std::vector<std::string> lines = tshark_lines(pcap, args);
  std::vector<std::string> problems;
  const std::string where = pcap.filename().string() + " ";
  if (lines.size() != rows.size())
    problems.push_back(where + "has " + std::to_string(lines.size()) + " frames, packets.csv " +
                       std::to_string(rows.size()) + " rows for it");
  for (std::size_t i = 0; i < lines.size() && i < rows.size(); ++i) {
    const std::size_t r = rows[i];
    const std::string frame = where + "frame " + std::to_string(i + 1) + " (packets.csv row " +
                              std::to_string(r + 1) + "): ";
    std::vector<std::string> got = split(lines[i], '\t');
    if (got.size() != fields.size()) {
      problems.push_back(frame + "tshark gave " + std::to_string(got.size()) + " fields");
      continue;
    }
    // Whatever tshark makes of the zero payload ("raw:ip:tcp:data", an application protocol
    // guessed from the port) is fine as long as IPv4 and TCP are decoded first.
    if (got[1].starts_with("raw:ip:tcp:")) got[1] = "raw:ip:tcp";
    const auto csv = [&](std::string_view column) { return std::string(packets.cell(r, column)); };
    unsigned option_bytes = 0;
    const std::string kinds =
        linux_option_kinds(!csv("mss").empty(), csv("sack_permitted") == "1", !csv("tsval").empty(),
                           !csv("wscale").empty(), option_bytes);
    const std::vector<std::string> want{
        csv("time"),
        "raw:ip:tcp",
        csv("src"),
        csv("dst"),
        hex4(std::stoul(csv("packet_id"))),  // IP ID (models/net/wire_codec.hpp)
        "64",                                // TTL (docs/linux-reference.md)
        "1",                                 // DF (docs/linux-reference.md)
        csv("size_bytes"),
        "1",  // ip.checksum.status: Good
        csv("src_port"),
        csv("dst_port"),
        csv("seq"),
        csv("ack"),
        flag_bits(csv("flags")),
        csv("window"),
        csv("payload_bytes"),
        std::to_string(20 + option_bytes),
        kinds,
        csv("mss"),
        csv("wscale"),
        csv("tsval"),
        csv("tsecr"),
        "1",  // tcp.checksum.status: Good
        "",   // _ws.malformed: absent
    };
    for (std::size_t k = 0; k < want.size(); ++k)
      if (got[k] != want[k])
        problems.push_back(frame + fields[k] + " is \"" + got[k] + "\", expected \"" + want[k] +
                           "\"");
    for (const std::string& severity : split(got.back(), ','))
      if (!severity.empty() && std::stol(severity) >= expert_error)
        problems.push_back(frame + "an expert item at error level (malformed or bad checksum)");
  }
  return problems;
}

std::vector<std::uint32_t> retransmission_frames(const std::filesystem::path& pcap) {
  std::vector<std::uint32_t> out;
  for (const std::string& line :
       tshark_lines(pcap, "-Y tcp.analysis.retransmission -T fields -e frame.number"))
    out.push_back(static_cast<std::uint32_t>(std::stoul(line)));
  return out;
}

}  // namespace synlab::test
