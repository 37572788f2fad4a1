// EventQueue: the set of pending events, ordered by (time, insertion order) (STYLE §4).
// A 4-ary min-heap of small keys over a pool of callbacks; cancel is O(1) (the key stays in
// the heap and is skipped when it surfaces). No heap allocation once the pool has grown.
#pragma once

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "sim/callback.hpp"
#include "sim/event_id.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

class EventQueue {
 public:
  // Adds an event at `t`; among events at the same time, earlier pushes run first.
  template <class F>
  EventId push(Time t, F&& fn) {
    const std::uint32_t slot = allocate_node();
    Node& node = nodes_[slot];
    node.fn.emplace(std::forward<F>(fn));
    node.seq = next_seq_++;
    sift_up(heap_.size(), Entry{to_ns(t), node.seq, slot});
    if (++live_ > peak_live_) peak_live_ = live_;
    return EventId{slot, node.seq};
  }

  // Removes a pending event. Returns false if `id` is unassigned, already ran or was cancelled.
  bool cancel(EventId id) noexcept;

  bool is_pending(EventId id) const noexcept {
    return id.assigned() && id.slot < nodes_.size() && nodes_[id.slot].seq == id.seq;
  }

  // If the earliest pending event is at or before `limit`, removes it, moves its callback
  // into `fn`, sets `t` to its time and returns true.
  bool pop_until(Time limit, Time& t, Callback& fn) {
    while (!heap_.empty()) {
      const Entry top = heap_.front();
      Node& node = nodes_[top.slot];
      if (node.seq != top.seq) {  // cancelled: drop the stale key
        remove_top();
        --stale_;
        continue;
      }
      if (top.time > to_ns(limit)) return false;
      remove_top();
      t = Time{Duration{top.time}};
      fn = std::move(node.fn);
      free_node(top.slot);
      --live_;
      return true;
    }
    return false;
  }

  // Time of the earliest pending event, or time_max if there is none.
  Time next_time() noexcept;

  std::size_t size() const noexcept { return live_; }
  bool empty() const noexcept { return live_ == 0; }
  std::size_t peak_size() const noexcept { return peak_live_; }
  // Keys in the heap, cancelled ones included (for benchmarks and tests of compaction).
  std::size_t heap_entries() const noexcept { return heap_.size(); }

 private:
  static constexpr std::uint32_t no_slot = std::numeric_limits<std::uint32_t>::max();

  struct Entry {
    std::int64_t time;
    std::uint64_t seq;
    std::uint32_t slot;
  };
  struct Node {
    Callback fn;
    std::uint64_t seq = 0;  // of the event it holds; 0 when free
    std::uint32_t next_free = no_slot;
  };

  // (time, seq) as one 128-bit number: a single branch-free comparison. Times are >= 0.
  __extension__ using Key = unsigned __int128;
  static Key key(const Entry& e) noexcept {
    return (static_cast<Key>(static_cast<std::uint64_t>(e.time)) << 64u) | e.seq;
  }
  static bool earlier(const Entry& a, const Entry& b) noexcept { return key(a) < key(b); }

  std::uint32_t allocate_node() {
    if (free_head_ == no_slot) {
      nodes_.emplace_back();
      return static_cast<std::uint32_t>(nodes_.size() - 1);
    }
    const std::uint32_t slot = free_head_;
    free_head_ = nodes_[slot].next_free;
    return slot;
  }

  void free_node(std::uint32_t slot) noexcept {
    nodes_[slot].seq = 0;
    nodes_[slot].next_free = free_head_;
    free_head_ = slot;
  }

  // Places `e` at hole `i` (== heap_.size() for a new key) and moves it up.
  void sift_up(std::size_t i, Entry e) {
    if (i == heap_.size()) heap_.push_back(e);
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!earlier(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  // The index of the earliest of the (up to four) children starting at `first` (< size).
  std::size_t earliest_child(std::size_t first, std::size_t n) const noexcept {
    if (first + 4 <= n) [[likely]] {  // branch-free tournament of four
      const std::size_t a = earlier(heap_[first + 1], heap_[first]) ? first + 1 : first;
      const std::size_t b = earlier(heap_[first + 3], heap_[first + 2]) ? first + 3 : first + 2;
      return earlier(heap_[b], heap_[a]) ? b : a;
    }
    std::size_t best = first;
    for (std::size_t c = first + 1; c < n; ++c)
      if (earlier(heap_[c], heap_[best])) best = c;
    return best;
  }

  // Places `e` at hole `i` and moves it down.
  void sift_down(std::size_t i, Entry e) noexcept {
    const std::size_t n = heap_.size();
    for (std::size_t first = 4 * i + 1; first < n; first = 4 * i + 1) {
      const std::size_t best = earliest_child(first, n);
      if (!earlier(heap_[best], e)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = e;
  }

  // Removes the root. Bottom-up (Wegener): the hole sinks to a leaf along the earliest
  // children without comparing against the moved key, which then rises the few levels it
  // must; the last key of a heap belongs near the bottom, so this saves most comparisons.
  void remove_top() noexcept {
    const Entry last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return;
    std::size_t i = 0;
    for (std::size_t first = 1; first < n; first = 4 * i + 1) {
      const std::size_t best = earliest_child(first, n);
      heap_[i] = heap_[best];
      i = best;
    }
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!earlier(last, heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = last;
  }

  // Drops cancelled keys once they outnumber live ones, so a timer that is re-armed on
  // every ACK does not grow the heap without bound.
  void compact();

  std::vector<Entry> heap_;
  std::vector<Node> nodes_;
  std::uint32_t free_head_ = no_slot;
  std::uint64_t next_seq_ = 1;
  std::size_t live_ = 0;
  std::size_t peak_live_ = 0;
  std::size_t stale_ = 0;  // cancelled keys still in heap_
};

}  // namespace synlab::sim
