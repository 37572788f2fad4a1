// libsynlab_mpi.so: MpiWorld's MPI calls, with OpenMPI (see mpi_module.hpp). Point-to-point
// messages to rank 0, probed without blocking so that rank 0's main thread keeps gathering its own
// runs while it waits. Only its entry point is looked up; the program reaches the rest through
// the table.
// The MPI C interface only: no C++ bindings (libmpi_cxx), which MPI 3 deprecated.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "app/mpi_module.hpp"
#include "app/version.hpp"

namespace {

using synlab::app::MpiWorld;

int tag_of(MpiWorld::Kind k) {
  return k == MpiWorld::Kind::Record ? 1 : 2;
}

void join(int& rank, int& size, int& local_size) {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  // Errors end the run with a message rather than with MPI's default abort in the library.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Comm local = MPI_COMM_NULL;
  if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local) ==
      MPI_SUCCESS) {
    MPI_Comm_size(local, &local_size);
    MPI_Comm_free(&local);
  }
}

// OpenMPI waits by spinning: a rank done early would burn a core until the last one finishes.
// A non-blocking barrier, tested every millisecond, lets it sleep instead.
void leave() noexcept {
  MPI_Request all_here = MPI_REQUEST_NULL;
  if (MPI_Ibarrier(MPI_COMM_WORLD, &all_here) == MPI_SUCCESS) {
    for (int done = 0; MPI_Test(&all_here, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS && done == 0;)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  MPI_Finalize();
}

void share(int& status, std::string& text) {
  long long head[2] = {status, static_cast<long long>(text.size())};
  if (MPI_Bcast(head, 2, MPI_LONG_LONG, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
    throw std::runtime_error("MPI: broadcast failed");
  status = static_cast<int>(head[0]);
  text.resize(static_cast<std::size_t>(head[1]));
  if (!text.empty() && MPI_Bcast(text.data(), static_cast<int>(text.size()), MPI_CHAR, 0,
                                 MPI_COMM_WORLD) != MPI_SUCCESS)
    throw std::runtime_error("MPI: broadcast failed");
}

void send(MpiWorld::Kind kind, std::string_view bytes) {
  // Records above 2 GiB (an int's count of chars) would need MPI 4's large counts: a run's
  // connections.csv rows are far below that (10,000 connections: about 1 MB).
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
    throw std::runtime_error("MPI: a run's record is larger than 2 GiB");
  // Sent without blocking and tested every 100 us: a blocking MPI_Send would spin, taking a
  // core from this rank's runs, until rank 0 comes to receive.
  MPI_Request sent = MPI_REQUEST_NULL;
  int done = 0;
  bool ok = MPI_Isend(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, 0, tag_of(kind),
                      MPI_COMM_WORLD, &sent) == MPI_SUCCESS;
  while (ok && (ok = MPI_Test(&sent, &done, MPI_STATUS_IGNORE) == MPI_SUCCESS) && done == 0)
    std::this_thread::sleep_for(std::chrono::microseconds(100));
  if (!ok) throw std::runtime_error("MPI: sending to rank 0 failed");
}

std::optional<MpiWorld::Message> poll() {
  int flag = 0;
  MPI_Status status{};
  if (MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status) != MPI_SUCCESS)
    throw std::runtime_error("MPI: probing for messages failed");
  if (flag == 0) return std::nullopt;
  int count = 0;
  MPI_Get_count(&status, MPI_CHAR, &count);
  MpiWorld::Message m;
  m.from = status.MPI_SOURCE;
  m.kind = status.MPI_TAG == 1 ? MpiWorld::Kind::Record : MpiWorld::Kind::Failure;
  m.bytes.resize(static_cast<std::size_t>(count));
  if (MPI_Recv(m.bytes.data(), count, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE) != MPI_SUCCESS)
    throw std::runtime_error("MPI: receiving from rank " + std::to_string(m.from) + " failed");
  return m;
}

void abort(int code) noexcept {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);  // MPI_Abort does not return; in case it does
}

const synlab::app::MpiFunctions functions{
    {synlab::app::mpi_functions_layout, synlab::app::source_revision},
    join,
    leave,
    share,
    send,
    poll,
    abort,
};

}  // namespace

extern "C" __attribute__((visibility("default"))) const synlab::app::MpiFunctions*
synlab_mpi_functions() {
  return &functions;
}
