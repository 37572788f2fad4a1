// ns3_kernel_bench: kernel_bench's event patterns on ns-3's simulator core, the peer synlab
// measures itself against, for each of its schedulers. Run it beside kernel_bench on the
// same machine at the same time: the ratio is the figure that means something on a shared
// host (docs/kernel.md). Built only when Debian's libns3-dev is installed.
//   1. a chain of self-rescheduling events (1 ns apart);
//   2. the hold model (pop one, push one at now + U[0, 2000) ns) at 1,000 and 100,000
//      pending events;
//   3. a retransmission timer re-armed (Cancel + Schedule) on every ACK, ACKs 10 us apart.
// Usage: ns3_kernel_bench [--repeat N] [--events N]   (best of N runs, default 3)
// C++17: ns-3 3.37's headers are not valid C++20 (so no synlab header here either).
#include <ns3/core-module.h>
#include <ns3/version-defines.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

namespace {

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Events per second of thread CPU time for `measured`, after `warm_up`, on a fresh simulator
// using `scheduler`.
double measure(const std::string& scheduler, const std::function<void()>& warm_up,
               const std::function<std::uint64_t()>& measured) {
  ns3::ObjectFactory factory;
  factory.SetTypeId(scheduler);
  ns3::Simulator::SetScheduler(factory);
  warm_up();
  const double start = thread_cpu_seconds();
  const std::uint64_t events = measured();
  const double seconds = thread_cpu_seconds() - start;
  ns3::Simulator::Destroy();
  return static_cast<double>(events) / seconds;
}

std::uint64_t left = 0;

void chain_step() {
  if (--left > 0) ns3::Simulator::Schedule(ns3::NanoSeconds(1), &chain_step);
}

double chain(const std::string& scheduler, std::uint64_t n) {
  return measure(
      scheduler, [] {},
      [n] {
        left = n;
        ns3::Simulator::Schedule(ns3::NanoSeconds(0), &chain_step);
        ns3::Simulator::Run();
        return n;
      });
}

// PCG32 (O'Neill's pcg32_random_r), as synlab's kernel uses, for the hold model's increments.
std::uint64_t pcg_state = 0x853c49e6748fea9bULL;
std::uint32_t below(std::uint32_t bound) {
  const std::uint64_t old = pcg_state;
  pcg_state = old * 6364136223846793005ULL + 1442695040888963407ULL;
  const auto xorshifted = static_cast<std::uint32_t>(((old >> 18u) ^ old) >> 27u);
  const auto rot = static_cast<std::uint32_t>(old >> 59u);
  const std::uint32_t x = (xorshifted >> rot) | (xorshifted << ((32u - rot) & 31u));
  return static_cast<std::uint32_t>((std::uint64_t{x} * bound) >> 32u);  // bias < 2^-20
}

void hold_step() {
  if (left == 0) return ns3::Simulator::Stop();
  --left;
  ns3::Simulator::Schedule(ns3::NanoSeconds(below(2000)), &hold_step);
}

double hold(const std::string& scheduler, std::uint64_t pending, std::uint64_t n) {
  return measure(
      scheduler,
      [&] {
        for (std::uint64_t i = 0; i < pending; ++i)
          ns3::Simulator::Schedule(ns3::NanoSeconds(below(2000)), &hold_step);
        left = pending;  // warm-up: cycle the whole set once, as kernel_bench does
        ns3::Simulator::Run();
      },
      [n] {
        left = n;
        ns3::Simulator::Run();
        return n;
      });
}

ns3::EventId rto;
std::uint64_t expiries = 0;

void rto_expired() {
  ++expiries;
}

void ack() {
  rto.Cancel();  // RFC 6298 (5.3): restart the timer on an ACK of new data
  rto = ns3::Simulator::Schedule(ns3::Seconds(1), &rto_expired);
  if (--left > 0) ns3::Simulator::Schedule(ns3::MicroSeconds(10), &ack);
}

double timer_rearm(const std::string& scheduler, std::uint64_t n) {
  return measure(
      scheduler, [] {},
      [n] {
        left = n;
        ns3::Simulator::Schedule(ns3::NanoSeconds(0), &ack);
        ns3::Simulator::Stop(ns3::NanoSeconds(static_cast<std::int64_t>(n) * 10'000));
        ns3::Simulator::Run();
        return n;
      });
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 3;
  std::uint64_t events = 10'000'000;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (arg == "--events" && i + 1 < argc) {
      events = std::strtoull(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr,
                   "usage: ns3_kernel_bench [--repeat N] [--events N]\n"
                   "  kernel_bench's patterns on ns-3's schedulers: M events/s per second of\n"
                   "  thread CPU time, best of N runs (default 3) of N events (10 million).\n");
      return arg == "--help" || arg == "-h" ? 0 : 2;
    }
  }
  struct Pattern {
    const char* name;
    std::function<double(const std::string&)> run;
  };
  const std::vector<Pattern> patterns = {
      {"chain", [&](const std::string& s) { return chain(s, events); }},
      {"hold 1k", [&](const std::string& s) { return hold(s, 1'000, events); }},
      {"hold 100k", [&](const std::string& s) { return hold(s, 100'000, events); }},
      {"timer", [&](const std::string& s) { return timer_rearm(s, events); }},
  };
  // ListScheduler is left out: a linear insert, hopeless at 100,000 pending events.
  const std::vector<std::string> schedulers = {"ns3::MapScheduler", "ns3::HeapScheduler",
                                               "ns3::CalendarScheduler",
                                               "ns3::PriorityQueueScheduler"};
  std::printf("ns3_kernel_bench: ns-3 %d.%d simulator core, one thread, best of %d (thread CPU)\n",
              NS3_VERSION_MAJOR, NS3_VERSION_MINOR, repeat);
  std::printf("%-30s", "M events/s");
  for (const Pattern& p : patterns) std::printf("%12s", p.name);
  std::printf("\n");
  std::vector<double> best(patterns.size(), 0.0);
  for (const std::string& scheduler : schedulers) {
    std::printf("%-30s", scheduler.c_str());
    std::fflush(stdout);
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      double rate = 0;
      for (int r = 0; r < repeat; ++r) rate = std::max(rate, patterns[i].run(scheduler));
      best[i] = std::max(best[i], rate);
      std::printf("%12.2f", rate / 1e6);
      std::fflush(stdout);
    }
    std::printf("\n");
  }
  std::printf("%-30s", "best");
  for (const double b : best) std::printf("%12.2f", b / 1e6);
  std::printf("\n");
}
