// remove_stale_staging (app/staging_lock.hpp): the next run removes a run's staging directory
// only once the run that made it has ended: its marker's lock is free (StagingLock), or, for a
// directory of a synlab from before the lock, its process no longer runs. A zombie (a process
// that ended and whose exit status nobody has collected) no longer runs: an MPI rank killed with
// its mpirun is handed to PID 1, which in a container may never collect it.
#include "app/staging_lock.hpp"

#include <doctest/doctest.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace synlab::app {
namespace {

namespace fs = std::filesystem;

// A fresh, empty directory for this test.
fs::path fresh_directory() {
  const fs::path d =
      fs::temp_directory_path() / ("synlab-staging-test-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

constexpr std::string_view marker = ".synlab-output";

// A staging directory of output `name` made by process `pid` (the naming before the lock), with
// a file in it.
fs::path staging(const fs::path& parent, const std::string& name, pid_t pid) {
  const fs::path dir = parent / ("." + name + ".partial-" + std::to_string(pid));
  fs::create_directory(dir);
  std::ofstream(dir / "connections.csv") << "conn\n";
  return dir;
}

TEST_CASE(
    "a staging directory of before the lock stays while its process runs, goes once a zombie") {
  const fs::path parent = fresh_directory();
  int pipe_ends[2] = {-1, -1};
  REQUIRE(::pipe(pipe_ends) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {  // runs until the pipe closes, then ends
    ::close(pipe_ends[1]);
    char byte = 0;
    (void)!::read(pipe_ends[0], &byte, 1);
    ::_exit(0);
  }
  ::close(pipe_ends[0]);
  const fs::path running = staging(parent, "out", child);
  const fs::path own = staging(parent, "out", ::getpid());
  remove_stale_staging(parent, ".out.partial-", marker);
  CHECK(fs::exists(running));
  CHECK(fs::exists(own));

  ::close(pipe_ends[1]);  // the child ends; its exit status is left uncollected
  siginfo_t info{};
  REQUIRE(::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT) == 0);
  const fs::path other_name = staging(parent, "other", child);
  remove_stale_staging(parent, ".out.partial-", marker);
  CHECK_FALSE(fs::exists(running));  // a zombie's
  CHECK(fs::exists(own));            // this process's own
  CHECK(fs::exists(other_name));     // another output's

  REQUIRE(::waitpid(child, nullptr, 0) == child);  // collected: the process is gone
  remove_stale_staging(parent, ".other.partial-", marker);
  CHECK_FALSE(fs::exists(other_name));
  fs::remove_all(parent);
}

TEST_CASE("a staging directory stays while its marker is locked, and goes once it is not") {
  const fs::path parent = fresh_directory();
  const fs::path dir = parent / ".out.partial-4242-0badf00d";  // any process id: not looked at
  fs::create_directory(dir);
  std::ofstream(dir / marker) << "synlab output\n";
  {
    const StagingLock held(dir / marker);  // flock: another open file, even ours, cannot take it
    CHECK_FALSE(staging_abandoned(dir, dir / marker));
    remove_stale_staging(parent, ".out.partial-", marker);
    CHECK(fs::exists(dir));
  }
  CHECK(staging_abandoned(dir, dir / marker));
  remove_stale_staging(parent, ".other.partial-", marker);  // another output's name
  CHECK(fs::exists(dir));
  remove_stale_staging(parent, ".out.partial-", marker);
  CHECK_FALSE(fs::exists(dir));

  // No marker yet: a run just starting, unless the directory is over an hour old.
  const fs::path young = parent / ".out.partial-4243-00000001";
  const fs::path old = parent / ".out.partial-4244-00000002";
  fs::create_directory(young);
  fs::create_directory(old);
  fs::last_write_time(old, fs::file_time_type::clock::now() - std::chrono::minutes(61));
  remove_stale_staging(parent, ".out.partial-", marker);
  CHECK(fs::exists(young));
  CHECK_FALSE(fs::exists(old));
  fs::remove_all(parent);
}

}  // namespace
}  // namespace synlab::app
