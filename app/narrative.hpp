// Narrative: a single run's first connection told in one line, from its files (packets.csv and
// states.csv, through viz's ladder): what was sent when, what was lost and why, what each
// retransmission answered, and when each end was ESTABLISHED. `synlab run` prints it for a
// single run and `synlab report` shows it (docs/running.md).
//   0.000 s client SYN lost (scripted) · 1.000 s client retransmits SYN (timer, 1 s) ·
//   1.010 s server SYN/ACK · 1.020 s client ESTABLISHED · handshake 1.020 s
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "viz/ladder.hpp"

namespace synlab::app {

// The handshake of `ladder`'s connection: its SYN, SYN/ACK, RST and handshake-ACK segments and
// the ends' ESTABLISHED (or the client's CLOSED), at most `max_events` of them.
std::string narrative(const viz::Ladder& ladder, std::size_t max_events = 16);

// Packets dropped in a run, by reason (packets.csv's `reason` of `drop` rows).
std::map<std::string, std::uint64_t> drops_by_reason(const viz::CsvTable& packets);

// "3 lost in the network: 2 loss, 1 scripted", or "no packet lost in the network". (A host
// that drops a segment, e.g. a listener with a full queue, is not the network: states.csv and
// the counters tell those.)
std::string drops_text(const std::map<std::string, std::uint64_t>& drops);

// Both for a run's folder, when it holds packets.csv (states.csv too, for the states): the
// narrative of connection 1 and the drops line; "" when there is no packets.csv, it is larger
// than 16 MiB (not read back), or it has no packet of connection 1.
std::string narrate_run(const std::filesystem::path& dir);

}  // namespace synlab::app
