// RingBuffer<T>: a FIFO in one growable array. It allocates only when it outgrows its
// capacity (doubling), so a steady stream of push/pop never touches the heap.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "sim/assert.hpp"

namespace synlab::sim {

template <class T>
class RingBuffer {
 public:
  bool empty() const noexcept { return size_ == 0; }
  std::size_t size() const noexcept { return size_; }

  T& front() noexcept { return slots_[head_]; }
  const T& front() const noexcept { return slots_[head_]; }
  T& back() noexcept { return (*this)[size_ - 1]; }
  // The i-th value from the front (i < size()).
  T& operator[](std::size_t i) noexcept { return slots_[(head_ + i) & (capacity_ - 1)]; }

  void push_back(T value) {
    if (size_ == capacity_) grow();
    slots_[(head_ + size_) & (capacity_ - 1)] = std::move(value);
    ++size_;
  }

  // Appends T{args...}. For a large T (a link's packet in flight) the compiler writes it straight
  // into its slot, where push_back(T) copies it once more from its argument. `args` must not
  // refer to an element of this buffer: a growth, first, would free it.
  template <class... Args>
  void emplace_back(Args&&... args) {
    if (size_ == capacity_) grow();
    slots_[(head_ + size_) & (capacity_ - 1)] = T{std::forward<Args>(args)...};
    ++size_;
  }

  void pop_front() noexcept {
    SYNLAB_ASSERT(size_ > 0, "RingBuffer::pop_front on an empty buffer");
    head_ = (head_ + 1) & (capacity_ - 1);
    --size_;
  }

 private:
  void grow() {
    std::vector<T> bigger(slots_.empty() ? 16 : 2 * slots_.size());  // a power of two
    for (std::size_t i = 0; i < size_; ++i)
      bigger[i] = std::move(slots_[(head_ + i) & (capacity_ - 1)]);
    slots_ = std::move(bigger);
    capacity_ = slots_.size();
    head_ = 0;
  }

  std::vector<T> slots_;
  // slots_.size(), kept: for a T whose size is not a power of two (a packet in flight),
  // vector::size() is a division, and every push and pop needs it.
  std::size_t capacity_ = 0;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace synlab::sim
