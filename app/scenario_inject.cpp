// inject: crafted segments sent from one end of a connection at a time
// (docs/scenario-format.md#injected-segments); the segment is written as a packetdrill packet
// line (docs/drill.md) and read by the drill parser.
#include <algorithm>

#include "app/drill_parser.hpp"
#include "app/scenario_sections.hpp"
#include "sim/time.hpp"

namespace synlab::app {
namespace {

// The segment text as the inbound packet of a one-line drill script: "0 < " + text.
constexpr std::string_view line_prefix = "0 < ";

drill::PacketSpec read_segment(const Reader& r, const YAML::Node& n, const std::string& path) {
  const std::string text = r.scalar(n, path, "a segment such as \"R 1001:1001(0)\"");
  if (text.find_first_of("\n\r") != std::string::npos) r.fail(n, path, "a segment is one line");
  drill::Script script;
  try {
    script = drill::parse_script(std::string(line_prefix) + text + "\n", r.file());
  } catch (const drill::ScriptError& e) {
    // The drill parser's message without its own place: the place is the key's.
    std::string message = e.what();
    for (const std::string_view mark : {": error: ", ": refused: "})
      if (const std::size_t at = message.find(mark); at != std::string::npos) {
        message = message.substr(at + mark.size());
        break;
      }
    const std::size_t column =
        e.at().column > line_prefix.size() ? e.at().column - line_prefix.size() : 1;
    r.fail(n, path,
           "in \"" + text + "\" at character " + std::to_string(column) + ": " + message +
               " (a segment is written as in packetdrill: flags seq:end(length) [ack N] [win N] "
               "[<options>])");
  }
  if (script.events.size() != 1 ||
      !std::holds_alternative<drill::PacketSpec>(script.events.front().what))
    r.fail(n, path, "expected one segment such as \"R 1001:1001(0)\", found " + quoted(text));
  const drill::PacketSpec p = std::get<drill::PacketSpec>(script.events.front().what);
  // As for a drill script's inbound segment (docs/drill.md): every field is written out.
  if (!p.window && !p.flags.has(tcp::Flag::Rst))
    r.fail(n, path, "a segment other than a RST needs `win N`, such as \"S 1:1(0) win 65535\"");
  if (p.options_spec == drill::OptionsSpec::Any)
    r.fail(n, path, "options are written out (<mss 1460, nop, wscale 7>), not <...>");
  return p;
}

}  // namespace

void read_injects(const Reader& r, const YAML::Node& n, Scenario& s) {
  if (!n.IsSequence())
    r.expected(n, "inject", "a list of {at: ..., conn: ..., from: ..., segment: ...}");
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node& item = n[i];
    const std::string path = "inject." + std::to_string(i);
    InjectSpec x;
    if (item.IsMap() && item["src"].IsDefined()) {  // between two sockets, numbers absolute
      r.mapping(item, path, "inject.*", "src", "{at: ..., src: ..., dst: ..., segment: ...}");
      x.src = read_endpoint(r, item["src"], path + ".src",
                            r.scalar(item["src"], path + ".src", "node:port"), s.nodes);
      x.dst = read_endpoint(r, item["dst"], path + ".dst",
                            r.scalar(item["dst"], path + ".dst", "node:port"), s.nodes);
      if (x.dst.node == x.src.node)
        r.fail(item["dst"], path + ".dst",
               "a node cannot send to itself (there is no loopback): give another node than '" +
                   x.src.node + "'");
    } else {
      r.mapping(item, path, "inject.*", "conn", "{at: ..., conn: ..., from: ..., segment: ...}");
      x.conn = r.count(item["conn"], path + ".conn", schema_key("inject.*.conn", "conn"));
      check_conn_opened(r, item["conn"], path + ".conn", x.conn, s);
      x.from_server =
          r.choice(item["from"], path + ".from", schema_key("inject.*.from", "conn")) == "server";
    }
    x.where = r.where(item, path);
    x.at = r.duration(item["at"], path + ".at", schema_key("inject.*.at"));
    x.segment = item["segment"].IsScalar() ? item["segment"].Scalar() : "";
    x.packet = read_segment(r, item["segment"], path + ".segment");
    s.injects.push_back(std::move(x));
  }
}

}  // namespace synlab::app
