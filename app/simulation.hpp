// Runs one scenario (one sweep point, one replication): builds the network and a TCP host per
// node, starts the listen and connect apps, runs the event loop, and collects the results.
#pragma once

#include <cstdint>

#include "app/run_result.hpp"
#include "app/scenario.hpp"
#include "models/tcp/profile.hpp"

namespace synlab::app {

// The scenario's TCP profile: the named preset with the scenario's overrides applied.
tcp::Profile make_profile(const TcpSpec& spec);

// The seed of replication `replication` of sweep point `point`: derived, so that every run
// has independent random streams and adding runs never changes the others.
std::uint64_t run_seed(std::uint64_t scenario_seed, std::uint64_t point, std::uint64_t replication);

struct RunSetup {
  std::uint64_t point = 0;
  std::uint64_t replication = 0;
  bool keep_traces = false;  // fill RunResult::packets and ::tcp
};

RunResult simulate(const Scenario& scenario, const RunSetup& setup);

}  // namespace synlab::app
