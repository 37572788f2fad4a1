// Timer: arm, re-arm, cancel, deadline edges, and cancellation on destruction.
#include "sim/timer.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <vector>

using namespace std::chrono_literals;
using synlab::sim::at;
using synlab::sim::Scheduler;
using synlab::sim::Time;
using synlab::sim::Timer;

TEST_CASE("a timer fires at its deadline, not 1 ns before") {
  Scheduler s;
  std::vector<Time> fired;
  Timer t(s, [&] { fired.push_back(s.now()); });
  t.arm_in(1s);
  CHECK(t.armed());
  CHECK(t.deadline() == at(1s));
  s.run_until(at(1s) - 1ns);
  CHECK(fired.empty());
  CHECK(t.armed());
  s.run_until(at(1s));
  CHECK(fired == std::vector<Time>{at(1s)});
  CHECK_FALSE(t.armed());
}

TEST_CASE("re-arming moves the deadline, the old one never fires") {
  Scheduler s;
  std::vector<Time> fired;
  Timer t(s, [&] { fired.push_back(s.now()); });
  t.arm_at(at(1s));
  s.schedule_at(at(500ms), [&] { t.arm_in(1s); });  // like an ACK restarting the RTO timer
  s.run();
  CHECK(fired == std::vector<Time>{at(1500ms)});
}

TEST_CASE("a timer re-armed from its own expiry backs off") {
  // RTO doubling: expiries at 1 s, 1+2 = 3 s, 3+4 = 7 s (RFC 6298 5.5).
  Scheduler s;
  std::vector<Time> fired;
  auto rto = 1s;
  std::unique_ptr<Timer> t;
  t = std::make_unique<Timer>(s, [&] {
    fired.push_back(s.now());
    rto *= 2;
    if (fired.size() < 3) t->arm_in(rto);
  });
  t->arm_in(rto);
  s.run();
  CHECK(fired == std::vector<Time>{at(1s), at(3s), at(7s)});
}

TEST_CASE("cancel disarms, destroying an armed timer cancels it") {
  Scheduler s;
  int fired = 0;
  Timer a(s, [&] { ++fired; });
  a.arm_in(1s);
  a.cancel();
  CHECK_FALSE(a.armed());
  a.cancel();  // harmless
  {
    Timer b(s, [&] { ++fired; });
    b.arm_in(2s);
  }  // b's event would call into a dead object if it were not cancelled
  s.run();
  CHECK(fired == 0);
  CHECK(s.counters().cancelled == 2);
}
