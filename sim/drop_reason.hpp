// DropReason: why the network discarded a packet (the `drop` trace record's reason).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace synlab::sim {

enum class DropReason : std::uint8_t {
  Loss,       // a random loss model (Bernoulli, Gilbert-Elliott) chose it
  QueueFull,  // the drop-tail queue of the link direction was full
  LinkDown,   // sent while the link direction was down (an outage)
  NoRoute,    // no path from the node to the destination address
  Scripted,   // a scripted drop rule matched it
  NodeDown,   // it reached a node that was down (crashed, not yet rebooted)
};
inline constexpr std::size_t drop_reason_count = 6;  // for arrays indexed by DropReason

// The names the trace and CSV files use: "loss", "queue-full", "link-down", ...
constexpr std::string_view to_string(DropReason r) noexcept {
  switch (r) {
    case DropReason::Loss:
      return "loss";
    case DropReason::QueueFull:
      return "queue-full";
    case DropReason::LinkDown:
      return "link-down";
    case DropReason::NoRoute:
      return "no-route";
    case DropReason::Scripted:
      return "scripted";
    case DropReason::NodeDown:
      return "node-down";
  }
  return "?";
}

}  // namespace synlab::sim
