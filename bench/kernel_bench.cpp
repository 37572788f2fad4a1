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

using Clock = std::chrono::steady_clock;

// Times `measured` after `warm_up`; counts allocations and peak RSS of the measured part only.
Result measure(const std::string& pattern, const std::function<void()>& warm_up,
               const std::function<std::uint64_t(Scheduler&)>& measured, Scheduler& s) {
  warm_up();
  synlab::bench::reset_peak_rss();
  const std::uint64_t allocations_before = synlab::bench::allocations();
  const std::uint64_t executed_before = s.counters().executed;
  const auto start = Clock::now();
  const std::uint64_t work = measured(s);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
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
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
      repeat = 1;
    } else if (std::strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: kernel_bench [--quick] [--repeat N]\n"
                   "  Prints events/s, peak pending events, peak RSS and heap allocations per\n"
                   "  event for the kernel's standard patterns, then packets/s through one link\n"
                   "  direction with and without loss (best of N runs, default 3).\n"
                   "  --quick: tiny sizes, one run (a smoke test; figures are meaningless).\n");
      return 2;
    }
  }
  const std::uint64_t scale = quick ? 1000 : 1;
  std::printf("kernel_bench: synlab event kernel, one thread, best of %d\n", repeat);
  synlab::bench::print_header();
  synlab::bench::print(best_of(repeat, [&] { return chain(10'000'000 / scale); }));
  synlab::bench::print(best_of(repeat, [&] { return hold(1'000, 10'000'000 / scale); }));
  synlab::bench::print(best_of(repeat, [&] { return hold(100'000, 10'000'000 / scale); }));
  synlab::bench::print(best_of(repeat, [&] { return timer_rearm(10'000'000 / scale); }));
  synlab::bench::print(best_of(repeat, [&] { return chain_traced(10'000'000 / scale); }));
  std::printf("\n");
  synlab::bench::print_header("packets");
  using synlab::bench::BenchLoss;
  for (const BenchLoss loss : {BenchLoss::None, BenchLoss::Bernoulli, BenchLoss::GilbertElliott})
    synlab::bench::print(
        best_of(repeat, [&] { return synlab::bench::link_packets(loss, 10'000'000 / scale); }));
  return 0;
}
