// RunResult: what one simulation run of a scenario produced: its connections' handshake
// statistics and, when asked for, its packet and TCP trace records.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/handshake_tally.hpp"
#include "models/apps/connection_record.hpp"
#include "models/net/packet_record.hpp"
#include "models/tcp/host_counters.hpp"
#include "models/tcp/tcp_record.hpp"
#include "models/tcp/tcp_state.hpp"
#include "sim/time.hpp"

namespace synlab::app {

// One connection a connect app opened (connections are numbered 1, 2, ... across the connect
// lines, in the order of their start times; ties in file order), with its nodes' names.
struct ConnectionResult : apps::ConnectionRecord {
  std::string client;
  std::string server;
};

struct RunResult {
  std::uint64_t point = 0;        // sweep point, 0-based
  std::uint64_t replication = 0;  // 0-based
  std::uint64_t seed = 0;         // the run's own seed (derived from the scenario's)
  sim::Time end_time{};
  std::uint64_t events = 0;
  std::uint64_t connections_opened = 0;  // by the connect apps (ids 1 to this)
  // Every connection, in id order; or, when the run streams its records (RunSetup::
  // connections), only the ones RunSetup::keep names.
  std::vector<ConnectionResult> connections;
  HandshakeTally tally;                      // every connection: counts and handshake times
  std::vector<net::PacketRecord> packets;    // when traces were kept in memory
  std::vector<tcp::TcpRecord> tcp;           // when traces were kept in memory
  std::vector<std::uint64_t> packet_counts;  // one per RunSetup::packet_counts filter
  // Packets left out of the pcap files: after the format's last second (2^32 - 1 s).
  std::uint64_t pcap_past_last_second = 0;
  std::vector<tcp::HostCounters> hosts;  // each node's TCP host's counters, in node order

  // The kept connection with this id, if any.
  const ConnectionResult* connection(std::uint64_t id) const {
    const auto it = std::lower_bound(
        connections.begin(), connections.end(), id,
        [](const ConnectionResult& c, std::uint64_t wanted) { return c.id < wanted; });
    return it != connections.end() && it->id == id ? &*it : nullptr;
  }
};

}  // namespace synlab::app
