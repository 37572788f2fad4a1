// EventQueue: cancellation and compaction (see event_queue.hpp).
#include "sim/event_queue.hpp"

#include <algorithm>

namespace synlab::sim {

bool EventQueue::cancel(EventId id) noexcept {
  if (!is_pending(id)) return false;
  nodes_[id.slot].fn.reset();
  free_node(id.slot);
  --live_;
  ++stale_;
  if (stale_ > 64 && stale_ > live_) compact();
  return true;
}

Time EventQueue::next_time() noexcept {
  while (!heap_.empty() && nodes_[heap_.front().slot].seq != heap_.front().seq) {
    remove_top();
    --stale_;
  }
  return heap_.empty() ? time_max : Time{Duration{heap_.front().time}};
}

void EventQueue::compact() {
  std::erase_if(heap_, [this](const Entry& e) { return nodes_[e.slot].seq != e.seq; });
  stale_ = 0;
  // Bottom-up heapify: sift every internal node down, last first.
  if (heap_.size() > 1)
    for (std::size_t i = (heap_.size() - 2) / 4 + 1; i-- > 0;) sift_down(i, heap_[i]);
}

}  // namespace synlab::sim
