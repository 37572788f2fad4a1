// prefer_large_heaps, use_huge_pages_for_this_thread (app/huge_pages.hpp): a thread that calls
// them, a thread of its own or the main one, allocates from a heap that asks the kernel for
// transparent huge pages ("hg" among its VmFlags in /proc/self/smaps), and what it allocates is
// as usable as before. prefer_large_heaps() stays in force for the cases after these in the same
// process, as it does for every run of synlab.
#include "app/huge_pages.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace synlab::app {
namespace {

// The VmFlags of the mapping that holds `p`, from /proc/self/smaps ("" if none does).
std::string vm_flags_of(const void* p) {
  const auto at = reinterpret_cast<std::uintptr_t>(p);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t from = 0;
    std::uintptr_t to = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> from >> dash >> to && dash == '-') {
      inside = from <= at && at < to;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line.substr(8) + " ";
    }
  }
  return "";
}

// Whether the cases can check anything here: glibc's malloc (not ASan's) and a kernel with
// transparent huge pages.
bool checkable() {
#if !defined(__linux__) || !defined(__GLIBC__) || defined(__SANITIZE_ADDRESS__)
  MESSAGE("skipped: not glibc's malloc");
  return false;
#else
  if (std::filesystem::exists("/sys/kernel/mm/transparent_hugepage/enabled")) return true;
  MESSAGE("skipped: the kernel has no transparent huge pages");
  return false;
#endif
}

// A block of 3 MiB (from a heap now, not an mmap of its own), filled with a pattern of `step`.
std::vector<std::uint8_t> filled(unsigned step) {
  std::vector<std::uint8_t> v(3u << 20);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<std::uint8_t>(i * step);
  return v;
}

bool still_filled(const std::vector<std::uint8_t>& v, unsigned step) {
  bool same = v.size() == 3u << 20;
  for (std::size_t i = 0; i < v.size(); ++i)
    same = same && v[i] == static_cast<std::uint8_t>(i * step);
  return same;
}

TEST_CASE("a simulation thread's heap asks for transparent huge pages") {
  if (!checkable()) return;
  std::string flags;
  std::vector<std::uint8_t> kept;
  prefer_large_heaps();
  std::thread t([&] {
    use_huge_pages_for_this_thread();
    kept = filled(7);
    flags = vm_flags_of(kept.data());
  });
  t.join();
  CHECK(flags.find(" hg ") != std::string::npos);
  CHECK(still_filled(kept, 7));
}

TEST_CASE("the main thread's heap (brk's) asks for transparent huge pages too") {
  if (!checkable()) return;
  prefer_large_heaps();
  use_huge_pages_for_this_thread();  // doctest runs the cases on the process's main thread
  const std::vector<std::uint8_t> v = filled(5);
  CHECK(vm_flags_of(v.data()).find(" hg ") != std::string::npos);
  CHECK(still_filled(v, 5));
}

}  // namespace
}  // namespace synlab::app
