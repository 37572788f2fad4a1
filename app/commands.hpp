// The `synlab` commands, callable from main() and from tests. Each returns the exit code:
// 0 success, 1 an expectation failed, 2 bad input (scenario or option).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace synlab::app {

struct ValidateOptions {
  std::string scenario;
  std::vector<std::string> sets;  // PATH=VALUE
};

// Checks a scenario and every sweep point without running anything; prints a summary.
int validate_command(const ValidateOptions& options, std::ostream& out, std::ostream& err);

// Parses the command line and runs the chosen command.
int main_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace synlab::app
