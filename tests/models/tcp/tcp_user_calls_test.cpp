// The socket calls a packetdrill-style runner makes (issue 12): socket options before connect()
// (TCP_USER_TIMEOUT, TCP_SYNCNT), close() in SYN-SENT, closing a listener, reading, shutdown()
// and the socket error. Expected values from RFC 9293, RFC 1122 and Linux's code (named).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "models/tcp/profile.hpp"
#include "models/tcp/tcp_endpoint.hpp"
#include "tests/models/tcp/connected_endpoint.hpp"
#include "tests/models/tcp/recording_effects.hpp"
#include "tests/models/tcp/test_network.hpp"

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;
using sim::at;

using test::Connected;
using test::kLocal;
using test::kRemote;

// An active open that nothing answers: every SYN timer fires at its deadline until the endpoint
// gives up. The times of the SYNs and of the give-up.
struct Unanswered {
  std::vector<sim::Time> syns;
  sim::Time gave_up{};
  Outcome outcome = Outcome::Pending;
  SocketError error = SocketError::None;
};

Unanswered unanswered(const Profile& profile, const SocketOptions& options) {
  test::RecordingEffects fx;
  const EndpointContext ctx{&profile, nullptr, IsnSource{nullptr, 1000}, NodeName("c")};
  TcpEndpoint ep(ctx, fx, 1, TcpEndpoint::Start::Closed, {}, options);
  sim::Time now = at(0s);
  REQUIRE(ep.connect(now, kLocal, kRemote) == UserError::Ok);
  Unanswered r;
  r.syns.push_back(now);
  while (ep.state() == State::SynSent) {
    const auto deadline = ep.timer_deadline(TimerKind::Retransmission);
    REQUIRE(deadline.has_value());
    now = *deadline;
    fx.sent.clear();
    ep.on_timer(now, TimerKind::Retransmission);
    if (!fx.sent.empty()) r.syns.push_back(now);
  }
  r.gave_up = now;
  r.outcome = ep.stats().outcome;
  r.error = ep.error();
  return r;
}

SocketOptions user_timeout(sim::Duration d) {
  SocketOptions o;
  o.user_timeout = d;
  return o;
}

SocketOptions syncnt(std::uint32_t n) {
  SocketOptions o;
  o.syn_retries = n;
  return o;
}

std::vector<sim::Time> times(std::initializer_list<sim::Duration> ds) {
  std::vector<sim::Time> out;
  for (const sim::Duration d : ds) out.push_back(at(d));
  return out;
}

// --- 1. Socket options before connect() ------------------------------------------------------

TEST_CASE("Linux: TCP_USER_TIMEOUT 3 s bounds the SYN retries of a connect()") {
  // tcp_write_timeout(): with a user timeout, retransmits_timed_out() compares the time since the
  // first SYN with it instead of tcp_model_timeout(). Expiries: 1 s (no retransmission yet: not
  // checked) -> SYN; timer min(RTO 1 s, 3 - 1 = 2 s) = 1 s -> 2 s: 2 < 3 -> SYN; timer min(1 s,
  // 3 - 2 = 1 s) -> 3 s: 3 >= 3, ETIMEDOUT. SYNs at 0, 1, 2 s; gives up at 3 s.
  const Unanswered r = unanswered(linux_profile(), user_timeout(3s));
  CHECK(r.syns == times({0s, 1s, 2s}));
  CHECK(r.gave_up == at(3s));
  CHECK(r.outcome == Outcome::Timeout);
  CHECK(r.error == SocketError::TimedOut);  // Linux: tcp_write_err(): ETIMEDOUT
}

TEST_CASE("Linux: the timer is clamped to the user timeout left (tcp_clamp_rto_to_user_timeout)") {
  // U = 2.5 s: SYNs at 0, 1, 2 s as above; at 2 s the time left is 0.5 s < RTO 1 s, so the timer
  // is armed for 2.5 s, where 2.5 >= 2.5 gives up.
  const Unanswered r = unanswered(linux_profile(), user_timeout(2500ms));
  CHECK(r.syns == times({0s, 1s, 2s}));
  CHECK(r.gave_up == at(2500ms));
}

TEST_CASE("Linux: a user timeout below the first RTO still sends one retransmission") {
  // U = 500 ms. tcp_connect() arms the first timer with icsk_rto (1 s), unclamped. At 1 s
  // icsk_retransmits is 0, so retransmits_timed_out() is false: the SYN is resent. The time left
  // is 0.5 - 1 < 0 s: "fire ASAP", one jiffy (4 ms at HZ=250): gives up at 1.004 s.
  const Unanswered r = unanswered(linux_profile(), user_timeout(500ms));
  CHECK(r.syns == times({0s, 1s}));
  CHECK(r.gave_up == at(1004ms));
}

TEST_CASE("RFC 9293 §3.10.8: the user timeout is a timer of its own (rfc6298)") {
  // rfc6298: SYN at 0, RTO 1 s -> SYN at 1 s, RTO 2 s -> next expiry 3 s, but the user timer
  // expires first: at 2.5 s the connection closes. With U = 500 ms it closes at 0.5 s, before
  // any retransmission.
  const Unanswered a = unanswered(rfc6298_profile(), user_timeout(2500ms));
  CHECK(a.syns == times({0s, 1s}));
  CHECK(a.gave_up == at(2500ms));
  const Unanswered b = unanswered(rfc6298_profile(), user_timeout(500ms));
  CHECK(b.syns == times({0s}));
  CHECK(b.gave_up == at(500ms));
  CHECK(b.outcome == Outcome::Timeout);
}

TEST_CASE("TCP_SYNCNT replaces the profile's syn_retries for one socket") {
  // linux with TCP_SYNCNT 2 is the reference's row c6 (tcp_syn_retries=2): SYNs at 0 to 5 s,
  // fails at 7 s = (2^(2+1) - 1) x 1 s (tcp_model_timeout).
  const Unanswered l = unanswered(linux_profile(), syncnt(2));
  CHECK(l.syns == times({0s, 1s, 2s, 3s, 4s, 5s}));
  CHECK(l.gave_up == at(7s));
  // classic (3 s doubling, a retry count) with TCP_SYNCNT 1: SYNs at 0 and 3 s, gives up at the
  // next expiry, 3 + 6 = 9 s.
  const Unanswered c = unanswered(classic_profile(), syncnt(1));
  CHECK(c.syns == times({0s, 3s}));
  CHECK(c.gave_up == at(9s));
  // rfc6298 has no count limit of its own (R2 = 180 s); TCP_SYNCNT 2 adds one: 0, 1, 3 s, gives
  // up at 7 s.
  const Unanswered r = unanswered(rfc6298_profile(), syncnt(2));
  CHECK(r.syns == times({0s, 1s, 3s}));
  CHECK(r.gave_up == at(7s));
}

TEST_CASE("Linux: a SYN,ACK arriving after the user timeout reaches no TCB and draws a RST") {
  // One-way delay 10 ms, the first SYN lost, U = 500 ms. The client resends its SYN at 1 s and
  // gives up at 1.004 s (above). The server's SYN,ACK (sent at 1.010 s) arrives at 1.020 s: no
  // TCB, so §3.10.7.1 answers <SEQ=SEG.ACK><CTL=RST>; client ISN 0, so SEG.ACK = 1.
  test::TestNetwork net(10ms);
  net.add_client_and_listener(linux_profile(), linux_profile());
  net.drop("client", "server", 1);
  const auto r = net.host("client").connect(net.address("server", 80), 0, user_timeout(500ms));
  REQUIRE(r.error == ConnectError::Ok);
  net.scheduler.run_until(at(2s));
  CHECK(net.host("client").endpoint(r.id)->stats().outcome == Outcome::Timeout);
  const auto wire = net.wire_text();
  CHECK(std::find(wire.begin(), wire.end(),
                  "1020000000 client>server RST seq=1 ack=0 win=0 len=0") != wire.end());
  CHECK(net.host("client").counters().resets_for_no_tcb == 1);
}

// --- 2. close() in SYN-SENT ----------------------------------------------------------------

TEST_CASE("close() in SYN-SENT sends nothing, and the late SYN,ACK draws a RST from the host") {
  // RFC 9293 §3.10.4, SYN-SENT: "Delete the TCB and return 'error: closing' responses to any
  // queued SENDs". Linux: tcp_close() -> tcp_close_state(): SYN_SENT -> CLOSE, no FIN, no RST.
  // One-way delay 10 ms: SYN at 0, close() at 5 ms, the SYN,ACK (sent at 10 ms) arrives at 20 ms
  // and reaches no TCB: §3.10.7.1 <SEQ=SEG.ACK><CTL=RST>, SEG.ACK = client ISN 0 + 1 = 1. The
  // server's SYN-RECEIVED child takes the RST (SEQ = its RCV.NXT) back to LISTEN (§3.10.7.4).
  test::TestNetwork net(10ms);
  net.add_client_and_listener(linux_profile(), linux_profile(), 0, 300);
  TcpHost& client = net.host("client");
  const auto r = client.connect(net.address("server", 80));
  REQUIRE(client.send(r.id, 100) == UserError::Ok);  // queued in SYN-SENT (§3.10.2), then lost
  net.scheduler.schedule_at(at(5ms), [&] { CHECK(client.close(r.id) == UserError::Ok); });
  net.scheduler.run_until(at(2s));
  CHECK(client.endpoint(r.id)->state() == State::Closed);
  CHECK(net.wire_text() == std::vector<std::string>{
                               "0 client>server SYN seq=0 ack=0 win=64240 len=0",
                               "10000000 server>client SYN,ACK seq=300 ack=1 win=65160 len=0",
                               "20000000 client>server RST seq=1 ack=0 win=0 len=0",
                           });
  CHECK(client.counters().resets_for_no_tcb == 1);
  CHECK(net.host("server").accept_queue_length(80) == 0);
  // The handshake was never decided: the user gave it up (issue 13, item 3).
  CHECK(client.endpoint(r.id)->stats().outcome == Outcome::Cancelled);
}

TEST_CASE("ABORT (§3.10.5): in SYN-SENT nothing is sent and the outcome is cancelled") {
  // §3.10.5, SYN-SENT: "All queued SENDs and RECEIVEs should be given 'connection reset'
  // notification. Delete the TCB, enter CLOSED state" - no RST (only SYN-RECEIVED to
  // CLOSE-WAIT send one). Abort at 5 ms, before the SYN,ACK (sent at 10 ms) arrives at 20 ms:
  // that SYN,ACK reaches no TCB and draws <SEQ=SEG.ACK = 1><CTL=RST> (§3.10.7.1).
  test::TestNetwork net(10ms);
  net.add_client_and_listener(linux_profile(), linux_profile(), 0, 300);
  TcpHost& client = net.host("client");
  const auto r = client.connect(net.address("server", 80));
  net.scheduler.schedule_at(at(5ms), [&] { client.abort(r.id); });
  net.scheduler.run_until(at(2s));
  CHECK(client.endpoint(r.id)->stats().outcome == Outcome::Cancelled);
  CHECK(net.wire_text() == std::vector<std::string>{
                               "0 client>server SYN seq=0 ack=0 win=64240 len=0",
                               "10000000 server>client SYN,ACK seq=300 ack=1 win=65160 len=0",
                               "20000000 client>server RST seq=1 ack=0 win=0 len=0",
                           });
}

TEST_CASE("ABORT once ESTABLISHED sends <SEQ=SND.NXT><CTL=RST> and the outcome stays established") {
  // §3.10.5, ESTABLISHED: "Send a reset segment: <SEQ=SND.NXT><CTL=RST>" (Linux adds ACK:
  // tcp_send_active_reset()). The handshake's outcome was decided at 20 ms and does not change.
  // Client ISN 0: SND.NXT = 1; it acknowledges the server's ISN 300 + 1 = 301.
  test::TestNetwork net(10ms);
  net.add_client_and_listener(linux_profile(), linux_profile(), 0, 300);
  TcpHost& client = net.host("client");
  const auto r = client.connect(net.address("server", 80));
  net.scheduler.schedule_at(at(100ms), [&] { client.abort(r.id); });
  net.scheduler.run_until(at(2s));
  CHECK(client.endpoint(r.id)->stats().outcome == Outcome::Established);
  const std::vector<std::string> wire = net.wire_text();
  REQUIRE(!wire.empty());
  CHECK(wire.back().starts_with("100000000 client>server RST,ACK seq=1 ack=301 "));
}

// --- 3. Closing a listener ------------------------------------------------------------------

// The segments `from` sent to `to` with these flags.
std::vector<test::WireEntry> sent(const test::TestNetwork& net, const std::string& from,
                                  const std::string& to, Flags flags) {
  std::vector<test::WireEntry> out;
  for (const auto& e : net.wire)
    if (e.from == from && e.to == to && e.segment.flags == flags) out.push_back(e);
  return out;
}

bool has_line(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

TEST_CASE("Closing a listener resets its established children and drops its requests") {
  for (const Profile* p : {&linux_profile(), &rfc6298_profile()}) {
    CAPTURE(p->name);
    // One-way delay 10 ms; server ISN 300, clients' ISN 0. c1 completes its handshake at 20 ms
    // (accept queue, never accepted); c2's third ACK is lost, so its child stays half-open
    // (SYN queue). At 100 ms the server closes the listener and listens again on port 80.
    test::TestNetwork net(10ms);
    net.add_host("server", *p, 300);
    net.add_host("c1", *p, 0);
    net.add_host("c2", *p, 0);
    TcpHost& server = net.host("server");
    REQUIRE(server.listen(80, 5) == ListenError::Ok);
    const auto c1 = net.host("c1").connect(net.address("server", 80));
    const auto c2 = net.host("c2").connect(net.address("server", 80));
    net.drop("c2", "server", 2);  // c2's third ACK
    net.scheduler.schedule_at(at(100ms), [&] {
      REQUIRE(server.accept_queue_length(80) == 1);
      CHECK(server.close(1) == UserError::Ok);
      CHECK(server.accept_queue_length(80) == 0);
      CHECK(server.listen(80, 5) == ListenError::Ok);  // the port is free at once
    });
    // c2, ESTABLISHED on its side, sends data at 200 ms.
    net.scheduler.schedule_at(at(200ms),
                              [&] { CHECK(net.host("c2").send(c2.id, 10) == UserError::Ok); });
    net.scheduler.run_until(at(500ms));

    // c1's child: ABORT (Linux: tcp_disconnect() -> tcp_send_active_reset()) at 100 ms with
    // SEQ = SND.NXT = 301; Linux adds ACK = RCV.NXT = 1.
    const Flags rst = p->active_reset_with_ack ? Flag::Rst | Flag::Ack : Flags(Flag::Rst);
    const auto to_c1 = sent(net, "server", "c1", rst);
    REQUIRE(to_c1.size() == 1);
    CHECK(to_c1[0].time == at(100ms));
    CHECK(to_c1[0].segment.seq == SeqNum(301));
    if (p->active_reset_with_ack) CHECK(to_c1[0].segment.ack == SeqNum(1));
    // SEQ = c1's RCV.NXT: c1 is reset (§3.10.7.4 second).
    CHECK(net.host("c1").endpoint(c1.id)->state() == State::Closed);
    CHECK(net.host("c1").take_error(c1.id) == SocketError::ConnectionReset);
    // c2's request is dropped silently: no RST at 100 ms, no SYN,ACK retransmission at 1 s.
    CHECK(sent(net, "server", "c2", Flag::Syn | Flag::Ack).size() == 1);
    // c2's data (sent at 200 ms, SEQ 1, ACK 301) reaches no connection at 210 ms: the new
    // listener answers the ACK-bearing segment with <SEQ=SEG.ACK><CTL=RST> (§3.10.7.2).
    const auto to_c2 = sent(net, "server", "c2", Flag::Rst);
    REQUIRE(to_c2.size() == 1);
    CHECK(to_c2[0].time == at(210ms));
    CHECK(to_c2[0].segment.seq == SeqNum(301));
    CHECK(net.host("c2").endpoint(c2.id)->state() == State::Closed);
    const auto st = net.trace_text(RecordKind::State);
    CHECK(has_line(st, "100000000 server#1 STATE LISTEN CLOSED UserClose"));
    CHECK(has_line(st, "100000000 server#2 STATE ESTABLISHED CLOSED ListenerClosed"));
    CHECK(has_line(st, "100000000 server#3 STATE SYN-RECEIVED CLOSED ListenerClosed"));
  }
}

// --- 4. Reading, and close() with unread data -------------------------------------------------

// Connected (tests/models/tcp/connected_endpoint.hpp): an endpoint driven to ESTABLISHED.

SocketOptions reads() {
  SocketOptions o;
  o.app_reads = true;
  return o;
}

TEST_CASE("RECEIVE (§3.10.3): read() consumes what arrived in order") {
  Connected c(rfc6298_profile(), reads());
  c.in(Flag::Psh | Flag::Ack, 5001, 1001, 100);  // octets 5001..5100
  CHECK(c.ep.unread() == 100);
  CHECK(c.ep.read(40) == 40);
  CHECK(c.ep.unread() == 60);
  CHECK(c.ep.read(1000) == 60);  // no more than is waiting
  CHECK(c.ep.read(1000) == 0);
  CHECK(c.ep.bytes_received() == 100);
}

TEST_CASE("RFC 1122 §4.2.2.13: close() with unread data sends a RST and goes to CLOSED") {
  SUBCASE("rfc6298: <SEQ=SND.NXT><CTL=RST> (§3.10.5's form)") {
    Connected c(rfc6298_profile(), reads());
    c.in(Flag::Psh | Flag::Ack, 5001, 1001, 100);
    CHECK(c.ep.read(40) == 40);
    c.fx.clear();
    CHECK(c.ep.close(c.now) == UserError::Ok);
    REQUIRE(c.fx.sent.size() == 1);
    CHECK(c.fx.sent[0].segment.flags == Flags(Flag::Rst));
    CHECK(c.fx.sent[0].segment.seq == SeqNum(1001));  // SND.NXT = ISS + 1
    CHECK(c.ep.state() == State::Closed);
  }
  SUBCASE("linux: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK> (tcp_send_active_reset())") {
    Connected c(linux_profile(), reads());
    c.in(Flag::Psh | Flag::Ack, 5001, 1001, 100);
    c.fx.clear();
    CHECK(c.ep.close(c.now) == UserError::Ok);
    REQUIRE(c.fx.sent.size() == 1);
    CHECK(c.fx.sent[0].segment.flags == (Flag::Rst | Flag::Ack));
    CHECK(c.fx.sent[0].segment.seq == SeqNum(1001));
    CHECK(c.fx.sent[0].segment.ack == SeqNum(5101));  // RCV.NXT = 5001 + 100
    CHECK(c.ep.state() == State::Closed);
  }
  SUBCASE("in CLOSE-WAIT too (Linux: tcp_close() counts the queue, not the FIN)") {
    Connected c(linux_profile(), reads());
    c.in(Flag::Psh | Flag::Ack, 5001, 1001, 100);
    c.in(Flag::Fin | Flag::Ack, 5101, 1001);
    REQUIRE(c.ep.state() == State::CloseWait);
    c.fx.clear();
    CHECK(c.ep.close(c.now) == UserError::Ok);
    REQUIRE(c.fx.sent.size() == 1);
    CHECK(c.fx.sent[0].segment.flags == (Flag::Rst | Flag::Ack));
    CHECK(c.fx.sent[0].segment.ack == SeqNum(5102));  // the FIN's octet too
    CHECK(c.ep.state() == State::Closed);
  }
}

TEST_CASE("close() after reading everything sends the FIN (§3.10.4)") {
  Connected c(linux_profile(), reads());
  c.in(Flag::Psh | Flag::Ack, 5001, 1001, 100);
  CHECK(c.ep.read(100) == 100);
  c.fx.clear();
  CHECK(c.ep.close(c.now) == UserError::Ok);
  REQUIRE(c.fx.sent.size() == 1);
  CHECK(c.fx.sent[0].segment.flags == (Flag::Fin | Flag::Ack));
  CHECK(c.ep.state() == State::FinWait1);
}

TEST_CASE("An application that never reads closes with a FIN, unread data or not") {
  // The scenario apps (SocketOptions::app_reads false): their outputs must not change.
  Connected c(linux_profile());
  c.in(Flag::Psh | Flag::Ack, 5001, 1001, 100);
  REQUIRE(c.ep.unread() == 100);
  c.fx.clear();
  CHECK(c.ep.close(c.now) == UserError::Ok);
  REQUIRE(c.fx.sent.size() == 1);
  CHECK(c.fx.sent[0].segment.flags == (Flag::Fin | Flag::Ack));
  CHECK(c.ep.state() == State::FinWait1);
}

TEST_CASE("RFC 1122 §4.2.2.13: data arriving after a reading application's close() draws a RST") {
  // close() with nothing unread: FIN (FIN-WAIT-1). Then 10 new octets arrive: "if new data is
  // received after CLOSE is called, its TCP SHOULD send a RST". Linux: tcp_rcv_state_process()
  // resets and tcp_v4_send_reset() answers the segment: <SEQ=SEG.ACK><CTL=RST>, SEG.ACK = 1001.
  Connected c(linux_profile(), reads());
  CHECK(c.ep.close(c.now) == UserError::Ok);
  REQUIRE(c.ep.state() == State::FinWait1);
  c.fx.clear();
  c.in(Flag::Psh | Flag::Ack, 5001, 1001, 10);
  REQUIRE(c.fx.sent.size() == 1);
  CHECK(c.fx.sent[0].segment.flags == Flags(Flag::Rst));
  CHECK(c.fx.sent[0].segment.seq == SeqNum(1001));
  CHECK(c.ep.state() == State::Closed);
  // After shutdown_send() alone the connection is still readable: the same data is taken.
  Connected h(linux_profile(), reads());
  CHECK(h.ep.shutdown_send(h.now) == UserError::Ok);
  h.in(Flag::Psh | Flag::Ack, 5001, 1001, 10);
  CHECK(h.ep.state() == State::FinWait1);
  CHECK(h.ep.unread() == 10);
  // An application that never reads (the scenario apps) keeps taking data after close().
  Connected n(linux_profile());
  CHECK(n.ep.close(n.now) == UserError::Ok);
  n.in(Flag::Psh | Flag::Ack, 5001, 1001, 10);
  CHECK(n.ep.state() == State::FinWait1);
  CHECK(n.ep.bytes_received() == 10);
}

// --- 5. shutdown(SHUT_WR) --------------------------------------------------------------------

TEST_CASE("shutdown_send(): FIN after the queued data, and the connection stays readable") {
  // §3.10.4: "Queue this until all preceding SENDs have been segmentized, then form a FIN
  // segment and send it"; "the user who CLOSEs may continue to RECEIVE until the TCP receiver is
  // told that the remote side has CLOSED also".
  Connected c(linux_profile(), reads());
  REQUIRE(c.ep.send(c.now, 10) == UserError::Ok);  // octets 1001..1010
  c.fx.clear();
  CHECK(c.ep.shutdown_send(c.now) == UserError::Ok);
  REQUIRE(c.fx.sent.size() == 1);
  CHECK(c.fx.sent[0].segment.flags == (Flag::Fin | Flag::Ack));
  CHECK(c.fx.sent[0].segment.seq == SeqNum(1011));  // after the data
  CHECK(c.ep.state() == State::FinWait1);
  CHECK(c.ep.send(c.now, 1) == UserError::ConnectionClosing);  // Linux: EPIPE
  // The peer acknowledges data and FIN (FIN-WAIT-2), then sends 50 octets: acknowledged and
  // readable (§3.10.7.4 seventh, FIN-WAIT-2).
  c.in(Flag::Ack, 5001, 1012);
  REQUIRE(c.ep.state() == State::FinWait2);
  c.fx.clear();
  c.in(Flag::Psh | Flag::Ack, 5001, 1012, 50);
  REQUIRE(c.fx.sent.size() == 1);
  CHECK(c.fx.sent[0].segment.ack == SeqNum(5051));
  CHECK(c.ep.read(100) == 50);
  // close() now sends nothing more: the FIN is out and nothing is unread.
  c.fx.clear();
  CHECK(c.ep.close(c.now) == UserError::Ok);
  CHECK(c.fx.sent.empty());
  CHECK(c.ep.state() == State::FinWait2);
}

// The octets of data the recorded segments carry, and whether one of them is a FIN (at `fin`).
std::uint64_t data_sent(const test::RecordingEffects& fx) {
  std::uint64_t n = 0;
  for (const auto& s : fx.sent) n += s.segment.payload_bytes;
  return n;
}
bool fin_sent_at(const test::RecordingEffects& fx, std::uint32_t fin) {
  for (const auto& s : fx.sent)
    if (s.segment.flags.has(Flag::Fin)) return s.segment.seq == SeqNum(fin);
  return false;
}

TEST_CASE(
    "close() with more data queued than the window: the rest, then the FIN, as ACKs open it") {
  // §3.10.4 CLOSE: "Queue this until all preceding SENDs have been segmentized, then form a FIN
  // segment and send it". The peer's window is 65,535 (its SYN,ACK); 70,000 octets are queued,
  // octets 1001..71000, so the FIN's sequence number is 71001. The states that continue
  // ESTABLISHED's ACK processing (§3.10.7.4: FIN-WAIT-1, CLOSING, LAST-ACK) send what the
  // window now allows, as ESTABLISHED does.
  SUBCASE("FIN-WAIT-1") {
    Connected c(linux_profile());
    REQUIRE(c.ep.send(c.now, 70000) == UserError::Ok);
    CHECK(c.ep.close(c.now) == UserError::Ok);
    CHECK(c.ep.state() == State::FinWait1);
    CHECK(data_sent(c.fx) == 65535);  // one window
    CHECK_FALSE(fin_sent_at(c.fx, 71001));
    c.fx.clear();
    c.in(Flag::Ack, 5001, 1001 + 65535);  // all of it acknowledged: a window more
    CHECK(data_sent(c.fx) == 70000 - 65535);
    CHECK(fin_sent_at(c.fx, 71001));
    c.in(Flag::Ack, 5001, 71002);
    CHECK(c.ep.state() == State::FinWait2);
  }
  SUBCASE("CLOSING: the peer's FIN arrives first") {
    Connected c(linux_profile());
    REQUIRE(c.ep.send(c.now, 70000) == UserError::Ok);
    CHECK(c.ep.close(c.now) == UserError::Ok);
    c.fx.clear();
    c.in(Flag::Fin | Flag::Ack, 5001, 1001 + 65535);
    CHECK(c.ep.state() == State::Closing);
    CHECK(data_sent(c.fx) == 70000 - 65535);
    CHECK(fin_sent_at(c.fx, 71001));
    c.in(Flag::Ack, 5002, 71002);
    CHECK(c.ep.state() == State::TimeWait);
  }
  SUBCASE("CLOSING: an ACK that opens the window after the peer's FIN") {
    // The peer's FIN arrives alone first (CLOSING, nothing acknowledged yet), then an ACK of
    // the first window: the rest and the FIN go out in CLOSING itself.
    Connected c(linux_profile());
    REQUIRE(c.ep.send(c.now, 70000) == UserError::Ok);
    CHECK(c.ep.close(c.now) == UserError::Ok);
    c.in(Flag::Fin | Flag::Ack, 5001, 1001);
    REQUIRE(c.ep.state() == State::Closing);
    c.fx.clear();
    c.in(Flag::Ack, 5002, 1001 + 65535);
    CHECK(c.ep.state() == State::Closing);
    CHECK(data_sent(c.fx) == 70000 - 65535);
    CHECK(fin_sent_at(c.fx, 71001));
  }
  SUBCASE("LAST-ACK: closed after the peer's FIN") {
    Connected c(linux_profile());
    c.in(Flag::Fin | Flag::Ack, 5001, 1001);
    REQUIRE(c.ep.state() == State::CloseWait);
    REQUIRE(c.ep.send(c.now, 70000) == UserError::Ok);
    CHECK(c.ep.close(c.now) == UserError::Ok);
    CHECK(c.ep.state() == State::LastAck);
    c.fx.clear();
    c.in(Flag::Ack, 5002, 1001 + 65535);
    CHECK(data_sent(c.fx) == 70000 - 65535);
    CHECK(fin_sent_at(c.fx, 71001));
    c.in(Flag::Ack, 5002, 71002);
    CHECK(c.ep.state() == State::Closed);
  }
}

TEST_CASE("2^32 - 1 octets bring SND.UNA back to ISS, and the SYN stays acknowledged") {
  // Sequence numbers are modulo 2^32 (RFC 9293 §3.4): after the SYN's octet and 2^32 - 1 data
  // octets, SND.UNA = ISS + 1 + (2^32 - 1) = ISS again. Only the SYN's own ACK completes the
  // handshake (§3.10.7.3), and only a SYN still unacknowledged is retransmitted (§3.10.8): the
  // wrap must do neither. Then the FIN, at ISS, is what a timeout resends.
  Connected c(linux_profile());
  const std::uint32_t all = 0xffffffffu;
  REQUIRE(c.ep.send(c.now, all) == UserError::Ok);
  bool syn_sent = false;
  bool established_again = false;
  while (c.ep.bytes_acked() < all) {
    c.now += 1ms;
    c.in(Flag::Ack, 5001, c.ep.tcb().snd_nxt.value());  // everything sent so far arrived
    for (const auto& sent : c.fx.sent) syn_sent |= sent.segment.flags.has(Flag::Syn);
    for (const Notification n : c.fx.notes) established_again |= n == Notification::Established;
    c.fx.clear();
  }
  CHECK(c.ep.tcb().snd_una == c.ep.tcb().iss);  // the wrap happened
  CHECK_FALSE(syn_sent);
  CHECK_FALSE(established_again);
  CHECK(c.ep.stats().established_time == sim::at(0s));  // the handshake ended at 0
  REQUIRE(c.ep.close(c.now) == UserError::Ok);
  CHECK(fin_sent_at(c.fx, 1000));  // the FIN's octet is ISS (1000) again
  const auto deadline = c.ep.timer_deadline(TimerKind::Retransmission);
  REQUIRE(deadline.has_value());
  c.now = *deadline;
  c.fx.clear();
  c.ep.on_timer(c.now, TimerKind::Retransmission);
  REQUIRE(c.fx.sent.size() == 1);
  CHECK(c.fx.sent[0].segment.flags == (Flag::Fin | Flag::Ack));
  CHECK(c.fx.sent[0].segment.seq == SeqNum(1000));
  // The ACK of the FIN arrives while SND.UNA = ISS: FIN-WAIT-1 -> FIN-WAIT-2, nothing more.
  c.now += 1ms;
  c.fx.clear();
  c.in(Flag::Ack, 5001, 1001);
  CHECK(c.ep.state() == State::FinWait2);
  CHECK(c.fx.notes.empty());
  CHECK(c.ep.stats().established_time == sim::at(0s));
}

TEST_CASE("an ACK of octets sent before a timeout's rewind takes them off the send queue") {
  // 3,000 octets (1001..4000) and the FIN (4001) go out in one window. The peer acknowledges
  // nothing and shrinks its window to 1,000; the retransmission timeout rewinds SND.NXT to 1001
  // and resends 1001..2000 (RFC 6298 (5.4)). Then an ACK of 3001 with a wide window: the
  // original 1001..3000 arrived. What is left to send is 3001..4000 and the FIN at 4001, never
  // an octet past the end of the data (RFC 9293 §3.10.4: nothing follows the FIN).
  for (const bool closed : {true, false}) {
    CAPTURE(closed);
    Connected c(linux_profile());
    REQUIRE(c.ep.send(c.now, 3000) == UserError::Ok);
    if (closed) REQUIRE(c.ep.close(c.now) == UserError::Ok);
    Segment shrink;
    c.in(Flag::Ack, 5001, 1001);
    // (The ACK above kept the SYN,ACK's window; shrink it with a second, window-update ACK.)
    shrink.src_port = kRemote.port;
    shrink.dst_port = kLocal.port;
    shrink.flags = Flag::Ack;
    shrink.seq = SeqNum(5001);
    shrink.ack = SeqNum(1001);
    shrink.window = 1000;
    c.ep.on_segment(c.now, shrink, kRemote.host);
    const auto deadline = c.ep.timer_deadline(TimerKind::Retransmission);
    REQUIRE(deadline.has_value());
    c.now = *deadline;
    c.fx.clear();
    c.ep.on_timer(c.now, TimerKind::Retransmission);
    CHECK(data_sent(c.fx) == 1000);  // 1001..2000, what the shrunk window allows
    c.fx.clear();
    c.in(Flag::Ack, 5001, 3001);
    std::uint32_t end = 0;  // one past the last data octet sent
    for (const auto& sent : c.fx.sent)
      if (sent.segment.payload_bytes > 0)
        end = std::max(end, sent.segment.seq.value() + sent.segment.payload_bytes);
    CHECK(data_sent(c.fx) == 1000);  // 3001..4000
    CHECK(end == 4001);
    CHECK(fin_sent_at(c.fx, 4001) == closed);
  }
}

TEST_CASE(
    "shutdown_send() in SYN-SENT deletes the TCB (§3.10.4; Linux: inet_shutdown() disconnects)") {
  test::RecordingEffects fx;
  const EndpointContext ctx{&linux_profile(), nullptr, IsnSource{nullptr, 1000}, NodeName("a")};
  TcpEndpoint ep(ctx, fx, 1);
  REQUIRE(ep.connect(at(0s), kLocal, kRemote) == UserError::Ok);
  fx.clear();
  CHECK(ep.shutdown_send(at(0s)) == UserError::Ok);
  CHECK(fx.sent.empty());
  CHECK(ep.state() == State::Closed);
}

// --- 6. The socket error -----------------------------------------------------------------------

TEST_CASE("SO_ERROR: ECONNREFUSED after a RST in SYN-SENT, cleared once taken") {
  // §3.10.7.3 second: a RST,ACK acknowledging our SYN: "error: connection reset"; Linux
  // tcp_reset() in SYN_SENT: ECONNREFUSED (reference, case g).
  test::RecordingEffects fx;
  const EndpointContext ctx{&linux_profile(), nullptr, IsnSource{nullptr, 1000}, NodeName("a")};
  TcpEndpoint ep(ctx, fx, 1);
  REQUIRE(ep.connect(at(0s), kLocal, kRemote) == UserError::Ok);
  Segment rst;
  rst.src_port = kRemote.port;
  rst.dst_port = kLocal.port;
  rst.flags = Flag::Rst | Flag::Ack;
  rst.ack = SeqNum(1001);
  ep.on_segment(at(1ms), rst, kRemote.host);
  CHECK(ep.state() == State::Closed);
  CHECK(ep.error() == SocketError::ConnectionRefused);
  CHECK(errno_name(ep.take_error()) == "ECONNREFUSED");
  CHECK(ep.error() == SocketError::None);  // SO_ERROR reads and clears (sock_error())
}

TEST_CASE(
    "SO_ERROR: ECONNRESET after a RST in ESTABLISHED, EPIPE in CLOSE-WAIT (Linux tcp_reset())") {
  {
    Connected c(linux_profile());
    c.in(Flag::Rst, 5001, 0);  // SEQ = RCV.NXT: acceptable (§3.10.7.4 second, RFC 5961 §3.2)
    CHECK(c.ep.state() == State::Closed);
    CHECK(c.ep.error() == SocketError::ConnectionReset);
  }
  {
    Connected c(linux_profile());
    c.in(Flag::Fin | Flag::Ack, 5001, 1001);
    REQUIRE(c.ep.state() == State::CloseWait);
    c.in(Flag::Rst, 5002, 0);
    CHECK(c.ep.state() == State::Closed);
    CHECK(c.ep.error() == SocketError::BrokenPipe);
  }
}

TEST_CASE("SO_ERROR: none after the user's own close() or abort()") {
  Connected a(linux_profile());
  a.ep.abort(a.now);
  CHECK(a.ep.error() == SocketError::None);
  Connected b(linux_profile(), reads());
  b.in(Flag::Psh | Flag::Ack, 5001, 1001, 10);
  CHECK(b.ep.close(b.now) == UserError::Ok);  // the unread-data RST
  CHECK(b.ep.error() == SocketError::None);
}

// --- 7. orphan(): the user lets go, the host finishes the connection ---------------------------

// "<ns> <host>#<id> <notification>" for every notification of `net`'s hosts.
std::vector<std::string>& record_notes(test::TestNetwork& net, std::vector<std::string>& notes) {
  net.on_notification([&net, &notes](TcpHost& h, ConnId id, Notification n) {
    notes.push_back(std::to_string(sim::to_ns(net.scheduler.now())) + " " + h.name() + "#" +
                    std::to_string(id) + " " + std::string(to_string(n)));
  });
  return notes;
}

TEST_CASE("orphan() after close(): the host runs TIME-WAIT alone and frees the connection") {
  // Linux's close() orphans the socket (tcp_close(): sock_orphan()); the connection goes on.
  // d = 10 ms, rfc6298 (no timer slack, TIME-WAIT 2 x MSL = 240 s). The client is ESTABLISHED
  // at 20 ms, closes and lets go: FIN at 20 ms; the server's child hears it at 30 ms and closes
  // (its FIN at 30 ms); the client enters TIME-WAIT at 40 ms, ACKs, and is CLOSED at
  // 40 ms + 240 s. The client's user hears nothing after the orphan().
  test::TestNetwork net(10ms);
  net.add_client_and_listener(rfc6298_profile(), rfc6298_profile());
  TcpHost& client = net.host("client");
  TcpHost& server = net.host("server");
  std::vector<std::string> notes;
  record_notes(net, notes);
  const auto c = client.connect(net.address("server", 80));
  REQUIRE(c.error == ConnectError::Ok);
  net.scheduler.run_until(at(20ms));
  REQUIRE(client.endpoint(c.id)->state() == State::Established);
  CHECK(client.close(c.id) == UserError::Ok);
  client.orphan(c.id);
  net.scheduler.run_until(at(30ms));
  const std::optional<ConnId> child = server.accept(80);
  REQUIRE(child);
  CHECK(server.close(*child) == UserError::Ok);
  net.scheduler.run_until(at(40s));
  CHECK(client.endpoint(c.id)->state() == State::TimeWait);
  CHECK(client.connection_count() == 1);
  net.scheduler.run_until(at(240s + 40ms) - 1ns);
  CHECK(client.endpoint(c.id)->state() == State::TimeWait);
  net.scheduler.run_until(at(240s + 40ms));
  CHECK(client.endpoint(c.id) == nullptr);  // released by the host
  CHECK(client.connection_count() == 0);
  CHECK(notes ==
        std::vector<std::string>{"20000000 client#1 established", "30000000 server#2 established",
                                 "30000000 server#2 peer-closed", "50000000 server#2 closed"});
  // The exchange on the wire is the one a held connection makes (RFC 9293 Figure 12): the
  // server ACKs the FIN as it arrives and sends its own at its user's close(). Windows after
  // the SYNs are scaled by 2^7 (RFC 7323 §2.3): 65535 >> 7 = 511.
  CHECK(net.wire_text() ==
        std::vector<std::string>{"0 client>server SYN seq=0 ack=0 win=65535 len=0",
                                 "10000000 server>client SYN,ACK seq=0 ack=1 win=65535 len=0",
                                 "20000000 client>server ACK seq=1 ack=1 win=511 len=0",
                                 "20000000 client>server FIN,ACK seq=1 ack=1 win=511 len=0",
                                 "30000000 server>client ACK seq=1 ack=2 win=511 len=0",
                                 "30000000 server>client FIN,ACK seq=1 ack=2 win=511 len=0",
                                 "40000000 client>server ACK seq=2 ack=2 win=511 len=0"});
}

TEST_CASE("orphan(): notifications not yet delivered go nowhere, a gone connection goes at once") {
  test::TestNetwork net(10ms);
  net.add_client_and_listener(rfc6298_profile(), rfc6298_profile());
  TcpHost& client = net.host("client");
  TcpHost& server = net.host("server");
  std::vector<std::string> notes;
  // The server's user lets go of its child at the first of the two notifications one segment
  // brings (10 octets and a FIN: data-received, then peer-closed): the second is withdrawn.
  net.on_notification([&](TcpHost& h, ConnId id, Notification n) {
    notes.push_back(h.name() + "#" + std::to_string(id) + " " + std::string(to_string(n)));
    if (&h == &server && n == Notification::DataReceived) h.orphan(id);
  });
  (void)client.connect(net.address("server", 80));
  net.scheduler.run_until(at(20ms));
  // Octets 1..10 and a FIN in one segment (ISNs 0), as the client would send after a send() and
  // a close() that found nothing in flight.
  Segment fin;
  fin.src_port = 40000;
  fin.dst_port = 80;
  fin.flags = Flag::Psh | Flag::Fin | Flag::Ack;
  fin.seq = SeqNum(1);
  fin.ack = SeqNum(1);
  fin.window = 511;
  fin.payload_bytes = 10;
  net.inject(at(50ms), "client", "server", fin);
  net.scheduler.run_until(at(1s));
  CHECK(notes == std::vector<std::string>{"client#1 established", "server#2 established",
                                          "server#2 data-received"});
  // Not gone (CLOSE-WAIT: its user never closed it), so still the host's.
  CHECK(server.endpoint(2)->state() == State::CloseWait);

  // A connection already gone is released at once: port 81 refuses (RST at 10 ms).
  const auto r = client.connect(net.address("server", 81));
  net.scheduler.run_until(at(2s));
  REQUIRE(client.endpoint(r.id)->state() == State::Closed);
  client.orphan(r.id);
  CHECK(client.endpoint(r.id) == nullptr);
}

TEST_CASE("orphan(): a crash takes an orphan without telling anyone") {
  test::TestNetwork net(10ms);
  net.add_client_and_listener(rfc6298_profile(), rfc6298_profile());
  TcpHost& client = net.host("client");
  std::vector<std::string> notes;
  record_notes(net, notes);
  const auto a = client.connect(net.address("server", 80));
  const auto b = client.connect(net.address("server", 80));
  net.scheduler.run_until(at(1s));
  client.orphan(a.id);  // ESTABLISHED, never closed
  notes.clear();
  net.scheduler.schedule_at(at(2s), [&] { client.crash(); });
  net.scheduler.run_until(at(3s));
  CHECK(notes == std::vector<std::string>{"2000000000 client#2 host-crashed"});
  CHECK(client.endpoint(a.id) == nullptr);
  CHECK(client.endpoint(b.id)->state() == State::Closed);  // its user's to release
  CHECK(client.connection_count() == 1);
}

}  // namespace
}  // namespace synlab::tcp
