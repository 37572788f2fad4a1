// The `synlab` commands, callable from main() and from tests. Each returns the exit code:
// 0 success, 1 an expectation failed, 2 bad input (scenario, option or output directory).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "models/tcp/profile.hpp"
#include "sim/time.hpp"

namespace synlab::app {

// The exit codes (`synlab --help`, docs/running.md).
inline constexpr int exit_ok = 0;
inline constexpr int exit_expectation_failed = 1;
inline constexpr int exit_bad_input = 2;  // scenario, option, output directory, a run's files
inline constexpr int exit_failure = 3;    // anything else (a message says what)
// An output could not be written (a full disk, an unwritable OUTDIR, CSV, pcap and plots
// alike): the message names OUTDIR, and neither OUTDIR half-written nor staging is left.
inline constexpr int exit_output_failed = exit_failure;

struct ValidateOptions {
  std::string scenario;
  std::vector<std::string> sets;  // PATH=VALUE
  bool quiet = false;             // errors only (the exit code says the rest)
};

struct RunOptions {
  std::string scenario;
  std::string outdir;  // default: out/<scenario name>
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets;  // PATH=VALUE
  unsigned jobs = 0;              // 0: every core
  std::string shard;              // "K/N": run only shard K of N of the sweep's runs; "" all
  bool quiet = false;
  std::vector<std::string> command_line;  // for provenance
};

struct MergeOptions {
  std::string outdir;                     // where the merged outputs go
  std::vector<std::string> shards;        // the folders `synlab run --shard K/N` wrote, all N
  std::vector<std::string> command_line;  // for provenance
};

struct PlotOptions {
  std::string outdir;        // a run's output directory; the images go there too
  std::string kind = "all";  // ladder, timeseq, timing, cdf or all
  std::uint64_t conn = 1;    // ladder and timeseq
  std::string format;        // png or svg; "" (not given): the -o file's extension, else png
  std::string size;          // WIDTHxHEIGHT in pixels; empty: 1200x800, ladders taller
  std::string x = "swept";   // timing: swept or effective-loss (p/(p+r))
  std::string output;        // -o FILE: a single plot's file (needs --kind)
  bool ccdf = false;         // cdf: 1 - F(t) on a log axis
};

struct DrillOptions {
  std::vector<std::string> paths;  // scripts, or folders of .pkt scripts
  const tcp::Profile* profile = nullptr;
  std::optional<sim::Duration> tolerance;  // overrides the scripts' --tolerance_usecs
  std::optional<double> tolerance_percent;
  std::string trace_dir;  // one script only: its packets.csv, states.csv, trace.pcap go there
  bool quiet = false;
};

struct ReportOptions {
  std::vector<std::string> dirs;  // one run's output directory, or two to compare
  std::string output;             // default: DIR/report.html, or DIR1/compare.html
};

struct ViewOptions {
  PlotOptions plot;        // outdir, kind, conn, size (the format is not used)
  std::string screenshot;  // if set: render the window into this PNG and exit (headless)
};

// Runs a scenario (every sweep point and replication), writes its outputs, checks its
// expectations and prints a summary table.
int run_command(const RunOptions& options, std::ostream& out, std::ostream& err);

// Writes the outputs of a sweep run as N shards (`run --shard K/N`) from those shards: the same
// bytes as the sweep run whole, but for summary.json's command line.
int merge_command(const MergeOptions& options, std::ostream& out, std::ostream& err);

// Checks a scenario and every sweep point without running anything; prints a summary.
int validate_command(const ValidateOptions& options, std::ostream& out, std::ostream& err);

// Draws the plots of a saved run from its files into the same directory (docs/plots.md).
int plot_command(const PlotOptions& options, std::ostream& out, std::ostream& err);

// Writes one self-contained HTML page for a saved run, or two side by side (report_html.hpp).
int report_command(const ReportOptions& options, std::ostream& out, std::ostream& err);

// Shows a saved run's plots in a window (zoom, pan, hover); needs a display unless
// `screenshot` is set.
int view_command(const ViewOptions& options, std::ostream& out, std::ostream& err);

// Runs packetdrill scripts against the TCP model (docs/drill.md): 0 all passed, 1 a script
// failed, 2 a script is not valid or is refused.
int drill_command(const DrillOptions& options, std::ostream& out, std::ostream& err);

// Parses the command line and runs the chosen command.
int main_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace synlab::app
