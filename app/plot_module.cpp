// Loading libsynlab_plots.so (see plot_module.hpp).
#include "app/plot_module.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <string>
#include <system_error>
#include <vector>

#include "viz/viz_error.hpp"

namespace synlab::app {
namespace {

constexpr const char* module_name = "libsynlab_plots.so";

// Where the module may be, in order: beside the program (the build tree), in ../lib/synlab/
// (cmake --install), and where this build put it (a test program elsewhere in the tree); or
// only where SYNLAB_PLOTS_MODULE says.
std::vector<std::filesystem::path> module_places() {
  if (const char* chosen = std::getenv("SYNLAB_PLOTS_MODULE"); chosen != nullptr && *chosen != 0)
    return {chosen};
  std::vector<std::filesystem::path> places;
  std::error_code ec;
  const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    places.push_back(program.parent_path() / module_name);
    places.push_back(program.parent_path().parent_path() / "lib" / "synlab" / module_name);
  }
  places.emplace_back(SYNLAB_PLOTS_MODULE_PATH);
  return places;
}

const PlotFunctions& load() {
  std::string tried;
  for (const std::filesystem::path& place : module_places()) {
    if (!std::filesystem::exists(place)) {
      tried += "\n  " + place.string() + ": no such file";
      continue;
    }
    // Kept loaded for the rest of the process: Qt's objects outlive any one command.
    void* const module = ::dlopen(place.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
      const char* why = ::dlerror();
      tried += "\n  " + place.string() + ": " + (why != nullptr ? why : "cannot be loaded");
      continue;
    }
    using Entry = const PlotFunctions* (*)();
    const auto entry = reinterpret_cast<Entry>(::dlsym(module, "synlab_plot_functions"));
    const PlotFunctions* functions = entry != nullptr ? entry() : nullptr;
    if (functions == nullptr || functions->version != plot_functions_version) {
      tried += "\n  " + place.string() + ": not this synlab's plot module";
      continue;
    }
    return *functions;
  }
  throw PlotModuleError(std::string("drawing needs ") + module_name +
                        ", which synlab installs beside itself; not found:" + tried);
}

}  // namespace

const PlotFunctions& plot_functions() {
  static const PlotFunctions& functions = load();  // once; a failure is retried next call
  return functions;
}

}  // namespace synlab::app
