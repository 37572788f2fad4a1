// `synlab merge OUTDIR SHARD...` (see commands.hpp, docs/running.md "Array jobs"): the outputs
// of a sweep from the N shards `synlab run --shard K/N` wrote, byte for byte those of the sweep
// run whole but for summary.json's command line. Shards are read in step, one run at a time
// (run i is in shard i mod N), so memory does not grow with the sweep.
#include <algorithm>
#include <memory>
#include <ostream>
#include <sstream>
#include <vector>

#include "app/commands.hpp"
#include "app/csv_writers.hpp"
#include "app/expectations.hpp"
#include "app/huge_pages.hpp"
#include "app/interrupt_cleanup.hpp"
#include "app/mpi_world.hpp"
#include "app/output_dir.hpp"
#include "app/run_pipeline.hpp"
#include "app/run_record.hpp"
#include "app/shard_file.hpp"
#include "app/version.hpp"
#include "viz/viz_error.hpp"

namespace synlab::app {
namespace {

std::string join_list(const std::vector<std::string>& items) {
  std::string s;
  for (const std::string& i : items) s += (s.empty() ? "" : " ") + i;
  return s;
}

// Throws ShardError unless `b` ran what `a` ran, with this synlab.
void check_same(const ShardReader& a, const ShardReader& b) {
  const ShardHeader& x = a.header();
  const ShardHeader& y = b.header();
  const std::string where = b.path().parent_path().string();
  const std::string other = a.path().parent_path().string();
  if (y.version != version || y.source_revision != source_revision)
    throw ShardError(where + ": made by synlab " + y.version + " (source " + y.source_revision +
                     "), this is synlab " + std::string(version) + " (source " +
                     std::string(source_revision) + "): merge with the synlab that ran the shards");
  if (y.scenario_text != x.scenario_text)
    throw ShardError(where + ": ran a different scenario than " + other + " (" + y.scenario_file +
                     " and " + x.scenario_file + " differ in content)");
  if (y.scenario_file != x.scenario_file)
    throw ShardError(where + ": ran scenario file " + y.scenario_file + ", " + other + " ran " +
                     x.scenario_file +
                     " (summary.json names the file: run every shard with the "
                     "same path)");
  if (y.seed != x.seed)
    throw ShardError(where + ": ran with a different --seed than " + other + " (" +
                     (y.seed ? std::to_string(*y.seed) : "none") + " and " +
                     (x.seed ? std::to_string(*x.seed) : "none") + ")");
  if (y.sets != x.sets)
    throw ShardError(where + ": ran with other --set options than " + other + " ('" +
                     join_list(y.sets) + "' and '" + join_list(x.sets) + "')");
  if (y.shard.n != x.shard.n)
    throw ShardError(where + ": is shard " + std::to_string(y.shard.k) + "/" +
                     std::to_string(y.shard.n) + ", " + other + " is shard " +
                     std::to_string(x.shard.k) + "/" + std::to_string(x.shard.n) +
                     ": merge shards of one split");
  if (y.runs != x.runs)
    throw ShardError(where + ": counts " + std::to_string(y.runs) + " runs, " + other + " counts " +
                     std::to_string(x.runs));
}

}  // namespace

int merge_command(const MergeOptions& o, std::ostream& out, std::ostream& err) {
  // Under mpirun or srun every process would merge the same shards into the same folder: merge
  // is one process's work.
  // Said once, by the first process (every one exits 2), in one write.
  if (const int launched = MpiWorld::launched_size(); launched > 1) {
    if (MpiWorld::launched_rank() <= 0)
      err << ("synlab: error: merge: started as " + std::to_string(launched) +
              " processes (mpirun, srun), each of which would write " + o.outdir +
              ": merge is one process's work; run it without the launcher\n")
          << std::flush;
    return exit_bad_input;
  }
  // The shards' runs are read whole, megabytes each: huge pages spare most of their page faults.
  prefer_large_heaps();
  use_huge_pages_for_this_thread();
  std::filesystem::path staging;
  std::filesystem::path target;
  const auto shown = [&](const std::string& message) {
    return OutputDir::replace_path(message, staging, target);
  };
  try {
    std::vector<std::unique_ptr<ShardReader>> readers;
    for (const std::string& path : o.shards) readers.push_back(std::make_unique<ShardReader>(path));
    for (const auto& r : readers) check_same(*readers.front(), *r);
    const ShardHeader& first = readers.front()->header();
    const std::uint64_t n = first.shard.n;
    std::vector<ShardReader*> by_k(n, nullptr);
    for (const auto& r : readers) {
      ShardReader*& slot = by_k[r->header().shard.k - 1];
      if (slot != nullptr)
        throw ShardError("shard " + std::to_string(r->header().shard.k) + "/" + std::to_string(n) +
                         " given twice: " + slot->path().parent_path().string() + " and " +
                         r->path().parent_path().string());
      slot = r.get();
    }
    std::string missing;
    for (std::uint64_t k = 1; k <= n; ++k)
      if (by_k[k - 1] == nullptr)
        missing += (missing.empty() ? "" : ", ") + std::to_string(k) + "/" + std::to_string(n);
    if (!missing.empty())
      throw ShardError("missing shard" +
                       std::string(missing.find(',') == std::string::npos ? "" : "s") + " " +
                       missing + " (the sweep was split into " + std::to_string(n) +
                       "; give every shard's folder)");
    for (std::uint64_t k = 1; k <= n; ++k) {
      const std::uint64_t expected = first.runs / n + (k - 1 < first.runs % n ? 1 : 0);
      if (by_k[k - 1]->header().records != expected)
        throw ShardError(by_k[k - 1]->path().string() + ": damaged (holds " +
                         std::to_string(by_k[k - 1]->header().records) + " runs, shard " +
                         std::to_string(k) + "/" + std::to_string(n) + " has " +
                         std::to_string(expected) + ")");
    }

    std::error_code ec;
    for (const auto& r : readers)
      if (std::filesystem::equivalent(r->path().parent_path(), o.outdir, ec))
        throw ShardError("OUTDIR " + o.outdir + " is one of the shards: merge into another folder");
    const SweepJob job = load_sweep(parse_scenario_text(first.scenario_text, first.scenario_file),
                                    first.sets, first.seed);
    if (job.runs() != first.runs)
      throw ShardError("the shards hold " + std::to_string(first.runs) + " runs, their scenario " +
                       std::to_string(job.runs()));
    OutputDir dir(o.outdir);
    for (const auto& r : readers) dir.refuse_input_inside(r->path().parent_path(), "the shard");
    staging = dir.staging();
    target = dir.target();
    const InterruptCleanup cleanup(dir.staging(), dir.target(), dir.created_parents());
    std::ofstream connections = dir.open("connections.csv");
    connections << ConnectionsCsv::header;
    Gathered gathered(job, connections);
    std::vector<std::size_t> filters;  // per point: the packet counts each of its runs holds
    for (const Scenario& point : job.points) filters.push_back(packet_filters(point).size());
    for (std::size_t i = 0; i < job.runs(); ++i) {
      ShardReader& reader = *by_k[i % n];
      RunRecord record;
      try {
        record = decode_run_record(reader.next());
      } catch (const RunRecordError& e) {
        throw ShardError(reader.path().string() + ": damaged (" + e.what() + ")");
      }
      if (record.result.point * job.base.repeat + record.result.replication != i)
        throw ShardError(reader.path().string() + ": damaged (runs out of order)");
      // What the scenario says every run holds (a checksum proves only that the bytes are the
      // ones written): its point and replication in range, a count per packet expectation,
      // handshake times of 0 or more.
      const RunResult& r = record.result;
      const bool fits = r.point < job.points.size() && r.replication < job.base.repeat &&
                        r.packet_counts.size() == filters[r.point] &&
                        r.hosts.size() == job.points[r.point].nodes.size() &&
                        std::all_of(r.tally.times_ns.begin(), r.tally.times_ns.end(),
                                    [](std::int64_t t) { return t >= 0; });
      if (!fits)
        throw ShardError(reader.path().string() + ": damaged (run " + std::to_string(i) +
                         " does not fit its scenario: not what synlab run --shard writes)");
      std::istringstream rows(std::move(record.connections_csv));
      gathered.take(i, record.result, rows);
    }
    for (ShardReader* r : by_k) r->expect_end();
    connections.flush();
    dir.check(connections, "connections.csv");
    Provenance made;
    made.command_line = o.command_line;
    made.sets = first.sets;  // the shards' own: the merge's command line has none
    return finish_run(job, gathered, dir, made, out, err);
  } catch (const ShardError& e) {
    err << "synlab: error: " << e.what() << "\n";
    return exit_bad_input;
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
