// DirectFile: an output file for the large traces (packets.csv, states.csv) whose whole blocks go
// from the writer's buffer to the disk without a copy into the page cache (issue 11).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <streambuf>

namespace synlab::app {

// When direct writes give way to the page cache (DirectFileBuf): once most of `writes` direct
// writes in a row took longer than `slow_ns_per_byte` for each of their bytes. Most, not all
// together: a write's time includes any wait for the core after the disk is done, and on a busy
// core one such wait made a whole 16 MiB look slow.
struct DirectProbe {
  unsigned writes = 16;  // of about 1 MiB each (RowBuffer::direct_block_bytes)
  // 1 ns a byte: 1 GB/s. Through the page cache a byte costs the run 0.2 to 1.5 ns of a core
  // here, while a direct write's wait costs it only what the run does not overlap.
  double slow_ns_per_byte = 1.0;
};

// A stream buffer over a file opened for writing, with no buffer of its own: each write goes to
// the file at once (one system call, or more if the kernel takes less). A write of whole blocks (a
// multiple of `block` bytes, from memory aligned to `block`, at an offset that is a multiple of it)
// goes to the disk directly (O_DIRECT) for as long as the file system takes such writes (a regular
// file's, where it allows O_DIRECT). Any other write, and every write after it, goes through the
// page cache as an ordinary write does. Either way the file's bytes are the same: only the kernel's
// work differs.
//
// Why: a traced run writes about 3 KB per connection. Through the page cache the kernel copies
// every byte and books every page; at N = 10^6 (2.9 GB) that was 1.6 to 4.4 s of system time on
// one core, more than the simulation and the formatting together (docs/kernel.md). Written
// directly, the disk reads the bytes from the buffer itself, and the thread that writes them
// waits for the disk without using a core.
//
// A slow disk (a spinning one, a network share) would make the run wait for it, where the page
// cache takes the bytes at memory speed and the kernel writes them out later: when the direct
// writes are slower than a DirectProbe allows, the rest of the file goes through the page cache.
class DirectFileBuf : public std::streambuf {
 public:
  static constexpr std::size_t block = 4096;

  // Opens `path` for writing, truncated; is_open() tells whether it could.
  explicit DirectFileBuf(const std::filesystem::path& path, DirectProbe probe = {});
  ~DirectFileBuf() override;
  DirectFileBuf(const DirectFileBuf&) = delete;
  DirectFileBuf& operator=(const DirectFileBuf&) = delete;

  bool is_open() const { return fd_ >= 0; }
  // Whole blocks still go to the disk directly.
  bool direct() const { return direct_; }

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int_type overflow(int_type c) override;
  // One write(2) of up to n bytes: the bytes written, or -errno. A test's buffer replaces it to
  // fail as a disk or a file system can (ENOSPC, EINVAL, EINTR, a short write).
  virtual std::ptrdiff_t write_some(const char* s, std::size_t n);

 private:
  bool put(const char* s, std::size_t n);         // all n bytes, or false
  bool put_direct(const char* s, std::size_t n);  // whole blocks
  bool stop_direct();                             // false if the flag could not be cleared

  int fd_ = -1;
  bool direct_ = false;
  DirectProbe probe_;
  std::uint64_t offset_ = 0;
  // The probe under way: direct writes made, and how many of them were slow.
  unsigned probe_writes_ = 0;
  unsigned probe_slow_ = 0;
};

// An output stream over a DirectFileBuf: failbit if the file could not be opened, badbit once a
// write fails.
class DirectFile : public std::ostream {
 public:
  explicit DirectFile(const std::filesystem::path& path, DirectProbe probe = {});
  bool is_open() const { return buf_.is_open(); }
  bool direct() const { return buf_.direct(); }

 private:
  DirectFileBuf buf_;
};

}  // namespace synlab::app
