// read_regular_file (viz/read_file.hpp): what a saved run's reader takes, and what it refuses
// without waiting (a FIFO with no writer) or reading without end (/dev/zero).
#include "viz/read_file.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "viz/viz_error.hpp"

namespace fs = std::filesystem;
using synlab::viz::read_regular_file;
using synlab::viz::try_read_regular_file;
using synlab::viz::VizError;

TEST_CASE("read_regular_file: a file whole - no FIFO, device, folder or file past the limit") {
  const fs::path dir =
      fs::temp_directory_path() / ("synlab-read-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "a.csv", std::ios::binary) << std::string("a,b\n1,\0\n", 8);
  CHECK(read_regular_file(dir / "a.csv") == std::string("a,b\n1,\0\n", 8));  // bytes as they are
  CHECK_THROWS_WITH_AS(read_regular_file(dir / "a.csv", 7),
                       ((dir / "a.csv").string() + ": 8 bytes, more than the 7 this reads").c_str(),
                       VizError);
  // A FIFO nobody writes to: refused at once (opened without waiting), not waited on.
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  CHECK_THROWS_WITH_AS(
      read_regular_file(dir / "fifo"),
      ((dir / "fifo").string() + ": not a regular file (a run writes its files as such)").c_str(),
      VizError);
  // A link to /dev/zero (endless) and a folder: refused too, as is a file that is not there.
  fs::create_symlink("/dev/zero", dir / "zero");
  CHECK_THROWS_AS(read_regular_file(dir / "zero"), VizError);
  CHECK_THROWS_AS(read_regular_file(dir), VizError);
  CHECK_THROWS_WITH_AS(read_regular_file(dir / "missing"),
                       doctest::Contains("missing: cannot be read (No such file or directory)"),
                       VizError);
  CHECK_FALSE(try_read_regular_file(dir / "fifo").has_value());
  CHECK(try_read_regular_file(dir / "a.csv").has_value());
  fs::remove_all(dir);
}
