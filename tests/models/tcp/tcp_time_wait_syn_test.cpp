// A SYN for a connection in TIME-WAIT. RFC 9293 §3.10.7.4 with RFC 5961 §4.2 answers it with an
// ACK <SEQ=SND.NXT><ACK=RCV.NXT>; RFC 1122 §4.2.2.13 lets a TCP reopen the connection instead,
// and Linux does when a listener has the port (tcp_timewait_state_process() returns TCP_TW_SYN
// for a SYN without ACK or RST that PAWS does not reject and whose SEG.SEQ is after RCV.NXT or
// whose TSval is newer than TS.Recent; tcp_v4_rcv() then drops the TIME-WAIT socket and hands
// the SYN to the listener, whose SYN,ACK carries ISS = SND.NXT + 65535 + 2).
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "models/tcp/profile.hpp"
#include "models/tcp/tcp_endpoint.hpp"
#include "tests/models/tcp/connected_endpoint.hpp"
#include "tests/models/tcp/test_network.hpp"

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;
using sim::at;
using test::TestNetwork;

// d = 10 ms; the client's ISN 0, the server's 300; TSval offsets 0 (fixed ISNs), TSval = ms.
// The client connects at 0 (ESTABLISHED at 20 ms; its child at 30 ms). At 30 ms the server's
// application accepts and closes first: FIN seq 301. At 40 ms the client ACKs it (CLOSE-WAIT)
// and closes: FIN seq 1, TSval 40. At 50 ms the server is in TIME-WAIT with RCV.NXT = 2,
// SND.NXT = 302 and (linux, timestamps) TS.Recent = 40, and ACKs the FIN.
struct ServerInTimeWait {
  explicit ServerInTimeWait(const Profile& p) : net(10ms) {
    net.add_client_and_listener(p, p, 0, 300);
    net.on_notification([this](TcpHost& h, ConnId id, Notification n) {
      if (&h == &net.host("server") && n == Notification::Established && id == child) {
        REQUIRE(h.accept(80) == std::optional<ConnId>(id));
        REQUIRE(h.close(id) == UserError::Ok);
      }
      if (&h == &net.host("client") && n == Notification::PeerClosed)
        REQUIRE(h.close(id) == UserError::Ok);
    });
    REQUIRE(net.host("client").connect(net.address("server", 80)).error == ConnectError::Ok);
    net.scheduler.run_until(at(1s));
    REQUIRE(server().endpoint(child)->state() == State::TimeWait);
    REQUIRE(server().endpoint(child)->tcb().rcv_nxt == SeqNum(2));
    REQUIRE(server().endpoint(child)->tcb().snd_nxt == SeqNum(302));
  }
  TcpHost& server() { return net.host("server"); }
  // A SYN from the client's port 40000 at `when`, as a new incarnation of the connection would
  // send.
  void syn_at(sim::Time when, std::uint32_t seq,
              std::optional<std::uint32_t> tsval = std::nullopt) {
    Segment s;
    s.src_port = 40000;
    s.dst_port = 80;
    s.flags = Flag::Syn;
    s.seq = SeqNum(seq);
    s.window = 65535;
    s.options.mss = 1460;
    if (tsval) s.options.timestamps = Timestamps{*tsval, 0};
    net.inject(when, "client", "server", s);
    net.scheduler.run_until(when);
  }
  void syn_at_1s(std::uint32_t seq, std::optional<std::uint32_t> tsval = std::nullopt) {
    syn_at(at(1s), seq, tsval);
  }
  // What the server sent at `when`.
  std::vector<Segment> replies(sim::Time when = at(1s)) const {
    std::vector<Segment> out;
    for (const test::WireEntry& e : net.wire)
      if (e.time == when && e.from == "server") out.push_back(e.segment);
    return out;
  }

  TestNetwork net;
  const ConnId child = 2;  // the listener is 1
};

TEST_CASE("linux: a SYN after RCV.NXT reopens a TIME-WAIT connection, ISS = SND.NXT + 65537") {
  ServerInTimeWait t(linux_profile());
  t.syn_at_1s(5000);  // no timestamps: the sequence number decides; 5000 is after 2
  const std::vector<Segment> r = t.replies();
  REQUIRE(r.size() == 1);
  CHECK(r[0].flags == (Flag::Syn | Flag::Ack));
  CHECK(r[0].seq == SeqNum(302 + 65535 + 2));  // 65839
  CHECK(r[0].ack == SeqNum(5001));
  // The TIME-WAIT connection is gone; the listener's new child is in SYN-RECEIVED.
  CHECK(t.server().endpoint(t.child)->state() == State::Closed);
  CHECK(t.server().endpoint(3)->state() == State::SynReceived);
  const auto st = t.net.trace_text(RecordKind::State);
  REQUIRE(st.size() >= 2);
  CHECK(st[st.size() - 2] == "1000000000 server#2 STATE TIME-WAIT CLOSED RcvSyn");
  CHECK(st.back() == "1000000000 server#3 STATE LISTEN SYN-RECEIVED RcvSyn");
}

TEST_CASE("linux: a SYN not after RCV.NXT reopens only with a newer TSval, and PAWS rejects") {
  struct Case {
    std::uint32_t seq;
    std::optional<std::uint32_t> tsval;
    bool reopens;
  };
  // TS.Recent = 40. tcp_paws_reject() -> tcp_paws_check(rx_opt, 0): a TSval behind it (< 40) is
  // rejected, even with SEG.SEQ after RCV.NXT; one equal to it is not, but is not newer either.
  for (const Case c :
       {Case{1, std::nullopt, false}, Case{2, std::nullopt, false}, Case{1, 1000, true},
        Case{1, 41, true}, Case{1, 40, false}, Case{1, 39, false}, Case{5000, 40, true},
        Case{5000, 39, false}, Case{5000, 38, false}}) {
    CAPTURE(c.seq);
    CAPTURE(c.tsval.value_or(0));
    ServerInTimeWait t(linux_profile());
    t.syn_at_1s(c.seq, c.tsval);
    const std::vector<Segment> r = t.replies();
    REQUIRE(r.size() == 1);
    if (c.reopens) {
      CHECK(r[0].flags == (Flag::Syn | Flag::Ack));
      CHECK(r[0].seq == SeqNum(65839));
      CHECK(t.server().endpoint(t.child)->state() == State::Closed);
    } else {
      // The TIME-WAIT connection's ACK <SEQ=SND.NXT><ACK=RCV.NXT> (Linux: TCP_TW_ACK).
      CHECK(r[0].flags == Flags(Flag::Ack));
      CHECK(r[0].seq == SeqNum(302));
      CHECK(r[0].ack == SeqNum(2));
      CHECK(t.server().endpoint(t.child)->state() == State::TimeWait);
    }
  }
}

TEST_CASE("linux: without a listener on the port, each such SYN draws TIME-WAIT's ACK") {
  // tcp_v4_rcv(): TCP_TW_SYN without a listener falls through to tcp_v4_timewait_ack(), which
  // no rate limit holds back: two SYNs at the same instant get two ACKs (an out-of-window
  // segment's reply would be limited to one per 500 ms, tcp_invalid_ratelimit).
  ServerInTimeWait t(linux_profile());
  REQUIRE(t.server().close(1) == UserError::Ok);  // the listener
  t.syn_at_1s(5000);
  t.syn_at_1s(6000);
  const std::vector<Segment> r = t.replies();
  REQUIRE(r.size() == 2);
  for (const Segment& s : r) {
    CHECK(s.flags == Flags(Flag::Ack));
    CHECK(s.seq == SeqNum(302));
    CHECK(s.ack == SeqNum(2));
  }
  CHECK(t.server().endpoint(t.child)->state() == State::TimeWait);
}

TEST_CASE("linux: a full accept queue drops the reopening SYN, and the TIME-WAIT goes anyway") {
  // tcp_v4_rcv() drops the TIME-WAIT socket before tcp_conn_request() tests the accept queue
  // (a full queue: LISTENOVERFLOWS, the SYN dropped). At 1 s the server listens anew with
  // backlog 0, whose accept queue holds 0 + 1 (queued > backlog is full); host c2's connection
  // fills it at 1.03 s (never accepted). The SYN at 2 s is dropped silently.
  ServerInTimeWait t(linux_profile());
  REQUIRE(t.server().close(1) == UserError::Ok);
  REQUIRE(t.server().listen(80, 0) == ListenError::Ok);
  t.net.add_host("c2", linux_profile(), 0);
  REQUIRE(t.net.host("c2").connect(t.net.address("server", 80)).error == ConnectError::Ok);
  t.net.scheduler.run_until(at(1500ms));
  REQUIRE(t.server().accept_queue_length(80) == 1);
  const std::uint64_t overflows = t.server().counters().listen_overflows;
  t.syn_at(at(2s), 5000);
  CHECK(t.replies(at(2s)).empty());
  CHECK(t.server().counters().listen_overflows == overflows + 1);
  CHECK(t.server().endpoint(t.child)->state() == State::Closed);
}

TEST_CASE("linux: an orphan in TIME-WAIT that a SYN reopens is released by its host") {
  ServerInTimeWait t(linux_profile());
  t.server().orphan(t.child);
  t.syn_at_1s(5000);
  CHECK(t.replies().size() == 1);
  CHECK(t.server().endpoint(t.child) == nullptr);
  CHECK(t.server().endpoint(3)->state() == State::SynReceived);
}

TEST_CASE("linux: PAWS does not hold back a SYN when TS.Recent is 0 (tcp_paws_check())") {
  // An endpoint driven by hand to TIME-WAIT whose peer's timestamps were all 0: TS.Recent 0.
  // tcp_paws_check() never rejects against a TS.Recent of 0 (some stacks send TSval 0 at first):
  // a SYN after RCV.NXT reopens it whatever its TSval; with TS.Recent 40 the same SYN would not.
  for (const std::uint32_t recent : {0u, 40u}) {
    CAPTURE(recent);
    test::Connected c(linux_profile(), {}, recent);  // ESTABLISHED: ISS 1000, IRS 5000
    REQUIRE(c.ep.close(c.now) == UserError::Ok);     // FIN seq 1001
    c.in(Flag::Fin | Flag::Ack, 5001, 1002);         // FIN-WAIT-1 -> TIME-WAIT
    const TcpEndpoint& ep = c.ep;
    REQUIRE(ep.state() == State::TimeWait);
    REQUIRE(ep.tcb().ts_recent == recent);
    Segment syn;
    syn.src_port = test::kRemote.port;
    syn.dst_port = test::kLocal.port;
    syn.flags = Flag::Syn;
    syn.seq = SeqNum(9000);                               // after RCV.NXT = 5002
    syn.options.timestamps = Timestamps{0xFFFFFF00u, 0};  // 256 behind 0, far behind 40
    const std::optional<SeqNum> iss = ep.time_wait_reopen_iss(syn);
    if (recent == 0) {
      REQUIRE(iss);
      CHECK(*iss == SeqNum(1002 + 65535 + 2));  // SND.NXT after the FIN
    } else {
      CHECK_FALSE(iss);
    }
  }
}

TEST_CASE("rfc6298: every SYN in TIME-WAIT draws an ACK (RFC 9293 §3.10.7.4, RFC 5961 §4.2)") {
  ServerInTimeWait t(rfc6298_profile());
  t.syn_at_1s(5000);
  const std::vector<Segment> r = t.replies();
  REQUIRE(r.size() == 1);
  CHECK(r[0].flags == Flags(Flag::Ack));
  CHECK(r[0].seq == SeqNum(302));
  CHECK(r[0].ack == SeqNum(2));
  CHECK(t.server().endpoint(t.child)->state() == State::TimeWait);
}

}  // namespace
}  // namespace synlab::tcp
