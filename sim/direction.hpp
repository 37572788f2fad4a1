// Direction: which way a packet crosses a link. A link joins node `a` to node `b`;
// Forward is a -> b, Backward is b -> a. Each direction has its own parameters. Its text is the
// scenario format's word: "forward" or "reverse".
#pragma once

#include <cstdint>
#include <string_view>

namespace synlab::sim {

enum class Direction : std::uint8_t { Forward, Backward };

constexpr std::string_view to_string(Direction d) noexcept {
  switch (d) {
    case Direction::Forward:
      return "forward";
    case Direction::Backward:
      return "reverse";
  }
  return "?";
}

}  // namespace synlab::sim
