// InterruptCleanup (interrupt_cleanup.hpp). The handler uses only async-signal-safe calls
// (open, getdents64, unlinkat, rmdir, _exit): no allocation, no locks, no std::filesystem.
#include "app/interrupt_cleanup.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>

namespace synlab::app {
namespace {

std::array<char, 4096> staging_path{};  // read by the handler; set before it is installed
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

extern "C" void on_interrupt(int sig) {
  // Worker threads may still add a file: a few passes until the directory goes.
  for (int pass = 0; pass < 8; ++pass) {
    const int dir = ::open(staging_path.data(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) break;
    unlink_entries(dir);
    ::close(dir);
    if (::rmdir(staging_path.data()) == 0) break;
  }
  ::_exit(128 + sig);
}

}  // namespace

InterruptCleanup::InterruptCleanup(const std::filesystem::path& staging) {
  const std::string path = std::filesystem::absolute(staging).string();
  if (path.size() >= staging_path.size()) {  // cannot name it safely: leave the defaults
    installed_ = false;
    return;
  }
  std::memcpy(staging_path.data(), path.data(), path.size());
  staging_path[path.size()] = '\0';
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
}

void forget_staging_on_signal() noexcept {
  staging_path[0] = '\0';  // the handler then opens nothing and only exits
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
