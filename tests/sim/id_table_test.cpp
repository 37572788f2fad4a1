// IdTable: values by id across pages of 1024 ids, and pages freed with their last value.
#include "sim/id_table.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <map>

using synlab::sim::IdTable;

TEST_CASE("IdTable finds what was stored, in any page, and nothing else") {
  IdTable<int> t;
  CHECK(t.find(0) == nullptr);
  CHECK(t.find(5000) == nullptr);  // beyond every page
  CHECK_FALSE(t.erase(3));
  t.insert_or_assign(3, 30);
  t.insert_or_assign(1024, 10240);  // the first id of the second page
  t.insert_or_assign(1023, 10230);  // the last id of the first
  REQUIRE(t.find(3) != nullptr);
  CHECK(*t.find(3) == 30);
  CHECK(*t.find(1023) == 10230);
  CHECK(*t.find(1024) == 10240);
  CHECK(t.find(4) == nullptr);
  CHECK(t.size() == 3);
  t.insert_or_assign(3, 31);  // replaced, not counted twice
  CHECK(*t.find(3) == 31);
  CHECK(t.size() == 3);
  CHECK(t.erase(3));
  CHECK_FALSE(t.erase(3));
  CHECK(t.find(3) == nullptr);
  CHECK(t.size() == 2);
}

TEST_CASE("IdTable frees a page with its last value and takes ids in it again") {
  IdTable<std::uint64_t> t;
  for (std::uint32_t id = 1; id < 1024; ++id) t.insert_or_assign(id, id);
  for (std::uint32_t id = 1; id < 1023; ++id) CHECK(t.erase(id));
  CHECK(*t.find(1023) == 1023);  // the page stays while one value is in it
  CHECK(t.erase(1023));          // now it is freed
  CHECK(t.find(1023) == nullptr);
  CHECK(t.size() == 0);
  t.insert_or_assign(7, 70);  // a new page for the same ids
  CHECK(*t.find(7) == 70);
  CHECK(t.find(8) == nullptr);
}

TEST_CASE("IdTable agrees with std::map over a sliding window of ids") {
  // As a host's connections: ids taken in order, each released a while later, out of order.
  IdTable<std::uint64_t> t;
  std::map<std::uint32_t, std::uint64_t> expected;
  std::uint64_t x = 7;  // a 64-bit LCG (Knuth's MMIX constants)
  for (std::uint32_t id = 1; id <= 50000; ++id) {
    t.insert_or_assign(id, id * 3u);
    expected[id] = id * 3u;
    x = x * 6364136223846793005u + 1442695040888963407u;
    const auto back = static_cast<std::uint32_t>(x >> 53u);  // 0 to 2047 ids back
    if (back < id) CHECK(t.erase(id - back) == (expected.erase(id - back) == 1));
  }
  CHECK(t.size() == expected.size());
  for (std::uint32_t id = 0; id <= 50001; ++id) {
    const auto it = expected.find(id);
    const std::uint64_t* v = t.find(id);
    REQUIRE((v != nullptr) == (it != expected.end()));
    if (v != nullptr) CHECK(*v == it->second);
  }
}
