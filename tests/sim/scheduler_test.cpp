// Scheduler: ordering, cancellation, run_until boundaries, stop, and refusal of the past.
#include "sim/scheduler.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "sim/random_stream.hpp"
#include "tests/support/run_in_child.hpp"

using namespace std::chrono_literals;
using synlab::sim::at;
using synlab::sim::EventId;
using synlab::sim::Scheduler;
using synlab::sim::Time;
using synlab::test::run_in_child;

TEST_CASE("events run in time order, same-time events in scheduling order") {
  Scheduler s;
  std::vector<int> order;
  s.schedule_at(at(20ns), [&] { order.push_back(4); });
  s.schedule_at(at(10ns), [&] { order.push_back(1); });
  s.schedule_at(at(10ns), [&] {
    order.push_back(2);
    // Scheduled while running, at the same time: runs after everything already at 10 ns.
    s.schedule_in(0ns, [&] { order.push_back(3); });
  });
  s.schedule_at(at(10ns), [&] { order.push_back(25); });
  s.run();
  CHECK(order == std::vector<int>{1, 2, 25, 3, 4});
  CHECK(s.now() == at(20ns));
  CHECK(s.counters().executed == 5);
  CHECK(s.counters().pending == 0);
  CHECK(s.counters().peak_pending == 4);
}

TEST_CASE("many same-time events keep FIFO order through the heap") {
  Scheduler s;
  std::vector<int> order;
  for (int i = 0; i < 1000; ++i) s.schedule_at(at(5ns), [&order, i] { order.push_back(i); });
  s.run();
  REQUIRE(order.size() == 1000);
  for (int i = 0; i < 1000; ++i) CHECK(order[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("cancel before firing, after firing, and of an unassigned id") {
  Scheduler s;
  int ran = 0;
  const EventId a = s.schedule_at(at(1s), [&] { ++ran; });
  const EventId b = s.schedule_at(at(2s), [&] { ++ran; });
  CHECK(s.is_pending(a));
  CHECK(s.cancel(a));
  CHECK_FALSE(s.is_pending(a));
  CHECK_FALSE(s.cancel(a));  // twice: nothing left to cancel
  CHECK(s.counters().pending == 1);
  s.run();
  CHECK(ran == 1);
  CHECK_FALSE(s.cancel(b));  // already ran
  CHECK_FALSE(s.cancel(EventId{}));
  CHECK(s.counters().cancelled == 1);
  CHECK(s.counters().executed == 1);
}

TEST_CASE("a stale id never cancels a later event that reuses its storage") {
  Scheduler s;
  int ran = 0;
  const EventId old = s.schedule_at(at(1s), [] {});
  s.run();
  const EventId fresh = s.schedule_at(at(2s), [&] { ++ran; });
  CHECK(fresh.slot == old.slot);  // the pool reused the node...
  CHECK_FALSE(s.cancel(old));     // ...but the old handle does not reach the new event
  s.run();
  CHECK(ran == 1);
}

TEST_CASE("an event can cancel a later event at the same time") {
  Scheduler s;
  int ran = 0;
  EventId second;
  s.schedule_at(at(1s), [&] { s.cancel(second); });
  second = s.schedule_at(at(1s), [&] { ++ran; });
  s.run();
  CHECK(ran == 0);
}

TEST_CASE("run_until: an event exactly at the boundary runs, the next one does not") {
  Scheduler s;
  std::vector<std::int64_t> ran;
  for (auto t : {5ns, 10ns, 11ns})
    s.schedule_at(at(t), [&s, &ran] { ran.push_back(to_ns(s.now())); });
  s.run_until(at(10ns));
  CHECK(ran == std::vector<std::int64_t>{5, 10});
  CHECK(s.now() == at(10ns));
  CHECK(s.counters().pending == 1);
  s.run_until(at(10ns));  // nothing new at 10 ns
  CHECK(ran.size() == 2);
  s.run_until(at(100ns));
  CHECK(ran == std::vector<std::int64_t>{5, 10, 11});
  CHECK(s.now() == at(100ns));  // the clock advances to the limit
}

TEST_CASE("stop() ends the run after the current event, run() resumes") {
  Scheduler s;
  std::vector<int> ran;
  s.schedule_at(at(1s), [&] {
    ran.push_back(1);
    s.stop();
  });
  s.schedule_at(at(1s), [&] { ran.push_back(2); });
  s.schedule_at(at(2s), [&] { ran.push_back(3); });
  s.run();
  CHECK(ran == std::vector<int>{1});
  CHECK(s.now() == at(1s));
  s.run();
  CHECK(ran == std::vector<int>{1, 2, 3});
}

TEST_CASE("schedule_in past the end of simulated time runs the event at time_last") {
  // now = 1 s; 1 s + Duration::max() passes 2^63 - 1 ns, so the event is at time_last (the sum
  // saturates) rather than at a wrapped, negative time the queue would refuse.
  Scheduler s;
  std::vector<Time> ran;
  s.schedule_at(at(1s), [&] {
    s.schedule_in(synlab::sim::Duration::max(), [&] { ran.push_back(s.now()); });
    s.schedule_in(1s, [&] { ran.push_back(s.now()); });
  });
  s.run();
  CHECK(ran == std::vector<Time>{at(2s), synlab::sim::time_last});
}

TEST_CASE("scheduling in the past is refused") {
  const auto [signal, printed] = run_in_child([] {
    Scheduler s;
    s.schedule_at(at(2s), [&s] { s.schedule_at(at(1s), [] {}); });
    s.run();
  });
  CHECK(signal == SIGABRT);
  CHECK(printed.find("before now()") != std::string::npos);

  const auto [signal2, printed2] = run_in_child([] {
    Scheduler s;
    s.schedule_in(-1ns, [] {});
  });
  CHECK(signal2 == SIGABRT);
  CHECK(printed2.find("negative") != std::string::npos);
}

TEST_CASE("random schedules and cancels match a reference ordering") {
  // Reference: a std::multimap keyed by (time, scheduling order) of what should still run.
  synlab::sim::RandomStream random(7, "scheduler-reference");
  for (int round = 0; round < 20; ++round) {
    Scheduler s;
    std::map<std::pair<std::int64_t, int>, int> expected;
    std::vector<std::pair<EventId, std::pair<std::int64_t, int>>> ids;
    std::vector<int> ran;
    for (int i = 0; i < 2000; ++i) {
      const std::int64_t t = random.below(500);
      ids.push_back(
          {s.schedule_at(at(std::chrono::nanoseconds{t}), [&ran, i] { ran.push_back(i); }),
           {t, i}});
      expected[{t, i}] = i;
      if (random.below(4) != 0) {  // cancel three out of four, at random: forces compaction
        const std::size_t k = random.below(static_cast<std::uint32_t>(ids.size()));
        if (s.cancel(ids[k].first)) expected.erase(ids[k].second);
      }
    }
    CHECK(s.counters().pending == expected.size());
    s.run();
    std::vector<int> want;
    for (const auto& [key, i] : expected) want.push_back(i);
    REQUIRE(ran == want);
  }
}

TEST_CASE("an event budget ends the run after that many events, now() at the last one run") {
  Scheduler s;
  int ran = 0;
  for (int i = 1; i <= 5; ++i) s.schedule_at(at(std::chrono::seconds{i}), [&] { ++ran; });
  s.set_event_budget(3);
  s.run_until(at(10s));
  CHECK(ran == 3);
  CHECK(s.now() == at(3s));  // not the limit: the run was cut short, as by stop()
  s.run();                   // the budget is for all runs: nothing more
  CHECK(ran == 3);
  CHECK(s.counters().pending == 2);
}
