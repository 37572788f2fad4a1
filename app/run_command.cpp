// `synlab run` (see commands.hpp and docs/running.md): alone, as one shard of an array job
// (--shard K/N), or as one rank of an MPI world.
#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <new>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <thread>

#include "app/commands.hpp"
#include "app/csv_writers.hpp"
#include "app/interrupt_cleanup.hpp"
#include "app/mpi_world.hpp"
#include "app/output_dir.hpp"
#include "app/plot_check.hpp"
#include "app/run_all.hpp"
#include "app/run_pipeline.hpp"
#include "app/run_record.hpp"
#include "app/shard_file.hpp"
#include "app/version.hpp"
#include "viz/viz_error.hpp"

namespace synlab::app {
namespace {

// What run says when the simulation takes more memory than the process may have (std::bad_alloc).
constexpr std::string_view out_of_memory_running =
    "out of memory: synlab needed more than this process may have (its `ulimit -v`, or the "
    "machine's memory); a run holds its open connections, 8 bytes per connection for the "
    "statistics and a few MB per trace file; no output was kept";

// The cores this process may use: those it is bound to (taskset, or an MPI launcher's binding);
// else all of them alone, and under MPI an equal share of the machine's among the ranks on it.
unsigned usable_cores(const MpiWorld* world) {
  const unsigned all = std::max(1u, std::thread::hardware_concurrency());
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) {
    const auto bound = static_cast<unsigned>(CPU_COUNT(&set));
    if (bound > 0 && bound < all) return bound;
  }
  if (world == nullptr) return all;
  return std::max(1u, all / static_cast<unsigned>(std::max(1, world->local_size())));
}

// The runs this process computes: every one alone, its shard's, or (MPI) every size-th from its
// rank; a single run is rank 0's, which writes its traces directly.
std::vector<std::size_t> runs_of(std::size_t total, const std::optional<ShardSpec>& shard,
                                 const MpiWorld* world) {
  std::vector<std::size_t> mine;
  for (std::size_t i = 0; i < total; ++i) {
    if (shard && !shard_has(*shard, i)) continue;
    if (world != nullptr &&
        i % static_cast<std::size_t>(world->size()) != static_cast<std::size_t>(world->rank()))
      continue;
    mine.push_back(i);
  }
  return mine;
}

// A rank other than 0 failed: rank 0 says why and ends every rank. If even this message cannot
// be sent, the exit code (and mpirun's report of it) is all that is left.
void tell_rank_0(MpiWorld& world, const std::string& message) {
  try {
    world.send(MpiWorld::Kind::Failure, message);
  } catch (const std::exception&) {
  }
}

int run_in(const RunOptions& o, std::ostream& out, std::ostream& err, MpiWorld* world,
           bool& during_runs) {
  const bool root = world == nullptr || world->rank() == 0;
  // Once OUTDIR is chosen, messages name it rather than its hidden staging directory.
  // (Paths copied: the OutputDir is gone, its staging removed, when the error is reported.)
  std::filesystem::path staging;
  std::filesystem::path target;
  const auto shown = [&](const std::string& message) {
    return OutputDir::replace_path(message, staging, target);
  };
  // Only rank 0 speaks: the others fail the same way on the same input, or tell rank 0.
  std::ostringstream quiet;
  std::ostream& say = root ? err : quiet;
  try {
    std::optional<ShardSpec> shard;
    if (!o.shard.empty()) {
      if (world != nullptr)
        throw std::invalid_argument("--shard " + o.shard +
                                    ": for array jobs without MPI; under mpirun or srun leave "
                                    "it out (the ranks share the runs)");
      try {
        shard = parse_shard(o.shard);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument("--shard " + o.shard + ": " + e.what());
      }
    }
    // Under MPI rank 0 reads the file and hands its bytes to the others (which then need no
    // access to it); each loads the same bytes the same way.
    ScenarioDocument doc;
    if (world == nullptr) {
      doc = read_scenario_file(o.scenario);
    } else {
      int status = exit_ok;
      std::string text;
      std::optional<ScenarioError> error;
      if (root) {
        try {
          doc = read_scenario_file(o.scenario);
          text = doc.text;
        } catch (const ScenarioError& e) {
          error = e;
          status = exit_bad_input;
        }
      }
      world->share(status, text);
      if (error) throw *error;
      if (status != exit_ok) return status;
      if (!root) doc = parse_scenario_text(std::move(text), o.scenario);
    }
    const SweepJob job = load_sweep(std::move(doc), o.sets, o.seed);
    const Scenario& base = job.base;
    const std::size_t run_count = job.runs();
    if (shard && job.single)
      throw std::invalid_argument("--shard " + o.shard +
                                  ": the scenario is a single run (no sweep, repeat: 1); "
                                  "shards split a sweep's runs");
    if (shard && shard->n > run_count)
      throw std::invalid_argument("--shard " + o.shard + ": the sweep has only " +
                                  std::to_string(run_count) + " runs, so at most " +
                                  std::to_string(run_count) + " shards");

    std::optional<OutputDir> dir;
    std::optional<InterruptCleanup> cleanup;
    int go = exit_ok;
    std::string nothing;
    if (root) {
      try {
        std::filesystem::path where = o.outdir;
        if (where.empty())
          where = std::filesystem::path("out") /
                  (shard ? base.name + ".shard-" + std::to_string(shard->k) + "-of-" +
                               std::to_string(shard->n)
                         : base.name);
        dir.emplace(where);  // fails at once
        dir->refuse_input_inside(o.scenario, "the scenario file");
      } catch (const OutputRefused&) {
        go = exit_bad_input;
        if (world != nullptr) world->share(go, nothing);
        throw;
      } catch (const OutputError&) {
        go = exit_output_failed;
        if (world != nullptr) world->share(go, nothing);
        throw;
      }
      staging = dir->staging();
      target = dir->target();
      cleanup.emplace(dir->staging(), dir->target(),
                      dir->created_parents());  // SIGINT, SIGTERM: nothing left behind
    }
    if (world != nullptr) world->share(go, nothing);
    if (go != exit_ok) return go;

    // Never more threads than runs or cores: more would only share the same cores.
    const unsigned cores = usable_cores(world);
    const std::vector<std::size_t> mine = runs_of(run_count, shard, world);
    const unsigned asked = o.jobs != 0 ? o.jobs : cores;
    const auto jobs = static_cast<unsigned>(
        std::max<std::size_t>(1, std::min<std::size_t>({asked, cores, mine.size()})));
    if (o.jobs > cores && !o.quiet)
      say << "synlab: note: --jobs " << o.jobs << ": this process may use " << cores
          << " cores; running " << jobs << " at once\n";
    if (const std::string note = unwritten_pcap_note(base); !note.empty() && !o.quiet)
      say << "synlab: note: " << note << "\n";
    const bool progress = root && !o.quiet && ::isatty(STDERR_FILENO) == 1;
    during_runs = true;
    // When the system refused some of the runs' threads (RunAll::run): the results are the same.
    const auto note_threads = [&](const RunAll& all) {
      if (jobs < 2 || all.threads_started() >= jobs || o.quiet) return;
      say << "synlab: note: the system refused ";
      if (all.threads_started() == 0)
        say << "the runs' threads (" << all.threads_refused()
            << "): they ran on the main thread, one at a time";
      else
        say << jobs - all.threads_started() << " of the " << jobs << " threads for the runs ("
            << all.threads_refused() << "): " << all.threads_started() << " ran at once";
      say << "; the results are the same\n";
    };

    if (!root) {  // an MPI rank other than 0: its runs go to rank 0
      RunAll all(job.points, base.repeat, mine, {}, {}, world);
      all.run(jobs, false, say, {});
      note_threads(all);
      return exit_ok;
    }

    auto check = [&](std::ostream& f, const std::string& name) {
      f.flush();
      dir->check(f, name);
    };
    if (shard) {  // the runs, as records, for synlab merge
      ShardHeader h;
      h.version = version;
      h.source_revision = source_revision;
      h.scenario_file = o.scenario;
      h.scenario_text = job.doc.text;
      h.sets = o.sets;
      h.seed = o.seed;
      h.shard = *shard;
      h.runs = run_count;
      h.records = mine.size();
      h.command_line = o.command_line;
      std::ofstream file = dir->open(std::string(shard_file_name));
      ShardWriter writer(file, h);
      // Both kept from run to run: a run's rows (megabytes) are read whole, in one read, into
      // memory already in place (a string stream grew by doubling: copies and page faults
      // that made a shard of half the runs as slow as the whole sweep).
      std::string text;
      std::string record;
      RunAll all(job.points, base.repeat, mine, dir->staging(), {}, nullptr);
      all.run(jobs, progress, err, [&](std::size_t, RunResult& r, std::istream& rows) {
        rows.seekg(0, std::ios::end);
        const std::streamoff size = rows.tellg();
        rows.seekg(0);
        if (size >= 0) text.resize(static_cast<std::size_t>(size));
        if (size < 0 || !rows.read(text.data(), static_cast<std::streamsize>(text.size())))
          throw OutputError("reading back a run's rows from " + dir->staging().string() +
                            " failed");
        record.clear();
        encode_run_record(r, text, record);
        writer.add(record);
      });
      note_threads(all);
      check(file, std::string(shard_file_name));
      dir->commit();
      out << "shard " << shard->k << "/" << shard->n << ": " << mine.size() << " of " << run_count
          << " runs in " << dir->target().string() << "/\n"
          << "when all " << shard->n << " are done: synlab merge OUTDIR SHARD_FOLDERS...\n";
      return exit_ok;
    }

    // Files: the CSV files are written as the runs go.
    std::ofstream connections = dir->open("connections.csv");
    connections << ConnectionsCsv::header;
    std::unique_ptr<DirectFile> packets;
    std::unique_ptr<DirectFile> states;
    if (job.single && base.outputs.packets) packets = dir->open_direct("packets.csv");
    if (job.single && base.outputs.states) states = dir->open_direct("states.csv");
    RunAll::Direct direct;
    direct.connections = &connections;
    direct.packets = packets.get();
    direct.states = states.get();
    direct.pcap_dir = dir->staging();
    // A single run's CSV rows are formatted beside it when a core is spare (csv_writers.hpp).
    direct.formatting = cores > 1 ? Consumer::OwnThread : Consumer::Inline;
    direct.sweep_writing = cores > jobs ? Consumer::OwnThread : Consumer::Inline;
    Gathered gathered(job, connections);
    RunAll all(job.points, base.repeat, mine, dir->staging(), direct, world);
    all.run(jobs, progress, err,
            [&](std::size_t i, RunResult& r, std::istream& rows) { gathered.take(i, r, rows); });
    note_threads(all);
    check(connections, "connections.csv");
    if (packets) check(*packets, "packets.csv");
    if (states) check(*states, "states.csv");
    Provenance made;
    made.command_line = o.command_line;
    made.sets = o.sets;
    if (world != nullptr) made.mpi_ranks = world->size();
    return finish_run(job, gathered, *dir, made, out, err);
  } catch (const ScenarioError& e) {
    say << "synlab: error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const std::invalid_argument& e) {  // an option's value
    say << "synlab: error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const OutputRefused& e) {
    say << "synlab: error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const OutputError& e) {
    if (!root) tell_rank_0(*world, shown(e.what()));
    say << "synlab: error: " << shown(e.what()) << "\n";
    return exit_output_failed;
  } catch (const viz::VizError& e) {
    say << "synlab: error: plotting: " << shown(e.what()) << "\n";
    return exit_failure;
  } catch (const std::bad_alloc&) {
    if (!root) tell_rank_0(*world, std::string(out_of_memory_running));
    say << "synlab: failed: " << out_of_memory_running << "\n";
    return exit_failure;
  } catch (const std::exception& e) {
    if (!root) tell_rank_0(*world, e.what());
    say << "synlab: failed: " << shown(e.what()) << "\n";
    return exit_failure;
  }
}

}  // namespace

int run_command(const RunOptions& o, std::ostream& out, std::ostream& err) {
  const int launched = MpiWorld::launched_size();
  if (launched == 0 || (launched == 1 && !MpiWorld::built_in())) {
    bool during_runs = false;
    return run_in(o, out, err, nullptr, during_runs);
  }
  if (!MpiWorld::built_in()) {
    err << "synlab: error: started by an MPI launcher as one of " << launched
        << " processes, but this synlab was built without MPI, so each would run the whole "
           "sweep: install OpenMPI (apt-get install libopenmpi-dev openmpi-bin, which "
           "scripts/setup.sh does) and build again (CMake turns SYNLAB_MPI on when it finds "
           "MPI), or run without mpirun, or split the sweep with --shard K/N and synlab merge "
           "(docs/running.md)\n";
    return exit_bad_input;
  }
  std::optional<MpiWorld> joined;
  try {
    joined.emplace();
  } catch (const std::runtime_error& e) {  // MpiModuleError, or MPI's own (mpi_module.hpp)
    // In one write: every rank says it at once, and pieces written apart interleave.
    err << ("synlab: failed: " + std::string(e.what()) + "\n") << std::flush;
    return exit_failure;
  }
  MpiWorld& world = *joined;
  bool during_runs = false;
  const int code = run_in(o, out, err, &world, during_runs);
  // A failure once the runs started: rank 0 has removed its staging directory and said why;
  // end every rank (the others may be mid-run). Another rank waits in MPI_Finalize for that.
  if (code != exit_ok && code != exit_expectation_failed && during_runs && world.rank() == 0 &&
      world.size() > 1) {
    err.flush();
    world.abort(code);
  }
  return code;
}

}  // namespace synlab::app
