// EventQueue: cancellation and compaction (see event_queue.hpp).
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
  node.state = NodeState::Cancelled;  // freed when its key leaves the heap
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
  while (heap_.size() > root && nodes_[slot_of(heap_[root])].state == NodeState::Cancelled) {
    const std::uint32_t slot = slot_of(heap_[root]);
    remove_top();
    free_node(slot);
    --stale_;
  }
  return heap_.size() > root ? Time{Duration{time_of(heap_[root])}} : time_max;
}

void EventQueue::renumber() {
  settle();
  compact();
  std::sort(heap_.begin() + root, heap_.end(), earlier);  // a sorted array is a heap
  std::uint32_t order = 1;                                // 0 is the wrapped counter's mark
  for (auto it = heap_.begin() + root; it != heap_.end(); ++it)
    *it = make_entry(time_of(*it), order++, slot_of(*it));
  next_order_ = order;
}

void EventQueue::compact() {
  const auto live_end = std::remove_if(heap_.begin() + root, heap_.end(), [this](Entry e) {
    if (nodes_[slot_of(e)].state != NodeState::Cancelled) return false;
    free_node(slot_of(e));
    return true;
  });
  heap_.erase(live_end, heap_.end());
  stale_ = 0;
  // Bottom-up heapify: sift every internal node down, the last one first.
  for (std::size_t i = heap_.size(); i-- > root;)
    if (first_child(i) < heap_.size()) sift_down(i);
}

}  // namespace synlab::sim
