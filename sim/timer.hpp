// Timer: a re-armable one-shot timer owned by a model (STYLE §4; Seastar's timer<>).
// Name one per RFC timer: retransmission_timer_, time_wait_timer_.
#pragma once

#include <utility>

#include "sim/callback.hpp"
#include "sim/event_id.hpp"
#include "sim/scheduler.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

class Timer {
 public:
  // `on_expiry` runs when the timer fires; it may re-arm the timer.
  template <class F>
  Timer(Scheduler& scheduler, F&& on_expiry)
      : scheduler_(&scheduler), on_expiry_(std::forward<F>(on_expiry)) {}

  // The callback captures `this`: a Timer neither copies nor moves.
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  // Cancels, so no callback outlives its owner.
  ~Timer() { cancel(); }

  // Arms (or re-arms) the timer to fire at `deadline` (>= now).
  void arm_at(Time deadline) {
    scheduler_->cancel(event_);
    deadline_ = deadline;
    event_ = scheduler_->schedule_at(deadline, [this] { expire(); });
  }
  // Arms (or re-arms) the timer to fire `delay` from now.
  void arm_in(Duration delay) { arm_at(scheduler_->now() + delay); }

  // Disarms the timer; does nothing if it is not armed.
  void cancel() noexcept {
    scheduler_->cancel(event_);
    event_ = EventId{};
  }

  bool armed() const noexcept { return event_.assigned(); }
  // When the timer fires; meaningful only while armed().
  Time deadline() const noexcept { return deadline_; }

 private:
  void expire() {
    event_ = EventId{};
    on_expiry_();
  }

  Scheduler* scheduler_;
  Callback on_expiry_;
  EventId event_;
  Time deadline_ = time_zero;
};

}  // namespace synlab::sim
