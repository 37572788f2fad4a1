// MpiWorld (see mpi_world.hpp): finding an MPI launcher's variables, and the MPI calls, which
// libsynlab_mpi.so makes (mpi_module.hpp).
#include "app/mpi_world.hpp"

#include <cstdlib>
#include <limits>
#include <string>

#include "app/module_loader.hpp"
#include "app/mpi_module.hpp"

namespace synlab::app {
namespace {

const MpiFunctions& load() {
  const ModuleSpec spec{.file = "libsynlab_mpi.so",
                        .variable = "SYNLAB_MPI_MODULE",
                        .entry = "synlab_mpi_functions",
                        .kind = "MPI",
                        .layout = mpi_functions_layout,
                        .global = true};
  std::string tried;
  if (const void* table = load_module(spec, tried)) return *static_cast<const MpiFunctions*>(table);
  throw MpiModuleError(std::string("a run over MPI ranks needs ") + spec.file +
                       ", which synlab installs beside itself; not loaded:" + tried);
}

const MpiFunctions& mpi() {
  static const MpiFunctions& functions = load();  // once; a failure is retried next call
  return functions;
}

}  // namespace

int MpiWorld::launched_size() {
  // OpenMPI's mpirun sets OMPI_COMM_WORLD_SIZE; MPICH's and Slurm's PMI (srun --mpi=pmi2) set
  // PMI_SIZE; Slurm's PMIx (srun --mpi=pmix) sets PMIX_RANK, with the size known only to MPI.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const char* v = std::getenv(name); v != nullptr) {
      const int n = std::atoi(v);
      if (n > 0) return n;
    }
  }
  return std::getenv("PMIX_RANK") != nullptr ? 1 : 0;
}

int MpiWorld::launched_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"}) {
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') {
      char* end = nullptr;
      const long rank = std::strtol(v, &end, 10);
      if (*end == '\0' && rank >= 0 && rank <= std::numeric_limits<int>::max())
        return static_cast<int>(rank);
    }
  }
  return -1;
}

bool MpiWorld::built_in() noexcept {
  return SYNLAB_MPI_MODULE != 0;
}

MpiWorld::MpiWorld() : functions_(&mpi()) {
  functions_->join(rank_, size_, local_size_);
  if (const char* f = std::getenv("SYNLAB_MPI_TEST_FAULT"); f != nullptr) {
    const std::string spec(f);
    const auto colon = spec.find(':');
    if (colon != std::string::npos && std::atoi(spec.substr(0, colon).c_str()) == rank_)
      fault_ = spec.substr(colon + 1) == "kill"    ? Fault::Kill
               : spec.substr(colon + 1) == "fail"  ? Fault::Fail
               : spec.substr(colon + 1) == "hosts" ? Fault::Hosts
                                                   : Fault::None;
  }
}

MpiWorld::~MpiWorld() {
  functions_->leave();
}

void MpiWorld::share(int& status, std::string& text) {
  functions_->share(status, text);
}

void MpiWorld::send(Kind kind, std::string_view bytes) {
  functions_->send(kind, bytes);
}

std::optional<MpiWorld::Message> MpiWorld::poll() {
  return functions_->poll();
}

void MpiWorld::abort(int code) {
  functions_->abort(code);
  std::_Exit(code);  // the module's abort does not return; in case it does
}

}  // namespace synlab::app
