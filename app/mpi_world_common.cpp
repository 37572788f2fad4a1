// MpiWorld's parts that need no MPI (see mpi_world.hpp): finding an MPI launcher's variables.
#include <cstdlib>
#include <string>

#include "app/mpi_world.hpp"

namespace synlab::app {

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

}  // namespace synlab::app
