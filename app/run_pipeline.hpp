// The steps `synlab run` and `synlab merge` share: a scenario and the run's options made into
// sweep points, the finished runs gathered in (point, replication) order, and the outputs
// written from them (docs/running.md "Output files").
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "app/output_dir.hpp"
#include "app/run_result.hpp"
#include "app/scenario.hpp"
#include "app/scenario_loader.hpp"

namespace synlab::app {

// A scenario with its --set and --seed options, as sweep points.
struct SweepJob {
  ScenarioDocument doc;
  Scenario base;
  std::vector<std::vector<Override>> overrides;  // each point's
  std::vector<Scenario> points;
  bool single = false;  // one point, repeat 1: packets.csv, states.csv and pcap files are written

  std::size_t runs() const noexcept { return points.size() * base.repeat; }
};

// Loads `doc` with `sets` (PATH=VALUE, in order) and `seed`; checks that outputs.plots can be
// drawn from the files this run writes. Throws ScenarioError.
SweepJob load_sweep(ScenarioDocument doc, const std::vector<std::string>& sets,
                    std::optional<std::uint64_t> seed);

// The runs, taken in order: their rows appended to connections.csv (header included), each
// point's tally merged, their results kept (without the tally) for the table and expectations.
class Gathered {
 public:
  Gathered(const SweepJob& job, std::ostream& connections);
  void take(std::size_t run, RunResult& result, std::istream& rows);

  std::vector<RunResult> runs;
  std::vector<HandshakeTally> tallies;  // by point

 private:
  std::ostream* connections_;
  std::uint64_t repeat_;
};

// What summary.json says of how the files were made.
struct Provenance {
  std::vector<std::string> command_line;
  // The --set assignments the runs were made with, in order: a run's own, or a merge's shards'
  // (its command line is the merge's). summary.json's "set", when there are any.
  std::vector<std::string> sets;
  std::optional<int> mpi_ranks;  // set when run under MPI
};

// Writes sweep.csv, summary.json and the plots into `dir`, commits it, prints the table and the
// expectations' results; returns the exit code (exit_expectation_failed if one failed).
int finish_run(const SweepJob& job, Gathered& gathered, OutputDir& dir, const Provenance& made,
               std::ostream& out, std::ostream& err);

}  // namespace synlab::app
