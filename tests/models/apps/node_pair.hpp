// NodePair: two nodes, addresses 1 ("a") and 2 ("b"), joined by a wire that delivers each segment
// 10 ms after it is sent (the apps' tests: no network, no loss). ISNs 0.
#pragma once

#include <chrono>
#include <deque>
#include <memory>

#include "models/node/node.hpp"
#include "models/tcp/profile.hpp"
#include "sim/scheduler.hpp"

namespace synlab::apps::test {

struct NodePair : tcp::SegmentOutput {
  explicit NodePair(const tcp::Profile& profile = tcp::linux_profile()) {
    a = std::make_unique<node::Node>(
        scheduler, *this, 1,
        node::NodeConfig{.name = "a", .profile = &profile, .seed = 0, .fixed_isn = 0});
    b = std::make_unique<node::Node>(
        scheduler, *this, 2,
        node::NodeConfig{.name = "b", .profile = &profile, .seed = 0, .fixed_isn = 0});
  }
  void output(const tcp::AddressedSegment& s) override {
    node::Node* to = s.dst_host == 1 ? a.get() : s.dst_host == 2 ? b.get() : nullptr;
    if (to == nullptr) return;
    const tcp::AddressedSegment* kept = &in_flight.emplace_back(s);  // deque: stays put
    scheduler.schedule_in(std::chrono::milliseconds(10), [to, kept] { to->receive(*kept); });
  }

  sim::Scheduler scheduler;
  std::unique_ptr<node::Node> a;
  std::unique_ptr<node::Node> b;
  std::deque<tcp::AddressedSegment> in_flight;
};

}  // namespace synlab::apps::test
