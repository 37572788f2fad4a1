// prefetch(object): asks the processor to bring every cache line of `object` into cache, ahead
// of the reads that need it. A hint: no effect on results, no fault on memory that is gone.
#pragma once

#include <cstddef>

namespace synlab::sim {

inline constexpr std::size_t cache_line_bytes = 64;

template <class T>
void prefetch(const T& object) noexcept {
  const char* const p = reinterpret_cast<const char*>(&object);
  for (std::size_t at = 0; at < sizeof(T); at += cache_line_bytes) __builtin_prefetch(p + at);
}

}  // namespace synlab::sim
