// StagingLock (staging_lock.hpp).
#include "app/staging_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <fstream>
#include <string>
#include <system_error>

namespace synlab::app {
namespace fs = std::filesystem;

namespace {

// Whether process `pid` is still running: it exists and is not a zombie. A process killed
// outright stays a zombie until its parent collects its exit status, and one whose parent is
// gone is handed to PID 1, which in a container may never collect it (an MPI rank killed with
// its mpirun); a zombie writes nothing more. The state is the field after the command name in
// /proc/PID/stat (proc(5)); without /proc, a process that exists counts as running.
bool still_running(pid_t pid) {
  if (::kill(pid, 0) != 0 && errno == ESRCH) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  // The command name is in parentheses and may itself hold ") ": the last one closes it.
  const std::size_t close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return true;
  const char state = line[close + 2];
  return state != 'Z' && state != 'X';
}

bool digits_only(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

StagingLock::StagingLock(const fs::path& marker, std::string_view text)
    : fd_(::open(marker.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) {
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), marker.string());
  // Waits out a later run that is testing the lock (it holds it for an instant); a file system
  // without locks says so at once (ENOLCK), and then nothing is held.
  while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
  }
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : EIO;
      ::close(fd_);
      throw std::system_error(error, std::generic_category(), marker.string());
    }
    done += static_cast<std::size_t>(n);
  }
}

StagingLock::~StagingLock() {
  if (fd_ >= 0) ::close(fd_);  // and with it the lock
}

bool staging_abandoned(const fs::path& dir, const fs::path& marker) {
  std::error_code ec;
  if (fs::exists(dir / kept_sentinel, ec) || ec) return false;
  const auto older_than_an_hour = [&] {
    std::error_code age_ec;
    const auto written = fs::last_write_time(dir, age_ec);
    return !age_ec && fs::file_time_type::clock::now() - written > std::chrono::hours(1);
  };
  const int fd = ::open(marker.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT && older_than_an_hour();
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size == 0) {  // starting: its text comes once it is locked
    ::close(fd);
    return older_than_an_hour();
  }
  // Taken at once: no process holds it. EWOULDBLOCK: a run holds it. Anything else (ENOLCK on
  // a file system without locks): in doubt.
  const bool abandoned = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
  ::close(fd);
  return abandoned;
}

void remove_stale_staging(const fs::path& parent, const std::string& prefix,
                          std::string_view marker_name) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(parent, ec)) {
    const std::string file = entry.path().filename().string();
    if (!file.starts_with(prefix) || !entry.is_directory(ec)) continue;
    const std::string_view token = std::string_view(file).substr(prefix.size());
    bool stale = false;
    if (digits_only(token)) {  // a synlab's from before the lock: by its process id
      long pid = 0;
      if (std::from_chars(token.data(), token.data() + token.size(), pid).ec != std::errc{})
        continue;
      stale = pid != ::getpid() && !still_running(static_cast<pid_t>(pid));
    } else if (const std::size_t dash = token.find('-');
               dash != std::string_view::npos && digits_only(token.substr(0, dash))) {
      stale = staging_abandoned(entry.path(), entry.path() / marker_name);
    }
    if (stale) fs::remove_all(entry.path(), ec);
  }
}

}  // namespace synlab::app
