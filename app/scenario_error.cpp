// ScenarioError (see scenario_error.hpp).
#include "app/scenario_error.hpp"

#include <cstddef>
#include <utility>

namespace synlab::app {

std::string SourceMark::to_string() const {
  if (file.empty()) return "command line";
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string quoted(std::string_view text) {
  constexpr std::size_t longest = 80;
  constexpr std::size_t shown = 60;
  // Appended piece by piece: GCC 12 warns falsely of overlap (-Wrestrict) on `"'" + text`.
  std::string out = "'";
  out.append(text.substr(0, text.size() <= longest ? text.size() : shown));
  if (text.size() <= longest) return out.append("'");
  return out.append("...' (").append(std::to_string(text.size())).append(" characters)");
}

ScenarioError::ScenarioError(SourceMark where, std::string message)
    : std::runtime_error(where.to_string() + ": " + message),
      where_(std::move(where)),
      message_(std::move(message)) {}

}  // namespace synlab::app
