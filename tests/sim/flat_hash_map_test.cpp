// FlatHashMap: lookups, insertion, backward-shift erasure (also across the table's wrap) and
// growth, checked against std::map.
#include "sim/flat_hash_map.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <map>

using synlab::sim::FlatHashMap;
using synlab::sim::IntegerHash;

namespace {
// Every key in one probe run: erasure must shift entries back, not just clear the slot.
struct SameHash {
  std::size_t operator()(std::uint32_t) const noexcept { return 0; }
};
// Key k's home is slot k mod 16 while the table has 16 slots (the first capacity).
struct IdentityHash {
  std::size_t operator()(std::uint32_t k) const noexcept { return k; }
};
}  // namespace

TEST_CASE("FlatHashMap finds what was stored and nothing else") {
  FlatHashMap<std::uint32_t, int, IntegerHash> m;
  CHECK(m.empty());
  CHECK(m.find(7) == nullptr);
  CHECK_FALSE(m.erase(7));
  CHECK(m.emplace(7, 70));
  CHECK_FALSE(m.emplace(7, 71));  // present: kept
  REQUIRE(m.find(7) != nullptr);
  CHECK(*m.find(7) == 70);
  m.insert_or_assign(7, 72);
  CHECK(*m.find(7) == 72);
  m[8] += 3;  // default-constructed first
  CHECK(*m.find(8) == 3);
  CHECK(m.size() == 2);
  CHECK(m.contains(8));
  CHECK_FALSE(m.contains(9));
  CHECK(m.erase(7));
  CHECK_FALSE(m.contains(7));
  CHECK(m.size() == 1);
}

TEST_CASE("FlatHashMap erasure shifts the rest of a probe run back") {
  FlatHashMap<std::uint32_t, std::uint32_t, SameHash> m;
  for (std::uint32_t k = 1; k <= 6; ++k) CHECK(m.emplace(k, 10 * k));
  CHECK(m.erase(1));  // the head of the run
  CHECK(m.erase(4));  // the middle
  for (std::uint32_t k : {2u, 3u, 5u, 6u}) {
    CAPTURE(k);
    REQUIRE(m.find(k) != nullptr);
    CHECK(*m.find(k) == 10 * k);
  }
  CHECK_FALSE(m.contains(1));
  CHECK_FALSE(m.contains(4));
  CHECK(m.size() == 4);
}

TEST_CASE("FlatHashMap erasure across the wrap of the table") {
  // 16 slots: 14 and 30 have home 14, 15, 31 and 47 home 15, so the run 14, 30, 15, 31, 47
  // fills slots 14, 15, 0, 1, 2: the last three wrap.
  FlatHashMap<std::uint32_t, std::uint32_t, IdentityHash> m;
  for (std::uint32_t k : {14u, 30u, 15u, 31u, 47u}) CHECK(m.emplace(k, k + 1));
  CHECK(m.erase(30));  // slot 15 empties: 15 (home 15) moves into it, 31 and 47 follow
  CHECK(m.erase(14));
  for (std::uint32_t k : {15u, 31u, 47u}) {
    CAPTURE(k);
    REQUIRE(m.find(k) != nullptr);
    CHECK(*m.find(k) == k + 1);
  }
  CHECK(m.size() == 3);
  // 16 (home 0) lands behind the wrapped 31 and 47, in slot 2; erasing 15 shifts all three.
  CHECK(m.emplace(16, 17));
  CHECK(m.erase(15));
  CHECK(*m.find(16) == 17);
  CHECK(*m.find(47) == 48);
}

TEST_CASE("FlatHashMap agrees with std::map over many insertions and erasures") {
  FlatHashMap<std::uint32_t, std::uint64_t, IntegerHash> m;
  std::map<std::uint32_t, std::uint64_t> expected;
  std::uint64_t x = 1;  // a 64-bit LCG (Knuth's MMIX constants) picks keys in [0, 4096)
  for (int step = 0; step < 200000; ++step) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    const auto key = static_cast<std::uint32_t>(x >> 52u);
    const bool insert = ((x >> 40u) & 3u) != 0;  // 3 inserts to 1 erase: the table grows
    if (insert) {
      m.insert_or_assign(key, x);
      expected[key] = x;
    } else {
      CHECK(m.erase(key) == (expected.erase(key) == 1));
    }
  }
  CHECK(m.size() == expected.size());
  for (std::uint32_t k = 0; k < 4096; ++k) {
    const auto it = expected.find(k);
    const std::uint64_t* v = m.find(k);
    REQUIRE((v != nullptr) == (it != expected.end()));
    if (v != nullptr) CHECK(*v == it->second);
  }
}

TEST_CASE("FlatHashMap moves no entry when a key already present is looked up or assigned") {
  // 16 slots hold at most 8 keys (half full): with 8 stored, the next new key grows the table to
  // 32 and moves every entry. Looking up, or assigning to, a key already there must not.
  FlatHashMap<std::uint32_t, int, IdentityHash> m;
  for (std::uint32_t k = 0; k < 8; ++k) m[k] = static_cast<int>(10 * k);
  int* three = m.find(3);
  REQUIRE(three != nullptr);
  m[5] = 51;                  // present: assigned in place
  m.insert_or_assign(6, 61);  // present
  CHECK_FALSE(m.emplace(7, 71));
  CHECK(m.find(3) == three);  // not moved
  CHECK(*three == 30);
  m[8] = 80;  // a new key: the table grows, and every entry moves with its value
  CHECK(*m.find(3) == 30);
  CHECK(*m.find(5) == 51);
  CHECK(*m.find(6) == 61);
}
