// The scenario schema: one declaration per key, and the reference tables of
// docs/scenario-format.md are the ones it prints.
#include "app/scenario_schema.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "app/scenario_loader.hpp"
#include "models/tcp/tcp_state.hpp"

using synlab::app::check_scenario_path;
using synlab::app::scenario_schema;
using synlab::app::schema_keys_under;
using synlab::app::schema_markdown;
using synlab::app::schema_tables;
using synlab::app::ValueType;

TEST_CASE("docs/scenario-format.md holds the schema's reference tables") {
  std::ifstream in(std::string(SYNLAB_SOURCE_DIR) + "/docs/scenario-format.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  for (const std::string_view table : schema_tables) {
    CAPTURE(table);
    const std::string expected = schema_markdown(table);
    REQUIRE(!expected.empty());
    // On failure: paste `synlab schema --markdown` output over the table in the docs.
    CHECK_MESSAGE(text.str().find(expected) != std::string::npos,
                  "the table differs from the schema; it should read:\n"
                      << expected);
  }
}

TEST_CASE("every key's parent is declared, and each key once per form") {
  for (const auto& k : scenario_schema) {
    CAPTURE(k.path);
    const std::size_t dot = k.path.rfind('.');
    if (dot != std::string_view::npos) {
      bool parent = false;
      for (const auto& p : scenario_schema) parent = parent || p.path == k.path.substr(0, dot);
      CHECK(parent);
    }
    int same = 0;
    for (const auto& o : scenario_schema) same += o.path == k.path && o.form == k.form ? 1 : 0;
    CHECK(same == 1);
    const bool words = k.type == ValueType::Enum || k.path == "outputs.plots";  // a list of them
    CHECK(words == !k.values.empty());
    CHECK(!k.description.empty());
  }
}

TEST_CASE("the outcome words are tcp::to_string's (as output files print them)") {
  REQUIRE(std::size(synlab::app::outcome_order) == std::size(synlab::app::outcome_names));
  for (std::size_t i = 0; i < std::size(synlab::app::outcome_order); ++i)
    CHECK(synlab::tcp::to_string(synlab::app::outcome_order[i]) == synlab::app::outcome_names[i]);
}

TEST_CASE("the timer_slack words are tcp::to_string's") {
  const auto slacks = synlab::tcp::timer_slacks();
  REQUIRE(slacks.size() == std::size(synlab::app::timer_slack_names));
  for (std::size_t i = 0; i < slacks.size(); ++i)
    CHECK(synlab::tcp::to_string(slacks[i]) == synlab::app::timer_slack_names[i]);
}

TEST_CASE("paths of --set and sweep are checked against the schema") {
  for (const char* ok :
       {"seed", "links.wan.loss", "links.wan.loss.forward", "links.wan.loss.reverse.p",
        "links.wan.outages.0.from", "links.wan.outages.forward.0.until", "tcp.profile",
        "tcp.syn_retries", "apps.1.count", "apps.0.listen", "drops.0.nth.1", "nodes.2",
        "expect.0.packets.flags", "outputs.pcap.nodes", "sweep.links.wan.loss"}) {
    CAPTURE(ok);
    CHECK(check_scenario_path(ok).value_or("") == "");
  }
  CHECK(check_scenario_path("links.wan.dealy").value_or("") ==
        "unknown key 'dealy' in links.wan — did you mean 'delay'? (accepted: between, delay, "
        "jitter, bandwidth, queue, loss, outages)");
  CHECK(check_scenario_path("tcp.syn_retires").value_or("").find("did you mean 'syn_retries'") !=
        std::string::npos);
  CHECK(check_scenario_path("repaet").value_or("").find("did you mean 'repeat'") !=
        std::string::npos);
  CHECK(check_scenario_path("tcp.syn_retries.x").value_or("") ==
        "cannot set 'x' inside a single value (tcp.syn_retries)");
  CHECK(check_scenario_path("links..loss").has_value());
  // A list item written as in other languages: the message says how synlab writes it.
  CHECK(check_scenario_path("apps[1].count").value_or("") ==
        "unknown key 'apps[1]': a list's item is a part of the dotted path, counted from 0: "
        "apps.1");
  CHECK(schema_keys_under("apps.*", "listen") ==
        std::vector<std::string_view>{"listen", "backlog", "accept", "close_at"});
}

TEST_CASE("a misspelled sweep path is reported at its key, before any point loads") {
  const std::string text =
      "nodes: [client, server]\n"
      "links:\n"
      "  wan: {between: [client, server]}\n"
      "apps:\n"
      "  - {connect: client -> server:80}\n"
      "sweep:\n"
      "  apps.0.cuont: [1, 2]\n";
  CHECK_THROWS_WITH_AS(
      synlab::app::load_scenario(synlab::app::parse_scenario_text(text, "t.yaml")),
      "t.yaml:7:3: sweep.apps.0.cuont: unknown key 'cuont' in apps.0 — did you mean 'count'? "
      "(accepted: connect, count, start, interval, request, response, send, close_at, abort_at)",
      synlab::app::ScenarioError);
}

TEST_CASE("outcomes, metrics and plot kinds are read into their enums") {
  const synlab::app::Scenario s = synlab::app::load_scenario(
      synlab::app::parse_scenario_text("nodes: [client, server]\n"
                                       "links:\n"
                                       "  wan: {between: [client, server]}\n"
                                       "apps:\n"
                                       "  - {connect: client -> server:80}\n"
                                       "outputs: {plots: [cdf, timeseq]}\n"
                                       "expect:\n"
                                       "  - {conn: 1, outcome: refused}\n"
                                       "  - {metric: p95_handshake_time, equals: 1s}\n"
                                       "  - {metric: timeouts, equals: 3}\n",
                                       "t.yaml"));
  REQUIRE(s.expect.size() == 3);
  CHECK(s.expect[0].outcome == synlab::tcp::Outcome::Refused);
  CHECK(s.expect[1].metric == synlab::app::Metric::P95HandshakeTime);
  CHECK(s.expect[1].equals == 1.0);
  CHECK(s.expect[2].metric == synlab::app::Metric::Timeouts);
  CHECK_FALSE(synlab::app::is_time(s.expect[2].metric));  // a count, though its name has "time"
  CHECK(s.outputs.plots == std::vector<synlab::viz::PlotKind>{synlab::viz::PlotKind::Cdf,
                                                              synlab::viz::PlotKind::Timeseq});
  for (const synlab::app::Metric m : synlab::app::all_metrics) {
    CAPTURE(to_string(m));
    CHECK(synlab::app::is_time(m) == to_string(m).ends_with("_handshake_time"));
  }
}

TEST_CASE("the fuzzers' dictionary holds every key of the schema") {
  std::ifstream in(std::string(SYNLAB_SOURCE_DIR) + "/tests/fuzz/scenario.dict");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& k : scenario_schema) {
    for (std::size_t start = 0; start <= k.path.size();) {
      const std::size_t dot = std::min(k.path.find('.', start), k.path.size());
      const std::string part(k.path.substr(start, dot - start));
      start = dot + 1;
      if (part == "*") continue;
      CAPTURE(part);
      CHECK(text.str().find("=\"" + part + ":\"") != std::string::npos);
    }
  }
}
