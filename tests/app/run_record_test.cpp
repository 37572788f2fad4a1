// RunRecord: the bytes MPI messages and shard files carry for one run (app/run_record.hpp);
// ShardSpec: --shard K/N (app/shard_file.hpp). Layouts worked out by hand from the format.
#include "app/run_record.hpp"

#include <doctest/doctest.h>

#include <string>

#include "app/shard_file.hpp"

using namespace std::chrono_literals;
using synlab::app::ConnectionResult;
using synlab::app::decode_run_record;
using synlab::app::encode_run_record;
using synlab::app::parse_shard;
using synlab::app::RunRecordError;
using synlab::app::RunResult;
using synlab::app::shard_has;
using synlab::app::ShardSpec;
using synlab::sim::at;
namespace tcp = synlab::tcp;

namespace {
RunResult sample() {
  RunResult r;
  r.point = 3;
  r.replication = 7;
  r.seed = 0xfedcba9876543210;
  r.end_time = at(90s);
  r.events = 1234;
  r.connections_opened = 2;
  ConnectionResult c;
  c.id = 2;
  c.client_node = 0;
  c.server_node = 1;
  c.client_port = 40001;
  c.server_port = 80;
  c.open_time = at(1s);
  c.client_established = at(1s) + 100ms;
  c.syns_sent = 2;
  c.synacks_sent = 1;
  c.outcome = tcp::Outcome::Established;
  c.client = "client";
  c.server = "server";
  r.connections.push_back(c);
  r.tally.add(tcp::Outcome::Established, 100ms);
  r.tally.add(tcp::Outcome::Timeout, std::nullopt);
  r.packet_counts = {5, 0};
  r.hosts.resize(2);
  r.hosts[0].segments_sent = 11;
  r.hosts[1].listen_overflows = 22;
  r.hosts[1].syncookies_failed = 3;
  return r;
}
}  // namespace

TEST_CASE("an empty run's record: magic, then fixed-width little-endian fields") {
  RunResult r;
  r.point = 0x0102;
  std::string bytes;
  encode_run_record(r, "", bytes);
  // "SRR\2" (4) + point, replication, seed, end_time, events, connections_opened (6 x 8) +
  // kept connections' count (8) + the tally's six counts (6 x 8) + times' count (8) + packet
  // counts' count (8) + hosts' count (8) + the rows' length (8) = 4 + 48 + 8 + 48 + 8 + 8 + 8 +
  // 8 = 140.
  CHECK(bytes.size() == 140);
  CHECK(bytes.substr(0, 4) == std::string("SRR\x02", 4));
  CHECK(bytes[4] == '\x02');  // 0x0102, least significant byte first
  CHECK(bytes[5] == '\x01');
  CHECK(bytes[6] == '\0');
}

TEST_CASE("a run's record decodes to the same run and rows") {
  const RunResult r = sample();
  std::string bytes;
  encode_run_record(r, "0,7,2,client,40001\n", bytes);
  const auto back = decode_run_record(bytes);
  CHECK(back.connections_csv == "0,7,2,client,40001\n");
  CHECK(back.result.point == 3);
  CHECK(back.result.replication == 7);
  CHECK(back.result.seed == 0xfedcba9876543210);
  CHECK(back.result.end_time == at(90s));
  CHECK(back.result.events == 1234);
  CHECK(back.result.connections_opened == 2);
  REQUIRE(back.result.connections.size() == 1);
  const ConnectionResult& c = back.result.connections[0];
  CHECK(c.id == 2);
  CHECK(c.server_node == 1);
  CHECK(c.client_port == 40001);
  CHECK(c.server_port == 80);
  CHECK(c.open_time == at(1s));
  CHECK(c.client_established == at(1s) + 100ms);
  CHECK_FALSE(c.server_established.has_value());
  CHECK(c.syns_sent == 2);
  CHECK(c.outcome == tcp::Outcome::Established);
  CHECK(c.client == "client");
  CHECK(c.server == "server");
  CHECK(back.result.tally.connections == 2);
  CHECK(back.result.tally.established == 1);
  CHECK(back.result.tally.timeouts == 1);
  CHECK(back.result.tally.times_ns == std::vector<std::int64_t>{100'000'000});
  CHECK(back.result.packet_counts == std::vector<std::uint64_t>{5, 0});
  REQUIRE(back.result.hosts.size() == 2);
  CHECK(back.result.hosts[0] == r.hosts[0]);
  CHECK(back.result.hosts[1] == r.hosts[1]);
  std::string again;
  encode_run_record(back.result, back.connections_csv, again);
  CHECK(again == bytes);
}

TEST_CASE("damaged records are refused, never misread") {
  std::string bytes;
  encode_run_record(sample(), "rows\n", bytes);
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
    CAPTURE(cut);
    CHECK_THROWS_AS(decode_run_record(std::string_view(bytes).substr(0, cut)), RunRecordError);
  }
  CHECK_THROWS_AS(decode_run_record(bytes + "x"), RunRecordError);
  std::string other_version = bytes;
  other_version[3] = '\x01';  // the layout before the hosts' counters
  CHECK_THROWS_AS(decode_run_record(other_version), RunRecordError);
  // The outcome byte of the one kept connection: after the header (4 + 6 x 8), the count (8),
  // id, nodes, ports (5 x 8), three times (3 x 9) and the two counts (2 x 8): 4 + 48 + 8 + 40 +
  // 27 + 16 = 143. Outcome::Reset (4) is the last one.
  std::string bad_outcome = bytes;
  REQUIRE(bad_outcome[143] == static_cast<char>(tcp::Outcome::Established));
  bad_outcome[143] = '\x05';
  CHECK_THROWS_AS(decode_run_record(bad_outcome), RunRecordError);
}

TEST_CASE("--shard K/N: 1 <= K <= N, runs dealt round-robin") {
  const ShardSpec s = parse_shard("2/3");
  CHECK(s.k == 2);
  CHECK(s.n == 3);
  for (const char* bad : {"0/3", "4/3", "1/0", "3", "a/b", "1/", "/3", "-1/3", "1/3x", ""}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_shard(bad), std::invalid_argument);
  }
  // Runs 0..6 over 3 shards: shard 1 gets 0, 3, 6; shard 2 gets 1, 4; shard 3 gets 2, 5.
  CHECK(shard_has(ShardSpec{1, 3}, 0));
  CHECK(shard_has(ShardSpec{1, 3}, 6));
  CHECK(shard_has(ShardSpec{2, 3}, 4));
  CHECK(shard_has(ShardSpec{3, 3}, 5));
  CHECK_FALSE(shard_has(ShardSpec{3, 3}, 6));
}
