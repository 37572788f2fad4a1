// prefer_large_heaps, use_huge_pages_for_this_thread, advise_huge_pages (see huge_pages.hpp).
#include "app/huge_pages.hpp"

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

// glibc's malloc on 64-bit Linux only; ASan's allocator replaces it (and would see the read of
// glibc's heap header below as one of its own memory). GCC says ASan by __SANITIZE_ADDRESS__,
// clang by __has_feature.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SYNLAB_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SYNLAB_ASAN 1
#endif
#if defined(__linux__) && defined(__GLIBC__) && UINTPTR_MAX == UINT64_MAX && !defined(SYNLAB_ASAN)
#define SYNLAB_HUGE_PAGES 1
#include <malloc.h>
#include <sys/mman.h>
#endif

namespace synlab::app {

#ifdef SYNLAB_HUGE_PAGES
namespace {

// glibc's HEAP_MAX_SIZE on 64-bit systems: a thread arena's heap is reserved at this size and
// this alignment, and grows within it.
constexpr std::uintptr_t heap_reservation = std::uintptr_t{64} << 20;
constexpr std::size_t huge_page = std::size_t{2} << 20;
#ifndef MADV_COLLAPSE
constexpr int MADV_COLLAPSE = 25;  // Linux 6.1; newer than Debian 12's glibc headers
#endif

// The mapping of /proc/self/maps that holds an address: its range, whether it is readable and
// writable, and whether it is anonymous (no file: glibc's mapping of a thread heap) or the main
// heap ("[heap]", grown by brk).
struct Mapping {
  std::uintptr_t from = 0;
  std::uintptr_t to = 0;
  bool read_write = false;
  enum class Kind { Anonymous, MainHeap, Other } kind = Kind::Other;
};

std::optional<Mapping> mapping_of(std::uintptr_t address) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    // "7f1230000000-7f1230021000 rw-p 00000000 00:00 0", then the name of a named mapping.
    char* end = nullptr;
    Mapping m;
    m.from = std::strtoull(line.c_str(), &end, 16);
    if (end == nullptr || *end != '-') continue;
    m.to = std::strtoull(end + 1, &end, 16);
    if (address < m.from || address >= m.to) continue;
    const std::string_view rest(end);
    m.read_write = rest.substr(0, 3) == " rw";
    std::size_t i = 0;
    for (int field = 0; field < 5 && i < line.size(); ++field) {
      while (i < line.size() && line[i] != ' ') ++i;
      while (i < line.size() && line[i] == ' ') ++i;
    }
    const std::string_view name = std::string_view(line).substr(i);
    m.kind = name.empty()       ? Mapping::Kind::Anonymous
             : name == "[heap]" ? Mapping::Kind::MainHeap
                                : Mapping::Kind::Other;
    return m;
  }
  return std::nullopt;
}

// Whether `m`, which holds an allocation of this thread, is glibc's first heap of a thread arena
// starting at `base`: an anonymous mapping from there, no larger than the reservation, and at
// its start the heap's header, whose first field points to the arena that glibc puts right
// after it (arena.c: heap_info.ar_ptr, _int_new_arena's "a = h->ar_ptr = (mstate) (h + 1)").
bool is_thread_heap(const Mapping& m, std::uintptr_t base) {
  if (m.kind != Mapping::Kind::Anonymous || !m.read_write || m.from != base ||
      m.to - m.from > heap_reservation)
    return false;
  const std::uintptr_t arena = *reinterpret_cast<const std::uintptr_t*>(base);
  return arena > base && arena < base + 4096;
}

}  // namespace

void prefer_large_heaps() noexcept {
  // M_TOP_PAD: a heap grows by 64 MiB beyond a request, so a new thread heap is usable whole at
  // once. A huge page is only given where its 2 MiB are all usable when first touched; a heap
  // grown a little at a time leaves 4 KiB pages at each edge. It also keeps a thread heap from
  // giving back the top it has (glibc's heap_trim keeps M_TOP_PAD).
  mallopt(M_TOP_PAD, static_cast<int>(heap_reservation));
  // M_MMAP_THRESHOLD: blocks below 32 MiB (glibc's largest threshold) from the heaps, as a
  // growing vector of the live connections, rather than from mmaps of their own in 4 KiB pages.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  // M_TRIM_THRESHOLD: the main heap gives memory back only when 64 MiB at its top are free, not
  // at every large free; what was given back would be touched anew, page by page.
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(heap_reservation));
}

void use_huge_pages_for_this_thread() noexcept {
  try {
    void* probe = std::malloc(64);
    if (probe == nullptr) return;
    const auto at = reinterpret_cast<std::uintptr_t>(probe);
    std::free(probe);
    const std::uintptr_t base = at & ~(heap_reservation - 1);
    const std::optional<Mapping> m = mapping_of(at);
    if (m && is_thread_heap(*m, base)) {
      // A thread's heap: advise its whole reservation (what glibc has not made usable yet keeps
      // the advice when it is). A heap glibc adds once this one is full is not advised.
      void* const heap = reinterpret_cast<void*>(base);
      // Hints: a kernel without them, or without a free huge page, leaves 4 KiB pages.
      if (::madvise(heap, heap_reservation, MADV_HUGEPAGE) == 0)
        ::madvise(heap, huge_page, MADV_COLLAPSE);
    } else if (m && m->kind == Mapping::Kind::MainHeap) {
      // The main thread's heap grows by brk, and a piece brk adds to an advised mapping is a
      // mapping of its own, without the advice. So it is grown first (by M_TOP_PAD, from
      // prefer_large_heaps, beyond what is asked: nothing is touched), then advised as it is.
      void* volatile grow = std::malloc(std::size_t{16} << 20);  // volatile: not left out
      std::free(grow);
      if (const std::optional<Mapping> grown = mapping_of(at))
        ::madvise(reinterpret_cast<void*>(grown->from), grown->to - grown->from, MADV_HUGEPAGE);
    }
  } catch (...) {  // reading /proc/self/maps: nothing is lost but the hint
  }
}

void advise_huge_pages(void* data, std::size_t bytes) noexcept {
  constexpr std::uintptr_t page = 4096;
  const auto from = (reinterpret_cast<std::uintptr_t>(data) + page - 1) & ~(page - 1);
  const auto to = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(page - 1);
  if (from < to) ::madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);  // a hint
}

#else
void prefer_large_heaps() noexcept {}
void use_huge_pages_for_this_thread() noexcept {}
void advise_huge_pages(void*, std::size_t) noexcept {}
#endif

}  // namespace synlab::app
