// A finished run's rows until their turn (see held_rows.hpp).
#include "app/held_rows.hpp"

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <system_error>
#include <utility>

namespace synlab::app {

bool HeldRowsBudget::take(std::size_t n) noexcept {
  const auto want = static_cast<std::ptrdiff_t>(n);
  std::ptrdiff_t left = left_.load(std::memory_order_relaxed);
  while (left >= want)
    if (left_.compare_exchange_weak(left, left - want, std::memory_order_relaxed)) return true;
  return false;
}

void HeldRowsBudget::give_back(std::size_t n) noexcept {
  left_.fetch_add(static_cast<std::ptrdiff_t>(n), std::memory_order_relaxed);
}

HeldRows::HeldRows(std::filesystem::path file, HeldRowsBudget& budget)
    : path_(std::move(file)), budget_(&budget) {}

HeldRows::~HeldRows() {
  budget_->give_back(held_bytes_);
  if (spilled_) {
    file_.close();
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
}

std::streamsize HeldRows::xsputn(const char* s, std::streamsize n) {
  const std::lock_guard lock(mutex_);
  if (failed_ || n <= 0) return failed_ ? 0 : n;
  if (direct_ != nullptr) {
    if (!direct_->write(s, n)) failed_ = true;
    return failed_ ? 0 : n;
  }
  const auto size = static_cast<std::size_t>(n);
  if (!spilled_) {
    if (held_bytes_ + size <= most_in_memory && budget_->take(size)) {
      held_.append(s, size);
      held_bytes_ += size;
      return n;
    }
    if (!spill()) return 0;
  }
  const std::streamsize put = file_.sputn(s, n);
  if (put != n) failed_ = true;
  in_file_ += static_cast<std::uint64_t>(std::max<std::streamsize>(put, 0));
  return put;
}

HeldRows::int_type HeldRows::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
}

void HeldRows::drop_held() noexcept {
  budget_->give_back(held_bytes_);
  held_bytes_ = 0;
  std::string().swap(held_);
}

bool HeldRows::spill() {
  spilled_ = true;
  if (file_.open(path_, std::ios::out | std::ios::binary | std::ios::trunc) == nullptr) {
    failed_ = true;
    return false;
  }
  const auto n = static_cast<std::streamsize>(held_.size());
  if (file_.sputn(held_.data(), n) != n) failed_ = true;
  in_file_ = held_.size();
  drop_held();
  return !failed_;
}

bool HeldRows::finish() {
  const std::lock_guard lock(mutex_);
  if (spilled_ && file_.is_open() && file_.close() == nullptr) failed_ = true;
  return !failed_;
}

bool HeldRows::direct() const {
  const std::lock_guard lock(mutex_);
  return direct_ != nullptr;
}

bool HeldRows::go_direct(std::ostream& out, char* buffer, std::size_t size) {
  // A file's bytes are copied without the lock, while the run writes on (a run held back for a
  // copy of megabytes was what a sweep on every core lost); the last few, and memory's, with it.
  std::ifstream in;
  std::uint64_t copied = 0;  // of the file's bytes, into `out`
  for (;;) {
    std::uint64_t upto = 0;
    {
      const std::lock_guard lock(mutex_);
      if (direct_ != nullptr) return !failed_;
      if (!failed_ && !spilled_) {
        out.write(held_.data(), static_cast<std::streamsize>(held_.size()));
        drop_held();
      }
      if (failed_ || !spilled_ || copied == in_file_) {
        direct_ = &out;
        if (spilled_) {
          if (file_.is_open()) file_.close();
          in.close();
          std::error_code ignored;
          std::filesystem::remove(path_, ignored);
          spilled_ = false;
        }
        if (!out) failed_ = true;
        return !failed_;
      }
      if (file_.pubsync() != 0) failed_ = true;
      upto = in_file_;
    }
    if (!in.is_open()) in.open(path_, std::ios::binary);
    for (std::uint64_t left = upto - copied; left > 0 && in && out;) {
      const auto n = static_cast<std::streamsize>(std::min<std::uint64_t>(left, size));
      in.read(buffer, n);
      out.write(buffer, in.gcount());
      left -= static_cast<std::uint64_t>(in.gcount());
    }
    if (!in || !out) {
      const std::lock_guard lock(mutex_);
      failed_ = true;
    }
    copied = upto;
  }
}

std::unique_ptr<std::istream> HeldRows::read(char* buffer, std::size_t size) {
  if (direct_ != nullptr) return std::make_unique<std::istringstream>();  // all written already
  if (!spilled_) {
    // The bytes move to the stream; their budget is given back when this goes.
    return std::make_unique<std::istringstream>(std::move(held_), std::ios::binary);
  }
  auto file = std::make_unique<std::ifstream>();
  file->rdbuf()->pubsetbuf(buffer, static_cast<std::streamsize>(size));
  file->open(path_, std::ios::binary);
  if (!file->is_open()) return nullptr;
  return file;
}

}  // namespace synlab::app
