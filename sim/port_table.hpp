// PortTable: a lookup table for keys that each hold a 16-bit number handed out in sequence, as
// a connection's 4-tuple holds its client's ephemeral port.
//
// Most such numbers are in one key at a time. A number's first key sits in an array indexed by
// the number itself, in pages of 256 made when a number of the page is first used; the
// number's other keys go to a hash table. Keys made one after the other take neighbouring
// numbers, so their entries share cache lines: the look-ups that come 50 ms or 10 s after an
// insertion (a SYN,ACK, the end of TIME-WAIT) mostly find the line still in cache, where the
// slots of a hash table, spread at random, each missed it (docs/kernel.md, "What the
// instruction count does not show: stalls"). Nothing iterates over it: no order can leak out.
//
// `PortOf{}(key)` gives a key's number; `Hash` hashes keys for the hash table (FlatHashMap's
// rules); `none` is a value never stored, which marks an array entry as empty.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/flat_hash_map.hpp"

namespace synlab::sim {

template <class Key, class Value, class Hash, class PortOf, Value none = Value{}>
class PortTable {
 public:
  // The value stored under `key`, or nullptr.
  Value* find(const Key& key) noexcept {
    if (Entry* e = entry(PortOf{}(key)); e != nullptr && e->value != none && e->key == key)
      return &e->value;
    return more_.empty() ? nullptr : more_.find(key);
  }
  const Value* find(const Key& key) const noexcept {
    return const_cast<PortTable*>(this)->find(key);
  }
  bool contains(const Key& key) const noexcept { return find(key) != nullptr; }
  // Fetches the entry `key` would have into cache, for a find() to come (a hint).
  void prefetch(const Key& key) const noexcept {
    if (const Entry* e = const_cast<PortTable*>(this)->entry(PortOf{}(key))) __builtin_prefetch(e);
  }

  // Stores `value` (not `none`) under `key` unless the key is present; returns whether it did.
  bool emplace(const Key& key, Value value) {
    Entry& e = entry_or_page(PortOf{}(key));
    if (e.value != none) {  // the number's entry is taken: by this key, or the hash table's turn
      if (e.key == key || !more_.emplace(key, value)) return false;
    } else {
      if (!more_.empty() && more_.contains(key)) return false;
      e = Entry{key, value};
    }
    ++size_;
    return true;
  }

  // The value stored under `key`, after storing `initial` (not `none`) there if the key was
  // absent. The reference is valid until the next insertion or erasure.
  Value& find_or_emplace(const Key& key, const Value& initial) {
    Entry& e = entry_or_page(PortOf{}(key));
    if (e.value != none && e.key == key) return e.value;
    if (!more_.empty())
      if (Value* v = more_.find(key)) return *v;
    ++size_;
    if (e.value == none) {
      e = Entry{key, initial};
      return e.value;
    }
    more_.emplace(key, initial);  // the number's entry is another key's
    return *more_.find(key);
  }

  // Stores `value` (not `none`) under `key`, replacing any value there.
  void insert_or_assign(const Key& key, Value value) {
    if (Value* v = find(key)) {
      *v = value;
      return;
    }
    (void)emplace(key, value);
  }

  // Removes `key`; returns whether it was present.
  bool erase(const Key& key) noexcept {
    if (Entry* e = entry(PortOf{}(key)); e != nullptr && e->value != none && e->key == key) {
      *e = Entry{};  // a key of the same number in the hash table stays there, and is found
    } else if (!more_.erase(key)) {
      return false;
    }
    --size_;
    return true;
  }

  std::size_t size() const noexcept { return size_; }

 private:
  struct Entry {
    Key key{};
    Value value = none;
  };
  static constexpr unsigned page_bits = 8;
  static constexpr std::uint16_t page_mask = (1u << page_bits) - 1;
  struct Page {
    std::array<Entry, std::size_t{1} << page_bits> entries{};
  };

  Entry* entry(std::uint16_t port) noexcept {
    const std::size_t p = port >> page_bits;
    if (p >= pages_.size() || pages_[p] == nullptr) return nullptr;
    return &pages_[p]->entries[port & page_mask];
  }
  Entry& entry_or_page(std::uint16_t port) {
    const std::size_t p = port >> page_bits;
    if (p >= pages_.size()) pages_.resize(p + 1);
    if (pages_[p] == nullptr) pages_[p] = std::make_unique<Page>();
    return pages_[p]->entries[port & page_mask];
  }

  std::vector<std::unique_ptr<Page>> pages_;  // [port >> page_bits]; null: no number of it used
  FlatHashMap<Key, Value, Hash> more_;
  std::size_t size_ = 0;
};

}  // namespace synlab::sim
