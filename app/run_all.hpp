// RunAll: runs a sweep's (point, replication) runs on threads and hands each finished run on in
// (point, replication) order, so the bytes written do not depend on the number of threads,
// processes or machines. One process runs the runs `mine` lists; with MPI, rank 0 also takes
// the other ranks' runs as RunRecords, and the other ranks send theirs (docs/architecture.md).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "app/held_rows.hpp"
#include "app/mpi_world.hpp"
#include "app/run_result.hpp"
#include "app/scenario.hpp"
#include "app/simulation.hpp"

namespace synlab::app {

// A run of another rank failed: its message, with the rank named.
class RemoteRunError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class RunAll {
 public:
  // A finished run, in order: its result and its connections.csv rows (empty for a single run,
  // which writes its files directly).
  using Take = std::function<void(std::size_t run, RunResult& result, std::istream& rows)>;

  // Streams a single run (points.size() * repeat == 1) writes directly: connections.csv rows
  // (header written by the caller), packets.csv and states.csv (null: not asked for), pcap files.
  struct Direct {
    std::ostream* connections = nullptr;
    std::ostream* packets = nullptr;
    std::ostream* states = nullptr;
    std::filesystem::path pcap_dir;
    // Where a single run's CSV rows are formatted and their blocks written (connections.csv's,
    // RunSetup::trace_formatting).
    Consumer formatting = Consumer::Inline;
    // Where a sweep's runs write their rows' blocks: on a thread of their own only when a core
    // is left over beside the runs' threads (--jobs below the cores).
    Consumer sweep_writing = Consumer::OwnThread;
  };

  // `mine`: the runs (index point * repeat + replication) this process computes, ascending.
  // `scratch`: a directory for each run's rows until their turn (the staging directory);
  // unused on an MPI rank other than 0. `world`: the MPI world, or null.
  RunAll(const std::vector<Scenario>& points, std::uint64_t repeat, std::vector<std::size_t> mine,
         std::filesystem::path scratch, Direct direct, MpiWorld* world);

  // Runs `mine` on `jobs` threads. Rank 0 of an MPI world, or a process alone, hands every run
  // it gathers (all of them with MPI, else `mine`) to `take` in order; another rank sends its
  // runs to rank 0 as they finish. Rethrows the first failure (RemoteRunError for another
  // rank's). Where the system gives fewer threads (a `ulimit -v` without room for their stacks),
  // the runs share those it gives; without any, they are made on the calling thread, one after
  // another, before their results are handed on.
  void run(unsigned jobs, bool progress, std::ostream& err, const Take& take);
  // After run(): the threads it could start for the runs (0: the runs were made on the calling
  // thread), and why not more, if it could not start all it asked for.
  unsigned threads_started() const { return threads_started_; }
  const std::string& threads_refused() const { return threads_refused_; }

 private:
  std::filesystem::path chunk(std::size_t i) const;
  // Throws the OutputError of a run's rows that could not be written.
  [[noreturn]] void rows_failed() const;
  void work();
  void simulate_one(std::size_t i);
  void stop(std::exception_ptr e);
  void receive(MpiWorld::Message&& m);
  void gather(bool progress, std::ostream& err, const Take& take);
  void send_all();
  bool show(std::ostream& err, std::chrono::steady_clock::time_point start,
            std::size_t runs_done) const;

  const std::vector<Scenario>& points_;
  std::uint64_t repeat_;
  std::size_t total_;
  std::vector<std::size_t> mine_;
  std::filesystem::path scratch_;
  Direct direct_;
  MpiWorld* world_;
  bool sender_;  // an MPI rank other than 0
  std::vector<PacketFilter> filters_;
  std::vector<std::uint64_t> keep_;
  std::uint64_t connections_total_;
  std::atomic<std::uint64_t> connections_done_{0};
  std::vector<RunResult> results_;  // until taken
  // Rows held for connections.csv: up to 32 MiB in memory, the rest in files (HeldRows).
  HeldRowsBudget held_budget_{std::size_t{32} << 20};
  std::vector<std::unique_ptr<HeldRows>> held_;  // by run, until taken; guarded by mutex_
  std::vector<bool> done_;                       // guarded by mutex_
  std::vector<std::string> outbox_;   // encoded records to send (a sender); guarded by mutex_
  std::size_t finished_ = 0;          // runs of mine finished; guarded by mutex_
  std::atomic<std::size_t> next_{0};  // into mine_
  std::mutex mutex_;
  std::condition_variable ready_;
  std::exception_ptr failure_;  // guarded by mutex_
  // Whether the earliest run not yet gathered writes into connections.csv itself (HeldRows::
  // go_direct): a sweep in one process; not an MPI world's rank 0, nor a shard.
  bool baton_;
  std::size_t taken_ = 0;  // runs of mine_ gathered (the baton's holder is mine_[taken_]); mutex_
  unsigned threads_started_ = 0;
  std::string threads_refused_;  // the system's reason, if it refused a thread
};

}  // namespace synlab::app
