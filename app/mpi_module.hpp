// MPI's half of MpiWorld, loaded on first use. OpenMPI's libraries (libmpi and the 14 it brings:
// its runtime, hwloc, libevent, systemd, gcrypt, compressors) took about 3.4 ms of every start
// of synlab, while only a run started by an MPI launcher uses them. So the MPI calls live in a
// module beside the program (libsynlab_mpi.so, app/mpi_module_exports.cpp), built when CMake's
// SYNLAB_MPI is on, and MpiWorld loads it when it joins a world (module_loader.hpp).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "app/module_loader.hpp"
#include "app/mpi_world.hpp"

namespace synlab::app {

// What the module exports, as one table of plain functions (same compiler, same library: C++
// types and exceptions may cross). Its entry point is `synlab_mpi_functions`. Each does what the
// MpiWorld member of the same name says; their errors are std::runtime_error.
struct MpiFunctions {
  ModuleHeader header;  // mpi_functions_layout, source_revision
  // MPI_Init_thread (MPI_THREAD_FUNNELED); this process's rank, the world's size and the ranks on
  // this machine.
  void (*join)(int& rank, int& size, int& local_size);
  void (*leave)() noexcept;  // waits (asleep) for every rank, then MPI_Finalize
  void (*share)(int& status, std::string& text);
  void (*send)(MpiWorld::Kind kind, std::string_view bytes);
  std::optional<MpiWorld::Message> (*poll)();
  void (*abort)(int code) noexcept;  // never returns
};
inline constexpr std::size_t mpi_functions_layout =
    sizeof(MpiFunctions) * 1'000'000 + sizeof(MpiWorld::Message) * 1'000 + sizeof(std::string);

}  // namespace synlab::app
