// Timers and queues beyond the handshake tables: RFC 6298 data retransmission up to R2, Linux's
// out-of-window reply rate limit, the SYN queue limit and Linux's SYN cookies, RFC 6528's ISN
// clock, the CSV record form.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "models/tcp/isn_generator.hpp"
#include "models/tcp/profile.hpp"
#include "models/tcp/tcp_endpoint.hpp"
#include "sim/csv_sink.hpp"
#include "tests/models/tcp/recording_effects.hpp"
#include "tests/models/tcp/test_network.hpp"

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;
using sim::at;

TEST_CASE("RFC 6298 (5.5) doubling capped at 60 s (2.5), then R2: data gives up after 15") {
  // rfc6298, d = 10 ms: ESTABLISHED at 20 ms, 100 octets sent then, every copy lost. RTO 1 s
  // (floor); expiries at 20 ms + 1, 3, 7, 15, 31, 63 s, then every 60 s: 123, 183 ... The
  // 16th expiry finds 15 retransmissions done: at 63 + 10 x 60 = 663 s after 20 ms.
  test::TestNetwork net(10ms);
  net.add_client_and_listener(rfc6298_profile(), rfc6298_profile(), 100, 300);
  net.drop_if("client", "server", [](const Segment& s) { return s.payload_bytes > 0; });
  net.on_notification([](TcpHost& h, ConnId id, Notification n) {
    if (h.name() == "client" && n == Notification::Established)
      REQUIRE(h.send(id, 100) == UserError::Ok);
  });
  const auto r = net.host("client").connect(net.address("server", 80));
  net.scheduler.run_until(at(1000s));
  std::vector<sim::Time> sent;
  for (const auto& e : net.wire)
    if (e.segment.payload_bytes > 0) sent.push_back(e.time);
  std::vector<sim::Time> expected;
  for (const std::int64_t s : {0, 1, 3, 7, 15, 31, 63, 123, 183, 243, 303, 363, 423, 483, 543, 603})
    expected.push_back(at(20ms + std::chrono::seconds(s)));
  CHECK(sent == expected);
  const TcpEndpoint& c = *net.host("client").endpoint(r.id);
  CHECK(c.state() == State::Closed);
  CHECK(c.stats().data_retransmissions == 15);
  const auto st = net.trace_text(RecordKind::State);
  CHECK(std::find(st.begin(), st.end(),
                  "663020000000 client#1 STATE ESTABLISHED CLOSED DataTimeout") != st.end());
}

TEST_CASE("SYN,ACK schedules of rfc6298 and classic when the third ACK never arrives") {
  struct Case {
    const Profile* profile;
    std::vector<std::int64_t> synack_s;
    std::int64_t drop_s;
  };
  const std::vector<Case> cases = {
      // 1 s doubling, capped at 60 s: 0, 1, 3, 7, 15, 31, 63, 123; 7 retries, and R2 = 180 s
      // passed at 183: the half-open connection is dropped.
      {&rfc6298_profile(), {0, 1, 3, 7, 15, 31, 63, 123}, 183},
      // 3 s doubling: 0, 3, 9, 21, 45, 93; after 5 retries, dropped at 93 + 96 = 189.
      {&classic_profile(), {0, 3, 9, 21, 45, 93}, 189},
  };
  for (const Case& c : cases) {
    CAPTURE(c.profile->name);
    test::TestNetwork net(10us);
    net.add_client_and_listener(*c.profile, *c.profile);
    net.drop_if("client", "server", [](const Segment& s) { return !s.flags.has(Flag::Syn); });
    (void)net.host("client").connect(net.address("server", 80));
    net.scheduler.run_until(at(300s));
    std::vector<sim::Time> expected;
    for (const std::int64_t v : c.synack_s) expected.push_back(at(std::chrono::seconds(v) + 10us));
    CHECK(net.times("server", "client", Flag::Syn | Flag::Ack) == expected);
    const auto st = net.trace_text(RecordKind::State);
    CHECK(std::find(st.begin(), st.end(),
                    std::to_string(c.drop_s * 1'000'000'000 + 10'000) +
                        " server#2 STATE SYN-RECEIVED CLOSED SynAckTimeout") != st.end());
  }
}

TEST_CASE("Linux: replies to duplicate SYNs are rate-limited to one per 500 ms") {
  // tcp_invalid_ratelimit = 500 ms (reference): duplicate SYNs at 0.1 s (answered), 0.3 s
  // (0.2 s after the last reply: silent), 0.7 s (0.6 s after: answered).
  test::RecordingEffects fx;
  const EndpointContext ctx{&linux_profile(), nullptr, IsnSource{nullptr, 1000}, NodeName("s")};
  TcpEndpoint ep(ctx, fx, 1);
  REQUIRE(ep.listen(at(0s), SocketAddress{2, 80}) == UserError::Ok);
  Segment syn;
  syn.src_port = 40000;
  syn.dst_port = 80;
  syn.seq = SeqNum(5000);
  syn.flags = Flag::Syn;
  syn.window = 64240;
  ep.on_segment(at(0s), syn, 1);
  REQUIRE(ep.state() == State::SynReceived);
  fx.clear();
  ep.on_segment(at(100ms), syn, 1);
  CHECK(fx.sent.size() == 1);
  ep.on_segment(at(300ms), syn, 1);
  CHECK(fx.sent.size() == 1);
  ep.on_segment(at(700ms), syn, 1);
  CHECK(fx.sent.size() == 2);
  // Each reply re-armed the request timer to now + 1 s << 0 (no expiry yet).
  CHECK(ep.timer_deadline(TimerKind::Retransmission) == at(1700ms));
}

TEST_CASE("A full SYN queue drops new SYNs silently and counts them (tcp_syncookies=0)") {
  // linux with tcp_syncookies=0, listen(1): at most backlog + 1 = 2 half-open connections. Every
  // SYN/ACK is lost, so the first two stay half-open; the third client's SYN is dropped (no
  // SYN/ACK at all).
  Profile no_cookies = linux_profile();
  no_cookies.syncookies = 0;
  test::TestNetwork net(10us);
  net.add_host("server", no_cookies, 0);
  for (int i = 1; i <= 3; ++i) net.add_host("client" + std::to_string(i), linux_profile(), 0);
  REQUIRE(net.host("server").listen(80, 1) == ListenError::Ok);
  for (int i = 1; i <= 3; ++i) {
    net.drop_if("server", "client" + std::to_string(i), [](const Segment&) { return true; });
    (void)net.host("client" + std::to_string(i)).connect(net.address("server", 80));
  }
  net.scheduler.run_until(at(500ms));
  CHECK(net.times("server", "client3", Flag::Syn | Flag::Ack).empty());
  CHECK(net.times("server", "client1", Flag::Syn | Flag::Ack).size() == 1);
  CHECK(net.host("server").counters().syn_queue_drops == 1);
  CHECK(net.trace_text(RecordKind::Drop) ==
        std::vector<std::string>{"10000 server#1 DROP SynQueueFull SYN 40000>80 seq=0 ack=0 "
                                 "win=64240 len=0"});
}

// n clients of `server` whose SYN/ACKs are all lost, so that each request stays half-open; they
// connect 1 ms apart, and the server listens with `backlog`.
struct HalfOpenFlood {
  HalfOpenFlood(const Profile& server, std::uint32_t backlog, int n) {
    net.add_host("server", server, 0);
    REQUIRE(net.host("server").listen(80, backlog) == ListenError::Ok);
    for (int i = 1; i <= n; ++i) {
      const std::string c = "client" + std::to_string(i);
      net.add_host(c, linux_profile(), 0);
      net.drop_if("server", c, [](const Segment&) { return true; });
      net.scheduler.schedule_at(at(std::chrono::milliseconds(i)), [this, i] {
        (void)net.host("client" + std::to_string(i)).connect(net.address("server", 80));
      });
    }
    net.scheduler.run_until(at(500ms));
  }
  test::TestNetwork net{10us};
};

TEST_CASE("Linux: the SYN queue is bounded by the backlog, not tcp_max_syn_backlog, with cookies") {
  // inet_csk_reqsk_queue_is_full() compares the queue with the backlog alone (Linux 4.4; > backlog
  // since 2025's fix for a zero backlog).
  // tcp_max_syn_backlog = 4 and listen(8): all 6 SYNs become requests (no cookie), where a bound
  // of min(backlog + 1, 4) would have answered the 5th and 6th with cookies.
  Profile p = linux_profile();
  p.max_syn_backlog = 4;
  HalfOpenFlood flood(p, 8, 6);
  CHECK(flood.net.host("server").counters().syncookies_sent == 0);
  CHECK(flood.net.host("server").counters().syn_queue_drops == 0);
  CHECK(flood.net.times("server", "client6", Flag::Syn | Flag::Ack).size() == 1);
}

TEST_CASE("Linux without cookies keeps the last quarter of tcp_max_syn_backlog for proven peers") {
  // tcp_syncookies = 0, tcp_max_syn_backlog = 8, listen(100): tcp_conn_request() drops a SYN
  // when 8 - queue length < 8 / 4, i.e. with 7 requests queued: the 8th and 9th SYNs are dropped.
  Profile p = linux_profile();
  p.syncookies = 0;
  p.max_syn_backlog = 8;
  HalfOpenFlood flood(p, 100, 9);
  CHECK(flood.net.host("server").counters().syn_queue_drops == 2);
  CHECK(flood.net.times("server", "client7", Flag::Syn | Flag::Ack).size() == 1);
  CHECK(flood.net.times("server", "client8", Flag::Syn | Flag::Ack).empty());
  CHECK(flood.net.times("server", "client9", Flag::Syn | Flag::Ack).empty());
}

TEST_CASE("Linux: listen() caps its backlog at somaxconn") {
  // __sys_listen(): a backlog above net.core.somaxconn becomes somaxconn. somaxconn = 2 and
  // listen(10): the accept queue holds 2 + 1 = 3 (sk_acceptq_is_full()); the 4th client's SYN
  // finds it full and is dropped (LISTENOVERFLOWS). Nobody accepts.
  Profile p = linux_profile();
  p.somaxconn = 2;
  test::TestNetwork net(10us);
  net.add_host("server", p, 0);
  REQUIRE(net.host("server").listen(80, 10) == ListenError::Ok);
  for (int i = 1; i <= 4; ++i) {
    const std::string c = "client" + std::to_string(i);
    net.add_host(c, linux_profile(), 0);
    net.scheduler.schedule_at(at(std::chrono::milliseconds(i)), [&net, i] {
      (void)net.host("client" + std::to_string(i)).connect(net.address("server", 80));
    });
  }
  net.scheduler.run_until(at(500ms));
  CHECK(net.host("server").counters().listen_overflows == 1);
  CHECK(net.times("server", "client3", Flag::Syn | Flag::Ack).size() == 1);
  CHECK(net.times("server", "client4", Flag::Syn | Flag::Ack).empty());
}

// The SYN-flood set-up of the cookie tests: linux server, listen(1), so the SYN queue holds
// backlog + 1 = 2 (inet_csk_reqsk_queue_is_full(), accept_queue_extra). client1 and client2's
// ACKs are lost: their requests stay half-open and fill it. client3 (profile `third`) connects
// after them.
struct CookieLab {
  explicit CookieLab(const Profile& third, const Profile& server = linux_profile()) {
    net.add_host("server", server, 0);
    net.add_host("client1", linux_profile(), 0);
    net.add_host("client2", linux_profile(), 0);
    net.add_host("client3", third, 0);
    REQUIRE(net.host("server").listen(80, 1) == ListenError::Ok);
    for (const char* c : {"client1", "client2"}) {
      net.drop_if(c, "server", [](const Segment& s) { return !s.flags.has(Flag::Syn); });
      (void)net.host(c).connect(net.address("server", 80));
    }
    (void)net.host("client3").connect(net.address("server", 80));
  }
  test::TestNetwork net{10us};
};

TEST_CASE("Linux: with the SYN queue full, a cookie SYN/ACK, and its ACK opens the connection") {
  // tcp_syncookies=1 (linux): client3's SYN reaches the full queue at 10 us and gets a cookie
  // SYN/ACK (tcp_conn_request(), want_cookie): no request, no timer, never retransmitted. Its
  // ACK (sent at 20 us) arrives at 30 us: cookie_v4_check() makes the child in SYN-RECEIVED and
  // the ACK takes it to ESTABLISHED, into the accept queue. client3 offers MSS 1400: the cookie
  // carries 1300 (msstab); its timestamps let TSval carry SACK and window scale 10.
  Profile mss1400 = linux_profile();
  mss1400.mss = 1400;
  CookieLab lab(mss1400);
  test::TestNetwork& net = lab.net;
  net.scheduler.run_until(at(10s));
  const TcpHost& server = net.host("server");
  // The two requests retransmit their SYN/ACKs (RTO 1 s doubling: at 10 us, then 1, 3 and 7 s
  // later, within 10 s); the cookie SYN/ACK is sent once.
  CHECK(net.times("server", "client1", Flag::Syn | Flag::Ack).size() == 4);
  CHECK(net.times("server", "client3", Flag::Syn | Flag::Ack) == std::vector<sim::Time>{at(10us)});
  CHECK(server.counters().syncookies_sent == 1);
  CHECK(server.counters().syncookies_recv == 1);
  CHECK(server.counters().syncookies_failed == 0);
  CHECK(server.counters().syn_queue_drops == 0);
  // Ids: listener #1, requests #2 and #3, the cookie's child #4.
  const std::vector<std::string> states = net.trace_text(RecordKind::State);
  CHECK(std::count(states.begin(), states.end(),
                   "30000 server#4 STATE LISTEN SYN-RECEIVED RcvCookieAck") == 1);
  CHECK(std::count(states.begin(), states.end(),
                   "30000 server#4 STATE SYN-RECEIVED ESTABLISHED RcvAck") == 1);
  CHECK(net.trace_text(RecordKind::CookieSent).size() == 1);
  CHECK(net.trace_text(RecordKind::CookieValid).size() == 1);
  // The SYN/ACK's ISS is the cookie: the ACK acknowledges ISS + 1, and the child's TCB agrees.
  SeqNum cookie;
  for (const auto& w : net.wire)
    if (w.to == "client3" && w.segment.flags.has(Flag::Syn)) {
      cookie = w.segment.seq;
      CHECK(w.segment.options.mss == std::optional<std::uint16_t>(1460));  // our MSS, as ever
      CHECK(w.segment.options.window_scale == std::optional<std::uint8_t>(10));
      CHECK(w.segment.options.sack_permitted);
    }
  const TcpEndpoint* child = server.endpoint(4);
  REQUIRE(child != nullptr);
  CHECK(child->state() == State::Established);
  CHECK(child->tcb().iss == cookie);
  CHECK(child->tcb().snd_mss == 1300);         // 1400 rounded down to msstab
  CHECK(child->effective_send_mss() == 1288);  // less the 12 timestamp bytes
  CHECK(child->tcb().wscale_ok);
  CHECK(child->tcb().snd_wscale == 10);  // client3's shift, back from TSecr
  CHECK(child->tcb().sack_ok);
  // No SYN,ACK send time, but the ACK's TSecr is an RTT sample (tcp_synack_rtt_meas() with no
  // request falls back on it): the cookie's TSval is the clock with its low 6 bits replaced by
  // the options and kept at or below it (cookie_init_timestamp()), so the sample is 1 to 64 ticks
  // of 1 ms, and RTO = SRTT + max(4 RTTVAR, 200 ms) lies in [201, 264] ms.
  CHECK(child->rto() >= 201ms);
  CHECK(child->rto() <= 264ms);
  CHECK(net.host("server").accept(80) == std::optional<ConnId>(4));
  // The client saw an ordinary handshake.
  CHECK(net.host("client3").endpoint(1)->state() == State::Established);
}

TEST_CASE("Linux: without timestamps a cookie SYN/ACK offers no window scale or SACK") {
  // tcp_clear_options() when the SYN has no timestamps; the child has none either.
  Profile plain = linux_profile();
  plain.timestamps = false;
  CookieLab lab(plain);
  lab.net.scheduler.run_until(at(1s));
  for (const auto& w : lab.net.wire)
    if (w.to == "client3" && w.segment.flags.has(Flag::Syn)) {
      CHECK(w.segment.options.mss == std::optional<std::uint16_t>(1460));
      CHECK_FALSE(w.segment.options.window_scale);
      CHECK_FALSE(w.segment.options.sack_permitted);
      CHECK_FALSE(w.segment.options.timestamps);
    }
  const TcpEndpoint* child = lab.net.host("server").endpoint(4);
  REQUIRE(child != nullptr);
  CHECK(child->state() == State::Established);
  CHECK(child->tcb().snd_mss == 1460);
  CHECK_FALSE(child->tcb().wscale_ok);
  CHECK_FALSE(child->tcb().sack_ok);
}

TEST_CASE("Linux: a bad cookie ACK, or one long after the overflow, draws a RST (§3.10.7.2)") {
  // client3's own ACK is lost; an ACK with a wrong acknowledgment number at 1 s fails the check
  // (LINUX_MIB_SYNCOOKIESFAILED) and the listener answers <SEQ=SEG.ACK><CTL=RST>. At 200 s the
  // last overflow (10 us; the requests' SYN/ACK retransmissions do not overflow) is more than
  // two minutes old (tcp_synq_no_recent_overflow()): not even checked, answered with a RST.
  CookieLab lab(linux_profile());
  test::TestNetwork& net = lab.net;
  net.drop_if("client3", "server", [](const Segment& s) { return !s.flags.has(Flag::Syn); });
  Segment ack;
  ack.src_port = 40000;
  ack.dst_port = 80;
  ack.seq = SeqNum(1);
  ack.ack = SeqNum(12345);
  ack.flags = Flag::Ack;
  ack.window = 502;
  net.inject(at(1s), "client3", "server", ack);
  net.inject(at(200s), "client3", "server", ack);
  net.scheduler.run_until(at(300s));
  CHECK(net.host("server").counters().syncookies_failed == 1);
  CHECK(net.host("server").counters().syncookies_recv == 0);
  CHECK(net.trace_text(RecordKind::CookieInvalid) ==
        std::vector<std::string>{"1000000000 server#1 COOKIE-INVALID ACK 40000>80 seq=1 "
                                 "ack=12345 win=502 len=0"});
  CHECK(net.times("server", "client3", Flag::Rst) ==
        std::vector<sim::Time>{at(1s), at(200s)});  // injected segments arrive when sent
}

TEST_CASE("Linux: tcp_syncookies=2 sends a cookie for every SYN, rfc6298 sends none") {
  Profile always = linux_profile();
  always.syncookies = 2;
  test::TestNetwork net(10us);
  net.add_client_and_listener(linux_profile(), always);
  (void)net.host("client").connect(net.address("server", 80));
  net.scheduler.run_until(at(1s));
  CHECK(net.host("server").counters().syncookies_sent == 1);
  CHECK(net.host("server").counters().syncookies_recv == 1);
  const auto states = net.trace_text(RecordKind::State);
  CHECK(std::count(states.begin(), states.end(),
                   "30000 server#2 STATE LISTEN SYN-RECEIVED RcvCookieAck") == 1);
  CHECK(rfc6298_profile().syncookies == 0);
  CHECK(classic_profile().syncookies == 0);
  CHECK(rfc793_profile().syncookies == 0);
  CHECK(linux_classic_profile().syncookies == 1);
}

TEST_CASE("RFC 6528: the ISN advances one per 4 us for a given 4-tuple") {
  const IsnGenerator g(12345);
  const SocketAddress a{1, 40000};
  const SocketAddress b{2, 80};
  const SeqNum i0 = g.isn(at(0s), a, b);
  CHECK(g.isn(at(4us), a, b) - i0 == 1);
  CHECK(g.isn(at(1s), a, b) - i0 == 250'000);  // 1 s / 4 us
  CHECK(g.isn(at(3us), a, b) == i0);
  CHECK(g.isn(at(0s), a, SocketAddress{2, 81}) != i0);  // F differs per 4-tuple
}

TEST_CASE("IP sizes: a Linux SYN is 40 + 20 bytes - MSS 1448 with timestamps fills 1500") {
  AddressedSegment syn;
  syn.segment.flags = Flag::Syn;
  syn.segment.options = Options{1460, 10, true, Timestamps{1, 0}};
  CHECK(syn.ip_bytes() == 60);
  AddressedSegment data;
  data.segment.flags = Flag::Ack;
  data.segment.options.timestamps = Timestamps{1, 1};
  data.segment.payload_bytes = 1448;
  CHECK(data.ip_bytes() == 1500);  // a full-sized segment fills a 1500-byte MTU
}

TEST_CASE("Trace records have a CSV form with the documented header") {
  std::ostringstream out;
  sim::CsvSink<TcpRecord> csv(out);
  TcpRecord r;
  r.time_ns = 1'000'000'000;
  r.node = NodeName("client");
  r.conn = 1;
  r.kind = RecordKind::State;
  r.from = State::SynSent;
  r.to = State::Established;
  r.cause = Cause::RcvSynAck;
  csv.write(r);
  CHECK(to_text(r) == "1000000000 client#1 STATE SYN-SENT ESTABLISHED RcvSynAck");
  const std::string text = out.str();
  CHECK(text.starts_with(std::string(TcpRecord::csv_header) + "\n"));
  CHECK(text.find("1000000000,client,1,STATE,SYN-SENT,ESTABLISHED,RcvSynAck,") !=
        std::string::npos);
}

}  // namespace
}  // namespace synlab::tcp
