// libFuzzer harness: a scenario that passes validation is run, its first point once, with a
// small event budget (models and kernel on any accepted input), then summarised. Scenarios
// too large to run here (many nodes or links) are left to the loader harness.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/simulation.hpp"
#include "app/statistics.hpp"
#include "tests/fuzz/fuzz_scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto point =
      synlab::fuzz::load_checked(std::string(reinterpret_cast<const char*>(data), size));
  if (!point || point->nodes.size() > 64 || point->links.size() > 64) return 0;
  synlab::app::RunSetup setup;
  setup.max_events = 20'000;
  const synlab::app::RunResult result = synlab::app::simulate(*point, setup);
  (void)synlab::app::summarize(result.connections);
  return 0;
}
