// Packet<Payload>: what the kernel carries (STYLE §6). The kernel reads only the id, the wire
// size and the addresses; the payload (e.g. tcp::Segment) is an opaque value owned by a model.
#pragma once

#include <cstdint>

#include "sim/ipv4_address.hpp"

namespace synlab::sim {

template <class Payload>
struct Packet {
  std::uint64_t id = 0;          // unique per Network, set by Network::send
  std::uint32_t size_bytes = 0;  // on the wire, IP header included: drives serialization delay
  Ipv4Address src;
  Ipv4Address dst;
  Payload payload{};

  friend bool operator==(const Packet&, const Packet&) = default;
};

}  // namespace synlab::sim
