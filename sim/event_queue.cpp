// EventQueue: cancellation, compaction and renumbering (see event_queue.hpp).
#include "sim/event_queue.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace synlab::sim {

EventQueue::EventQueue(std::uint32_t first_order) : next_order_(first_order) {
  heap_.resize(root);  // three unused entries before the root
  // The lanes' own nodes, the first ones: lane i's is node i, named by its dead keys.
  for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
    Node& node = nodes_.emplace_back();
    node.state = NodeState::Dead;
    node.lane = static_cast<std::uint8_t>(lane);
  }
}

bool EventQueue::cancel(EventId id) noexcept {
  if (!is_pending(id)) return false;
  Node& node = nodes_[id.slot];
  node.fn.reset();
  --live_;
  ++stale_;
  const std::uint32_t position =
      node.lane == no_lane
          ? 0
          : node.link - (lanes_[node.lane].pushed -
                         static_cast<std::uint32_t>(lanes_[node.lane].keys.size()));
  if (position != 0) {
    // A key behind its lane's first: it dies in place and the node is free at once, while its
    // cache line is likely still in cache. The key's front arrival, maybe a second later (a
    // retransmission timer's), reads only its lane's own node, not this one.
    Entry& key = lanes_[node.lane].keys[position];
    SYNLAB_ASSERT(position < lanes_[node.lane].keys.size() && slot_of(key) == id.slot,
                  "EventQueue::cancel: the key is not where its node says");
    key = make_entry(time_of(key), order_of(key), node.lane);  // its lane's own node
    free_node(id.slot);
  } else {
    // In the heap, or its lane's first key (the heap holds that too): it stays, and its node
    // with it, until the key leaves the heap.
    node.state = NodeState::Cancelled;
  }
  if (stale_ > 64 && stale_ > live_) {
    settle();
    compact();
  }
  return true;
}

std::uint32_t EventQueue::open_stream(void (*run)(void*), void* context) {
  SYNLAB_ASSERT(run != nullptr, "EventQueue::open_stream: no function");
  const std::uint32_t slot = allocate_node();  // first: if it throws, no index is lost
  std::uint32_t stream = 0;
  if (!free_streams_.empty()) {  // a closed stream's index: it holds no key
    stream = free_streams_.back();
    free_streams_.pop_back();
  } else {
    stream = static_cast<std::uint32_t>(streams_.size());
    streams_.emplace_back();
  }
  nodes_[slot].state = NodeState::Stream;
  nodes_[slot].link = stream;
  nodes_[slot].lane = no_lane;
  streams_[stream].run = run;
  streams_[stream].context = context;
  streams_[stream].node = slot;
  return stream;
}

std::size_t EventQueue::close_stream(std::uint32_t stream) {
  SYNLAB_ASSERT(stream < streams_.size() && streams_[stream].run != nullptr,
                "EventQueue::close_stream: no such stream, or it is closed");
  Stream& s = streams_[stream];
  const std::size_t dropped = s.keys.size();
  if (dropped != 0) {
    // Its first key is in the heap (not the running event's: that one left the stream when it
    // was popped). Take it out: the heap's last key takes its place and moves up or down.
    settle();
    const auto first = std::find(heap_.begin() + root, heap_.end(), s.keys.front());
    SYNLAB_ASSERT(first != heap_.end(),
                  "EventQueue::close_stream: its first key is not in the heap");
    const auto i = static_cast<std::size_t>(first - heap_.begin());
    const Entry last = heap_.back();
    heap_.pop_back();
    if (i < heap_.size()) {
      heap_[i] = last;
      if (i > root && earlier(last, heap_[parent(i)]))
        sift_up(i);
      else
        sift_down(i);
    }
    live_ -= dropped;
  }
  // Its node may serve another event at once: a key of this stream still at the root (its last
  // event's, run) is never read again, settled before any pop.
  free_node(s.node);
  s = Stream{};  // its memory too
  free_streams_.push_back(stream);
  return dropped;
}

Time EventQueue::next_time() noexcept {
  settle();
  while (heap_.size() > root && (nodes_[slot_of(heap_[root])].state == NodeState::Cancelled ||
                                 nodes_[slot_of(heap_[root])].state == NodeState::Dead))
    drop_cancelled_top();
  return heap_.size() > root ? Time{Duration{time_of(heap_[root])}} : time_max;
}

std::size_t EventQueue::heap_entries() const noexcept {
  std::size_t keys = heap_.size() - root - (root_running_ ? 1 : 0);
  for (const Lane& lane : lanes_)
    if (!lane.keys.empty()) keys += lane.keys.size() - 1;  // its first key is counted in heap_
  for (const Stream& stream : streams_)
    if (!stream.keys.empty()) keys += stream.keys.size() - 1;
  return keys;
}

void EventQueue::renumber() {
  settle();
  compact();
  // Every pending key, in (time, order) order, gets the next order from 1 (0 is the wrapped
  // counter's mark); a lane or a stream stays sorted, its keys keeping their relative order.
  // The pending keys' orders are distinct (none was given twice since the last renumbering),
  // so each key finds its new order by its old one.
  std::vector<Entry> all;
  for (auto it = heap_.begin() + root; it != heap_.end(); ++it)
    if (const Node& node = nodes_[slot_of(*it)];  // lanes' and streams' first keys: below
        node.lane == no_lane && node.state != NodeState::Stream)
      all.push_back(*it);
  for (Lane& lane : lanes_)
    for (std::size_t i = 0; i < lane.keys.size(); ++i) all.push_back(lane.keys[i]);
  for (Stream& stream : streams_)
    for (std::size_t i = 0; i < stream.keys.size(); ++i) all.push_back(stream.keys[i]);
  std::sort(all.begin(), all.end(), earlier);
  std::vector<std::pair<std::uint32_t, std::uint32_t>> new_order;  // (old, new), by old
  new_order.reserve(all.size());
  std::uint32_t order = 1;
  for (const Entry e : all) new_order.emplace_back(order_of(e), order++);
  std::sort(new_order.begin(), new_order.end());
  const auto renumbered = [&](Entry e) {
    const auto it = std::lower_bound(new_order.begin(), new_order.end(),
                                     std::pair<std::uint32_t, std::uint32_t>{order_of(e), 0});
    SYNLAB_ASSERT(it != new_order.end() && it->first == order_of(e),
                  "EventQueue::renumber: a key that is not pending");
    return make_entry(time_of(e), it->second, slot_of(e));
  };
  for (auto it = heap_.begin() + root; it != heap_.end(); ++it) *it = renumbered(*it);
  for (Lane& lane : lanes_)
    for (std::size_t i = 0; i < lane.keys.size(); ++i) lane.keys[i] = renumbered(lane.keys[i]);
  for (Stream& stream : streams_)
    for (std::size_t i = 0; i < stream.keys.size(); ++i)
      stream.keys[i] = renumbered(stream.keys[i]);
  heapify();
  next_order_ = order;
}

void EventQueue::compact() {
  // The heap keeps its own live keys; the lanes' first keys are put back after the lanes are
  // filtered.
  // A stream's first key stays: its node is neither a lane's nor cancelled.
  const auto kept_end = std::remove_if(heap_.begin() + root, heap_.end(), [this](Entry e) {
    Node& node = nodes_[slot_of(e)];
    if (node.lane != no_lane) return true;
    if (node.state != NodeState::Cancelled) return false;
    free_node(slot_of(e));
    return true;
  });
  heap_.erase(kept_end, heap_.end());
  for (Lane& lane : lanes_) {
    // One turn of the ring: each live key goes to the back again, in order, at a new position.
    for (std::size_t n = lane.keys.size(); n > 0; --n) {
      const Entry e = lane.keys.front();
      lane.keys.pop_front();
      if (nodes_[slot_of(e)].state == NodeState::Dead) continue;
      if (nodes_[slot_of(e)].state == NodeState::Cancelled) {
        free_node(slot_of(e));
        continue;
      }
      nodes_[slot_of(e)].link = lane.pushed++;
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
