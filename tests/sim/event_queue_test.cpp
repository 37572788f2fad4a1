// EventQueue internals: the 32-bit order counter's wrap and the bound on cancelled keys.
#include "sim/event_queue.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
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

using Ran = std::vector<std::pair<std::int64_t, int>>;  // (time, label) of each event run

// A random mix of pushes, cancels and pops checked against a reference: every event not
// cancelled must run in (time, push) order (STYLE §4). Labels number the pushes.
struct Reference {
  explicit Reference(EventQueue& queue) : q(&queue) {}
  Reference(const Reference&) = delete;  // its events capture `this`
  Reference& operator=(const Reference&) = delete;

  EventQueue* q;
  Ran expected;  // (time, label) of each push
  std::vector<bool> cancelled;
  std::vector<EventId> ids;  // by label (unassigned for a stream's events)
  Ran ran;
  std::int64_t now = 0;
  Time t;
  Callback fn;

  int next_label() const { return static_cast<int>(expected.size()); }
  // A plain push at `when`; a lane's or the heap's, as the queue decides.
  void push(std::int64_t when) {
    const int l = next_label();
    ids.push_back(q->push(Time{std::chrono::nanoseconds{when}}, [this, l] {
      ran.push_back({to_ns(t), l});
    }));
    expected.push_back({when, l});
    cancelled.push_back(false);
  }
  // Notes a push the caller made into a stream at `when`, labelled next_label().
  void pushed_to_stream(std::int64_t when) {
    expected.push_back({when, next_label()});
    cancelled.push_back(false);
    ids.emplace_back();
  }
  // A random delay: mostly one of four fixed ones (each its own lane), else any below 3000.
  std::int64_t delay(synlab::sim::RandomStream& random) const {
    constexpr std::int64_t fixed[] = {0, 7, 50, 1000};
    return random.below(4) != 0 ? fixed[random.below(4)] : std::int64_t{random.below(3000)};
  }
  // One step's cancel (of any earlier push) and pop, each by chance.
  void cancel_and_pop(synlab::sim::RandomStream& random) {
    if (random.below(4) == 0) {
      const std::uint32_t victim = random.below(static_cast<std::uint32_t>(ids.size()));
      if (q->cancel(ids[victim])) cancelled[victim] = true;
    }
    if (random.below(2) == 0 && q->pop_until(time_max, t, fn)) {
      now = to_ns(t);
      fn();
    }
  }
  // Runs what is left and checks the order against the reference.
  void drain_and_check() {
    while (q->pop_until(time_max, t, fn)) fn();
    Ran want;
    for (const auto& e : expected)
      if (!cancelled[static_cast<std::size_t>(e.second)]) want.push_back(e);
    std::sort(want.begin(), want.end());
    CHECK(q->empty());
    CHECK(q->heap_entries() == 0);
    REQUIRE(ran.size() == want.size());
    for (std::size_t i = 0; i < ran.size(); ++i) {
      CAPTURE(i);
      REQUIRE(ran[i] == want[i]);
    }
  }
};
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
  Ran ran;  // (time, label), labels in push order
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
  // heap, or a lane claimed for a moment).
  EventQueue q;
  synlab::sim::RandomStream random(5, "event-queue-lanes");
  Reference ref(q);
  for (int step = 0; step < 20000; ++step) {
    ref.push(ref.now + ref.delay(random));
    ref.cancel_and_pop(random);
  }
  ref.drain_and_check();
}

namespace {
// One stream's events append their own label and time to `ran` (through `log`).
struct StreamLog {
  Ran* ran;
  const Time* t;
  std::vector<int> labels;  // of the stream's pending events, in push order
  std::size_t next = 0;
  static void run(void* self) {
    auto* log = static_cast<StreamLog*>(self);
    log->ran->push_back({to_ns(*log->t), log->labels[log->next++]});
  }
};
}  // namespace

TEST_CASE("streams, lanes and heap together run events in (time, push) order") {
  // As above, but a third of the pushes go to one of three streams, each at the later of
  // now + delay and its own last time (a stream's times never decrease). The expected order is
  // a sort of (time, label) over every event not cancelled; stream events are never cancelled.
  // Start close to the order counter's wrap, so that renumbering meets streams too.
  for (const std::uint32_t first_order : {1u, 0xffff'e000u}) {
    CAPTURE(first_order);
    EventQueue q(first_order);
    synlab::sim::RandomStream random(9, "event-queue-streams");
    Reference ref(q);
    std::vector<StreamLog> logs(3, StreamLog{&ref.ran, &ref.t, {}});
    std::vector<std::uint32_t> streams;
    std::vector<std::int64_t> last(3, 0);
    for (StreamLog& log : logs) streams.push_back(q.open_stream(&StreamLog::run, &log));
    for (int step = 0; step < 20000; ++step) {
      const std::int64_t delay = ref.delay(random);
      if (random.below(3) == 0) {
        const std::uint32_t k = random.below(3);
        last[k] = std::max(ref.now + delay, last[k]);
        logs[k].labels.push_back(ref.next_label());
        ref.pushed_to_stream(last[k]);
        q.push_stream(streams[k], Time{std::chrono::nanoseconds{last[k]}});
      } else {
        ref.push(ref.now + delay);
      }
      ref.cancel_and_pop(random);
    }
    ref.drain_and_check();
  }
}

TEST_CASE("closing a stream drops its pending events, the others run in order") {
  EventQueue q;
  Ran ran;
  Time t;
  Callback fn;
  StreamLog kept{&ran, &t, {}};
  StreamLog closed{&ran, &t, {}};
  const std::uint32_t a = q.open_stream(&StreamLog::run, &kept);
  const std::uint32_t b = q.open_stream(&StreamLog::run, &closed);
  // Labels 0..9: even ones in stream a, odd ones in stream b, two per time (5, 5, 10, 10, ...),
  // then a plain event at 12 ns (label 10).
  for (int l = 0; l < 10; ++l) {
    StreamLog& log = l % 2 == 0 ? kept : closed;
    log.labels.push_back(l);
    q.push_stream(l % 2 == 0 ? a : b, Time{std::chrono::nanoseconds{5 * (l / 2 + 1)}});
  }
  q.push(Time{std::chrono::nanoseconds{12}}, [&ran, &t] { ran.push_back({to_ns(t), 10}); });
  CHECK(q.size() == 11);
  // Run the events at 5 ns (labels 0 and 1), then close b in the middle of the run.
  for (int i = 0; i < 2; ++i) {
    REQUIRE(q.pop_until(time_max, t, fn));
    fn();
  }
  CHECK(q.close_stream(b) == 4);  // labels 3, 5, 7, 9 never run
  CHECK(q.size() == 5);
  while (q.pop_until(time_max, t, fn)) fn();
  const Ran want = {{5, 0}, {5, 1}, {10, 2}, {12, 10}, {15, 4}, {20, 6}, {25, 8}};
  CHECK(ran == want);
  CHECK(q.empty());
  CHECK(q.heap_entries() == 0);
  CHECK(q.close_stream(a) == 0);
}

TEST_CASE("a stream closed while another event's key is at the root, and its index reused") {
  // A plain event (in the heap: too few events pending for lanes) runs at 1 ns and closes
  // stream b, whose events at 2 and 3 ns must never run, then opens a stream that gets b's
  // index and pushes an event at 3 ns. Stream a's event at 2 ns and a plain one at 4 ns run.
  EventQueue q;
  Ran ran;
  Time t;
  Callback fn;
  StreamLog a_log{&ran, &t, {1}};
  StreamLog b_log{&ran, &t, {2, 3}};
  StreamLog c_log{&ran, &t, {5}};
  const std::uint32_t a = q.open_stream(&StreamLog::run, &a_log);
  const std::uint32_t b = q.open_stream(&StreamLog::run, &b_log);
  q.push(Time{1ns}, [&] {
    ran.push_back({to_ns(t), 0});
    CHECK(q.close_stream(b) == 2);
    const std::uint32_t c = q.open_stream(&StreamLog::run, &c_log);
    CHECK(c == b);
    q.push_stream(c, Time{3ns});
  });
  q.push_stream(a, Time{2ns});
  q.push_stream(b, Time{2ns});
  q.push_stream(b, Time{3ns});
  q.push(Time{4ns}, [&] { ran.push_back({to_ns(t), 4}); });
  CHECK(q.next_time() == Time{1ns});
  while (q.pop_until(time_max, t, fn)) fn();
  const Ran want = {{1, 0}, {2, 1}, {3, 5}, {4, 4}};
  CHECK(ran == want);
  CHECK(q.empty());
  CHECK(q.heap_entries() == 0);
}

TEST_CASE("a stream closed by its own last event, its node and index taken again at once") {
  // Stream b's only event runs at 1 ns: its key, the stream's node, stays at the root while it
  // runs. It closes b (nothing left to drop), then in turn: a plain push (it gets b's node,
  // first on the free list, and its key may take the running root's place), a new stream (b's
  // index), an event on it, and an event cancelled at once. Then the plain event, the new stream's,
  // and a last plain one run, each once, and nothing is left behind.
  EventQueue q;
  Ran ran;
  Time t;
  Callback fn;
  StreamLog c_log{&ran, &t, {3}};
  std::uint32_t b = 0;
  struct SelfClosing {
    std::function<void()> body;
    static void run(void* self) { static_cast<SelfClosing*>(self)->body(); }
  } b_run;
  b_run.body = [&] {
    ran.push_back({to_ns(t), 1});
    CHECK(q.close_stream(b) == 0);
    q.push(Time{2ns}, [&] { ran.push_back({to_ns(t), 2}); });
    const std::uint32_t c = q.open_stream(&StreamLog::run, &c_log);
    CHECK(c == b);
    q.push_stream(c, Time{3ns});
    REQUIRE(q.cancel(q.push(Time{2ns}, [&] { ran.push_back({to_ns(t), -1}); })));
  };
  b = q.open_stream(&SelfClosing::run, &b_run);
  q.push_stream(b, Time{1ns});
  q.push(Time{4ns}, [&] { ran.push_back({to_ns(t), 4}); });
  while (q.pop_until(time_max, t, fn)) fn();
  const Ran want = {{1, 1}, {2, 2}, {3, 3}, {4, 4}};
  CHECK(ran == want);
  CHECK(q.empty());
  CHECK(q.heap_entries() == 0);
}

TEST_CASE("the event loop's pop gives a stream's event as its function, any other as a callback") {
  EventQueue q;
  Ran ran;
  Time t;
  StreamLog log{&ran, &t, {0, 2}};
  const std::uint32_t s = q.open_stream(&StreamLog::run, &log);
  q.push_stream(s, Time{5ns});                                       // label 0
  q.push(Time{10ns}, [&ran, &t] { ran.push_back({to_ns(t), 1}); });  // label 1
  q.push_stream(s, Time{10ns});  // label 2: after 1, pushed later
  Callback fn;
  EventQueue::StreamRun stream;
  REQUIRE(q.pop_until(time_max, t, fn, stream));
  CHECK(t == Time{5ns});
  CHECK((stream.run == &StreamLog::run));
  CHECK(stream.context == &log);
  CHECK(!fn);  // left as it was: empty
  stream.run(stream.context);
  REQUIRE(q.pop_until(time_max, t, fn, stream));
  CHECK(t == Time{10ns});
  CHECK((stream.run == nullptr));  // cleared by the pop: a plain event
  REQUIRE(fn);
  fn();
  REQUIRE(q.pop_until(time_max, t, fn, stream));
  CHECK(t == Time{10ns});
  CHECK((stream.run == &StreamLog::run));
  CHECK(fn);  // still the plain event's callback: left as it was
  stream.run(stream.context);
  CHECK(!q.pop_until(time_max, t, fn, stream));
  CHECK(ran == Ran{{5, 0}, {10, 1}, {10, 2}});
}

TEST_CASE("compaction keeps the streams' keys, next_time sees a stream's first key") {
  EventQueue q;
  Ran ran;
  Time t;
  Callback fn;
  StreamLog log{&ran, &t, {}};
  const std::uint32_t s = q.open_stream(&StreamLog::run, &log);
  for (int i = 0; i < 100; ++i) {
    log.labels.push_back(i);
    q.push_stream(s, Time{std::chrono::nanoseconds{1000 + i}});
  }
  // 200 plain events, all cancelled: more than 64 and than the 100 live keys, so the heap and
  // lanes are compacted on the way.
  std::vector<EventId> ids;
  for (int i = 0; i < 200; ++i)
    ids.push_back(q.push(Time{std::chrono::nanoseconds{500 + i}}, [&ran] { ran.push_back({}); }));
  for (const EventId id : ids) REQUIRE(q.cancel(id));
  CHECK(q.size() == 100);
  CHECK(q.heap_entries() < 100 + 64);  // compacted
  CHECK(q.next_time() == Time{1000ns});
  while (q.pop_until(time_max, t, fn)) fn();
  REQUIRE(ran.size() == 100);
  for (int i = 0; i < 100; ++i) {
    CAPTURE(i);
    CHECK(ran[static_cast<std::size_t>(i)] == std::pair<std::int64_t, int>{1000 + i, i});
  }
  CHECK(q.next_time() == time_max);
}

TEST_CASE("a cancelled key behind its lane's first dies in place and its node is free at once") {
  // 100 events 1000 ns ahead, pushed at time 0. The first 64 and the 65th go to the heap (below
  // the lanes' threshold; then the delay's first time in its bucket); from the 66th on they
  // share one lane, in push order.
  EventQueue q;
  Reference ref(q);
  for (int i = 0; i < 100; ++i) ref.push(1000);
  const std::size_t keys = q.heap_entries();
  // Event 80's key is behind its lane's first (event 65's): its node is free at once, so the
  // next push (the free list is last in, first out) takes it; its key stays, dead, counted.
  const EventId victim = ref.ids[80];
  REQUIRE(q.cancel(victim));
  ref.cancelled[80] = true;
  CHECK_FALSE(q.is_pending(victim));
  CHECK_FALSE(q.cancel(victim));  // once only
  ref.push(2000);
  CHECK(ref.ids[100].slot == victim.slot);
  CHECK(ref.ids[100].seq != victim.seq);  // the old id does not name the new event
  CHECK_FALSE(q.cancel(victim));
  CHECK(q.heap_entries() == keys + 1);  // the dead key is still there
  // The lane's first key (event 65's) is in the heap too: its node stays until it leaves.
  REQUIRE(q.cancel(ref.ids[65]));
  ref.cancelled[65] = true;
  ref.push(2001);
  CHECK(ref.ids[101].slot != ref.ids[65].slot);
  ref.drain_and_check();
}

TEST_CASE("dead keys in lanes, compacted and renumbered, leave the order of the others intact") {
  // 200 live events in two lanes, then rounds of cancels behind the lanes' first keys and
  // pushes, with no pop: the dead keys outnumber the live ones and compaction drops them (and
  // gives the keys it keeps new positions, which later cancels must find). The order counter
  // wraps on the way.
  EventQueue q(0xffff'f000u);
  synlab::sim::RandomStream random(9, "event-queue-dead-keys");
  Reference ref(q);
  for (int i = 0; i < 200; ++i) ref.push(i % 2 == 0 ? 1000 : 50'000);
  std::size_t most_keys = 0;
  for (int round = 0; round < 20'000; ++round) {
    const auto victim = random.below(static_cast<std::uint32_t>(ref.ids.size()));
    if (q.cancel(ref.ids[victim])) ref.cancelled[victim] = true;
    if (q.size() < 200) ref.push(random.below(2) == 0 ? 1000 : 50'000);
    most_keys = std::max(most_keys, q.heap_entries());
  }
  CHECK(most_keys <= 2 * 200 + 66);  // compaction bounds the dead keys by the live ones
  ref.drain_and_check();
}

TEST_CASE("a lane's next event is warmed as the one before it is popped, and nothing else is") {
  // 100 events 1000 ns ahead, pushed at time 0: events 0 to 64 go to the heap, 65 to 99 share
  // one lane (as in the test above). Each logs its warm() as -label and its run as +label.
  struct Logged {
    std::vector<int>* log;
    int label;
    void operator()() const { log->push_back(label); }
    void warm() const noexcept { log->push_back(-label); }
  };
  EventQueue q;
  std::vector<int> log;
  std::vector<EventId> ids;
  for (int i = 0; i < 100; ++i)
    ids.push_back(q.push(Time{std::chrono::nanoseconds{1000}}, Logged{&log, i}));
  // Event 70, behind its lane's first, is cancelled: its key dies in place (names the lane's
  // own node, which has no callback).
  REQUIRE(q.cancel(ids[70]));
  drain(q);
  // The heap's events run unwarmed; the lane's first is in the heap too. From then on each pop
  // of lane event k warms k + 1 before k runs; the last one has no next. Popping 69 leaves the
  // dead key in front: nothing is warmed; when it surfaces and is dropped, 71 is.
  std::vector<int> expected;
  for (int i = 0; i <= 64; ++i) expected.push_back(i);
  for (int k = 65; k < 99; ++k) {
    if (k == 70) continue;
    if (k == 71) expected.push_back(-71);
    if (k != 69) expected.push_back(-(k + 1));
    expected.push_back(k);
  }
  expected.push_back(99);
  CHECK(log == expected);
}
