// Work beside the simulation (app/background_job.hpp): every item consumed once, in order, on
// the thread asked for; what the job throws reaches the caller.
#include "app/background_job.hpp"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <vector>

namespace synlab::app {
namespace {

TEST_CASE("BatchHandOff: every item consumed once, in order, on the thread asked for") {
  for (const Consumer where : {Consumer::Inline, Consumer::OwnThread}) {
    CAPTURE(where == Consumer::Inline);
    // 10,007 items in batches of 64: 156 full batches and a last one of 23, drained.
    std::vector<int> seen;
    std::vector<std::thread::id> threads;
    {
      BatchHandOff<int> hand_off(64, where, [&](const int& item) {
        seen.push_back(item);
        if (threads.empty() || threads.back() != std::this_thread::get_id())
          threads.push_back(std::this_thread::get_id());
      });
      for (int i = 0; i < 10'007; ++i) hand_off.push(i);
      hand_off.drain();
      REQUIRE(seen.size() == 10'007);
      for (int i = 0; i < 10'007; ++i) REQUIRE(seen[static_cast<std::size_t>(i)] == i);
      hand_off.push(-1);  // after a drain, the hand-off goes on
      hand_off.drain();
    }
    CHECK(seen.size() == 10'008);
    CHECK(seen.back() == -1);
    // One thread consumed them all: the pusher's own, or another.
    REQUIRE(threads.size() == 1);
    CHECK((threads.front() == std::this_thread::get_id()) == (where == Consumer::Inline));
  }
}

TEST_CASE("BatchHandOff: nothing is consumed before a batch is full or drained") {
  for (const Consumer where : {Consumer::Inline, Consumer::OwnThread}) {
    CAPTURE(where == Consumer::Inline);
    std::atomic<int> consumed = 0;
    BatchHandOff<int> hand_off(4, where, [&](const int&) { ++consumed; });
    for (int i = 0; i < 3; ++i) hand_off.push(i);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(consumed == 0);
    hand_off.drain();
    CHECK(consumed == 3);
  }
}

TEST_CASE("BatchHandOff: what the consumer throws reaches the pusher") {
  for (const Consumer where : {Consumer::Inline, Consumer::OwnThread}) {
    CAPTURE(where == Consumer::Inline);
    std::vector<int> seen;
    BatchHandOff<int> hand_off(8, where, [&](const int& item) {
      seen.push_back(item);
      if (item == 5) throw std::runtime_error("item 5");
    });
    // Inline, the push that fills the batch throws; on a thread, the next wait for it does.
    CHECK_THROWS_WITH_AS(
        {
          for (int i = 0; i < 100; ++i) hand_off.push(i);
          hand_off.drain();
        },
        "item 5", std::runtime_error);
    // The batch that threw is not consumed again: items 0 to 5 once each.
    hand_off.drain();
    REQUIRE(seen.size() >= 6);
    CHECK(std::vector<int>(seen.begin(), seen.begin() + 6) == std::vector<int>{0, 1, 2, 3, 4, 5});
    CHECK(std::count(seen.begin(), seen.end(), 0) == 1);
  }
}

TEST_CASE("BackgroundJob: each start runs the job once, and wait() waits for it") {
  std::atomic<int> runs = 0;
  {
    BackgroundJob job([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      ++runs;
    });
    job.wait();  // nothing started: returns at once
    CHECK(runs == 0);
    for (int i = 1; i <= 3; ++i) {
      job.start();
      job.wait();
      CHECK(runs == i);
    }
    job.start();  // the destructor lets this run end
  }
  CHECK(runs == 4);
}

// In a child process, with threads refused as a tight `ulimit -u` (RLIMIT_NPROC) refuses them
// (as root, which that limit spares, as user "nobody"): runs `body` and returns its exit status,
// or -1 if the child could not refuse itself threads. A limit on the address space would not do:
// glibc hands a new thread a stack cached from an earlier one, and other tests made threads.
int with_threads_refused(int (*body)()) {
  const pid_t child = ::fork();
  if (child == 0) {
    if (::geteuid() == 0 && ::setresuid(65534, 65534, 65534) != 0) ::_exit(100);
    const rlimit one{1, 1};
    if (::setrlimit(RLIMIT_NPROC, &one) != 0) ::_exit(100);
    int code = 99;  // what the body threw ends here: the child never returns into doctest
    try {
      code = body();
    } catch (...) {
    }
    ::_exit(code);
  }
  int status = 0;
  if (child < 0 || ::waitpid(child, &status, 0) != child || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status) == 100 ? -1 : WEXITSTATUS(status);
}

TEST_CASE("BackgroundJob without a thread of its own: start() runs the job, wait() rethrows") {
  const int status = with_threads_refused([] {
    try {  // the limit not enforced (CAP_SYS_RESOURCE without being root): nothing to test
      std::thread([] {}).join();
      return 101;
    } catch (const std::system_error&) {
    }
    int calls = 0;
    bool elsewhere = false;  // the job ran on another thread
    const std::thread::id here = std::this_thread::get_id();
    BackgroundJob job([&] {
      elsewhere = elsewhere || std::this_thread::get_id() != here;
      if (++calls == 2) throw std::runtime_error("run 2");
    });
    job.start();  // the thread is refused: the job runs here and now
    if (calls != 1) return 1;
    job.wait();
    job.start();  // throws inside: kept for wait()
    bool threw = false;
    try {
      job.wait();
    } catch (const std::runtime_error&) {
      threw = true;
    }
    if (!threw) return 2;
    job.start();
    job.wait();
    return calls != 3 ? 3 : elsewhere ? 4 : 0;
  });
  REQUIRE(status != -1);
  if (status == 101) {
    MESSAGE("RLIMIT_NPROC is not enforced for this process: not checked");
    return;
  }
  CHECK(status == 0);
}

}  // namespace
}  // namespace synlab::app
