// DemuxTable: a host's connections by local port and remote socket, the table an arriving
// segment is looked up in (RFC 9293 §3.10.7: the segment belongs to the connection its 4-tuple
// names; the local address is the host's own, so the local port and the remote socket are the
// key). TcpHost looks up each segment it receives, each port connect() considers, and each
// connection it releases.
//
// Most local ports carry one connection at a time: a client's ephemeral port carries one each.
// Such a connection sits in an array indexed by the port itself, in pages of 256 ports made
// when a port of the page is first used. Connections opened one after the other take
// neighbouring ports, so their entries share cache lines: the look-ups that come 50 ms or 10 s
// after an insertion (the SYN,ACK, the end of TIME-WAIT) mostly find the line still in cache,
// where the slots of a hash table, spread at random, each missed it (docs/kernel.md). The other
// connections of a port (a server's port is shared by all its children) go to a hash table.
// Nothing iterates over it: no order can leak out.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "models/tcp/socket_address.hpp"
#include "sim/flat_hash_map.hpp"

namespace synlab::tcp {

class DemuxTable {
 public:
  using Id = std::uint32_t;  // TcpHost's ConnId; 0 is no connection

  // The connection on (local_port, remote), or nullptr.
  const Id* find(std::uint16_t local_port, SocketAddress remote) const noexcept {
    if (const Entry* e = entry(local_port); e != nullptr && e->id != 0 && e->remote == remote)
      return &e->id;
    return more_.empty() ? nullptr : more_.find(key(local_port, remote));
  }
  bool contains(std::uint16_t local_port, SocketAddress remote) const noexcept {
    return find(local_port, remote) != nullptr;
  }

  // Adds connection `id` (not 0) on (local_port, remote) unless one is there; returns whether
  // it did.
  bool emplace(std::uint16_t local_port, SocketAddress remote, Id id) {
    Entry& e = entry_or_page(local_port);
    if (e.id != 0) {  // the port's entry is taken: by this 4-tuple, or the hash table's turn
      if (e.remote == remote || !more_.emplace(key(local_port, remote), id)) return false;
    } else {
      if (!more_.empty() && more_.contains(key(local_port, remote))) return false;
      e = Entry{remote, id};
    }
    ++size_;
    return true;
  }

  // Removes the connection on (local_port, remote); returns whether there was one.
  bool erase(std::uint16_t local_port, SocketAddress remote) noexcept {
    if (Entry* e = entry(local_port); e != nullptr && e->id != 0 && e->remote == remote) {
      *e = Entry{};  // a connection the port has in the hash table stays there, and is found
    } else if (!more_.erase(key(local_port, remote))) {
      return false;
    }
    --size_;
    return true;
  }

  std::size_t size() const noexcept { return size_; }

 private:
  struct Entry {
    SocketAddress remote;
    Id id = 0;  // 0: no connection
  };
  static constexpr unsigned page_bits = 8;
  static constexpr std::uint16_t page_mask = (1u << page_bits) - 1;
  struct Page {
    std::array<Entry, std::size_t{1} << page_bits> entries{};
  };

  // The hash table's key: the local port, the remote port and the remote host in 64 bits.
  static constexpr std::uint64_t key(std::uint16_t local_port, SocketAddress remote) noexcept {
    return (std::uint64_t{local_port} << 48u) | (std::uint64_t{remote.port} << 32u) | remote.host;
  }

  Entry* entry(std::uint16_t port) noexcept {
    const std::size_t p = port >> page_bits;
    if (p >= pages_.size() || pages_[p] == nullptr) return nullptr;
    return &pages_[p]->entries[port & page_mask];
  }
  const Entry* entry(std::uint16_t port) const noexcept {
    return const_cast<DemuxTable*>(this)->entry(port);
  }
  Entry& entry_or_page(std::uint16_t port) {
    const std::size_t p = port >> page_bits;
    if (p >= pages_.size()) pages_.resize(p + 1);
    if (pages_[p] == nullptr) pages_[p] = std::make_unique<Page>();
    return pages_[p]->entries[port & page_mask];
  }

  std::vector<std::unique_ptr<Page>> pages_;  // [port >> page_bits]; null: no port of it used
  sim::FlatHashMap<std::uint64_t, Id, sim::IntegerHash> more_;
  std::size_t size_ = 0;
};

}  // namespace synlab::tcp
