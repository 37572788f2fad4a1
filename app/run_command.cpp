// `synlab run` (see commands.hpp and docs/running.md).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <ostream>
#include <thread>
#include <utility>

#include "app/commands.hpp"
#include "app/csv_writers.hpp"
#include "app/expectations.hpp"
#include "app/handshake_timers.hpp"
#include "app/interrupt_cleanup.hpp"
#include "app/output_dir.hpp"
#include "app/plot_check.hpp"
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

// The connection ids a run keeps in memory: the table's (a single run) and the expectations'.
std::vector<std::uint64_t> kept_ids(const Scenario& base, bool single) {
  std::vector<std::uint64_t> keep;
  if (single)
    for (std::uint64_t id = 1; id <= table_rows; ++id) keep.push_back(id);
  for (const Expectation& e : base.expect)
    if (e.kind == Expectation::Kind::Connection) keep.push_back(e.conn);
  std::sort(keep.begin(), keep.end());
  keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
  return keep;
}

// Passes each record on and counts it, for the progress bar.
class Counted final : public apps::ConnectionSink {
 public:
  Counted(apps::ConnectionSink& next, std::atomic<std::uint64_t>& count)
      : next_(&next), count_(&count) {}
  void on_connection(const apps::ConnectionRecord& r) override {
    next_->on_connection(r);
    count_->fetch_add(1, std::memory_order_relaxed);
  }

 private:
  apps::ConnectionSink* next_;
  std::atomic<std::uint64_t>* count_;
};

// The connections every run of `points` opens, `repeat` times each.
std::uint64_t connections_to_open(const std::vector<Scenario>& points, std::uint64_t repeat) {
  std::uint64_t total = 0;
  for (const Scenario& p : points)
    for (const ConnectApp& c : p.connects) total += c.count * repeat;
  return total;
}

// Runs every (point, replication) on `jobs` threads and streams their results: a single run
// writes its CSV files directly; in a sweep each run writes its connections.csv rows to a file
// of its own, which this thread appends to connections.csv in (point, replication) order as
// soon as the runs before it are done, and merges its tally into its point's. The bytes
// do not depend on the number of threads. Shows progress on a terminal.
class RunAll {
 public:
  RunAll(const std::vector<Scenario>& points, std::uint64_t repeat, OutputDir& dir,
         std::ostream& connections, std::ostream* packets, std::ostream* states)
      : points_(points),
        repeat_(repeat),
        total_(points.size() * repeat),
        dir_(dir),
        connections_(connections),
        packets_(packets),
        states_(states),
        filters_(packet_filters(points.front())),
        keep_(kept_ids(points.front(), total_ == 1)),
        connections_total_(connections_to_open(points, repeat)),
        results_(total_),
        done_(total_, false),
        tallies_(points.size()) {}

  void run(unsigned jobs, bool progress, std::ostream& err) {
    const unsigned threads = static_cast<unsigned>(std::min<std::uint64_t>(jobs, total_));
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back([this] { work(); });
    try {
      gather(progress, err);
    } catch (...) {
      stop(std::current_exception());
    }
    for (std::thread& t : pool) t.join();
    if (failure_) std::rethrow_exception(failure_);
  }

  const std::vector<RunResult>& results() const noexcept { return results_; }
  // Point p's connections, over its runs (after run()).
  HandshakeTally& tally(std::size_t p) { return tallies_[p]; }

 private:
  std::filesystem::path chunk(std::size_t i) const {
    return dir_.staging() / (".run-" + std::to_string(i) + ".csv");
  }

  void work() {
    try {
      for (std::size_t i; (i = next_.fetch_add(1)) < total_;) {
        const std::uint64_t point = i / repeat_;
        const std::uint64_t replication = i % repeat_;
        RunSetup setup;
        setup.point = point;
        setup.replication = replication;
        setup.packet_counts = filters_;
        setup.keep = keep_;
        RunResult result;
        if (total_ == 1) {
          ConnectionsCsv rows(connections_, points_[point], point, replication);
          Counted counted(rows, connections_done_);
          setup.connections = &counted;
          setup.pcap_dir = dir_.staging();
          setup.packets_csv = packets_;
          setup.states_csv = states_;
          result = simulate(points_[point], setup);
          rows.flush();
        } else {
          std::ofstream file(chunk(i), std::ios::binary);
          ConnectionsCsv rows(file, points_[point], point, replication);
          Counted counted(rows, connections_done_);
          setup.connections = &counted;
          result = simulate(points_[point], setup);
          rows.flush();
          file.close();
          if (!file)
            throw OutputError("writing " + (dir_.target() / "connections.csv").string() +
                              " failed (disk full?)");
        }
        const std::lock_guard lock(mutex_);
        results_[i] = std::move(result);
        done_[i] = true;
        ready_.notify_one();
      }
    } catch (...) {
      stop(std::current_exception());
    }
  }

  void stop(std::exception_ptr e) {
    const std::lock_guard lock(mutex_);
    if (!failure_) failure_ = std::move(e);
    next_.store(total_);
    ready_.notify_one();
  }

  // Takes the runs in order as they finish.
  void gather(bool progress, std::ostream& err) {
    const auto start = std::chrono::steady_clock::now();
    bool shown = false;
    for (std::size_t i = 0; i < total_; ++i) {
      {
        std::unique_lock lock(mutex_);
        while (!done_[i] && !failure_) {
          ready_.wait_for(lock, std::chrono::milliseconds(100));
          if (progress) shown = show(err, start, i) || shown;
        }
        if (failure_) break;
      }
      if (total_ > 1) {
        std::ifstream file(chunk(i), std::ios::binary);
        if (file.peek() != std::ifstream::traits_type::eof()) connections_ << file.rdbuf();
        file.close();
        std::filesystem::remove(chunk(i));
      }
      RunResult& r = results_[i];
      tallies_[i / repeat_].merge(r.tally);
      r.tally = HandshakeTally{};  // the point's tally has the values now
    }
    if (shown) err << "\r" << std::string(90, ' ') << "\r" << std::flush;
  }

  // After a second, a bar with the connections done (or, without any, the runs) and the time
  // left; true if drawn.
  bool show(std::ostream& err, std::chrono::steady_clock::time_point start,
            std::size_t runs_done) const {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed < 1.0) return false;
    const bool by_connection = connections_total_ > 0;
    const std::uint64_t total = by_connection ? connections_total_ : total_;
    const std::uint64_t done =
        std::min(total, by_connection ? connections_done_.load(std::memory_order_relaxed)
                                      : std::uint64_t{runs_done});
    const double share = static_cast<double>(done) / static_cast<double>(total);
    const int width = 30;
    const int filled = static_cast<int>(width * share);
    err << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
        << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << done << "/"
        << total << (by_connection ? " connections" : " runs");
    if (done > 0)
      err << ", about " << static_cast<int>(elapsed * (1 - share) / share + 0.5) << " s left";
    err << "   " << std::flush;
    return true;
  }

  const std::vector<Scenario>& points_;
  std::uint64_t repeat_;
  std::size_t total_;
  OutputDir& dir_;
  std::ostream& connections_;
  std::ostream* packets_;
  std::ostream* states_;
  std::vector<PacketFilter> filters_;
  std::vector<std::uint64_t> keep_;
  std::uint64_t connections_total_;
  std::atomic<std::uint64_t> connections_done_{0};
  std::vector<RunResult> results_;
  std::vector<bool> done_;  // guarded by mutex_
  std::vector<HandshakeTally> tallies_;
  std::atomic<std::size_t> next_{0};
  std::mutex mutex_;
  std::condition_variable ready_;
  std::exception_ptr failure_;  // guarded by mutex_
};

}  // namespace

int run_command(const RunOptions& o, std::ostream& out, std::ostream& err) {
  // Once OUTDIR is chosen, messages name it rather than its hidden staging directory.
  // (Paths copied: the OutputDir is gone, its staging removed, when the error is reported.)
  std::filesystem::path staging;
  std::filesystem::path target;
  const auto shown = [&](const std::string& message) {
    return OutputDir::replace_path(message, staging, target);
  };
  try {
    const ScenarioDocument doc = read_scenario_file(o.scenario);
    std::vector<Override> sets;
    for (const std::string& s : o.sets) sets.push_back(parse_set_option(s));
    if (o.seed)
      sets.push_back(Override{"seed", std::to_string(*o.seed), SourceMark{"--seed", 0, 0}});
    const Scenario base = load_scenario(doc, sets);
    const auto overrides = sweep_points(base);
    std::vector<Scenario> points;
    load_points(doc, sets, base, overrides, [&](Scenario&& p) { points.push_back(std::move(p)); });
    const bool single = points.size() == 1 && base.repeat == 1;
    check_plots(base);  // what validate checks: a plot that cannot be drawn is refused now
    OutputDir dir(o.outdir.empty() ? std::filesystem::path("out") / base.name
                                   : std::filesystem::path(o.outdir));  // fails at once
    staging = dir.staging();
    target = dir.target();
    const InterruptCleanup cleanup(dir.staging());  // SIGINT, SIGTERM: nothing left behind

    // Never more threads than runs or cores: more would only share the same cores.
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const std::uint64_t run_count = points.size() * base.repeat;
    const unsigned asked = o.jobs != 0 ? o.jobs : cores;
    const auto jobs = static_cast<unsigned>(std::min<std::uint64_t>({asked, cores, run_count}));
    if (o.jobs > cores && !o.quiet)
      err << "synlab: note: --jobs " << o.jobs << ": this machine has " << cores
          << " cores; running " << jobs << " at once\n";
    const bool progress = !o.quiet && ::isatty(STDERR_FILENO) == 1;
    // Files: the CSV files are written as the runs go.
    auto check = [&](std::ofstream& f, const std::string& name) {
      f.flush();
      dir.check(f, name);
    };
    std::ofstream connections = dir.open("connections.csv");
    connections << ConnectionsCsv::header;
    std::ofstream packets;
    std::ofstream states;
    if (single && base.outputs.packets) packets = dir.open("packets.csv");
    if (single && base.outputs.states) states = dir.open("states.csv");
    RunAll all(points, base.repeat, dir, connections, packets.is_open() ? &packets : nullptr,
               states.is_open() ? &states : nullptr);
    all.run(jobs, progress, err);
    check(connections, "connections.csv");
    if (packets.is_open()) check(packets, "packets.csv");
    if (states.is_open()) check(states, "states.csv");
    const std::vector<RunResult>& runs = all.results();

    std::vector<PointResults> results(points.size());
    for (std::size_t p = 0; p < points.size(); ++p) {
      results[p].overrides = overrides[p];
      for (std::uint64_t r = 0; r < base.repeat; ++r)
        results[p].runs.push_back(&runs[p * base.repeat + r]);
      results[p].summary = summarize(std::move(all.tally(p)));
    }
    const auto expectations = check_expectations(base, results);

    // Files.
    auto write = [&](const std::string& name, auto&& body) {
      std::ofstream f = dir.open(name);
      body(f);
      f.flush();
      dir.check(f, name);
    };
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
      nlohmann::json entry{{"point", p},
                           {"parameters", params},
                           {"tcp",
                            {{"profile", t.profile},
                             {"initial_timeout_s", t.initial_timeout_s},
                             {"syn_send_times_s", t.syn_send_times_s},
                             {"synack_send_times_s", t.synack_send_times_s}}},
                           {"summary", summary_json(results[p].summary)}};
      // For the timing plot's effective loss axis (docs/plots.md); only when a Gilbert-Elliott
      // parameter is swept.
      if (nlohmann::json loss = effective_loss_json(points[p], base.sweep); !loss.empty())
        entry["effective_loss"] = std::move(loss);
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
    write("summary.json", [&](std::ostream& f) { f << summary.dump(2) << "\n"; });
    // outputs.plots: drawn from the files just written, inside the staging directory. A plot
    // the data cannot make (e.g. no handshake completed) is a warning: the results are kept,
    // and `synlab plot` can draw it later. An image that cannot be written is an output error.
    std::vector<std::pair<viz::PlotKind, std::string>> plot_warnings;  // kind, why
    if (!base.outputs.plots.empty()) {
      const viz::QtSession qt;
      for (const viz::PlotKind kind : base.outputs.plots) {
        viz::PlotOptions plot;
        plot.kinds = {kind};
        try {
          (void)viz::write_plots(dir.staging(), dir.staging(), plot, &preset_timers);
        } catch (const viz::ImageWriteError& e) {
          throw OutputError(std::string("plotting: ") + e.what());
        } catch (const viz::VizError& e) {
          plot_warnings.emplace_back(kind, shown(e.what()));
        }
      }
    }
    dir.commit();
    for (const auto& [kind, why] : plot_warnings)
      err << "synlab: warning: plot '" << viz::to_string(kind) << "' not drawn: " << why
          << "; the results are kept (draw it later: synlab plot " << dir.target().string()
          << " --kind " << viz::to_string(kind) << ")\n";

    // The table, the expectations, where the files are.
    print_run_table(out, base, results);
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
    out << "outputs in " << dir.target().string() << "/\n";
    return failed > 0 ? exit_expectation_failed : exit_ok;
  } catch (const ScenarioError& e) {
    err << "synlab: error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const OutputRefused& e) {
    err << "synlab: error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const OutputError& e) {
    err << "synlab: error: " << shown(e.what()) << "\n";
    return exit_output_failed;
  } catch (const viz::VizError& e) {
    err << "synlab: error: plotting: " << shown(e.what()) << "\n";
    return exit_failure;
  } catch (const std::exception& e) {
    err << "synlab: failed: " << shown(e.what()) << "\n";
    return exit_failure;
  }
}

}  // namespace synlab::app
