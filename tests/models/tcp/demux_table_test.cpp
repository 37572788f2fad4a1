// DemuxTable: a host's connections by local port and remote socket. A port's first connection
// sits in the port-indexed array, the others in the hash table; a look-up, an insertion and an
// erasure must not depend on which of the two holds a connection.
#include "models/tcp/demux_table.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

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

TEST_CASE("DemuxTable keeps every (port, remote) apart, the extreme values included") {
  // Its key packs the local port, the remote port and the remote host into 64 bits: no two of
  // these may meet. (The table's own logic, array and hash table, is sim::PortTable's, checked
  // against a std::map in tests/sim/port_table_test.cpp.)
  // Pairs that would meet were a field shifted one bit too few: (0x7fffffff, 1) and
  // (0xffffffff, 0); local port 1 with remote port 0 and local port 0 with remote port 32768.
  const std::vector<std::uint16_t> ports{0, 1, 80, 255, 256, 40000, 65535};
  const std::vector<SocketAddress> remotes{server,
                                           other,
                                           {server.host, 40000},
                                           {server.host, 32768},
                                           {0, 0},
                                           {0x7fffffffu, 1},
                                           {0xffffffffu, 0},
                                           {0xffffffffu, 65535}};
  DemuxTable t;
  DemuxTable::Id id = 1;
  for (const std::uint16_t p : ports)
    for (const SocketAddress& r : remotes) CHECK(t.emplace(p, r, id++));
  CHECK(t.size() == ports.size() * remotes.size());
  id = 1;
  for (const std::uint16_t p : ports) {
    for (const SocketAddress& r : remotes) {
      const DemuxTable::Id* found = t.find(p, r);
      REQUIRE(found != nullptr);
      CHECK(*found == id++);
    }
  }
  for (const std::uint16_t p : ports)
    for (const SocketAddress& r : remotes) CHECK(t.erase(p, r));
  CHECK(t.size() == 0);
  for (const std::uint16_t p : ports)
    for (const SocketAddress& r : remotes) CHECK(t.find(p, r) == nullptr);
}

}  // namespace
}  // namespace synlab::tcp
