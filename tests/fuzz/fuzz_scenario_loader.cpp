// libFuzzer harness: any bytes as a scenario file, through the loader and the checks `synlab
// validate` makes (every sweep point loaded). Bad input must end in a ScenarioError with a
// message; anything else (another exception, a crash, a sanitizer report, a hang) is a bug.
// Built by the `fuzz` preset (clang) and, in every build, replayed on tests/fuzz/regressions.
#include <cstddef>
#include <cstdint>
#include <string>

#include "tests/fuzz/fuzz_scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)synlab::fuzz::load_checked(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}
