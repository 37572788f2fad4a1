// Scenarios from RFC 9293's figures (§3.5 Figures 6-11, §3.6 Figures 12-13), RFC 6298 timers
// and option negotiation (RFC 7323, RFC 2018), on two hosts joined by a fixed one-way delay d.
// Expected segments are the figures' segment forms; expected times are derived in comments.
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

const Flags SYN = Flag::Syn;

std::vector<std::string> states(const TestNetwork& net) {
  return net.trace_text(RecordKind::State);
}

TEST_CASE("Figure 6: basic three-way handshake, exact times for RTT 50 ms") {
  // d = 25 ms. SYN at 0, SYN,ACK at d, ACK at 2d: the client is ESTABLISHED at 50 ms, the
  // server at 75 ms. rfc6298: windows 65535 in SYNs, 65535 >> 7 = 511 after (RFC 7323 §2.3).
  TestNetwork net(25ms);
  net.add_client_and_listener(rfc6298_profile(), rfc6298_profile(), 100, 300);
  const auto r = net.host("client").connect(net.address("server", 80));
  REQUIRE(r.error == ConnectError::Ok);
  net.scheduler.run();
  CHECK(net.wire_text() == std::vector<std::string>{
                               "0 client>server SYN seq=100 ack=0 win=65535 len=0",
                               "25000000 server>client SYN,ACK seq=300 ack=101 win=65535 len=0",
                               "50000000 client>server ACK seq=101 ack=301 win=511 len=0",
                           });
  CHECK(states(net) == std::vector<std::string>{
                           "0 server#1 STATE CLOSED LISTEN UserListen",
                           "0 client#1 STATE CLOSED SYN-SENT UserConnect",
                           "25000000 server#2 STATE LISTEN SYN-RECEIVED RcvSyn",
                           "50000000 client#1 STATE SYN-SENT ESTABLISHED RcvSynAck",
                           "75000000 server#2 STATE SYN-RECEIVED ESTABLISHED RcvAck",
                       });
  CHECK(net.trace_text(RecordKind::Outcome) ==
        std::vector<std::string>{"50000000 client#1 OUTCOME established",
                                 "75000000 server#2 OUTCOME established"});
  // RFC 6298 (2.2): the handshake's RTT sample R = 50 ms gives SRTT = R, RTTVAR = R/2 and
  // RTO = SRTT + 4 RTTVAR = 150 ms, raised to the 1 s floor (2.4).
  const TcpEndpoint& c = *net.host("client").endpoint(r.id);
  CHECK(c.srtt() == 50ms);
  CHECK(c.rttvar() == 25ms);
  CHECK(c.rto() == 1s);
}

// The client's RTO once its handshake is done: one link of `one_way` delay, a linux listener,
// and the first `lost_syns` SYNs dropped.
sim::Duration client_rto_after_handshake(const Profile& client, sim::Duration one_way,
                                         int lost_syns = 0) {
  TestNetwork net(one_way);
  net.add_client_and_listener(client, linux_profile());
  if (lost_syns > 0) net.drop("client", "server", lost_syns);
  const auto r = net.host("client").connect(net.address("server", 80));
  net.scheduler.run();
  return net.host("client").endpoint(r.id)->rto();
}

TEST_CASE("RFC 6298: the RTO after the handshake (2.2), the floor and the 3 s rule (5.7)") {
  // linux: RTT 100 ms gives RTO = 100 + max(4 x 50, 200) = 300 ms.
  CHECK(client_rto_after_handshake(linux_profile(), 50ms) == 300ms);
  // linux floors the variance term: RTT 20 ms gives 20 + max(40, 200) = 220 ms (RFC 6298 with
  // a 200 ms floor would give max(200, 20 + 40) = 200 ms).
  CHECK(client_rto_after_handshake(linux_profile(), 10ms) == 220ms);
  // Without timestamps a retransmitted SYN gives no sample (Karn): RTO = 3 s (5.7).
  Profile no_ts = linux_profile();
  no_ts.timestamps = false;
  CHECK(client_rto_after_handshake(no_ts, 50ms, 1) == 3s);
  // linux with timestamps samples a retransmitted SYN's RTT from TSecr (tcp_ack_update_rtt(),
  // RTTM rule, RFC 7323 §4.1): the SYN/ACK echoes the second SYN's TSval (sent at 1 s) and
  // arrives at 1.1 s: 100 ticks of 1 ms, so SRTT = 100 ms and RTO = 100 + max(4 x 50, 200) =
  // 300 ms, not TCP_TIMEOUT_FALLBACK's 3 s.
  CHECK(client_rto_after_handshake(linux_profile(), 50ms, 1) == 300ms);
}

TEST_CASE("linux: a retransmitted SYN/ACK's RTT is sampled from the ACK's TSecr") {
  // The first SYN/ACK (at 50 ms) is lost; the second (1.05 s) is acknowledged at 1.15 s, its
  // TSval echoed: 100 ms, RTO 300 ms (tcp_synack_rtt_meas() falls back on TSecr).
  TestNetwork net(50ms);
  net.add_client_and_listener(linux_profile(), linux_profile());
  net.drop("server", "client", 1);
  (void)net.host("client").connect(net.address("server", 80));
  net.scheduler.run();
  const std::optional<ConnId> child = net.host("server").accept(80);
  REQUIRE(child);
  CHECK(net.host("server").endpoint(*child)->rto() == 300ms);
}

TEST_CASE("SYN schedules of the rfc6298 and classic profiles when every SYN is lost") {
  struct Case {
    const Profile* profile;
    std::vector<std::int64_t> syn_s;
    std::int64_t fail_s;
  };
  const std::vector<Case> cases = {
      // RFC 6298: 1 s, doubling (5.5), max 60 s (2.5): 0, 1, 3, 7, 15, 31, 63, 123; R2 = 3 min
      // (RFC 9293 §3.8.3): at 123 + 60 = 183 >= 180 it gives up.
      {&rfc6298_profile(), {0, 1, 3, 7, 15, 31, 63, 123}, 183},
      // classic: 3 s doubling, 5 retries: 0, 3, 9, 21, 45, 93; gives up at 93 + 96 = 189.
      {&classic_profile(), {0, 3, 9, 21, 45, 93}, 189},
  };
  for (const Case& c : cases) {
    CAPTURE(c.profile->name);
    TestNetwork net(10ms);
    net.add_host("client", *c.profile);
    net.add_host("server", *c.profile);
    net.drop_if("client", "server", [](const Segment&) { return true; });
    const auto r = net.host("client").connect(net.address("server", 80));
    net.scheduler.run();
    std::vector<Time> expected;
    for (const auto s : c.syn_s) expected.push_back(at(std::chrono::seconds(s)));
    CHECK(net.times("client", "server", SYN) == expected);
    CHECK(net.trace_text(RecordKind::Outcome) ==
          std::vector<std::string>{std::to_string(c.fail_s * 1'000'000'000) +
                                   " client#1 OUTCOME timeout"});
    CHECK(net.host("client").endpoint(r.id)->stats().syns_sent == c.syn_s.size());
  }
}

TEST_CASE("classic: a lost first SYN costs 3 s (the classic handshake-latency model)") {
  TestNetwork net(10ms);
  net.add_client_and_listener(classic_profile(), classic_profile());
  net.drop("client", "server", 1);
  const auto r = net.host("client").connect(net.address("server", 80));
  net.scheduler.run();
  CHECK(net.host("client").endpoint(r.id)->stats().established_time == at(3s + 20ms));
}

TEST_CASE("Figure 7: simultaneous open - both sides reach ESTABLISHED") {
  // A (ISN 100) and B (ISN 300) connect to each other at 0; the SYNs cross (d = 10 ms). Each
  // SYN-SENT gets a SYN: SYN-RECEIVED, SYN,ACK (line 5). Each SYN,ACK reaches SYN-RECEIVED at
  // 20 ms: trimmed of its SYN it acknowledges ours: ESTABLISHED (lines 6-7). No ACK follows.
  TestNetwork net(10ms);
  net.add_host("A", rfc6298_profile(), 100);
  net.add_host("B", rfc6298_profile(), 300);
  const auto a = net.host("A").connect(net.address("B", 5000), 4000);
  const auto b = net.host("B").connect(net.address("A", 4000), 5000);
  REQUIRE(a.error == ConnectError::Ok);
  REQUIRE(b.error == ConnectError::Ok);
  net.scheduler.run_until(at(10s));
  CHECK(net.wire_text() == std::vector<std::string>{
                               "0 A>B SYN seq=100 ack=0 win=65535 len=0",
                               "0 B>A SYN seq=300 ack=0 win=65535 len=0",
                               // A's SYN left first, so B answers first.
                               "10000000 B>A SYN,ACK seq=300 ack=101 win=65535 len=0",
                               "10000000 A>B SYN,ACK seq=100 ack=301 win=65535 len=0",
                           });
  CHECK(states(net) == std::vector<std::string>{
                           "0 A#1 STATE CLOSED SYN-SENT UserConnect",
                           "0 B#1 STATE CLOSED SYN-SENT UserConnect",
                           "10000000 B#1 STATE SYN-SENT SYN-RECEIVED RcvSyn",
                           "10000000 A#1 STATE SYN-SENT SYN-RECEIVED RcvSyn",
                           "20000000 A#1 STATE SYN-RECEIVED ESTABLISHED RcvAck",
                           "20000000 B#1 STATE SYN-RECEIVED ESTABLISHED RcvAck",
                       });
}

TEST_CASE("CLOSE on a passive child in SYN-RECEIVED: the SYN,ACK is resent, the SYN queue freed") {
  // §3.10.4: SYN-RECEIVED --CLOSE--> FIN-WAIT-1; the SYN stays on the retransmission queue
  // (§3.10.8). B's first SYN,ACK (0 + 10 ms) is lost; B closes its child (id 2, after the
  // listener) at 0.5 s: FIN <SEQ=301> (A, in SYN-SENT, drops it: §3.10.7.3 fifth). B's timer,
  // armed when the SYN arrived at 10 ms, fires at 10 ms + 1 s (RFC 6298 (2.1)): SYN,ACK
  // <SEQ=300> then FIN <SEQ=301>. A: ESTABLISHED, then CLOSE-WAIT. B: FIN-WAIT-2 once A's
  // ACK of SYN and FIN arrives; the child leaves the SYN queue (backlog 1: room for one), so A's
  // second connection at 2 s gets its SYN,ACK.
  TestNetwork net(10ms);
  net.add_host("A", rfc6298_profile(), 100);
  net.add_host("B", rfc6298_profile(), 300);
  REQUIRE(net.host("B").listen(80, 1) == ListenError::Ok);
  net.drop("B", "A", 1);
  const auto a = net.host("A").connect(net.address("B", 80));
  net.scheduler.run_until(at(500ms));
  constexpr ConnId child = 2;
  REQUIRE(net.host("B").endpoint(child) != nullptr);
  REQUIRE(net.host("B").endpoint(child)->state() == State::SynReceived);
  REQUIRE(net.host("B").close(child) == UserError::Ok);
  net.scheduler.run_until(at(2s));
  const TcpEndpoint& b = *net.host("B").endpoint(child);
  CHECK(b.state() == State::FinWait2);
  CHECK(b.stats().synacks_sent == 2);
  CHECK(b.stats().reached_established);
  CHECK(b.bytes_acked() == 0);
  CHECK(net.host("A").endpoint(a.id)->state() == State::CloseWait);
  CHECK(net.times("B", "A", Flag::Syn | Flag::Ack) == std::vector<sim::Time>{at(10ms), at(1010ms)});
  CHECK(net.host("B").accept_queue_length(80) == 0);  // closed by its user: not for accept()
  const auto second = net.host("A").connect(net.address("B", 80));
  net.scheduler.run_until(at(3s));
  CHECK(net.host("B").counters().syn_queue_drops == 0);
  CHECK(net.host("A").endpoint(second.id)->state() == State::Established);
}

TEST_CASE("Figure 8: recovery from an old duplicate SYN") {
  // A's SYN (ISN 100) is lost (the figure's "delayed"); an old SYN <SEQ=90> from A's socket
  // reaches B at 0 (line 3). B answers <SEQ=300><ACK=91><CTL=SYN,ACK> (4); A, in SYN-SENT, sees
  // ACK 91 =< ISS and sends <SEQ=91><CTL=RST> (5), which returns B to LISTEN. A's SYN at 1 s
  // then opens normally (6-8).
  TestNetwork net(10ms);
  net.add_host("A", rfc6298_profile(), 100);
  net.add_host("B", rfc6298_profile(), 300);
  REQUIRE(net.host("B").listen(80, 5) == ListenError::Ok);
  net.drop("A", "B", 1);
  const auto a = net.host("A").connect(net.address("B", 80));
  Segment old;
  old.src_port = 40000;  // A's first ephemeral port
  old.dst_port = 80;
  old.seq = SeqNum(90);
  old.flags = Flag::Syn;
  old.window = 65535;
  net.inject(at(0s), "A", "B", old);
  net.scheduler.run_until(at(10s));
  CHECK(net.wire_text() == std::vector<std::string>{
                               "0 A>B SYN seq=100 ack=0 win=65535 len=0 DROPPED",
                               "0 inject>B SYN seq=90 ack=0 win=65535 len=0",
                               "0 B>A SYN,ACK seq=300 ack=91 win=65535 len=0",
                               "10000000 A>B RST seq=91 ack=0 win=0 len=0",
                               "1000000000 A>B SYN seq=100 ack=0 win=65535 len=0",
                               "1010000000 B>A SYN,ACK seq=300 ack=101 win=65535 len=0",
                               "1020000000 A>B ACK seq=101 ack=301 win=511 len=0",
                           });
  const auto st = states(net);
  CHECK(std::find(st.begin(), st.end(), "20000000 B#2 STATE SYN-RECEIVED LISTEN RcvRst") !=
        st.end());
  CHECK(net.host("A").endpoint(a.id)->state() == State::Established);
  CHECK(net.host("B").endpoint(3)->state() == State::Established);
}

TEST_CASE("Figure 9: half-open connection discovery after A crashes") {
  // A (RFC 6528 ISNs) and B are ESTABLISHED; A crashes at 5 s (TcpHost::crash(): its TCB is
  // lost, nothing sent) and reboots at 5.5 s, its ephemeral ports counting from 40000 again, so
  // its connect() at 6 s uses the lost connection's port. Its new ISN is 6 s / 4 us = 1,500,000
  // above the old one (RFC 6528: same 4-tuple, same key). B, ESTABLISHED, answers the SYN with
  // <SEQ=301><ACK=old ISN+1><CTL=ACK> (line 4); A, in SYN-SENT, resets it: <SEQ=old+1><CTL=RST>
  // (5); B aborts (6). A's next SYN at 7 s reaches B's listener and opens a new connection.
  TestNetwork net(10ms);
  net.add_host("A", rfc6298_profile(), std::nullopt);
  net.add_host("B", rfc6298_profile(), 300);
  REQUIRE(net.host("B").listen(80, 5) == ListenError::Ok);
  const auto first = net.host("A").connect(net.address("B", 80));
  REQUIRE(net.host("A").endpoint(first.id)->tcb().local.port == 40000);
  net.scheduler.run_until(at(5s));
  const SeqNum old_iss = net.host("A").endpoint(first.id)->tcb().iss;
  net.host("A").crash();
  net.scheduler.run_until(at(5500ms));
  net.host("A").reboot();
  net.scheduler.run_until(at(6s));
  const auto second = net.host("A").connect(net.address("B", 80));
  REQUIRE(second.error == ConnectError::Ok);
  CHECK(net.host("A").endpoint(second.id)->tcb().local.port == 40000);
  net.scheduler.run_until(at(10s));
  const SeqNum new_iss = net.host("A").endpoint(second.id)->tcb().iss;
  CHECK(new_iss - old_iss == 1'500'000);
  const std::string o1 = std::to_string((old_iss + 1).value());
  const std::string n0 = std::to_string(new_iss.value());
  const std::string n1 = std::to_string((new_iss + 1).value());
  const auto wire = net.wire_text();
  REQUIRE(wire.size() == 9);
  CHECK(wire[3] == "6000000000 A>B SYN seq=" + n0 + " ack=0 win=65535 len=0");
  CHECK(wire[4] == "6010000000 B>A ACK seq=301 ack=" + o1 + " win=511 len=0");
  CHECK(wire[5] == "6020000000 A>B RST seq=" + o1 + " ack=0 win=0 len=0");
  CHECK(wire[6] == "7000000000 A>B SYN seq=" + n0 + " ack=0 win=65535 len=0");
  CHECK(wire[7] == "7010000000 B>A SYN,ACK seq=300 ack=" + n1 + " win=65535 len=0");
  const auto st = states(net);
  CHECK(std::find(st.begin(), st.end(), "6030000000 B#2 STATE ESTABLISHED CLOSED RcvRst") !=
        st.end());
  CHECK(net.host("A").endpoint(second.id)->state() == State::Established);
  CHECK(net.host("B").endpoint(3)->state() == State::Established);
}

TEST_CASE("Figure 10: the active side causes half-open connection discovery") {
  // A crashes at 5 s and reboots at 5.5 s; B sends 10 bytes at 6 s:
  // <SEQ=301><ACK=101><DATA=10><CTL=ACK> (line 2). A has no TCB: §3.10.7.1 answers
  // <SEQ=SEG.ACK=101><CTL=RST> (3); B aborts.
  TestNetwork net(10ms);
  net.add_host("A", rfc6298_profile(), 100);
  net.add_host("B", rfc6298_profile(), 300);
  REQUIRE(net.host("B").listen(80, 5) == ListenError::Ok);
  const auto a = net.host("A").connect(net.address("B", 80));
  REQUIRE(a.error == ConnectError::Ok);
  net.scheduler.run_until(at(5s));
  net.host("A").crash();
  net.scheduler.run_until(at(5500ms));
  net.host("A").reboot();
  net.scheduler.run_until(at(6s));
  REQUIRE(net.host("B").send(2, 10) == UserError::Ok);
  net.scheduler.run_until(at(10s));
  const auto wire = net.wire_text();
  REQUIRE(wire.size() == 5);
  CHECK(wire[3] == "6000000000 B>A PSH,ACK seq=301 ack=101 win=511 len=10");
  CHECK(wire[4] == "6010000000 A>B RST seq=101 ack=0 win=0 len=0");
  CHECK(net.host("B").endpoint(2)->state() == State::Closed);
  CHECK(states(net).back() == "6020000000 B#2 STATE ESTABLISHED CLOSED RcvRst");
}

TEST_CASE("Figure 11: an old duplicate SYN resets two passive sockets back to LISTEN") {
  // Both listen; an old SYN <SEQ=Z=90> "from" A:4000 reaches B (line 2); B answers
  // <SEQ=300><ACK=91><CTL=SYN,ACK> (3); A's listener answers the ACK with <SEQ=91><CTL=RST>
  // (§3.10.7.2 second; line 4); B returns to LISTEN (5).
  TestNetwork net(10ms);
  net.add_host("A", rfc6298_profile(), 100);
  net.add_host("B", rfc6298_profile(), 300);
  REQUIRE(net.host("A").listen(4000, 5) == ListenError::Ok);
  REQUIRE(net.host("B").listen(80, 5) == ListenError::Ok);
  Segment old;
  old.src_port = 4000;
  old.dst_port = 80;
  old.seq = SeqNum(90);
  old.flags = Flag::Syn;
  old.window = 65535;
  net.inject(at(1s), "A", "B", old);
  net.scheduler.run_until(at(10s));
  CHECK(net.wire_text() == std::vector<std::string>{
                               "1000000000 inject>B SYN seq=90 ack=0 win=65535 len=0",
                               "1000000000 B>A SYN,ACK seq=300 ack=91 win=65535 len=0",
                               "1010000000 A>B RST seq=91 ack=0 win=0 len=0",
                           });
  CHECK(states(net) == std::vector<std::string>{
                           "0 A#1 STATE CLOSED LISTEN UserListen",
                           "0 B#1 STATE CLOSED LISTEN UserListen",
                           "1000000000 B#2 STATE LISTEN SYN-RECEIVED RcvSyn",
                           "1020000000 B#2 STATE SYN-RECEIVED LISTEN RcvRst",
                       });
}

// A client/server pair over rfc6298 with d = 10 ms, ISNs 100 and 300. The server accepts.
struct Pair {
  Pair() : net(10ms) {
    net.add_client_and_listener(rfc6298_profile(), rfc6298_profile(), 100, 300);
    net.on_notification([this](TcpHost& h, ConnId id, Notification n) {
      notes.push_back(std::to_string(sim::to_ns(net.scheduler.now())) + " " + h.name() + "#" +
                      std::to_string(id) + " " + std::string(to_string(n)));
      if (h.name() == "server" && n == Notification::Established) (void)h.accept(80);
      if (hook) hook(h, id, n);
    });
    const auto r = net.host("client").connect(net.address("server", 80));
    REQUIRE(r.error == ConnectError::Ok);
    client = r.id;
  }
  TcpHost& c() { return net.host("client"); }
  TcpHost& s() { return net.host("server"); }
  TestNetwork net;
  ConnId client = 0;
  static constexpr ConnId server = 2;
  std::vector<std::string> notes;
  TestNetwork::Notifier hook;
};

TEST_CASE("Data transfer with a lost segment: RFC 6298 retransmission, go-back-N") {
  // The client sends 3000 octets at 20 ms (ESTABLISHED): 1448 + 1448 + 104 (effective MSS
  // 1460 - 12 for timestamps). The second segment (4th client segment overall) is lost.
  Pair p;
  p.hook = [&p](TcpHost& h, ConnId id, Notification n) {
    if (&h == &p.c() && n == Notification::Established) REQUIRE(h.send(id, 3000) == UserError::Ok);
  };
  p.net.drop("client", "server", 4);
  p.net.scheduler.run_until(at(10s));
  // RTO: handshake R = 20 ms -> RTO = max(1 s, 60 ms) = 1 s (2.4). The ACK of the first
  // segment at 40 ms restarts the timer (5.3): it expires at 1.04 s; RTO doubles (5.5) and
  // the client resends from SND.UNA = 1549: 1448 octets, then 104.
  std::vector<std::string> data;
  for (const auto& e : p.net.wire)
    if (e.segment.payload_bytes > 0) data.push_back(test::to_text(e));
  CHECK(data == std::vector<std::string>{
                    "20000000 client>server ACK seq=101 ack=301 win=511 len=1448",
                    "20000000 client>server ACK seq=1549 ack=301 win=511 len=1448 DROPPED",
                    "20000000 client>server PSH,ACK seq=2997 ack=301 win=511 len=104",
                    "1040000000 client>server ACK seq=1549 ack=301 win=511 len=1448",
                    "1040000000 client>server PSH,ACK seq=2997 ack=301 win=511 len=104",
                });
  const TcpEndpoint& c = *p.c().endpoint(p.client);
  CHECK(c.stats().data_retransmissions == 1);
  CHECK(c.bytes_acked() == 3000);
  CHECK(c.rto() == 2s);  // backed off; no new sample from the retransmitted data (Karn)
  CHECK(p.s().endpoint(Pair::server)->bytes_received() == 3000);
  CHECK(p.notes.back() == "1060000000 client#1 data-acked");
}

TEST_CASE("Request and response: the client sends 100 octets, the server replies 5000") {
  Pair p;
  p.hook = [&p](TcpHost& h, ConnId id, Notification n) {
    if (&h == &p.c() && n == Notification::Established) REQUIRE(h.send(id, 100) == UserError::Ok);
    if (&h == &p.s() && n == Notification::DataReceived && h.endpoint(id)->bytes_received() == 100)
      REQUIRE(h.send(id, 5000) == UserError::Ok);
  };
  p.net.scheduler.run_until(at(10s));
  // 5000 = 1448 + 1448 + 1448 + 656, sent at 30 ms, received at 40 ms.
  std::vector<std::uint32_t> sizes;
  for (const auto& e : p.net.wire)
    if (e.from == "server" && e.segment.payload_bytes > 0) sizes.push_back(e.segment.payload_bytes);
  CHECK(sizes == std::vector<std::uint32_t>{1448, 1448, 1448, 656});
  CHECK(p.c().endpoint(p.client)->bytes_received() == 5000);
}

TEST_CASE("Figure 12: normal close") {
  // At 1 s the client closes: FIN (FIN-WAIT-1). The server ACKs it (CLOSE-WAIT) and its
  // application closes at once: FIN (LAST-ACK). At 1.02 s the client gets the ACK (FIN-WAIT-2)
  // and the FIN (TIME-WAIT); the server gets the last ACK at 1.03 s (CLOSED). TIME-WAIT lasts
  // 2 MSL = 240 s (rfc6298): CLOSED at 241.02 s.
  Pair p;
  p.hook = [&p](TcpHost& h, ConnId id, Notification n) {
    if (&h == &p.s() && n == Notification::PeerClosed) REQUIRE(h.close(id) == UserError::Ok);
  };
  p.net.scheduler.run_until(at(1s));
  REQUIRE(p.c().close(p.client) == UserError::Ok);
  p.net.scheduler.run();
  auto st = states(p.net);
  st.erase(st.begin(), st.begin() + 5);  // the handshake
  CHECK(st == std::vector<std::string>{
                  "1000000000 client#1 STATE ESTABLISHED FIN-WAIT-1 UserClose",
                  "1010000000 server#2 STATE ESTABLISHED CLOSE-WAIT RcvFin",
                  "1010000000 server#2 STATE CLOSE-WAIT LAST-ACK UserClose",
                  "1020000000 client#1 STATE FIN-WAIT-1 FIN-WAIT-2 RcvAck",
                  "1020000000 client#1 STATE FIN-WAIT-2 TIME-WAIT RcvFin",
                  "1030000000 server#2 STATE LAST-ACK CLOSED RcvAck",
                  "241020000000 client#1 STATE TIME-WAIT CLOSED TimeWaitTimeout",
              });
}

TEST_CASE("Figure 13: simultaneous close") {
  // Both close at 1 s; the FINs cross. Each FIN-WAIT-1 gets a FIN that does not ACK its own:
  // CLOSING, ACK (1.01 s); each ACK of FIN arrives at 1.02 s: TIME-WAIT; CLOSED 240 s later.
  // The client's FIN left first, so the server processes first at 1.01 s and its ACK leaves
  // first; that ACK reaches the client first at 1.02 s, whose TIME-WAIT also ends first.
  Pair p;
  p.net.scheduler.run_until(at(1s));
  REQUIRE(p.c().close(p.client) == UserError::Ok);
  REQUIRE(p.s().close(Pair::server) == UserError::Ok);
  p.net.scheduler.run();
  auto st = states(p.net);
  st.erase(st.begin(), st.begin() + 5);
  CHECK(st == std::vector<std::string>{
                  "1000000000 client#1 STATE ESTABLISHED FIN-WAIT-1 UserClose",
                  "1000000000 server#2 STATE ESTABLISHED FIN-WAIT-1 UserClose",
                  "1010000000 server#2 STATE FIN-WAIT-1 CLOSING RcvFin",
                  "1010000000 client#1 STATE FIN-WAIT-1 CLOSING RcvFin",
                  "1020000000 client#1 STATE CLOSING TIME-WAIT RcvAck",
                  "1020000000 server#2 STATE CLOSING TIME-WAIT RcvAck",
                  "241020000000 client#1 STATE TIME-WAIT CLOSED TimeWaitTimeout",
                  "241020000000 server#2 STATE TIME-WAIT CLOSED TimeWaitTimeout",
              });
}

TEST_CASE("Option negotiation: an option is in effect only if both SYNs carry it") {
  SUBCASE("classic client (MSS only) to a linux server") {
    TestNetwork net(10ms);
    net.add_client_and_listener(classic_profile(), linux_profile());
    const auto r = net.host("client").connect(net.address("server", 80));
    net.scheduler.run();
    // The SYN/ACK offers what the SYN offered: MSS only (RFC 7323 §1.3, RFC 2018 §2). Without
    // timestamps the server's window rounds to 1460: 44 x 1460 = 64240.
    const Segment& synack = net.wire[1].segment;
    CHECK(synack.options == Options{1460, std::nullopt, false, std::nullopt});
    CHECK(synack.window == 64240);
    const TcpEndpoint& c = *net.host("client").endpoint(r.id);
    CHECK_FALSE(c.tcb().wscale_ok);
    CHECK_FALSE(c.tcb().ts_ok);
    CHECK_FALSE(c.tcb().sack_ok);
    CHECK(c.effective_send_mss() == 1460);
    CHECK(net.host("server").endpoint(2)->tcb().snd_wnd == 65535);  // unscaled
  }
  SUBCASE("linux client (WS 10) to an rfc6298 server (WS 7)") {
    TestNetwork net(10ms);
    net.add_client_and_listener(linux_profile(), rfc6298_profile());
    const auto r = net.host("client").connect(net.address("server", 80));
    net.scheduler.run();
    const TcpEndpoint& c = *net.host("client").endpoint(r.id);
    const TcpEndpoint& s = *net.host("server").endpoint(2);
    CHECK(c.tcb().snd_wscale == 7);
    CHECK(c.tcb().rcv_wscale == 10);
    CHECK(s.tcb().snd_wscale == 10);
    CHECK(s.tcb().rcv_wscale == 7);
    // The client's third ACK: 64240 >> 10 rounded up = 63; the server reads 63 << 10 = 64512.
    CHECK(s.tcb().snd_wnd == 64512);
  }
  SUBCASE("a server without SACK") {
    Profile no_sack = linux_profile();
    no_sack.sack_permitted = false;
    TestNetwork net(10ms);
    net.add_client_and_listener(linux_profile(), no_sack);
    const auto r = net.host("client").connect(net.address("server", 80));
    net.scheduler.run();
    CHECK_FALSE(net.wire[1].segment.options.sack_permitted);
    CHECK_FALSE(net.host("client").endpoint(r.id)->tcb().sack_ok);
    CHECK(net.host("client").endpoint(r.id)->tcb().ts_ok);
  }
}

TEST_CASE("RFC 6528 ISNs: the same seed gives the same ISN - another 4-tuple another one") {
  auto iss_of = [](std::uint64_t seed, std::uint16_t port) {
    TestNetwork net(10ms);
    net.add_host("client", linux_profile(), std::nullopt, seed);
    net.add_host("server", linux_profile(), std::nullopt, seed);
    const auto r = net.host("client").connect(net.address("server", 80), port);
    return net.host("client").endpoint(r.id)->tcb().iss;
  };
  CHECK(iss_of(7, 40000) == iss_of(7, 40000));
  CHECK(iss_of(7, 40000) != iss_of(8, 40000));
  CHECK(iss_of(7, 40000) != iss_of(7, 40001));
}

TEST_CASE("Same seed, same trace: two runs give identical records") {
  auto run = [] {
    TestNetwork net(10ms);
    net.add_client_and_listener(linux_profile(), linux_profile(), std::nullopt, std::nullopt, 42);
    net.drop("client", "server", 1);
    (void)net.host("client").connect(net.address("server", 80));
    net.scheduler.run();
    std::vector<std::string> lines;
    for (const auto& r : net.sink.records) lines.push_back(to_text(r));
    return lines;
  };
  const auto a = run();
  CHECK(a.size() > 10);
  CHECK(a == run());
}

}  // namespace
}  // namespace synlab::tcp
