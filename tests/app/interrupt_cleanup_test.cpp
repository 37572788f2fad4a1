// remove_stale_staging (app/interrupt_cleanup.hpp): the next run removes a run's staging
// directory only once the process that made it no longer runs. A zombie (a process that ended
// and whose exit status nobody has collected) no longer runs: an MPI rank killed with its
// mpirun is handed to PID 1, which in a container may never collect it.
#include "app/interrupt_cleanup.hpp"

#include <doctest/doctest.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

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

// A staging directory of output `name` made by process `pid`, with a file in it.
fs::path staging(const fs::path& parent, const std::string& name, pid_t pid) {
  const fs::path dir = parent / ("." + name + ".partial-" + std::to_string(pid));
  fs::create_directory(dir);
  std::ofstream(dir / "connections.csv") << "conn\n";
  return dir;
}

TEST_CASE("a staging directory stays while its process runs and goes once it is a zombie") {
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
  remove_stale_staging(parent, "out");
  CHECK(fs::exists(running));
  CHECK(fs::exists(own));

  ::close(pipe_ends[1]);  // the child ends; its exit status is left uncollected
  siginfo_t info{};
  REQUIRE(::waitid(P_PID, static_cast<id_t>(child), &info, WEXITED | WNOWAIT) == 0);
  const fs::path other_name = staging(parent, "other", child);
  remove_stale_staging(parent, "out");
  CHECK_FALSE(fs::exists(running));  // a zombie's
  CHECK(fs::exists(own));            // this process's own
  CHECK(fs::exists(other_name));     // another output's

  REQUIRE(::waitpid(child, nullptr, 0) == child);  // collected: the process is gone
  remove_stale_staging(parent, "other");
  CHECK_FALSE(fs::exists(other_name));
  fs::remove_all(parent);
}

}  // namespace
}  // namespace synlab::app
