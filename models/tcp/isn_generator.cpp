// IsnGenerator (RFC 6528): a 4 us clock plus a keyed hash of the connection's 4-tuple.
#include "models/tcp/isn_generator.hpp"

#include "sim/random_stream.hpp"

namespace synlab::tcp {

std::uint64_t IsnGenerator::hash(SocketAddress local, SocketAddress remote,
                                 std::uint64_t salt) const noexcept {
  std::uint64_t h = sim::mix64(key_ ^ salt);
  h = sim::mix64(h ^ ((std::uint64_t{local.host} << 16u) | local.port));
  h = sim::mix64(h ^ ((std::uint64_t{remote.host} << 16u) | remote.port));
  return h;
}

SeqNum IsnGenerator::isn(sim::Time now, SocketAddress local, SocketAddress remote) const noexcept {
  const auto m = static_cast<std::uint32_t>(static_cast<std::uint64_t>(sim::to_ns(now)) / 4000u);
  const auto f = static_cast<std::uint32_t>(hash(local, remote, 0x15u));
  return SeqNum(m + f);
}

std::uint32_t IsnGenerator::ts_offset(SocketAddress local, SocketAddress remote) const noexcept {
  return static_cast<std::uint32_t>(hash(local, remote, 0x75u));
}

}  // namespace synlab::tcp
