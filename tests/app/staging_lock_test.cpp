// remove_stale_staging (app/staging_lock.hpp): the next run removes a run's staging directory
// only once the run that made it has ended: its marker's lock is free (StagingLock), or, for a
// directory of a synlab from before the lock, its process no longer runs. A zombie (a process
// that ended and whose exit status nobody has collected) no longer runs: an MPI rank killed with
// its mpirun is handed to PID 1, which in a container may never collect it.
#include "app/staging_lock.hpp"

#include "tests/app/fresh_directory.hpp"

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
#include <system_error>

namespace synlab::app {
namespace {

namespace fs = std::filesystem;

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
  const fs::path parent = test::fresh_directory("synlab-staging-test");
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
  const fs::path parent = test::fresh_directory("synlab-staging-test");
  const fs::path dir = parent / ".out.partial-4242-0badf00d";  // any process id: not looked at
  fs::create_directory(dir);
  {
    const StagingLock held(dir / marker, "synlab output\n");  // another open file cannot take it
    CHECK_THROWS_AS(StagingLock(dir / marker, "again"), std::system_error);  // made only once
    CHECK_FALSE(staging_abandoned(dir, dir / marker));
    remove_stale_staging(parent, ".out.partial-", marker);
    CHECK(fs::exists(dir));
  }
  CHECK(staging_abandoned(dir, dir / marker));
  remove_stale_staging(parent, ".other.partial-", marker);  // another output's name
  CHECK(fs::exists(dir));
  remove_stale_staging(parent, ".out.partial-", marker);
  CHECK_FALSE(fs::exists(dir));
  fs::remove_all(parent);
}

TEST_CASE("a staging directory without a marker's text is a starting run's for an hour") {
  // No marker, or an empty one (made, not yet locked and written): a run just starting.
  const fs::path parent = test::fresh_directory("synlab-staging-test");
  const fs::path young = parent / ".out.partial-4243-00000001";
  const fs::path young_empty = parent / ".out.partial-4244-00000002";
  const fs::path old = parent / ".out.partial-4245-00000003";
  const fs::path old_empty = parent / ".out.partial-4246-00000004";
  for (const fs::path& d : {young, young_empty, old, old_empty}) fs::create_directory(d);
  std::ofstream(young_empty / marker).close();
  std::ofstream(old_empty / marker).close();
  for (const fs::path& d : {old, old_empty})
    fs::last_write_time(d, fs::file_time_type::clock::now() - std::chrono::minutes(61));
  remove_stale_staging(parent, ".out.partial-", marker);
  CHECK(fs::exists(young));
  CHECK(fs::exists(young_empty));
  CHECK_FALSE(fs::exists(old));
  CHECK_FALSE(fs::exists(old_empty));
  fs::remove_all(parent);
}

TEST_CASE("a finished output kept in its staging directory is never taken for a dead run's") {
  const fs::path parent = test::fresh_directory("synlab-staging-test");
  const fs::path dir = parent / ".out.partial-4247-00000005";
  fs::create_directory(dir);
  { const StagingLock ended(dir / marker, "synlab output\n"); }  // its run has ended
  std::ofstream(dir / kept_sentinel) << "kept\n";
  CHECK_FALSE(staging_abandoned(dir, dir / marker));
  remove_stale_staging(parent, ".out.partial-", marker);
  CHECK(fs::exists(dir));
  fs::remove_all(parent);
}

}  // namespace
}  // namespace synlab::app
