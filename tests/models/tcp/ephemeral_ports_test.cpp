// EphemeralPorts: the next free port after the last one chosen (RFC 6056 §3.3.1), per remote
// socket, and "none left" (Linux: EADDRNOTAVAIL) found without a scan; then TcpHost::connect
// on a full range.
#include "models/tcp/ephemeral_ports.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "models/tcp/profile.hpp"
#include "tests/models/tcp/test_network.hpp"

namespace synlab::tcp {
namespace {

constexpr SocketAddress server{2, 80};
constexpr SocketAddress other{3, 80};

TEST_CASE("ports are chosen in order from the first, each after the last one chosen") {
  EphemeralPorts ports(65530);  // the range is 65530 to 65535: 6 ports
  const auto any = [](std::uint16_t) { return true; };
  for (std::uint16_t p = 65530; p != 0; ++p) {  // 65530 ... 65535
    CHECK(ports.choose(server, any) == p);
    ports.take(server, p);
  }
  // All 6 used towards `server`: none left, and no port is even offered to `usable`.
  int asked = 0;
  CHECK(ports.choose(server, [&](std::uint16_t) { return ++asked, true; }) == std::nullopt);
  CHECK(asked == 0);
  // Towards another socket every port is free; the cursor went round to 65530.
  CHECK(ports.choose(other, any) == 65530);
  // A port released is the next one found from the cursor (now 65531): 65532 freed, chosen.
  ports.release(server, 65532);
  CHECK(ports.choose(server, any) == 65532);
  ports.take(server, 65532);
  CHECK(ports.choose(server, any) == std::nullopt);
}

TEST_CASE("cursor() is the port the next choice tries first: after the last one, wrapping") {
  EphemeralPorts ports(65533);  // 65533 to 65535
  CHECK(ports.cursor() == 65533);
  std::vector<std::uint16_t> tried;
  const auto note = [&](std::uint16_t p) { return tried.push_back(p), true; };
  CHECK(ports.choose(server, note) == 65533);
  CHECK(ports.cursor() == 65534);
  CHECK(ports.choose(server, note) == 65534);
  CHECK(ports.choose(server, note) == 65535);
  CHECK(ports.cursor() == 65533);  // past 65535: the range's first
  CHECK(ports.choose(server, note) == 65533);
  // Each choice asked `usable` first about the cursor it started from.
  CHECK(tried == std::vector<std::uint16_t>{65533, 65534, 65535, 65533});
  // Nothing left: the cursor stays.
  for (std::uint16_t p = 65533; p != 0; ++p) ports.take(server, p);
  CHECK(ports.choose(server, note) == std::nullopt);
  CHECK(ports.cursor() == 65534);
}

TEST_CASE("a port `usable` refuses (a listener, another 4-tuple) is passed over") {
  EphemeralPorts ports(40000);
  CHECK(ports.choose(server, [](std::uint16_t p) { return p != 40000 && p != 40001; }) == 40002);
  CHECK(ports.choose(server, [](std::uint16_t) { return true; }) == 40003);
  // A fixed port below the range is recorded but does not count towards the range.
  ports.take(server, 1234);
  ports.release(server, 1234);
  ports.release(server, 50000);  // never taken: ignored
  CHECK(ports.choose(server, [](std::uint16_t) { return true; }) == 40004);
}

TEST_CASE("with 25,535 of 25,536 ports in use the free one is found in one call of `usable`") {
  // Ports 40000 to 65535 (25,536) all taken but 52000: the map skips the used ones 64 at a
  // time, so `usable` is asked about the free port only (the scan asked about each).
  EphemeralPorts ports(40000);
  for (std::uint32_t p = 40000; p <= 65535; ++p)
    if (p != 52000) ports.take(server, static_cast<std::uint16_t>(p));
  int asked = 0;
  CHECK(ports.choose(server, [&](std::uint16_t) { return ++asked, true; }) == 52000);
  CHECK(asked == 1);
}

TEST_CASE("TcpHost::connect: a full range fails at once with NoPortLeft (Linux: EADDRNOTAVAIL)") {
  // The client's ephemeral range is 40000 to 65535: 25,536 ports. Every SYN is lost, so each
  // connection holds its port (SYN-SENT) and the scheduler never needs to run.
  test::TestNetwork net(sim::Duration{1'000'000});
  const Profile p = linux_profile();
  net.add_client_and_listener(p, p);
  net.add_host("other", p);
  net.drop_if("client", "server", [](const Segment&) { return true; });
  TcpHost& client = net.host("client");
  const SocketAddress to = net.address("server", 80);
  std::vector<std::uint16_t> ports;
  for (std::uint32_t i = 0; i < 25'536; ++i) {
    const auto opened = client.connect(to);
    REQUIRE(opened.error == ConnectError::Ok);
    ports.push_back(client.endpoint(opened.id)->tcb().local.port);
  }
  CHECK(ports.front() == 40000);
  CHECK(ports.back() == 65535);
  CHECK(client.connect(to).error == ConnectError::NoPortLeft);
  // Another remote socket has its own 4-tuples: its first connection takes 40000 again.
  const auto elsewhere = client.connect(net.address("other", 80));
  REQUIRE(elsewhere.error == ConnectError::Ok);
  CHECK(client.endpoint(elsewhere.id)->tcb().local.port == 40000);
  // Aborting one frees its port (its TCB and 4-tuple are gone): the next connect takes it.
  client.abort(1);
  const auto again = client.connect(to);
  REQUIRE(again.error == ConnectError::Ok);
  CHECK(client.endpoint(again.id)->tcb().local.port == 40000);
}

}  // namespace
}  // namespace synlab::tcp
