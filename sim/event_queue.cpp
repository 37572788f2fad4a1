// EventQueue: cancellation, compaction and renumbering (see event_queue.hpp).
#include "sim/event_queue.hpp"

#include <algorithm>

namespace synlab::sim {

EventQueue::EventQueue(std::uint32_t first_order) : next_order_(first_order) {
  heap_.resize(root);
}  // three unused entries before the root

bool EventQueue::cancel(EventId id) noexcept {
  if (!is_pending(id)) return false;
  Node& node = nodes_[id.slot];
  node.fn.reset();
  node.state = NodeState::Cancelled;  // freed when its key leaves the heap or its lane
  --live_;
  ++stale_;
  if (stale_ > 64 && stale_ > live_) {
    settle();
    compact();
  }
  return true;
}

Time EventQueue::next_time() noexcept {
  settle();
  while (heap_.size() > root && nodes_[slot_of(heap_[root])].state == NodeState::Cancelled)
    drop_cancelled_top();
  return heap_.size() > root ? Time{Duration{time_of(heap_[root])}} : time_max;
}

std::size_t EventQueue::heap_entries() const noexcept {
  std::size_t keys = heap_.size() - root - (root_running_ ? 1 : 0);
  for (const Lane& lane : lanes_)
    if (!lane.keys.empty()) keys += lane.keys.size() - 1;  // its first key is counted in heap_
  return keys;
}

void EventQueue::renumber() {
  settle();
  compact();
  // Every pending key, in (time, order) order, gets the next order from 1 (0 is the wrapped
  // counter's mark); a lane stays sorted, its keys keeping their relative order.
  std::vector<Entry> all;
  for (auto it = heap_.begin() + root; it != heap_.end(); ++it)
    if (nodes_[slot_of(*it)].lane == no_lane) all.push_back(*it);
  for (Lane& lane : lanes_)
    for (std::size_t i = 0; i < lane.keys.size(); ++i) all.push_back(lane.keys[i]);
  std::sort(all.begin(), all.end(), earlier);
  std::vector<std::uint32_t> order_of(nodes_.size(), 0);  // by slot
  std::uint32_t order = 1;
  for (const Entry e : all) order_of[slot_of(e)] = order++;
  const auto renumbered = [&](Entry e) {
    return make_entry(time_of(e), order_of[slot_of(e)], slot_of(e));
  };
  for (auto it = heap_.begin() + root; it != heap_.end(); ++it) *it = renumbered(*it);
  for (Lane& lane : lanes_)
    for (std::size_t i = 0; i < lane.keys.size(); ++i) lane.keys[i] = renumbered(lane.keys[i]);
  heapify();
  next_order_ = order;
}

void EventQueue::compact() {
  // The heap keeps its own live keys; the lanes' first keys are put back after the lanes are
  // filtered.
  const auto kept_end = std::remove_if(heap_.begin() + root, heap_.end(), [this](Entry e) {
    Node& node = nodes_[slot_of(e)];
    if (node.lane != no_lane) return true;
    if (node.state != NodeState::Cancelled) return false;
    free_node(slot_of(e));
    return true;
  });
  heap_.erase(kept_end, heap_.end());
  for (Lane& lane : lanes_) {
    // One turn of the ring: each live key goes to the back again, in order.
    for (std::size_t n = lane.keys.size(); n > 0; --n) {
      const Entry e = lane.keys.front();
      lane.keys.pop_front();
      if (nodes_[slot_of(e)].state == NodeState::Cancelled)
        free_node(slot_of(e));
      else
        lane.keys.push_back(e);
    }
    if (!lane.keys.empty()) heap_.push_back(lane.keys.front());
  }
  stale_ = 0;
  heapify();
}

void EventQueue::heapify() noexcept {
  // Bottom-up: sift every internal node down, the last one first.
  for (std::size_t i = heap_.size(); i-- > root;)
    if (first_child(i) < heap_.size()) sift_down(i);
}

}  // namespace synlab::sim
