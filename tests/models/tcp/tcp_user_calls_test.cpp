// The socket calls a packetdrill-style runner makes (issue 12): socket options before connect()
// (TCP_USER_TIMEOUT, TCP_SYNCNT), close() in SYN-SENT, closing a listener, reading, shutdown()
// and the socket error. Expected values from RFC 9293, RFC 1122 and Linux's code (named).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "models/tcp/profile.hpp"
#include "models/tcp/tcp_endpoint.hpp"
#include "tests/models/tcp/recording_effects.hpp"
#include "tests/models/tcp/test_network.hpp"

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;
using sim::at;

constexpr SocketAddress kLocal{1, 40000};
constexpr SocketAddress kRemote{2, 80};

// An active open that nothing answers: every SYN timer fires at its deadline until the endpoint
// gives up. The times of the SYNs and of the give-up.
struct Unanswered {
  std::vector<sim::Time> syns;
  sim::Time gave_up{};
  Outcome outcome = Outcome::Pending;
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

TEST_CASE("close() in SYN-SENT sends nothing; the late SYN,ACK draws a RST from the host") {
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

}  // namespace
}  // namespace synlab::tcp
