// TempDir: a fresh directory for one test, named by mkdtemp so that no two processes share
// it (CTest runs every test case as a process of its own and each suite once more as a
// whole, in parallel). Removed afterwards, unless SYNLAB_KEEP_TEST_FILES is set (to look at
// the files a failing test wrote).
#pragma once

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace synlab::test {

struct TempDir {
  // $TMPDIR/synlab-<prefix>-XXXXXX
  explicit TempDir(const std::string& prefix) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("synlab-" + prefix + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    path = pattern;
  }
  ~TempDir() {
    if (std::getenv("SYNLAB_KEEP_TEST_FILES") != nullptr) return;
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::filesystem::path path;
};

}  // namespace synlab::test
