// The steps a run and a merge share (see run_pipeline.hpp).
#include "app/run_pipeline.hpp"

#include <istream>
#include <ostream>

#include "app/commands.hpp"
#include "app/expectations.hpp"
#include "app/handshake_timers.hpp"
#include "app/run_outputs.hpp"
#include "app/simulation.hpp"
#include "app/version.hpp"
#include "viz/plot_writer.hpp"
#include "viz/qt_session.hpp"
#include "viz/timing_data.hpp"
#include "viz/viz_error.hpp"

namespace synlab::app {
namespace {

// Why a plot listed in outputs.plots cannot be drawn from this run's files, or "".
std::string unplottable(const Scenario& base, bool single, viz::PlotKind kind) {
  if ((kind == viz::PlotKind::Ladder || kind == viz::PlotKind::Timeseq) &&
      !(single && base.outputs.packets))
    return "needs packets.csv, which only a single run (no sweep, repeat: 1) with "
           "outputs.packets writes";
  if (kind == viz::PlotKind::Timing) {
    std::vector<std::string> swept;
    for (const auto* axes : {&base.sweep.grid, &base.sweep.zip})
      for (const SweepAxis& a : *axes) swept.push_back(a.path);
    if (!viz::find_loss_parameter(swept))
      return "needs a sweep over a loss probability, e.g. sweep: {links.wan.loss: [0, 0.1, 0.2]}";
  }
  return "";
}

}  // namespace

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
  for (const viz::PlotKind kind : job.base.outputs.plots)
    if (const std::string why = unplottable(job.base, job.single, kind); !why.empty())
      throw ScenarioError(SourceMark{job.doc.file, 0, 0},
                          "outputs.plots: '" + std::string(viz::to_string(kind)) + "' " + why);
  return job;
}

Gathered::Gathered(const SweepJob& job, std::ostream& connections)
    : runs(job.runs()),
      tallies(job.points.size()),
      connections_(&connections),
      repeat_(job.base.repeat) {}

void Gathered::take(std::size_t run, RunResult& result, std::istream& rows) {
  if (rows.peek() != std::istream::traits_type::eof()) *connections_ << rows.rdbuf();
  tallies[run / repeat_].merge(result.tally);
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
  if (made.mpi_ranks) summary["mpi_ranks"] = *made.mpi_ranks;
  summary["repeat"] = base.repeat;
  summary["points"] = nlohmann::json::array();
  for (std::size_t p = 0; p < results.size(); ++p) {
    nlohmann::json params = nlohmann::json::object();
    for (const Override& ov : results[p].overrides) params[ov.path] = ov.value;
    // The handshake timers in force, for the analytic model in the plots (docs/plots.md).
    const viz::TcpTimers t = handshake_timers(make_profile(points[p].tcp));
    summary["points"].push_back({{"point", p},
                                 {"parameters", params},
                                 {"tcp",
                                  {{"profile", t.profile},
                                   {"initial_timeout_s", t.initial_timeout_s},
                                   {"syn_send_times_s", t.syn_send_times_s},
                                   {"synack_send_times_s", t.synack_send_times_s}}},
                                 {"summary", summary_json(results[p].summary)}});
  }
  summary["expectations"] = nlohmann::json::array();
  for (const ExpectationResult& e : expectations)
    summary["expectations"].push_back({{"where", e.expectation->where.to_string()},
                                       {"expected", e.expected},
                                       {"observed", e.observed},
                                       {"passed", e.passed}});
  write("summary.json", [&](std::ostream& f) { f << summary.dump(2) << "\n"; });
  // outputs.plots: drawn from the files just written, inside the staging directory.
  if (!base.outputs.plots.empty()) {
    viz::PlotOptions plot;
    plot.kinds = base.outputs.plots;
    const viz::QtSession qt;
    try {
      (void)viz::write_plots(dir.staging(), dir.staging(), plot, &preset_timers);
    } catch (const viz::VizError& e) {  // the files are this run's own: the image failed
      throw OutputError(std::string("plotting: ") + e.what());
    }
  }
  dir.commit();

  // The table, the expectations, where the files are.
  print_run_table(out, base, results);
  int failed = 0;
  for (const ExpectationResult& e : expectations) {
    if (e.passed) continue;
    ++failed;
    err << e.expectation->where.to_string() << ": expectation failed: " << e.expected
        << "; observed " << e.observed << "\n";
  }
  if (!expectations.empty())
    out << expectations.size() - static_cast<std::size_t>(failed) << " of " << expectations.size()
        << " expectations met\n";
  out << "outputs in " << dir.target().string() << "/\n";
  return failed > 0 ? exit_expectation_failed : exit_ok;
}

}  // namespace synlab::app
