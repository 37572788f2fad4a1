// OutputDir: a run's output directory, written into a staging directory next to it and renamed
// into place only when everything is written, so an interrupted or failed run never leaves a
// half-written directory that looks complete.
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "app/direct_file.hpp"
#include "app/staging_lock.hpp"

namespace synlab::app {

// An output could not be written (a full disk, an unwritable OUTDIR): exit code 3.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// OUTDIR is not one synlab may replace (not a directory, or a folder of the user's): bad
// input, exit code 2.
class OutputRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class OutputDir {
 public:
  // The file every synlab output folder holds: only a folder with it is ever replaced.
  static constexpr std::string_view marker_name = ".synlab-output";

  // Checks that `target` can be written (its parent is creatable and writable) and creates the
  // staging directory, with the marker file in it, locked for this process's life
  // (StagingLock). A symbolic link is followed: the output goes where it points. A target that
  // exists must be empty or a previous synlab output (it holds the marker), which commit() then
  // replaces, and must not be the current folder or hold it: OutputRefused otherwise.
  // OutputError if it cannot be written.
  explicit OutputDir(std::filesystem::path target);
  // Removes the staging directory unless commit() succeeded or kept it.
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  // Throws OutputRefused if `input`, a file or folder the command reads (`what` names it: "the
  // scenario file"), is OUTDIR or inside it: the commit would remove it with the old output.
  void refuse_input_inside(const std::filesystem::path& input, std::string_view what) const;

  // Opens `name` in the staging directory for writing; throws OutputError on failure.
  std::ofstream open(const std::string& name) const;
  // The same for a large trace, written straight to the disk where it can be (DirectFile).
  std::unique_ptr<DirectFile> open_direct(const std::string& name) const;
  // Checks a stream after writing (disk full...); throws OutputError naming the file.
  void check(const std::ostream& out, const std::string& name) const;

  // Moves the staging directory into place. A previous output is swapped with it in one step
  // (renameat2 RENAME_EXCHANGE: OUTDIR is always either the old output or the new one) and
  // removed after; where the file system cannot exchange, it is renamed aside first. An OUTDIR
  // that is a mount point (a container's volume) cannot be renamed: its staging directory is
  // inside it, and the files are moved in one by one, summary.json last. If OUTDIR cannot take
  // the output (it became a folder of the user's during the run, it is immutable...), the
  // finished output is kept beside it as OUTDIR.kept-TOKEN (inside it, for a mount point) and
  // OutputError says so.
  void commit();

  // `message` with the hidden staging directory's path replaced by OUTDIR's: errors name the
  // folder the user asked for.
  std::string for_user(std::string message) const {
    return replace_path(std::move(message), staging_, target_);
  }
  static std::string replace_path(std::string message, const std::filesystem::path& from,
                                  const std::filesystem::path& to);

  const std::filesystem::path& target() const noexcept { return target_; }
  const std::filesystem::path& staging() const noexcept { return staging_; }
  // How many folders above the staging directory this run created (`-o new/deeper/out` made
  // `new` and `new/deeper`: 2). A run that ends without output removes them again, when empty
  // (the destructor, InterruptCleanup).
  std::size_t created_parents() const noexcept { return created_parents_; }

 private:
  void commit_in_place();
  [[noreturn]] void keep(const std::string& why);

  std::filesystem::path target_;
  std::filesystem::path staging_;
  bool in_place_ = false;  // OUTDIR is a mount point: staging_ is inside it
  bool committed_ = false;
  std::size_t created_parents_ = 0;
  std::optional<StagingLock> lock_;
};

}  // namespace synlab::app
