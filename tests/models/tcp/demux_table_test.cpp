// DemuxTable: a host's connections by local port and remote socket. A port's first connection
// sits in the port-indexed array, the others in the hash table; a look-up, an insertion and an
// erasure must not depend on which of the two holds a connection.
#include "models/tcp/demux_table.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "sim/random_stream.hpp"

namespace synlab::tcp {
namespace {

constexpr SocketAddress server{0x0a000002, 80};  // 10.0.0.2:80
constexpr SocketAddress other{0x0a000003, 80};   // 10.0.0.3:80

TEST_CASE("DemuxTable finds each connection on its port and remote socket, and only there") {
  DemuxTable t;
  CHECK(t.find(40000, server) == nullptr);  // empty, no page made yet
  CHECK(t.emplace(40000, server, 1));
  CHECK(t.emplace(40001, server, 2));  // the next port: the same page
  REQUIRE(t.find(40000, server) != nullptr);
  CHECK(*t.find(40000, server) == 1);
  CHECK(*t.find(40001, server) == 2);
  CHECK(t.find(40002, server) == nullptr);  // a port of the page with no connection
  CHECK(t.find(40000, other) == nullptr);   // the port's connection has another remote
  CHECK(t.find(40000, {server.host, 81}) == nullptr);
  CHECK(t.find(39999, server) == nullptr);  // a page never used
  CHECK(t.size() == 2);
}

TEST_CASE("DemuxTable keeps a port's second connection apart, and finds it after the first goes") {
  DemuxTable t;
  CHECK(t.emplace(40000, server, 1));
  CHECK(t.emplace(40000, other, 2));        // same local port, another remote: the hash table
  CHECK_FALSE(t.emplace(40000, other, 3));  // a 4-tuple in use is refused, wherever it sits
  CHECK_FALSE(t.emplace(40000, server, 4));
  CHECK(*t.find(40000, server) == 1);
  CHECK(*t.find(40000, other) == 2);
  CHECK(t.size() == 2);

  CHECK(t.erase(40000, server));  // the array's entry goes
  CHECK(t.find(40000, server) == nullptr);
  REQUIRE(t.find(40000, other) != nullptr);  // the hash table's stays found
  CHECK(*t.find(40000, other) == 2);
  CHECK_FALSE(t.erase(40000, server));  // gone already
  CHECK(t.size() == 1);

  CHECK(t.emplace(40000, server, 5));  // takes the array's entry again
  CHECK(*t.find(40000, server) == 5);
  CHECK(t.erase(40000, other));
  CHECK(t.find(40000, other) == nullptr);
  CHECK(*t.find(40000, server) == 5);
  CHECK(t.size() == 1);
}

TEST_CASE("DemuxTable serves the lowest and the highest port") {
  DemuxTable t;
  CHECK(t.emplace(0, server, 1));
  CHECK(t.emplace(65535, server, 2));
  CHECK(*t.find(0, server) == 1);
  CHECK(*t.find(65535, server) == 2);
  CHECK(t.erase(65535, server));
  CHECK(t.find(65535, server) == nullptr);
  CHECK(*t.find(0, server) == 1);
}

TEST_CASE("DemuxTable agrees with a std::map over 20,000 random insertions and erasures") {
  // A few ports (one page's edge, another page), a few remotes: every port ends up with
  // connections both in the array and in the hash table, taken and released in every order.
  const std::vector<std::uint16_t> ports{80, 255, 256, 40000, 65535};
  const std::vector<SocketAddress> remotes{
      server, other, {server.host, 40000}, {0x0a000004, 40000}, {0xffffffffu, 65535}};
  DemuxTable t;
  std::map<std::tuple<std::uint16_t, HostAddress, std::uint16_t>, DemuxTable::Id> reference;
  sim::RandomStream random(1, "tests/demux-table");
  DemuxTable::Id next_id = 1;
  for (int step = 0; step < 20'000; ++step) {
    const std::uint16_t port = ports[random.below(static_cast<std::uint32_t>(ports.size()))];
    const SocketAddress remote = remotes[random.below(static_cast<std::uint32_t>(remotes.size()))];
    const auto key = std::tuple{port, remote.host, remote.port};
    if (random.bernoulli(0.5)) {
      const bool inserted = t.emplace(port, remote, next_id);
      CHECK(inserted == reference.emplace(key, next_id).second);
      ++next_id;
    } else {
      CHECK(t.erase(port, remote) == (reference.erase(key) == 1));
    }
    CHECK(t.size() == reference.size());
    for (const std::uint16_t p : ports) {
      for (const SocketAddress& r : remotes) {
        const auto it = reference.find(std::tuple{p, r.host, r.port});
        const DemuxTable::Id* found = t.find(p, r);
        if (it == reference.end()) {
          CHECK(found == nullptr);
        } else {
          REQUIRE(found != nullptr);
          CHECK(*found == it->second);
        }
      }
    }
  }
}

}  // namespace
}  // namespace synlab::tcp
