// Scenario loading: a good file read exactly; bad input reported as file:line:column, the
// key, what was expected and what was found; --set and sweep expansion.
#include "app/scenario_loader.hpp"

#include "app/run_outputs.hpp"
#include "app/run_pipeline.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/support/temp_dir.hpp"

using namespace std::chrono_literals;
using synlab::app::Direction;
using synlab::app::Expectation;
using synlab::app::JitterSpec;
using synlab::app::load_scenario;
using synlab::app::LossSpec;
using synlab::app::parse_scenario_text;
using synlab::app::parse_set_option;
using synlab::app::read_scenario_file;
using synlab::app::Scenario;
using synlab::app::ScenarioError;
using synlab::app::sweep_points;

namespace {

Scenario load(const std::string& text, const std::vector<std::string>& sets = {}) {
  std::vector<synlab::app::Override> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_set_option(s));
  return load_scenario(parse_scenario_text(text, "t.yaml"), overrides);
}

// The error message for `text`, or "" if it loads.
std::string error_of(const std::string& text, const std::vector<std::string>& sets = {}) {
  try {
    (void)load(text, sets);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

const std::string two_nodes =
    "nodes: [client, server]\n"
    "links:\n"
    "  wan: {between: [client, server], delay: 40ms}\n";

}  // namespace

TEST_CASE("a full scenario is read exactly") {
  const Scenario s = load(R"(name: lossy-handshake
seed: 7
stop: 300s
nodes: [client, router, server]
links:
  access: {between: [client, router], delay: 10ms, bandwidth: 100Mbps, queue: 100}
  wan:
    between: [router, server]
    delay: {forward: 40ms, reverse: 30ms}
    loss: {forward: 0.05, reverse: {model: gilbert-elliott, p: 0.01, r: 0.5}}
    jitter: {model: normal, mean: 2ms, stddev: 500us}
    queue: 64KiB
    outages: [{from: 10s, until: 12.5s}]
tcp: {profile: linux, syn_retries: 6, initial_rto: 1s}
apps:
  - {listen: server:80, backlog: 128}
  - {connect: client -> server:80, count: 1000, start: 0s, interval: 200s, request: 0, response: 1500B}
drops:
  - {link: wan, direction: forward, flags: SYN, nth: 1}
  - {link: wan, direction: reverse, flags: SYN+ACK, nth: [2, 3]}
repeat: 20
outputs: {packets: true, states: true, pcap: false, plots: [ladder, timing]}
expect:
  - {conn: 1, outcome: established, established_at: 1.1s, tolerance: 1ms}
  - {metric: mean_handshake_time, between: [0.1s, 0.6s]}
  - {packets: {link: wan, direction: forward, flags: SYN}, equals: 2}
)");
  CHECK(s.name == "lossy-handshake");
  CHECK(s.seed == 7);
  CHECK(s.stop == 300s);
  CHECK(s.nodes == std::vector<std::string>{"client", "router", "server"});
  REQUIRE(s.links.size() == 2);
  const auto& access = s.links[0];
  CHECK(access.forward.delay == 10ms);
  CHECK(access.reverse.delay == 10ms);
  CHECK(access.forward.rate_bps == 100'000'000);
  CHECK(access.forward.queue_packets == 100);
  const auto& wan = s.links[1];
  CHECK(wan.a == "router");
  CHECK(wan.b == "server");
  CHECK(wan.forward.delay == 40ms);
  CHECK(wan.reverse.delay == 30ms);
  CHECK(wan.forward.loss.kind == LossSpec::Kind::Bernoulli);
  CHECK(wan.forward.loss.p == 0.05);
  CHECK(wan.reverse.loss.kind == LossSpec::Kind::GilbertElliott);
  CHECK(wan.reverse.loss.p == 0.01);
  CHECK(wan.reverse.loss.r == 0.5);
  CHECK(wan.reverse.loss.loss_bad == 1.0);
  CHECK(wan.forward.jitter.kind == JitterSpec::Kind::Normal);
  CHECK(wan.forward.jitter.mean == 2ms);
  CHECK(wan.forward.jitter.stddev == 500us);
  CHECK(wan.forward.queue_bytes == 65536);
  REQUIRE(wan.forward.outages.size() == 1);
  CHECK(wan.forward.outages[0].until == 12500ms);
  CHECK(s.tcp.profile == "linux");
  CHECK(s.tcp.syn_retries == 6u);
  REQUIRE(s.listens.size() == 1);
  CHECK(s.listens[0].at.port == 80);
  REQUIRE(s.connects.size() == 1);
  CHECK(s.connects[0].from == "client");
  CHECK(s.connects[0].to.node == "server");
  CHECK(s.connects[0].count == 1000);
  CHECK(s.connects[0].interval == 200s);
  CHECK(s.connects[0].response_bytes == 1500);
  REQUIRE(s.drops.size() == 2);
  CHECK(s.drops[0].flags == std::uint8_t{0x02});  // SYN (RFC 9293 §3.1)
  CHECK(s.drops[1].flags == std::uint8_t{0x12});  // SYN+ACK
  CHECK(s.drops[1].nth == std::vector<std::uint64_t>{2, 3});
  CHECK(s.drops[1].direction == Direction::Reverse);
  CHECK(s.repeat == 20);
  CHECK(s.outputs.plots == std::vector<synlab::viz::PlotKind>{synlab::viz::PlotKind::Ladder,
                                                              synlab::viz::PlotKind::Timing});
  REQUIRE(s.expect.size() == 3);
  CHECK(s.expect[0].established_at == 1100ms);
  CHECK(s.expect[1].min == 0.1);
  CHECK(s.expect[2].kind == Expectation::Kind::PacketCount);
  CHECK(s.expect[2].equals == 2.0);
  CHECK(s.expect[2].where.to_string() == "t.yaml:26:5");  // the 26th line, 5th column
}

TEST_CASE("bad input names file:line:column, the key, what was expected and what was found") {
  struct Case {
    const char* name;
    std::string text;
    std::vector<std::string> sets;
    std::vector<std::string> says;  // each must appear in the message
  };
  const std::vector<Case> cases{
      {"misspelled key",
       "nodes: [client, server]\nlinks:\n  wan:\n    between: [client, server]\n    dealy: 10ms\n",
       {},
       {"t.yaml:5:5: ", "unknown key 'dealy' in links.wan — did you mean 'delay'?"}},
      {"misspelled direction of a value that is never a mapping",
       "nodes: [client, server]\nlinks:\n  wan: {between: [client, server], delay: {forwad: "
       "10ms}}\n",
       {},
       {"t.yaml:3:44: ",
        "unknown key 'forwad' in links.wan.delay — did you mean 'forward'? (accepted: forward, "
        "reverse)"}},
      {"misspelled direction of a value that may be a mapping",
       "nodes: [client, server]\nlinks:\n  wan: {between: [client, server], loss: {revrse: 0.1}}\n",
       {},
       {"unknown key 'revrse' in links.wan.loss — did you mean 'reverse'? (accepted: forward, "
        "reverse)"}},
      {"an empty mapping is called empty",
       "nodes: [client, server]\nlinks:\n  wan: {between: [client, server], delay: {}}\n",
       {},
       {"links.wan.delay: expected a duration such as 10ms, found an empty mapping"}},
      {"an empty list is called empty",
       "nodes: [client, server]\nlinks:\n  wan: {between: [client, server]}\nsweep: "
       "{links.wan.loss: []}\n",
       {},
       {"t.yaml:4:25: ",
        "sweep.links.wan.loss: expected a non-empty list of values, found an empty list"}},
      {"a tab in the indentation is named, where it is",
       "nodes: [client, server]\nlinks:\n  wan:\n    between: [client, server]\n  \tdelay: 1ms\n",
       {},
       {"t.yaml:5:3: ", "not valid YAML: a tab in the indentation (YAML allows only spaces"}},
      {"a plot listed twice",
       two_nodes + "outputs: {plots: [ladder, cdf, ladder]}\n",
       {},
       {"t.yaml:4:32: ", "outputs.plots: 'ladder' is listed twice"}},
      // Each node's capture is one file, node-NAME.pcap: a node listed twice was refused only
      // after the run, which then kept nothing.
      {"a pcap node listed twice",
       two_nodes + "outputs: {pcap: {nodes: [server, client, server]}}\n",
       {},
       {"t.yaml:4:42: ", "outputs.pcap.nodes: node 'server' is listed twice"}},
      {"misspelled top-level key",
       two_nodes + "repaet: 3\n",
       {},
       {"t.yaml:4:1: ", "unknown key 'repaet' — did you mean 'repeat'?"}},
      {"unknown node",
       "nodes: [client, server]\nlinks:\n  wan: {between: [client, sever]}\n",
       {},
       {"t.yaml:3:", "links.wan.between: unknown node 'sever' — did you mean 'server'?"}},
      {"probability above 1",
       two_nodes + "  lan: {between: [server, client], loss: 1.5}\n",
       {},
       {"t.yaml:4:", "links.lan.loss: expected a probability between 0 and 1, found '1.5'"}},
      {"negative delay",
       "nodes: [a, b]\nlinks:\n  l: {between: [a, b], delay: -5ms}\n",
       {},
       {"t.yaml:3:", "links.l.delay: expected a duration of 0 or more, found '-5ms'"}},
      {"bad time unit",
       "nodes: [a, b]\nlinks:\n  l: {between: [a, b], delay: 10 parsecs}\n",
       {},
       {"t.yaml:3:", "links.l.delay: bad duration '10 parsecs': unknown unit 'parsecs'",
        "ns, us, ms"}},
      {"number without unit",
       "nodes: [a, b]\nlinks:\n  l: {between: [a, b], delay: 10}\n",
       {},
       {"links.l.delay: bad duration '10': no unit"}},
      {"link to itself",
       "nodes: [a, b]\nlinks:\n  l: {between: [a, a]}\n",
       {},
       {"t.yaml:3:", "links.l.between: a link joins two different nodes, found 'a' twice"}},
      {"duplicate node",
       "nodes: [a, b, a]\nlinks:\n  l: {between: [a, b]}\n",
       {},
       {"t.yaml:1:", "nodes: node 'a' is named twice"}},
      {"duplicate link",
       "nodes: [a, b]\nlinks:\n  l: {between: [a, b]}\n  l: {between: [b, a]}\n",
       {},
       {"t.yaml:4:3: ", "links.l: written twice"}},
      {"empty file",
       "",
       {},
       {"t.yaml: empty scenario: expected a mapping with at least 'nodes' and 'links'"}},
      {"comments only", "# nothing here\n", {}, {"t.yaml: empty scenario"}},
      {"not YAML", "nodes: [a, b\nlinks: {}\n", {}, {"t.yaml:2:", "not valid YAML"}},
      // yaml-cpp's Load read the first document only: a second one, even broken, went unread.
      {"a name past 100 characters (names become parts of file names)",
       "nodes: [client, server]\nlinks:\n  " + std::string(101, 'l') +
           ": {between: [client, server]}\n",
       {},
       {"t.yaml:3:3: ", "expected a name of at most 100 characters", "not 101"}},
      // A value longer than 80 characters is shown by its first 60 and its length, not whole.
      {"a name of 70,000 characters: its start and its length in the message",
       "nodes: [" + std::string(70'000, 'n') + ", server]\nlinks:\n  wan: {between: [a, b]}\n",
       {},
       {"t.yaml:1:9: ", "not 70000, found '" + std::string(60, 'n') + "...' (70000 characters)"}},
      {"a value of the file a --set changed part of: both named",
       two_nodes,
       {"links.wan.between.0=server"},
       {"t.yaml:3:", "found 'server' twice (as changed by --set links.wan.between.0=server)"}},
      {"a merge key (YAML 1.1) is named as such, not as an unknown key",
       "nodes: [client, server]\nlinks:\n  base: &b {between: [client, server]}\n  wan:\n"
       "    <<: *b\n    delay: 20ms\n",
       {},
       {"t.yaml:5:5: ", "links.wan.<<: a merge key (`<<: *anchor`, YAML 1.1) is not supported"}},
      {"a merge key in an expectation",
       two_nodes + "apps:\n  - {connect: client -> server:80}\n" +
           "expect:\n  - &e {conn: 1, outcome: refused}\n  - <<: *e\n    outcome: timeout\n",
       {},
       {"t.yaml:8:5: ", "expect.1.<<: a merge key"}},
      {"a node renamed by --set: the reference the file still makes says so",
       two_nodes,
       {"nodes.0=x"},
       {"t.yaml:3:", "unknown node 'client'", "(nodes: x, server, as changed by --set nodes.0=x)"}},
      {"a block key without its ':': the parser's line, and the line before named",
       "nodes: [client, server]\nlinks:\n  wan:\n    between: [client, server]\n"
       "    delay 25ms\napps: []\n",
       {},
       {"not valid YAML", "(is a ':' missing on line 5, after 'delay'?)"}},
      {"a flow key without its ':'",
       "nodes: [client, server]\nlinks:\n  wan: {between: [client, server], delay 25ms}\n",
       {},
       {"t.yaml:3:", "unknown key 'delay 25ms' in links.wan: a ':' missing? write 'delay: 25ms'"}},
      {"a decimal comma in a flow mapping",
       "nodes: [client, server]\nlinks:\n  wan: {between: [client, server], loss: 0,2}\n",
       {},
       {"t.yaml:3:", "unknown key '2' in links.wan: a decimal comma?", "(0.2, not 0,2)"}},
      {"a number as a key outside a flow mapping: no comma to blame, the keys accepted",
       two_nodes + "1: x\n",
       {},
       {"t.yaml:4:1: ", "unknown key '1' (accepted: name, seed,"}},
      {"flags joined by a comma in a flow mapping",
       two_nodes + "expect:\n  - {packets: {link: wan, flags: SYN,ACK}, equals: 1}\n",
       {},
       {"unknown key 'ACK' in expect.0.packets: flags joined by ','?", "(SYN+ACK, not SYN,ACK)"}},
      {"a list without its brackets: the brackets named",
       two_nodes + "drops:\n  - link: wan\n    nth: 1,2,3\n",
       {},
       {"t.yaml:6:10: ", "drops.0.nth: expected a whole number from 1 to",
        "or a list of them, found '1,2,3': a list is written in brackets, [1,2,3]"}},
      {"a --set list without its brackets",
       two_nodes + "drops:\n  - {link: wan, nth: 1}\n",
       {"drops.0.nth=2,3"},
       {"--set drops.0.nth=2,3", "found '2,3': a list is written in brackets, [2,3]"}},
      {"a --set indexing a list the scenario does not have",
       two_nodes,
       {"drops.0.nth=[1, 2, 3]"},
       {"--set drops.0.nth=[1, 2, 3]: drops.0.nth: the scenario has no list at drops to index"}},
      // The profile's timeouts count where the file does not write them (linux: initial RTO
      // 1 s, cap 120 s; classic: 3 s and 120 s, models/tcp/profile.cpp): a max_rto below the
      // first timeout was accepted and cut the SYN schedule short.
      {"max_rto below the profile's initial RTO",
       two_nodes + "tcp: {max_rto: 500ms}\n",
       {},
       {"t.yaml:4:16: ", "tcp.max_rto: must be at least initial_rto (1s, profile linux's)"}},
      {"max_rto below another profile's initial RTO",
       two_nodes + "tcp: {profile: classic, max_rto: 2s}\n",
       {},
       {"tcp.max_rto: must be at least initial_rto (3s, profile classic's)"}},
      {"initial_rto above the profile's cap",
       two_nodes,
       {"tcp.initial_rto=200s"},
       {"--set tcp.initial_rto=200s", "must be at most max_rto (2min, profile linux's)"}},
      {"both written, max_rto below initial_rto",
       two_nodes + "tcp: {initial_rto: 1s, max_rto: 500ms}\n",
       {},
       {"tcp.max_rto: must be at least initial_rto (1s)"}},
      // yaml-cpp takes the rest of the file into a quoted value whose closing quote is missing,
      // with no error of its own.
      {"a quoted value that never ends, at the end",
       two_nodes + "name: \"p6\n",
       {},
       {"t.yaml:4:7: ",
        "not valid YAML: this quoted value never ends (its closing \" is missing)"}},
      {"a quoted value that never ends swallows the keys after it",
       "name: 'p6\n" + two_nodes,
       {},
       {"t.yaml:1:7: ", "not valid YAML: this quoted value never ends (its closing ' is missing)"}},
      {"a second document",
       two_nodes + "---\nx: 1\n",
       {},
       {"t.yaml:4:1: ", "a second YAML document (after `---`): a scenario is one document"}},
      {"a --set value of two documents",
       two_nodes,
       {"links.wan.delay=10ms\n---\nx: 1"},
       {"links.wan.delay: the value", "holds more than one YAML document"}},
      {"a broken second document",
       two_nodes + "---\ngarbage: [unclosed\n",
       {},
       {"t.yaml:4:1: ", "a second YAML document"}},
      {"a document after `...`",
       two_nodes + "...\nx: 1\n",
       {},
       {"t.yaml:5:1: ", "a second YAML document"}},
      {"nested past the parser's limit",
       "nodes: " + std::string(3000, '[') + std::string(3000, ']') + "\n",
       {},
       {"t.yaml:1:", "not valid YAML here: lists or mappings nested deeper than the parser"}},
      {"plain text",
       "this is not a scenario\n",
       {},
       {"t.yaml:1:1: ", "expected a mapping of scenario keys", "found 'this is not a scenario'"}},
      {"absurd count",
       two_nodes + "apps:\n  - {connect: client -> server:80, count: 1e12}\n",
       {},
       {"t.yaml:5:",
        "apps.0.count: expected a whole number from 1 to 10000000, found 1e12 (the limit is "
        "10000000)"}},
      {"repeat zero",
       two_nodes + "repeat: 0\n",
       {},
       {"t.yaml:4:9: ", "repeat: expected a whole number from 1 to 100000, found 0"}},
      {"port out of range",
       two_nodes + "apps:\n  - {listen: server:70000}\n",
       {},
       {"apps.0.listen: expected a port from 1 to 65535 after ':', found '70000'"}},
      {"misspelled flag",
       two_nodes + "drops:\n  - {link: wan, flags: SYNN}\n",
       {},
       {"drops.0.flags: unknown TCP flag 'SYNN' — did you mean 'SYN'?"}},
      {"unknown link",
       two_nodes + "drops:\n  - {link: wna, nth: 1}\n",
       {},
       {"t.yaml:5:", "drops.0.link: unknown link 'wna' — did you mean 'wan'?"}},
      {"missing between",
       "nodes: [a, b]\nlinks:\n  l: {delay: 1ms}\n",
       {},
       {"t.yaml:3:6: ", "links.l: missing key 'between'"}},
      {"missing nodes", "links: {}\n", {}, {"t.yaml:1:1: ", "missing key 'nodes'"}},
      {"bad bandwidth",
       "nodes: [a, b]\nlinks:\n  l: {between: [a, b], bandwidth: 100 Mbit}\n",
       {},
       {"links.l.bandwidth: bad bit rate '100 Mbit': unknown unit 'Mbit'", "Mbps"}},
      {"zip lengths differ",
       two_nodes + "sweep:\n  zip:\n    links.wan.delay: [10ms, 20ms]\n    tcp.initial_rto: [1s]\n",
       {},
       {"t.yaml:7:", "sweep.zip.tcp.initial_rto: has 1 values but links.wan.delay has 2"}},
      {"--set value out of range",
       two_nodes,
       {"links.wan.loss=2"},
       {"--set links.wan.loss=2: links.wan.loss: expected a probability between 0 and 1, found "
        "'2'"}},
      {"--set into a single value",
       two_nodes,
       {"links.wan.delay.x=1"},
       {"--set links.wan.delay.x=1: ", "cannot set 'x' inside a single value"}},
      {"--set misspelled key",
       two_nodes,
       {"links.wan.dealy=5ms"},
       {"--set links.wan.dealy=5ms: unknown key 'dealy' in links.wan — did you mean 'delay'?"}},
      {"boolean expected",
       two_nodes + "outputs: {pcap: maybe}\n",
       {},
       {"outputs.pcap: expected true or false, found 'maybe'"}},
      // YAML 1.1's yes and no were taken, while on, off and True were refused; YAML 1.2 and
      // docs/scenario-format.md have only true and false.
      {"an expectation on a connection the apps never open",
       two_nodes + "apps:\n  - {listen: server:80}\n  - {connect: client -> server:80}\n"
                   "expect:\n  - {conn: 5, outcome: established}\n",
       {},
       {"t.yaml:8:12: ", "expect.0.conn: the apps open 1 connection, so there is no connection 5"}},
      {"yes is not a boolean",
       two_nodes + "tcp: {sack: yes}\n",
       {},
       {"tcp.sack: expected true or false, found 'yes'"}},
      {"no is not a boolean either",
       two_nodes,
       {"outputs.packets=no"},
       {"--set outputs.packets=no", "expected true or false, found 'no'"}},
      {"unknown plot",
       two_nodes + "outputs: {plots: [ladderr]}\n",
       {},
       {"outputs.plots: expected one of ladder, timeseq, timing, cdf, found 'ladderr' — did you "
        "mean 'ladder'?"}},
      {"unknown outcome",
       two_nodes + "expect:\n  - {conn: 1, outcome: establised}\n",
       {},
       {"expect.0.outcome: ", "found 'establised' — did you mean 'established'?"}},
      {"loss model misspelled",
       two_nodes + "  l2: {between: [server, client], loss: {model: gilbert, p: 0.1}}\n",
       {},
       {"links.l2.loss.model: expected one of bernoulli, gilbert-elliott, found 'gilbert'"}},
      {"gilbert-elliott without r",
       two_nodes + "  l2: {between: [server, client], loss: {model: gilbert-elliott, p: 0.1}}\n",
       {},
       {"links.l2.loss: missing key 'r'"}},
      {"connect to itself",
       two_nodes + "apps:\n  - {connect: client -> client:80}\n",
       {},
       {"apps.0.connect: a node cannot connect to itself"}},
      {"two listeners",
       two_nodes + "apps:\n  - {listen: server:80}\n  - {listen: server:80}\n",
       {},
       {"t.yaml:6:", "port 80 on server already has a listener (t.yaml:5:5)"}},
      {"normal jitter without stddev",
       two_nodes + "  l2: {between: [server, client], jitter: {model: normal, mean: 1ms}}\n",
       {},
       {"links.l2.jitter: missing key 'stddev'"}},
      {"unknown profile",
       two_nodes + "tcp: {profile: linx}\n",
       {},
       {"t.yaml:4:16: ", "tcp.profile: unknown TCP profile 'linx' — did you mean 'linux'?",
        "(profiles: linux, "}},
      // 0 stands for "no limit given" inside; as the limit it would be the default queue.
      {"a queue of 0 bytes",
       two_nodes + "  l2: {between: [server, client], queue: 0B}\n",
       {},
       {"t.yaml:4:42: ", "links.l2.queue: a queue's size must be more than 0 bytes"}},
      {"a queue of 0 bytes, in the mapping form",
       two_nodes + "  l2: {between: [server, client], queue: {packets: 10, bytes: 0}}\n",
       {},
       {"links.l2.queue.bytes: a queue's size must be more than 0 bytes"}},
      // The mapping --set made to hold its key is blamed on the --set, not on the file.
      {"a --set key under a mapping the file does not have",
       two_nodes,
       {"links.wan.loss.p=0.1"},
       {"--set links.wan.loss.p=0.1: links.wan.loss: missing key 'model'"}},
      // A tolerance only where it is used: a time metric compared with equals.
      {"a tolerance on a count metric",
       two_nodes + "expect:\n  - {metric: established, equals: 3, tolerance: 10s}\n",
       {},
       {"t.yaml:5:49: ", "expect.0.tolerance: applies to a time metric; established is a count"}},
      {"a tolerance on a packet count",
       two_nodes + "expect:\n  - {packets: {link: wan}, equals: 3, tolerance: 10s}\n",
       {},
       {"expect.0.tolerance: a packet count is compared exactly"}},
      {"a tolerance without established_at",
       two_nodes + "expect:\n  - {conn: 1, outcome: established, tolerance: 10s}\n",
       {},
       {"expect.0.tolerance: applies to established_at, not given"}},
      {"a tolerance with between",
       two_nodes +
           "expect:\n  - {metric: mean_handshake_time, between: [0s, 50ms], tolerance: 60ms}\n",
       {},
       {"expect.0.tolerance: applies to equals; with between, widen [min, max] itself"}},
      {"window scale above 14",
       two_nodes + "tcp: {window_scale: 15}\n",
       {},
       {"tcp.window_scale: expected a whole number from 0 to 14, found 15"}},
      {"sweep too large",
       two_nodes + "repeat: 100000\nsweep:\n  links.wan.loss: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, "
                   "0.7, 0.8, 0.9, 1]\n",
       {},
       {}},  // loads; sweep_points refuses it (below)
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const std::string message = error_of(c.text, c.sets);
    if (c.says.empty()) continue;
    CHECK_MESSAGE(!message.empty(), "accepted bad input");
    for (const std::string& part : c.says) {
      CAPTURE(part);
      CAPTURE(message);
      CHECK(message.find(part) != std::string::npos);
    }
  }
  CHECK(cases.size() >= 20);
}

TEST_CASE("files: missing, a directory, binary") {
  namespace fs = std::filesystem;
  const synlab::test::TempDir temp("loader-test");
  const fs::path& dir = temp.path;
  CHECK_THROWS_WITH_AS(read_scenario_file((dir / "nope.yaml").string()),
                       doctest::Contains("nope.yaml: no such file"), ScenarioError);
  CHECK_THROWS_WITH_AS(read_scenario_file(dir.string()), doctest::Contains("is a directory"),
                       ScenarioError);
  {
    std::ofstream(dir / "bin.yaml", std::ios::binary) << std::string(
        "\x7f"
        "ELF\0\0",
        6);
  }
  CHECK_THROWS_WITH_AS(read_scenario_file((dir / "bin.yaml").string()),
                       doctest::Contains("binary file"), ScenarioError);
}

TEST_CASE("without name: the file's name stands in only if it is a name, else one is proposed") {
  // docs/scenario-format.md: a name is letters, digits, '_' and '-', starting with a letter; the
  // scenario's name becomes its output folder, out/<name>.
  const auto load = [](const std::string& file) {
    return load_scenario(parse_scenario_text(two_nodes, file));
  };
  CHECK(load("labs/lab-1_b.yaml").name == "lab-1_b");
  CHECK(load("x.yaml").name == "x");
  const struct {
    std::string file;
    std::string proposed;
  } bad[] = {{"my scenario.yaml", "my-scenario"},
             {"1st.yaml", "scenario-1st"},
             {".hidden.yaml", "hidden"},
             // A UTF-8 letter's two bytes are one '-' between name characters, none at the end.
             {"caf\xc3\xa9.yaml", "caf"},
             {"\xc3\xbcn\xc3\xaf.yaml", "n"},
             {"caf\xc3\xa9 au lait.yaml", "caf-au-lait"},
             {std::string(101, 'a') + ".yaml", std::string(100, 'a')}};
  for (const auto& [file, proposed] : bad) {
    CAPTURE(file);
    const std::string where = file + ": no `name:`, and the file's own name '";
    const std::string proposal = "add `name: " + proposed + "`";
    CHECK_THROWS_WITH_AS(load(file), doctest::Contains(where.c_str()), ScenarioError);
    CHECK_THROWS_WITH_AS(load(file), doctest::Contains(proposal.c_str()), ScenarioError);
  }
  // A name written in the file needs no help from the file's name.
  CHECK(load_scenario(parse_scenario_text("name: ok\n" + two_nodes, "my scenario.yaml")).name ==
        "ok");
}

TEST_CASE("connect with a fixed local port (simultaneous open needs one)") {
  const Scenario s = load(two_nodes +
                          "apps:\n"
                          "  - {connect: client:5000 -> server:6000}\n"
                          "  - {connect: server:6000 -> client:5000}\n");
  REQUIRE(s.connects.size() == 2);
  CHECK(s.connects[0].from == "client");
  CHECK(s.connects[0].from_port == 5000);
  CHECK(s.connects[1].to.port == 5000);
}

TEST_CASE("tcp.timer_slack: Linux's timer wheel, only with a Linux profile") {
  CHECK_FALSE(load(two_nodes).tcp.timer_slack.has_value());
  CHECK_FALSE(load(two_nodes).tcp.shared_ticks);
  const Scenario s = load(two_nodes + "tcp: {timer_slack: linux-hz250, shared_ticks: true}\n");
  CHECK(s.tcp.timer_slack == synlab::tcp::TimerSlack::LinuxHz250);
  CHECK(s.tcp.shared_ticks);
  CHECK(load(two_nodes + "tcp: {profile: linux-classic, timer_slack: linux-hz1000}\n")
            .tcp.timer_slack == synlab::tcp::TimerSlack::LinuxHz1000);
  // `none` is allowed with any profile; a wheel is not with an RFC one.
  CHECK(load(two_nodes + "tcp: {profile: rfc6298, timer_slack: none}\n").tcp.timer_slack ==
        synlab::tcp::TimerSlack::None);
  const std::string rfc =
      error_of(two_nodes + "tcp: {profile: rfc6298, timer_slack: linux-hz250}\n");
  CHECK(rfc.find("t.yaml:4:") != std::string::npos);
  CHECK(rfc.find("tcp.timer_slack: 'linux-hz250' models Linux's timer wheel, and profile 'rfc6298' "
                 "is not a Linux one (Linux profiles: linux, linux-classic)") != std::string::npos);
  CHECK(error_of(two_nodes + "tcp: {timer_slack: hz250}\n").find("linux-hz250") !=
        std::string::npos);
  CHECK(error_of(two_nodes + "tcp: {timer_slack: linux-hz250}\n", {"tcp.profile=classic"})
            .find("profile 'classic' is not a Linux one") != std::string::npos);
}

TEST_CASE("application timing: accept, close_at, send and abort_at are read exactly") {
  const Scenario s = load(two_nodes +
                          "apps:\n"
                          "  - {listen: server:80, backlog: 2, accept: never, close_at: 20s}\n"
                          "  - {listen: server:81, accept: {delay: 2s}}\n"
                          "  - {listen: server:82, accept: now}\n"
                          "  - {connect: client -> server:80, send: [{at: 5s, bytes: 100},"
                          " {at: 6s, bytes: 1KiB}], close_at: 10s}\n"
                          "  - {connect: client -> server:81, abort_at: 3s}\n"
                          "  - {connect: client -> server:82}\n");
  using Kind = synlab::app::AcceptSpec::Kind;
  REQUIRE(s.listens.size() == 3);
  CHECK(s.listens[0].accept.kind == Kind::Never);
  CHECK(s.listens[0].close_at == 20s);
  CHECK(s.listens[1].accept.kind == Kind::Delay);
  CHECK(s.listens[1].accept.delay == 2s);
  CHECK_FALSE(s.listens[1].close_at.has_value());
  CHECK(s.listens[2].accept.kind == Kind::Now);
  REQUIRE(s.connects.size() == 3);
  REQUIRE(s.connects[0].sends.size() == 2);
  CHECK(s.connects[0].sends[0].at == 5s);
  CHECK(s.connects[0].sends[0].bytes == 100);
  CHECK(s.connects[0].sends[1].bytes == 1024);  // KiB: 1024 bytes
  CHECK(s.connects[0].close_at == 10s);
  CHECK_FALSE(s.connects[0].abort_at.has_value());
  CHECK(s.connects[1].abort_at == 3s);
  CHECK(s.connects[2].sends.empty());
  CHECK_FALSE(s.connects[2].close_at.has_value());
  // The same keys through --set (the schema declares them).
  const Scenario set = load(two_nodes +
                                "apps:\n  - {listen: server:80}\n"
                                "  - {connect: client -> server:80}\n",
                            {"apps.0.accept=never", "apps.1.close_at=4s"});
  CHECK(set.listens[0].accept.kind == Kind::Never);
  CHECK(set.connects[0].close_at == 4s);
}

TEST_CASE("application timing: bad values are refused at file:line:column") {
  const std::string listen = two_nodes + "apps:\n  - {listen: server:80";
  const std::string connect = two_nodes + "apps:\n  - {connect: client -> server:80";
  CHECK(error_of(listen + ", accept: later}\n") ==
        "t.yaml:5:33: apps.0.accept: expected now, never or {delay: time}, found 'later'");
  CHECK(error_of(listen + ", accept: nevr}\n").find("did you mean 'never'?") != std::string::npos);
  CHECK(error_of(listen + ", accept: {delay: -1s}}\n") ==
        "t.yaml:5:41: apps.0.accept.delay: expected a duration of 0 or more, found '-1s'");
  CHECK(error_of(listen + ", accept: {}}\n") == "t.yaml:5:33: apps.0.accept: missing key 'delay'");
  CHECK(error_of(listen + ", close_at: -3s}\n") ==
        "t.yaml:5:35: apps.0.close_at: expected a duration of 0 or more, found '-3s'");
  CHECK(error_of(listen + ", abort_at: 3s}\n")
            .starts_with("t.yaml:5:25: unknown key 'abort_at' in apps.0"));
  CHECK(error_of(connect + ", close_at: 10s, abort_at: 3s}\n") ==
        "t.yaml:5:61: apps.0.abort_at: a connection ends once: give close_at (FIN) or abort_at "
        "(RST), not both");
  CHECK(error_of(connect + ", abort_at: -1s}\n") ==
        "t.yaml:5:46: apps.0.abort_at: expected a duration of 0 or more, found '-1s'");
  CHECK(error_of(connect + ", close_at: 10s, send: [{at: 10s, bytes: 1}]}\n") ==
        "t.yaml:5:63: apps.0.send.0.at: at 10s is not before close_at (10s): nothing can be sent "
        "once the connection is closed");
  CHECK(error_of(connect + ", abort_at: 2s, send: [{at: 1s, bytes: 1}, {at: 3s, bytes: 1}]}\n")
            .starts_with("t.yaml:5:82: apps.0.send.1.at: at 3s is not before abort_at (2s)"));
  CHECK(error_of(connect + ", send: []}\n") ==
        "t.yaml:5:42: apps.0.send: an empty list sends nothing: leave send out, or give {at, "
        "bytes}");
  CHECK(error_of(connect + ", send: [{at: 1s}]}\n") ==
        "t.yaml:5:43: apps.0.send.0: missing key 'bytes'");
  CHECK(error_of(connect + ", send: [{at: 1s, bytes: 5GiB}]}\n")
            .starts_with("t.yaml:5:59: apps.0.send.0.bytes: at most 4294967295 bytes"));
  CHECK(error_of(connect + ", send: {at: 1s, bytes: 1}}\n")
            .starts_with("t.yaml:5:42: apps.0.send: expected a list of {at: time, bytes: size}"));
}

TEST_CASE("inject: the segment is read as a packetdrill packet, numbers relative to the ISNs") {
  const Scenario s = load(two_nodes +
                          "apps:\n"
                          "  - {listen: server:80}\n"
                          "  - {connect: client -> server:80, count: 2}\n"
                          "inject:\n"
                          "  - {at: 1s, conn: 2, from: client, segment: \"R 1001:1001(0)\"}\n"
                          "  - {at: 1500ms, conn: 1, from: server,"
                          " segment: \"S. 0:0(0) ack 1 win 65535 <mss 1460, nop, wscale 7>\"}\n");
  REQUIRE(s.injects.size() == 2);
  CHECK(s.injects[0].at == 1s);
  CHECK(s.injects[0].conn == 2);
  CHECK_FALSE(s.injects[0].from_server);
  CHECK(s.injects[0].segment == "R 1001:1001(0)");
  CHECK(s.injects[0].packet.flags == synlab::tcp::Flags(synlab::tcp::Flag::Rst));
  CHECK(s.injects[0].packet.seq_start == 1001);
  CHECK(s.injects[0].packet.length == 0);
  CHECK_FALSE(s.injects[0].packet.ack.has_value());
  CHECK_FALSE(s.injects[0].packet.window.has_value());  // a RST may leave it out
  const auto& syn_ack = s.injects[1].packet;
  CHECK(s.injects[1].from_server);
  CHECK(syn_ack.flags == (synlab::tcp::Flag::Syn | synlab::tcp::Flag::Ack));
  CHECK(syn_ack.ack == 1u);
  CHECK(syn_ack.window == 65535);
  CHECK(syn_ack.options.size() == 3);
}

TEST_CASE("inject: bad entries are refused at file:line:column") {
  const std::string head = two_nodes +
                           "apps:\n"
                           "  - {listen: server:80}\n"
                           "  - {connect: client -> server:80, count: 2}\n"
                           "inject:\n"
                           "  - {at: 1s, conn: ";
  CHECK(error_of(head + "3, from: client, segment: \"R 1:1(0)\"}\n") ==
        "t.yaml:8:20: inject.0.conn: the apps open 2 connections, so there is no connection 3");
  CHECK(error_of(head + "1, from: attacker, segment: \"R 1:1(0)\"}\n")
            .starts_with("t.yaml:8:29: inject.0.from: expected one of client, server, found "
                         "'attacker'"));
  CHECK(error_of(head + "1, from: client}\n") == "t.yaml:8:5: inject.0: missing key 'segment'");
  // The drill parser's message, placed at the key, with the character in the segment.
  CHECK(error_of(head + "1, from: client, segment: \"R 1:2(0)\"}\n") ==
        "t.yaml:8:46: inject.0.segment: in \"R 1:2(0)\" at character 7: end - start is 1 but "
        "the length says 0 (a segment is written as in packetdrill: flags seq:end(length) [ack N] "
        "[win N] [<options>])");
  CHECK(error_of(head + "1, from: client, segment: \"Q 1:1(0)\"}\n")
            .find("at character 1: `Q` is not a set of TCP flags") != std::string::npos);
  CHECK(error_of(head + "1, from: client, segment: \"S 1:1(0)\"}\n") ==
        "t.yaml:8:46: inject.0.segment: a segment other than a RST needs `win N`, such as "
        "\"S 1:1(0) win 65535\"");
  CHECK(error_of(head + "1, from: client, segment: \"S 1:1(0) win 10 <...>\"}\n") ==
        "t.yaml:8:46: inject.0.segment: options are written out (<mss 1460, nop, wscale 7>), "
        "not <...>");
  CHECK(error_of(head + "1, from: client, segment: \". 1:1(0) win 10 <sack 1:2>\"}\n")
            .find("refused") == std::string::npos);  // refused by drill: said as its message
  CHECK(error_of(head + "1, from: client, segment: \". 1:1(0) win 10 <sack 1:2>\"}\n")
            .find("SACK blocks") != std::string::npos);
  CHECK(error_of(head + "1, from: client, segment: [R]}\n")
            .starts_with("t.yaml:8:46: inject.0.segment: expected a segment such as"));
  CHECK(error_of(head + "-1s, from: client, segment: \"R 1:1(0)\"}\n")
            .find("expected a whole number") != std::string::npos);
}

TEST_CASE("inject between two sockets: no connection, numbers absolute") {
  const Scenario s = load(two_nodes +
                          "inject:\n"
                          "  - {at: 1s, src: client:4000, dst: server:80, segment: \"S 90:90(0) "
                          "win 65535\"}\n");
  REQUIRE(s.injects.size() == 1);
  CHECK(s.injects[0].conn == 0);
  CHECK(s.injects[0].src.node == "client");
  CHECK(s.injects[0].src.port == 4000);
  CHECK(s.injects[0].dst.node == "server");
  CHECK(s.injects[0].dst.port == 80);
  CHECK(s.injects[0].packet.seq_start == 90);
  const std::string head = two_nodes + "inject:\n  - {at: 1s, src: client:4000, ";
  CHECK(error_of(head + "segment: \"R 1:1(0)\"}\n") == "t.yaml:5:5: inject.0: missing key 'dst'");
  CHECK(error_of(head + "dst: client:80, segment: \"R 1:1(0)\"}\n")
            .starts_with("t.yaml:5:37: inject.0.dst: a node cannot send to itself"));
  // conn belongs to the other form.
  CHECK(error_of(head + "dst: server:80, conn: 1, segment: \"R 1:1(0)\"}\n") ==
        "t.yaml:5:48: unknown key 'conn' in inject.0 (accepted: at, src, dst, segment)");
}

TEST_CASE("crashes: node, time and reboot time, checked against each other") {
  const Scenario s = load(two_nodes +
                          "crashes:\n"
                          "  - {node: client, at: 2s, reboot_at: 3s}\n"
                          "  - {node: server, at: 2500ms}\n"
                          "  - {node: client, at: 3s}\n");
  REQUIRE(s.crashes.size() == 3);
  CHECK(s.crashes[0].node == "client");
  CHECK(s.crashes[0].at == 2s);
  CHECK(s.crashes[0].reboot_at == 3s);
  CHECK_FALSE(s.crashes[1].reboot_at.has_value());  // down until the run ends
  CHECK(s.crashes[2].at == 3s);                     // at its reboot: allowed, the node is up again
  const std::string head = two_nodes + "crashes:\n";
  CHECK(error_of(head + "  - {node: router, at: 2s}\n")
            .starts_with("t.yaml:5:12: crashes.0.node: unknown node 'router'"));
  CHECK(error_of(head + "  - {node: client, at: 2s, reboot_at: 2s}\n") ==
        "t.yaml:5:39: crashes.0.reboot_at: the node reboots at 2s, not after it crashes at 2s: "
        "give a later time");
  CHECK(error_of(head + "  - {node: client, reboot_at: 2s}\n") ==
        "t.yaml:5:5: crashes.0: missing key 'at'");
  CHECK(error_of(head + "  - {node: client, at: 1s}\n  - {node: client, at: 2s}\n") ==
        "t.yaml:6:24: crashes.1.at: node 'client' crashed at 1s (crashes.0) and never reboots: "
        "give that crash a reboot_at first");
  CHECK(
      error_of(head + "  - {node: client, at: 1s, reboot_at: 3s}\n  - {node: client, at: 2s}\n") ==
      "t.yaml:6:24: crashes.1.at: node 'client' is still down then: it reboots at 3s "
      "(crashes.0); list its crashes in time order");
}

TEST_CASE("loss_both_ways: the path's loss when the analytic model applies to it") {
  using synlab::app::loss_both_ways;
  CHECK(loss_both_ways(load(two_nodes)) == 0.0);  // no loss at all
  CHECK(loss_both_ways(load(two_nodes, {"links.wan.loss=0.2"})) == 0.2);
  // Not independent, not the same both ways, not one link, or scripted drops: no model.
  CHECK_FALSE(loss_both_ways(load(two_nodes, {"links.wan.loss.forward=0.2"})).has_value());
  CHECK_FALSE(loss_both_ways(load(two_nodes, {"links.wan.loss.model=gilbert-elliott",
                                              "links.wan.loss.p=0.1", "links.wan.loss.r=0.5"}))
                  .has_value());
  CHECK_FALSE(loss_both_ways(load(two_nodes + "  lan: {between: [server, client]}\n")).has_value());
  CHECK_FALSE(loss_both_ways(load(two_nodes + "drops:\n  - {link: wan, flags: SYN, nth: 1}\n"))
                  .has_value());
}

TEST_CASE("--set replaces values and adds missing ones") {
  const Scenario s = load(two_nodes, {"links.wan.loss=0.25", "tcp.syn_retries=3", "seed=99"});
  CHECK(s.links[0].forward.loss.p == 0.25);
  CHECK(s.links[0].reverse.loss.p == 0.25);
  CHECK(s.tcp.syn_retries == 3u);
  CHECK(s.seed == 99);
  CHECK_THROWS_WITH_AS(parse_set_option("links.wan.loss"), doctest::Contains("expected PATH=VALUE"),
                       ScenarioError);
}

TEST_CASE("sweep: the grid is crossed, zip is paired, the first axis varies slowest") {
  const Scenario s = load(two_nodes +
                          "sweep:\n"
                          "  links.wan.loss: [0, 0.1, 0.2]\n"
                          "  tcp.profile: [linux, classic]\n"
                          "  zip:\n"
                          "    links.wan.delay: [10ms, 100ms]\n"
                          "    tcp.initial_rto: [1s, 3s]\n");
  const auto points = sweep_points(s);
  REQUIRE(points.size() == 3 * 2 * 2);  // 3 losses x 2 profiles x 2 zipped pairs
  // Point 5 = loss index 1, profile index 0, zip index 1 (5 = 1*4 + 0*2 + 1).
  const auto& p = points[5];
  REQUIRE(p.size() == 4);
  CHECK(p[0].path == "links.wan.loss");
  CHECK(p[0].value == "0.1");
  CHECK(p[1].value == "linux");
  CHECK(p[2].value == "100ms");
  CHECK(p[3].value == "3s");
  CHECK(p[0].where.to_string() == "t.yaml:5:23");  // "  links.wan.loss: [0, " is 22 columns
  // Each point loads, with its values in place.
  const Scenario point = load_scenario(
      parse_scenario_text(two_nodes + "sweep:\n  links.wan.loss: [0, 0.1, 0.2]\n", "t.yaml"),
      sweep_points(load(two_nodes + "sweep:\n  links.wan.loss: [0, 0.1, 0.2]\n"))[2]);
  CHECK(point.links[0].forward.loss.p == 0.2);
}

TEST_CASE("sweep: too many runs is refused with the limit") {
  const Scenario s = load(two_nodes +
                          "repeat: 100000\nsweep:\n  links.wan.loss: [0, 0.1, 0.2, 0.3, 0.4, 0.5, "
                          "0.6, 0.7, 0.8, 0.9, 1]\n");
  CHECK_THROWS_WITH_AS(
      sweep_points(s),
      doctest::Contains("11 points x repeat 100000 runs is more than the limit of 1000000"),
      ScenarioError);
}

TEST_CASE("too many connections in all is refused with the limit") {
  // 100 repetitions x 1,000,000 connections = 10^8 > 5 * 10^7.
  const Scenario s =
      load(two_nodes + "repeat: 100\napps:\n  - {connect: client -> server:80, count: 1000000}\n");
  // At repeat's value (line 4, column 9): the key that multiplies.
  CHECK_THROWS_WITH_AS(sweep_points(s),
                       "t.yaml:4:9: 1 sweep points x repeat 100 open 100000000 connections in "
                       "all, more than the limit of 50000000",
                       ScenarioError);
  // Neither sweep nor repeat: one line of 9 x 10^6 and five of 10^7, the error at the first of
  // the largest (apps.1, line 6).
  std::string apps = "apps:\n  - {connect: client -> server:80, count: 9000000}\n";
  for (int i = 0; i < 5; ++i) apps += "  - {connect: client -> server:80, count: 10000000}\n";
  CHECK_THROWS_WITH_AS(sweep_points(load(two_nodes + apps)),
                       doctest::Contains("t.yaml:6:5: 1 sweep points x repeat 1 open 59000000"),
                       ScenarioError);
}

TEST_CASE("a value swept by two axes is refused: its points would be labelled with unused values") {
  // The same path in the grid and in zip: the zip's value would override the grid's.
  CHECK(error_of(two_nodes +
                 "sweep: {links.wan.loss: [0, 0.1], zip: {links.wan.loss: [0.2, 0.3]}}\n") ==
        "t.yaml:4:41: sweep.zip.links.wan.loss: is swept twice: also at t.yaml:4:9 (a value takes "
        "its values from one axis only)");
  // One path under the other: the whole link replaced, its delay axis lost.
  CHECK(error_of(two_nodes + "sweep:\n  links.wan: [{between: [client, server], delay: 50ms}]\n"
                             "  links.wan.delay: [1ms, 2ms]\n") ==
        "t.yaml:6:3: sweep.links.wan.delay: overlaps the axis links.wan at t.yaml:5:3 (a value "
        "takes its values from one axis only)");
  // Two spellings of one list index: apps.01.count is apps.1.count.
  CHECK(error_of(two_nodes + "apps:\n  - {listen: server:80}\n  - {connect: client -> server:80}\n"
                             "sweep: {apps.1.count: [1, 2], apps.01.count: [3, 4]}\n") ==
        "t.yaml:7:31: sweep.apps.01.count: is swept twice: also at t.yaml:7:9 (a value takes its "
        "values from one axis only)");
  // --set adding a zip axis over a grid axis of the file.
  CHECK(error_of(two_nodes + "sweep: {links.wan.loss: [0, 0.1]}\n",
                 {"sweep.zip.links.wan.loss=[0.2, 0.3]"})
            .find("sweep.zip.links.wan.loss: is swept twice: also at t.yaml:4:9") !=
        std::string::npos);
  // --set replacing the axis itself is no second axis; two different keys of a link are fine.
  CHECK(error_of(two_nodes + "sweep: {links.wan.loss: [0, 0.1]}\n",
                 {"sweep.links.wan.loss=[0.2, 0.3]"}) == "");
  CHECK(error_of(two_nodes + "sweep: {links.wan.loss: [0, 0.1], links.wan.delay: [1ms, 2ms]}\n") ==
        "");
  // A path that only starts like another (links.wan, links.wan2.delay) does not overlap it.
  CHECK(error_of(two_nodes + "  wan2: {between: [client, server]}\nsweep:\n"
                             "  links.wan: [{between: [client, server], delay: 50ms}]\n"
                             "  links.wan2.delay: [1ms, 2ms]\n") == "");
}

TEST_CASE("a sweep value's errors point at the value in the file") {
  const std::string text = two_nodes + "sweep:\n  links.wan.loss: [0, 1.5]\n";
  const Scenario s = load(text);
  const auto points = sweep_points(s);
  try {
    (void)load_scenario(parse_scenario_text(text, "t.yaml"), points[1]);
    FAIL("accepted loss 1.5");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()) ==
          "t.yaml:5:23: links.wan.loss: expected a probability between 0 and 1, found '1.5'");
  }
}

TEST_CASE("under --set, the file's own values keep their file:line:column (issue 14)") {
  // YAML::Clone drops the marks: before the fix, every place here said t.yaml:1:1.
  const std::string text = two_nodes +
                           "expect:\n"
                           "  - {metric: established, equals: 1}\n";  // line 5, column 5
  const Scenario plain = load(text);
  const Scenario set = load(text, {"links.wan.delay=5ms", "repeat=3"});
  REQUIRE(set.expect.size() == 1);
  CHECK(plain.expect[0].where.to_string() == "t.yaml:5:5");
  CHECK(set.expect[0].where.to_string() == "t.yaml:5:5");
  // An error in the file under --set still points into the file.
  CHECK(error_of(two_nodes + "seed: -1\n", {"repeat=3"}).starts_with("t.yaml:4:7: seed"));
  // The overridden value itself is blamed on the option.
  CHECK(error_of(text, {"links.wan.delay=5"}).starts_with("--set links.wan.delay=5:"));
}

TEST_CASE("a sweep point's own values keep their marks too") {
  // The points are loaded with the sweep section cut from the text: what follows it keeps its
  // line and column (the expectation is on line 6, column 5; a bad seed on line 7, column 7).
  const std::string text = two_nodes +
                           "sweep:\n  links.wan.loss: [0,\n    0.1]\n"
                           "expect:\n"
                           "  - {metric: established, equals: 1}\n";
  const Scenario s = load(text);
  std::vector<Scenario> points;
  synlab::app::load_points(parse_scenario_text(text, "t.yaml"), {}, s, sweep_points(s),
                           [&](Scenario&& p) { points.push_back(std::move(p)); });
  REQUIRE(points.size() == 2);
  CHECK(s.expect[0].where.to_string() == "t.yaml:8:5");
  CHECK(points[1].expect[0].where.to_string() == "t.yaml:8:5");
  CHECK(points[1].links[0].forward.loss.p == 0.1);
  const std::string bad = text + "seed: -1\n";
  try {
    synlab::app::load_points(parse_scenario_text(bad, "t.yaml"), {}, s, sweep_points(s),
                             [](Scenario&&) {});
    FAIL("accepted seed -1");
  } catch (const ScenarioError& e) {
    CHECK(std::string(e.what()).starts_with("t.yaml:9:7: seed"));
  }
  const auto cut = synlab::app::without_section(parse_scenario_text(text, "t.yaml"), "sweep");
  CHECK_FALSE(cut.root["sweep"].IsDefined());
  CHECK(cut.text.find("links.wan.loss") == std::string::npos);
}

TEST_CASE("a sweep section holding an anchor used later still loads its points") {
  // Cutting the section would leave the alias *d dangling: the points fall back to a copy.
  const std::string text =
      "nodes: [client, server]\n"
      "sweep:\n  links.wan.delay: [&d 10ms, 20ms]\n"
      "links:\n"
      "  wan: {between: [client, server], delay: *d}\n";
  const Scenario s = load(text);
  std::vector<Scenario> points;
  synlab::app::load_points(parse_scenario_text(text, "t.yaml"), {}, s, sweep_points(s),
                           [&](Scenario&& p) { points.push_back(std::move(p)); });
  REQUIRE(points.size() == 2);
  CHECK(points[1].links[0].forward.delay == 20ms);
}

// A sweep's base has the file's value at a key the sweep varies: checks across keys wait for the
// points, each loaded with its values, and an error there names the point.
TEST_CASE("checks across keys are made at each sweep point with its values, not on the base") {
  const auto sweep_error = [](const std::string& text) -> std::string {
    try {
      (void)synlab::app::load_sweep(parse_scenario_text(text, "t.yaml"), {}, std::nullopt);
    } catch (const synlab::app::ScenarioError& e) {
      return e.what();
    }
    return "";
  };
  const std::string apps = "apps:\n  - {listen: server:80}\n  - {connect: client -> server:80}\n";
  // max_rto below linux's 1 s initial RTO, but above every swept one.
  CHECK(sweep_error(two_nodes + "tcp: {max_rto: 500ms}\nsweep: {tcp.initial_rto: [100ms, 200ms]}\n")
            .empty());
  // One point's initial RTO above the cap: refused, at that point.
  CHECK(sweep_error(two_nodes + "tcp: {max_rto: 500ms}\nsweep: {tcp.initial_rto: [100ms, 1s]}\n") ==
        "t.yaml:4:16: tcp.max_rto: must be at least initial_rto (1s) (at sweep point 1: "
        "tcp.initial_rto=1s)");
  // conn 5 where every point opens at least 10 connections (the file's count is 1).
  CHECK(sweep_error(two_nodes + apps + "expect:\n  - {conn: 5, outcome: established}\n" +
                    "sweep: {apps.1.count: [10, 100]}\n")
            .empty());
  CHECK(sweep_error(two_nodes + apps + "expect:\n  - {conn: 5, outcome: established}\n" +
                    "sweep: {apps.1.count: [10, 2]}\n") ==
        "t.yaml:8:12: expect.0.conn: the apps open 2 connections, so there is no connection 5 "
        "(at sweep point 1: apps.1.count=2)");
  // inject's conn likewise.
  CHECK(sweep_error(two_nodes + apps +
                    "inject:\n  - {at: 1s, conn: 3, from: client, segment: 'R 0:0(0)'}\n" +
                    "sweep: {apps.1.count: [3, 4]}\n")
            .empty());
}

// yaml-cpp drops a UTF-8 byte order mark and counts positions after it: the quote check counts
// the same way. Off by its 3 bytes, it took 'cdf''s closing quote for "ladder"'s opening one,
// with no ' after it (found by a review).
TEST_CASE("a byte order mark: quoted values are still found where they are") {
  const std::string bom = "\xEF\xBB\xBF";
  CHECK(error_of(bom + two_nodes + "outputs: {plots: ['cdf', \"ladder\"]}\n").empty());
  CHECK(error_of(bom + "name: 'p6\n" + two_nodes) ==
        "t.yaml:1:7: not valid YAML: this quoted value never ends (its closing ' is missing)");
}
