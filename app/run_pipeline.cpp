// The steps a run and a merge share (see run_pipeline.hpp).
#include "app/run_pipeline.hpp"

#include <filesystem>
#include <istream>
#include <new>
#include <optional>
#include <ostream>
#include <utility>
#include <vector>

#include "app/commands.hpp"
#include "app/expectations.hpp"
#include "app/handshake_timers.hpp"
#include "app/narrative.hpp"
#include "app/plot_check.hpp"
#include "app/plot_module.hpp"
#include "app/plot_options.hpp"
#include "app/run_outputs.hpp"
#include "app/sha256.hpp"
#include "app/simulation.hpp"
#include "app/version.hpp"
#include "viz/plot_writer.hpp"
#include "viz/timing_data.hpp"
#include "viz/viz_error.hpp"

namespace synlab::app {

SweepJob load_sweep(ScenarioDocument doc, const std::vector<std::string>& set_options,
                    std::optional<std::uint64_t> seed) {
  SweepJob job;
  job.doc = std::move(doc);
  std::vector<Override> sets;
  for (const std::string& s : set_options) sets.push_back(parse_set_option(s));
  if (seed) sets.push_back(Override{"seed", std::to_string(*seed), SourceMark{"--seed", 0, 0}});
  job.base = load_scenario(job.doc, sets);
  job.overrides = sweep_points(job.base);
  load_points(job.doc, sets, job.base, job.overrides,
              [&](Scenario&& p) { job.points.push_back(std::move(p)); });
  job.single = job.points.size() == 1 && job.base.repeat == 1;
  check_plots(job.base);  // what validate checks: a plot that cannot be drawn is refused now
  return job;
}

namespace {

// Each node's TCP counters, summed over the point's runs (its replications), by node name.
nlohmann::json hosts_json(const Scenario& point, const std::vector<const RunResult*>& runs) {
  std::vector<tcp::HostCounters> sums(point.nodes.size());
  for (const RunResult* run : runs)
    for (std::size_t n = 0; n < run->hosts.size() && n < sums.size(); ++n) sums[n] += run->hosts[n];
  nlohmann::json hosts = nlohmann::json::object();
  for (std::size_t n = 0; n < sums.size(); ++n) {
    nlohmann::json& counts = hosts[point.nodes[n]];
    counts = nlohmann::json::object();
    for (const tcp::HostCounter& c : tcp::host_counters) counts[c.name] = sums[n].*c.member;
  }
  return hosts;
}

}  // namespace

Gathered::Gathered(const SweepJob& job, std::ostream& connections)
    : runs(job.runs()),
      tallies(job.points.size()),
      connections_(&connections),
      repeat_(job.base.repeat) {}

void Gathered::take(std::size_t run, RunResult& result, std::istream& rows) {
  if (rows.peek() != std::istream::traits_type::eof()) *connections_ << rows.rdbuf();
  tallies[run / repeat_].merge(std::move(result.tally));
  result.tally = HandshakeTally{};  // the point's tally has the values now
  runs[run] = std::move(result);
}

int finish_run(const SweepJob& job, Gathered& gathered, OutputDir& dir, const Provenance& made,
               std::ostream& out, std::ostream& err) {
  const Scenario& base = job.base;
  const auto& points = job.points;
  std::vector<PointResults> results(points.size());
  for (std::size_t p = 0; p < points.size(); ++p) {
    results[p].overrides = job.overrides[p];
    for (std::uint64_t r = 0; r < base.repeat; ++r)
      results[p].runs.push_back(&gathered.runs[p * base.repeat + r]);
    results[p].summary = summarize(std::move(gathered.tallies[p]));
  }
  const auto expectations = check_expectations(base, results);

  auto write = [&](const std::string& name, auto&& body) {
    std::ofstream f = dir.open(name);
    body(f);
    f.flush();
    dir.check(f, name);
  };
  if (!job.single) write("sweep.csv", [&](std::ostream& f) { write_sweep_csv(f, base, results); });
  nlohmann::json summary;
  summary["synlab"] = {{"version", version}, {"source_revision", source_revision}};
  summary["scenario"] = {
      {"file", job.doc.file}, {"name", base.name}, {"sha256", sha256_hex(job.doc.text)}};
  summary["seed"] = base.seed;
  summary["command_line"] = made.command_line;
  if (!made.sets.empty()) summary["set"] = made.sets;
  if (made.mpi_ranks) summary["mpi_ranks"] = *made.mpi_ranks;
  summary["repeat"] = base.repeat;
  summary["points"] = nlohmann::json::array();
  for (std::size_t p = 0; p < results.size(); ++p) {
    nlohmann::json params = nlohmann::json::object();
    for (const Override& ov : results[p].overrides) params[ov.path] = ov.value;
    // The handshake timers in force, for the analytic model in the plots (docs/plots.md).
    const viz::TcpTimers t = handshake_timers(make_profile(points[p].tcp));
    nlohmann::json entry{{"point", p},
                         {"parameters", params},
                         {"tcp",
                          {{"profile", t.profile},
                           {"initial_timeout_s", t.initial_timeout_s},
                           {"syn_send_times_s", t.syn_send_times_s},
                           {"synack_send_times_s", t.synack_send_times_s}}},
                         {"summary", summary_json(results[p].summary)}};
    // When connect() times out unanswered: a later handshake is a failure in the models.
    if (t.give_up_s) entry["tcp"]["give_up_s"] = *t.give_up_s;
    // For the timing plot's effective loss axis (docs/plots.md); only when a Gilbert-Elliott
    // parameter is swept.
    if (nlohmann::json loss = effective_loss_json(points[p], base.sweep); !loss.empty())
      entry["effective_loss"] = std::move(loss);
    // For the CDF's model and the report's model mean, when the loss is not swept.
    if (const std::optional<double> loss = loss_both_ways(points[p]))
      entry["loss_both_ways"] = *loss;
    entry["hosts"] = hosts_json(points[p], results[p].runs);
    summary["points"].push_back(std::move(entry));
  }
  summary["expectations"] = nlohmann::json::array();
  for (const ExpectationResult& e : expectations) {
    nlohmann::json entry{{"where", e.expectation->where.to_string()},
                         {"expected", e.expected},
                         {"observed", e.observed},
                         {"passed", e.passed}};
    if (!e.passed) {  // every failing point (a passing expectation has none)
      entry["failures"] = nlohmann::json::array();
      for (const ExpectationFailure& f : e.failures)
        entry["failures"].push_back(
            {{"point", f.point}, {"parameters", f.parameters}, {"observed", f.observed}});
    }
    summary["expectations"].push_back(std::move(entry));
  }
  // A byte that is not UTF-8 (in a path or a --set on the command line) is written as U+FFFD,
  // not refused: the finished run is kept either way.
  write("summary.json", [&](std::ostream& f) {
    f << summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  });
  // outputs.plots: drawn from the files just written, inside the staging directory. A plot
  // the data cannot make (e.g. no handshake completed), or a drawing that cannot start (no plot
  // module, no Qt session), is a warning: the results are kept, and `synlab plot` can draw it
  // later, and so is running out of memory while drawing (the plots read the CSV files whole).
  // An image that cannot be written (a full disk) is an output error, exit 3, but the results
  // drawn from are kept all the same, and the plots not drawn are named.
  std::vector<std::pair<viz::PlotKind, std::string>> plot_warnings;  // kind, why
  std::vector<std::filesystem::path> plots;  // the images drawn, by file name
  std::optional<std::string> image_failure;  // why an image could not be written
  std::vector<viz::PlotKind> not_written;    // the plots it and those after it were
  if (!base.outputs.plots.empty()) {         // the Qt session lasts as long as the drawing
    std::optional<PlotSession> qt;
    try {
      qt.emplace();
    } catch (const viz::VizError& e) {
      for (const viz::PlotKind kind : base.outputs.plots)
        plot_warnings.emplace_back(kind, e.what());
    } catch (const std::bad_alloc&) {
      for (const viz::PlotKind kind : base.outputs.plots)
        plot_warnings.emplace_back(kind, out_of_memory_reading);
    }
    for (const viz::PlotKind kind : qt ? base.outputs.plots : std::vector<viz::PlotKind>{}) {
      if (image_failure) {  // a disk that took no image takes no more
        not_written.push_back(kind);
        continue;
      }
      viz::PlotOptions plot;
      plot.kinds = {kind};
      try {
        for (const auto& file :
             qt->write_plots(dir.staging(), dir.staging(), plot, &preset_timers).written)
          plots.push_back(file.filename());
      } catch (const viz::ImageWriteError& e) {
        image_failure = OutputDir::replace_path(e.what(), dir.staging(), dir.target());
        not_written.push_back(kind);
      } catch (const viz::VizError& e) {
        plot_warnings.emplace_back(kind,
                                   OutputDir::replace_path(e.what(), dir.staging(), dir.target()));
      } catch (const std::bad_alloc&) {
        plot_warnings.emplace_back(kind, out_of_memory_reading);
      }
    }
  }
  dir.commit();
  if (job.single && !gathered.runs.empty() && gathered.runs.front().pcap_past_last_second > 0)
    err << "synlab: warning: the pcap files leave out "
        << gathered.runs.front().pcap_past_last_second
        << " packet record(s) sent or received after 4294967295 s (2106-02-07T06:28:15Z), the "
           "last second a pcap timestamp holds; packets.csv has them all\n";
  for (const auto& [kind, why] : plot_warnings)
    err << "synlab: warning: plot '" << viz::to_string(kind) << "' not drawn: " << why
        << "; the results are kept (draw it later: synlab plot " << dir.target().string()
        << " --kind " << viz::to_string(kind) << ")\n";

  // The table, the expectations, where the files are.
  print_run_table(out, base, results);
  if (job.single) out << narrate_run(dir.target());  // from the files just committed
  int failed = 0;
  for (const ExpectationResult& e : expectations) {
    if (e.passed) continue;
    ++failed;
    err << e.expectation->where.to_string() << ": expectation failed: " << e.expected
        << "; observed " << e.observed << "\n";
    if (points.size() > 1)  // every failing point, with its parameters
      for (const ExpectationFailure& f : e.failures)
        err << "  point " << f.point << " (" << f.parameters << "): " << f.observed << "\n";
  }
  if (!expectations.empty())
    out << expectations.size() - static_cast<std::size_t>(failed) << " of " << expectations.size()
        << " expectations met\n";
  if (!plots.empty()) {  // the images a student opens next, by the path to open
    out << "plots:";
    for (const std::filesystem::path& file : plots)
      out << (&file == &plots.front() ? " " : ", ") << (dir.target() / file).string();
    out << "\n";
  }
  out << "outputs in " << dir.target().string() << "/\n";
  if (image_failure) {
    const std::string target = dir.target().string();
    err << "synlab: error: plotting: " << *image_failure << "; the results are kept in " << target
        << "/ without the plot" << (not_written.size() > 1 ? "s" : "");
    for (const viz::PlotKind kind : not_written)
      err << (kind == not_written.front() ? " " : ", ") << viz::to_string(kind);
    if (not_written.size() == 1)
      err << " (draw it later: synlab plot " << target << " --kind "
          << viz::to_string(not_written.front()) << ")\n";
    else
      err << " (draw them later: synlab plot " << target << " --kind KIND)\n";
    return exit_output_failed;
  }
  return failed > 0 ? exit_expectation_failed : exit_ok;
}

}  // namespace synlab::app
