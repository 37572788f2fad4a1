// EventStream: its events keep their place among the scheduler's other events, closing the
// stream drops those pending, and a stream never goes back in time.
#include "sim/event_stream.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <string>
#include <vector>

#include "sim/scheduler.hpp"
#include "tests/support/run_in_child.hpp"

using namespace std::chrono_literals;
using synlab::sim::at;
using synlab::sim::EventStream;
using synlab::sim::Scheduler;
using synlab::test::run_in_child;

namespace {
// Owns a stream whose n-th event logs "s<n>@<seconds>"; its third schedules a fourth one second
// later, as a link's arrival may send again on the same link.
struct Owner {
  Owner(Scheduler& s, std::vector<std::string>& l) : scheduler(&s), log(&l) {}
  void arrive() {
    ++count;
    std::string entry = "s";  // appended: GCC 12 warns falsely on "s" + std::to_string()
    entry += std::to_string(count);
    entry += '@';
    entry += std::to_string(scheduler->now().time_since_epoch() / 1s);
    log->push_back(entry);
    if (count == 3) stream.schedule_at(scheduler->now() + 1s);
  }
  Scheduler* scheduler;
  std::vector<std::string>* log;
  int count = 0;
  EventStream stream = EventStream::bind<&Owner::arrive>(*scheduler, *this);
};
}  // namespace

TEST_CASE("a stream's events and other events at the same time run in scheduling order") {
  Scheduler s;
  std::vector<std::string> log;
  Owner owner(s, log);
  EventStream& stream = owner.stream;
  const auto plain = [&](const char* name) { return [&log, name] { log.push_back(name); }; };
  s.schedule_at(at(1s), plain("a@1"));
  stream.schedule_at(at(1s));
  s.schedule_at(at(1s), plain("b@1"));
  stream.schedule_at(at(1s));
  stream.schedule_at(at(2s));
  s.schedule_at(at(2s), plain("c@2"));
  s.schedule_at(at(3s), plain("d@3"));  // before the fourth stream event, scheduled at 2 s
  CHECK(s.counters().pending == 7);
  s.run();
  const std::vector<std::string> want = {"a@1",  "s1@1", "b@1", "s2@1",
                                         "s3@2", "c@2",  "d@3", "s4@3"};
  CHECK(log == want);
  CHECK(s.counters().executed == 8);
  CHECK(s.counters().pending == 0);
}

TEST_CASE("destroying a stream drops its pending events, counted as cancelled") {
  Scheduler s;
  std::vector<std::string> log;
  {
    Owner owner(s, log);
    owner.stream.schedule_at(at(1s));
    owner.stream.schedule_at(at(2s));
    s.schedule_at(at(3s), [&log] { log.push_back("plain@3"); });
    s.run_until(at(1s));
    CHECK(log == std::vector<std::string>{"s1@1"});
    CHECK(s.counters().pending == 2);
  }
  CHECK(s.counters().pending == 1);
  CHECK(s.counters().cancelled == 1);
  s.run();
  CHECK(log == std::vector<std::string>{"s1@1", "plain@3"});
}

TEST_CASE("a stream event before the stream's last one, or before now, is refused") {
  const auto [signal, printed] = run_in_child([] {
    Scheduler s;
    std::vector<std::string> log;
    Owner owner(s, log);
    owner.stream.schedule_at(at(2s));
    owner.stream.schedule_at(at(1s));
  });
  CHECK(signal == SIGABRT);
  CHECK(printed.find("before the stream's last") != std::string::npos);

  const auto [signal2, printed2] = run_in_child([] {
    Scheduler s;
    std::vector<std::string> log;
    Owner owner(s, log);
    s.schedule_at(at(2s), [] {});
    s.run();
    owner.stream.schedule_at(at(1s));
  });
  CHECK(signal2 == SIGABRT);
  CHECK(printed2.find("before now()") != std::string::npos);
}

namespace {
// A stream whose first event stops the run (as a model that ends a run on an arrival may).
struct Stopper {
  explicit Stopper(Scheduler& s) : scheduler(&s) {}
  void arrive() {
    ++count;
    if (count == 1) scheduler->stop();
  }
  Scheduler* scheduler;
  int count = 0;
  EventStream stream = EventStream::bind<&Stopper::arrive>(*scheduler, *this);
};
}  // namespace

TEST_CASE("stop() in a stream's event ends the run after it, and a budget counts stream events") {
  Scheduler s;
  Stopper stopper(s);
  stopper.stream.schedule_at(at(1s));
  stopper.stream.schedule_at(at(1s));
  stopper.stream.schedule_at(at(2s));
  s.run_until(at(10s));
  CHECK(stopper.count == 1);
  CHECK(s.now() == at(1s));  // stopped: not the limit
  s.run_until(at(10s));
  CHECK(stopper.count == 3);
  CHECK(s.now() == at(10s));

  // A budget of 4 events in all: a plain event and three of the stream's (the first stops the
  // run, the second run goes on) leave the last of four stream events pending.
  Scheduler b;
  Stopper counted(b);
  int plain = 0;
  b.schedule_at(at(1s), [&] { ++plain; });
  for (const auto t : {1s, 2s, 3s, 4s}) counted.stream.schedule_at(at(t));
  b.set_event_budget(4);
  b.run_until(at(10s));  // the plain event, then the stream's first: stop()
  CHECK(plain == 1);
  CHECK(counted.count == 1);
  b.run_until(at(10s));  // two more: the budget
  CHECK(counted.count == 3);
  CHECK(b.now() == at(3s));  // cut short at the last event run, as by stop()
  CHECK(b.counters().pending == 1);
}
