// EventQueue internals: the 32-bit order counter's wrap and the bound on cancelled keys.
#include "sim/event_queue.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "sim/random_stream.hpp"

using namespace std::chrono_literals;
using synlab::sim::at;
using synlab::sim::Callback;
using synlab::sim::EventId;
using synlab::sim::EventQueue;
using synlab::sim::Time;
using synlab::sim::time_max;

namespace {
// Pops and runs every pending event.
void drain(EventQueue& q) {
  Time t;
  Callback fn;
  while (q.pop_until(time_max, t, fn)) fn();
}
}  // namespace

TEST_CASE("same-time order survives the 32-bit order counter's wrap") {
  // Start 10 pushes before the wrap: the pushes around it must still run first-in first-out,
  // which they would not if the raw counter (..., 0xffffffff, 0, 1, ...) decided.
  EventQueue q(0xffff'fff6u);
  std::vector<int> ran;
  for (int i = 0; i < 30; ++i) q.push(at(5ns), [&ran, i] { ran.push_back(i); });
  drain(q);
  REQUIRE(ran.size() == 30);
  for (int i = 0; i < 30; ++i) CHECK(ran[static_cast<std::size_t>(i)] == i);
}

TEST_CASE("wrap while events are pending, interleaved with pops and cancels") {
  EventQueue q(0xffff'ff00u);
  synlab::sim::RandomStream random(21, "event-queue-wrap");
  std::vector<std::pair<std::int64_t, int>> ran;  // (time, label), labels in push order
  std::vector<EventId> ids;
  Time now{};
  int label = 0;
  Time t;
  Callback fn;
  for (int step = 0; step < 2000; ++step) {
    const Time when = now + std::chrono::nanoseconds{random.below(8)};  // many ties
    const int l = label++;
    ids.push_back(q.push(when, [&ran, &t, l] { ran.push_back({to_ns(t), l}); }));
    if (random.below(5) == 0)
      (void)q.cancel(ids[random.below(static_cast<std::uint32_t>(ids.size()))]);
    if (random.below(2) == 0 && q.pop_until(time_max, t, fn)) {
      now = t;
      fn();
    }
  }
  while (q.pop_until(time_max, t, fn)) fn();
  // Times never go backwards, and equal times run in push (label) order.
  for (std::size_t i = 1; i < ran.size(); ++i) {
    CAPTURE(i);
    REQUIRE(ran[i - 1].first <= ran[i].first);
    if (ran[i - 1].first == ran[i].first) REQUIRE(ran[i - 1].second < ran[i].second);
  }
}

TEST_CASE("re-arming a timer a million times keeps the heap small") {
  // Each re-arm leaves a cancelled key behind; compaction must bound them by the live count.
  EventQueue q;
  EventId timer = q.push(at(1s), [] {});
  std::size_t most_keys = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    REQUIRE(q.cancel(timer));
    timer = q.push(at(1s) + std::chrono::nanoseconds{i}, [] {});
    if (q.heap_entries() > most_keys) most_keys = q.heap_entries();
  }
  CHECK(q.size() == 1);
  CHECK(most_keys <= 66);  // compaction runs once more than 64 cancelled keys outnumber live ones
  drain(q);
  CHECK(q.empty());
}

TEST_CASE("lanes and heap together run events in (time, push) order, cancels skipped") {
  // Most pushes use one of four fixed delays (each its own lane), the rest a random one (the
  // heap, or a lane claimed for a moment); a reference list sorted by (time, label) is the
  // order every event not cancelled must run in (STYLE §4).
  EventQueue q;
  synlab::sim::RandomStream random(5, "event-queue-lanes");
  constexpr std::int64_t fixed[] = {0, 7, 50, 1000};
  std::vector<std::pair<std::int64_t, int>> expected;  // (time, label) of each push
  std::vector<bool> cancelled;
  std::vector<EventId> ids;
  std::vector<std::pair<std::int64_t, int>> ran;
  std::int64_t now = 0;
  Time t;
  Callback fn;
  for (int step = 0; step < 20000; ++step) {
    const std::int64_t delay =
        random.below(4) != 0 ? fixed[random.below(4)] : std::int64_t{random.below(3000)};
    const int l = static_cast<int>(expected.size());
    expected.push_back({now + delay, l});
    cancelled.push_back(false);
    ids.push_back(q.push(Time{std::chrono::nanoseconds{now + delay}}, [&ran, &t, l] {
      ran.push_back({to_ns(t), l});
    }));
    if (random.below(4) == 0) {
      const std::uint32_t victim = random.below(static_cast<std::uint32_t>(ids.size()));
      if (q.cancel(ids[victim])) cancelled[victim] = true;
    }
    if (random.below(2) == 0 && q.pop_until(time_max, t, fn)) {
      now = to_ns(t);
      fn();
    }
  }
  while (q.pop_until(time_max, t, fn)) fn();
  std::vector<std::pair<std::int64_t, int>> want;
  for (const auto& e : expected)
    if (!cancelled[static_cast<std::size_t>(e.second)]) want.push_back(e);
  std::sort(want.begin(), want.end());
  CHECK(q.empty());
  CHECK(q.heap_entries() == 0);
  REQUIRE(ran.size() == want.size());
  for (std::size_t i = 0; i < ran.size(); ++i) {
    CAPTURE(i);
    REQUIRE(ran[i] == want[i]);
  }
}
