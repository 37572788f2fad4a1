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
// Only glibc's malloc on 64-bit Linux is tuned, and only heaps that are glibc's are advised (a
// thread arena's first heap, checked by its header; the main heap). An ASan build leaves all of it
// out. No result depends on it: only where memory comes from. Its cost: a small run's peak RSS
// grows by a few MB (memory comes in 2 MiB pages), and MADV_COLLAPSE may wait for the kernel to
// find a free 2 MiB page at each simulation thread's start.
#pragma once

#include <cstddef>

namespace synlab::app {

// Once, before the simulation threads start: each heap glibc creates from then on is wholly
// usable at once (a thread's heap is reserved at 64 MiB, arena.c's HEAP_MAX_SIZE) and keeps that
// much at its top, blocks below 32 MiB come from the heaps rather than from mmaps of their own,
// and the main heap gives memory back only when 64 MiB at its top are free. Memory not touched
// is not resident, so the peak RSS still follows what the run uses.
void prefer_large_heaps() noexcept;

// At the start of a thread that allocates: asks for huge pages on the heap this thread's malloc
// arena takes from (found by an allocation and checked in /proc/self/maps). A thread arena's
// first heap is advised whole (a further heap, for a thread that needs more than 64 MiB, is
// not), and its first 2 MiB, which glibc already touched, collapsed into one huge page. The main
// thread's heap (brk's) is grown first, as brk's growth past an advised mapping would not be
// advised; what it grows past that is not advised either.
void use_huge_pages_for_this_thread() noexcept;

// Asks for huge pages on the whole 4 KiB pages of [data, data + bytes): for a block that may be
// 32 MiB or more, which glibc maps on its own rather than taking it from a heap (for a smaller
// one, in an advised heap already, it changes nothing).
void advise_huge_pages(void* data, std::size_t bytes) noexcept;

}  // namespace synlab::app
