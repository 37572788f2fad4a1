// HeldRows: a finished run's connections.csv rows, held until their turn in the file (RunAll
// gathers the runs in order): in memory while a budget the runs share allows, else in a file of
// their own.
//
// Why not always a file: a sweep of 10,000 runs of one connection each created, wrote, read and
// deleted 10,000 files, and ext4's search for a free inode among those just deleted took about
// 1 ms of system time a run (5.8 s for a sweep whose simulation took 0.2 s). Why not always in
// memory: the runs after a slow one wait for it, and a few large runs would hold gigabytes.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <mutex>
#include <ostream>
#include <streambuf>
#include <string>

namespace synlab::app {

// The bytes held in memory, by every HeldRows of a process together, at most.
class HeldRowsBudget {
 public:
  explicit HeldRowsBudget(std::size_t bytes) : left_(static_cast<std::ptrdiff_t>(bytes)) {}
  // Takes `n` bytes of the budget if they are there.
  bool take(std::size_t n) noexcept;
  void give_back(std::size_t n) noexcept;

 private:
  std::atomic<std::ptrdiff_t> left_;
};

// A stream buffer for writing the rows (ConnectionsCsv's stream), then for reading them back.
// What is written goes to memory while the budget gives room for it, up to most_in_memory bytes;
// the first write that does not fit moves what is held to `file` (created then), and every write
// after goes there too. The file is removed when this is destroyed.
//
// Once the runs before it are all in connections.csv, the rows need not wait: go_direct() writes
// what is held there and sends every later write there too (RunAll hands this baton to the
// earliest run not yet gathered). A sweep's rows are then mostly written once, not twice, and
// its disk holds them once. Writes and go_direct() may come from two threads.
class HeldRows : public std::streambuf {
 public:
  // A larger run goes to its file: at 1 MiB, the file's own cost is small beside the rows'.
  static constexpr std::size_t most_in_memory = std::size_t{1} << 20;

  HeldRows(std::filesystem::path file, HeldRowsBudget& budget);
  ~HeldRows() override;
  HeldRows(const HeldRows&) = delete;
  HeldRows& operator=(const HeldRows&) = delete;

  // Ends the writing: flushes and closes the file, if any. False if a write to it failed (a
  // full disk), here or before.
  bool finish();
  // After finish(): the rows, from their first byte, once: moved out of memory, or read from the
  // file through `buffer` (`size` bytes, which must outlive the stream); nothing after
  // go_direct(). Null if the file cannot be opened again.
  std::unique_ptr<std::istream> read(char* buffer, std::size_t size);

  // Writes what is held to `out` (a file's through `buffer`), and every later write goes there.
  // `out` must not be written by anyone else meanwhile. False if writing failed. The file is
  // copied while writes go on, the writer held back only for its last part.
  bool go_direct(std::ostream& out, char* buffer, std::size_t size);

  bool in_memory() const { return !spilled_ && direct_ == nullptr; }
  bool direct() const;

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int_type overflow(int_type c) override;

 private:
  bool spill();               // the held bytes into the file; false if it failed
  void drop_held() noexcept;  // frees the held bytes and gives their budget back

  std::filesystem::path path_;
  HeldRowsBudget* budget_;
  std::string held_;            // in memory, until spilled or read
  std::size_t held_bytes_ = 0;  // of the budget, taken for held_ (given back by the destructor)
  bool spilled_ = false;
  bool failed_ = false;
  std::filebuf file_;
  std::ostream* direct_ = nullptr;  // after go_direct()
  std::uint64_t in_file_ = 0;       // bytes written to the file
  mutable std::mutex mutex_;        // between the writer and go_direct()
};

}  // namespace synlab::app
