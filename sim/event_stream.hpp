// EventStream: events that one owner schedules in non-decreasing time and that all run the same
// member function, such as a link direction's in-order arrivals. The scheduler keeps each as a
// bare key in the stream's FIFO (EventQueue), with no node or callback of its own, so it costs
// less than schedule_at(). Events of a stream cannot be cancelled one by one; closing the
// stream (its destructor) drops those still pending.
#pragma once

#include <cstdint>

#include "sim/scheduler.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

class EventStream {
 public:
  // Each event calls `(owner.*Method)()`. `owner` and `scheduler` must outlive the stream.
  template <auto Method, class T>
  static EventStream bind(Scheduler& scheduler, T& owner) {
    return EventStream(scheduler, &owner, [](void* o) { (static_cast<T*>(o)->*Method)(); });
  }

  // The scheduler holds `this` stream's index, not its address: still, one owner, one stream.
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;
  ~EventStream() { scheduler_->close_stream(index_); }

  // Schedules one more event at `t`: not before now(), nor before the previous one.
  void schedule_at(Time t) { scheduler_->schedule_in_stream(index_, t); }

 private:
  EventStream(Scheduler& scheduler, void* owner, void (*run)(void*))
      : scheduler_(&scheduler), index_(scheduler.open_stream(run, owner)) {}

  Scheduler* scheduler_;
  std::uint32_t index_;
};

}  // namespace synlab::sim
