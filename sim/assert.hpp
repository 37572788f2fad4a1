// SYNLAB_ASSERT: a broken invariant is a bug; say why and abort (STYLE §8).
#pragma once

#include <cstdio>
#include <cstdlib>

namespace synlab::sim::detail {
[[noreturn]] inline void assert_failed(const char* cond, const char* why, const char* file,
                                       int line) {
  std::fprintf(stderr, "synlab: assertion failed: %s\n  %s\n  at %s:%d\n", why, cond, file, line);
  std::abort();
}
}  // namespace synlab::sim::detail

// Kept in release builds: the checks are cheap and a silent wrong result is worse than a stop.
#define SYNLAB_ASSERT(cond, why)                                            \
  do {                                                                      \
    if (!(cond)) [[unlikely]]                                               \
      ::synlab::sim::detail::assert_failed(#cond, why, __FILE__, __LINE__); \
  } while (false)
