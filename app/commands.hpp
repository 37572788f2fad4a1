// The `synlab` commands, callable from main() and from tests. Each returns the exit code:
// 0 success, 1 an expectation failed, 2 bad input (scenario or option).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace synlab::app {

struct ValidateOptions {
  std::string scenario;
  std::vector<std::string> sets;  // PATH=VALUE
};

struct RunOptions {
  std::string scenario;
  std::string outdir;  // default: out/<scenario name>
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;  // PATH=VALUE
  unsigned jobs = 0;              // 0: every core
  bool quiet = false;
  std::vector<std::string> command_line;  // for provenance
};

// Runs a scenario (every sweep point and replication), writes its outputs, checks its
// expectations and prints a summary table.
int run_command(const RunOptions& options, std::ostream& out, std::ostream& err);

// Checks a scenario and every sweep point without running anything; prints a summary.
int validate_command(const ValidateOptions& options, std::ostream& out, std::ostream& err);

// Parses the command line and runs the chosen command.
int main_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace synlab::app
