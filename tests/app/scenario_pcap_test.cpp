// The shipped scenarios' pcap files, read by the real tshark (issue 7): every frame decodes
// with good IPv4 and TCP checksums and nothing malformed, and its time, addresses, ports,
// flags, seq, ack, window, lengths and options equal its row of packets.csv. In "first SYN
// lost", tshark's tcp.analysis.retransmission marks exactly the retransmitted SYN.
#define DOCTEST_CONFIG_IMPLEMENT  // main() below skips without tshark
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/scenario_loader.hpp"
#include "tests/support/pcap_check.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using synlab::test::CsvTable;

namespace {

const fs::path scenarios = SYNLAB_SOURCE_DIR "/scenarios";

// Runs `scenario` with pcap output into `out` (which must not exist yet).
void run_with_pcap(const fs::path& scenario, const fs::path& out) {
  synlab::app::RunOptions o;
  o.scenario = scenario.string();
  o.outdir = out.string();
  o.sets = {"outputs.pcap=true", "outputs.packets=true"};
  o.quiet = true;
  std::ostringstream sink;
  REQUIRE(synlab::app::run_command(o, sink, sink) == 0);
}

// The packets.csv rows a capture file holds: a link's `send` rows, or a node's `send` and
// `recv` rows (docs/pcap.md).
std::vector<std::size_t> rows_for(const CsvTable& packets, const std::string& file) {
  const bool link = file.rfind("link-", 0) == 0;
  const std::string name = file.substr(5, file.size() - 5 - 5);  // "link-" ... ".pcap"
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < packets.rows(); ++r) {
    const std::string_view event = packets.cell(r, "event");
    if (link ? (event == "send" && packets.cell(r, "link") == name)
             : ((event == "send" || event == "recv") && packets.cell(r, "node") == name))
      rows.push_back(r);
  }
  return rows;
}

}  // namespace

TEST_CASE("every single-run shipped scenario's captures match packets.csv, as tshark reads them") {
  int checked = 0;
  // scenarios/*.yaml and the labs' scenarios/labs/*.yaml.
  for (const auto& entry : fs::recursive_directory_iterator(scenarios)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".yaml") continue;
    const std::string name = entry.path().stem().string();
    const auto doc = synlab::app::read_scenario_file(entry.path().string());
    const auto scenario = synlab::app::load_scenario(doc);
    if (!scenario.sweep.grid.empty() || !scenario.sweep.zip.empty() || scenario.repeat > 1)
      continue;
    CAPTURE(name);
    const synlab::test::TempDir dir("scenario-pcap");
    const fs::path out = dir.path / name;
    run_with_pcap(entry.path(), out);
    const CsvTable packets = CsvTable::read(out / "packets.csv");
    int files = 0;
    for (const auto& f : fs::directory_iterator(out)) {
      if (f.path().extension() != ".pcap") continue;
      const std::string file = f.path().filename().string();
      CAPTURE(file);
      const auto rows = rows_for(packets, file);
      CHECK(!rows.empty());
      const auto problems = synlab::test::compare_capture(f.path(), packets, rows);
      for (const std::string& p : problems) FAIL_CHECK(p);
      ++files;
    }
    std::set<std::string> hosts;  // the nodes that run an app (docs/pcap.md)
    for (const auto& l : scenario.listens) hosts.insert(l.at.node);
    for (const auto& c : scenario.connects) hosts.insert({c.from, c.to.node});
    CHECK(files == static_cast<int>(scenario.links.size() + hosts.size()));  // each link and host
    ++checked;
  }
  // The 9 shipped scenarios but the timing sweep, and the 22 labs' scenarios but those of labs
  // 4 and 9 (2 replications each).
  CHECK(checked == 8 + 18);
}

TEST_CASE("first SYN lost: tshark marks exactly the retransmitted SYN") {
  const synlab::test::TempDir dir("scenario-pcap");
  const fs::path out = dir.path / "first-syn-lost";
  run_with_pcap(scenarios / "first-syn-lost.yaml", out);
  // Frame 1 is the SYN the link loses (captured as sent), frame 2 its retransmission at 1 s.
  CHECK(synlab::test::retransmission_frames(out / "link-wan.pcap") ==
        std::vector<std::uint32_t>{2});
  CHECK(synlab::test::retransmission_frames(out / "node-client.pcap") ==
        std::vector<std::uint32_t>{2});
  // The server saw only the second SYN: nothing is a retransmission from where it stands.
  CHECK(synlab::test::retransmission_frames(out / "node-server.pcap").empty());
}

int main(int argc, char** argv) {
  if (!synlab::test::tshark_available()) {
    std::puts("SKIPPED: tshark not found; scripts/setup.sh installs it (Debian package tshark)");
    return 77;
  }
  doctest::Context context(argc, argv);
  return context.run();
}
