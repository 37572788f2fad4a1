// Finding and opening one of synlab's own modules: a shared object that the program loads with
// dlopen() when a command needs what it brings (Qt for drawing, MPI for a run over ranks), so
// that no other command pays for loading those libraries at its start (plot_module.hpp,
// mpi_module.hpp).
#pragma once

#include <cstddef>
#include <string>

namespace synlab::app {

// The first member of every module's table: the program takes only a module of its own build,
// the same source revision (app/version.hpp) and the same layout of the table and of the types it
// passes.
struct ModuleHeader {
  std::size_t layout;
  const char* revision;
};

struct ModuleSpec {
  const char* file;      // "libsynlab_plots.so"
  const char* variable;  // the environment variable that names another file: "SYNLAB_PLOTS_MODULE"
  const char* entry;     // the exported function that returns the table: "synlab_plot_functions"
  const char* kind;      // for messages: "plot" gives "not a synlab plot module"
  std::size_t layout;    // the table's layout in this build
  // Whether the libraries it brings serve the symbols of objects loaded later (RTLD_GLOBAL):
  // MPI's, whose own components, which MPI_Init loads, may look for them there (an OpenMPI whose
  // components do not link its libraries, as before OpenMPI 3.0). The module's own symbols stay
  // out of that scope: it exports its entry alone (app/modules.map).
  bool global = false;
};

// Opens the module `spec` names and returns its table (which starts with a ModuleHeader), kept
// loaded for the rest of the process. Looks in order beside the program (the build tree) and in
// ../lib/synlab/ from it (cmake --install); or only at the file the variable names, if set (made
// absolute: dlopen() would search the library path for a bare name). Never at a path compiled
// in: an installed synlab must not load a build tree's module. Returns nullptr when no place
// holds a module of this build, and sets `tried` to one line per place: "\n  PLACE: why".
const void* load_module(const ModuleSpec& spec, std::string& tried);

}  // namespace synlab::app
