// IdTable<T>: values under small ids handed out in increasing order (a host's connection ids),
// in pages of 1024 ids. A lookup is two indexings, ids close in time sit close in memory (no
// hash scatters them), and a page is freed when its last value is erased, so memory follows
// the ids in use, not every id ever used. No iteration: nothing can depend on its order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace synlab::sim {

template <class T>
class IdTable {
 public:
  std::size_t size() const noexcept { return size_; }

  // The value under `id`, or nullptr.
  T* find(std::uint32_t id) noexcept {
    const std::size_t p = id >> page_bits;
    if (p >= pages_.size() || pages_[p] == nullptr) return nullptr;
    std::optional<T>& v = pages_[p]->values[id & page_mask];
    return v ? &*v : nullptr;
  }
  const T* find(std::uint32_t id) const noexcept { return const_cast<IdTable*>(this)->find(id); }

  // Stores `value` under `id`, replacing any value there.
  void insert_or_assign(std::uint32_t id, T value) {
    const std::size_t p = id >> page_bits;
    if (p >= pages_.size()) pages_.resize(p + 1);
    if (pages_[p] == nullptr) pages_[p] = std::make_unique<Page>();
    std::optional<T>& v = pages_[p]->values[id & page_mask];
    if (!v) {
      ++pages_[p]->used;
      ++size_;
    }
    v = std::move(value);
  }

  // Removes the value under `id`; returns whether there was one.
  bool erase(std::uint32_t id) noexcept {
    const std::size_t p = id >> page_bits;
    if (p >= pages_.size() || pages_[p] == nullptr) return false;
    std::optional<T>& v = pages_[p]->values[id & page_mask];
    if (!v) return false;
    v.reset();
    --size_;
    if (--pages_[p]->used == 0) pages_[p].reset();
    return true;
  }

 private:
  static constexpr unsigned page_bits = 10;
  static constexpr std::uint32_t page_mask = (1u << page_bits) - 1;
  struct Page {
    std::array<std::optional<T>, std::size_t{1} << page_bits> values{};
    std::uint32_t used = 0;
  };
  std::vector<std::unique_ptr<Page>> pages_;  // [id >> page_bits]; null: no value in it
  std::size_t size_ = 0;
};

}  // namespace synlab::sim
