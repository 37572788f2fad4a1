// DirectFile (app/direct_file.hpp): whole aligned blocks written directly while the file system
// takes them, anything else through the page cache, and the file's bytes the same either way;
// and RowBuffer cutting its blocks to whole disk blocks for it.
#include "app/direct_file.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "app/csv_writers.hpp"
#include "tests/app/letter_rows.hpp"
#include "tests/support/temp_dir.hpp"

namespace synlab::app {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `blocks` disk blocks of `letter`, in memory aligned as direct writes need.
struct AlignedText {
  AlignedText(std::size_t blocks, char letter)
      : size(blocks * DirectFileBuf::block),
        bytes(static_cast<char*>(::operator new[](size, std::align_val_t{DirectFileBuf::block}))) {
    std::fill(bytes.get(), bytes.get() + size, letter);
  }
  std::string text() const { return {bytes.get(), size}; }
  struct Delete {
    void operator()(char* p) const {
      ::operator delete[](p, std::align_val_t{DirectFileBuf::block});
    }
  };
  std::size_t size;
  std::unique_ptr<char[], Delete> bytes;
};

// Whether the file system under `dir` takes direct writes (tmpfs before Linux 6.6 does not):
// where it does not, the tests below check the bytes only.
bool takes_direct_writes(const fs::path& dir) {
  return DirectFile(dir / "probe").direct();
}

TEST_CASE("DirectFile: whole blocks directly, then anything else through the page cache") {
  test::TempDir dir("direct-file");
  const fs::path path = dir.path / "packets.csv";
  const bool direct = takes_direct_writes(dir.path);
  if (!direct) MESSAGE("the file system under " << dir.path << " takes no direct writes");
  const AlignedText two(2, 'a');
  const AlignedText one(1, 'c');
  {
    DirectFile out(path);
    REQUIRE(out.is_open());
    out.write(two.bytes.get(), static_cast<std::streamsize>(two.size));
    CHECK(out.direct() == direct);
    CHECK(fs::file_size(path) == two.size);  // written at once: the buffer keeps nothing
    // Aligned memory but not a whole block: from here on, through the page cache.
    out.write(two.bytes.get(), 3);
    CHECK_FALSE(out.direct());
    out.write(one.bytes.get(), static_cast<std::streamsize>(one.size));  // at an odd offset
    out << "end\n";
    CHECK_FALSE(out.direct());
    CHECK(out.good());
  }
  CHECK(read_all(path) == two.text() + "aaa" + one.text() + "end\n");
}

TEST_CASE("DirectFile: whole blocks from memory that is not aligned go through the page cache") {
  test::TempDir dir("direct-file");
  const fs::path path = dir.path / "states.csv";
  const AlignedText two(2, 'x');
  {
    DirectFile out(path);
    out.write(two.bytes.get() + 1, static_cast<std::streamsize>(DirectFileBuf::block));
    CHECK_FALSE(out.direct());
    CHECK(out.good());
  }
  CHECK(read_all(path) == std::string(DirectFileBuf::block, 'x'));
}

TEST_CASE("DirectFile: a disk slower than the probe allows hands the rest to the page cache") {
  test::TempDir dir("direct-file");
  if (!takes_direct_writes(dir.path)) {
    MESSAGE("the file system under " << dir.path << " takes no direct writes: nothing to probe");
    return;
  }
  const AlignedText block(1, 'p');
  const auto write = [&](DirectFile& out) {
    out.write(block.bytes.get(), static_cast<std::streamsize>(block.size));
  };
  SUBCASE("every write slower than 0 ns a byte: the third write ends the probe of three") {
    DirectFile out(dir.path / "slow.csv", DirectProbe{3, 0.0});
    write(out);
    write(out);
    CHECK(out.direct());  // the probe has not ended
    write(out);
    CHECK_FALSE(out.direct());
    write(out);
    CHECK(out.good());
    CHECK(fs::file_size(dir.path / "slow.csv") == 4 * block.size);
  }
  SUBCASE("no write slower than a second a byte: direct after many probes") {
    DirectFile out(dir.path / "fast.csv", DirectProbe{2, 1e9});
    for (int i = 0; i < 9; ++i) write(out);
    CHECK(out.direct());
    CHECK(out.good());
  }
}

TEST_CASE("DirectFile: a failed write leaves the stream bad, an unopened file failed") {
  test::TempDir dir("direct-file");
  DirectFile missing(dir.path / "no-such-folder" / "packets.csv");
  CHECK_FALSE(missing.is_open());
  CHECK(missing.fail());
  if (!fs::exists("/dev/full")) return;
  const AlignedText block(1, 'f');
  DirectFile full("/dev/full");  // every write fails with ENOSPC (no direct writes: not a file)
  REQUIRE(full.is_open());
  CHECK_FALSE(full.direct());
  full.write(block.bytes.get(), static_cast<std::streamsize>(block.size));
  CHECK(full.bad());
  DirectFile full_again("/dev/full");
  full_again << "a row\n";
  CHECK(full_again.bad());
}

// A DirectFileBuf whose write(2) answers as `answer` says for the i-th call (from 0): a number of
// bytes to take (at most those asked), or -errno to fail with; nullopt writes as the real one.
class FaultyBuf final : public DirectFileBuf {
 public:
  FaultyBuf(const fs::path& path, std::function<std::optional<std::ptrdiff_t>(int)> answer)
      : DirectFileBuf(path), answer_(std::move(answer)) {}
  int calls = 0;

 protected:
  std::ptrdiff_t write_some(const char* s, std::size_t n) override {
    const std::optional<std::ptrdiff_t> a = answer_(calls++);
    if (!a) return DirectFileBuf::write_some(s, n);
    if (*a < 0) return *a;
    return DirectFileBuf::write_some(s, std::min(n, static_cast<std::size_t>(*a)));
  }

 private:
  std::function<std::optional<std::ptrdiff_t>(int)> answer_;
};

// The answer `a` at call `at` only.
std::function<std::optional<std::ptrdiff_t>(int)> at_call(int at, std::ptrdiff_t a) {
  return [=](int i) { return i == at ? std::optional<std::ptrdiff_t>(a) : std::nullopt; };
}

TEST_CASE("DirectFile: what a disk or a file system answers to a direct write") {
  test::TempDir dir("direct-file");
  if (!takes_direct_writes(dir.path)) {
    MESSAGE("the file system under " << dir.path << " takes no direct writes: nothing to fail");
    return;
  }
  const fs::path path = dir.path / "packets.csv";
  const AlignedText a(2, 'a');
  const AlignedText b(2, 'b');
  // Two writes of two blocks each, with write(2) answering as `answer` says.
  struct Outcome {
    bool bad;
    bool direct;  // after both writes
    int calls;    // to write(2)
    std::string file;
  };
  const auto write_both = [&](std::function<std::optional<std::ptrdiff_t>(int)> answer) {
    FaultyBuf buf(path, std::move(answer));
    std::ostream out(&buf);
    out.write(a.bytes.get(), static_cast<std::streamsize>(a.size));
    out.write(b.bytes.get(), static_cast<std::streamsize>(b.size));
    return Outcome{out.bad(), buf.direct(), buf.calls, read_all(path)};
  };
  const std::string both = a.text() + b.text();
  SUBCASE("a full disk at the second write: the stream goes bad, the first write stays") {
    const Outcome o = write_both(at_call(1, -ENOSPC));
    CHECK(o.bad);
    CHECK(o.file == a.text());
  }
  SUBCASE("a write that takes nothing and names no error: the stream goes bad") {
    CHECK(write_both(at_call(0, 0)).bad);
  }
  SUBCASE("EINVAL: no direct write after all, and the bytes written through the page cache") {
    const Outcome o = write_both(at_call(0, -EINVAL));
    CHECK_FALSE(o.bad);
    CHECK_FALSE(o.direct);
    CHECK(o.file == both);
  }
  SUBCASE("EINTR on every other call: each write tried again, direct writes go on") {
    const Outcome o = write_both(
        [](int i) { return i % 2 == 0 ? std::optional<std::ptrdiff_t>(-EINTR) : std::nullopt; });
    CHECK_FALSE(o.bad);
    CHECK(o.direct);
    CHECK(o.calls == 4);
    CHECK(o.file == both);
  }
  SUBCASE("a short write of whole blocks: the rest written directly") {
    const Outcome o = write_both(at_call(0, static_cast<std::ptrdiff_t>(DirectFileBuf::block)));
    CHECK_FALSE(o.bad);
    CHECK(o.direct);
    CHECK(o.calls == 3);
    CHECK(o.file == both);
  }
  SUBCASE("a short write that ends mid-block: the rest through the page cache") {
    const Outcome o = write_both(at_call(0, 5'000));
    CHECK_FALSE(o.bad);
    CHECK_FALSE(o.direct);
    CHECK(o.file == both);
  }
}

// A DirectFileBuf that notes each write RowBuffer hands it: its size, whether its memory was
// aligned, and whether whole blocks still went directly when it came.
class NotingBuf final : public DirectFileBuf {
 public:
  using DirectFileBuf::DirectFileBuf;
  struct Write {
    std::size_t size;
    bool aligned;
    bool direct;
  };
  std::vector<Write> writes;

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    writes.push_back({static_cast<std::size_t>(n),
                      reinterpret_cast<std::uintptr_t>(s) % DirectFileBuf::block == 0, direct()});
    return DirectFileBuf::xsputn(s, n);
  }
};

TEST_CASE("RowBuffer over a DirectFile: blocks of whole disk blocks, the rows whole and in order") {
  test::TempDir dir("direct-file");
  const fs::path path = dir.path / "packets.csv";
  const bool direct = takes_direct_writes(dir.path);
  NotingBuf buf(path);
  std::string expected = "a,b\n";
  {
    std::ostream out(&buf);
    RowBuffer rows(out, Consumer::Inline);  // a DirectFile's blocks get a thread anyway
    rows.append("a,b\n");
    // Rows short and long, one longer than a direct block (1 MiB), each given more room than it
    // takes, as the writers do: about 7.5 MiB in all.
    const std::size_t lengths[] = {0, 1, 4'095, 4'096, 40'000, 3, 1'500'000, 77, 1'048'575, 5};
    char letter = 'a';
    for (int round = 0; round < 3; ++round) {
      for (const std::size_t n : lengths) test::put_letter_row(rows, n, letter, expected);
    }
    rows.flush();
    CHECK(out.good());
  }
  // Every block but the flush's rest was at least a block long, from aligned memory, and found
  // direct writes as they were at the start. Where the file system takes direct writes the blocks
  // are whole disk blocks of about 1 MiB; where it does not, RowBuffer's ordinary 256 KiB ones.
  REQUIRE(buf.writes.size() >= 5);
  const std::size_t least =
      direct ? RowBuffer::direct_block_bytes - DirectFileBuf::block : RowBuffer::block_bytes;
  std::size_t total = 0;
  for (std::size_t i = 0; i + 1 < buf.writes.size(); ++i) {
    CAPTURE(i);
    if (direct) CHECK(buf.writes[i].size % DirectFileBuf::block == 0);
    CHECK(buf.writes[i].size >= least);
    CHECK(buf.writes[i].aligned);
    CHECK(buf.writes[i].direct == direct);
    total += buf.writes[i].size;
  }
  CHECK(total + buf.writes.back().size == expected.size());
  CHECK(buf.writes.back().size < RowBuffer::direct_block_bytes + DirectFileBuf::block);
  CHECK(read_all(path) == expected);
}

}  // namespace
}  // namespace synlab::app
