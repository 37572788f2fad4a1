// Checks a scenario's `expect` list against its results. A connection or packet-count
// expectation must hold in every run; a metric in every sweep point (over that point's runs).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "app/run_outputs.hpp"
#include "app/scenario.hpp"
#include "app/simulation.hpp"

namespace synlab::app {

// Where an expectation failed: a sweep point, and what was observed there.
struct ExpectationFailure {
  std::size_t point = 0;
  std::string parameters;  // the point's swept values, "links.wan.loss=0.1, tcp.profile=linux"
  std::string observed;    // "598", "never established (replication 3; 2 of 30 runs)"
};

struct ExpectationResult {
  const Expectation* expectation = nullptr;
  bool passed = true;
  std::string expected;  // "conn 1 established at 1.1s ± 1ms"
  std::string observed;  // "established at 1.020000000 s (point 0, replication 3)": the first
                         // failure, and how many more points failed
  std::vector<ExpectationFailure> failures;  // every failing point, in order
};

// The packet filters the expectations need counted (RunSetup::packet_counts), in the order
// check_expectations() reads RunResult::packet_counts.
std::vector<PacketFilter> packet_filters(const Scenario& scenario);

std::vector<ExpectationResult> check_expectations(const Scenario& scenario,
                                                  std::span<const PointResults> points);

}  // namespace synlab::app
