// Work done beside the simulation on a thread of its own (issue 11): a job run once per start(),
// one run at a time, while the caller fills the next buffer; and a batch of items handed over
// that way. The output writers use it: the file's bytes (RowBuffer) and the formatting of the
// traces' rows (PacketsCsv, StatesCsv).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace synlab::app {

// A job run on a thread of its own each time it is started. The thread starts with the first run,
// so a run that never starts one costs no thread. What a run throws is rethrown by the next
// wait() (or start()). Where the system refuses the thread (a `ulimit -v` without room for its
// stack), each start() runs the job itself before it returns: slower, and nothing lost.
class BackgroundJob {
 public:
  explicit BackgroundJob(std::function<void()> job) : job_(std::move(job)) {}
  BackgroundJob(const BackgroundJob&) = delete;
  BackgroundJob& operator=(const BackgroundJob&) = delete;
  ~BackgroundJob();  // lets the run in progress end, then ends the thread

  // Waits for the run in progress (as wait()), then runs the job once more. What the job reads
  // must not change until the next wait() returns.
  void start();
  // Until no run is in progress; then rethrows what the last run threw, if anything.
  void wait();

 private:
  void loop();  // the thread's

  std::function<void()> job_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool busy_ = false;  // a run was started and has not ended
  bool stop_ = false;
  bool here_ = false;         // the thread was refused: start() runs the job
  std::exception_ptr error_;  // what the last run threw
};

// Where a BatchHandOff's items are consumed: on a thread of its own (the machine has a core to
// spare), or by the pusher itself when a batch is full.
enum class Consumer : std::uint8_t { OwnThread, Inline };

// Items pushed one by one and consumed in the same order by `consume`, a batch at a time. On a
// thread of its own one batch fills while the other is consumed: `consume` sees only the items
// (and what it owns), and the pusher waits only when a full batch finds the last one not yet
// consumed. Inline, the pusher consumes each full batch: its code and data stay in cache for the
// whole batch, rather than taking turns with the pusher's at every item.
template <class Item>
class BatchHandOff {
 public:
  BatchHandOff(std::size_t batch, Consumer where, std::function<void(const Item&)> consume)
      : batch_(batch), where_(where), consume_(std::move(consume)) {
    filling_.reserve(batch_);
  }

  // The next item, made in place from `args`.
  template <class... Args>
  void push(Args&&... args) {
    filling_.emplace_back(std::forward<Args>(args)...);
    if (filling_.size() >= batch_) [[unlikely]]
      hand_over();
  }
  // Hands over what is left and waits until every item is consumed; rethrows what `consume`
  // threw.
  void drain() {
    if (!filling_.empty()) hand_over();
    job_.wait();
  }

 private:
  void hand_over() {
    if (where_ == Consumer::Inline) {
      // Emptied even if `consume` throws: no item is consumed twice.
      struct Clear {
        std::vector<Item>& items;
        ~Clear() { items.clear(); }
      } clear{filling_};
      for (const Item& item : filling_) consume_(item);
      return;
    }
    job_.wait();
    std::swap(filling_, consuming_);
    filling_.clear();
    filling_.reserve(batch_);
    job_.start();
  }

  std::size_t batch_;
  Consumer where_;
  std::function<void(const Item&)> consume_;
  std::vector<Item> filling_;
  std::vector<Item> consuming_;  // the job's, between start() and wait()
  // Last: destroyed first, so the thread ends before what it reads.
  BackgroundJob job_{[this] {
    for (const Item& item : consuming_) consume_(item);
  }};
};

}  // namespace synlab::app
