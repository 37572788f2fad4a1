// `synlab run` (see commands.hpp and docs/running.md).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <mutex>
#include <ostream>
#include <thread>

#include "app/commands.hpp"
#include "app/expectations.hpp"
#include "app/handshake_timers.hpp"
#include "app/output_dir.hpp"
#include "app/run_outputs.hpp"
#include "app/scenario_loader.hpp"
#include "app/simulation.hpp"
#include "app/version.hpp"
#include "viz/plot_writer.hpp"
#include "viz/qt_session.hpp"
#include "viz/timing_data.hpp"
#include "viz/viz_error.hpp"

namespace synlab::app {
namespace {

// Runs every (point, replication) on `jobs` threads; results land at their index, so the
// output does not depend on the number of threads. Shows progress on a terminal.
std::vector<RunResult> run_all(const std::vector<Scenario>& points, std::uint64_t repeat,
                               bool traces, const std::vector<PacketFilter>& filters,
                               const std::filesystem::path& pcap_dir, unsigned jobs, bool progress,
                               std::ostream& err) {
  const std::size_t total = points.size() * repeat;
  std::vector<RunResult> results(total);
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;  // the first exception a worker met; the others stop early
  auto work = [&] {
    try {
      for (std::size_t i; (i = next.fetch_add(1)) < total;) {
        const std::uint64_t point = i / repeat;
        const std::uint64_t replication = i % repeat;
        results[i] =
            simulate(points[point], RunSetup{point, replication, traces, filters, pcap_dir});
        done.fetch_add(1);
      }
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next.store(total);
      done.store(total);
    }
  };
  const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(jobs, total));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  if (!progress) {
    work();
  } else {
    // This thread reports; after a second, a bar with runs done and the time left.
    const auto start = std::chrono::steady_clock::now();
    bool shown = false;
    std::thread worker(work);
    while (done.load() < total) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const std::size_t d = done.load();
      if (elapsed < 1.0 || d == total) continue;
      const double eta =
          d == 0 ? 0 : elapsed * static_cast<double>(total - d) / static_cast<double>(d);
      const int width = 30;
      const int filled =
          static_cast<int>(width * static_cast<double>(d) / static_cast<double>(total));
      err << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
          << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << d << "/" << total
          << " runs, about " << static_cast<int>(eta + 0.5) << " s left   " << std::flush;
      shown = true;
    }
    worker.join();
    if (shown) err << "\r" << std::string(70, ' ') << "\r" << std::flush;
  }
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  return results;
}

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

int run_command(const RunOptions& o, std::ostream& out, std::ostream& err) {
  try {
    const ScenarioDocument doc = read_scenario_file(o.scenario);
    std::vector<Override> sets;
    for (const std::string& s : o.sets) sets.push_back(parse_set_option(s));
    if (o.seed)
      sets.push_back(Override{"seed", std::to_string(*o.seed), SourceMark{"--seed", 0, 0}});
    const Scenario base = load_scenario(doc, sets);
    const auto overrides = sweep_points(base);
    std::vector<Scenario> points;
    for (const auto& point : overrides) {
      std::vector<Override> all = sets;
      all.insert(all.end(), point.begin(), point.end());
      points.push_back(load_scenario(doc, all));
    }
    const bool single = points.size() == 1 && base.repeat == 1;
    for (const viz::PlotKind kind : base.outputs.plots) {
      if (const std::string why = unplottable(base, single, kind); !why.empty()) {
        err << "synlab: error: " << o.scenario << ": outputs.plots: '" << viz::to_string(kind)
            << "' " << why << "\n";
        return exit_bad_input;
      }
    }
    const std::filesystem::path target = o.outdir.empty() ? std::filesystem::path("out") / base.name
                                                          : std::filesystem::path(o.outdir);
    OutputDir dir(target);  // before running: an unwritable OUTDIR fails at once

    const unsigned jobs = o.jobs != 0 ? o.jobs : std::max(1u, std::thread::hardware_concurrency());
    const bool progress = !o.quiet && ::isatty(STDERR_FILENO) == 1;
    const std::vector<RunResult> runs =
        run_all(points, base.repeat, single, packet_filters(base),
                single ? dir.staging() : std::filesystem::path{}, jobs, progress, err);

    std::vector<PointResults> results(points.size());
    for (std::size_t p = 0; p < points.size(); ++p) {
      results[p].overrides = overrides[p];
      std::vector<ConnectionResult> all;
      for (std::uint64_t r = 0; r < base.repeat; ++r) {
        const RunResult& run = runs[p * base.repeat + r];
        results[p].runs.push_back(&run);
        all.insert(all.end(), run.connections.begin(), run.connections.end());
      }
      results[p].summary = summarize(all);
    }
    const auto expectations = check_expectations(base, results);

    // Files.
    auto write = [&](const std::string& name, auto&& body) {
      std::ofstream f = dir.open(name);
      body(f);
      f.flush();
      dir.check(f, name);
    };
    if (single && base.outputs.packets)
      write("packets.csv", [&](std::ostream& f) { write_packets_csv(f, points[0], runs[0]); });
    if (single && base.outputs.states)
      write("states.csv", [&](std::ostream& f) { write_states_csv(f, runs[0]); });
    write("connections.csv", [&](std::ostream& f) { write_connections_csv(f, runs); });
    if (!single) write("sweep.csv", [&](std::ostream& f) { write_sweep_csv(f, base, results); });
    nlohmann::json summary;
    summary["synlab"] = {{"version", version}, {"source_revision", source_revision}};
    summary["scenario"] = {
        {"file", o.scenario}, {"name", base.name}, {"sha256", sha256_hex(doc.text)}};
    summary["seed"] = base.seed;
    summary["command_line"] = o.command_line;
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
      (void)viz::write_plots(dir.staging(), dir.staging(), plot, &preset_timers);
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
    out << "outputs in " << target.string() << "/\n";
    return failed > 0 ? exit_expectation_failed : exit_ok;
  } catch (const ScenarioError& e) {
    err << "synlab: error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const OutputError& e) {
    err << "synlab: error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const viz::VizError& e) {
    err << "synlab: error: plotting: " << e.what() << "\n";
    return exit_failure;
  } catch (const std::exception& e) {
    err << "synlab: failed: " << e.what() << "\n";
    return exit_failure;
  }
}

}  // namespace synlab::app
