// FourTuple: the socket pair of a segment as sent (RFC 9293 §3.1: source address and port,
// destination address and port), packed as a key of the per-connection tables (sim::FlatHashMap):
// comparing two is two integer compares, hashing one is one multiply and SplitMix64's finalizer.
#pragma once

#include <cstddef>
#include <cstdint>

#include "models/tcp/socket_address.hpp"
#include "sim/random_stream.hpp"  // mix64

namespace synlab::tcp {

struct FourTuple {
  std::uint64_t hosts = 0;  // source << 32 | destination
  std::uint32_t ports = 0;  // source << 16 | destination

  static constexpr FourTuple of(SocketAddress from, SocketAddress to) noexcept {
    return FourTuple{(std::uint64_t{from.host} << 32u) | to.host,
                     (std::uint32_t{from.port} << 16u) | to.port};
  }
  // The same pair as the other end sends it.
  constexpr FourTuple reversed() const noexcept {
    return FourTuple{(hosts << 32u) | (hosts >> 32u), (ports << 16u) | (ports >> 16u)};
  }
  constexpr SocketAddress from() const noexcept {
    return SocketAddress{static_cast<HostAddress>(hosts >> 32u),
                         static_cast<std::uint16_t>(ports >> 16u)};
  }
  constexpr SocketAddress to() const noexcept {
    return SocketAddress{static_cast<HostAddress>(hosts), static_cast<std::uint16_t>(ports)};
  }

  friend constexpr bool operator==(const FourTuple&, const FourTuple&) = default;
};

// The ports multiplied by an odd constant (2^64 / the golden ratio) reach the high bits before
// they meet the addresses: tuples that differ only in a port (sequential ephemeral ports) differ
// before the finalizer, which spreads them over the low bits the table uses.
struct FourTupleHash {
  std::size_t operator()(const FourTuple& t) const noexcept {
    return static_cast<std::size_t>(
        sim::mix64(t.hosts ^ (std::uint64_t{t.ports} * 0x9e3779b97f4a7c15u)));
  }
};

}  // namespace synlab::tcp
