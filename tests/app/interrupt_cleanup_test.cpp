// InterruptCleanup (app/interrupt_cleanup.hpp): the line its handler writes on standard error.
// Each case runs in a child process, which the handler ends; the parent reads what the child
// wrote and how it ended.
#include "app/interrupt_cleanup.hpp"

#include "tests/app/fresh_directory.hpp"

#include "app/output_dir.hpp"

#include <doctest/doctest.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

namespace synlab::app {
namespace {

namespace fs = std::filesystem;

struct Ended {
  int exit_code = -1;   // -1: not ended by _exit (a crash)
  std::string stderr_;  // all it wrote on standard error
};

// Runs `body` in a child process, its standard error into a pipe; the child ends with _exit(99)
// if `body` returns.
Ended in_child(const std::function<void()>& body) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    body();
    ::_exit(99);
  }
  ::close(pipe_fds[1]);
  Ended ended;
  char buffer[8192];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
    ended.stderr_.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (WIFEXITED(status)) ended.exit_code = WEXITSTATUS(status);
  return ended;
}

// A staging directory holding one file, in `dir`.
fs::path staging_in(const fs::path& dir) {
  const fs::path staging = dir / ".out.partial-test";
  fs::create_directories(staging);
  std::ofstream(staging / "connections.csv") << "conn\n";
  return staging;
}

bool valid_utf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0u) != 0x80u) return false;
    i += n;
  }
  return true;
}

TEST_CASE("a signal during the run removes the staging directory and says nothing was written") {
  const fs::path dir = test::fresh_directory("synlab-interrupt-test");
  const fs::path staging = staging_in(dir);
  const Ended e = in_child([&] {
    const InterruptCleanup cleanup(staging, "out");
    ::raise(SIGINT);
  });
  CHECK(e.exit_code == 128 + SIGINT);
  CHECK_FALSE(fs::exists(staging));
  CHECK(e.stderr_ == "synlab: stopped by SIGINT before finishing: nothing written to out/\n");
}

TEST_CASE("a signal held while a finished output is kept says where it is kept") {
  // OutputDir::keep() runs under commit()'s SignalsHeld: a signal waits, keep() moves the output
  // aside and throws, and the signal, delivered as the hold ends, must say where it went.
  // Here OUTDIR became a folder of the user's during the run, as in cli_test's "a taken OUTDIR",
  // and the signal was sent just before the commit.
  const fs::path dir = test::fresh_directory("synlab-interrupt-test");
  const fs::path target = dir / "grabbed";
  const Ended e = in_child([&] {
    OutputDir out(target);
    const InterruptCleanup cleanup(out.staging(), target);
    std::ofstream(out.staging() / "summary.json") << "{}\n";
    fs::create_directories(target);
    std::ofstream(target / "precious.txt") << "mine\n";
    const SignalsHeld held;
    ::raise(SIGTERM);
    try {
      out.commit();
    } catch (const OutputError&) {
    }
  });
  CHECK(e.exit_code == 128 + SIGTERM);
  const std::string kept_prefix = (dir / "grabbed.kept-").string();
  const std::string expected_head =
      "synlab: stopped by SIGTERM after finishing: cannot put the output in " + target.string() +
      " (it now holds files that are not a synlab output's); the finished output is kept in " +
      kept_prefix;
  CHECK(e.stderr_.starts_with(expected_head));
  CHECK(e.stderr_.ends_with("\n"));
  // The folder it names holds the output, and the user's folder is untouched.
  const std::string kept =
      e.stderr_.substr(expected_head.size() - kept_prefix.size(),
                       e.stderr_.size() - 1 - (expected_head.size() - kept_prefix.size()));
  CHECK(fs::exists(fs::path(kept) / "summary.json"));
  CHECK(fs::exists(target / "precious.txt"));
  fs::remove_all(dir);
}

// A user who stops the run while the old output is still being removed, or the table printed,
// learns that the new output is complete (it used to end with no word at all).
TEST_CASE("after the output is in place a signal ends the process and says the outputs are there") {
  const fs::path dir = test::fresh_directory("synlab-interrupt-test");
  const fs::path staging = staging_in(dir);
  const Ended e = in_child([&] {
    const InterruptCleanup cleanup(staging, "out");
    output_written_on_signal("out/lab");
    ::raise(SIGHUP);
  });
  CHECK(e.exit_code == 128 + SIGHUP);
  CHECK(e.stderr_ ==
        "synlab: stopped by SIGHUP after finishing: the outputs are complete in out/lab/\n");
  fs::remove_all(dir);
}

TEST_CASE("a very long OUTDIR: the line stays within PIPE_BUF, its middle cut between characters") {
  // 3,000 two-byte characters: 6,000 bytes of name, more than a pipe takes in one write. The
  // one-byte "x" and "-en" put both cuts in the middle of a character.
  std::string name;
  for (int i = 0; i < 3000; ++i) name += "\xC3\xA9";  // é
  const fs::path target = fs::path("start-x" + name + "-en");
  const fs::path dir = test::fresh_directory("synlab-interrupt-test");
  const fs::path staging = staging_in(dir);
  const Ended e = in_child([&] {
    const InterruptCleanup cleanup(staging, target);
    ::raise(SIGUSR1);
  });
  CHECK(e.exit_code == 128 + SIGUSR1);
  CHECK_FALSE(fs::exists(staging));
  CHECK(e.stderr_.size() <= PIPE_BUF);
  CHECK(
      e.stderr_.starts_with("synlab: stopped by SIGUSR1 before finishing: nothing written to "
                            "start-x\xC3\xA9"));
  CHECK(e.stderr_.ends_with("\xC3\xA9-en/\n"));
  CHECK(e.stderr_.find("...") != std::string::npos);
  CHECK(valid_utf8(e.stderr_));
  // Cut only as much as it must: the note's room is 3,900 bytes, an odd 3,897 left for the two
  // halves (1,948 each, +3 dots: 3,899), each end short by at most one byte of a character.
  CHECK(e.stderr_.size() >= std::string_view("synlab: stopped by SIGUSR1").size() + 3897);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace synlab::app
