// TcpHost::crash() and reboot(): a host that loses its memory (RFC 9293 §3.5.1). Nothing is
// sent at the crash, and the host is down until it reboots. Figures 9 and 10, where the peer
// finds out, are in tcp_rfc_scenarios_test.cpp. Times are derived in comments.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/tcp/profile.hpp"
#include "tests/models/tcp/test_network.hpp"

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;
using sim::at;
using test::TestNetwork;

TEST_CASE("crash: every connection and listener goes, silently - owners hear host-crashed") {
  // d = 10 ms. A's connection to B:80 is ESTABLISHED at 20 ms (A) and 30 ms (B); A's second
  // connect at 1 s to the closed port 81 is refused at 1.02 s, so at the crash (2 s) A holds one
  // live connection in ESTABLISHED and a listener on 7000, and one CLOSED one not released.
  TestNetwork net(10ms);
  net.add_host("A", rfc6298_profile(), 100);
  net.add_host("B", rfc6298_profile(), 300);
  std::vector<std::string> notes;
  net.on_notification([&](TcpHost& h, ConnId id, Notification n) {
    notes.push_back(std::to_string(sim::to_ns(net.scheduler.now())) + " " + h.name() + "#" +
                    std::to_string(id) + " " + std::string(to_string(n)));
  });
  REQUIRE(net.host("B").listen(80, 5) == ListenError::Ok);
  REQUIRE(net.host("A").listen(7000, 5) == ListenError::Ok);
  const auto a = net.host("A").connect(net.address("B", 80));
  REQUIRE(a.id == 2);
  net.scheduler.run_until(at(1s));
  REQUIRE(net.host("A").connect(net.address("B", 81)).id == 3);
  net.scheduler.run_until(at(2s));
  notes.clear();
  const std::size_t wire_before = net.wire.size();
  net.scheduler.schedule_at(at(2s), [&] { net.host("A").crash(); });
  net.scheduler.run_until(at(3s));

  CHECK(net.wire.size() == wire_before);  // nothing sent: no RST, no FIN
  CHECK(notes ==
        std::vector<std::string>{"2000000000 A#1 host-crashed", "2000000000 A#2 host-crashed"});
  const auto st = net.trace_text(RecordKind::State);
  CHECK(st[st.size() - 2] == "2000000000 A#1 STATE LISTEN CLOSED HostCrash");
  CHECK(st.back() == "2000000000 A#2 STATE ESTABLISHED CLOSED HostCrash");
  // The handshake was decided before the crash: the outcome stays.
  CHECK(net.host("A").endpoint(2)->stats().outcome == Outcome::Established);
  CHECK(net.host("A").endpoint(3)->stats().outcome == Outcome::Refused);
  CHECK(net.host("A").down());
  CHECK(net.host("A").listener(7000) == std::nullopt);
  CHECK(net.host("A").connect(net.address("B", 80)).error == ConnectError::HostDown);
  CHECK(net.host("A").listen(7000, 5) == ListenError::HostDown);
  // B knows nothing: its end is still ESTABLISHED (a half-open connection, §3.5.1).
  CHECK(net.host("B").endpoint(2)->state() == State::Established);

  net.host("A").reboot();
  CHECK_FALSE(net.host("A").down());
  CHECK(net.host("A").listen(7000, 5) == ListenError::Ok);
}

TEST_CASE("crash in SYN-SENT: outcome crashed, the retransmission timer stopped") {
  // Every SYN is lost; A crashes at 1.5 s, after its first retransmission (the initial RTO of 1 s,
  // RFC 6298 §2.1): two SYNs on the wire, then nothing more.
  TestNetwork net(10ms);
  net.add_host("A", rfc6298_profile(), 100);
  net.add_host("B", rfc6298_profile(), 300);
  net.drop_if("A", "B", [](const Segment&) { return true; });
  const auto a = net.host("A").connect(net.address("B", 80));
  net.scheduler.schedule_at(at(1500ms), [&] { net.host("A").crash(); });
  net.scheduler.run();
  CHECK(net.wire.size() == 2);
  CHECK(net.host("A").endpoint(a.id)->stats().outcome == Outcome::Crashed);
  CHECK(net.trace_text(RecordKind::Outcome).back() == "1500000000 A#1 OUTCOME crashed");
}

TEST_CASE("crash: a connection its user has heard is gone is not told of the crash again") {
  // d = 10 ms, ISNs 0. B's child for A's SYN is in SYN-RECEIVED from 10 ms (RCV.NXT 1); A's
  // third ACK is lost. A RST with SEQ = RCV.NXT reaches the child at 15 ms: back to LISTEN
  // (§3.10.7.4 second, passive open), its user told returned-to-listen, and nobody releases it.
  // B crashes at 1 s: its listener hears host-crashed, the child nothing more.
  TestNetwork net(10ms);
  net.add_client_and_listener(rfc6298_profile(), rfc6298_profile());
  std::vector<std::string> notes;
  net.on_notification([&](TcpHost& h, ConnId id, Notification n) {
    if (&h == &net.host("server"))
      notes.push_back(std::to_string(id) + " " + std::string(to_string(n)));
  });
  net.drop("client", "server", 2);
  REQUIRE(net.host("client").connect(net.address("server", 80)).error == ConnectError::Ok);
  Segment rst;
  rst.src_port = 40000;
  rst.dst_port = 80;
  rst.flags = Flag::Rst;
  rst.seq = SeqNum(1);
  net.inject(at(15ms), "client", "server", rst);
  net.scheduler.schedule_at(at(1s), [&] { net.host("server").crash(); });
  net.scheduler.run_until(at(2s));
  CHECK(notes == std::vector<std::string>{"2 returned-to-listen", "1 host-crashed"});
}

}  // namespace
}  // namespace synlab::tcp
