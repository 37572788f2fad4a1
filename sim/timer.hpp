// Timer: a re-armable one-shot timer owned by a model (STYLE §4; Seastar's timer<>).
// Name one per RFC timer: retransmission_timer_, time_wait_timer_.
#pragma once

#include <new>
#include <type_traits>
#include <utility>

#include "sim/event_id.hpp"
#include "sim/scheduler.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

class Timer {
 public:
  // Room for `on_expiry`'s captures: `this`, or up to four references. A Timer lives as long as
  // its model, one or more per connection, so it keeps them inline in 40 bytes (a function
  // pointer and the captures), not in a 48-byte sim::Callback.
  static constexpr std::size_t capacity = 32;

  // `on_expiry` runs when the timer fires; it may re-arm the timer. It must be trivially
  // copyable and destructible (a lambda capturing pointers or references).
  template <class F>
  Timer(Scheduler& scheduler, F&& on_expiry) : scheduler_(&scheduler) {
    using Fn = std::decay_t<F>;
    static_assert(
        sizeof(Fn) <= capacity,
        "Timer callback captures too much: keep the state in the model, capture a pointer");
    static_assert(alignof(Fn) <= alignof(void*), "over-aligned captures are not supported");
    static_assert(std::is_trivially_copyable_v<Fn> && std::is_trivially_destructible_v<Fn>,
                  "Timer callback must capture only pointers, references or plain values");
    ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(on_expiry));
    invoke_ = [](void* p) { (*std::launder(static_cast<Fn*>(p)))(); };
  }

  // The callback captures `this`: a Timer neither copies nor moves.
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  // Cancels, so no callback outlives its owner.
  ~Timer() { cancel(); }

  // Arms (or re-arms) the timer to fire at `deadline` (>= now).
  void arm_at(Time deadline) {
    cancel();
    deadline_ = deadline;
    event_ = scheduler_->schedule_at(deadline, [this] { expire(); });
  }
  // Arms (or re-arms) the timer to fire `delay` from now (at time_last if that is past it).
  void arm_in(Duration delay) { arm_at(saturating_add(scheduler_->now(), delay)); }

  // Disarms the timer; does nothing if it is not armed (not even a call into the queue: most
  // timers are cancelled when they are not armed, e.g. each of a connection's as it goes).
  void cancel() noexcept {
    if (!event_.assigned()) return;
    scheduler_->cancel(event_);
    event_ = EventId{};
  }

  bool armed() const noexcept { return event_.assigned(); }
  // When the timer fires; meaningful only while armed().
  Time deadline() const noexcept { return deadline_; }

 private:
  void expire() {
    event_ = EventId{};
    invoke_(storage_);
  }

  Scheduler* scheduler_;
  void (*invoke_)(void*) = nullptr;
  alignas(void*) unsigned char storage_[capacity]{};
  EventId event_;
  Time deadline_ = time_zero;
};

}  // namespace synlab::sim
