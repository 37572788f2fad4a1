// EventQueue: the set of pending events, ordered by (time, insertion order) (STYLE §4).
// A 4-ary min-heap of 16-byte keys over a pool of callbacks, plus FIFO lanes for events
// scheduled a fixed delay ahead (link delays, timeouts), whose keys arrive already sorted; the
// heap holds only each lane's first key. Cancel is O(1) (the key stays where it is and is
// skipped when it surfaces). Streams carry events that all run one function (a link
// direction's arrivals) as bare keys, without a node each. No heap allocation once the pool,
// the lanes and the streams have grown.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <new>
#include <utility>
#include <vector>

#include "sim/assert.hpp"
#include "sim/callback.hpp"
#include "sim/event_id.hpp"
#include "sim/ring_buffer.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

class EventQueue {
 public:
  // `first_order` is where the 32-bit order counter starts; tests start it just below the
  // wrap to exercise renumbering, which otherwise happens once per 2^32 pushes.
  explicit EventQueue(std::uint32_t first_order = 1);

  // Adds an event at `t` (>= 0); among events at the same time, earlier pushes run first.
  // Inlined into each caller (a timer's arm, a link's arrival): GCC otherwise decides by the size
  // of the code around it, and a change elsewhere (RingBuffer's capacity) tipped tcp_bench's
  // arm_timer into a call, +0.4% of its instructions.
  template <class F>
  [[gnu::always_inline]] EventId push(Time t, F&& fn) {
    const std::uint32_t slot = allocate_node();
    Node& node = nodes_[slot];
    node.fn.emplace(std::forward<F>(fn));
    node.seq = next_seq_++;
    node.state = NodeState::Pending;
    if (next_order_ == 0) [[unlikely]]
      renumber();  // the 32-bit order counter wrapped
    const Entry e = make_entry(to_ns(t), next_order_++, slot);
    node.lane = lane_for(e);
    if (node.lane == no_lane) {
      insert_key(e);
    } else {
      Lane& lane = lanes_[node.lane];
      RingBuffer<Entry>& keys = lane.keys;
      node.link = lane.pushed++;  // its position
      keys.push_back(e);
      if (keys.size() == 1) insert_key(e);  // the lane's first key stands for it in the heap
    }
    if (++live_ > peak_live_) peak_live_ = live_;
    return EventId{slot, node.seq};
  }

  // Removes a pending event. Returns false if `id` is unassigned, already ran or was cancelled.
  bool cancel(EventId id) noexcept;

  // Streams. A stream holds events that its owner pushes in (time, push) order and that all run
  // `run(context)`, as a link direction's in-order arrivals do. Such an event is only a key in
  // the stream's FIFO: no node, no callback of its own, no cancel. Like a lane, the stream has
  // only its first key in the heap. Among all events, stream or not, (time, push) order holds.
  // Opens a stream; its index serves push_stream() until close_stream().
  std::uint32_t open_stream(void (*run)(void*), void* context);
  // Adds an event at `t` to `stream`: not before the stream's last event, nor before now.
  void push_stream(std::uint32_t stream, Time t) {
    SYNLAB_ASSERT(stream < streams_.size() && streams_[stream].run != nullptr,
                  "EventQueue::push_stream: no such stream, or it is closed");
    Stream& s = streams_[stream];
    SYNLAB_ASSERT(s.keys.empty() || time_of(s.keys.back()) <= to_ns(t),
                  "EventQueue::push_stream: an event before the stream's last");
    if (next_order_ == 0) [[unlikely]]
      renumber();  // the 32-bit order counter wrapped
    const Entry e = make_entry(to_ns(t), next_order_++, s.node);
    s.keys.push_back(e);
    if (s.keys.size() == 1) insert_key(e);
    if (++live_ > peak_live_) peak_live_ = live_;
  }
  // Drops the stream's pending events (they never run) and closes it; returns how many. Its
  // index may be given to a stream opened later.
  std::size_t close_stream(std::uint32_t stream);

  bool is_pending(EventId id) const noexcept {
    return id.assigned() && id.slot < nodes_.size() && nodes_[id.slot].seq == id.seq &&
           nodes_[id.slot].state == NodeState::Pending;
  }

  // A stream's event as pop_until() hands it to the event loop: its function and context.
  struct StreamRun {
    void (*run)(void*) = nullptr;  // nullptr: the event was not a stream's
    void* context = nullptr;
  };

  // If the earliest pending event is at or before `limit`, removes it, moves its callback
  // into `fn`, sets `t` to its time and returns true.
  bool pop_until(Time limit, Time& t, Callback& fn) {
    StreamRun stream;
    if (!pop_until(limit, t, fn, stream)) return false;
    if (stream.run != nullptr) fn.emplace([stream] { stream.run(stream.context); });
    return true;
  }
  // The same for the event loop, without wrapping a stream's event in a callback: a stream's event
  // sets `stream` to the stream's function and context (and leaves `fn` as it was); any other sets
  // `stream.run` to null.
  bool pop_until(Time limit, Time& t, Callback& fn, StreamRun& stream) {
    settle();
    while (heap_.size() > root) {
      const Entry top = heap_[root];
      Node& node = nodes_[slot_of(top)];
      if (node.state != NodeState::Pending) [[unlikely]] {  // one test on the path of the others
        if (node.state == NodeState::Stream) return pop_stream(top, node.link, limit, t, stream);
        SYNLAB_ASSERT(node.state == NodeState::Cancelled || node.state == NodeState::Dead,
                      "EventQueue: a key names a free node");
        drop_cancelled_top();  // its key surfaced: drop it, free the node
        continue;
      }
      if (time_of(top) > to_ns(limit)) return false;
      now_ns_ = time_of(top);
      // The key stays at the root while the event runs (see root_running_), unless its lane's
      // next key must take its place now.
      if (node.lane == no_lane || lanes_[node.lane].keys.size() == 1) {
        if (node.lane != no_lane) lanes_[node.lane].keys.pop_front();
        root_running_ = true;
      } else {
        drop_top(node.lane);
      }
      t = Time{Duration{time_of(top)}};
      fn = std::move(node.fn);
      stream.run = nullptr;
      free_node(slot_of(top));
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
  // Keys held, in the heap, lanes or streams, cancelled ones included (for benchmarks and tests of
  // compaction).
  std::size_t heap_entries() const noexcept;

 private:
  static constexpr std::uint32_t no_slot = std::numeric_limits<std::uint32_t>::max();

  // heap_[root] is the root; the children of heap_[i] are heap_[4i - 8 .. 4i - 5]. Starting
  // at 3 puts every group of four siblings in one 64-byte cache line.
  static constexpr std::size_t root = 3;
  static constexpr std::size_t first_child(std::size_t i) noexcept { return 4 * i - 8; }
  static constexpr std::size_t parent(std::size_t i) noexcept { return (i + 8) / 4; }
  // The sizes of heap_ up to which replace_popped_top() sifts down from the root: the root, its
  // children and theirs (indices up to first_child(first_child(root) + 3) + 3 = 23).
  static constexpr std::size_t small_heap = 24;

  // A key is one 128-bit number: time in the high 64 bits, then a 32-bit order, then the
  // 32-bit slot of the node holding the callback (a stream's events: the stream's own node).
  // Comparing keys compares (time, order) — the slot never decides, orders being unique — in one
  // branch-free instruction pair. `order` counts pushes in 32 bits and is renumbered when it wraps,
  // so among pending events it is always exact. Times are >= 0.
  __extension__ using Entry = unsigned __int128;
  static_assert(sizeof(Entry) == 16);

  static Entry make_entry(std::int64_t time, std::uint32_t order, std::uint32_t slot) noexcept {
    return (static_cast<Entry>(static_cast<std::uint64_t>(time)) << 64u) |
           (static_cast<std::uint64_t>(order) << 32u) | slot;
  }
  static std::int64_t time_of(Entry e) noexcept { return static_cast<std::int64_t>(e >> 64u); }
  static std::uint32_t slot_of(Entry e) noexcept { return static_cast<std::uint32_t>(e); }
  static std::uint32_t order_of(Entry e) noexcept { return static_cast<std::uint32_t>(e >> 32u); }
  static bool earlier(Entry a, Entry b) noexcept { return a < b; }  // cmp, sbb: no branch

  // Stream: a stream's own node, named by all its keys. Dead: a lane's own node, named by the
  // dead keys in it (cancel()), never free.
  enum class NodeState : std::uint8_t { Free, Pending, Cancelled, Stream, Dead };
  static constexpr std::uint8_t no_lane = 0xff;
  struct Node {
    Callback fn;
    std::uint64_t seq = 0;  // of the event it holds (EventId::seq); 0 when free
    // Free: the next free node. Stream: the stream's index. Pending in a lane: where its key is
    // there (Lane::pushed).
    std::uint32_t link = no_slot;
    NodeState state = NodeState::Free;
    std::uint8_t lane = no_lane;  // where its key is: a lane, or the heap itself
  };
  static_assert(sizeof(Node) == 64, "one cache line per pending event");

  // Storage whose first element sits on a 64-byte boundary.
  template <class T>
  struct CacheAligned {
    using value_type = T;
    CacheAligned() = default;
    template <class U>
    CacheAligned(const CacheAligned<U>&) noexcept {}  // NOLINT
    T* allocate(std::size_t n) {
      return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{64}));
    }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete (p, std::align_val_t{64}); }
    friend bool operator==(CacheAligned, CacheAligned) noexcept { return true; }
  };

  std::uint32_t allocate_node() {
    if (free_head_ == no_slot) {
      SYNLAB_ASSERT(nodes_.size() < no_slot, "EventQueue: 2^32 - 1 events and streams pending");
      nodes_.emplace_back();
      return static_cast<std::uint32_t>(nodes_.size() - 1);
    }
    const std::uint32_t slot = free_head_;
    free_head_ = nodes_[slot].link;
    return slot;
  }

  void free_node(std::uint32_t slot) noexcept {
    Node& node = nodes_[slot];
    node.seq = 0;
    node.state = NodeState::Free;
    node.link = free_head_;
    free_head_ = slot;
  }

  // Moves heap_[i] up to its place.
  void sift_up(std::size_t i) noexcept {
    Entry* const h = heap_.data();  // a local pointer: stores to h[] cannot move it
    const Entry e = h[i];
    while (i > root) {
      const std::size_t p = parent(i);
      if (!earlier(e, h[p])) break;
      h[i] = h[p];
      i = p;
    }
    h[i] = e;
  }

  // The index of the earliest of the (up to four) children starting at `first` (< n).
  static std::size_t earliest_child(const Entry* h, std::size_t first, std::size_t n) noexcept {
    if (first + 4 <= n) [[likely]] {
      // A tournament of four without branches: each winner is an index sum, not a jump.
      const std::size_t a = first + static_cast<std::size_t>(earlier(h[first + 1], h[first]));
      const std::size_t b =
          first + 2 + static_cast<std::size_t>(earlier(h[first + 3], h[first + 2]));
      // All ones if b wins: a select by mask, which GCC keeps branch-free (a multiply by
      // the bool it turns back into a jump).
      const std::size_t b_wins = std::size_t{0} - static_cast<std::size_t>(earlier(h[b], h[a]));
      return a ^ ((a ^ b) & b_wins);
    }
    std::size_t best = first;
    for (std::size_t c = first + 1; c < n; ++c)
      if (earlier(h[c], h[best])) best = c;
    return best;
  }

  // Moves heap_[i] down to its place.
  void sift_down(std::size_t i) noexcept {
    Entry* const h = heap_.data();
    const std::size_t n = heap_.size();
    const Entry e = h[i];
    for (std::size_t c = first_child(i); c < n; c = first_child(i)) {
      const std::size_t best = earliest_child(h, c, n);
      if (!earlier(h[best], e)) break;
      h[i] = h[best];
      i = best;
    }
    h[i] = e;
  }

  // Lanes. Most events are scheduled a fixed delay ahead of now (a link's delay, the RTO, the
  // TIME-WAIT timeout, an application's interval), so those of one delay arrive in key order:
  // a FIFO keeps them sorted for free, and the heap holds only its first key, so it stays a
  // few keys deep however many events are pending. A lane serves one delay at a time; delays
  // hash to a bucket of two lanes. Lanes are used only while enough events are pending for
  // them to pay, and a lane is taken for a delay only when it came twice in a row to its bucket
  // (random delays rarely do); an event whose delay finds no lane (or would not be last in its
  // lane) goes to the heap. Either way keys keep their exact (time, order) place.
  struct Lane {
    std::int64_t delay = -1;  // ns ahead of the time its events were scheduled at
    RingBuffer<Entry> keys;   // in key order; keys.front() is also in the heap
    // Keys pushed so far, modulo 2^32: the key at keys[i] has position pushed - keys.size() + i
    // for as long as it stays (Node::link), which lets cancel() find it. Counted at the push,
    // which touches the lane anyway, so that a pop has nothing more to do.
    std::uint32_t pushed = 0;
  };
  // A dead key: its event was cancelled and its node freed at once (cancel()). It stays in its
  // lane, in order, and names the lane's own node (slot = the lane's index; the first nodes are
  // the lanes'), which is always in cache: once at the front it goes as a cancelled key does,
  // with no event node to read, and the pops' path has no test of its own for it.
  struct Stream {
    RingBuffer<Entry> keys;        // in key order; keys.front() is also in the heap
    void (*run)(void*) = nullptr;  // nullptr: closed
    void* context = nullptr;
    std::uint32_t node = no_slot;  // its own node, which its keys name
  };
  static constexpr std::size_t bucket_count = 32;      // of two lanes each
  static constexpr std::size_t lane_min_pending = 64;  // fewer: a heap is as cheap

  // The lane for key `e` (scheduled at now_ns_), or no_lane: the heap.
  std::uint8_t lane_for(Entry e) noexcept {
    if (live_ < lane_min_pending) return no_lane;
    const std::int64_t delay = time_of(e) - now_ns_;
    // Fibonacci hashing: the top 5 bits of delay * 2^64/phi pick one of 32 buckets.
    const std::size_t bucket =
        static_cast<std::size_t>((static_cast<std::uint64_t>(delay) * 0x9e3779b97f4a7c15u) >> 59u);
    Lane* const two = &lanes_[2 * bucket];
    for (std::size_t i = 0; i < 2; ++i)
      if (two[i].delay == delay && !two[i].keys.empty())
        return earlier(two[i].keys.back(), e) ? static_cast<std::uint8_t>(2 * bucket + i) : no_lane;
    if (last_delay_[bucket] != delay) {
      last_delay_[bucket] = delay;
      return no_lane;
    }
    for (std::size_t i = 0; i < 2; ++i) {
      if (two[i].keys.empty()) {
        two[i].delay = delay;
        return static_cast<std::uint8_t>(2 * bucket + i);
      }
    }
    return no_lane;
  }

  // Puts key `e` into the heap.
  [[gnu::always_inline]] void insert_key(Entry e) {
    if (root_running_) {  // the running event's key is still at the root: reuse its place
      root_running_ = false;
      replace_top(e);
    } else {
      heap_.push_back(e);
      sift_up(heap_.size() - 1);
    }
  }

  // Removes the root key, which belongs to lane `lane` (or to the heap alone): the lane's
  // next key, if any, takes its place.
  void drop_top(std::uint8_t lane) noexcept {
    if (lane == no_lane) {
      remove_top();
      return;
    }
    RingBuffer<Entry>& keys = lanes_[lane].keys;
    keys.pop_front();
    if (keys.empty()) {
      remove_top();
      return;
    }
    // A lane's events run in the order of its keys, one of them maybe long after the one before
    // (TIME-WAIT's: 2 MSL after the connection last ran) and so out of cache: the node two keys
    // on is fetched now, and the callback of the next (its node mostly fetched at the lane's
    // last pop) warms what it will read.
    if (keys.size() > 1) __builtin_prefetch(&nodes_[slot_of(keys[1])]);
    nodes_[slot_of(keys.front())].fn.warm();
    replace_popped_top(keys.front());
  }

  // Removes the root's key, which belongs to a cancelled event, and frees its node. In a lane,
  // the cancelled and dead keys right behind it go too (and the cancelled ones' nodes), without
  // surfacing one by one, a heap update each. Out of line, so that the path of the events that
  // run stays as small as it was.
  [[gnu::noinline]] void drop_cancelled_top() noexcept {
    const std::uint32_t slot = slot_of(heap_[root]);
    const std::uint8_t lane = nodes_[slot].lane;
    if (nodes_[slot].state == NodeState::Cancelled) free_node(slot);  // not a lane's own (Dead)
    --stale_;
    if (lane == no_lane) {
      remove_top();
      return;
    }
    Lane& l = lanes_[lane];
    l.keys.pop_front();
    for (; !l.keys.empty(); l.keys.pop_front(), --stale_) {
      const std::uint32_t next = slot_of(l.keys.front());
      if (nodes_[next].state == NodeState::Dead) continue;
      if (nodes_[next].state != NodeState::Cancelled) break;
      free_node(next);
    }
    if (l.keys.empty()) {
      remove_top();
      return;
    }
    nodes_[slot_of(l.keys.front())].fn.warm();  // the lane's next event, as drop_top() does
    replace_top(l.keys.front());
  }

  // pop_until() for the root key `top`, an event of stream `stream`: `run` gets its function and
  // context.
  [[gnu::always_inline]] bool pop_stream(Entry top, std::uint32_t stream, Time limit, Time& t,
                                         StreamRun& run) {
    if (time_of(top) > to_ns(limit)) return false;
    now_ns_ = time_of(top);
    Stream& s = streams_[stream];
    s.keys.pop_front();
    if (s.keys.empty())
      root_running_ = true;  // as a lane's last key: a push may take its place
    else
      replace_popped_top(s.keys.front());
    t = Time{Duration{time_of(top)}};
    run = StreamRun{s.run, s.context};
    --live_;
    return true;
  }

  // Finishes removing the key of the event that last ran, if no push has reused its place.
  void settle() noexcept {
    if (!root_running_) return;
    root_running_ = false;
    remove_top();
  }

  // Puts `e` in place of the root: the hole sinks to a leaf along the earliest children, then
  // `e` rises the few levels it must (new events mostly belong near the bottom).
  void replace_top(Entry e) noexcept {
    Entry* const h = heap_.data();
    const std::size_t n = heap_.size();
    std::size_t i = root;
    for (std::size_t c = first_child(i); c < n; c = first_child(i)) {
      // With many events pending, the walk down is a chain of cache misses. The four
      // children's own children are the four cache lines from first_child(c): ask for them
      // now, so that the next level is on its way while this one is compared.
      for (std::size_t g = first_child(c); g < n && g < first_child(c) + 16; g += 4)
        __builtin_prefetch(h + g);
      const std::size_t best = earliest_child(h, c, n);
      // The root's earliest child becomes the root (unless `e` is earlier still): its event
      // runs next. Ask for its node now; it arrives while the hole sinks.
      if (i == root) __builtin_prefetch(&nodes_[slot_of(h[best])]);
      h[i] = h[best];
      i = best;
    }
    h[i] = e;
    sift_up(i);
  }

  // replace_top() for a pop, whose lane or stream puts its next key in place of the one that
  // ran. The heap is then mostly small (it holds the lanes' and streams' first keys, the events
  // being in them): up to two levels below the root, a few cache lines already in cache, `e`
  // sinks from the root and stops where it belongs, without the walk to a leaf and back or the
  // prefetches. Only here, in the pops: at the other callers, replace_top() is inlined, and a
  // second path would grow them more than it saves (kernel_bench under callgrind).
  [[gnu::noinline]] void replace_popped_top(Entry e) noexcept {
    if (heap_.size() <= small_heap) {
      heap_[root] = e;
      sift_down(root);
    } else {
      replace_top(e);
    }
  }

  // Removes the root. Bottom-up (Wegener): the hole sinks to a leaf along the earliest
  // children without comparing against the moved key, which then rises the few levels it
  // must; the last key of a heap belongs near the bottom, so this saves most comparisons.
  void remove_top() noexcept {
    const Entry last = heap_.back();
    heap_.pop_back();
    if (heap_.size() > root) replace_top(last);
  }

  // Gives the pending keys orders 1, 2, 3, ... in their current (time, order) order.
  void renumber();

  // Drops cancelled keys (and frees their nodes) once they outnumber live ones, so a timer
  // that is re-armed on every ACK does not grow the heap without bound.
  void compact();
  // Rebuilds the heap from its own keys and the lanes' first keys.
  void heapify() noexcept;

  std::vector<Entry, CacheAligned<Entry>> heap_;
  std::vector<Node, CacheAligned<Node>> nodes_;  // a node never straddles two cache lines
  std::array<Lane, 2 * bucket_count> lanes_;
  std::vector<Stream> streams_;                          // by index
  std::vector<std::uint32_t> free_streams_;              // closed ones, to be opened again
  std::array<std::int64_t, bucket_count> last_delay_{};  // the delay a bucket saw last
  std::int64_t now_ns_ = 0;  // time of the event popped last: lanes are chosen by delay
  std::uint32_t free_head_ = no_slot;
  std::uint64_t next_seq_ = 1;
  std::uint32_t next_order_;  // 0 means it wrapped
  std::size_t live_ = 0;
  std::size_t peak_live_ = 0;
  std::size_t stale_ = 0;  // cancelled keys still in heap_
  // The root key belongs to the event whose callback is running (or ran last): removal is
  // deferred so that the event it schedules, as most events do, can take its place.
  bool root_running_ = false;
};

}  // namespace synlab::sim
