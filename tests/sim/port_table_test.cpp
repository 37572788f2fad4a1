// PortTable: keys by the 16-bit number each holds. A number's first key sits in the array, its
// others in the hash table; a look-up, an insertion, an assignment and an erasure must not depend
// on which of the two holds a key. Here `none` is the largest value, so 0 is a value like any.
#include "sim/port_table.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "sim/random_stream.hpp"

namespace synlab::sim {
namespace {

struct Key {
  std::uint16_t port = 0;
  std::uint32_t other = 0;  // what tells apart the keys of one number
  friend bool operator==(const Key&, const Key&) = default;
};
struct KeyHash {
  std::size_t operator()(const Key& k) const noexcept {
    return static_cast<std::size_t>(mix64((std::uint64_t{k.port} << 32u) | k.other));
  }
};
struct PortOf {
  std::uint16_t operator()(const Key& k) const noexcept { return k.port; }
};
constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
using Table = PortTable<Key, std::uint32_t, KeyHash, PortOf, none>;

TEST_CASE("PortTable keeps a number's keys apart, in the array and in the hash table") {
  Table t;
  CHECK(t.find({40000, 1}) == nullptr);   // empty, no page made yet
  CHECK(t.emplace({40000, 1}, 0));        // 0 is a value: only `none` marks an empty entry
  CHECK(t.emplace({40000, 2}, 7));        // the same number: the hash table
  CHECK(t.emplace({40001, 1}, 8));        // the next number: the array, the same page
  CHECK_FALSE(t.emplace({40000, 1}, 9));  // a key present is refused, wherever it sits
  CHECK_FALSE(t.emplace({40000, 2}, 9));
  REQUIRE(t.find({40000, 1}) != nullptr);
  CHECK(*t.find({40000, 1}) == 0);
  CHECK(*t.find({40000, 2}) == 7);
  CHECK(*t.find({40001, 1}) == 8);
  CHECK(t.find({40001, 2}) == nullptr);  // the number's entry holds another key
  CHECK(t.find({40002, 1}) == nullptr);  // a number of the page with no key
  CHECK(t.find({1, 1}) == nullptr);      // a page never used
  CHECK(t.size() == 3);

  t.insert_or_assign({40000, 1}, 4);  // in the array
  t.insert_or_assign({40000, 2}, 5);  // in the hash table
  t.insert_or_assign({40000, 3}, 6);  // new: the hash table
  *t.find({40001, 1}) = 3;            // through find()
  CHECK(*t.find({40000, 1}) == 4);
  CHECK(*t.find({40000, 2}) == 5);
  CHECK(*t.find({40000, 3}) == 6);
  CHECK(*t.find({40001, 1}) == 3);
  CHECK(t.size() == 4);

  CHECK(t.erase({40000, 1}));  // the array's entry goes; the hash table's keys stay found
  CHECK_FALSE(t.erase({40000, 1}));
  CHECK(t.find({40000, 1}) == nullptr);
  CHECK(*t.find({40000, 2}) == 5);
  CHECK(*t.find({40000, 3}) == 6);
  CHECK(t.emplace({40000, 4}, 2));  // takes the array's entry again
  CHECK(*t.find({40000, 4}) == 2);
  CHECK(t.size() == 4);
}

TEST_CASE("PortTable serves the lowest and the highest number") {
  Table t;
  CHECK(t.emplace({0, 1}, 1));
  CHECK(t.emplace({65535, 1}, 2));
  CHECK(*t.find({0, 1}) == 1);
  CHECK(*t.find({65535, 1}) == 2);
  CHECK(t.erase({65535, 1}));
  CHECK(t.find({65535, 1}) == nullptr);
  CHECK(*t.find({0, 1}) == 1);
}

TEST_CASE(
    "PortTable agrees with a std::map over 20,000 random insertions, look-ups that insert, "
    "assignments and erasures") {
  // A few numbers (one page's edge, another page) and a few keys each: every number ends up with
  // keys both in the array and in the hash table, taken and released in every order.
  const std::vector<std::uint16_t> ports{0, 255, 256, 40000, 65535};
  const std::vector<std::uint32_t> others{0, 1, 2, 80, none};
  Table t;
  std::map<std::pair<std::uint16_t, std::uint32_t>, std::uint32_t> reference;
  RandomStream random(1, "tests/port-table");
  for (std::uint32_t step = 0; step < 20'000; ++step) {
    const Key k{ports[random.below(static_cast<std::uint32_t>(ports.size()))],
                others[random.below(static_cast<std::uint32_t>(others.size()))]};
    const std::pair<std::uint16_t, std::uint32_t> rk{k.port, k.other};
    switch (random.below(4)) {
      case 0:
        CHECK(t.emplace(k, step) == reference.emplace(rk, step).second);
        break;
      case 1:
        t.insert_or_assign(k, step);
        reference[rk] = step;
        break;
      case 2: {
        // The value found or stored, and a write through the reference is the table's.
        std::uint32_t& value = t.find_or_emplace(k, step);
        std::uint32_t& expected = reference.emplace(rk, step).first->second;
        CHECK(value == expected);
        value = expected = step + 20'000;
        break;
      }
      default:
        CHECK(t.erase(k) == (reference.erase(rk) == 1));
    }
    CHECK(t.size() == reference.size());
    for (const std::uint16_t p : ports) {
      for (const std::uint32_t o : others) {
        const auto it = reference.find({p, o});
        const std::uint32_t* found = t.find({p, o});
        if (it == reference.end()) {
          CHECK(found == nullptr);
        } else {
          REQUIRE(found != nullptr);
          CHECK(*found == it->second);
        }
      }
    }
  }
}

}  // namespace
}  // namespace synlab::sim
