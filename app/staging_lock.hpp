// StagingLock: a run's claim on its staging directory, which tells a later run whether that
// directory belongs to a run still going or was left by one killed outright (SIGKILL, a lost
// machine). The claim is an flock(2) lock on the directory's marker file, held for the life of
// the process that wrote it: the kernel drops it when that process ends, however it ends. Unlike
// a process id, a lock is the same fact in every PID namespace (containers sharing a folder) and,
// on NFS (where Linux carries flock over as a POSIX lock), on every machine sharing the file
// system (a cluster's nodes).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace synlab::app {

class StagingLock {
 public:
  // Creates `marker` (it must not exist), locks it, then writes `text` into it: a marker with
  // text is always locked while its run lives, and an empty one is a run's that is starting.
  // Where the file system has no locks, it holds none (a later run then never takes the
  // directory for a dead one's). Throws std::system_error if the file cannot be made or written.
  StagingLock(const std::filesystem::path& marker, std::string_view text);
  ~StagingLock();
  StagingLock(const StagingLock&) = delete;
  StagingLock& operator=(const StagingLock&) = delete;

 private:
  int fd_ = -1;
};

// A staging directory holding this file is a finished output that could not be put in place
// (OutputDir::commit()) and is kept for the user: never removed as a dead run's.
inline constexpr std::string_view kept_sentinel = ".synlab-kept";

// Whether the staging directory `dir` was left by a run that ended: its marker holds text and
// nobody holds its lock. A directory without a marker, or with an empty one, is a run's that is
// starting, unless it is over an hour old (a run killed before it wrote one). A kept output
// (kept_sentinel) never is. On a file system without locks, or on any doubt, false: a directory
// is never taken from a run that may still write in it.
bool staging_abandoned(const std::filesystem::path& dir, const std::filesystem::path& marker);

// Removes the staging directories in `parent` whose names are `prefix` then a run's token
// (".out.partial-" then "PID-RANDOM") and that staging_abandoned() says were left by a run that
// ended; `marker_name` is the marker file each holds. Directories of synlab before the lock
// (".out.partial-PID") go once their process is gone or a zombie.
void remove_stale_staging(const std::filesystem::path& parent, const std::string& prefix,
                          std::string_view marker_name);

}  // namespace synlab::app
