// IsnGenerator: initial sequence numbers as RFC 6528 / RFC 9293 §3.4.1 recommend:
// ISN = M + F(localip, localport, remoteip, remoteport, secretkey), M a 4 us clock (MUST-8).
#pragma once

#include <cstdint>

#include "models/tcp/seq_num.hpp"
#include "models/tcp/socket_address.hpp"
#include "sim/time.hpp"

namespace synlab::tcp {

class IsnGenerator {
 public:
  // `secret_key` comes from the host's RandomStream, so the same seed gives the same ISNs.
  explicit IsnGenerator(std::uint64_t secret_key) noexcept : key_(secret_key) {}

  // RFC 6528 §3: M ticks every 4 us (RFC 9293 §3.4.1: "bound to a (possibly fictitious) 32-bit
  // clock whose low-order bit is incremented roughly every 4 microseconds").
  // Deviation: F is a keyed SplitMix64 mix, not MD5 (RFC 6528 §3 allows any PRF; a simulator
  // needs no cryptographic strength).
  SeqNum isn(sim::Time now, SocketAddress local, SocketAddress remote) const noexcept;

  // A per-connection TSval offset (RFC 7323 §5.4; Linux secure_tcp_ts_off()), from the same key.
  std::uint32_t ts_offset(SocketAddress local, SocketAddress remote) const noexcept;

 private:
  std::uint64_t hash(SocketAddress local, SocketAddress remote, std::uint64_t salt) const noexcept;
  std::uint64_t key_;
};

}  // namespace synlab::tcp
