// prefer_large_heaps, use_huge_pages_for_this_thread (see huge_pages.hpp).
#include "app/huge_pages.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#endif

namespace synlab::app {

#if defined(__linux__) && defined(__GLIBC__)
namespace {

// glibc's HEAP_MAX_SIZE on 64-bit systems: a thread arena's heap is reserved at this size and
// this alignment, and grows within it.
constexpr std::uintptr_t heap_reservation = std::uintptr_t{64} << 20;
constexpr std::size_t huge_page = std::size_t{2} << 20;
#ifndef MADV_COLLAPSE
constexpr int MADV_COLLAPSE = 25;  // Linux 6.1; newer than Debian 12's glibc headers
#endif

// Whether a mapping in /proc/self/maps starts at `start` and is anonymous (no file, no "[heap]"),
// as glibc's mapping of a thread heap is.
bool anonymous_mapping_starts_at(std::uintptr_t start) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    // "7f1230000000-7f1230021000 rw-p 00000000 00:00 0", then the name of a named mapping.
    if (std::strtoull(line.c_str(), nullptr, 16) != start) continue;
    std::size_t i = 0;
    for (int field = 0; field < 5 && i < line.size(); ++field) {
      while (i < line.size() && line[i] != ' ') ++i;
      while (i < line.size() && line[i] == ' ') ++i;
    }
    return i >= line.size();
  }
  return false;
}

}  // namespace

void prefer_large_heaps() noexcept {
  // M_TOP_PAD: a new heap is made usable whole. A huge page is only given where its 2 MiB are all
  // usable when first touched; a heap grown a little at a time leaves 4 KiB pages at each edge.
  mallopt(M_TOP_PAD, static_cast<int>(heap_reservation));
  // M_MMAP_THRESHOLD: up to 32 MiB (glibc's largest) from the heap, as a growing vector of the
  // live connections, rather than from an mmap of its own in 4 KiB pages.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  // M_TRIM_THRESHOLD: glibc maps a shrunk heap's top anew, without the advice; never shrink.
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(heap_reservation));
}

void use_huge_pages_for_this_thread() noexcept {
  try {
    void* probe = std::malloc(64);
    if (probe == nullptr) return;
    const std::uintptr_t base = reinterpret_cast<std::uintptr_t>(probe) & ~(heap_reservation - 1);
    std::free(probe);
    if (!anonymous_mapping_starts_at(base)) return;
    void* const heap = reinterpret_cast<void*>(base);
    // Hints: a kernel without them, or without a free huge page, leaves 4 KiB pages.
    if (::madvise(heap, heap_reservation, MADV_HUGEPAGE) == 0)
      ::madvise(heap, huge_page, MADV_COLLAPSE);
  } catch (...) {  // reading /proc/self/maps: nothing is lost but the hint
  }
}

#else
void prefer_large_heaps() noexcept {}
void use_huge_pages_for_this_thread() noexcept {}
#endif

}  // namespace synlab::app
