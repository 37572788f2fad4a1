// The `synlab` command line's App tree (see command_line.hpp).
#include "app/command_line.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "app/suggest.hpp"
#include "app/version.hpp"
#include "models/tcp/profile.hpp"
#include "viz/plot_kind.hpp"

namespace synlab::app {
namespace {

// A CLI11 validator accepting only `values`. Its description "{a,b,c}" is what `--help` shows
// after the type name (as CLI::IsMember's is) and what the completion offers; a value outside
// gets `complaint(value)` (the option's name comes before it).
CLI::Validator one_of(std::vector<std::string> values,
                      std::function<std::string(const std::string&)> complaint) {
  std::string description = "{";
  for (const std::string& v : values) description += (description.size() > 1 ? "," : "") + v;
  description += "}";
  return CLI::Validator(
      [values, complaint](std::string& value) {
        return std::find(values.begin(), values.end(), value) != values.end() ? std::string()
                                                                              : complaint(value);
      },
      description, "one_of");
}

// A CLI11 transform accepting a whole number from `least` to `most`, written in decimal digits
// only, and handing it on in its plain form. CLI11 alone would take "-1" for an unsigned option as
// its wrapped value, 2^64 - 1, an overflowing one as the largest, and "010" as octal 8: the
// scenario's own keys read none of them so, and the options do the same. Add with ->transform(),
// which lets it rewrite "010" as "10" before CLI11 converts it.
CLI::Validator whole_number(std::uint64_t least, std::uint64_t most) {
  return CLI::Validator(
      [least, most](std::string& value) {
        std::uint64_t n = 0;
        const char* const end = value.data() + value.size();
        const auto [stop, error] = std::from_chars(value.data(), end, n);
        if (!value.empty() && stop == end && error == std::errc() && n >= least && n <= most) {
          value = std::to_string(n);
          return std::string();
        }
        return "expected a whole number from " + std::to_string(least) + " to " +
               std::to_string(most) + ", found '" + value + "'";
      },
      "", "whole_number");
}

// A CLI11 validator refusing an empty path: `-o "$OUT"` with OUT unset would otherwise mean the
// default, or the current folder, without a word.
CLI::Validator non_empty_path() {
  return CLI::Validator(
      [](std::string& value) {
        return value.empty() ? std::string("an empty path (is a shell variable unset?)")
                             : std::string();
      },
      "", "non_empty_path");
}

// "x" -> "x' — did you mean 'y'? (a, b, c)" for a value outside `values`.
std::string suggestion(const std::string& value, const std::vector<std::string>& values) {
  const std::vector<std::string_view> views(values.begin(), values.end());
  return did_you_mean(value, views) + " (" + join(views) + ")";
}

std::vector<std::string> plot_kind_names() {
  std::vector<std::string> names;
  for (const viz::PlotKind k : viz::all_plot_kinds) names.emplace_back(viz::to_string(k));
  names.emplace_back("all");
  return names;
}

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  for (const tcp::Profile* p : tcp::profiles()) names.emplace_back(p->name);
  return names;
}

// The scenario file argument of run and validate.
void add_scenario(CLI::App& command, std::string& scenario) {
  command.add_option("scenario", scenario, "The scenario file (YAML)")
      ->required()
      ->type_name(scenario_type);
}

// --set PATH=VALUE of run and validate: one override per --set, repeatable.
void add_sets(CLI::App& command, std::vector<std::string>& sets) {
  command
      .add_option("--set", sets,
                  "Override a value: PATH=VALUE, e.g. links.wan.loss=0.1 (repeatable)")
      ->allow_extra_args(false);
}

}  // namespace

bool takes_value(const CLI::Option& option) {
  return option.get_expected_max() != 0;
}

std::string option_type(const CLI::Option& option) {
  const std::string full = option.get_type_name();  // TYPE:{a,b}:...
  return full.substr(0, full.find(':'));
}

std::vector<std::string> option_values(const CLI::Option& option) {
  std::vector<std::string> values;
  const std::string full = option.get_type_name();
  std::size_t at = full.find(':');
  while (at != std::string::npos) {
    const std::size_t next = full.find(':', at + 1);
    std::string part =
        full.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
    at = next;
    // CheckedTransformer: "value in {a->1,b->2} OR {1,2}": the first set, the names typed.
    const std::size_t open = part.find('{');
    const std::size_t close = part.find('}', open);
    if (open == std::string::npos || close == std::string::npos) continue;
    part = part.substr(open, close - open + 1);
    std::size_t from = 1;
    while (from < part.size()) {
      std::size_t to = part.find(',', from);
      if (to == std::string::npos) to = part.size() - 1;
      const std::string item = part.substr(from, to - from);
      values.push_back(item.substr(0, item.find("->")));  // a map's key
      from = to + 1;
    }
  }
  return values;
}

CommandLine::CommandLine() {
  app.description(
      "synlab: a discrete-event simulator of TCP connection set-up (the three-way handshake,\n"
      "its retransmissions, refusals and failures) over links with delay, bandwidth, queues\n"
      "and loss. Scenarios are YAML files; see docs/scenario-format.md.");
  app.name("synlab");
  app.set_version_flag("--version",
                       std::string("synlab ") + version + " (source " + source_revision + ")");
  app.require_subcommand(1);
  app.footer(
      "\nExamples:\n"
      "  synlab run scenarios/basic-handshake.yaml\n"
      "  synlab validate scenarios/basic-handshake.yaml\n"
      "  synlab validate scenarios/timing-under-loss.yaml --set repeat=5\n"
      "  synlab plot out/first-syn-lost --kind ladder\n"
      "  synlab report out/first-syn-lost\n"
      "\nExit codes: 0 success, 1 an expectation failed, 2 bad input, 3 an output could not be\n"
      "written (disk full, unwritable OUTDIR) or another failure.");

  run_cli = app.add_subcommand(
      "run", "Run a scenario: traces, connection table, sweep statistics, expectations");
  add_scenario(*run_cli, run.scenario);
  run_cli
      ->add_option("-o,--outdir", run.outdir, "Where the outputs go (default: out/<scenario name>)")
      ->type_name(outdir_type)
      ->check(non_empty_path());
  run_cli->add_option("--seed", run.seed, "Replace the scenario's seed")
      ->transform(whole_number(0, std::numeric_limits<std::uint64_t>::max()));
  add_sets(*run_cli, run.sets);
  run_cli
      ->add_option(
          "-j,--jobs", run.jobs,
          "Runs at once (default, or 0: every core it may use); the outputs do not depend on it")
      ->transform(whole_number(0, std::numeric_limits<unsigned>::max()));
  run_cli->add_option("--shard", run.shard,
                      "K/N: run only shard K of N of the sweep's runs (an array job's task), "
                      "for 'synlab merge'");
  run_cli->add_flag("-q,--quiet", run.quiet, "No progress bar");
  run_cli->footer(
      "\nWrites into OUTDIR: connections.csv, summary.json, and for a single run packets.csv and\n"
      "states.csv, for a sweep or repeat sweep.csv (with --shard only shard.bin, for merge).\n"
      "Prints a table; exit code 1 if an expectation failed, 2 on bad input, 3 if an output\n"
      "could not be written (the results are then kept where the message says).\n"
      "\nExamples:\n"
      "  synlab run scenarios/first-syn-lost.yaml\n"
      "  synlab run scenarios/timing-under-loss.yaml --seed 7 -o out/seed7 --jobs 2\n"
      "  mpirun -np 8 synlab run scenarios/timing-under-loss.yaml   # ranks share the runs\n"
      "  synlab run scenarios/timing-under-loss.yaml --shard 2/3 -o out/s2   # then merge\n");

  merge_cli = app.add_subcommand(
      "merge", "Write a sweep's outputs from the shards 'synlab run --shard K/N' made");
  merge_cli->add_option("outdir", merge.outdir, "Where the outputs go")
      ->required()
      ->type_name(outdir_type)
      ->check(non_empty_path());
  merge_cli->add_option("shards", merge.shards, "Every shard's folder (1/N to N/N, any order)")
      ->required()
      ->type_name(outdir_type);
  merge_cli->footer(
      "\nThe files are those of the sweep run whole, byte for byte, but for summary.json's\n"
      "command line. Refuses shards of different scenarios, options or synlab builds, and a\n"
      "missing or repeated shard (exit code 2).\n"
      "\nExample:\n"
      "  for k in 1 2 3; do synlab run lab.yaml --shard $k/3 -o out/lab.$k; done\n"
      "  synlab merge out/lab out/lab.1 out/lab.2 out/lab.3\n");

  validate_cli = app.add_subcommand(
      "validate", "Check a scenario file (and every sweep point) without running it");
  add_scenario(*validate_cli, validate.scenario);
  add_sets(*validate_cli, validate.sets);
  validate_cli->add_flag("-q,--quiet", validate.quiet,
                         "Print only errors (as `run -q` does); the exit code tells the result");
  validate_cli->footer(
      "\nExample:\n  synlab validate scenarios/basic-handshake.yaml --set links.wan.delay=50ms\n");

  plot_cli = app.add_subcommand(
      "plot", "Draw a saved run's plots (ladder, time-sequence, timing under loss, CDF)");
  plot_cli->add_option("outdir", plot.outdir, "A directory 'synlab run' wrote (holds summary.json)")
      ->required()
      ->type_name(outdir_type);
  plot_cli
      ->add_option("-k,--kind", plot.kind,
                   "ladder, timeseq (one connection; need packets.csv), timing (needs a numeric "
                   "sweep), cdf, or all (every kind the files allow)")
      ->capture_default_str()
      ->check(one_of(plot_kind_names(), [](const std::string& v) {
        return "unknown plot kind '" + v + "'" + suggestion(v, plot_kind_names());
      }));
  plot_cli->add_option("--conn", plot.conn, "The connection for ladder and timeseq (from 1)")
      ->capture_default_str()
      ->transform(whole_number(1, std::numeric_limits<std::uint64_t>::max()));
  plot_cli
      ->add_option("--x", plot.x,
                   "timing: the x axis, 'swept' (the swept value) or 'effective-loss' (a swept "
                   "Gilbert-Elliott link's long-run loss rate p/(p+r))")
      ->capture_default_str()
      ->check(one_of({"swept", "effective-loss"}, [](const std::string& v) {
        return "expected swept or effective-loss, got '" + v + "'";
      }));
  plot_cli->add_flag("--ccdf", plot.ccdf,
                     "cdf: draw 1 - F(t) on a log axis instead, to read the tail");
  plot_cli
      ->add_option("--format", plot.format,
                   "png or svg [default: the -o file's extension (.png, .svg), else png]")
      ->check(one_of({"png", "svg"},
                     [](const std::string& v) { return "expected png or svg, got '" + v + "'"; }));
  plot_cli
      ->add_option("-o,--output", plot.output,
                   "The image file, for a single plot (with --kind); default: OUTDIR/KIND.png")
      ->type_name(file_type)
      ->check(non_empty_path());
  plot_cli->add_option("--size", plot.size,
                       "Image size WIDTHxHEIGHT in pixels [default: 1200x800, and a ladder with "
                       "many events taller, about 30 pixels per instant]");
  plot_cli->footer(
      "\nWrites OUTDIR/<kind>.png (or .svg): ladder.png, timeseq.png, timing.png, cdf.png (with\n"
      "--ccdf, ccdf.png); for another connection than 1, ladder-N.png and timeseq-N.png; with -o,\n"
      "that one file, whole or not at all.\n"
      "Reads only the run's files, so any saved run can be plotted again. No display needed.\n"
      "Exit code 2 on bad input (no such directory, a file the plot needs is missing).\n"
      "\nExamples:\n"
      "  synlab run scenarios/first-syn-lost.yaml -o out/lost && synlab plot out/lost\n"
      "  synlab plot out/lost --kind ladder --format svg --size 1600x1000\n"
      "  synlab run scenarios/timing-under-loss.yaml -o out/lab && synlab plot out/lab -k "
      "timing\n");

  report_cli = app.add_subcommand(
      "report", "Write one HTML page for a saved run (or two, compared) to hand in or share");
  report_cli->add_option("outdir", report_dir, "A folder 'synlab run' wrote")
      ->required()
      ->type_name(outdir_type);
  report_cli->add_option("other", report_other, "A second such folder: the two runs compared")
      ->type_name(outdir_type)
      ->check(non_empty_path());
  report_cli
      ->add_option("-o,--output", report.output,
                   "The HTML file (default: OUTDIR/report.html, or OUTDIR/compare.html)")
      ->type_name(file_type)
      ->check(non_empty_path());
  report_cli->footer(
      "\nThe page holds the scenario and its provenance (seed, version, command line), the\n"
      "expectations with pass or fail, the connections or the sweep table with the analytic\n"
      "model's mean beside the measured one, and every plot the files allow, inline as SVG. It\n"
      "needs no other file and no script. With two folders, the runs are side by side and the\n"
      "values that differ are marked.\n"
      "\nExamples:\n"
      "  synlab run scenarios/timing-under-loss.yaml -o out/lab && synlab report out/lab\n"
      "  synlab report out/lab out/lab-classic -o compare.html\n");

  view_cli = app.add_subcommand(
      "view", "Show a saved run's plots in a window: wheel zooms, drag pans, hover for fields");
  view_cli->add_option("outdir", view.plot.outdir, "A directory 'synlab run' wrote")
      ->required()
      ->type_name(outdir_type);
  view_cli->add_option("-k,--kind", view.plot.kind, "ladder, timeseq, timing, cdf or all")
      ->capture_default_str()
      ->check(one_of(plot_kind_names(), [](const std::string& v) {
        return "unknown plot kind '" + v + "'" + suggestion(v, plot_kind_names());
      }));
  view_cli->add_option("--conn", view.plot.conn, "The connection for ladder and timeseq")
      ->capture_default_str()
      ->transform(whole_number(1, std::numeric_limits<std::uint64_t>::max()));
  view_cli->add_option("--size", view.plot.size, "Chart size WIDTHxHEIGHT in pixels")
      ->capture_default_str();
  view_cli
      ->add_option("--screenshot", view.screenshot,
                   "Render the window into this PNG and exit (no display needed)")
      ->type_name(file_type);
  view_cli->footer(
      "\nNeeds a display (DISPLAY); 'synlab plot' writes the same charts as files.\n"
      "\nExample:\n  synlab run scenarios/first-syn-lost.yaml -o out/lost && synlab view "
      "out/lost\n");

  drill_cli =
      app.add_subcommand("drill", "Run packetdrill scripts against the TCP model (docs/drill.md)");
  drill_cli->add_option("scripts", drill.paths, "Script files (.pkt), or folders of them")
      ->required()
      ->type_name(script_type);
  drill_cli
      ->add_option("-p,--profile", drill_profile,
                   "The stack's TCP profile before the scripts' sysctls")
      ->capture_default_str()
      ->check(one_of(profile_names(), [](const std::string& v) {
        return "no such profile '" + v + "'" + suggestion(v, profile_names());
      }));
  drill_cli->add_option("--tolerance", drill_tolerance,
                        "Timing tolerance, e.g. 4ms (default: the script's --tolerance_usecs, "
                        "else 4ms)");
  drill_cli
      ->add_option("--tolerance_usecs", drill_tolerance_usecs,
                   "The same in microseconds, as packetdrill spells it (at most one hour)")
      ->transform(whole_number(0, 3'600'000'000));
  drill_cli->add_option("--tolerance_percent", drill.tolerance_percent,
                        "Tolerance as a percentage of the gap since the previous event, when "
                        "larger (default 12.5)");
  drill_cli
      ->add_option("--trace", drill.trace_dir,
                   "Write the run's packets.csv, states.csv and trace.pcap into this folder "
                   "(one script), passed or failed")
      ->type_name(dir_type);
  drill_cli->add_flag("-q,--quiet", drill.quiet, "Print only the verdict, not each line");
  drill_cli->footer(
      "\nThe model is the stack under test (192.168.0.1); the script plays its peer. Prints each\n"
      "line with its time as it runs. On a mismatch: the line, what was expected, what the model\n"
      "sent (or that it sent nothing) and when. A folder runs every .pkt in it and prints a\n"
      "summary. Exit codes: 0 passed, 1 a script failed, 2 a script is not valid or uses a\n"
      "construct synlab refuses (named with file:line:column) or --trace names a folder synlab\n"
      "may not replace, 3 --trace's OUTDIR could not be written (after the verdict).\n"
      "\nExamples:\n"
      "  synlab drill tests/drill/linux/passive-open.pkt\n"
      "  synlab drill tests/drill/linux --profile linux -q\n"
      "  synlab drill my-test.pkt --tolerance 10ms\n"
      "  synlab drill my-test.pkt --trace out/my-test && synlab plot out/my-test -k ladder\n");

  // Hidden (no group, so --help leaves them out). The reference tables of
  // docs/scenario-format.md, printed from the scenario schema:
  schema_cli =
      app.add_subcommand("schema", "Print the scenario schema's reference tables")->group("");
  schema_cli->add_flag("--markdown", schema_markdown,
                       "As Markdown, as docs/scenario-format.md has them");

  // The bash completion and the man page, generated from this tree (docs/running.md):
  completion_cli =
      app.add_subcommand("completion", "Print a shell completion script for synlab")->group("");
  completion_cli->add_option("shell", completion_shell, "The shell (only bash)")
      ->capture_default_str()
      ->check(one_of({"bash"}, [](const std::string& v) {
        return "no completion for shell '" + v + "' (bash)";
      }));
  completion_cli->footer("\nTo enable it in a bash session:\n  source <(synlab completion bash)\n");
  man_cli = app.add_subcommand("man", "Print the manual page synlab(1) (roff)")->group("");
  man_cli->footer("\nTo read it:\n  synlab man | man -l -\n");
}

}  // namespace synlab::app
