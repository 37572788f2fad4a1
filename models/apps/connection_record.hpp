// ConnectionRecord: what one connection an application opened came to, as both its ends saw it
// (connections.csv's row, before names are put on it). A flat value: nodes by index, no names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "models/tcp/tcp_host.hpp"
#include "models/tcp/tcp_state.hpp"
#include "sim/time.hpp"

namespace synlab::apps {

struct ConnectionRecord {
  std::uint64_t id = 0;           // 1, 2, ... in the order the connections were opened
  std::uint32_t client_node = 0;  // node::Node::index()
  std::uint32_t server_node = 0;
  std::uint16_t client_port = 0;
  std::uint16_t server_port = 0;
  sim::Time open_time{};                        // connect() called
  std::optional<sim::Time> client_established;  // connect() returned: the handshake time's end
  std::optional<sim::Time> server_established;  // the server's child (simultaneous open: the peer
                                                // end) reached ESTABLISHED
  std::uint32_t syns_sent = 0;                  // by the client, retransmissions included
  std::uint32_t synacks_sent =
      0;  // by the server's child (or the peer end), retransmissions included
  tcp::Outcome outcome = tcp::Outcome::Pending;     // as the client saw it
  tcp::ConnectError error = tcp::ConnectError::Ok;  // connect() refused by the client host itself

  std::optional<sim::Duration> handshake_time() const {
    if (!client_established) return std::nullopt;
    return *client_established - open_time;
  }
};

// The outcome's word ("established", "timeout", ...), or "error: <why>" when the client's own
// host refused the connect() (e.g. "error: port-in-use").
inline std::string outcome_text(const ConnectionRecord& c) {
  if (c.error != tcp::ConnectError::Ok) return "error: " + std::string(tcp::to_string(c.error));
  return std::string(tcp::to_string(c.outcome));
}

// Receives each connection's record once it is final, in id order.
class ConnectionSink {
 public:
  virtual ~ConnectionSink() = default;
  virtual void on_connection(const ConnectionRecord& record) = 0;
  // A connection was opened (connect() returned; its id and client port are known): what was
  // traced inside connect() can now be named. Not final: its record comes later.
  virtual void on_open(const ConnectionRecord& /*record*/) {}
};

}  // namespace synlab::apps
