// Benchmark support: allocation counting, peak memory, and the result table.
#pragma once

#include <cstdint>
#include <string>

namespace synlab::bench {

// Heap allocations made by this process so far (counted by a replaced operator new).
std::uint64_t allocations() noexcept;

// Resets the kernel's peak-RSS mark (Linux /proc/self/clear_refs "5"); returns false if it can't.
bool reset_peak_rss() noexcept;
// Peak resident set size in MiB since the last reset (VmHWM).
double peak_rss_mib() noexcept;

struct Result {
  std::string pattern;
  std::uint64_t events = 0;
  double seconds = 0;
  double allocations_per_event = 0;
  double peak_mib = 0;
  std::uint64_t peak_pending = 0;
};

// `unit`: what Result::events counts ("events", "packets").
void print_header(const char* unit = "events");
void print(const Result& r);

}  // namespace synlab::bench
