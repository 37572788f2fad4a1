// Application: what runs on a Node above its TCP (models/apps/). The node hands it the
// notifications of the connections it owns, like a socket layer's readiness events.
#pragma once

#include <cstdint>

#include "models/tcp/socket_address.hpp"
#include "models/tcp/tcp_host.hpp"
#include "models/tcp/tcp_state.hpp"

namespace synlab::node {

class Node;

class Application {
 public:
  virtual ~Application() = default;
  // A connection this application owns (Node::own) changed; `cookie` is what it gave own().
  // Called after the host finished the input, so the application may call into the host.
  virtual void on_notification(Node& node, tcp::ConnId id, tcp::Notification what,
                               std::uint64_t cookie) = 0;
  // A listener this application owns (Node::own_listener) forked `child` for a SYN from
  // `remote`; the application may own() it. It must not call into the host from here.
  virtual void on_passive_open(Node& node, tcp::ConnId child, tcp::SocketAddress local,
                               tcp::SocketAddress remote) = 0;
};

}  // namespace synlab::node
