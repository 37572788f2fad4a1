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

}  // namespace
}  // namespace synlab::tcp
