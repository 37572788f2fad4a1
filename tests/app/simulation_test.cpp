// One run of a scenario end to end: network + TCP hosts + apps. Expected times are derived
// in comments from the one-way delay and the profile's timers (docs/linux-reference.md,
// "Summary: SYN and SYN/ACK retransmission schedules").
#include "app/simulation.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "app/scenario_loader.hpp"

using namespace std::chrono_literals;
using synlab::app::load_scenario;
using synlab::app::parse_scenario_text;
using synlab::app::RunResult;
using synlab::app::simulate;
using synlab::sim::at;
namespace tcp = synlab::tcp;

namespace {

// client --10 ms each way-- server, a listener on 80, one connection at t = 0.
std::string scenario(const std::string& extra, const std::string& port = "80") {
  return "nodes: [client, server]\n"
         "links:\n"
         "  wan: {between: [client, server], delay: 10ms}\n"
         "apps:\n"
         "  - {listen: server:80}\n"
         "  - {connect: client -> server:" +
         port + "}\n" + extra;
}

RunResult run(const std::string& text, bool traces = false) {
  return simulate(load_scenario(parse_scenario_text(text, "t.yaml")), {0, 0, traces, {}, {}});
}

}  // namespace

TEST_CASE("a clean handshake takes one RTT at the client, 1.5 RTT at the server") {
  const RunResult r = run(scenario(""));
  REQUIRE(r.connections.size() == 1);
  const auto& c = r.connections[0];
  CHECK(c.outcome == tcp::Outcome::Established);
  // SYN 0 -> server 10 ms; SYN/ACK -> client 20 ms; ACK -> server 30 ms.
  CHECK(c.client_established == at(20ms));
  CHECK(c.server_established == at(30ms));
  CHECK(c.handshake_time() == 20ms);
  CHECK(c.syns_sent == 1);
  CHECK(c.synacks_sent == 1);
  CHECK(c.client_port == 40000);  // the host's first ephemeral port
}

TEST_CASE("first SYN lost: linux retransmits after 1 s, classic after 3 s") {
  const std::string drop = "drops:\n  - {link: wan, direction: forward, flags: SYN, nth: 1}\n";
  // linux: initial RTO 1 s (RFC 6298 (2.1), confirmed by the reference): SYN again at 1 s,
  // established at 1 s + 20 ms.
  const RunResult linux = run(scenario(drop + "tcp: {profile: linux}\n"));
  CHECK(linux.connections[0].client_established == at(1020ms));
  CHECK(linux.connections[0].syns_sent == 2);
  // classic: 3 s initial SYN timeout (RFC 1122 §4.2.3.1): SYN again at 3 s.
  const RunResult classic = run(scenario(drop + "tcp: {profile: classic}\n"));
  CHECK(classic.connections[0].client_established == at(3020ms));
}

TEST_CASE("tcp.timer_slack: the first SYN lost, retransmitted 1.000 to 1.032 s later") {
  // linux-hz250 (docs/handshake-model.md, "Timer slack"): the 1 s timer armed at connect() is
  // filed at level 1 of the wheel and fires at the next multiple of 8 jiffies after
  // jiffies + 250: 1 to 8 jiffies late, less the part of the tick already gone, so (1.000 s,
  // 1.032 s]. Established 20 ms later. Each seed gives the hosts another phase.
  const std::string text = scenario(
      "drops:\n  - {link: wan, direction: forward, flags: SYN, nth: 1}\n"
      "tcp: {profile: linux, timer_slack: linux-hz250}\n");
  bool differ = false;
  std::optional<synlab::sim::Time> first;
  for (std::uint64_t replication = 0; replication < 50; ++replication) {
    CAPTURE(replication);
    const RunResult r = simulate(load_scenario(parse_scenario_text(text, "t.yaml")),
                                 {0, replication, false, {}, {}});
    const auto& c = r.connections[0];
    CHECK(c.client_established > at(1020ms));
    CHECK(c.client_established <= at(1052ms));
    if (replication == 0) first = c.client_established;
    differ = differ || c.client_established != first;
  }
  CHECK(differ);  // the phase is drawn per run (each replication's seed), not fixed
}

TEST_CASE("simultaneous open: each row counts the peer end's SYN/ACK and ESTABLISHED (Figure 8)") {
  // RFC 9293 §3.5, Figure 8: each end sends a SYN at 0 (arriving at 10 ms in SYN-SENT, which
  // answers SYN,ACK and moves to SYN-RECEIVED) and reaches ESTABLISHED when the other's SYN,ACK
  // arrives at 20 ms. No listener: each row's server is the other end, which sent one SYN,ACK.
  const RunResult r =
      run("nodes: [alice, bob]\n"
          "links:\n"
          "  wan: {between: [alice, bob], delay: 10ms}\n"
          "apps:\n"
          "  - {connect: alice:5000 -> bob:6000}\n"
          "  - {connect: bob:6000 -> alice:5000}\n");
  REQUIRE(r.connections.size() == 2);
  for (const auto& c : r.connections) {
    CAPTURE(c.id);
    CHECK(c.syns_sent == 1);
    CHECK(c.synacks_sent == 1);
    CHECK(c.client_established == at(20ms));
    CHECK(c.server_established == at(20ms));
  }
}

TEST_CASE("first SYN/ACK lost: the server answers the retransmitted SYN (reference case d)") {
  // SYN/ACK sent at 10 ms is dropped. The client's SYN timer fires at 1 s; that SYN reaches
  // the server at 1.010 s, when the server's own SYN/ACK timer (10 ms + 1 s) also fires: two
  // SYN/ACKs leave at 1.010 s (one per cause, as in case d), the client is established at
  // 1.020 s.
  const RunResult r =
      run(scenario("drops:\n  - {link: wan, direction: reverse, flags: SYN+ACK, nth: 1}\n"));
  const auto& c = r.connections[0];
  CHECK(c.client_established == at(1020ms));
  CHECK(c.syns_sent == 2);
  CHECK(c.synacks_sent == 3);
}

TEST_CASE("every SYN/ACK lost: synacks_sent counts each one, across requests (reference case e)") {
  // docs/linux-reference.md, case e: with every SYN/ACK lost the server sends 21 for the one
  // client connection: its first request's timer copies and duplicate-SYN replies until the
  // request expires at about 67 s, then the request a later SYN creates. The row must count
  // them all, as the wire does (issue 13 item 6).
  const std::string drop = "drops:\n  - {link: wan, direction: reverse, flags: SYN+ACK}\n";
  const RunResult r = run(scenario(drop + "tcp: {profile: linux}\n"), true);
  std::uint32_t on_wire = 0;
  for (const auto& p : r.packets)
    if (p.event == synlab::sim::PacketEventKind::Send &&
        p.flags == (tcp::Flag::Syn | tcp::Flag::Ack))
      ++on_wire;
  CHECK(on_wire == 21);
  REQUIRE(r.connections.size() == 1);
  CHECK(r.connections[0].outcome == tcp::Outcome::Timeout);
  CHECK(r.connections[0].synacks_sent == 21);
}

TEST_CASE("a closed port refuses: RST/ACK one RTT later") {
  const RunResult r = run(scenario("", "81"));
  const auto& c = r.connections[0];
  CHECK(c.outcome == tcp::Outcome::Refused);
  CHECK_FALSE(c.client_established.has_value());
  CHECK(c.syns_sent == 1);
}

TEST_CASE("every SYN lost: linux with syn_retries 2 gives up at 7 s") {
  // Reference summary: SYNs at 0, 1, 2, 3, 4, 5 s, ETIMEDOUT at 7 s.
  const RunResult r = run(scenario("tcp: {profile: linux, syn_retries: 2}\n") +
                              "drops:\n  - {link: wan, direction: forward, flags: SYN}\n",
                          true);
  const auto& c = r.connections[0];
  CHECK(c.outcome == tcp::Outcome::Timeout);
  CHECK(c.syns_sent == 6);
  CHECK(r.end_time >= at(7s));
  std::vector<std::int64_t> syn_times;
  for (const auto& p : r.packets)
    if (p.event == synlab::sim::PacketEventKind::Send && p.flags == tcp::Flags(tcp::Flag::Syn))
      syn_times.push_back(to_ns(p.time) / 1'000'000);
  CHECK(syn_times == std::vector<std::int64_t>{0, 1000, 2000, 3000, 4000, 5000});
}

TEST_CASE("request and response: the client closes after the response, both sides close") {
  const std::string text =
      "nodes: [client, server]\n"
      "links:\n"
      "  wan: {between: [client, server], delay: 10ms}\n"
      "apps:\n"
      "  - {listen: server:80}\n"
      "  - {connect: client -> server:80, request: 100, response: 3000}\n";
  const RunResult r = run(text, true);
  const auto& c = r.connections[0];
  CHECK(c.outcome == tcp::Outcome::Established);
  std::uint64_t client_data = 0;
  std::uint64_t server_data = 0;
  int fins = 0;
  for (const auto& p : r.packets) {
    if (p.event != synlab::sim::PacketEventKind::Send) continue;
    (p.src_port == 80 ? server_data : client_data) += p.payload_bytes;
    fins += p.flags.has(tcp::Flag::Fin) ? 1 : 0;
  }
  CHECK(client_data == 100);
  CHECK(server_data == 3000);
  CHECK(fins == 2);
}

TEST_CASE("the same seed gives the same run, another seed another") {
  const std::string text = scenario("") + "seed: 5\n";
  const std::string lossy =
      "nodes: [client, server]\n"
      "links:\n"
      "  wan: {between: [client, server], delay: 10ms, loss: 0.3}\n"
      "apps:\n"
      "  - {listen: server:80}\n"
      "  - {connect: client -> server:80, count: 50, interval: 200s}\n";
  const auto a = run(lossy + "seed: 1\n");
  const auto b = run(lossy + "seed: 1\n");
  const auto c = run(lossy + "seed: 2\n");
  auto times = [](const RunResult& r) {
    std::vector<std::int64_t> t;
    for (const auto& conn : r.connections)
      t.push_back(conn.client_established ? to_ns(*conn.client_established) : -1);
    return t;
  };
  CHECK(times(a) == times(b));
  CHECK(times(a) != times(c));
  CHECK(a.connections.size() == 50);
}

TEST_CASE("times at the loader's limits run to the end: sums past 2^63 ns saturate, none wraps") {
  // Every time at its limit, 876,000 h (100 years, 3.1536e18 ns). The connection opens at 100
  // years; its SYN takes 100 years to cross (and jitter up to 100 more), the SYN/ACK as long, so
  // the exchange runs past the end of simulated time (time_last, 2^63 - 2 ns, about 292.3 years);
  // every timer is 100 years (backoff 16 capped by max_rto), TIME-WAIT 200 years: each of these
  // sums saturates in its turn. The run ends (the UBSan report was a signed overflow
  // here, then an abort). Openings past the limit (start + k x interval) are the loader's to
  // refuse (scenario_limits_test).
  const std::string text =
      "nodes: [client, server]\n"
      "links:\n"
      "  wan: {between: [client, server], delay: 876000h, jitter: 876000h}\n"
      "tcp: {initial_rto: 876000h, max_rto: 876000h, msl: 876000h, backoff: 16}\n"
      "apps:\n"
      "  - {listen: server:80}\n"
      "  - {connect: client -> server:80, start: 876000h, request: 10B, response: 10B}\n";
  const RunResult r = run(text);
  REQUIRE(r.connections.size() == 1);
  CHECK(r.connections[0].open_time == at(876'000h));
  CHECK(r.end_time == synlab::sim::time_last);
}

// --- Application timing (issue 13, item 3) ---------------------------------------------------

namespace {

// client --10 ms each way-- server with `apps` (a YAML list, one item per line).
std::string with_apps(const std::string& apps, const std::string& extra = "") {
  return "nodes: [client, server]\n"
         "links:\n"
         "  wan: {between: [client, server], delay: 10ms}\n"
         "apps:\n" +
         apps + extra;
}

// Sent packets with exactly these flags, from `port` (0: any port).
std::vector<synlab::net::PacketRecord> sent(const RunResult& r, tcp::Flags flags,
                                            std::uint16_t from_port = 0) {
  std::vector<synlab::net::PacketRecord> out;
  for (const auto& p : r.packets)
    if (p.event == synlab::sim::PacketEventKind::Send && p.flags == flags &&
        (from_port == 0 || p.src_port == from_port))
      out.push_back(p);
  return out;
}

std::size_t host_drops(const RunResult& r, tcp::DropReason why) {
  std::size_t n = 0;
  for (const auto& t : r.tcp) n += t.kind == tcp::RecordKind::Drop && t.reason == why ? 1 : 0;
  return n;
}

const tcp::Flags syn{tcp::Flag::Syn};
const tcp::Flags syn_ack = tcp::Flag::Syn | tcp::Flag::Ack;

}  // namespace

TEST_CASE("accept: never with backlog 2: three complete, later SYNs dropped (reference case h)") {
  // docs/linux-reference.md case h: with no accept() the accept queue holds backlog + 1
  // connections (Linux sk_acceptq_is_full(): full when the queue is longer than the backlog),
  // and a later SYN is dropped without any answer, even with tcp_syncookies = 1 (the linux
  // default: tcp_conn_request() checks the accept queue before it considers a cookie). Clients
  // open 100 ms apart, each handshake done in 30 ms: connections 1 to 3 complete; 4 and 5 send
  // their SYNs on the full schedule (0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s: 11 SYNs) and time
  // out, each SYN dropped.
  const RunResult r =
      run(with_apps("  - {listen: server:80, backlog: 2, accept: never}\n"
                    "  - {connect: client -> server:80, count: 5, interval: 100ms}\n"),
          true);
  REQUIRE(r.connections.size() == 5);
  for (std::size_t i = 0; i < 3; ++i) CHECK(r.connections[i].outcome == tcp::Outcome::Established);
  for (std::size_t i = 3; i < 5; ++i) {
    CHECK(r.connections[i].outcome == tcp::Outcome::Timeout);
    CHECK(r.connections[i].syns_sent == 11);
    CHECK(r.connections[i].synacks_sent == 0);
  }
  CHECK(host_drops(r, tcp::DropReason::AcceptQueueFull) == 2 * 11);
  CHECK(sent(r, syn_ack).size() == 3);  // no cookie: the accept queue's rule comes first
  // The server's counters (summary.json's hosts) say the same: 22 SYNs dropped with the accept
  // queue full (Linux's TcpExtListenOverflows), no SYN queue drop, no cookie. It received 3
  // handshakes' SYN and ACK, 3 requests' FIN (each client closes once established) and the 22
  // SYNs: 31 segments; it sent 3 SYN/ACKs and an ACK of each FIN: 6.
  REQUIRE(r.hosts.size() == 2);
  const tcp::HostCounters& server = r.hosts[1];
  CHECK(server.listen_overflows == 22);
  CHECK(server.syn_queue_drops == 0);
  CHECK(server.syncookies_sent == 0);
  CHECK(server.segments_received == 3 * 3 + 22);
  CHECK(server.segments_sent == 3 * 2);
  CHECK(r.hosts[0].segments_sent == 3 * 3 + 22);  // the client sent what the server received
}

TEST_CASE(
    "accept: never, five SYNs at once: the SYN queue holds 3, cookies or drops for the rest") {
  // Five SYNs reach the listener together at 10 ms. Linux inet_csk_reqsk_queue_is_full(): the
  // SYN queue is full once it holds more than the backlog (2), so three requests are made.
  // tcp_syncookies = 1: SYNs 4 and 5 get cookie SYN/ACKs (tcp_conn_request(), want_cookie), so
  // 5 SYN/ACKs leave at 10 ms; their ACKs find the accept queue full of the three (backlog + 1)
  // and are dropped (tcp_v4_syn_recv_sock(): LISTENOVERFLOWS). tcp_syncookies = 0: SYNs 4 and 5
  // are dropped with the SYN queue full, only 3 SYN/ACKs leave at 10 ms.
  const std::string apps =
      "  - {listen: server:80, backlog: 2, accept: never}\n"
      "  - {connect: client -> server:80, count: 5}\n";
  const RunResult cookies = run(with_apps(apps, "tcp: {syncookies: 1}\nstop: 500ms\n"), true);
  std::size_t at_10ms = 0;
  for (const auto& p : sent(cookies, syn_ack)) at_10ms += p.time == at(10ms) ? 1 : 0;
  CHECK(at_10ms == 5);
  CHECK(host_drops(cookies, tcp::DropReason::SynQueueFull) == 0);
  CHECK(host_drops(cookies, tcp::DropReason::AcceptQueueFull) >= 2);  // the two cookie ACKs
  REQUIRE(cookies.hosts.size() == 2);
  CHECK(cookies.hosts[1].syncookies_sent == 2);  // SYNs 4 and 5
  CHECK(cookies.hosts[1].syn_queue_drops == 0);

  const RunResult none = run(with_apps(apps, "tcp: {syncookies: 0}\nstop: 500ms\n"), true);
  at_10ms = 0;
  for (const auto& p : sent(none, syn_ack)) at_10ms += p.time == at(10ms) ? 1 : 0;
  CHECK(at_10ms == 3);
  CHECK(host_drops(none, tcp::DropReason::SynQueueFull) == 2);
  REQUIRE(none.hosts.size() == 2);
  CHECK(none.hosts[1].syn_queue_drops == 2);
  CHECK(none.hosts[1].syncookies_sent == 0);
}

TEST_CASE("accept: {delay: 2s}: a SYN succeeds once an accept() frees a slot (reference case h)") {
  // backlog 1: the queue holds 2. Connections 1 and 2 complete at 30 and 130 ms and are accepted
  // 2 s later, at 2.030 and 2.130 s. Connection 3's SYNs at 0.2 and 1.2 s (linear 1 s schedule)
  // are dropped; its SYN at 2.2 s finds room: established at the client at 2.2 + 0.02 = 2.22 s.
  const RunResult r = run(with_apps("  - {listen: server:80, backlog: 1, accept: {delay: 2s}}\n"
                                    "  - {connect: client -> server:80, count: 3, interval: 100ms,"
                                    " request: 100, response: 200}\n"),
                          true);
  REQUIRE(r.connections.size() == 3);
  CHECK(r.connections[2].client_established == at(2220ms));
  CHECK(r.connections[2].syns_sent == 3);
  // The server answers only once it has accepted: connection 1's 200 bytes leave at 2.030 s
  // (its request arrived at 30 ms), connection 3's at 2.230 + 2 = 4.230 s.
  std::vector<std::int64_t> responses;
  for (const auto& p : r.packets)
    if (p.event == synlab::sim::PacketEventKind::Send && p.src_port == 80 && p.payload_bytes == 200)
      responses.push_back(to_ns(p.time) / 1'000'000);
  CHECK(responses == std::vector<std::int64_t>{2030, 2130, 4230});
}

TEST_CASE("close_at, abort_at and send act at their times after the connection's open") {
  // Each time counts from the connection's own open (connect() called). Connection 1 opens at
  // 1 s: 100 bytes at 1 + 2 = 3 s, FIN at 1 + 5 = 6 s (RFC 9293 §3.10.4 ESTABLISHED: "form a
  // FIN segment and send it"). Connection 2 opens at 1.5 s: RST at 1.5 + 3 = 4.5 s (§3.10.5
  // ESTABLISHED: "Send a reset segment"; Linux sets ACK too). Both hold the connection
  // in between: no FIN before then although request and response are 0.
  const RunResult r = run(with_apps("  - {listen: server:80}\n"
                                    "  - {connect: client -> server:80, start: 1s,"
                                    " send: [{at: 2s, bytes: 100}], close_at: 5s}\n"
                                    "  - {connect: client -> server:80, start: 1500ms,"
                                    " abort_at: 3s}\n"),
                          true);
  REQUIRE(r.connections.size() == 2);
  const auto client_fins = sent(r, tcp::Flag::Fin | tcp::Flag::Ack, 40000);
  REQUIRE(client_fins.size() == 1);
  CHECK(client_fins[0].time == at(6s));
  const auto data = sent(r, tcp::Flag::Psh | tcp::Flag::Ack, 40000);
  REQUIRE(data.size() == 1);
  CHECK(data[0].time == at(3s));
  CHECK(data[0].payload_bytes == 100);
  const auto resets = sent(r, tcp::Flag::Rst | tcp::Flag::Ack, 40001);
  REQUIRE(resets.size() == 1);
  CHECK(resets[0].time == at(4500ms));
  CHECK(sent(r, tcp::Flag::Fin | tcp::Flag::Ack, 40001).empty());
  CHECK(r.connections[0].outcome == tcp::Outcome::Established);
  CHECK(r.connections[1].outcome == tcp::Outcome::Established);  // the handshake's outcome
}

TEST_CASE("abort_at before the SYN/ACK arrives: outcome cancelled, the late SYN/ACK draws a RST") {
  // Abort at 5 ms in SYN-SENT: nothing sent (§3.10.5), outcome cancelled. The SYN/ACK (sent
  // at 10 ms) reaches no TCB at 20 ms: <SEQ=SEG.ACK><CTL=RST> (§3.10.7.1).
  const RunResult r = run(with_apps("  - {listen: server:80}\n"
                                    "  - {connect: client -> server:80, abort_at: 5ms}\n"),
                          true);
  REQUIRE(r.connections.size() == 1);
  CHECK(r.connections[0].outcome == tcp::Outcome::Cancelled);
  CHECK_FALSE(r.connections[0].client_established.has_value());
  const auto resets = sent(r, tcp::Flags(tcp::Flag::Rst), 40000);
  REQUIRE(resets.size() == 1);
  CHECK(resets[0].time == at(20ms));
  CHECK(r.tally.other == 1);
}

TEST_CASE("a listener's close_at resets the connections it has not accepted, keeps the others") {
  // Linux inet_csk_listen_stop(): children in the accept queue are reset (tcp_disconnect());
  // accepted ones belong to the application and live on. Port 80 accepts at once, port 81
  // never; both listeners close at 1 s. Only port 81's connection (in its accept queue since
  // 30 ms) is reset, by the server at 1 s; the client then sees a RST (outcome stays
  // established: the handshake was).
  const RunResult r = run(with_apps("  - {listen: server:80, close_at: 1s}\n"
                                    "  - {listen: server:81, close_at: 1s, accept: never}\n"
                                    "  - {connect: client -> server:80, close_at: 2s}\n"
                                    "  - {connect: client -> server:81, close_at: 2s}\n"),
                          true);
  const auto resets = sent(r, tcp::Flag::Rst | tcp::Flag::Ack);
  REQUIRE(resets.size() == 1);
  CHECK(resets[0].src_port == 81);
  CHECK(resets[0].time == at(1s));
  // Port 80's connection closes normally at 2 s: the client's FIN, then the server's.
  CHECK(sent(r, tcp::Flag::Fin | tcp::Flag::Ack, 80).size() == 1);
}

// --- Injected segments (issue 13, item 4) ----------------------------------------------------

namespace {

// scenarios/blind-reset.yaml under `profile`: four held connections, one per link, and at 1 s a
// crafted segment from each client (see the file's opening comment).
RunResult blind_reset(const std::string& profile) {
  const auto doc = synlab::app::read_scenario_file(std::string(SYNLAB_SOURCE_DIR) +
                                                   "/scenarios/blind-reset.yaml");
  return simulate(load_scenario(doc, {synlab::app::parse_set_option("tcp.profile=" + profile)}),
                  {0, 0, true, {}, {}});
}

// What the server sent on the link of `client` (whose port is 40000 on every link) after 1 s.
std::vector<synlab::net::PacketRecord> server_replies(const RunResult& r, std::uint32_t link) {
  std::vector<synlab::net::PacketRecord> out;
  for (const auto& p : r.packets)
    if (p.event == synlab::sim::PacketEventKind::Send && p.src_port == 80 &&
        p.link == synlab::sim::LinkId{link} && p.time > at(1s))
      out.push_back(p);
  return out;
}

// The sequence number the server expects from the client of `link`: its SYN's + 1.
std::uint32_t client_rcv_nxt(const RunResult& r, std::uint32_t link) {
  for (const auto& p : r.packets)
    if (p.event == synlab::sim::PacketEventKind::Send && p.flags == syn &&
        p.link == synlab::sim::LinkId{link})
      return p.seq + 1;
  FAIL("no SYN on link " << link);
  return 0;
}

}  // namespace

TEST_CASE("inject under linux: challenge ACKs for an in-window SYN and RST (RFC 5961 §3.2, §4.2)") {
  const RunResult r = blind_reset("linux");
  // Links in file order: 0 syn, 1 guess, 2 exact, 3 far. Each injected segment leaves its
  // client at 1 s and reaches the server at 1.010 s.
  // syn: "S 1:1(0)", a SYN at RCV.NXT in ESTABLISHED: RFC 5961 §4.2 "the TCP MUST send an ACK
  // (challenge ACK) to the remote peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>".
  const auto syn_replies = server_replies(r, 0);
  REQUIRE(syn_replies.size() == 1);
  CHECK(syn_replies[0].flags == tcp::Flags(tcp::Flag::Ack));
  CHECK(syn_replies[0].time == at(1010ms));
  CHECK(syn_replies[0].ack == client_rcv_nxt(r, 0));  // RCV.NXT: the connection lives
  // guess: "R 1001:1001(0)", in the window but not RCV.NXT: RFC 5961 §3.2 "the receiver MUST
  // send an ACK (challenge ACK)", same form.
  const auto guess_replies = server_replies(r, 1);
  REQUIRE(guess_replies.size() == 1);
  CHECK(guess_replies[0].flags == tcp::Flags(tcp::Flag::Ack));
  CHECK(guess_replies[0].ack == client_rcv_nxt(r, 1));
  // exact: "R 1:1(0)" = RCV.NXT: RFC 5961 §3.2 "the receiver MUST reset the connection",
  // silently. The client's 100 bytes at 2 s then reach no TCB: §3.10.7.1 <SEQ=SEG.ACK><CTL=RST>.
  const auto exact_replies = server_replies(r, 2);
  REQUIRE(exact_replies.size() == 1);
  CHECK(exact_replies[0].flags == tcp::Flags(tcp::Flag::Rst));
  CHECK(exact_replies[0].time == at(2010ms));
  // far: "R 100000:100000(0)", beyond RCV.NXT + RCV.WND (65,160): RFC 5961 §3.2 "silently
  // drop the segment".
  CHECK(server_replies(r, 3).empty());
}

TEST_CASE("inject under rfc793: an in-window SYN or RST resets the connection (RFC 793 §3.9)") {
  const RunResult r = blind_reset("rfc793");
  // syn: RFC 793 §3.9 p. 71, "If the SYN is in the window it is an error, send a reset": the
  // reset of §3.4 for a segment without ACK, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, with
  // SEG.SEQ = RCV.NXT and SEG.LEN = 1 (the SYN).
  const auto syn_replies = server_replies(r, 0);
  REQUIRE(syn_replies.size() == 1);
  CHECK(syn_replies[0].flags == (tcp::Flag::Rst | tcp::Flag::Ack));
  CHECK(syn_replies[0].seq == 0);
  CHECK(syn_replies[0].ack == client_rcv_nxt(r, 0) + 1);
  // guess: RFC 793 §3.9 p. 70, any RST in the window resets the connection, silently.
  CHECK(server_replies(r, 1).empty());
  // exact and far as under linux: reset (no reply until the data meets no TCB), dropped.
  const auto exact_replies = server_replies(r, 2);
  REQUIRE(exact_replies.size() == 1);
  CHECK(exact_replies[0].flags == tcp::Flags(tcp::Flag::Rst));
  CHECK(server_replies(r, 3).empty());
}

TEST_CASE("inject: the segment goes on the wire with the connection's addresses and ports") {
  // From the server of connection 1, "R. 1:1(0) ack 1 win 0": SEQ = the server's ISN + 1,
  // ACK = the client's ISN + 1 (packetdrill's relative numbers). Sent at 1 s from the server
  // (port 80) to the client's port 40000. An injection at 0.5 s for connection 2, which opens at
  // 2 s, sends nothing (no sockets yet).
  const RunResult r =
      run(with_apps("  - {listen: server:80}\n"
                    "  - {connect: client -> server:80, close_at: 5s}\n"
                    "  - {connect: client -> server:80, start: 2s}\n",
                    "inject:\n"
                    "  - {at: 1s, conn: 1, from: server,"
                    " segment: \"R. 1:1(0) ack 1 win 0\"}\n"
                    "  - {at: 500ms, conn: 2, from: client, segment: \"R 1:1(0)\"}\n"),
          true);
  const auto syn_acks = sent(r, syn_ack);
  const auto syns = sent(r, syn);
  REQUIRE(syn_acks.size() >= 1);
  REQUIRE(syns.size() >= 1);
  const auto resets = sent(r, tcp::Flag::Rst | tcp::Flag::Ack, 80);
  REQUIRE(resets.size() == 1);
  CHECK(resets[0].time == at(1s));
  CHECK(resets[0].dst_port == 40000);
  CHECK(resets[0].seq == syn_acks[0].seq + 1);
  CHECK(resets[0].ack == syns[0].seq + 1);
  CHECK(sent(r, tcp::Flags(tcp::Flag::Rst)).empty());  // nothing for connection 2 at 0.5 s
}

TEST_CASE("inject: packets.csv marks the crafted segment's rows and keeps its relative numbers") {
  // "S 1:1(0)" from the client at 1 s: a send row at 1 s and a recv row at 1.010 s, reason
  // `injected`, rel_seq 1 as written (the SYN does not restart the flow's numbering).
  const auto scenario = load_scenario(parse_scenario_text(
      with_apps("  - {listen: server:80}\n"
                "  - {connect: client -> server:80, close_at: 5s}\n",
                "inject:\n  - {at: 1s, conn: 1, from: client, segment: \"S 1:1(0) win 100\"}\n"),
      "t.yaml"));
  std::ostringstream csv;
  synlab::app::RunSetup setup;
  setup.packets_csv = &csv;
  (void)simulate(scenario, setup);
  std::vector<std::string> injected;
  std::istringstream lines(csv.str());
  for (std::string line; std::getline(lines, line);)
    if (line.find(",injected,") != std::string::npos) injected.push_back(line);
  REQUIRE(injected.size() == 2);
  CHECK(injected[0].starts_with("1.000000000,send,injected,client,wan,forward,client:40000,"));
  CHECK(injected[1].starts_with("1.010000000,recv,injected,server,wan,forward,client:40000,"));
  // Columns: ..., flags (14), seq, ack, rel_seq (17): the SYN's rel_seq is 1.
  for (const std::string& line : injected) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    REQUIRE(cells.size() > 17);
    CHECK(cells[13] == "SYN");
    CHECK(cells[16] == "1");
  }
}

TEST_CASE("packets.csv: a SYN dropped inside connect() (no route) has its connection's number") {
  // Node c has no link: the client's SYNs to it are dropped at the client itself (no-route), the
  // first inside connect(), before the application knows the connection's id. Every row, the
  // first included, is connection 1's (column 13, conn).
  const auto scenario =
      load_scenario(parse_scenario_text("nodes: [a, b, c]\n"
                                        "links:\n  l: {between: [a, b], delay: 10ms}\n"
                                        "tcp: {profile: linux, syn_retries: 1}\n"
                                        "apps:\n  - {listen: c:80}\n  - {connect: a -> c:80}\n",
                                        "t.yaml"));
  std::ostringstream csv;
  synlab::app::RunSetup setup;
  setup.packets_csv = &csv;
  (void)simulate(scenario, setup);
  std::istringstream lines(csv.str());
  std::string line;
  std::getline(lines, line);  // the header
  std::vector<std::vector<std::string>> rows;
  for (; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::istringstream row(line);
    for (std::string cell; std::getline(row, cell, ',');) cells.push_back(cell);
    rows.push_back(cells);
  }
  REQUIRE(rows.size() > 1);  // the SYN and its retransmissions
  for (const auto& cells : rows) {
    REQUIRE(cells.size() > 13);
    CHECK(cells[1] == "drop");
    CHECK(cells[2] == "no-route");
    CHECK(cells[12] == "1");
  }
}

TEST_CASE("crashes: a crash in SYN-SENT, a connect() while down, the listener back after reboot") {
  // The client's SYNs to port 81 (no listener) are all dropped. Its connections open at 0, 1 s
  // and 2 s; it crashes at 1.5 s and reboots at 2.5 s. The first two are in SYN-SENT at the
  // crash (the first has sent its SYNs at 0 and 1 s: initial RTO 1 s, RFC 6298 §2.1): crashed.
  // The third finds the client down: its host refuses the connect(). The server crashes at
  // 0.5 s and reboots at 3 s: the client's connection to port 80 at 4 s finds its listener
  // again, established one round trip later (4.020 s).
  const RunResult r =
      run("nodes: [client, server]\n"
          "links:\n"
          "  wan: {between: [client, server], delay: 10ms}\n"
          "apps:\n"
          "  - {listen: server:80}\n"
          "  - {connect: client -> server:81, count: 3, interval: 1s}\n"
          "  - {connect: client -> server:80, start: 4s}\n"
          "drops:\n"
          "  - {link: wan, direction: forward, flags: SYN, from: 0s, until: 3s}\n"
          "crashes:\n"
          "  - {node: client, at: 1500ms, reboot_at: 2500ms}\n"
          "  - {node: server, at: 500ms, reboot_at: 3s}\n");
  REQUIRE(r.connections.size() == 4);
  CHECK(r.connections[0].outcome == tcp::Outcome::Crashed);
  CHECK(r.connections[0].syns_sent == 2);
  CHECK(r.connections[1].outcome == tcp::Outcome::Crashed);
  CHECK(r.connections[1].syns_sent == 1);
  CHECK(r.connections[2].error == tcp::ConnectError::HostDown);
  CHECK(synlab::apps::outcome_text(r.connections[2]) == "error: host-down");
  CHECK(r.connections[3].outcome == tcp::Outcome::Established);
  CHECK(r.connections[3].client_established == at(4020ms));
  CHECK(r.tally.other == 3);  // crashed twice, and the connect() refused
}

TEST_CASE("an old duplicate SYN's half-open child does not keep the connection's server end") {
  // RFC 9293 Figure 8: the client's SYN at 0 is lost; an old SYN (seq 90) on its 4-tuple reaches
  // the server at 11 ms, whose child answers and is sent back to LISTEN by the client's RST at
  // 31 ms. The client sent that RST at 21 ms, for the SYN/ACK's unacceptable ACK, and (linux,
  // no SYN retransmitted yet) re-armed its SYN timer to 2 jiffies, 8 ms: its SYN again at 29 ms
  // makes a second child at 39 ms. That child is the connection's server end, established at
  // 59 ms (the client's ACK of 49 ms, 10 ms later), and the row counts both children's SYN/ACKs
  // (11 ms and 39 ms).
  const RunResult r =
      run(scenario("drops:\n"
                   "  - {link: wan, direction: forward, flags: SYN, nth: 1}\n"
                   "inject:\n"
                   "  - {at: 1ms, src: client:40000, dst: server:80, segment: "
                   "\"S 90:90(0) win 65535\"}\n"));
  REQUIRE(r.connections.size() == 1);
  const auto& c = r.connections[0];
  CHECK(c.client_established == at(49ms));
  CHECK(c.server_established == at(59ms));
  CHECK(c.synacks_sent == 2);
  // The RFC's rules leave the SYN to its retransmission timer: again at 1 s (RFC 6298 (2.1)),
  // the second SYN/ACK at 1.010 s, the client established at 1.020 s, the server at 1.030 s.
  const RunResult rfc =
      run(scenario("tcp: {profile: rfc6298}\n"
                   "drops:\n"
                   "  - {link: wan, direction: forward, flags: SYN, nth: 1}\n"
                   "inject:\n"
                   "  - {at: 1ms, src: client:40000, dst: server:80, segment: "
                   "\"S 90:90(0) win 65535\"}\n"));
  REQUIRE(rfc.connections.size() == 1);
  CHECK(rfc.connections[0].client_established == at(1020ms));
  CHECK(rfc.connections[0].server_established == at(1030ms));
  CHECK(rfc.connections[0].synacks_sent == 2);
}

TEST_CASE("a run's handshake times keep no room for the connections that have none") {
  // Room for all 1,001 is taken at the start; 1,000 are refused (port 81 is closed), so the one
  // time left must not keep the room of 1,001 (8 KB here; 8 bytes a connection in a sweep's
  // every point, kept to its end).
  const RunResult r =
      run("nodes: [client, server]\n"
          "links:\n"
          "  wan: {between: [client, server], delay: 1ms}\n"
          "apps:\n"
          "  - {listen: server:80}\n"
          "  - {connect: client -> server:80}\n"
          "  - {connect: client -> server:81, count: 1000, interval: 10us}\n");
  CHECK(r.tally.refused == 1000);
  REQUIRE(r.tally.times_ns.size() == 1);
  CHECK(r.tally.times_ns[0] == 2'000'000);  // one round trip of 2 x 1 ms
  CHECK(r.tally.times_ns.capacity() < 500);
}

namespace {

// What a run hands its connection sink, in order: "open <id>" and "record <id> <columns>".
struct SinkLog final : synlab::apps::ConnectionSink {
  void on_open(const synlab::apps::ConnectionRecord& r) override {
    lines.push_back("open " + std::to_string(r.id));
  }
  void on_connection(const synlab::apps::ConnectionRecord& r) override {
    std::ostringstream line;
    line << "record " << r.id << " " << r.client_port << " " << to_ns(r.open_time) << " "
         << (r.client_established ? to_ns(*r.client_established) : -1) << " "
         << (r.server_established ? to_ns(*r.server_established) : -1) << " " << r.syns_sent << " "
         << r.synacks_sent << " " << synlab::apps::outcome_text(r);
    lines.push_back(line.str());
  }
  std::vector<std::string> records() const {
    std::vector<std::string> out;
    for (const std::string& l : lines)
      if (l.starts_with("record ")) out.push_back(l);
    return out;
  }
  std::vector<std::string> lines;
};

}  // namespace

TEST_CASE("without traces the clients let go at close(): the same records, handed over sooner") {
  // apps::AfterClose: a run that writes states.csv (or packets.csv) holds each client's
  // connection through TIME-WAIT (60 s under linux); one that writes neither lets go at close().
  // The 400 connections open every 100 ms, the last at 39.9 s: a held record cannot come before
  // 60 s, so before the last open only a record let go can.
  const std::string lossy =
      "seed: 3\n"
      "nodes: [client, server]\n"
      "links:\n"
      "  wan: {between: [client, server], delay: 10ms, loss: 0.2}\n"
      "tcp: {profile: linux}\n"
      "apps:\n"
      "  - {listen: server:80}\n"
      "  - {connect: client -> server:80, count: 400, interval: 100ms, request: 100, "
      "response: 2000}\n";
  // 18 of 20 SYNs answered with cookies: their children come with the third ACK, after the
  // client's close() (it has no response to wait for): those clients hold on.
  const std::string cookies =
      "nodes: [client, server]\n"
      "links:\n"
      "  wan: {between: [client, server], delay: 50ms}\n"
      "tcp: {profile: linux, syncookies: 1}\n"
      "apps:\n"
      "  - {listen: server:80, backlog: 1}\n"
      "  - {connect: client -> server:80, count: 20, interval: 0s}\n";
  for (const bool lossy_run : {true, false}) {
    const std::string& text = lossy_run ? lossy : cookies;
    const auto scenario = load_scenario(parse_scenario_text(text, "t.yaml"));
    SinkLog held;
    SinkLog let_go;
    std::ostringstream states;
    synlab::app::RunSetup with_states;
    with_states.connections = &held;
    with_states.states_csv = &states;
    synlab::app::RunSetup without;
    without.connections = &let_go;
    const RunResult h = simulate(scenario, with_states);
    const RunResult g = simulate(scenario, without);
    REQUIRE(held.records().size() == scenario.connections());
    CHECK(let_go.records() == held.records());
    CHECK(g.hosts == h.hosts);
    CHECK(g.end_time == h.end_time);
    CHECK(g.events == h.events);
    if (!lossy_run) continue;
    auto first_record = [](const SinkLog& log) {
      return std::find_if(log.lines.begin(), log.lines.end(),
                          [](const std::string& l) { return l.starts_with("record "); }) -
             log.lines.begin();
    };
    CHECK(first_record(held) == 400);
    CHECK(first_record(let_go) < 400);
  }
}
