// SlotPool<T>: values parked under a small integer handle until taken back, e.g. packets in
// flight on a link, referenced from a scheduled event. Freed slots are reused, so once the
// pool has grown to the peak number in flight it never allocates again.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "sim/assert.hpp"

namespace synlab::sim {

template <class T>
class SlotPool {
 public:
  // Stores `value`; returns its slot.
  std::uint32_t put(T value) {
    std::uint32_t slot;
    if (free_.empty()) {
      slot = static_cast<std::uint32_t>(slots_.size());
      slots_.push_back(Slot{std::move(value), true});
    } else {
      slot = free_.back();
      free_.pop_back();
      slots_[slot] = Slot{std::move(value), true};
    }
    ++used_;
    return slot;
  }

  T& operator[](std::uint32_t slot) noexcept { return slots_[slot].value; }

  // Moves the value out and frees its slot.
  T take(std::uint32_t slot) {
    SYNLAB_ASSERT(slot < slots_.size() && slots_[slot].used, "SlotPool::take of a free slot");
    slots_[slot].used = false;
    free_.push_back(slot);
    --used_;
    return std::move(slots_[slot].value);
  }

  std::size_t size() const noexcept { return used_; }

  // Calls fn(value) for every stored value, in slot order.
  template <class F>
  void for_each(F&& fn) {
    for (Slot& s : slots_)
      if (s.used) fn(s.value);
  }

 private:
  struct Slot {
    T value;
    bool used;
  };
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::size_t used_ = 0;
};

}  // namespace synlab::sim
