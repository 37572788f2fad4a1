// DrillRunner: plays a DrillScript against synlab's TCP model (docs/drill.md). The model is
// the stack under test on one node (192.168.0.1); the script is its peer (192.0.2.1): it
// injects the `<` segments at their times, makes the system calls through apps::SocketApi, and
// expects the `>` segments the model sends, at their times within the tolerance, as packetdrill
// does with a real kernel.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "app/drill_script.hpp"
#include "models/tcp/profile.hpp"
#include "models/tcp/socket_address.hpp"
#include "models/tcp/tcp_record.hpp"
#include "sim/time.hpp"

namespace synlab::drill {

// The hosts' addresses: packetdrill's defaults.
inline constexpr tcp::HostAddress local_address = 0xC0A80001;   // 192.168.0.1, the model
inline constexpr tcp::HostAddress remote_address = 0xC0000201;  // 192.0.2.1, the script
inline constexpr std::uint16_t script_port = 8080;              // bind() and connect() use it
inline constexpr std::uint16_t script_remote_port = 49152;  // the peer's port towards a listener

struct DrillOptions {
  const tcp::Profile* profile = nullptr;  // the stack's settings before the script's sysctls
  // Overrides of the script's own --tolerance_usecs / --tolerance_percent.
  std::optional<sim::Duration> tolerance;
  std::optional<double> tolerance_percent;
  std::ostream* log = nullptr;  // each line as it runs, with its time; null: quiet
};

// packetdrill's defaults: 4 ms, or 12.5% of the gap since the previous event if larger.
inline constexpr sim::Duration default_tolerance = std::chrono::milliseconds(4);
inline constexpr double default_tolerance_percent = 12.5;

// One segment on the drill's wire, as the trace writers need it.
struct WireSegment {
  sim::Time time{};
  tcp::AddressedSegment segment;
  bool inbound = false;  // sent by the script
};

struct DrillResult {
  bool passed = false;
  // The script asks what it cannot (found as it ran): not valid, as a parse error; `failure`
  // says why, at file:line:column.
  bool invalid = false;
  // The script uses packetdrill outside synlab's subset (found as it ran): refused, as the
  // parser refuses; `failure` says why, at file:line:column.
  bool refused = false;
  // On failure: "file:line: ..." what was expected, what the model did (or that it did
  // nothing) and when; then the events that led there.
  std::string failure;
  std::vector<std::string> notes;      // read but without effect; packets nobody expected
  std::vector<WireSegment> wire;       // every segment, in order
  std::vector<tcp::TcpRecord> states;  // the model's state changes, in order
  std::vector<std::string> history;    // the run's lines, as logged
};

DrillResult run_drill(const Script& script, const DrillOptions& options);

}  // namespace synlab::drill
