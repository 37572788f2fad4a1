// kernel_bench: events per second, peak memory and allocations of the event kernel.
//   1. a chain of self-rescheduling events;
//   2. the hold model (pop one, push one at now + random increment) at 1,000 and 100,000
//      pending events;
//   3. a TCP-style retransmission timer re-armed (cancel + schedule) on every ACK;
//   4. the cost of a trace call with no sink attached;
//   5. packets per second through one link direction, with and without loss (packet_bench).
// Usage: kernel_bench [--quick] [--repeat N]   (best of N runs, default 3)
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>

#include "bench_support.hpp"
#include "packet_bench.hpp"
#include "sim/random_stream.hpp"
#include "sim/scheduler.hpp"
#include "sim/time.hpp"
#include "sim/timer.hpp"
#include "sim/trace.hpp"

using namespace std::chrono_literals;
using synlab::bench::Result;
using synlab::sim::Duration;
using synlab::sim::RandomStream;
using synlab::sim::Scheduler;
using synlab::sim::Timer;

namespace {

// CPU time of this thread: the figure for "one core", unaffected by time spent descheduled
// while other processes share the machine.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Times `measured` after `warm_up`; counts allocations and peak RSS of the measured part only.
Result measure(const std::string& pattern, const std::function<void()>& warm_up,
               const std::function<std::uint64_t(Scheduler&)>& measured, Scheduler& s) {
  warm_up();
  synlab::bench::reset_peak_rss();
  const std::uint64_t allocations_before = synlab::bench::allocations();
  const std::uint64_t executed_before = s.counters().executed;
  const double start = thread_cpu_seconds();
  const std::uint64_t work = measured(s);
  const double seconds = thread_cpu_seconds() - start;
  Result r;
  r.pattern = pattern;
  r.events = work != 0 ? work : s.counters().executed - executed_before;
  r.seconds = seconds;
  r.allocations_per_event = static_cast<double>(synlab::bench::allocations() - allocations_before) /
                            static_cast<double>(r.events);
  r.peak_mib = synlab::bench::peak_rss_mib();
  r.peak_pending = s.counters().peak_pending;
  return r;
}

// 1. One event that schedules its successor 1 ns later, `n` times.
Result chain(std::uint64_t n) {
  Scheduler s;
  struct Chain {
    Scheduler* s;
    std::uint64_t left;
    void step() {
      if (--left > 0) s->schedule_in(1ns, [this] { step(); });
    }
  } c{&s, n};
  return measure(
      "chain: self-rescheduling events", [] {},
      [&](Scheduler& sch) {
        sch.schedule_in(0ns, [&c] { c.step(); });
        sch.run();
        return std::uint64_t{0};
      },
      s);
}

// 2. Hold model: `pending` events; each one, when run, schedules one at now + U[0, 2000) ns.
Result hold(std::uint64_t pending, std::uint64_t n) {
  Scheduler s;
  RandomStream random(1, "hold");
  struct Hold {
    Scheduler* s;
    RandomStream* random;
    std::uint64_t left;
    void step() {
      if (left == 0) return s->stop();
      --left;
      s->schedule_in(Duration{random->below(2000)}, [this] { step(); });
    }
  } h{&s, &random, 0};
  return measure(
      "hold: " + std::to_string(pending) + " pending",
      [&] {
        for (std::uint64_t i = 0; i < pending; ++i)
          s.schedule_in(Duration{random.below(2000)}, [&h] { h.step(); });
        h.left = pending;  // warm-up: cycle the whole set once so the pool is at full size
        s.run();
        h.left = n;
      },
      [&](Scheduler& sch) {
        sch.run();
        return n;
      },
      s);
}

// 3. A retransmission timer re-armed on each of `n` ACKs arriving every 10 us.
Result timer_rearm(std::uint64_t n) {
  Scheduler s;
  std::uint64_t expiries = 0;
  Timer rto(s, [&] { ++expiries; });
  struct Acks {
    Scheduler* s;
    Timer* rto;
    std::uint64_t left;
    void ack() {
      rto->arm_in(1s);  // RFC 6298 (5.3): restart the timer on an ACK of new data
      if (--left > 0) s->schedule_in(10us, [this] { ack(); });
    }
  } acks{&s, &rto, 0};
  Result r = measure(
      "timer: re-arm on every ACK (cancel+schedule)",
      [&] {
        acks.left = 1000;
        s.schedule_in(0ns, [&acks] { acks.ack(); });
        s.run_until(s.now() + 20ms);
        acks.left = n;
      },
      [&](Scheduler& sch) {
        sch.schedule_in(0ns, [&acks] { acks.ack(); });
        sch.run_until(sch.now() + Duration{static_cast<std::int64_t>(n) * 10'000});
        return n;
      },
      s);
  r.pattern += " [re-arms]";
  return r;
}

// 4. The chain again, with one trace call per event and no sink attached.
struct Record {
  std::int64_t time;
  std::uint64_t value;
};
Result chain_traced(std::uint64_t n) {
  Scheduler s;
  const synlab::sim::Trace<Record> trace;  // no sinks: tracing off
  struct Chain {
    Scheduler* s;
    const synlab::sim::Trace<Record>* trace;
    std::uint64_t left;
    void step() {
      trace->write_with([this] { return Record{to_ns(s->now()), left}; });
      if (--left > 0) s->schedule_in(1ns, [this] { step(); });
    }
  } c{&s, &trace, n};
  return measure(
      "chain + trace call, no sink", [] {},
      [&](Scheduler& sch) {
        sch.schedule_in(0ns, [&c] { c.step(); });
        sch.run();
        return std::uint64_t{0};
      },
      s);
}

Result best_of(int repeat, const std::function<Result()>& run) {
  Result best = run();
  for (int i = 1; i < repeat; ++i) {
    Result r = run();
    if (r.seconds < best.seconds) best = r;
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  int repeat = 3;
  std::uint64_t events = 10'000'000;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      quick = true;
      repeat = 1;
      events = 10'000;
    } else if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else if (arg == "--events" && i + 1 < argc) {
      events = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: kernel_bench [--quick] [--repeat N] [--events N] [--only PATTERN]\n"
                   "  Prints events/s (per second of thread CPU time), peak pending events, peak\n"
                   "  RSS and heap allocations per event for the kernel's standard patterns, then\n"
                   "  packets/s through one link direction with and without loss; best of N runs\n"
                   "  (default 3), 10 million events or packets each (--events).\n"
                   "  --only: one of chain, hold1k, hold100k, timer, trace, link, link-bernoulli,\n"
                   "          link-gilbert-elliott.\n"
                   "  --quick: 10,000 events, one run (a smoke test; figures mean nothing).\n");
      return 2;
    }
  }
  (void)quick;
  std::printf("kernel_bench: synlab event kernel, one thread, best of %d (thread CPU time)\n",
              repeat);
  synlab::bench::print_header();
  auto run = [&](const char* name, const std::function<Result()>& pattern) {
    if (only.empty() || only == name) synlab::bench::print(best_of(repeat, pattern));
  };
  run("chain", [&] { return chain(events); });
  run("hold1k", [&] { return hold(1'000, events); });
  run("hold100k", [&] { return hold(100'000, events); });
  run("timer", [&] { return timer_rearm(events); });
  run("trace", [&] { return chain_traced(events); });
  if (only.empty() || only.rfind("link", 0) == 0) {
    std::printf("\n");
    synlab::bench::print_header("packets");
  }
  using synlab::bench::BenchLoss;
  run("link", [&] { return synlab::bench::link_packets(BenchLoss::None, events); });
  run("link-bernoulli", [&] { return synlab::bench::link_packets(BenchLoss::Bernoulli, events); });
  run("link-gilbert-elliott",
      [&] { return synlab::bench::link_packets(BenchLoss::GilbertElliott, events); });
  return 0;
}
