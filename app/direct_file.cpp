// DirectFile (direct_file.hpp).
#include "app/direct_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace synlab::app {

DirectFileBuf::DirectFileBuf(const std::filesystem::path& path, DirectProbe probe) : probe_(probe) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) return;
  // A regular file only: on a pipe O_DIRECT means packets, each write read apart. Asked for
  // apart from open(): a file system without direct writes refuses the flag (EINVAL), and the
  // file is then written as any other.
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) return;
  const int flags = ::fcntl(fd_, F_GETFL);
  direct_ = flags >= 0 && ::fcntl(fd_, F_SETFL, flags | O_DIRECT) == 0;
}

DirectFileBuf::~DirectFileBuf() {
  if (fd_ >= 0) ::close(fd_);
}

std::ptrdiff_t DirectFileBuf::write_some(const char* s, std::size_t n) {
  const ssize_t done = ::write(fd_, s, n);
  return done >= 0 ? done : -errno;
}

bool DirectFileBuf::stop_direct() {
  direct_ = false;
  const int flags = ::fcntl(fd_, F_GETFL);
  return flags >= 0 && ::fcntl(fd_, F_SETFL, flags & ~O_DIRECT) == 0;
}

bool DirectFileBuf::put_direct(const char* s, std::size_t n) {
  while (n > 0) {
    const auto start = std::chrono::steady_clock::now();
    const std::ptrdiff_t done = write_some(s, n);
    if (done == -EINTR) continue;
    // EINVAL: the file system takes no direct write after all. A short write (a disk nearly
    // full) leaves the rest unaligned. Either way what is left goes through the page cache.
    if (done == -EINVAL || (done > 0 && static_cast<std::size_t>(done) % block != 0)) {
      const std::size_t written = done > 0 ? static_cast<std::size_t>(done) : 0;
      offset_ += written;
      return stop_direct() && put(s + written, n - written);
    }
    if (done <= 0) return false;
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    s += done;
    n -= static_cast<std::size_t>(done);
    offset_ += static_cast<std::uint64_t>(done);
    if (static_cast<double>(ns) > probe_.slow_ns_per_byte * static_cast<double>(done))
      ++probe_slow_;
    if (++probe_writes_ >= probe_.writes) {
      const bool slow = 2 * probe_slow_ > probe_writes_;
      probe_writes_ = 0;
      probe_slow_ = 0;
      if (slow) return stop_direct() && put(s, n);
    }
  }
  return true;
}

bool DirectFileBuf::put(const char* s, std::size_t n) {
  if (fd_ < 0) return false;
  if (direct_) {
    if (n % block == 0 && offset_ % block == 0 && reinterpret_cast<std::uintptr_t>(s) % block == 0)
      return put_direct(s, n);
    if (!stop_direct()) return false;
  }
  while (n > 0) {
    const std::ptrdiff_t done = write_some(s, n);
    if (done == -EINTR) continue;
    if (done <= 0) return false;
    s += done;
    n -= static_cast<std::size_t>(done);
    offset_ += static_cast<std::uint64_t>(done);
  }
  return true;
}

std::streamsize DirectFileBuf::xsputn(const char* s, std::streamsize n) {
  if (n <= 0) return 0;
  return put(s, static_cast<std::size_t>(n)) ? n : 0;
}

DirectFileBuf::int_type DirectFileBuf::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  return put(&ch, 1) ? c : traits_type::eof();
}

DirectFile::DirectFile(const std::filesystem::path& path, DirectProbe probe)
    : std::ostream(nullptr), buf_(path, probe) {
  rdbuf(&buf_);
  if (!buf_.is_open()) setstate(std::ios::failbit);
}

}  // namespace synlab::app
