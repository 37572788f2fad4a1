// TcpRecord's CSV forms (tcp_record.hpp): states.csv's rows and the full record's row, each
// expected row written out by hand from the record's fields.
#include "models/tcp/tcp_record.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace synlab::tcp {
namespace {

// The client's CLOSED -> SYN-SENT at 1.011251 s (RFC 9293 Figure 5, OPEN active).
TcpRecord connect_record() {
  TcpRecord r;
  r.time_ns = 1'011'251'000;
  r.node = NodeName("client");
  r.conn = 3;  // the host's own number: states.csv shows the run's (`conn`) instead
  r.kind = RecordKind::State;
  r.from = State::Closed;
  r.to = State::SynSent;
  r.cause = Cause::UserConnect;
  return r;
}

std::string state_row(const TcpRecord& r, std::optional<std::uint64_t> conn) {
  std::string line;
  state_to_csv(r, conn, line);
  return line;
}

TEST_CASE(
    "node names: equal when their first 15 characters are, not on a prefix or one character") {
  using namespace std::string_view_literals;
  CHECK(NodeName("client") == NodeName("client"));
  CHECK_FALSE(NodeName("client") == NodeName("clienT"));
  CHECK_FALSE(NodeName("client") == NodeName("clien"));
  CHECK_FALSE(NodeName("ab") == NodeName("ab\0"sv));  // the size tells them apart, not the zeros
  CHECK_FALSE(NodeName("a") == NodeName(""));
  CHECK(NodeName("") == NodeName());
  // The 16th character onwards is not kept (15 at most), so such names are the same.
  CHECK(NodeName("fifteen-chars-xA") == NodeName("fifteen-chars-xB"));
  CHECK_FALSE(NodeName("fifteen-chars-x") == NodeName("fifteen-chars-y"));
  CHECK(NodeName("fifteen-chars-xA").view() == "fifteen-chars-x");
}

TEST_CASE("states.csv: time in exact seconds, node, the run's connection, from, to, cause") {
  CHECK(state_row(connect_record(), 7) == "1.011251000,client,7,CLOSED,SYN-SENT,UserConnect");
  // No connection (a listener's own transitions): an empty cell.
  TcpRecord listen = connect_record();
  listen.node = NodeName("server");
  listen.time_ns = 0;
  listen.to = State::Listen;
  listen.cause = Cause::UserListen;
  CHECK(state_row(listen, std::nullopt) == "0.000000000,server,,CLOSED,LISTEN,UserListen");
  // Appended after what the string holds.
  std::string two = "a\n";
  state_to_csv(listen, 1, two);
  CHECK(two == "a\n0.000000000,server,1,CLOSED,LISTEN,UserListen");
}

TEST_CASE("states.csv: a transition's three cells, written once and kept, make the same row") {
  const TcpRecord r = connect_record();
  std::array<char, 256> cells{};
  const char* end = put_transition_csv(cells.data(), r);
  const std::string_view kept(cells.data(), static_cast<std::size_t>(end - cells.data()));
  CHECK(kept == "CLOSED,SYN-SENT,UserConnect");
  CHECK(kept.size() <= transition_csv_chars(r));
  // A row with the kept cells, at a cursor, within its bound; the same as written in full.
  std::array<char, 256> row{};
  const std::size_t most = state_csv_chars(r, kept);
  REQUIRE(most <= row.size());
  end = put_state_csv(row.data(), r, 7, {}, kept);
  const std::string_view written(row.data(), static_cast<std::size_t>(end - row.data()));
  CHECK(written == "1.011251000,client,7,CLOSED,SYN-SENT,UserConnect");
  CHECK(written.size() <= most);
  CHECK(written == state_row(r, 7));
  // Kept cells are written as they are, whatever the record says.
  end = put_state_csv(row.data(), r, std::nullopt, "0.5", "A,B,C");
  CHECK(std::string_view(row.data(), static_cast<std::size_t>(end - row.data())) ==
        "0.5,client,,A,B,C");
}

TEST_CASE("states.csv at the extremes: negative and largest times, a 20-digit connection") {
  TcpRecord r = connect_record();
  r.time_ns = -3;
  r.from = State::TimeWait;
  r.to = State::Closed;
  r.cause = Cause::TimeWaitTimeout;
  CHECK(state_row(r, 18446744073709551615u) ==  // 2^64 - 1
        "-0.000000003,client,18446744073709551615,TIME-WAIT,CLOSED,TimeWaitTimeout");
  r.time_ns = 9223372036854775807;  // 2^63 - 1 ns = 9223372036 s + 854775807 ns
  CHECK(state_row(r, 0) == "9223372036.854775807,client,0,TIME-WAIT,CLOSED,TimeWaitTimeout");
}

TEST_CASE("a node name that needs quotes is quoted (RFC 4180 §2.6-2.7), an empty one is empty") {
  TcpRecord r = connect_record();
  r.node = NodeName("a,\"b\"");
  CHECK(state_row(r, 1) == "1.011251000,\"a,\"\"b\"\"\",1,CLOSED,SYN-SENT,UserConnect");
  r.node = NodeName("");
  CHECK(state_row(r, 1) == "1.011251000,,1,CLOSED,SYN-SENT,UserConnect");
}

TEST_CASE("the full record's row: csv_header's 18 columns, SYN,ACK quoted for its comma") {
  TcpRecord r;
  r.time_ns = -1;
  r.node = NodeName("server");
  r.conn = 4294967295u;  // 2^32 - 1
  r.kind = RecordKind::Tx;
  r.timer = TimerKind::TimeWait;
  r.deadline_ns = -9223372036854775807 - 1;  // -2^63
  r.outcome = Outcome::Established;
  r.reason = DropReason::BadAck;
  r.src_port = 80;
  r.dst_port = 65535;
  r.seq = 4294967295u;
  r.ack = 1;
  r.flags = Flag::Syn | Flag::Ack;
  r.window = 65160;
  r.payload_bytes = 0;
  std::string line;
  to_csv(r, line);
  // time_ns, node, conn, kind, from, to, cause (the defaults: CLOSED, CLOSED, UserConnect),
  // timer, deadline_ns, outcome, reason, ports, seq, ack, flags, window, len.
  CHECK(line ==
        "-1,server,4294967295,TX,CLOSED,CLOSED,UserConnect,time-wait,-9223372036854775808,"
        "established,BadAck,80,65535,4294967295,1,\"SYN,ACK\",65160,0");
}

}  // namespace
}  // namespace synlab::tcp
