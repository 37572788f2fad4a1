// names_folder(): the check `plot -o FILE` and `report -o FILE` make before anything is read.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace synlab::app {

// If `output` (an -o value naming one file) names a folder, by a trailing '/' or because it is
// one: the error to print, with a file name in it as an example (`example`: "plot.png").
inline std::optional<std::string> names_folder(const std::string& output,
                                               std::string_view example) {
  std::error_code ec;
  if (!output.ends_with('/') && !std::filesystem::is_directory(output, ec)) return std::nullopt;
  return "-o " + output + ": names a folder; give a file name, such as " +
         (std::filesystem::path(output) / example).string();
}

}  // namespace synlab::app
