// Benchmark support (see bench_support.hpp).
#include "bench_support.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>

namespace {
std::uint64_t allocation_count = 0;  // the benchmarks are single-threaded
}

void* operator new(std::size_t size) {
  ++allocation_count;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

namespace synlab::bench {

std::uint64_t allocations() noexcept {
  return allocation_count;
}

bool reset_peak_rss() noexcept {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  return static_cast<bool>(clear);
}

double peak_rss_mib() noexcept {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  return 0;
}

void print_header(const char* unit) {
  const std::string per_second = std::string("M ") + unit + "/s";
  const std::string per_unit =
      std::string("allocs/") + (std::string(unit) == "packets" ? "packet" : "event");
  std::printf("%-44s %12s %9s %12s %13s %12s %12s\n", "pattern", unit, "seconds",
              per_second.c_str(), "peak pending", "peak RSS MiB", per_unit.c_str());
}

void print(const Result& r) {
  std::printf("%-44s %12llu %9.3f %12.2f %13llu %12.1f %12.6f\n", r.pattern.c_str(),
              static_cast<unsigned long long>(r.events), r.seconds,
              static_cast<double>(r.events) / r.seconds / 1e6,
              static_cast<unsigned long long>(r.peak_pending), r.peak_mib, r.allocations_per_event);
  std::fflush(stdout);
}

}  // namespace synlab::bench
