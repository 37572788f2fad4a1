// LibPcap (see libpcap.hpp): dlopen and dlsym, once.
#include "models/net/libpcap.hpp"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace synlab::net {
namespace {

// Looks up `name` into `function`; false, with why, if the library lacks it.
template <class F>
bool find(void* library, const char* name, F& function, std::string& why) {
  function = reinterpret_cast<F>(::dlsym(library, name));
  if (function == nullptr) why = std::string(SYNLAB_LIBPCAP) + ": no function " + name;
  return function != nullptr;
}

// The loader's search first (LD_LIBRARY_PATH, the system's folders); then the folder the build
// found libpcap in, for a libpcap installed elsewhere (/opt, a prefix of one's own).
void* open_library(std::string& why) {
  if (void* library = ::dlopen(SYNLAB_LIBPCAP, RTLD_NOW | RTLD_LOCAL)) return library;
  const char* error = ::dlerror();
  why = error != nullptr ? error : std::string(SYNLAB_LIBPCAP) + ": cannot be loaded";
  const std::string beside_build = std::string(SYNLAB_LIBPCAP_DIR) + "/" + SYNLAB_LIBPCAP;
  if (void* library = ::dlopen(beside_build.c_str(), RTLD_NOW | RTLD_LOCAL)) return library;
  return nullptr;  // the first reason: the usual search's
}

bool load(LibPcap& f, std::string& why) {
  void* const library = open_library(why);
  if (library == nullptr) return false;
  const bool found = find(library, "pcap_open_dead_with_tstamp_precision",
                          f.open_dead_with_tstamp_precision, why) &&
                     find(library, "pcap_close", f.close, why) &&
                     find(library, "pcap_geterr", f.geterr, why) &&
                     find(library, "pcap_dump_fopen", f.dump_fopen, why) &&
                     find(library, "pcap_dump", f.dump, why) &&
                     find(library, "pcap_dump_flush", f.dump_flush, why) &&
                     find(library, "pcap_dump_file", f.dump_file, why) &&
                     find(library, "pcap_dump_close", f.dump_close, why);
  if (!found) ::dlclose(library);
  return found;  // kept loaded: writers hold its handles until they finish
}

}  // namespace

const LibPcap* libpcap(std::string& why) {
  // A writer may be opened on any thread (a run's captures, on the thread that runs it).
  static std::mutex mutex;
  static LibPcap functions{};
  static bool loaded = false;
  const std::lock_guard<std::mutex> lock(mutex);
  if (!loaded) loaded = load(functions, why);
  return loaded ? &functions : nullptr;
}

}  // namespace synlab::net
