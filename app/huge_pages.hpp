// Transparent huge pages for the heaps the simulation threads allocate from: fewer and cheaper
// page faults while a run's memory grows (issue 11, end to end at small N).
//
// A run's memory grows until its live connections reach their steady number (10,000 in TIME-WAIT
// for the benchmark scenario of bench/run_bench.sh), and each first touch of a 4 KiB page is a
// page fault. On the virtual machines we measure on these are dear, about 12 us each: 64 MiB
// touched page by page took 190 to 240 ms, and 4 to 22 ms with transparent huge pages once 2 MiB
// pages were free. A run of 10,000 connections spent some 40 ms of its 60 to 100 in them. THP on
// these machines is in "madvise" mode: a region has to ask for huge pages.
//
// Only glibc's malloc is tuned, and only a thread's own arena is advised. Under another allocator
// (ASan's, say) both calls do nothing. No result depends on them: only where memory comes from.
#pragma once

#include <cstddef>

namespace synlab::app {

// Once, before the simulation threads start: each heap glibc creates from then on is wholly
// usable at once (a thread's heap is reserved at 64 MiB, arena.c's HEAP_MAX_SIZE), blocks up to
// 32 MiB come from the heaps rather than from mmaps of their own, and a heap is not shrunk.
// Memory not touched is not resident, so the peak RSS still follows what the run uses.
void prefer_large_heaps() noexcept;

// At the start of a thread that allocates: asks for huge pages on the heap this thread's malloc
// arena takes from (found by an allocation and checked in /proc/self/maps). A thread's own heap
// is advised whole, and its first 2 MiB, which glibc already touched, collapsed into one huge
// page; the main thread's heap (brk's) is grown first, as brk's growth past an advised mapping
// would not be advised.
void use_huge_pages_for_this_thread() noexcept;

// Asks for huge pages on the whole 4 KiB pages of [data, data + bytes): for a block of 32 MiB or
// more, which glibc maps on its own rather than taking it from a heap.
void advise_huge_pages(void* data, std::size_t bytes) noexcept;

}  // namespace synlab::app
