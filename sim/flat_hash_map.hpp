// FlatHashMap<Key, Value, Hash>: a lookup table in one array (open addressing, linear probing),
// for the per-connection tables on the hot path (demultiplexing, owners, 4-tuples). A lookup
// reads one or two neighbouring slots instead of chasing a node per entry as
// std::unordered_map does. It has no iteration: nothing can depend on its order (STYLE §4).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/random_stream.hpp"  // mix64

namespace synlab::sim {

// Hashes an unsigned integer key (ids, ports) through mix64 (SplitMix64's finaliser): keys
// that differ in a few low bits (sequential ids) spread over the whole table.
struct IntegerHash {
  std::size_t operator()(std::uint64_t k) const noexcept {
    return static_cast<std::size_t>(mix64(k));
  }
};

// `Hash` must spread keys over the low bits (the table takes hash & (capacity - 1)); `Key` and
// `Value` must be default-constructible and movable. Pointers to values stay valid until a new
// key is inserted or a key is erased; looking up or assigning to a key already present moves
// nothing.
template <class Key, class Value, class Hash>
class FlatHashMap {
 public:
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  // The value stored under `key`, or nullptr.
  Value* find(const Key& key) noexcept {
    if (size_ == 0) return nullptr;
    for (std::size_t i = home(key);; i = next(i)) {
      Slot& s = slots_[i];
      if (!s.used) return nullptr;
      if (s.key == key) return &s.value;
    }
  }
  const Value* find(const Key& key) const noexcept {
    return const_cast<FlatHashMap*>(this)->find(key);
  }
  bool contains(const Key& key) const noexcept { return find(key) != nullptr; }

  // Stores `value` under `key` unless the key is present; returns whether it was stored.
  bool emplace(const Key& key, Value value) {
    bool inserted = false;
    Value& v = slot_for(key, inserted);
    if (inserted) v = std::move(value);
    return inserted;
  }
  // Stores `value` under `key`, replacing any value there.
  void insert_or_assign(const Key& key, Value value) {
    bool inserted = false;
    slot_for(key, inserted) = std::move(value);
  }
  // The value under `key`, default-constructed first if the key is absent.
  Value& operator[](const Key& key) {
    bool inserted = false;
    return slot_for(key, inserted);
  }

  // Removes `key`; returns whether it was present.
  bool erase(const Key& key) noexcept {
    if (size_ == 0) return false;
    std::size_t i = home(key);
    for (;; i = next(i)) {
      if (!slots_[i].used) return false;
      if (slots_[i].key == key) break;
    }
    // Backward-shift deletion (Knuth 6.4, Algorithm R): later entries of the same probe run
    // move into the hole, so the table needs no tombstones and lookups stay short.
    for (std::size_t j = next(i);; j = next(j)) {
      Slot& s = slots_[j];
      if (!s.used) break;
      const std::size_t h = home(s.key);
      // s may fill the hole at i unless its home lies cyclically in (i, j].
      const bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
      if (stays) continue;
      slots_[i].key = std::move(s.key);
      slots_[i].value = std::move(s.value);
      i = j;
    }
    slots_[i] = Slot{};
    --size_;
    return true;
  }

 private:
  struct Slot {
    Key key{};
    Value value{};
    bool used = false;
  };
  static constexpr std::size_t min_capacity = 16;

  std::size_t home(const Key& key) const noexcept { return Hash{}(key) & (slots_.size() - 1); }
  std::size_t next(std::size_t i) const noexcept { return (i + 1) & (slots_.size() - 1); }

  Value& slot_for(const Key& key, bool& inserted) {
    // One probe finds the key or the empty slot that ends its run. Only a new key may grow the
    // table (which moves every entry): at most half full, probe runs stay a slot or two long.
    if (!slots_.empty()) [[likely]] {
      std::size_t i = home(key);
      for (; slots_[i].used; i = next(i))
        if (slots_[i].key == key) return slots_[i].value;
      if (2 * (size_ + 1) <= slots_.size()) [[likely]]
        return insert_at(i, key, inserted);
    }
    return grow_and_insert(key, inserted);
  }

  // Out of line: the table doubles once per doubling of its keys.
  [[gnu::noinline]] Value& grow_and_insert(const Key& key, bool& inserted) {
    grow();
    std::size_t i = home(key);
    while (slots_[i].used) i = next(i);
    return insert_at(i, key, inserted);
  }

  Value& insert_at(std::size_t i, const Key& key, bool& inserted) {
    Slot& s = slots_[i];
    s.key = key;
    s.value = Value{};
    s.used = true;
    ++size_;
    inserted = true;
    return s.value;
  }

  void grow() {
    std::vector<Slot> old(slots_.empty() ? min_capacity : 2 * slots_.size());
    old.swap(slots_);
    for (Slot& s : old) {
      if (!s.used) continue;
      std::size_t i = home(s.key);
      while (slots_[i].used) i = next(i);
      slots_[i] = std::move(s);
    }
  }

  std::vector<Slot> slots_;  // a power of two in size, or empty
  std::size_t size_ = 0;
};

}  // namespace synlab::sim
