// Acceptance tests of the `linux` and `linux-classic` profiles against the real-stack captures
// in docs/linux-reference.md: every nominal schedule and timeline there, at nominal times.
// Two hosts, one link with a fixed one-way delay d, a drop list; fixed ISNs (0) unless a case
// needs RFC 6528 ISNs, so seq/ack read like the reference's relative numbers.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/tcp/profile.hpp"
#include "tests/models/tcp/test_network.hpp"

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;
using sim::at;
using sim::Duration;
using sim::Time;
using test::TestNetwork;

// One-way delay: the reference's veth had RTT 20-40 us; every time there is a timer time.
constexpr Duration d = 10us;
constexpr std::uint16_t kPort = 80;

std::vector<Time> seconds_after(Duration offset, const std::vector<std::int64_t>& s) {
  std::vector<Time> out;
  for (const std::int64_t v : s) out.push_back(at(std::chrono::seconds(v) + offset));
  return out;
}

const Flags SYN = Flag::Syn;
const Flags SYNACK = Flag::Syn | Flag::Ack;
const Flags ACK = Flag::Ack;

// Client "client" (address 1) connects to "server" (address 2) port 80; the server accepts
// every connection as soon as it is established.
struct Lab {
  explicit Lab(const Profile& client_profile, const Profile& server_profile,
               std::optional<std::uint32_t> server_isn = 0)
      : net(d) {
    net.add_host("client", client_profile, 0);
    net.add_host("server", server_profile, server_isn);
    REQUIRE(net.host("server").listen(kPort, 128) == ListenError::Ok);
    net.on_notification([this](TcpHost& h, ConnId id, Notification n) {
      notes.push_back(h.name() + " " + std::string(to_string(n)));
      if (&h == &net.host("server") && n == Notification::Established) (void)h.accept(kPort);
      if (on_note) on_note(h, id, n);
    });
  }
  ConnId connect(std::uint16_t port = kPort) {
    const auto r = net.host("client").connect(net.address("server", port));
    REQUIRE(r.error == ConnectError::Ok);
    return r.id;
  }
  const TcpEndpoint& client(ConnId id) { return *net.host("client").endpoint(id); }
  const TcpEndpoint& server(ConnId id) { return *net.host("server").endpoint(id); }

  TestNetwork net;
  std::vector<std::string> notes;
  TestNetwork::Notifier on_note;
};

bool pure_ack(const Segment& s) {
  return s.flags == Flags(Flag::Ack) && s.payload_bytes == 0;
}

TEST_CASE("linux a: the first SYN is dropped - the retransmission 1 s later connects") {
  Lab lab(linux_profile(), linux_profile());
  lab.net.drop("client", "server", 1);
  const ConnId c = lab.connect();
  lab.net.scheduler.run();
  // Reference a: SYN 0 (dropped), SYN 1.011 (RTO 1 s + slack), SYN/ACK, ACK.
  // Nominal: SYN at 0 and 1 s; SYN/ACK 1 s + d; ACK 1 s + 2d; the server is ESTABLISHED at 3d.
  CHECK(lab.net.wire_text() == std::vector<std::string>{
                                   "0 client>server SYN seq=0 ack=0 win=64240 len=0 DROPPED",
                                   "1000000000 client>server SYN seq=0 ack=0 win=64240 len=0",
                                   "1000010000 server>client SYN,ACK seq=0 ack=1 win=65160 len=0",
                                   "1000020000 client>server ACK seq=1 ack=1 win=63 len=0",
                               });
  CHECK(lab.client(c).stats().established_time == at(1s + 2 * d));
  CHECK(lab.client(c).stats().syns_sent == 2);
  CHECK(lab.client(c).stats().outcome == Outcome::Established);
  // The server's connection (id 2: id 1 is the listener) reached ESTABLISHED on the ACK.
  CHECK(lab.server(2).stats().established_time == at(1s + 3 * d));
  CHECK(lab.server(2).stats().synacks_sent == 1);
}

TEST_CASE("linux b: two SYNs dropped - linear timeouts give 0, 1, 2 s, not 0, 1, 3 s") {
  Lab lab(linux_profile(), linux_profile());
  lab.net.drop("client", "server", 1);
  lab.net.drop("client", "server", 2);
  const ConnId c = lab.connect();
  lab.net.scheduler.run();
  CHECK(lab.net.times("client", "server", SYN) == seconds_after(0s, {0, 1, 2}));
  CHECK(lab.client(c).stats().established_time == at(2s + 2 * d));
}

struct SynRow {
  std::string name;
  std::uint32_t syn_retries;
  std::uint32_t linear_timeouts;
  std::vector<std::int64_t> syn_times_s;
  std::int64_t fail_s;
};

TEST_CASE("linux c: all SYNs dropped - every row of the reference's syn_retries table") {
  // Reference c: nominal SYN times and the connect() ETIMEDOUT time per variant. The rule:
  // RTO 1 s, the first linear_timeouts expiries keep it, then it doubles; give up when
  // retransmissions >= syn_retries + linear_timeouts or elapsed >= (2^(syn_retries+1)-1) s.
  const std::vector<SynRow> table = {
      {"c1 default", 6, 4, {0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67}, 131},  // 67 + 64
      {"c2 syn_retries=3", 3, 4, {0, 1, 2, 3, 4, 5, 7, 11}, 19},         // 11 + 8 >= 15
      {"c6 syn_retries=2", 2, 4, {0, 1, 2, 3, 4, 5}, 7},                 // 5 + 2 >= 7
      {"c5 syn_retries=1", 1, 4, {0, 1, 2}, 3},                          // 2 + 1 >= 3
      {"c3 linear=0 (classic)", 6, 0, {0, 1, 3, 7, 15, 31, 63}, 127},    // 63 + 64
      {"c4 linear=0, syn_retries=3", 3, 0, {0, 1, 3, 7}, 15},            // 7 + 8
      // Not measured; the reference's rule above 6 retries ("grows linearly by 120 s per
      // retry"): bound 127 + 2 x 120 = 367 s, count limit 8 + 4 = 12. The RTO reaches the
      // 120 s cap after 67 + 64 = 131 s: SYNs ... 131, 251; at 371 s both limits hold.
      {"rule: syn_retries=8", 8, 4, {0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67, 131, 251}, 371},
  };
  for (const SynRow& row : table) {
    CAPTURE(row.name);
    Profile p = linux_profile();
    p.syn_retries = row.syn_retries;
    p.syn_linear_timeouts = row.linear_timeouts;
    Lab lab(p, linux_profile());
    lab.net.drop_if("client", "server", [](const Segment&) { return true; });
    const ConnId c = lab.connect();
    lab.net.scheduler.run();
    CHECK(lab.net.times("client", "server", SYN) == seconds_after(0s, row.syn_times_s));
    CHECK(lab.client(c).state() == State::Closed);
    CHECK(lab.client(c).stats().outcome == Outcome::Timeout);
    CHECK(lab.client(c).stats().syns_sent == row.syn_times_s.size());
    CHECK(lab.notes == std::vector<std::string>{"client timed-out"});
    // Nothing is sent at the failure; it happens at the expiry after the last SYN.
    const auto outcome = lab.net.trace_text(RecordKind::Outcome);
    REQUIRE(outcome.size() == 1);
    CHECK(outcome[0] == std::to_string(row.fail_s * 1'000'000'000) + " client#1 OUTCOME timeout");
  }
}

TEST_CASE("linux-classic: SYNs at 0, 1, 3, 7, 15, 31, 63 s and ETIMEDOUT at 127 s") {
  Lab lab(linux_classic_profile(), linux_classic_profile());
  lab.net.drop_if("client", "server", [](const Segment&) { return true; });
  const ConnId c = lab.connect();
  lab.net.scheduler.run();
  CHECK(lab.net.times("client", "server", SYN) == seconds_after(0s, {0, 1, 3, 7, 15, 31, 63}));
  CHECK(lab.net.trace_text(RecordKind::State).back() ==
        "127000000000 client#1 STATE SYN-SENT CLOSED SynTimeout");
  CHECK(lab.client(c).stats().outcome == Outcome::Timeout);
}

TEST_CASE("linux d: the first SYN/ACK is dropped - two SYN/ACKs at 1 s, both ACKed") {
  Lab lab(linux_profile(), linux_profile());
  lab.net.drop("server", "client", 1);
  const ConnId c = lab.connect();
  lab.net.scheduler.run();
  // The server's request timer (armed at d for d + 1 s) and the client's retransmitted SYN
  // (sent at 1 s, arriving at 1 s + d) meet in the same instant: the timer's SYN/ACK, then the
  // reply to the duplicate SYN. The client ACKs the first (ESTABLISHED) and answers the second,
  // now out of window, with a duplicate ACK (reference d).
  CHECK(lab.net.wire_text() ==
        std::vector<std::string>{
            "0 client>server SYN seq=0 ack=0 win=64240 len=0",
            "10000 server>client SYN,ACK seq=0 ack=1 win=65160 len=0 DROPPED",
            "1000000000 client>server SYN seq=0 ack=0 win=64240 len=0",
            "1000010000 server>client SYN,ACK seq=0 ack=1 win=65160 len=0",
            "1000010000 server>client SYN,ACK seq=0 ack=1 win=65160 len=0",
            "1000020000 client>server ACK seq=1 ack=1 win=63 len=0",
            "1000020000 client>server ACK seq=1 ack=1 win=63 len=0",
        });
  CHECK(lab.client(c).stats().established_time == at(1s + 2 * d));
  CHECK(lab.server(2).stats().established_time == at(1s + 3 * d));
  CHECK(lab.server(2).stats().synacks_sent == 3);
}

TEST_CASE("linux e: all SYN/ACKs dropped - the request is replaced by one with a new ISN") {
  Lab lab(linux_profile(), linux_profile(), std::nullopt);  // server: RFC 6528 ISNs
  lab.net.drop_if("server", "client", [](const Segment& s) { return s.flags.has(Flag::Syn); });
  const ConnId c = lab.connect();
  lab.net.scheduler.run();
  CHECK(lab.net.times("client", "server", SYN) ==
        seconds_after(0s, {0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67}));
  // Request 1: an immediate SYN/ACK per SYN; its timer (1 s << num_timeout) re-armed by each
  // duplicate SYN. Left alone from 1 + d it would fire at 3, 7 ... + d; re-armed it fires at
  // 1, 7, 11, 19, 35 (+ d), each time just before a client SYN arrives: one pair each.
  // At 67 + d its 6th expiry finds 5 timeouts used: dropped; the SYN arriving then creates
  // request 2 (new ISN), whose own schedule is +1, +3, +7, +15, +31 s; it expires at 67+63+d.
  const std::vector<Time> expected =
      seconds_after(d, {0, 1, 1, 2, 3, 4, 5, 7, 7, 11, 11, 19, 19, 35, 35, 67, 68, 70, 74, 82, 98});
  CHECK(lab.net.times("server", "client", SYNACK) == expected);
  // Counters: request 1 sent 15 (1 + 9 duplicate replies + 5 timer copies), request 2 sent 6;
  // 21 in all, as the reference's TcpExtTCPSynRetrans (19) + 2 first SYN/ACKs.
  CHECK(lab.server(2).stats().synacks_sent == 15);
  CHECK(lab.server(3).stats().synacks_sent == 6);
  CHECK(lab.net.host("server").counters().requests_expired == 2);
  // Request 1 reuses its ISN and echoes the first SYN's TSval; request 2 has a new ISN.
  std::vector<const Segment*> synacks;
  for (const auto& e : lab.net.wire)
    if (e.from == "server") synacks.push_back(&e.segment);
  REQUIRE(synacks.size() == 21);
  for (std::size_t i = 1; i < 15; ++i) {
    CHECK(synacks[i]->seq == synacks[0]->seq);
    REQUIRE(synacks[i]->options.timestamps.has_value());
    CHECK(synacks[i]->options.timestamps->tsecr == 0);  // the first SYN's TSval (at 0 ms)
  }
  CHECK(synacks[15]->seq != synacks[0]->seq);
  CHECK(synacks[15]->options.timestamps->tsecr == 67'000);  // TSval of the SYN at 67 s (1 kHz)
  CHECK(lab.client(c).stats().outcome == Outcome::Timeout);
  CHECK(lab.net.trace_text(RecordKind::Outcome) ==
        std::vector<std::string>{"67000010000 server#2 OUTCOME timeout",
                                 "130000010000 server#3 OUTCOME timeout",
                                 "131000000000 client#1 OUTCOME timeout"});
  const auto states = lab.net.trace_text(RecordKind::State);
  CHECK(std::find(states.begin(), states.end(),
                  "67000010000 server#2 STATE SYN-RECEIVED CLOSED SynAckTimeout") != states.end());
  CHECK(std::find(states.begin(), states.end(),
                  "130000010000 server#3 STATE SYN-RECEIVED CLOSED SynAckTimeout") != states.end());
  CHECK(std::find(states.begin(), states.end(),
                  "131000000000 client#1 STATE SYN-SENT CLOSED SynTimeout") != states.end());
}

TEST_CASE("linux f2: all pure ACKs dropped - SYN/ACKs at 0, 1, 3, 7, 15, 31 s, then RST on data") {
  for (const std::uint32_t retries : {5u, 2u}) {
    CAPTURE(retries);
    Profile server = linux_profile();
    server.synack_retries = retries;
    Lab lab(linux_profile(), server);
    lab.net.drop_if("client", "server", pure_ack);
    const ConnId c = lab.connect();
    // The client was ESTABLISHED at 2d; it sends 10 bytes at 70 s (12 s for synack_retries=2).
    const Time data_at = retries == 5 ? at(70s) : at(12s);
    lab.net.scheduler.schedule_at(
        data_at, [&lab, c] { REQUIRE(lab.net.host("client").send(c, 10) == UserError::Ok); });
    lab.net.scheduler.run();
    // 5 retries: 0, 1, 3, 7, 15, 31 (+d); the 6th expiry at 63 + d drops the request silently.
    // 2 retries: 0, 1, 3 (+d); dropped at 7 + d.
    const auto synacks = lab.net.times("server", "client", SYNACK);
    if (retries == 5) {
      CHECK(synacks == seconds_after(d, {0, 1, 3, 7, 15, 31}));
    } else {
      CHECK(synacks == seconds_after(d, {0, 1, 3}));
    }
    const auto states = lab.net.trace_text(RecordKind::State);
    const std::string gone = std::to_string((retries == 5 ? 63 : 7) * 1'000'000'000LL + 10'000) +
                             " server#2 STATE SYN-RECEIVED CLOSED SynAckTimeout";
    CHECK(std::find(states.begin(), states.end(), gone) != states.end());
    // Each retransmitted SYN/ACK drew a (dropped) ACK from the client.
    CHECK(lab.net.times("client", "server", ACK).size() == synacks.size());
    // The data reaches the listener: RST <SEQ=SEG.ACK> (= 1), no ACK bit, window 0; the client
    // is reset (ECONNRESET).
    const auto wire = lab.net.wire_text();
    const std::string t = std::to_string(sim::to_ns(data_at));
    const std::string t1 = std::to_string(sim::to_ns(data_at + d));
    CHECK(wire[wire.size() - 2] == t + " client>server PSH,ACK seq=1 ack=1 win=63 len=10");
    CHECK(wire.back() == t1 + " server>client RST seq=1 ack=0 win=0 len=0");
    CHECK(lab.client(c).state() == State::Closed);
    CHECK(lab.notes.back() == "client reset");
    CHECK(lab.net.host("server").accept_queue_length(kPort) == 0);
  }
}

TEST_CASE("linux f1: the third ACK is dropped - the SYN/ACK timer at 1 s completes the server") {
  Lab lab(linux_profile(), linux_profile());
  lab.net.drop("client", "server", 2);  // the ACK
  const ConnId c = lab.connect();
  lab.net.scheduler.run();
  CHECK(lab.client(c).stats().established_time == at(2 * d));  // connect() returns at once
  CHECK(lab.net.times("server", "client", SYNACK) == seconds_after(d, {0, 1}));
  CHECK(lab.server(2).stats().established_time == at(1s + 3 * d));  // accept() at ~1 s
  // The client's reply to the retransmitted SYN/ACK echoes the first SYN/ACK's TSval (f1): the
  // server's TSval clock starts at 0 (fixed ISN) and its first SYN/ACK left at d = 10 us: 0 ms.
  const auto& last = lab.net.wire.back();
  CHECK(last.from == "client");
  REQUIRE(last.segment.options.timestamps.has_value());
  CHECK(last.segment.options.timestamps->tsecr == 0);
}

TEST_CASE("linux f3: the third ACK is dropped but the client's data completes the handshake") {
  Lab lab(linux_profile(), linux_profile());
  lab.net.drop("client", "server", 2);
  lab.on_note = [&lab](TcpHost& h, ConnId id, Notification n) {
    if (h.name() == "client" && n == Notification::Established)
      REQUIRE(lab.net.host("client").send(id, 100) == UserError::Ok);
  };
  lab.connect();
  lab.net.scheduler.run_until(at(10s));
  CHECK(lab.net.wire_text() == std::vector<std::string>{
                                   "0 client>server SYN seq=0 ack=0 win=64240 len=0",
                                   "10000 server>client SYN,ACK seq=0 ack=1 win=65160 len=0",
                                   "20000 client>server ACK seq=1 ack=1 win=63 len=0 DROPPED",
                                   "20000 client>server PSH,ACK seq=1 ack=1 win=63 len=100",
                                   "30000 server>client ACK seq=1 ack=101 win=64 len=0",
                               });
  CHECK(lab.server(2).stats().established_time == at(3 * d));
  CHECK(lab.server(2).stats().synacks_sent == 1);  // no SYN/ACK retransmission
  CHECK(lab.server(2).bytes_received() == 100);
}

TEST_CASE("linux f4: every pure ACK dropped - the data still completes the handshake") {
  Lab lab(linux_profile(), linux_profile());
  lab.net.drop_if("client", "server", pure_ack);
  lab.on_note = [&lab](TcpHost& h, ConnId id, Notification n) {
    if (h.name() == "client" && n == Notification::Established)
      REQUIRE(lab.net.host("client").send(id, 100) == UserError::Ok);
  };
  lab.connect();
  lab.net.scheduler.run_until(at(10s));
  // As f3: the server is ESTABLISHED by the data at 3d, ACKs it, and never resends its SYN/ACK.
  CHECK(lab.server(2).stats().established_time == at(3 * d));
  CHECK(lab.server(2).stats().synacks_sent == 1);
  CHECK(lab.server(2).bytes_received() == 100);
}

TEST_CASE("linux g: a closed port answers RST/ACK seq 0 ack ISN+1 win 0 - connect() refused") {
  Lab lab(linux_profile(), linux_profile());
  const ConnId c = lab.connect(81);
  lab.net.scheduler.run();
  CHECK(lab.net.wire_text() == std::vector<std::string>{
                                   "0 client>server SYN seq=0 ack=0 win=64240 len=0",
                                   "10000 server>client RST,ACK seq=0 ack=1 win=0 len=0",
                               });
  CHECK(lab.net.wire.back().segment.options == Options{});
  CHECK(lab.client(c).stats().outcome == Outcome::Refused);
  CHECK(lab.notes == std::vector<std::string>{"client refused"});
  CHECK(lab.net.host("server").counters().resets_for_no_tcb == 1);
}

TEST_CASE("linux h: listen(1) without accept(): the accept queue holds 2, later SYNs dropped") {
  // Four clients connect 0.1 s apart; the server accepts nothing until 4.25 s, then everything.
  TestNetwork net(d);
  net.add_host("server", linux_profile(), 0);
  for (int i = 1; i <= 4; ++i) net.add_host("client" + std::to_string(i), linux_profile(), 0);
  REQUIRE(net.host("server").listen(kPort, 1) == ListenError::Ok);
  bool accepting = false;
  net.on_notification([&](TcpHost& h, ConnId, Notification n) {
    if (accepting && h.name() == "server" && n == Notification::Established) (void)h.accept(kPort);
  });
  std::vector<ConnId> ids(5);
  for (int i = 1; i <= 4; ++i) {
    net.scheduler.schedule_at(at(100ms * (i - 1)), [&net, &ids, i] {
      const auto r = net.host("client" + std::to_string(i)).connect(net.address("server", kPort));
      REQUIRE(r.error == ConnectError::Ok);
      ids[static_cast<std::size_t>(i)] = r.id;
    });
  }
  net.scheduler.schedule_at(at(4250ms), [&net, &accepting] {
    accepting = true;
    while (net.host("server").accept(kPort)) {
    }
  });
  net.scheduler.run_until(at(20s));
  auto est = [&](int i) {
    const TcpEndpoint* e = net.host("client" + std::to_string(i)).endpoint(ids[i]);
    REQUIRE(e != nullptr);
    return e->stats().established_time;
  };
  // 1 and 2 complete at once; 3 (first SYN at 0.2 s) is dropped at 0.2, 1.2, 2.2, 3.2, 4.2 and
  // succeeds at 5.2 s; 4 (0.3 s) is dropped at 0.3 ... 3.3 and succeeds at 4.3 s (after 4.25).
  CHECK(est(1) == at(2 * d));
  CHECK(est(2) == at(100ms + 2 * d));
  CHECK(est(3) == at(5200ms + 2 * d));
  CHECK(est(4) == at(4300ms + 2 * d));
  CHECK(net.times("client3", "server", SYN).size() == 6);
  CHECK(net.times("client4", "server", SYN).size() == 5);
  // Reference: TcpExtListenOverflows = 9 (5 + 4 silent drops).
  CHECK(net.host("server").counters().listen_overflows == 9);
  CHECK(net.times("server", "client3", SYNACK) == std::vector<Time>{at(5200ms + d)});
}

TEST_CASE("linux: an ACK that finds the accept queue full is dropped - a later one completes") {
  // listen(1): the accept queue holds 2. client1 completes at once (queue 1). client2 and
  // client3 connect at 1 ms; their SYNs arrive at t = 1 ms + d with room in both queues.
  // client2's ACK fills the queue; client3's ACK (at t + 2d) is dropped, as is its answer to
  // the SYN,ACK retransmitted at t + 1 s. accept() at 2.5 s empties the queue, so the answer
  // to the SYN,ACK at t + 3 s completes the handshake at t + 3 s + 2d.
  TestNetwork net(d);
  net.add_host("server", linux_profile(), 0);
  for (int i = 1; i <= 3; ++i) net.add_host("client" + std::to_string(i), linux_profile(), 0);
  REQUIRE(net.host("server").listen(kPort, 1) == ListenError::Ok);
  (void)net.host("client1").connect(net.address("server", kPort));
  net.scheduler.run_until(at(1ms));
  (void)net.host("client2").connect(net.address("server", kPort));
  const auto c3 = net.host("client3").connect(net.address("server", kPort));
  net.scheduler.run_until(at(2500ms));
  CHECK(net.host("server").accept_queue_length(kPort) == 2);
  CHECK(net.host("server").counters().listen_overflows == 2);
  while (net.host("server").accept(kPort)) {
  }
  net.scheduler.run_until(at(10s));
  const Time t = at(1ms + d);
  CHECK(net.times("server", "client3", Flag::Syn | Flag::Ack) ==
        std::vector<Time>{t, t + 1s, t + 3s});
  // client3 is ESTABLISHED when the first SYN,ACK arrives: t + d.
  CHECK(net.host("client3").endpoint(c3.id)->stats().established_time == t + d);
  // The server's connection for client3 is id 4 (1: listener, 2: client1, 3: client2).
  CHECK(net.host("server").endpoint(4)->stats().established_time == t + 3s + 2 * d);
}

TEST_CASE("linux options and windows: SYN, SYN/ACK, third ACK and first server ACK") {
  Lab lab(linux_profile(), linux_profile());
  lab.on_note = [&lab](TcpHost& h, ConnId id, Notification n) {
    if (h.name() == "client" && n == Notification::Established)
      REQUIRE(lab.net.host("client").send(id, 100) == UserError::Ok);
  };
  const ConnId c = lab.connect();
  lab.net.scheduler.run_until(at(1s));
  const auto& w = lab.net.wire;
  REQUIRE(w.size() >= 5);
  // SYN: MSS=1460, SACK_PERM, TS val ecr=0, NOP, WS=10; 40-byte header; window 64240.
  CHECK(w[0].segment.options == Options{1460, 10, true, Timestamps{0, 0}});
  CHECK(w[0].segment.header_bytes() == 40);
  CHECK(w[0].segment.window == 64240);
  // SYN/ACK: the same set; TSecr = the SYN's TSval; window 65160 = 45 x 1448.
  CHECK(w[1].segment.options == Options{1460, 10, true, Timestamps{0, 0}});
  CHECK(w[1].segment.window == 65160);
  // Third ACK: NOP NOP TS, 32 bytes, window 63 (x 1024 = 64512).
  CHECK(w[2].segment.header_bytes() == 32);
  CHECK(w[2].segment.window == 63);
  CHECK_FALSE(w[2].segment.options.mss.has_value());
  // The server's first ACK: window 64 (x 1024 = 65536).
  CHECK(w[4].from == "server");
  CHECK(w[4].segment.window == 64);
  // Negotiated: effective MSS with timestamps 1448; both windows scaled by 10.
  CHECK(lab.client(c).effective_send_mss() == 1448);
  CHECK(lab.client(c).tcb().wscale_ok);
  CHECK(lab.client(c).tcb().snd_wscale == 10);
  CHECK(lab.client(c).tcb().sack_ok);
  CHECK(lab.server(2).tcb().snd_wnd == 63u * 1024u);
}

TEST_CASE("Deadline edges: nothing at deadline - 1 ns, the SYN retransmission at the deadline") {
  Lab lab(linux_profile(), linux_profile());
  lab.net.drop("client", "server", 1);
  lab.connect();
  lab.net.scheduler.run_until(at(1s) - 1ns);
  CHECK(lab.net.times("client", "server", SYN).size() == 1);
  lab.net.scheduler.run_until(at(1s));
  CHECK(lab.net.times("client", "server", SYN).size() == 2);
}

}  // namespace
}  // namespace synlab::tcp
