// EphemeralPorts: the local ports a host's active opens use towards each remote socket, so that
// connect() picks the next free ephemeral port in O(1) amortised time and knows at once when
// none is left. RFC 6056 §3.3.1 (Algorithm 1's sequential variant: the next port after the
// last one chosen); Linux: __inet_hash_connect() picks from ip_local_port_range a port whose
// 4-tuple is unused and fails with EADDRNOTAVAIL when the range is used up.
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "models/tcp/socket_address.hpp"

namespace synlab::tcp {

class EphemeralPorts {
 public:
  // Ephemeral ports are [first, 65535]; the cursor starts at `first`.
  explicit EphemeralPorts(std::uint16_t first) : first_(first), cursor_(first) {}

  // The first port from the cursor on (wrapping from 65535 to `first`) that no active open
  // uses towards `remote` and for which `usable(port)` holds (no listener on it, no other
  // connection on its 4-tuple); the cursor moves past it. nullopt, at once, when every port of
  // the range is used towards `remote` (Linux: EADDRNOTAVAIL); the cursor stays.
  // The map is scanned 64 ports a word, so a choice costs at most 1,024 word reads, plus one
  // `usable` call per port the map leaves and `usable` refuses.
  template <class Usable>
  std::optional<std::uint16_t> choose(SocketAddress remote, Usable&& usable) {
    const Used* used = find(remote);
    if (used != nullptr && used->in_range == range_size()) return std::nullopt;
    const auto pick = [&](std::uint32_t from, std::uint32_t to) -> std::optional<std::uint16_t> {
      for (std::uint32_t word = from / 64; word <= (to - 1) / 64; ++word) {
        std::uint64_t free = used != nullptr ? ~used->bits[word] : ~std::uint64_t{0};
        if (word == from / 64) free &= ~std::uint64_t{0} << (from % 64);
        if (word == (to - 1) / 64 && to % 64 != 0) free &= (std::uint64_t{1} << (to % 64)) - 1;
        for (; free != 0; free &= free - 1) {
          const auto port = static_cast<std::uint16_t>(word * 64 + std::countr_zero(free));
          if (port != 0 && usable(port)) return port;
        }
      }
      return std::nullopt;
    };
    std::optional<std::uint16_t> port = pick(cursor_, 0x10000);
    if (!port && cursor_ > first_) port = pick(first_, cursor_);
    if (port) cursor_ = *port == 0xffff ? first_ : static_cast<std::uint16_t>(*port + 1);
    return port;
  }

  // The port the next choose() starts its search from (ports in use towards `remote` are
  // passed over without asking `usable`).
  std::uint16_t cursor() const noexcept { return cursor_; }
  // An active open towards `remote` now uses `port` (an ephemeral one or a fixed one).
  void take(SocketAddress remote, std::uint16_t port);
  // ... and no longer does. Ports never taken are ignored (a listener's children).
  void release(SocketAddress remote, std::uint16_t port);
  // Whether an active open uses `port` towards any remote socket. (It visits every remote's
  // map, but the answer is the same in any order.)
  bool in_use(std::uint16_t port) const noexcept {
    for (const auto& [remote, used] : used_)
      if ((used.bits[port / 64u] & (std::uint64_t{1} << (port % 64u))) != 0) return true;
    return false;
  }

 private:
  struct Used {
    std::vector<std::uint64_t> bits = std::vector<std::uint64_t>(0x10000 / 64);  // 8 KiB
    std::uint32_t in_range = 0;  // bits set in [first, 65535]
  };
  static std::uint64_t key(SocketAddress remote) {
    return (std::uint64_t{remote.host} << 16u) | remote.port;
  }
  const Used* find(SocketAddress remote) const {
    const auto it = used_.find(key(remote));
    return it == used_.end() ? nullptr : &it->second;
  }
  std::uint32_t range_size() const { return 0x10000u - first_; }

  std::uint16_t first_;
  std::uint16_t cursor_;
  // Only looked up, never iterated, so its order cannot reach the results (STYLE §4).
  std::unordered_map<std::uint64_t, Used> used_;
};

}  // namespace synlab::tcp
