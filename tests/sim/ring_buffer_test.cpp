// RingBuffer: a FIFO in a power-of-two array that doubles when full. Elements come out in the
// order they went in, across the wrap of the array and across a growth while wrapped.
#include "sim/ring_buffer.hpp"

#include <doctest/doctest.h>

#include <cstdint>

namespace synlab::sim {
namespace {

struct Pair {  // an aggregate, as a link's packet in flight
  std::uint64_t a = 0;
  std::uint32_t b = 0;
};

TEST_CASE("RingBuffer keeps FIFO order across its wrap and a growth while wrapped") {
  RingBuffer<std::uint64_t> ring;
  std::uint64_t next_in = 0;
  std::uint64_t next_out = 0;
  // 10 in, 6 out: the first array (16 slots) then holds 4 from slot 6 on. Another 14 in fill slots
  // 10..15 and 0..5, and the 13th of them finds it full with its head at 6: it grows wrapped.
  for (int i = 0; i < 10; ++i) ring.push_back(next_in++);
  for (int i = 0; i < 6; ++i) {
    CHECK(ring.front() == next_out++);
    ring.pop_front();
  }
  for (int i = 0; i < 14; ++i) ring.push_back(next_in++);
  REQUIRE(ring.size() == 18);
  CHECK(ring.back() == 23);
  for (std::size_t i = 0; i < ring.size(); ++i) CHECK(ring[i] == 6 + i);
  while (!ring.empty()) {
    CHECK(ring.front() == next_out++);
    ring.pop_front();
  }
  CHECK(next_out == 24);
}

TEST_CASE("RingBuffer emplace_back appends the aggregate of its arguments, as push_back does") {
  RingBuffer<Pair> by_emplace;
  RingBuffer<Pair> by_push;
  for (std::uint32_t i = 0; i < 40; ++i) {  // at most 27 held: one growth (16 to 32 slots)
    by_emplace.emplace_back(std::uint64_t{1000} + i, i);
    by_push.push_back(Pair{std::uint64_t{1000} + i, i});
    if (i % 3 == 2) {  // pop one of every three: the head moves, the array wraps
      by_emplace.pop_front();
      by_push.pop_front();
    }
  }
  REQUIRE(by_emplace.size() == 40 - 13);
  REQUIRE(by_push.size() == by_emplace.size());
  for (std::size_t i = 0; i < by_emplace.size(); ++i) {
    CHECK(by_emplace[i].a == 1013 + i);  // the 13 popped were the first 13
    CHECK(by_emplace[i].b == 13 + i);
    CHECK(by_push[i].a == by_emplace[i].a);
    CHECK(by_push[i].b == by_emplace[i].b);
  }
}

}  // namespace
}  // namespace synlab::sim
