// OutputDir: a run's output directory, written into a staging directory next to it and renamed
// into place only when everything is written, so an interrupted or failed run never leaves a
// half-written directory that looks complete.
#pragma once

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace synlab::app {

class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class OutputDir {
 public:
  // The file every synlab output folder holds: only a folder with it is ever replaced.
  static constexpr std::string_view marker_name = ".synlab-output";

  // Checks that `target` can be written (its parent is creatable and writable) and creates the
  // staging directory, with the marker file in it. A target that exists must be empty or a
  // previous synlab output (it holds the marker), which commit() then replaces. Throws
  // OutputError otherwise.
  explicit OutputDir(std::filesystem::path target);
  // Removes the staging directory unless commit() succeeded.
  ~OutputDir();
  OutputDir(const OutputDir&) = delete;
  OutputDir& operator=(const OutputDir&) = delete;

  // Opens `name` in the staging directory for writing; throws OutputError on failure.
  std::ofstream open(const std::string& name) const;
  // Checks a stream after writing (disk full...); throws OutputError naming the file.
  void check(const std::ofstream& out, const std::string& name) const;

  // Moves the staging directory into place (replacing a previous output).
  void commit();

  const std::filesystem::path& target() const noexcept { return target_; }
  const std::filesystem::path& staging() const noexcept { return staging_; }

 private:
  std::filesystem::path target_;
  std::filesystem::path staging_;
  bool committed_ = false;
};

}  // namespace synlab::app
