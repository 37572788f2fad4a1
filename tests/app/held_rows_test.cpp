// A finished run's rows until their turn (app/held_rows.hpp): in memory within the budget and
// HeldRows::most_in_memory, else in a file that goes with them; read back byte for byte.
#include "app/held_rows.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <iterator>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <thread>

#include "tests/app/fresh_directory.hpp"

namespace synlab::app {
namespace {

namespace fs = std::filesystem;

// `n` bytes of rows, each line numbered, so that a byte lost or moved shows.
std::string rows_of(std::size_t n) {
  std::string text;
  for (std::size_t i = 0; text.size() < n; ++i) text += "0,0," + std::to_string(i) + ",client\n";
  text.resize(n);
  return text;
}

// Writes `text` in pieces of `piece` bytes, as RowBuffer hands over its blocks.
void write_in_pieces(HeldRows& held, const std::string& text, std::size_t piece) {
  std::ostream out(&held);
  for (std::size_t at = 0; at < text.size(); at += piece)
    out.write(text.data() + at, static_cast<std::streamsize>(std::min(piece, text.size() - at)));
  REQUIRE(out.flush());
}

std::string read_all(HeldRows& held) {
  std::string buffer(4096, '\0');
  const std::unique_ptr<std::istream> in = held.read(buffer.data(), buffer.size());
  REQUIRE(in != nullptr);
  return {std::istreambuf_iterator<char>(*in), std::istreambuf_iterator<char>()};
}

TEST_CASE("HeldRows: small rows stay in memory, no file is made") {
  const fs::path dir = test::fresh_directory("synlab-held-rows");
  HeldRowsBudget budget(1 << 20);
  const std::string text = rows_of(10'000);
  {
    HeldRows held(dir / ".run-0.csv", budget);
    write_in_pieces(held, text, 1000);
    CHECK(held.finish());
    CHECK(held.in_memory());
    CHECK_FALSE(fs::exists(dir / ".run-0.csv"));
    CHECK(read_all(held) == text);
    // The budget is taken while they are held: 1 MiB less 10,000 bytes is left.
    CHECK_FALSE(budget.take((1 << 20) - 10'000 + 1));
  }
  CHECK(budget.take(1 << 20));  // all given back
  fs::remove_all(dir);
}

TEST_CASE("HeldRows: a run beyond most_in_memory goes to its file, which goes with it") {
  const fs::path dir = test::fresh_directory("synlab-held-rows");
  HeldRowsBudget budget(std::size_t{64} << 20);
  // 3 MiB and a bit, in 256 KiB blocks: the fifth block does not fit in 1 MiB.
  const std::string text = rows_of(3 * HeldRows::most_in_memory + 123);
  {
    HeldRows held(dir / ".run-1.csv", budget);
    write_in_pieces(held, text, 256 * 1024);
    CHECK(held.finish());
    CHECK_FALSE(held.in_memory());
    REQUIRE(fs::exists(dir / ".run-1.csv"));
    CHECK(fs::file_size(dir / ".run-1.csv") == text.size());
    CHECK(read_all(held) == text);
    CHECK(budget.take(std::size_t{64} << 20));  // nothing of the budget kept once in the file
    budget.give_back(std::size_t{64} << 20);
  }
  CHECK_FALSE(fs::exists(dir / ".run-1.csv"));
  fs::remove_all(dir);
}

TEST_CASE("HeldRows: when the runs' budget is spent, a small run goes to a file too") {
  const fs::path dir = test::fresh_directory("synlab-held-rows");
  HeldRowsBudget budget(5000);
  const std::string first = rows_of(4000);
  const std::string second = rows_of(2000);
  HeldRows a(dir / ".run-0.csv", budget);
  write_in_pieces(a, first, 4000);
  {
    HeldRows b(dir / ".run-1.csv", budget);  // 1,000 bytes left: not enough
    write_in_pieces(b, second, 500);         // the first 1,000 bytes fit, then all goes to the file
    CHECK(b.finish());
    CHECK_FALSE(b.in_memory());
    CHECK(read_all(b) == second);
  }
  CHECK(a.finish());
  CHECK(a.in_memory());
  CHECK(read_all(a) == first);
  // b gave back its 1,000 bytes when it spilled: they are left for the next.
  CHECK(budget.take(1000));
  CHECK_FALSE(budget.take(1));
  fs::remove_all(dir);
}

// The baton (RunAll): once the runs before it are in connections.csv, a run's rows go there.
TEST_CASE("HeldRows: go_direct() writes what is held, in memory or in the file, then the rest") {
  const fs::path dir = test::fresh_directory("synlab-held-rows");
  HeldRowsBudget budget(std::size_t{64} << 20);
  std::string buffer(4096, '\0');
  for (const std::size_t before :
       {std::size_t{0}, std::size_t{10'000}, 3 * HeldRows::most_in_memory}) {
    CAPTURE(before);
    const std::string text = rows_of(before + 50'000);
    std::ostringstream out;
    out << "header\n";
    {
      HeldRows held(dir / ".run-2.csv", budget);
      write_in_pieces(held, text.substr(0, before), 256 * 1024);
      CHECK(fs::exists(dir / ".run-2.csv") == (before > HeldRows::most_in_memory));
      REQUIRE(held.go_direct(out, buffer.data(), buffer.size()));
      CHECK(held.direct());
      CHECK_FALSE(fs::exists(dir / ".run-2.csv"));  // its bytes are in `out` now
      write_in_pieces(held, text.substr(before), 1000);
      CHECK(held.finish());
      CHECK(read_all(held).empty());  // nothing left to copy
    }
    CHECK(out.str() == "header\n" + text);
  }
  CHECK(budget.take(std::size_t{64} << 20));  // all given back
  fs::remove_all(dir);
}

// As in a sweep: the run's thread writes while the gathering hands it the baton.
TEST_CASE("HeldRows: go_direct() while another thread writes keeps every byte in order") {
  const fs::path dir = test::fresh_directory("synlab-held-rows");
  HeldRowsBudget budget(std::size_t{64} << 20);
  std::string buffer(4096, '\0');
  // 16 MiB in 4 KiB writes; the baton comes once 4 KiB (in memory), or 2 MiB (in the file,
  // copied while the writer goes on), are written.
  const std::string text = rows_of(16 * HeldRows::most_in_memory);
  for (const std::size_t written_first : {std::size_t{1}, 2 * HeldRows::most_in_memory}) {
    CAPTURE(written_first);
    std::ostringstream out;
    HeldRows held(dir / ".run-1.csv", budget);
    std::atomic<std::size_t> written = 0;
    std::thread writer([&] {
      std::ostream stream(&held);
      for (std::size_t at = 0; at < text.size(); at += 4096) {
        stream.write(text.data() + at,
                     static_cast<std::streamsize>(std::min<std::size_t>(4096, text.size() - at)));
        written = at + 4096;
      }
      stream.flush();
    });
    while (written < written_first) std::this_thread::yield();
    const bool handed = held.go_direct(out, buffer.data(), buffer.size());
    writer.join();
    CHECK(handed);
    CHECK(held.finish());
    CHECK(out.str() == text);
  }
  fs::remove_all(dir);
}

TEST_CASE("HeldRows: a file that cannot be made fails the writing, and finish() says so") {
  HeldRowsBudget budget(100);
  HeldRows held(fs::path("/nonexistent-synlab-dir/.run-0.csv"), budget);
  std::ostream out(&held);
  const std::string text = rows_of(1000);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  CHECK_FALSE(out.flush());
  CHECK_FALSE(held.finish());
}

}  // namespace
}  // namespace synlab::app
