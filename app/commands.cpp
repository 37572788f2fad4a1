// The `synlab` commands (see commands.hpp).
#include "app/commands.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <ostream>
#include <string_view>

#include "app/plot_check.hpp"
#include "app/scenario_loader.hpp"
#include "app/scenario_schema.hpp"
#include "app/suggest.hpp"
#include "app/version.hpp"

namespace synlab::app {
namespace {

std::string plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::vector<Override> parse_sets(const std::vector<std::string>& sets) {
  std::vector<Override> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_set_option(s));
  return overrides;
}

}  // namespace

int validate_command(const ValidateOptions& options, std::ostream& out, std::ostream& err) {
  try {
    const ScenarioDocument doc = read_scenario_file(options.scenario);
    const std::vector<Override> sets = parse_sets(options.sets);
    const Scenario base = load_scenario(doc, sets);
    const auto points = sweep_points(base);
    load_points(doc, sets, base, points, [](Scenario&&) {});
    check_plots(base);  // as `synlab run` does before it runs anything
    if (options.quiet) return exit_ok;
    out << options.scenario << ": ok: scenario '" << base.name << "', "
        << plural(base.nodes.size(), "node") << ", " << plural(base.links.size(), "link") << ", "
        << plural(base.listens.size() + base.connects.size(), "app") << ", "
        << plural(base.drops.size(), "scripted drop") << ", "
        << plural(base.expect.size(), "expectation") << "; " << plural(points.size(), "sweep point")
        << " x " << base.repeat << " = " << plural(points.size() * base.repeat, "run") << "\n";
    return exit_ok;
  } catch (const ScenarioError& e) {
    err << "synlab: error: " << e.what() << "\n";
    return exit_bad_input;
  }
}

int main_command(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App cli{
      "synlab: a discrete-event simulator of TCP connection set-up (the three-way handshake,\n"
      "its retransmissions, refusals and failures) over links with delay, bandwidth, queues\n"
      "and loss. Scenarios are YAML files; see docs/scenario-format.md.",
      "synlab"};
  cli.set_version_flag("--version",
                       std::string("synlab ") + version + " (source " + source_revision + ")");
  cli.require_subcommand(1);
  cli.footer(
      "\nExamples:\n"
      "  synlab run scenarios/basic-handshake.yaml\n"
      "  synlab validate scenarios/basic-handshake.yaml\n"
      "  synlab validate scenarios/timing-under-loss.yaml --set repeat=5\n"
      "  synlab plot out/first-syn-lost --kind ladder\n"
      "  synlab report out/first-syn-lost\n"
      "\nExit codes: 0 success, 1 an expectation failed, 2 bad input, 3 an output could not be\n"
      "written (disk full, unwritable OUTDIR) or another failure.");

  RunOptions run;
  for (int i = 0; i < argc; ++i) run.command_line.emplace_back(argv[i]);
  CLI::App* run_cli = cli.add_subcommand(
      "run", "Run a scenario: traces, connection table, sweep statistics, expectations");
  run_cli->add_option("scenario", run.scenario, "The scenario file (YAML)")->required();
  run_cli->add_option("-o,--outdir", run.outdir,
                      "Where the outputs go (default: out/<scenario name>)");
  run_cli->add_option("--seed", run.seed, "Replace the scenario's seed");
  run_cli
      ->add_option("--set", run.sets,
                   "Override a value: PATH=VALUE, e.g. links.wan.loss=0.1 (repeatable)")
      ->allow_extra_args(false);  // one PATH=VALUE per --set, repeatable
  run_cli->add_option("-j,--jobs", run.jobs,
                      "Runs at once (default: every core); the outputs do not depend on it");
  run_cli->add_option("--shard", run.shard,
                      "K/N: run only shard K of N of the sweep's runs (an array job's task), "
                      "for 'synlab merge'");
  run_cli->add_flag("-q,--quiet", run.quiet, "No progress bar");
  run_cli->footer(
      "\nWrites into OUTDIR: connections.csv, summary.json, and for a single run packets.csv and\n"
      "states.csv, for a sweep or repeat sweep.csv. Prints a table; exit code 1 if an\n"
      "expectation failed, 2 on bad input.\n"
      "\nExamples:\n"
      "  synlab run scenarios/first-syn-lost.yaml\n"
      "  synlab run scenarios/timing-under-loss.yaml --set repeat=5 -o out/quick --jobs 2\n"
      "  mpirun -np 8 synlab run scenarios/timing-under-loss.yaml   # ranks share the runs\n"
      "  synlab run scenarios/timing-under-loss.yaml --shard 2/3 -o out/s2   # then merge\n");

  MergeOptions merge;
  merge.command_line = run.command_line;
  CLI::App* merge_cli = cli.add_subcommand(
      "merge", "Write a sweep's outputs from the shards 'synlab run --shard K/N' made");
  merge_cli->add_option("outdir", merge.outdir, "Where the outputs go")->required();
  merge_cli->add_option("shards", merge.shards, "Every shard's folder (1/N to N/N, any order)")
      ->required();
  merge_cli->footer(
      "\nThe files are those of the sweep run whole, byte for byte, but for summary.json's\n"
      "command line. Refuses shards of different scenarios, options or synlab builds, and a\n"
      "missing or repeated shard (exit code 2).\n"
      "\nExample:\n"
      "  for k in 1 2 3; do synlab run lab.yaml --shard $k/3 -o out/lab.$k; done\n"
      "  synlab merge out/lab out/lab.1 out/lab.2 out/lab.3\n");

  ValidateOptions validate;
  CLI::App* validate_cli = cli.add_subcommand(
      "validate", "Check a scenario file (and every sweep point) without running it");
  validate_cli->add_option("scenario", validate.scenario, "The scenario file (YAML)")->required();
  validate_cli
      ->add_option("--set", validate.sets,
                   "Override a value: PATH=VALUE, e.g. links.wan.loss=0.1 (repeatable)")
      ->allow_extra_args(false);  // one PATH=VALUE per --set, repeatable
  validate_cli->add_flag("-q,--quiet", validate.quiet,
                         "Print only errors (as `run -q` does); the exit code tells the result");
  validate_cli->footer(
      "\nExample:\n  synlab validate scenarios/basic-handshake.yaml --set links.wan.delay=50ms\n");

  PlotOptions plot;
  CLI::App* plot_cli = cli.add_subcommand(
      "plot", "Draw a saved run's plots (ladder, time-sequence, timing under loss, CDF)");
  plot_cli->add_option("outdir", plot.outdir, "A directory 'synlab run' wrote (holds summary.json)")
      ->required();
  plot_cli
      ->add_option("-k,--kind", plot.kind,
                   "ladder, timeseq (one connection; need packets.csv), timing (needs a numeric "
                   "sweep), cdf, or all (every kind the files allow)")
      ->capture_default_str();
  plot_cli->add_option("--conn", plot.conn, "The connection for ladder and timeseq (from 1)")
      ->capture_default_str();
  plot_cli
      ->add_option("--x", plot.x,
                   "timing: the x axis, 'swept' (the swept value) or 'effective-loss' (a swept "
                   "Gilbert-Elliott link's long-run loss rate p/(p+r))")
      ->capture_default_str();
  plot_cli->add_flag("--ccdf", plot.ccdf,
                     "cdf: draw 1 - F(t) on a log axis instead, to read the tail");
  plot_cli->add_option("--format", plot.format, "png or svg")->capture_default_str();
  plot_cli->add_option("-o,--output", plot.output,
                       "The image file, for a single plot (with --kind); default: OUTDIR/KIND.png");
  plot_cli->add_option("--size", plot.size, "Image size WIDTHxHEIGHT in pixels")
      ->capture_default_str();
  plot_cli->footer(
      "\nWrites OUTDIR/<kind>.png (or .svg): ladder.png, timeseq.png, timing.png, cdf.png; for\n"
      "another connection than 1, ladder-N.png and timeseq-N.png; with -o, that one file.\n"
      "Reads only the run's files, so any saved run can be plotted again. No display needed.\n"
      "Exit code 2 on bad input (no such directory, a file the plot needs is missing).\n"
      "\nExamples:\n"
      "  synlab run scenarios/first-syn-lost.yaml -o out/lost && synlab plot out/lost\n"
      "  synlab plot out/lost --kind ladder --format svg --size 1600x1000\n"
      "  synlab run scenarios/timing-under-loss.yaml -o out/lab && synlab plot out/lab -k "
      "timing\n");

  ReportOptions report;
  CLI::App* report_cli = cli.add_subcommand(
      "report", "Write one HTML page for a saved run (or two, compared) to hand in or share");
  report_cli->add_option("outdir", report.dirs, "A folder 'synlab run' wrote; a second to compare")
      ->required()
      ->expected(1, 2);
  report_cli->add_option("-o,--output", report.output,
                         "The HTML file (default: OUTDIR/report.html, or OUTDIR/compare.html)");
  report_cli->footer(
      "\nThe page holds the scenario and its provenance (seed, version, command line), the\n"
      "expectations with pass or fail, the connections or the sweep table with the analytic\n"
      "model's mean beside the measured one, and every plot the files allow, inline as SVG. It\n"
      "needs no other file and no script. With two folders, the runs are side by side and the\n"
      "values that differ are marked.\n"
      "\nExamples:\n"
      "  synlab run scenarios/timing-under-loss.yaml -o out/lab && synlab report out/lab\n"
      "  synlab report out/lab out/lab-classic -o compare.html\n");

  ViewOptions view;
  CLI::App* view_cli = cli.add_subcommand(
      "view", "Show a saved run's plots in a window: wheel zooms, drag pans, hover for fields");
  view_cli->add_option("outdir", view.plot.outdir, "A directory 'synlab run' wrote")->required();
  view_cli->add_option("-k,--kind", view.plot.kind, "ladder, timeseq, timing, cdf or all")
      ->capture_default_str();
  view_cli->add_option("--conn", view.plot.conn, "The connection for ladder and timeseq")
      ->capture_default_str();
  view_cli->add_option("--size", view.plot.size, "Chart size WIDTHxHEIGHT in pixels")
      ->capture_default_str();
  view_cli->add_option("--screenshot", view.screenshot,
                       "Render the window into this PNG and exit (no display needed)");
  view_cli->footer(
      "\nNeeds a display (DISPLAY); 'synlab plot' writes the same charts as files.\n"
      "\nExample:\n  synlab run scenarios/first-syn-lost.yaml -o out/lost && synlab view "
      "out/lost\n");

  DrillOptions drill;
  std::string drill_profile = "linux";
  std::string drill_tolerance;
  std::optional<std::int64_t> drill_tolerance_usecs;
  CLI::App* drill_cli =
      cli.add_subcommand("drill", "Run packetdrill scripts against the TCP model (docs/drill.md)");
  drill_cli->add_option("scripts", drill.paths, "Script files (.pkt), or folders of them")
      ->required();
  drill_cli
      ->add_option("-p,--profile", drill_profile,
                   "The stack's TCP profile before the scripts' sysctls: linux, "
                   "linux-classic, rfc6298, classic")
      ->capture_default_str();
  drill_cli->add_option("--tolerance", drill_tolerance,
                        "Timing tolerance, e.g. 4ms (default: the script's --tolerance_usecs, "
                        "else 4ms)");
  drill_cli->add_option("--tolerance_usecs", drill_tolerance_usecs,
                        "The same in microseconds, as packetdrill spells it");
  drill_cli->add_option("--tolerance_percent", drill.tolerance_percent,
                        "Tolerance as a percentage of the gap since the previous event, when "
                        "larger (default 12.5)");
  drill_cli->add_option("--trace", drill.trace_dir,
                        "Write the run's packets.csv, states.csv and trace.pcap into this folder "
                        "(one script), passed or failed");
  drill_cli->add_flag("-q,--quiet", drill.quiet, "Print only the verdict, not each line");
  drill_cli->footer(
      "\nThe model is the stack under test (192.168.0.1); the script plays its peer. Prints each\n"
      "line with its time as it runs. On a mismatch: the line, what was expected, what the model\n"
      "sent (or that it sent nothing) and when. A folder runs every .pkt in it and prints a\n"
      "summary. Exit codes: 0 passed, 1 a script failed, 2 a script is not valid or uses a\n"
      "construct synlab refuses (named with file:line:column).\n"
      "\nExamples:\n"
      "  synlab drill tests/drill/passive-open.pkt\n"
      "  synlab drill tests/drill/ --profile linux -q\n"
      "  synlab drill my-test.pkt --tolerance 10ms\n"
      "  synlab drill my-test.pkt --trace out/my-test && synlab plot out/my-test -k ladder\n");

  // Hidden (no group, so --help leaves it out): the reference tables of
  // docs/scenario-format.md, printed from the scenario schema.
  bool markdown = false;
  CLI::App* schema_cli =
      cli.add_subcommand("schema", "Print the scenario schema's reference tables")->group("");
  schema_cli->add_flag("--markdown", markdown, "As Markdown, as docs/scenario-format.md has them");

  // A word where the command goes that is not one: say so, with a suggestion.
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string_view> commands;  // the ones --help shows
    for (const CLI::App* sub : cli.get_subcommands({}))
      if (!sub->get_group().empty()) commands.push_back(sub->get_name());
    if (std::find(commands.begin(), commands.end(), std::string_view(argv[1])) == commands.end() &&
        std::string_view(argv[1]) != schema_cli->get_name()) {
      err << "synlab: error: unknown command '" << argv[1] << "'" << did_you_mean(argv[1], commands)
          << " (commands: " << join(commands) << ")\nRun 'synlab --help' for usage.\n";
      return exit_bad_input;
    }
  }
  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << cli.help();
    return exit_ok;
  } catch (const CLI::CallForVersion&) {
    out << cli.version() << "\n";
    return exit_ok;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help on a subcommand
      out << (validate_cli->parsed() ? validate_cli->help()
              : run_cli->parsed()    ? run_cli->help()
              : merge_cli->parsed()  ? merge_cli->help()
              : plot_cli->parsed()   ? plot_cli->help()
              : view_cli->parsed()   ? view_cli->help()
              : report_cli->parsed() ? report_cli->help()
              : drill_cli->parsed()  ? drill_cli->help()
                                     : cli.help());
      return exit_ok;
    }
    err << "synlab: error: " << e.what() << "\nRun 'synlab --help' for usage.\n";
    return exit_bad_input;
  }
  if (validate_cli->parsed()) return validate_command(validate, out, err);
  if (run_cli->parsed()) return run_command(run, out, err);
  if (merge_cli->parsed()) return merge_command(merge, out, err);
  if (plot_cli->parsed()) return plot_command(plot, out, err);
  if (view_cli->parsed()) return view_command(view, out, err);
  if (report_cli->parsed()) return report_command(report, out, err);
  if (drill_cli->parsed()) {
    drill.profile = tcp::find_profile(drill_profile);
    if (drill.profile == nullptr) {
      err << "synlab: error: --profile " << drill_profile
          << ": no such profile (linux, linux-classic, rfc6298, classic)\n";
      return exit_bad_input;
    }
    if (!drill_tolerance.empty()) {
      try {
        drill.tolerance = sim::parse_duration(drill_tolerance);
      } catch (const std::invalid_argument& e) {
        err << "synlab: error: --tolerance " << drill_tolerance << ": " << e.what() << "\n";
        return exit_bad_input;
      }
    } else if (drill_tolerance_usecs) {
      if (*drill_tolerance_usecs < 0 || *drill_tolerance_usecs > 3'600'000'000) {
        err << "synlab: error: --tolerance_usecs must be from 0 to 3600000000 (one hour)\n";
        return exit_bad_input;
      }
      drill.tolerance = std::chrono::microseconds(*drill_tolerance_usecs);
    }
    if (drill.tolerance &&
        (*drill.tolerance < sim::Duration::zero() || *drill.tolerance > std::chrono::hours(1))) {
      err << "synlab: error: the tolerance must be from 0 to 1h\n";
      return exit_bad_input;
    }
    if (drill.tolerance_percent &&
        (*drill.tolerance_percent < 0 || *drill.tolerance_percent > 100)) {
      err << "synlab: error: --tolerance_percent must be from 0 to 100\n";
      return exit_bad_input;
    }
    return drill_command(drill, out, err);
  }
  if (schema_cli->parsed()) {
    for (const std::string_view table : schema_tables)
      out << "<!-- " << table << ": synlab schema --markdown -->\n"
          << schema_markdown(table) << "\n";
    return exit_ok;
  }
  return exit_bad_input;
}

}  // namespace synlab::app
