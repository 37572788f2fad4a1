// DemuxTable: a host's connections by local port and remote socket, the table an arriving
// segment is looked up in (RFC 9293 §3.10.7: the segment belongs to the connection its 4-tuple
// names; the local address is the host's own, so the local port and the remote socket are the
// key). TcpHost looks up each segment it receives, each port connect() considers, and each
// connection it releases.
//
// Connections opened one after the other take neighbouring ephemeral ports: a client's as its
// local port, a server's children as their remote port, while the other port stays the same
// (the server's). The table is a sim::PortTable filed under the two ports' exclusive or, which
// runs in sequence on both sides: a number's first connection sits in an array indexed by the
// number, and neighbouring connections' entries share cache lines; a number's others (two
// port pairs with the same exclusive or) go to a hash table.
#pragma once

#include <cstddef>
#include <cstdint>

#include "models/tcp/socket_address.hpp"
#include "sim/flat_hash_map.hpp"
#include "sim/port_table.hpp"

namespace synlab::tcp {

class DemuxTable {
 public:
  using Id = std::uint32_t;  // TcpHost's ConnId; 0 is no connection

  // The connection on (local_port, remote), or nullptr.
  const Id* find(std::uint16_t local_port, SocketAddress remote) const noexcept {
    return table_.find(key(local_port, remote));
  }
  bool contains(std::uint16_t local_port, SocketAddress remote) const noexcept {
    return find(local_port, remote) != nullptr;
  }
  // Fetches the entry of (local_port, remote) into cache, for a lookup to come (a hint).
  void prefetch(std::uint16_t local_port, SocketAddress remote) const noexcept {
    table_.prefetch(key(local_port, remote));
  }

  // Adds connection `id` (not 0) on (local_port, remote) unless one is there; returns whether
  // it did.
  bool emplace(std::uint16_t local_port, SocketAddress remote, Id id) {
    return table_.emplace(key(local_port, remote), id);
  }

  // Removes the connection on (local_port, remote); returns whether there was one.
  bool erase(std::uint16_t local_port, SocketAddress remote) noexcept {
    return table_.erase(key(local_port, remote));
  }

  std::size_t size() const noexcept { return table_.size(); }

 private:
  // The key: the local port, the remote port and the remote host in 64 bits.
  static constexpr std::uint64_t key(std::uint16_t local_port, SocketAddress remote) noexcept {
    return (std::uint64_t{local_port} << 48u) | (std::uint64_t{remote.port} << 32u) | remote.host;
  }
  // The number a key is filed under: local port XOR remote port.
  struct PortsXor {
    std::uint16_t operator()(std::uint64_t key) const noexcept {
      return static_cast<std::uint16_t>((key >> 48u) ^ (key >> 32u));
    }
  };

  sim::PortTable<std::uint64_t, Id, sim::IntegerHash, PortsXor> table_;
};

}  // namespace synlab::tcp
