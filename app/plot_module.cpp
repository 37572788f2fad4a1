// Loading libsynlab_plots.so (see plot_module.hpp).
#include "app/plot_module.hpp"

#include <string>
#include <system_error>
#include <thread>

#include "app/module_loader.hpp"

namespace synlab::app {
namespace {

const PlotFunctions& load() {
  const ModuleSpec spec{.file = "libsynlab_plots.so",
                        .variable = "SYNLAB_PLOTS_MODULE",
                        .entry = "synlab_plot_functions",
                        .kind = "plot",
                        .layout = plot_functions_layout};
  std::string tried;
  if (const void* table = load_module(spec, tried))
    return *static_cast<const PlotFunctions*>(table);
  throw PlotModuleError(std::string("drawing needs ") + spec.file +
                        ", which synlab installs beside itself; not loaded:" + tried);
}

}  // namespace

void require_a_thread() {
  try {
    std::thread([] {}).join();
  } catch (const std::system_error& e) {
    throw PlotThreadsRefused("drawing needs threads, and the system refused one (" +
                             e.code().message() +
                             "): Qt fills an image on threads of its own and would wait for them "
                             "forever");
  }
}

const PlotFunctions& plot_functions() {
  static const PlotFunctions& functions = load();  // once; a failure is retried next call
  return functions;
}

}  // namespace synlab::app
