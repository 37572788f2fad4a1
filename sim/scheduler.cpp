// Scheduler: the event loop (see scheduler.hpp).
#include "sim/scheduler.hpp"

namespace synlab::sim {

void Scheduler::run_until(Time limit) {
  SYNLAB_ASSERT(limit >= now_, "run_until: the limit is before now()");
  stopped_ = false;
  Time t;
  Callback fn;
  EventQueue::StreamRun stream;  // a stream's event: its function, without a callback around it
  const auto within_budget = [this] { return budget_ == 0 || executed_ < budget_; };
  while (!stopped_ && within_budget() && queue_.pop_until(limit, t, fn, stream)) {
    SYNLAB_ASSERT(t >= now_, "event loop: time went backwards");
    now_ = t;
    ++executed_;
    if (stream.run != nullptr) {
      stream.run(stream.context);
    } else {
      fn();
      fn.reset();  // release what the callback captured now, not at the next event
    }
  }
  if (!within_budget()) stopped_ = true;  // as stop(): now() stays at the last event
  if (!stopped_ && limit != time_max) now_ = limit;
}

}  // namespace synlab::sim
