// FourTuple: a segment's socket pair as sent (RFC 9293 §3.1), packed for the per-connection
// tables: its fields, the pair as the other end sends it, equality, and the hash's spread.
#include "models/tcp/four_tuple.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <utility>

namespace synlab::tcp {
namespace {

constexpr SocketAddress client{0x0a000001, 40000};  // 10.0.0.1:40000
constexpr SocketAddress server{0x0a000002, 80};     // 10.0.0.2:80

TEST_CASE("FourTuple packs the source above the destination, addresses and ports apart") {
  const FourTuple t = FourTuple::of(client, server);
  CHECK(t.hosts == 0x0a000001'0a000002u);
  CHECK(t.ports == (40000u << 16u | 80u));  // 0x9c400050
  CHECK(t.ports == 0x9c400050u);
  CHECK(t.from() == client);
  CHECK(t.to() == server);
}

TEST_CASE("FourTuple gives back the largest and the smallest addresses and ports") {
  constexpr SocketAddress top{0xffffffffu, 65535};
  constexpr SocketAddress zero{0, 0};
  for (const auto& [from, to] : {std::pair{top, zero}, std::pair{zero, top}, std::pair{top, top}}) {
    const FourTuple t = FourTuple::of(from, to);
    CHECK(t.from() == from);
    CHECK(t.to() == to);
  }
}

TEST_CASE("FourTuple reversed is the pair as the other end sends it") {
  const FourTuple t = FourTuple::of(client, server);
  CHECK(t.reversed() == FourTuple::of(server, client));
  CHECK(t.reversed().from() == server);
  CHECK(t.reversed().to() == client);
  CHECK(t.reversed().reversed() == t);
  CHECK(t.reversed() != t);
}

TEST_CASE("FourTuple equality tells apart any one changed address or port") {
  const FourTuple t = FourTuple::of(client, server);
  CHECK(t == FourTuple::of(client, server));
  CHECK(t != FourTuple::of({client.host + 1, client.port}, server));
  CHECK(t != FourTuple::of({client.host, static_cast<std::uint16_t>(client.port + 1)}, server));
  CHECK(t != FourTuple::of(client, {server.host + 1, server.port}));
  CHECK(t != FourTuple::of(client, {server.host, static_cast<std::uint16_t>(server.port + 1)}));
  // The same two addresses and ports, crossed: another pair.
  CHECK(t != FourTuple::of({client.host, server.port}, {server.host, client.port}));
}

TEST_CASE("FourTupleHash spreads tuples that differ only in the source port over a table") {
  // 4,096 sequential ephemeral ports towards one server, into a table of 4,096 slots (the low 12
  // bits, as sim::FlatHashMap takes them). Hashes as good as random fill 4096 * (1 - 1/e), about
  // 2,589 slots (standard deviation about 28); a hash that ignored the ports would fill one.
  constexpr std::uint32_t n = 4096;
  std::set<std::size_t> hashes;
  std::set<std::size_t> slots;
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto port = static_cast<std::uint16_t>(32768 + i);
    const std::size_t h = FourTupleHash{}(FourTuple::of({client.host, port}, server));
    hashes.insert(h);
    slots.insert(h & (n - 1));
  }
  CHECK(hashes.size() == n);  // no two of these collide in all 64 bits
  CHECK(slots.size() >= 2400);
  CHECK(slots.size() <= 2800);
}

}  // namespace
}  // namespace synlab::tcp
