// InterruptCleanup (interrupt_cleanup.hpp). The handler uses only async-signal-safe calls
// (open, getdents64, unlinkat, rmdir, _exit): no allocation, no locks, no std::filesystem.
#include "app/interrupt_cleanup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>  // PIPE_BUF

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <system_error>

namespace synlab::app {
namespace {

std::array<char, 4096> staging_path{};  // read by the handler; set before it is installed
// The folders above staging_path that the run created, removed after it when empty.
volatile std::sig_atomic_t created_parents = 0;
// What the handler says after the signal's name: the OUTDIR that stays unwritten (set with
// staging_path), or where a finished output was kept (output_kept_on_signal()); empty when the
// handler should say nothing (after forget_staging_on_signal() or output_written_on_signal()).
// Its size keeps the handler's whole line within PIPE_BUF (4096 bytes), which a pipe takes in
// one write, at once or not at all.
std::array<char, 3900> unwritten_note{};
static_assert(128 + sizeof unwritten_note <= PIPE_BUF);
volatile std::sig_atomic_t unwritten_note_size = 0;
volatile std::sig_atomic_t progress_shown = 0;  // a progress bar's line is on the terminal
// The thread that installed the handler: the one that commits the output, holding the signals
// while it does (SignalsHeld). 0 when none is installed.
std::atomic<pid_t> main_thread{0};
static_assert(std::atomic<pid_t>::is_always_lock_free, "read in a signal handler");
// What each of cleanup_signals did before (restored by ~InterruptCleanup).
std::array<struct sigaction, cleanup_signals.size()> previous{};

// One pass over the directory's entries, unlinking each.
void unlink_entries(int dir) {
  alignas(8) std::array<char, 4096> buffer{};
  for (;;) {
    const long n = ::syscall(SYS_getdents64, dir, buffer.data(), buffer.size());
    if (n <= 0) return;
    for (long at = 0; at < n;) {
      struct Entry {  // struct linux_dirent64
        std::uint64_t ino;
        std::int64_t off;
        unsigned short reclen;
        unsigned char type;
        char name[1];
      };
      const auto* e = reinterpret_cast<const Entry*>(buffer.data() + at);
      if (std::strcmp(e->name, ".") != 0 && std::strcmp(e->name, "..") != 0)
        ::unlinkat(dir, e->name, 0);
      at += e->reclen;
    }
  }
}

// The name of each of cleanup_signals, for the handler's line (sigabbrev_np() is not listed
// as async-signal-safe).
const char* signal_name(int sig) noexcept {
  switch (sig) {
    case SIGHUP:
      return "SIGHUP";
    case SIGINT:
      return "SIGINT";
    case SIGPIPE:
      return "SIGPIPE";
    case SIGALRM:
      return "SIGALRM";
    case SIGTERM:
      return "SIGTERM";
    case SIGUSR1:
      return "SIGUSR1";
    case SIGUSR2:
      return "SIGUSR2";
    case SIGXCPU:
      return "SIGXCPU";
    case SIGXFSZ:
      return "SIGXFSZ";
    default:
      return "a signal";
  }
}

// Writes `text` to standard error in one write, if it takes it at once: a closed terminal
// takes none, and a stalled one (Ctrl-S, a log pipe nobody reads) must not keep the process
// from ending, with every cleanup signal held while the handler runs.
void say(const char* text, std::size_t size) noexcept {
  pollfd ready{.fd = STDERR_FILENO, .events = POLLOUT, .revents = 0};
  if (::poll(&ready, 1, 0) != 1 || (ready.revents & POLLOUT) == 0) return;
  while (::write(STDERR_FILENO, text, size) < 0 && errno == EINTR) {
  }
}

// Appends `text` at `at` in `line` (of `room` bytes), as much as fits.
std::size_t append(char* line, std::size_t at, std::size_t room, const char* text,
                   std::size_t size) noexcept {
  const std::size_t n = size < room - at ? size : room - at;
  std::memcpy(line + at, text, n);
  return at + n;
}

extern "C" void on_interrupt(int sig) {
  const int saved_errno = errno;
  // Another thread (a worker's write, MPI's or Qt's threads, whose masks are their own) hands the
  // signal to the thread that commits the output: it waits there while the commit holds it, so
  // a finished output is never removed or half put in place.
  // (Read once: the installing thread may clear it meanwhile. If the hand-over fails, that
  // thread is gone, and this one cleans up itself.)
  const pid_t main = main_thread.load();
  const auto self = static_cast<pid_t>(::syscall(SYS_gettid));
  if (main != 0 && self != main && ::syscall(SYS_tgkill, ::getpid(), main, sig) == 0) {
    errno = saved_errno;
    return;
  }
  // Worker threads may still add a file: a few passes until the directory goes.
  for (int pass = 0; pass < 8; ++pass) {
    const int dir = ::open(staging_path.data(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) break;
    unlink_entries(dir);
    ::close(dir);
    if (::rmdir(staging_path.data()) == 0) {
      // Then the folders made for OUTDIR, from the deepest, each while it is empty. (The path is
      // cut in place: the process ends here.)
      for (std::sig_atomic_t i = 0; i < created_parents; ++i) {
        char* const slash = std::strrchr(staging_path.data(), '/');
        if (slash == nullptr || slash == staging_path.data()) break;
        *slash = '\0';
        if (::rmdir(staging_path.data()) != 0) break;
      }
      break;
    }
  }
  if (unwritten_note_size > 0) {
    // One line, so that a user who pressed Ctrl-C, or who finds a batch job's log ending, knows
    // the run stopped unfinished and where nothing was written; the progress bar's line cleared
    // first, as when a run ends.
    char line[128 + sizeof unwritten_note];
    std::size_t at = 0;
    if (progress_shown != 0) {
      constexpr std::string_view clear =
          "\r                                                                              "
          "            \r";
      at = append(line, at, sizeof line, clear.data(), clear.size());
    }
    constexpr std::string_view head = "synlab: stopped by ";
    at = append(line, at, sizeof line, head.data(), head.size());
    const char* name = signal_name(sig);
    at = append(line, at, sizeof line, name, std::strlen(name));
    at = append(line, at, sizeof line, unwritten_note.data(),
                static_cast<std::size_t>(unwritten_note_size));
    say(line, at);
  }
  errno = saved_errno;
  ::_exit(128 + sig);
}

// Puts `text` in unwritten_note; a text longer than the note loses its middle (a path of
// thousands of characters), cut between two UTF-8 characters, to "...".
void set_note(std::string_view text) noexcept {
  unwritten_note_size = 0;  // a signal meanwhile says nothing rather than half a note
  const std::size_t room = unwritten_note.size();
  std::size_t size = text.size();
  if (size <= room) {
    std::memcpy(unwritten_note.data(), text.data(), size);
  } else {
    constexpr std::string_view dots = "...";
    const auto continuation = [&](std::size_t at) {
      return (static_cast<unsigned char>(text[at]) & 0xC0u) == 0x80u;
    };
    const std::size_t half = (room - dots.size()) / 2;
    std::size_t head = half;  // back to the start of a character
    while (head > 0 && continuation(head)) --head;
    std::size_t tail = text.size() - half;  // on to the start of one
    while (tail < text.size() && continuation(tail)) ++tail;
    std::memcpy(unwritten_note.data(), text.data(), head);
    std::memcpy(unwritten_note.data() + head, dots.data(), dots.size());
    const std::size_t rest = text.size() - tail;
    std::memcpy(unwritten_note.data() + head + dots.size(), text.data() + tail, rest);
    size = head + dots.size() + rest;
  }
  unwritten_note_size = static_cast<std::sig_atomic_t>(size);
}

}  // namespace

InterruptCleanup::InterruptCleanup(const std::filesystem::path& staging,
                                   const std::filesystem::path& target,
                                   std::size_t created_parents_count) {
  const std::string path = std::filesystem::absolute(staging).string();
  const std::string note = " before finishing: nothing written to " + target.string() + "/\n";
  if (path.size() >= staging_path.size()) {
    installed_ = false;  // cannot name it safely: leave the defaults
    return;
  }
  std::memcpy(staging_path.data(), path.data(), path.size());
  staging_path[path.size()] = '\0';
  created_parents = static_cast<std::sig_atomic_t>(created_parents_count);
  set_note(note);
  main_thread.store(static_cast<pid_t>(::syscall(SYS_gettid)));
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  // Another of them arriving while the handler cleans up waits: one cleanup, one exit code.
  for (const int sig : cleanup_signals) sigaddset(&action.sa_mask, sig);
  for (std::size_t i = 0; i < cleanup_signals.size(); ++i) {
    sigaction(cleanup_signals[i], nullptr, &previous[i]);
    // A signal ignored when we started stays ignored (a shell's background job, nohup).
    if (previous[i].sa_handler != SIG_IGN) sigaction(cleanup_signals[i], &action, nullptr);
  }
}

InterruptCleanup::~InterruptCleanup() {
  if (!installed_) return;
  for (std::size_t i = 0; i < cleanup_signals.size(); ++i)
    sigaction(cleanup_signals[i], &previous[i], nullptr);
  main_thread.store(0);
}

void forget_staging_on_signal() noexcept {
  created_parents = 0;
  staging_path[0] = '\0';  // the handler then opens nothing, says nothing and only exits
  unwritten_note_size = 0;
}

void output_written_on_signal(std::string_view target) noexcept {
  created_parents = 0;  // they hold the output now
  try {
    std::string note = " after finishing: the outputs are complete in ";
    note.append(target).append(target.ends_with('/') ? "\n" : "/\n");
    set_note(note);
  } catch (const std::bad_alloc&) {
    unwritten_note_size = 0;  // no room for the words: the exit code alone
  }
}

void output_kept_on_signal(std::string_view where) {
  set_note(" after finishing: " + std::string(where) + "\n");
}

void progress_line_shown(bool shown) noexcept {
  progress_shown = shown ? 1 : 0;
}

SignalsHeld::SignalsHeld() {
  sigset_t all;
  sigemptyset(&all);
  for (const int sig : cleanup_signals) sigaddset(&all, sig);
  pthread_sigmask(SIG_BLOCK, &all, &previous_);
}

SignalsHeld::~SignalsHeld() {
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

}  // namespace synlab::app
