// ScriptedDrops: drop exactly the packets a lab names — "the first SYN", "the 2nd and 4th
// SYN/ACK", "every pure ACK between 1 s and 2 s" — on one link direction. No randomness.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "models/net/segment_match.hpp"
#include "models/tcp/segment.hpp"
#include "sim/time.hpp"

namespace synlab::net {

struct ScriptedDrop {
  SegmentMatch match;
  // Which matches to drop, counting from 1 in the order they are sent on this direction;
  // empty: every match.
  std::vector<std::uint32_t> nth;
  // Only segments sent in [from, until) count as matches; absent bounds are open.
  std::optional<sim::Time> from;
  std::optional<sim::Time> until;
};

class ScriptedDrops {
 public:
  ScriptedDrops() = default;
  explicit ScriptedDrops(std::vector<ScriptedDrop> rules)
      : rules_(std::move(rules)), matched_(rules_.size(), 0) {}

  // Counts `segment`, sent at `now`, against every rule (each rule keeps its own count, and
  // every segment offered to the direction is counted, whatever else drops it); returns
  // whether any rule drops it.
  bool drop(const tcp::Segment& segment, sim::Time now) {
    bool dropped = false;
    for (std::size_t i = 0; i < rules_.size(); ++i) {
      const ScriptedDrop& rule = rules_[i];
      if (!rule.match.matches(segment)) continue;
      if ((rule.from && now < *rule.from) || (rule.until && now >= *rule.until)) continue;
      const std::uint32_t n = ++matched_[i];
      if (rule.nth.empty() || std::find(rule.nth.begin(), rule.nth.end(), n) != rule.nth.end())
        dropped = true;
    }
    return dropped;
  }

  bool empty() const noexcept { return rules_.empty(); }

 private:
  std::vector<ScriptedDrop> rules_;
  std::vector<std::uint32_t> matched_;  // matches so far, per rule
};

}  // namespace synlab::net
