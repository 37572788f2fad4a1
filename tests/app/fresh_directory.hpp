// A fresh, empty folder for one test process: under the temporary directory, named by `name`
// and the process id, emptied if a run before left it.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace synlab::app::test {

inline std::filesystem::path fresh_directory(std::string_view name) {
  const std::filesystem::path d = std::filesystem::temp_directory_path() /
                                  (std::string(name) + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace synlab::app::test
