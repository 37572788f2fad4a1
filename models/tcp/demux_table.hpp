// DemuxTable: a host's connections by local port and remote socket, the table an arriving
// segment is looked up in (RFC 9293 §3.10.7: the segment belongs to the connection its 4-tuple
// names; the local address is the host's own, so the local port and the remote socket are the
// key). TcpHost looks up each segment it receives, each port connect() considers, and each
// connection it releases.
//
// Most local ports carry one connection at a time: a client's ephemeral port carries one each.
// The table is a sim::PortTable keyed by the local port: a port's first connection sits in an
// array indexed by the port, its others (a server's port is shared by all its children) in a
// hash table. Connections opened one after the other take neighbouring ports, so their entries
// share cache lines.
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
  struct LocalPort {
    std::uint16_t operator()(std::uint64_t key) const noexcept {
      return static_cast<std::uint16_t>(key >> 48u);
    }
  };

  sim::PortTable<std::uint64_t, Id, sim::IntegerHash, LocalPort> table_;
};

}  // namespace synlab::tcp
