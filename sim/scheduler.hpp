// Scheduler: the simulation clock and the event loop (STYLE §4).
// Events run in (time, scheduling order); time never goes backwards.
#pragma once

#include <cstdint>
#include <utility>

#include "sim/assert.hpp"
#include "sim/callback.hpp"
#include "sim/event_id.hpp"
#include "sim/event_queue.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

class Scheduler {
 public:
  struct Counters {
    std::uint64_t executed = 0;   // events whose callback ran
    std::uint64_t cancelled = 0;  // events removed before they ran: cancel(), close_stream()
    std::uint64_t pending = 0;    // events scheduled and neither run nor cancelled
    std::uint64_t peak_pending = 0;
  };

  Scheduler() = default;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  Time now() const noexcept { return now_; }

  // Runs `fn` at time `t`. Scheduling before now() is a bug and aborts: the past cannot be
  // reordered silently. `fn` is any void() callable of at most Callback::capacity bytes.
  template <class F>
  EventId schedule_at(Time t, F&& fn) {
    SYNLAB_ASSERT(t >= now_, "schedule_at: the time is before now(); the past cannot change");
    return queue_.push(t, std::forward<F>(fn));
  }

  // Runs `fn` after `delay` (>= 0) from now(), or at time_last if now() + delay is past it
  // (saturating_add: simulated time ends there).
  template <class F>
  EventId schedule_in(Duration delay, F&& fn) {
    SYNLAB_ASSERT(delay >= Duration::zero(), "schedule_in: the delay is negative");
    return queue_.push(saturating_add(now_, delay), std::forward<F>(fn));
  }

  // Cancels a pending event; returns whether it was pending. Cancelling an unassigned id, or
  // one that already ran or was cancelled, does nothing.
  bool cancel(EventId id) noexcept {
    const bool removed = queue_.cancel(id);
    cancelled_ += removed ? 1 : 0;
    return removed;
  }

  bool is_pending(EventId id) const noexcept { return queue_.is_pending(id); }

  // Event streams (EventQueue): events scheduled in non-decreasing time that all run
  // `fn(context)`, with no node of their own. An owner uses them through an EventStream.
  std::uint32_t open_stream(void (*fn)(void*), void* context) {
    return queue_.open_stream(fn, context);
  }
  // Schedules one more event of `stream` at `t`: not before now(), nor before its last one.
  void schedule_in_stream(std::uint32_t stream, Time t) {
    SYNLAB_ASSERT(t >= now_,
                  "schedule_in_stream: the time is before now(); the past cannot change");
    queue_.push_stream(stream, t);
  }
  // Drops the stream's pending events, counted as cancelled, and closes it.
  void close_stream(std::uint32_t stream) { cancelled_ += queue_.close_stream(stream); }

  // Runs events until none is left or stop() is called.
  void run() { run_until(time_max); }

  // Runs every event at or before `limit` (an event exactly at `limit` runs), then sets
  // now() to `limit` unless stop() ended the run first or `limit` is time_max.
  void run_until(Time limit);

  // Ends the current run()/run_until() after the running event returns.
  void stop() noexcept { stopped_ = true; }

  // run() and run_until() return once `events` events have run in all (0: no budget), as if
  // stop() had been called: a bound on the work, for the fuzzer's runs of any scenario.
  void set_event_budget(std::uint64_t events) noexcept { budget_ = events; }

  Counters counters() const noexcept {
    return Counters{executed_, cancelled_, queue_.size(), queue_.peak_size()};
  }

  // Time of the next pending event, or time_max.
  Time next_event_time() noexcept { return queue_.next_time(); }

 private:
  EventQueue queue_;
  Time now_ = time_zero;
  bool stopped_ = false;
  std::uint64_t executed_ = 0;
  std::uint64_t cancelled_ = 0;
  std::uint64_t budget_ = 0;  // 0: none
};

}  // namespace synlab::sim
