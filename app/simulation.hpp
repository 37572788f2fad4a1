// Runs one scenario (one sweep point, one replication): turns the scenario into a network, a
// node stack per node and the applications of models/apps/, runs the event loop, and streams
// the results to the outputs the caller asks for (or keeps them in memory, for tests).
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <vector>

#include "app/background_job.hpp"
#include "app/run_result.hpp"
#include "app/scenario.hpp"
#include "models/apps/connection_record.hpp"
#include "models/tcp/profile.hpp"

namespace synlab::app {

// The scenario's TCP profile: the named preset with the scenario's overrides applied.
tcp::Profile make_profile(const TcpSpec& spec);

// The seed of replication `replication` of sweep point `point`: derived, so that every run
// has independent random streams and adding runs never changes the others.
std::uint64_t run_seed(std::uint64_t scenario_seed, std::uint64_t point, std::uint64_t replication);

// Counts the packets sent onto a link (direction), with exactly these flags if given.
struct PacketFilter {
  std::size_t link = 0;  // index in Scenario::links
  Direction direction = Direction::Both;
  std::optional<std::uint8_t> flags;
};

struct RunSetup {
  std::uint64_t point = 0;
  std::uint64_t replication = 0;
  bool keep_traces = false;                 // fill RunResult::packets and ::tcp (in memory)
  std::vector<PacketFilter> packet_counts;  // fill RunResult::packet_counts, in this order
  // Write the pcap files the scenario's outputs.pcap asks for into this directory (which
  // exists); empty: none. Throws OutputError if a file cannot be written.
  std::filesystem::path pcap_dir;
  // Streaming: each connection's record goes to `connections` once final, in id order (and its
  // on_open() as it opens), and RunResult::connections keeps only the ids listed in `keep`
  // (sorted). Null: every connection is kept in RunResult::connections.
  apps::ConnectionSink* connections = nullptr;
  std::vector<std::uint64_t> keep{};
  std::ostream* packets_csv = nullptr;  // packets.csv, header included, written as the run goes
  std::ostream* states_csv = nullptr;   // states.csv, likewise
  // Where the two traces' rows are formatted and their blocks written (RowBuffer): on threads of
  // their own when a core is spare.
  Consumer trace_formatting = Consumer::Inline;
  std::uint64_t max_events = 0;  // the run ends after this many events (0: no limit)
};

RunResult simulate(const Scenario& scenario, const RunSetup& setup);

}  // namespace synlab::app
