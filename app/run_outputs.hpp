// The files a run writes (docs/running.md): packets.csv, states.csv, connections.csv,
// sweep.csv, and the provenance and results in summary.json; plus the table on stdout.
#pragma once

#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/run_result.hpp"
#include "app/scenario.hpp"
#include "app/scenario_loader.hpp"
#include "app/statistics.hpp"

namespace synlab::app {

// A sweep point: its overrides and the runs made of it.
struct PointResults {
  std::vector<Override> overrides;
  std::vector<const RunResult*> runs;
  HandshakeSummary summary;
};

// One row per sweep point: its parameters, counts and handshake statistics.
void write_sweep_csv(std::ostream& out, const Scenario& base, std::span<const PointResults> points);

// A single run's table lists connections 1 to this (RunSetup::keep must hold them).
inline constexpr std::uint64_t table_rows = 20;

// A readable table on stdout.
void print_run_table(std::ostream& out, const Scenario& scenario,
                     std::span<const PointResults> points);

nlohmann::json summary_json(const HandshakeSummary& s);

// For summary.json: the long-run loss rate of each Gilbert-Elliott link direction of `point`
// whose loss parameters `sweep` varies, keyed "links.<name>.forward" / ".reverse": the bad
// state's share p/(p+r) weighting loss_bad, the good state's r/(p+r) weighting loss_good (with
// the defaults 0 and 1, p/(p+r)). Empty (and left out of summary.json) for any other scenario.
nlohmann::json effective_loss_json(const Scenario& point, const SweepSpec& sweep);

// For summary.json: the per-packet loss probability of `point`'s path when the analytic model
// applies to it (docs/handshake-model.md): one link, Bernoulli loss (or none) with the same p in
// both directions, no outage and no scripted drop. nullopt otherwise.
std::optional<double> loss_both_ways(const Scenario& point);

}  // namespace synlab::app
