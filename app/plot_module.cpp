// Loading libsynlab_plots.so (see plot_module.hpp).
#include "app/plot_module.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "app/version.hpp"
#include "viz/viz_error.hpp"

namespace synlab::app {
namespace {

constexpr const char* module_name = "libsynlab_plots.so";

// Where the module may be, in order: beside the program (the build tree), in ../lib/synlab/
// (cmake --install); or only where SYNLAB_PLOTS_MODULE says (made absolute: dlopen() would
// search the library path for a bare name). Never a path compiled in: an installed synlab must
// not load a build tree's module.
std::vector<std::filesystem::path> module_places() {
  std::error_code ec;
  if (const char* chosen = std::getenv("SYNLAB_PLOTS_MODULE"); chosen != nullptr && *chosen != 0) {
    const std::filesystem::path absolute = std::filesystem::absolute(chosen, ec);
    return {ec ? std::filesystem::path(chosen) : absolute};
  }
  std::vector<std::filesystem::path> places;
  const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    places.push_back(program.parent_path() / module_name);
    places.push_back(program.parent_path().parent_path() / "lib" / "synlab" / module_name);
  }
  return places;
}

// The table of the module at `place` if it is this very build's; else nullptr, and why in `why`.
const PlotFunctions* try_load(const std::filesystem::path& place, std::string& why) {
  std::error_code ec;
  if (!std::filesystem::exists(place, ec)) {
    why = ec ? ec.message() : "no such file";
    return nullptr;
  }
  // Kept loaded for the rest of the process: Qt's objects outlive any one command.
  void* const module = ::dlopen(place.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (module == nullptr) {
    const char* error = ::dlerror();
    why = error != nullptr ? error : "cannot be loaded";
    return nullptr;
  }
  using Entry = const PlotFunctions* (*)();
  const auto entry = reinterpret_cast<Entry>(::dlsym(module, "synlab_plot_functions"));
  const PlotFunctions* functions = entry != nullptr ? entry() : nullptr;
  if (functions == nullptr || functions->layout != plot_functions_layout ||
      std::string_view(functions->revision) != source_revision) {
    why = functions == nullptr
              ? "not a synlab plot module"
              : std::string("the plot module of another synlab (source ") +
                    (functions->layout == plot_functions_layout ? functions->revision : "unknown") +
                    ")";
    ::dlclose(module);  // not ours: unmapped, with the Qt libraries it brought
    return nullptr;
  }
  return functions;
}

const PlotFunctions& load() {
  std::string tried;
  for (const std::filesystem::path& place : module_places()) {
    std::string why;
    if (const PlotFunctions* functions = try_load(place, why)) return *functions;
    tried += "\n  " + place.string() + ": " + why;
  }
  throw PlotModuleError(std::string("drawing needs ") + module_name +
                        ", which synlab installs beside itself; not loaded:" + tried);
}

}  // namespace

const PlotFunctions& plot_functions() {
  static const PlotFunctions& functions = load();  // once; a failure is retried next call
  return functions;
}

}  // namespace synlab::app
