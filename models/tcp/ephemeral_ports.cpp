// EphemeralPorts: the ports in use towards each remote socket (ephemeral_ports.hpp).
#include "models/tcp/ephemeral_ports.hpp"

namespace synlab::tcp {

void EphemeralPorts::take(SocketAddress remote, std::uint16_t port) {
  Used& used = used_[key(remote)];
  std::uint64_t& word = used.bits[port / 64u];
  const std::uint64_t bit = std::uint64_t{1} << (port % 64u);
  if ((word & bit) != 0) return;
  word |= bit;
  if (port >= first_) ++used.in_range;
}

void EphemeralPorts::release(SocketAddress remote, std::uint16_t port) {
  const auto it = used_.find(key(remote));
  if (it == used_.end()) return;
  Used& used = it->second;
  std::uint64_t& word = used.bits[port / 64u];
  const std::uint64_t bit = std::uint64_t{1} << (port % 64u);
  if ((word & bit) == 0) return;
  word &= ~bit;
  if (port >= first_) --used.in_range;
}

}  // namespace synlab::tcp
