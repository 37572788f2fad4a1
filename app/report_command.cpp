// `synlab report` (commands.hpp, docs/running.md#report): one self-contained HTML page for a
// saved run, or for two side by side, read from their files only.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <new>
#include <ostream>
#include <sstream>
#include <system_error>

#include "app/commands.hpp"
#include "app/follow_links.hpp"
#include "app/handshake_timers.hpp"
#include "app/narrative.hpp"
#include "app/output_file.hpp"
#include "app/plot_module.hpp"
#include "app/plot_options.hpp"
#include "app/report_html.hpp"
#include "app/run_outputs.hpp"
#include "app/sha256.hpp"
#include "viz/csv_table.hpp"
#include "viz/handshake_model.hpp"
#include "viz/plot_writer.hpp"
#include "viz/read_file.hpp"
#include "viz/run_info.hpp"
#include "viz/timing_data.hpp"
#include "viz/viz_error.hpp"

namespace synlab::app {
namespace {

namespace fs = std::filesystem;

// Connections shown in a single run's table.
constexpr std::size_t shown_connections = 20;

class ReportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The scenario's text if the file summary.json names still holds what was run.
void read_scenario(ReportRun& run) {
  const nlohmann::json& s = run.summary;
  if (!s.contains("scenario") || !s["scenario"].contains("file")) {
    run.scenario_note = "summary.json names no scenario file.";
    return;
  }
  const std::string file = s["scenario"]["file"].get<std::string>();
  // (At most the 1,000,000 bytes a scenario file may hold; a device or FIFO is not one.)
  const std::optional<std::string> text = viz::try_read_regular_file(file, 1'000'000);
  if (!text) {
    run.scenario_note = "The scenario file " + file + " cannot be read from here.";
    return;
  }
  if (sha256_hex(*text) != s["scenario"].value("sha256", std::string())) {
    run.scenario_note =
        "The scenario file " + file + " has changed since the run (its SHA-256 differs).";
    return;
  }
  run.scenario = *text;
}

// connections.csv: the header and the first rows, and the count of all rows.
void read_connections(ReportRun& run) {
  const fs::path path = run.dir / "connections.csv";
  std::error_code ec;
  if (!fs::exists(path, ec)) return;
  if (!fs::is_regular_file(path, ec))  // a FIFO would wait, /dev/zero never end
    throw ReportError(path.string() + ": not a regular file (a run writes its files as such)");
  std::ifstream in(path);
  if (!in) return;
  std::string line;
  while (std::getline(in, line)) {
    if (line.find('\0') != std::string::npos)
      throw ReportError(path.string() + ":" + std::to_string(run.connection_rows + 1) +
                        ": a NUL byte: not a CSV file synlab wrote (damaged, or zero-filled after "
                        "a crash?)");
    if (run.connection_csv.size() <= shown_connections) run.connection_csv.push_back(line);
    ++run.connection_rows;
  }
  if (run.connection_rows > 0) --run.connection_rows;  // the header
}

// The swept parameters in the scenario's order: sweep.csv's header, between its point and runs
// columns. A sweep.csv that cannot be read leaves summary.json's order.
void read_swept(ReportRun& run) {
  const fs::path path = run.dir / "sweep.csv";
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return;
  std::vector<std::string> columns;
  try {
    columns = viz::CsvTable::read(path).header();
  } catch (const viz::VizError&) {
    return;
  }
  const auto runs = std::find(columns.begin(), columns.end(), "runs");
  if (columns.empty() || columns.front() != "point" || runs == columns.end()) return;
  run.swept.assign(columns.begin() + 1, runs);
}

// Per point: the model of docs/handshake-model.md ("With a profile's own schedule") with the
// point's swept loss in both directions, the point's TCP timers, and as RTT the point's fastest
// handshake (the timing plot's choice, docs/plots.md).
void compute_model(ReportRun& run) {
  const viz::RunInfo info = viz::read_run_info(run.dir / "summary.json");
  run.model_mean_s.assign(info.points.size(), std::nullopt);
  // The model takes one per-packet loss probability for both directions of one link:
  // summary.json's loss_both_ways, written for a scenario of one link with the same Bernoulli
  // loss both ways, swept or not. A swept loss beside another link, or of one direction, has
  // none: the model would not be its.
  const bool any_loss = std::any_of(info.loss_both_ways.begin(), info.loss_both_ways.end(),
                                    [](const std::optional<double>& l) { return l.has_value(); });
  if (!any_loss) {
    run.model_note =
        "Model mean: only for a scenario of one link with the same Bernoulli loss both ways "
        "(summary.json's loss_both_ways), swept or not; no point of this run has one (more than "
        "one link, loss of one direction only, Gilbert-Elliott, outages or scripted drops).";
    return;
  }
  if (!fs::exists(run.dir / "connections.csv")) {
    run.model_note = "Model mean: needs connections.csv (each point's RTT).";
    return;
  }
  const viz::CsvTable connections = viz::CsvTable::read(run.dir / "connections.csv");
  std::vector<double> rtt(info.points.size(), INFINITY);
  for (std::size_t r = 0; r < connections.rows(); ++r) {
    const auto point = connections.count(r, "point");
    const auto time = connections.seconds(r, "handshake_time");
    if (!point || !time || connections.cell(r, "outcome") != "established") continue;
    const auto p = static_cast<std::size_t>(*point);
    if (p < rtt.size()) rtt[p] = std::min(rtt[p], *time);
  }
  std::string no_loss;  // the points left blank, by reason
  std::string no_rtt;
  for (std::size_t p = 0; p < info.points.size(); ++p) {
    const std::optional<double> probability =
        p < info.loss_both_ways.size() ? info.loss_both_ways[p] : std::nullopt;
    const auto add = [p](std::string& list) {
      list += (list.empty() ? "" : ", ") + std::to_string(p);
    };
    if (!probability || !(*probability >= 0 && *probability < 1) || !info.timers[p]) {
      add(no_loss);
      continue;
    }
    if (!std::isfinite(rtt[p])) {
      add(no_rtt);
      continue;
    }
    const viz::TcpTimers& timers = *info.timers[p];
    run.model_mean_s[p] = viz::conditional_mean_s(viz::handshake_distribution(
        rtt[p], timers.syn_send_times_s, *probability, timers.synack_send_times_s, *probability,
        timers.give_up_s.value_or(std::numeric_limits<double>::infinity())));
  }
  run.model_note =
      "Model mean: docs/handshake-model.md, \"With a profile's own schedule\", with the link's "
      "loss (the same both ways) as the loss probability of both directions, the point's SYN "
      "and SYN/ACK schedules, and the point's fastest handshake as RTT; conditional on "
      "success, like the measured mean.";
  if (!no_loss.empty())
    run.model_note += " No model at point" +
                      std::string(no_loss.find(',') == std::string::npos ? " " : "s ") + no_loss +
                      ": the loss is not one probability, the same both ways (loss of one "
                      "direction only, Gilbert-Elliott, outages or scripted drops).";
  if (!no_rtt.empty())
    run.model_note += " No model at point" +
                      std::string(no_rtt.find(',') == std::string::npos ? " " : "s ") + no_rtt +
                      ": no handshake completed, so no RTT.";
}

// Every plot the files allow, drawn as SVG into a scratch folder and read back.
void draw_plots(ReportRun& run) {
  std::string scratch = (fs::temp_directory_path() / "synlab-report-XXXXXX").string();
  if (mkdtemp(scratch.data()) == nullptr) throw ReportError("cannot make a scratch folder");
  struct Remove {
    fs::path dir;
    ~Remove() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } remove{scratch};
  viz::PlotOptions options;
  options.format = viz::PlotFormat::Svg;
  options.width = 1000;
  options.height = 640;
  try {
    const PlotSession qt;
    const viz::PlotReport report = qt.write_plots(run.dir, scratch, options, &preset_timers);
    for (const fs::path& file : report.written) {
      const std::optional<std::string> text = viz::try_read_regular_file(file);
      if (!text) continue;
      run.plots.push_back({file.stem().string(), inline_svg(*text)});
    }
    run.plot_notes = report.skipped;
  } catch (const viz::VizError& e) {
    run.plot_notes.push_back(std::string("No plot: ") + e.what());
  }
}

ReportRun read_run(const fs::path& dir) {
  if (!fs::is_directory(dir))
    throw ReportError(dir.string() + (fs::exists(dir) ? ": not a directory; give the run's folder "
                                                        "(the OUTDIR synlab run wrote)"
                                                      : ": no such directory"));
  std::error_code ec;
  if (!fs::exists(dir / "summary.json", ec))
    throw ReportError(dir.string() +
                      ": no summary.json (is it a folder 'synlab run' wrote? see synlab run -h)");
  std::optional<std::string> summary;
  try {
    summary = viz::read_regular_file(dir / "summary.json", std::uintmax_t{256} << 20);
  } catch (const viz::VizError& e) {
    throw ReportError(e.what());
  }
  ReportRun run;
  run.dir = dir;
  try {
    run.summary = nlohmann::json::parse(*summary);
  } catch (const nlohmann::json::exception& e) {
    throw ReportError((dir / "summary.json").string() +
                      ": not valid JSON: " + viz::json_message(e.what()));
  }
  try {
    viz::check_summary(run.summary, (dir / "summary.json").string());
  } catch (const viz::VizError& e) {
    throw ReportError(e.what());
  }
  read_scenario(run);
  read_connections(run);
  read_swept(run);
  run.narrative = narrate_run(dir);
  try {
    compute_model(run);
  } catch (const viz::VizError& e) {
    run.model_note = std::string("Model mean: ") + e.what();
  }
  draw_plots(run);
  return run;
}

// Writes `text` to `path` whole or not at all: a sibling file, then a rename. A symbolic link
// keeps pointing where it did: the file it names is the one replaced. A device, FIFO or socket
// (`-o /dev/stdout`) has no file to replace: the page is written through it.
void write_whole(const fs::path& path, const std::string& text) {
  const auto fail = [&](const std::string& why) {
    throw ReportError(path.string() + ": cannot write" + (why.empty() ? "" : " (" + why + ")"));
  };
  std::error_code ec;
  const fs::file_status target = fs::status(path, ec);  // through any symbolic link
  if (!ec && fs::exists(target) && !fs::is_regular_file(target)) {
    if (fs::is_directory(target)) fail("a directory; give a file name");
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.flush();
    if (!out) fail(std::strerror(errno));
    return;
  }
  fs::path file;
  try {
    file = follow_links(path);
  } catch (const fs::filesystem_error& e) {
    fail(e.code().message());
  }
  const fs::path partial = file.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      const std::string why = std::strerror(errno);
      std::error_code ignored;
      fs::remove(partial, ignored);
      fail(why);
    }
  }
  fs::rename(partial, file, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(partial, ec);
    fail(why);
  }
}

}  // namespace

int report_command(const ReportOptions& o, std::ostream& out, std::ostream& err) {
  if (o.dirs.empty() || o.dirs.size() > 2) {
    err << "synlab: error: report: give one run's folder, or two to compare\n";
    return exit_bad_input;
  }
  // A folder for -o is a mistake in the command, found before anything is read (as plot's).
  if (!o.output.empty())
    if (const std::optional<std::string> folder = names_folder(o.output, "report.html")) {
      err << "synlab: error: " << *folder << "\n";
      return exit_bad_input;
    }
  std::vector<ReportRun> runs;
  try {
    for (const std::string& dir : o.dirs) runs.push_back(read_run(dir));
  } catch (const ReportError& e) {
    err << "synlab: error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const std::bad_alloc&) {  // a large trace: the plots' CSV tables
    err << "synlab: failed: " << out_of_memory_reading << "\n";
    return exit_failure;
  } catch (const std::exception& e) {
    err << "synlab: failed: " << e.what() << "\n";
    return exit_failure;
  }
  const fs::path output =
      !o.output.empty()
          ? fs::path(o.output)
          : fs::path(o.dirs.front()) / (runs.size() == 1 ? "report.html" : "compare.html");
  try {
    write_whole(output, runs.size() == 1 ? report_html(runs[0]) : compare_html(runs[0], runs[1]));
  } catch (const ReportError& e) {
    err << "synlab: error: " << e.what() << "\n";
    return exit_output_failed;
  }
  out << "wrote " << output.string() << "\n";
  return exit_ok;
}

}  // namespace synlab::app
