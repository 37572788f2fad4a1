// MpiWorld: the processes an MPI launcher (mpirun, srun) started for one `synlab run`, seen from
// one of them (docs/running.md "Many machines"). Rank 0 writes the outputs; the other ranks send
// it their runs as RunRecord bytes. The MPI calls are made by one thread only (the main one), in
// the module libsynlab_mpi.so (mpi_module.hpp), which joining a world loads: it is built when
// CMake's SYNLAB_MPI is on. Without it only launched_size() and built_in() work, so that synlab
// says how to get MPI instead of letting N copies write the same folder.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace synlab::app {

struct MpiFunctions;

// libsynlab_mpi.so cannot be loaded: an installation's fault; the message names the places tried.
class MpiModuleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class MpiWorld {
 public:
  // How many processes the launcher says it started (OMPI_COMM_WORLD_SIZE, PMI_SIZE); 0 when
  // this process was not started by an MPI launcher. Works without MPI built in.
  static int launched_size();
  // This process's rank as the launcher numbers it (OMPI_COMM_WORLD_RANK, PMI_RANK, PMIX_RANK);
  // -1 when none says. Works without MPI built in.
  static int launched_rank();
  // Whether this synlab was built with MPI (SYNLAB_MPI): its module, libsynlab_mpi.so, was.
  static bool built_in() noexcept;

  // Loads libsynlab_mpi.so (the first time) and joins the world (MPI_Init_thread,
  // MPI_THREAD_FUNNELED). Only when built_in(). Throws MpiModuleError when the module cannot be
  // loaded: the file SYNLAB_MPI_MODULE names if set, else libsynlab_mpi.so beside the program or
  // in ../lib/synlab/ from it.
  MpiWorld();
  ~MpiWorld();  // waits (asleep) for every rank, then MPI_Finalize
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  int rank() const noexcept { return rank_; }
  int size() const noexcept { return size_; }
  // The ranks on this machine (MPI_COMM_TYPE_SHARED), which share its cores.
  int local_size() const noexcept { return local_size_; }

  // Rank 0's `status` and `text` replace every other rank's (a collective call).
  void share(int& status, std::string& text);

  // A message from another rank to rank 0.
  enum class Kind { Record, Failure };
  struct Message {
    int from = 0;
    Kind kind = Kind::Record;
    std::string bytes;  // an encoded RunRecord, or the failure's text
  };
  // Sends to rank 0; returns when the bytes are on their way (sleeping, not spinning, until).
  void send(Kind kind, std::string_view bytes);
  // Rank 0: the next message that has arrived, if any (never blocks on the network).
  std::optional<Message> poll();

  // Ends every rank at once (MPI_Abort): after a failure, once rank 0 has cleaned up and said why.
  [[noreturn]] void abort(int code);

  // Testing aid (tests/app/mpi_test.sh): SYNLAB_MPI_TEST_FAULT="RANK:kill" makes that rank
  // kill itself (SIGKILL) as its second run starts, "RANK:fail" makes that run throw, and
  // "RANK:hosts" gives each of its runs one host more than the scenario has.
  enum class Fault { None, Kill, Fail, Hosts };
  Fault test_fault() const noexcept { return fault_; }

 private:
  const MpiFunctions* functions_;
  int rank_ = 0;
  int size_ = 1;
  int local_size_ = 1;
  Fault fault_ = Fault::None;
};

}  // namespace synlab::app
