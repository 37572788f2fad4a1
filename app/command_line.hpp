// The `synlab` command line as one CLI11 App tree: every command, option and help text. The
// parser (commands.cpp), `--help`, the bash completion (command_completion.hpp) and the man page
// (command_man_page.hpp) all read this one tree, so none can drift from the others.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/commands.hpp"

namespace synlab::app {

// The value kinds of positionals and options that name files (their CLI11 type names, shown by
// `--help`), which the completion turns into file or directory completion.
inline constexpr const char* scenario_type = "SCENARIO";  // a scenario file, *.yaml
inline constexpr const char* script_type = "SCRIPT";      // a packetdrill script *.pkt or folder
inline constexpr const char* outdir_type = "OUTDIR";      // a run's output directory
inline constexpr const char* dir_type = "DIR";            // any other directory
inline constexpr const char* file_type = "FILE";          // any file

// Owns the App and the values it parses into. Not copyable or movable: the App holds pointers
// to the members it fills.
struct CommandLine {
  CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  RunOptions run;
  MergeOptions merge;
  ValidateOptions validate;
  PlotOptions plot;
  ReportOptions report;  // but for its folders, which the next two give
  std::string report_dir;
  std::string report_other;  // "": none, a page of one run
  ViewOptions view;
  DrillOptions drill;  // but for what the next three give
  std::string drill_profile = "linux";
  std::string drill_tolerance;
  std::optional<std::int64_t> drill_tolerance_usecs;
  bool schema_markdown = false;
  std::string completion_shell = "bash";

  CLI::App app;
  CLI::App* run_cli = nullptr;
  CLI::App* merge_cli = nullptr;
  CLI::App* validate_cli = nullptr;
  CLI::App* plot_cli = nullptr;
  CLI::App* report_cli = nullptr;
  CLI::App* view_cli = nullptr;
  CLI::App* drill_cli = nullptr;
  // Hidden (no group, so --help leaves them out).
  CLI::App* schema_cli = nullptr;
  CLI::App* completion_cli = nullptr;
  CLI::App* man_cli = nullptr;
};

// What an option's values are, read from the App tree alone:
// - whether it takes a value (a flag does not);
bool takes_value(const CLI::Option& option);
// - its type name without its validators' descriptions: "OUTDIR", "TEXT", "UINT"...;
std::string option_type(const CLI::Option& option);
// - the fixed set it accepts, from the validators' descriptions "{a,b,c}" (as CLI::IsMember
//   and one_of describe their sets; CLI::CheckedTransformer's "value in {a->1,b->2} OR {1,2}"
//   gives a and b), in that order; empty when any value goes.
std::vector<std::string> option_values(const CLI::Option& option);

}  // namespace synlab::app
