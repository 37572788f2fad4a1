// Every drop pattern of the first n segments (STYLE §10 "Sweep every drop pattern"): with at
// most n losses (n below each profile's SYN count) the retries always complete the handshake,
// the server never completes before the client's ACK can reach it, and both ends agree.
#include <doctest/doctest.h>

#include "models/tcp/profile.hpp"
#include "tests/models/tcp/test_network.hpp"

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;
using sim::at;

TEST_CASE("Every drop pattern of the first n segments ends with both sides ESTABLISHED") {
  // n < the number of SYNs each profile sends before giving up: linux 11, linux-classic 7,
  // rfc6298 8, classic 6.
  const std::vector<std::pair<const Profile*, std::uint32_t>> sweeps = {
      {&linux_profile(), 7},
      {&linux_classic_profile(), 6},
      {&rfc6298_profile(), 7},
      {&classic_profile(), 5}};
  for (const auto& [profile, n] : sweeps)
    for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
      CAPTURE(profile->name);
      CAPTURE(mask);
      constexpr sim::Duration d = 10us;
      test::TestNetwork net(d);
      net.add_client_and_listener(*profile, *profile);
      for (std::uint32_t i = 0; i < n; ++i)
        if ((mask & (1u << i)) != 0) net.drop_overall(i + 1);
      const auto r = net.host("client").connect(net.address("server", 80));
      // A pure ACK lost after the client is done is recovered by the server's SYN/ACK timer;
      // the slowest case (classic, 3 s doubling) ends well within 400 s.
      net.scheduler.run_until(at(400s));
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
