// The `synlab` commands (see commands.hpp).
#include "app/commands.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <ostream>
#include <string_view>

#include "app/command_completion.hpp"
#include "app/command_line.hpp"
#include "app/command_man_page.hpp"
#include "app/plot_check.hpp"
#include "app/scenario_loader.hpp"
#include "app/scenario_schema.hpp"
#include "app/suggest.hpp"

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
    if (const std::string note = unwritten_pcap_note(base); !note.empty())
      err << "synlab: note: " << note << "\n";
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
  const auto line = std::make_unique<CommandLine>();
  CommandLine& c = *line;
  CLI::App& cli = c.app;
  for (int i = 0; i < argc; ++i) c.run.command_line.emplace_back(argv[i]);
  c.merge.command_line = c.run.command_line;

  // A word where the command goes that is not one: say so, with a suggestion.
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string_view> commands;  // the ones --help shows
    bool known = false;
    for (const CLI::App* sub : cli.get_subcommands({})) {
      if (!sub->get_group().empty()) commands.push_back(sub->get_name());
      known = known || sub->get_name() == argv[1];
    }
    if (!known) {
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
      const CLI::App* shown = &cli;
      for (const CLI::App* sub : cli.get_subcommands({}))
        if (sub->parsed()) shown = sub;
      out << shown->help();
      return exit_ok;
    }
    err << "synlab: error: ";
    // A third folder (CLI11 says the same of an unknown option: that one starts with '-').
    if (c.report_cli->parsed() && dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr &&
        !c.report_cli->remaining().empty() && !c.report_cli->remaining().front().starts_with("-"))
      err << "report takes one folder, or two to compare: ";
    err << e.what() << "\nRun 'synlab --help' for usage.\n";
    return exit_bad_input;
  }
  if (c.validate_cli->parsed()) return validate_command(c.validate, out, err);
  if (c.run_cli->parsed()) return run_command(c.run, out, err);
  if (c.merge_cli->parsed()) return merge_command(c.merge, out, err);
  if (c.plot_cli->parsed()) return plot_command(c.plot, out, err);
  if (c.view_cli->parsed()) return view_command(c.view, out, err);
  if (c.report_cli->parsed()) {
    c.report.dirs = {c.report_dir};
    if (!c.report_other.empty()) c.report.dirs.push_back(c.report_other);
    return report_command(c.report, out, err);
  }
  if (c.drill_cli->parsed()) {
    c.drill.profile = tcp::find_profile(c.drill_profile);
    if (c.drill.profile == nullptr) {
      err << "synlab: error: --profile " << c.drill_profile << ": no such profile (";
      for (const tcp::Profile* p : tcp::profiles())
        err << (p == tcp::profiles().front() ? "" : ", ") << p->name;
      err << ")\n";
      return exit_bad_input;
    }
    if (!c.drill_tolerance.empty()) {
      try {
        c.drill.tolerance = sim::parse_duration(c.drill_tolerance);
      } catch (const std::invalid_argument& e) {
        err << "synlab: error: --tolerance " << c.drill_tolerance << ": " << e.what() << "\n";
        return exit_bad_input;
      }
    } else if (c.drill_tolerance_usecs) {  // 0 to one hour (its option's transform)
      c.drill.tolerance = std::chrono::microseconds(*c.drill_tolerance_usecs);
    }
    if (c.drill.tolerance && (*c.drill.tolerance < sim::Duration::zero() ||
                              *c.drill.tolerance > std::chrono::hours(1))) {
      err << "synlab: error: the tolerance must be from 0 to 1h\n";
      return exit_bad_input;
    }
    if (c.drill.tolerance_percent &&  // written so that NaN fails it too
        !(*c.drill.tolerance_percent >= 0 && *c.drill.tolerance_percent <= 100)) {
      err << "synlab: error: --tolerance_percent must be from 0 to 100\n";
      return exit_bad_input;
    }
    return drill_command(c.drill, out, err);
  }
  if (c.schema_cli->parsed()) {
    for (const std::string_view table : schema_tables)
      out << "<!-- " << table << ": synlab schema --markdown -->\n"
          << schema_markdown(table) << "\n";
    return exit_ok;
  }
  if (c.completion_cli->parsed()) {
    out << bash_completion(cli);
    return exit_ok;
  }
  if (c.man_cli->parsed()) {
    out << man_page(cli);
    return exit_ok;
  }
  return exit_bad_input;
}

}  // namespace synlab::app
