// Every drop pattern of the first n segments (STYLE §10 "Sweep every drop pattern"): with at
// most n = 7 losses the linux profile's retries always complete the handshake, the server never
// completes before the client's ACK can reach it, and every connection's trace stays sane.
#include <doctest/doctest.h>

#include "models/tcp/profile.hpp"
#include "tests/models/tcp/test_network.hpp"

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;
using sim::at;

TEST_CASE("linux: every drop pattern of the first 7 segments ends with both sides ESTABLISHED") {
  constexpr std::uint32_t n = 7;
  constexpr sim::Duration d = 10us;
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    CAPTURE(mask);
    test::TestNetwork net(d);
    net.add_host("client", linux_profile(), 0);
    net.add_host("server", linux_profile(), 0);
    REQUIRE(net.host("server").listen(80, 5) == ListenError::Ok);
    for (std::uint32_t i = 0; i < n; ++i)
      if ((mask & (1u << i)) != 0) net.drop_overall(i + 1);
    const auto r = net.host("client").connect(net.address("server", 80));
    // A pure ACK lost after the client is done is recovered by the server's SYN/ACK timer
    // (at most 1 + 2 + 4 + 8 s after its SYN/ACK for 4 losses in a row).
    net.scheduler.run_until(at(200s));
    const TcpEndpoint& c = *net.host("client").endpoint(r.id);
    CHECK(c.state() == State::Established);
    const TcpEndpoint* s = nullptr;
    for (ConnId id = 2; id < 10; ++id) {
      const TcpEndpoint* e = net.host("server").endpoint(id);
      if (e != nullptr && e->state() == State::Established) s = e;
    }
    REQUIRE(s != nullptr);
    // The server's ESTABLISHED needs an ACK sent after the client's: at least d later.
    CHECK(s->stats().established_time >= c.stats().established_time + d);
    // Both ends agree on the sequence numbers.
    CHECK(s->tcb().irs == c.tcb().iss);
    CHECK(c.tcb().irs == s->tcb().iss);
    CHECK(c.tcb().snd_nxt == s->tcb().rcv_nxt);
  }
}

}  // namespace
}  // namespace synlab::tcp
