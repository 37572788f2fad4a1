// The scenario loader's limits (app/scenario.hpp, Limits; docs/scenario-format.md#limits):
// every time a scenario writes is at most 100 years, refused beyond with file:line:column; a
// file is at most 1,000,000 bytes; a sweep's runs and connections are counted before it is
// expanded; and the docs' limits are the code's.
#include <doctest/doctest.h>

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/scenario_loader.hpp"
#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using synlab::app::Limits;
using synlab::app::load_scenario;
using synlab::app::parse_scenario_text;
using synlab::app::ScenarioError;
using synlab::app::sweep_points;

namespace {

// The error message for `text`, or "" if it loads.
std::string error_of(const std::string& text) {
  try {
    (void)load_scenario(parse_scenario_text(text, "t.yaml"));
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

// A scenario with every kind of time in it, each `T` replaced by `time`.
std::string every_time(const std::string& time, const std::string& where) {
  const auto t = [&](const std::string& key) {
    return key == where ? time : key == "until" ? std::string("2s") : std::string("1s");
  };
  return "nodes: [client, server]\n"  // 1
         "stop: " +
         t("stop") +
         "\n"                               // 2
         "links:\n"                         // 3
         "  wan:\n"                         // 4
         "    between: [client, server]\n"  // 5
         "    delay: " +
         t("delay") +
         "\n"  // 6
         "    jitter: " +
         t("jitter") +
         "\n"  // 7
         "    outages: [{from: " +
         t("from") + ", until: " + t("until") +
         "}]\n"    // 8
         "tcp:\n"  // 9
         "  initial_rto: " +
         t("initial_rto") +
         "\n"  // 10
         "  max_rto: " +
         t("max_rto") +
         "\n"  // 11
         "  msl: " +
         t("msl") +
         "\n"                         // 12
         "apps:\n"                    // 13
         "  - {listen: server:80}\n"  // 14
         "  - {connect: client -> server:80, start: " +
         t("start") +  // 15
         ", interval: " + t("interval") + "}\n";
}

}  // namespace

TEST_CASE("every time is at most 100 years (876000h) - one nanosecond more is refused") {
  // 100 years of 365 days = 100 x 365 x 24 h = 876,000 h.
  CHECK(Limits::time == std::chrono::hours{100 * 365 * 24});
  struct Case {
    std::string key;
    std::string path;
    std::string line_column;
  };
  const std::vector<Case> cases{
      {"stop", "stop", "t.yaml:2:7: "},
      {"delay", "links.wan.delay", "t.yaml:6:12: "},
      {"jitter", "links.wan.jitter", "t.yaml:7:13: "},
      {"from", "links.wan.outages.0.from", "t.yaml:8:22: "},
      {"initial_rto", "tcp.initial_rto", "t.yaml:10:16: "},
      {"msl", "tcp.msl", "t.yaml:12:8: "},
      {"start", "apps.1.start", "t.yaml:15:43: "},
  };
  for (const Case& c : cases) {
    CAPTURE(c.key);
    // 876000h is accepted (but initial_rto and from that far need max_rto and until as far).
    if (c.key != "initial_rto" && c.key != "from")
      CHECK(error_of(every_time("876000h", c.key)) == "");
    // 876,000 h = 3,153,600,000 s; one nanosecond more.
    const std::string message = error_of(every_time("3153600000.000000001s", c.key));
    CHECK(message.rfind(c.line_column, 0) == 0);
    CHECK(message.find(c.path + ": '3153600000.000000001s' is more than the limit of 876000h "
                                "(100 years) for any time") != std::string::npos);
  }
  // The cases: 2,000,000 h and 9,223,372,036 s parse (they fit in 64-bit ns) but are
  // refused before anything adds them.
  CHECK(
      error_of(every_time("2000000h", "delay")).find("links.wan.delay: '2000000h' is more than") !=
      std::string::npos);
  CHECK(error_of(every_time("9223372036s", "msl")).find("tcp.msl: '9223372036s' is more than") !=
        std::string::npos);
  CHECK(error_of(every_time("876001h", "interval")).find("apps.1.interval: '876001h'") !=
        std::string::npos);
  CHECK(error_of(every_time("876001h", "until")).find("links.wan.outages.0.until: '876001h'") !=
        std::string::npos);
  CHECK(error_of(every_time("876001h", "max_rto")).find("tcp.max_rto: '876001h'") !=
        std::string::npos);
}

TEST_CASE(
    "a connect line's last connection opens within 100 years: start + (count - 1) x interval") {
  const auto line = [](const std::string& count, const std::string& start,
                       const std::string& interval) {
    return "nodes: [client, server]\n"
           "links:\n"
           "  wan: {between: [client, server], delay: 40ms}\n"
           "apps:\n"
           "  - {listen: server:80}\n"
           "  - {connect: client -> server:80, count: " +
           count + ", start: " + start + ", interval: " + interval + "}\n";
  };
  // 2 x 438,000 h = 876,000 h: the last opens at the limit itself.
  CHECK(error_of(line("3", "0s", "438000h")) == "");
  // One nanosecond later.
  CHECK(error_of(line("3", "0.000000001s", "438000h")) ==
        "t.yaml:6:77: apps.1.interval: the last of 3 connections would open later than the limit "
        "of 876000h (100 years) for any time: start 1ns + 2 x 438000h");
  // The limits' largest count at one a second: 115 days.
  CHECK(error_of(line("10000000", "0s", "1s")) == "");
  // At one per 87.6 h (315,360 s): 9,999,999 x 315,360 s, about 100,000 years.
  CHECK(error_of(line("10000000", "0s", "315360s")).find("apps.1.interval: the last of 10000000") !=
        std::string::npos);
  // One connection opens at its start, whatever the interval.
  CHECK(error_of(line("1", "876000h", "876000h")) == "");
}

namespace {

const std::string two_nodes =
    "nodes: [client, server]\n"
    "links:\n"
    "  wan: {between: [client, server], delay: 40ms}\n"
    "apps:\n"
    "  - {listen: server:80}\n"
    "  - {connect: client -> server:80}\n";

// sweep_points' message for `text`, or "".
std::string sweep_error(const std::string& text) {
  try {
    (void)sweep_points(load_scenario(parse_scenario_text(text, "t.yaml")));
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

// read_scenario_file's message for `path`, or "".
std::string file_error(const std::string& path) {
  try {
    (void)synlab::app::read_scenario_file(path);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a scenario file is at most 1,000,000 bytes - more, or endless input, is refused") {
  synlab::test::TempDir dir("limits");
  const std::string at_limit = (dir.path / "at-limit.yaml").string();
  const std::string over = (dir.path / "over.yaml").string();
  // The same scenario padded with a comment to exactly 1,000,000 bytes, then one byte more.
  std::string text = two_nodes + "# ";
  text += std::string(1'000'000 - text.size() - 1, 'x') + "\n";
  REQUIRE(text.size() == 1'000'000);
  std::ofstream(at_limit, std::ios::binary) << text;
  std::ofstream(over, std::ios::binary) << text << "\n";
  CHECK(file_error(at_limit) == "");
  CHECK(file_error(over) ==
        over + ": is larger than the limit of 1000000 bytes for a scenario file");
  // /dev/zero never ends and has no size: at most one byte past the limit is read.
  CHECK(file_error("/dev/zero") ==
        "/dev/zero: is larger than the limit of 1000000 bytes for a scenario file");
}

TEST_CASE("sweep size is counted from the lists' lengths, without overflow, before expanding") {
  // 64 axes of 2 values: 2^64 points, which a 64-bit product would wrap to 0.
  std::string text = two_nodes + "sweep:\n";
  for (int i = 0; i < 64; ++i) text += "  drops." + std::to_string(i) + ".nth: [1, 2]\n";
  CHECK(sweep_error(text).find(
            "sweep: more than 1000000 points x repeat 1 runs is more than the limit of 1000000") !=
        std::string::npos);
  // 1000 points x repeat 1000 = 10^6 runs = the limit, accepted; repeat 1001, refused; and
  // 1000 x 1001 points, refused.
  std::string axis = "[0";
  for (int i = 1; i < 1000; ++i) axis += ", 0";
  axis += "]";
  const std::string grid = two_nodes + "sweep:\n  links.wan.loss: " + axis + "\n";
  CHECK(
      sweep_points(load_scenario(parse_scenario_text(grid + "repeat: 1000\n", "t.yaml"))).size() ==
      1000);
  CHECK(sweep_error(grid + "repeat: 1001\n")
            .find("sweep: 1000 points x repeat 1001 runs is more than the limit of 1000000") !=
        std::string::npos);
  CHECK(sweep_error(grid + "  tcp.mss: [100, " + axis.substr(1) + "\n")
            .find("sweep: more than 1000000 points x repeat 1") != std::string::npos);
}

TEST_CASE("a sweep over apps.N.count counts toward the connections in all, at its values") {
  // 6 points of 10^7 connections = 6 x 10^7 > 5 x 10^7: refused before anything is expanded
  // (the base's count, 1, would have let it through: 6 x 1).
  const std::string big =
      "sweep:\n  apps.1.count: [10000000, 10000000, 10000000, 10000000, "
      "10000000, 10000000]\n";
  // The error points at the sweep (its value, line 8), the key that multiplies here.
  CHECK(sweep_error(two_nodes + big) ==
        "t.yaml:8:3: 6 sweep points x repeat 1 open 60000000 connections in all, more than the "
        "limit of 50000000");
  // Crossed with another axis of 2 values: each count value is in 2 points; 5 x 10^6 x 2 x 5
  // = 5 x 10^7, exactly the limit.
  const std::string crossed =
      "sweep:\n  apps.1.count: [5000000, 5000000, 5000000, 5000000, "
      "5000000]\n  links.wan.loss: [0, 0.1]\n";
  CHECK(sweep_error(two_nodes + crossed) == "");
  CHECK(sweep_error(two_nodes + crossed + "repeat: 2\n").find("open 100000000 connections") !=
        std::string::npos);
  // In a zip group too (written apps.01.count: the same app).
  CHECK(sweep_error(two_nodes + "sweep:\n  zip:\n    apps.01.count: [30000000, 30000000]\n"
                                "    links.wan.loss: [0, 0.1]\n")
            .find("open 60000000 connections") != std::string::npos);
}

TEST_CASE("a sweep replacing whole apps is counted as its points load") {
  // Each point's apps list opens 3 x 10^7 connections (3 lines of 10^7): the second point
  // passes 5 x 10^7.
  std::string apps = "[{listen: server:80}";
  for (int i = 0; i < 3; ++i) apps += ", {connect: client -> server:80, count: 10000000}";
  apps += "]";
  const std::string text = two_nodes + "sweep:\n  apps: [" + apps + ", " + apps + "]\n";
  const synlab::app::ScenarioDocument doc = parse_scenario_text(text, "t.yaml");
  const synlab::app::Scenario base = load_scenario(doc);
  const auto points = sweep_points(base);  // apps is not apps.N.count: counted at load
  std::size_t loaded = 0;
  CHECK_THROWS_WITH_AS(
      synlab::app::load_points(doc, {}, base, points, [&](synlab::app::Scenario&&) { ++loaded; }),
      "t.yaml: the sweep's points open more than the limit of 50000000 connections in all "
      "(counted over repeat 1)",
      ScenarioError);
  CHECK(loaded == 1);
}

TEST_CASE("every limit docs/scenario-format.md and docs/running.md state is the code's") {
  const auto read = [](const std::string& name) {
    std::ifstream in(std::string(SYNLAB_SOURCE_DIR) + "/docs/" + name);
    REQUIRE(in);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  // The table under "## Limits": "| what | 10,000 |" rows, numbers without their commas.
  const std::string format = read("scenario-format.md");
  std::map<std::string, std::uint64_t> documented;
  std::istringstream rows(format.substr(format.find("## Limits")));
  for (std::string line; std::getline(rows, line);) {
    if (line.rfind("| ", 0) != 0 || line.rfind("| what", 0) == 0) continue;
    const std::size_t bar = line.find(" | ");
    std::string digits;
    for (std::size_t i = bar + 3; i < line.size() && (std::isdigit(line[i]) || line[i] == ','); ++i)
      if (line[i] != ',') digits += line[i];
    documented[line.substr(2, bar - 2)] = std::stoull(digits);
  }
  const std::map<std::string, std::uint64_t> code{
      {"nodes", Limits::nodes},
      {"connections per `connect` line", Limits::connections},
      {"`repeat`", Limits::repeat},
      {"sweep points × `repeat`", Limits::sweep_runs},
      {"sweep points × `repeat` × connections per run", Limits::total_connections},
      {"queue", Limits::queue_packets},
      {"any time (delay, timeout, `start`, outage, `stop`)",
       static_cast<std::uint64_t>(
           std::chrono::duration_cast<std::chrono::hours>(Limits::time).count())},
      {"scenario file", Limits::file_bytes},
      {"a name (scenario, node, link)", Limits::name_chars},
  };
  CHECK(documented == code);
  // The prose states some of them again; each must be the code's.
  CHECK(format.find("(default 1, at most 10,000,000)") != std::string::npos);
  CHECK(Limits::connections == 10'000'000);
  CHECK(format.find("larger than 1,000,000 bytes") != std::string::npos);
  CHECK(format.find("at most 100 years (`876000h`)") != std::string::npos);
  // docs/running.md: the limits section and the exit codes.
  const std::string running = read("running.md");
  CHECK(running.find("**0** success; **1** an expectation failed; **2** bad input") !=
        std::string::npos);
  CHECK(synlab::app::exit_ok == 0);
  CHECK(synlab::app::exit_expectation_failed == 1);
  CHECK(synlab::app::exit_bad_input == 2);
  CHECK(running.find("**3** an output could not be written") != std::string::npos);
  CHECK(synlab::app::exit_output_failed == 3);
  CHECK(synlab::app::exit_failure == 3);
  CHECK(running.find("a scenario file of at most 1,000,000 bytes") != std::string::npos);
}
