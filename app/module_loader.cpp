// Finding and opening one of synlab's own modules (module_loader.hpp).
#include "app/module_loader.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

#include "app/version.hpp"

namespace synlab::app {
namespace {

std::vector<std::filesystem::path> module_places(const ModuleSpec& spec) {
  std::error_code ec;
  if (const char* chosen = std::getenv(spec.variable); chosen != nullptr && *chosen != 0) {
    const std::filesystem::path absolute = std::filesystem::absolute(chosen, ec);
    return {ec ? std::filesystem::path(chosen) : absolute};
  }
  std::vector<std::filesystem::path> places;
  const std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    places.push_back(program.parent_path() / spec.file);
    places.push_back(program.parent_path().parent_path() / "lib" / "synlab" / spec.file);
  }
  return places;
}

// The table of the module at `place` if it is this very build's; else nullptr, and why in `why`.
const void* try_load(const ModuleSpec& spec, const std::filesystem::path& place, std::string& why) {
  std::error_code ec;
  if (!std::filesystem::exists(place, ec)) {
    why = ec ? ec.message() : "no such file";
    return nullptr;
  }
  // Kept loaded for the rest of the process: its objects (Qt's, MPI's) outlive any one command.
  void* const module = ::dlopen(place.c_str(), RTLD_NOW | (spec.global ? RTLD_GLOBAL : RTLD_LOCAL));
  if (module == nullptr) {
    const char* error = ::dlerror();
    why = error != nullptr ? error : "cannot be loaded";
    return nullptr;
  }
  using Entry = const void* (*)();
  const auto entry = reinterpret_cast<Entry>(::dlsym(module, spec.entry));
  const void* table = entry != nullptr ? entry() : nullptr;
  const auto* header = static_cast<const ModuleHeader*>(table);
  if (header == nullptr || header->layout != spec.layout ||
      std::string_view(header->revision) != source_revision) {
    const std::string kind = std::string("synlab ") + spec.kind + " module";
    why = header == nullptr
              ? "not a " + kind
              : "the " + std::string(spec.kind) + " module of another synlab (source " +
                    (header->layout == spec.layout ? header->revision : "unknown") + ")";
    // Not ours: unloaded, with the libraries it brought. (Ours export their entry alone,
    // modules.map: one that exported a C++ "unique" symbol would stay loaded.)
    ::dlclose(module);
    return nullptr;
  }
  return table;
}

}  // namespace

const void* load_module(const ModuleSpec& spec, std::string& tried) {
  tried.clear();
  for (const std::filesystem::path& place : module_places(spec)) {
    std::string why;
    if (const void* table = try_load(spec, place, why)) return table;
    tried += "\n  " + place.string() + ": " + why;
  }
  return nullptr;
}

}  // namespace synlab::app
