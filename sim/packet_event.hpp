// PacketEvent: the kernel's half of a packet trace record — when, what happened, where.
// A model's record type adds the payload's fields (see Network's Traits::make_record).
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/direction.hpp"
#include "sim/drop_reason.hpp"
#include "sim/link_id.hpp"
#include "sim/node_id.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

enum class PacketEventKind : std::uint8_t {
  Send,  // the packet enters a link direction at `node` (it may still be dropped there)
  Recv,  // the packet arrived at `node`, the far end of the link direction
  Drop,  // the packet was discarded at `node`, for `reason`
};

constexpr std::string_view to_string(PacketEventKind k) noexcept {
  switch (k) {
    case PacketEventKind::Send:
      return "send";
    case PacketEventKind::Recv:
      return "recv";
    case PacketEventKind::Drop:
      return "drop";
  }
  return "?";
}

struct PacketEvent {
  Time time;
  PacketEventKind kind = PacketEventKind::Send;
  DropReason reason = DropReason::Loss;  // meaningful only when kind == Drop
  NodeId node;
  LinkId link;  // none for a no-route drop
  Direction direction = Direction::Forward;

  friend bool operator==(const PacketEvent&, const PacketEvent&) = default;
};

}  // namespace synlab::sim
