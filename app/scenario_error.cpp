// ScenarioError (see scenario_error.hpp).
#include "app/scenario_error.hpp"

#include <utility>

namespace synlab::app {

std::string SourceMark::to_string() const {
  if (file.empty()) return "command line";
  if (line <= 0) return file;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

ScenarioError::ScenarioError(SourceMark where, std::string message)
    : std::runtime_error(where.to_string() + ": " + message),
      where_(std::move(where)),
      message_(std::move(message)) {}

}  // namespace synlab::app
