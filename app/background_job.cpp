// Work beside the simulation (background_job.hpp).
#include "app/background_job.hpp"

#include <system_error>

namespace synlab::app {

BackgroundJob::~BackgroundJob() {
  if (!thread_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void BackgroundJob::start() {
  wait();
  if (!thread_.joinable() && !here_) {
    try {
      thread_ = std::thread([this] { loop(); });
    } catch (const std::system_error&) {  // EAGAIN: no room for its stack, or a thread limit
      here_ = true;
    }
  }
  if (here_) {  // without a thread of its own, the job runs now, on the caller's
    try {
      job_();
    } catch (...) {
      const std::lock_guard lock(mutex_);
      error_ = std::current_exception();
    }
    return;
  }
  {
    const std::lock_guard lock(mutex_);
    busy_ = true;
  }
  changed_.notify_all();
}

void BackgroundJob::wait() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !busy_; });
  if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

void BackgroundJob::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return busy_ || stop_; });
    if (!busy_) return;  // stopped with nothing to run
    lock.unlock();
    std::exception_ptr error;
    try {
      job_();
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    error_ = error;
    busy_ = false;
    changed_.notify_all();
  }
}

}  // namespace synlab::app
