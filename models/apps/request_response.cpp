// RequestResponse: the scenario's client and server applications (request_response.hpp).
#include "models/apps/request_response.hpp"

#include "sim/assert.hpp"

namespace synlab::apps {

RequestResponse::RequestResponse(sim::Scheduler& scheduler, ConnectionSink& sink,
                                 AfterClose after_close)
    : scheduler_(&scheduler), sink_(&sink), after_close_(after_close) {}

tcp::ListenError RequestResponse::listen(node::Node& server, std::uint16_t port,
                                         std::uint32_t backlog) {
  const tcp::ListenError e = server.tcp().listen(port, backlog);
  if (e == tcp::ListenError::Ok) server.own_listener(port, *this);
  return e;
}

tcp::ListenError RequestResponse::listen(const ListenerLine& line) {
  const tcp::ListenError e = listen(*line.server, line.port, line.backlog);
  if (e != tcp::ListenError::Ok) return e;
  listener_lines_.push_back(line);
  if (!line.accept_delay || *line.accept_delay > sim::Duration::zero())
    accepts_[{line.server->index(), line.port}] = line.accept_delay;
  if (line.close_at) {
    node::Node* server = line.server;
    const std::uint16_t port = line.port;
    // CLOSE on the listener (§3.10.4, LISTEN --CLOSE--> CLOSED): TcpHost::close() takes the
    // children not yet accepted with it, each told Notification::Closed.
    scheduler_->schedule_in(*line.close_at, [server, port] {
      if (const std::optional<tcp::ConnId> id = server->tcp().listener(port))
        (void)server->tcp().close(*id);
    });
  }
  return e;
}

void RequestResponse::restart(node::Node& server) {
  // In the order the lines were given; a listener whose close_at has passed stays closed.
  for (const ListenerLine& line : listener_lines_)
    if (line.server == &server && (!line.close_at || sim::at(*line.close_at) > scheduler_->now()))
      (void)listen(server, line.port, line.backlog);
}

void RequestResponse::add_client(const ClientLine& line) {
  lines_.push_back(line);
  const std::size_t i = lines_.size() - 1;
  for (const ClientLine& other : lines_)
    if (other.client == line.server || other.server == line.client) mirrors_possible_ = true;
  if (line.count == 0) return;
  scheduler_->schedule_at(sim::at(line.start), [this, i] { open(i, 0); });
}

// Opens connection `k` of line `line`, then schedules the next one.
void RequestResponse::open(std::size_t line, std::uint64_t k) {
  const ClientLine& app = lines_[line];
  std::uint32_t slot = 0;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(exchanges_.size());
    exchanges_.emplace_back();
  }
  Exchange& x = exchanges_[slot];
  x = Exchange{};
  x.live = true;
  x.id = next_id_++;
  x.client = app.client;
  x.server = app.server;
  x.request_bytes = app.request_bytes;
  x.response_bytes = app.response_bytes;
  x.holds = app.holds();
  pending_.push_back(slot);
  ConnectionRecord& r = x.record;
  r.id = x.id;
  r.client_node = app.client->index();
  r.server_node = app.server->index();
  r.server_port = app.server_port;
  r.open_time = scheduler_->now();
  const tcp::SocketAddress remote{app.server->address(), app.server_port};
  const auto opened = app.client->tcp().connect(remote, app.client_port);
  if (opened.error == tcp::ConnectError::Ok) {
    x.client_conn = opened.id;
    x.client_end = app.client->tcp().endpoint(opened.id);
    r.client_port = x.client_end != nullptr ? x.client_end->tcb().local.port : app.client_port;
    x.client_port = r.client_port;
    x.server_port = r.server_port;
    app.client->own(opened.id, *this, std::uint64_t{slot} * 2);
    by_tuple_.insert_or_assign(tcp::FourTuple::of({app.client->address(), r.client_port}, remote),
                               slot);
    sink_->on_open(r);
    if (x.holds) schedule_actions(app, slot);
  } else {
    r.client_port = app.client_port;
    r.error = opened.error;
    maybe_finish(slot);
  }
  if (k + 1 < app.count)
    scheduler_->schedule_in(app.interval, [this, line, k] { open(line, k + 1); });
}

void RequestResponse::schedule_actions(const ClientLine& app, std::uint32_t slot) {
  const std::uint64_t id = exchanges_[slot].id;
  for (const TimedSend& s : app.sends) {
    const std::uint32_t bytes = s.bytes;
    scheduler_->schedule_in(s.at, [this, slot, id, bytes] {
      // SEND (§3.10.2): queued in SYN-SENT, sent once ESTABLISHED; refused once closing.
      if (node::Node* n = client_of(slot, id)) send(*n, exchanges_[slot].client_conn, bytes);
    });
  }
  if (app.close_at) {
    scheduler_->schedule_in(*app.close_at, [this, slot, id] {
      node::Node* n = client_of(slot, id);
      if (n == nullptr) return;
      Exchange& x = exchanges_[slot];
      close(*n, x.client_conn, x.client_closed);
      // CLOSE in SYN-SENT deletes the TCB at once and tells nobody (§3.10.4).
      if (x.client_conn != 0 && x.client_end->state() == tcp::State::Closed) client_gone(slot);
    });
  }
  if (app.abort_at) {
    scheduler_->schedule_in(*app.abort_at, [this, slot, id] {
      node::Node* n = client_of(slot, id);
      if (n == nullptr) return;
      // ABORT (§3.10.5): a RST once synchronized, then CLOSED; no notification follows.
      n->tcp().abort(exchanges_[slot].client_conn);
      client_gone(slot);
    });
  }
}

node::Node* RequestResponse::client_of(std::uint32_t slot, std::uint64_t id) const {
  const Exchange& x = exchanges_[slot];
  return x.live && x.id == id && x.client_conn != 0 ? x.client : nullptr;
}

std::uint64_t RequestResponse::connection_at(tcp::SocketAddress client,
                                             tcp::SocketAddress server) const {
  const std::uint32_t* slot = by_tuple_.find(tcp::FourTuple::of(client, server));
  return slot == nullptr ? 0 : exchanges_[*slot].id;
}

std::optional<ConnectionEnds> RequestResponse::ends(std::uint64_t id) const {
  // A rare look-up (a scenario's injected segments): a scan of the live exchanges.
  for (const Exchange& x : exchanges_) {
    if (!x.live || x.id != id || (x.client_conn == 0 && x.server_conn == 0)) continue;
    return ConnectionEnds{x.client,      x.server,      x.client_conn,
                          x.server_conn, x.client_port, x.server_port};
  }
  return std::nullopt;
}

std::uint64_t RequestResponse::connection_of(const node::Node& node, tcp::ConnId id) const {
  const auto owner = node.owner(id);
  if (!owner || owner->first != this) return 0;
  return exchanges_[owner->second / 2].id;
}

void RequestResponse::on_passive_open(node::Node& node, tcp::ConnId child, tcp::SocketAddress local,
                                      tcp::SocketAddress remote) {
  const std::uint32_t* slot = by_tuple_.find(tcp::FourTuple::of(remote, local));
  if (slot == nullptr) return;  // no application of ours opened it
  Exchange& x = exchanges_[*slot];
  if (x.server_conn != 0) return;  // a second child while the first lives: not ours
  x.server = &node;
  x.server_conn = child;
  x.server_end = node.tcp().endpoint(child);
  node.own(child, *this, std::uint64_t{*slot} * 2 + 1);
}

void RequestResponse::on_notification(node::Node& node, tcp::ConnId id, tcp::Notification what,
                                      std::uint64_t cookie) {
  const auto slot = static_cast<std::uint32_t>(cookie / 2);
  const Exchange& x = exchanges_[slot];
  // A connection released earlier in this dispatch is no longer this end's (nor anyone's).
  if (cookie % 2 == 0) {
    if (x.client_conn == id) on_client(node, slot, what);
  } else {
    if (x.server_conn == id) on_server(node, slot, what);
  }
}

void RequestResponse::send(node::Node& n, tcp::ConnId id, std::uint64_t bytes) {
  if (bytes > 0) (void)n.tcp().send(id, static_cast<std::uint32_t>(bytes));
}

void RequestResponse::close(node::Node& n, tcp::ConnId id, bool& closed) {
  if (closed) return;
  closed = true;
  (void)n.tcp().close(id);
}

void RequestResponse::on_client(node::Node& n, std::uint32_t slot, tcp::Notification what) {
  Exchange& x = exchanges_[slot];
  switch (what) {
    case tcp::Notification::Established:
      capture_client(x);
      send(n, x.client_conn, x.request_bytes);
      // FIN after the request, unless the client holds the connection.
      if (x.response_bytes == 0 && !x.holds) close_client(n, slot);
      return;
    case tcp::Notification::DataReceived:
      if (!x.holds && x.client_end->bytes_received() >= x.response_bytes) close_client(n, slot);
      return;
    case tcp::Notification::PeerClosed:
      close_client(n, slot);
      return;
    case tcp::Notification::Refused:
    case tcp::Notification::TimedOut:
    case tcp::Notification::Reset:
    case tcp::Notification::Closed:
    case tcp::Notification::HostCrashed:
      client_gone(slot);
      return;
    case tcp::Notification::ReturnedToListen:
    case tcp::Notification::DataAcked:
      return;
  }
}

void RequestResponse::close_client(node::Node& n, std::uint32_t slot) {
  Exchange& x = exchanges_[slot];
  close(n, x.client_conn, x.client_closed);
  // Its record's client columns are final once the handshake is decided; the server's end,
  // claimed, fills in the rest when it is done.
  if (after_close_ != AfterClose::LetGo || x.holds || mirrors_possible_ || x.client_conn == 0 ||
      x.server_conn == 0 || x.client_end->stats().outcome == tcp::Outcome::Pending)
    return;
  capture_client(x);
  n.orphan(x.client_conn);
  x.client_conn = 0;
  x.client_end = nullptr;
  forget_tuple(slot);  // a later exchange on this 4-tuple is another connection's
  maybe_finish(slot);
}

void RequestResponse::client_gone(std::uint32_t slot) {
  Exchange& x = exchanges_[slot];
  capture_client(x);
  x.client->release(x.client_conn);
  x.client_conn = 0;
  x.client_end = nullptr;
  // The client's end is gone: a later exchange on this 4-tuple is another connection's.
  forget_tuple(slot);
  maybe_finish(slot);
}

void RequestResponse::on_server(node::Node& n, std::uint32_t slot, tcp::Notification what) {
  Exchange& x = exchanges_[slot];
  switch (what) {
    case tcp::Notification::Established: {
      capture_server(x);
      // The child's local port is the one its client connected to (on_passive_open()).
      const std::uint16_t port = x.server_port;
      const auto policy = accepts_.empty() ? accepts_.end() : accepts_.find({n.index(), port});
      if (policy == accepts_.end()) {
        accept_until(n, port, slot, x.id, x.server_conn);  // the server app accepts at once
      } else if (policy->second) {
        // accept() this long after the child joined the accept queue (Linux: the child waits
        // there, counted against the backlog, until then).
        scheduler_->schedule_in(*policy->second,
                                [this, server = &n, port, slot, id = x.id, child = x.server_conn] {
                                  accept_until(*server, port, slot, id, child);
                                });
      }
      return;
    }
    case tcp::Notification::DataReceived:
      respond_if_due(n, x);
      return;
    case tcp::Notification::PeerClosed:
      // FIN after the response; an application that has not accepted the connection cannot
      // close it yet (it does once it accepts).
      x.server_peer_closed = true;
      if (x.accepted) close(n, x.server_conn, x.server_closed);
      return;
    case tcp::Notification::Refused:
    case tcp::Notification::TimedOut:
    case tcp::Notification::Reset:
    case tcp::Notification::Closed:
    case tcp::Notification::HostCrashed:
    // A half-open child a RST sent back to LISTEN (§3.10.7.4; Figure 8, an old duplicate SYN) is
    // gone too: the child a later SYN on this 4-tuple makes is the connection's server end.
    case tcp::Notification::ReturnedToListen:
      capture_server(x);
      x.earlier_synacks += x.server_end->stats().synacks_sent;
      n.release(x.server_conn);
      x.server_conn = 0;
      x.server_end = nullptr;
      maybe_finish(slot);
      return;
    case tcp::Notification::DataAcked:
      return;
  }
}

void RequestResponse::accept_until(node::Node& server, std::uint16_t port, std::uint32_t slot,
                                   std::uint64_t id, tcp::ConnId child) {
  const Exchange& x = exchanges_[slot];
  // accept() takes the oldest first: those ahead of this child go first. A child that died in
  // the queue (reset, or closed with its listener) is no longer there to accept.
  while (x.live && x.id == id && x.server_conn == child && !x.accepted) {
    const std::optional<tcp::ConnId> oldest = server.tcp().accept(port);
    if (!oldest) return;
    const auto owner = server.owner(*oldest);
    if (owner && owner->first == this)
      on_accepted(server, static_cast<std::uint32_t>(owner->second / 2));
  }
}

void RequestResponse::on_accepted(node::Node& n, std::uint32_t slot) {
  Exchange& x = exchanges_[slot];
  x.accepted = true;
  respond_if_due(n, x);
  if (x.server_peer_closed) close(n, x.server_conn, x.server_closed);
}

void RequestResponse::respond_if_due(node::Node& n, Exchange& x) {
  if (!x.accepted || x.responded) return;
  if (x.server_end->bytes_received() < x.request_bytes) return;
  x.responded = true;
  send(n, x.server_conn, x.response_bytes);
}

void RequestResponse::capture_client(Exchange& x) {
  if (x.client_conn == 0) return;
  const tcp::ConnectionStats& s = x.client_end->stats();
  ConnectionRecord& r = x.record;
  r.syns_sent = s.syns_sent;
  r.outcome = s.outcome;
  if (s.reached_established) r.client_established = s.established_time;
  // A simultaneous open (RFC 9293 §3.5, Figure 7) has no server child: each end is the other's
  // peer, the exchange on the mirrored 4-tuple. Each row's server columns are that peer end's
  // (its SYN,ACKs, its ESTABLISHED), filled in both rows while both are pending.
  if (x.server_conn != 0 || r.error != tcp::ConnectError::Ok || !mirrors_possible_) return;
  const auto mirrored = tcp::FourTuple::of({x.server->address(), x.server_port},
                                           {x.client->address(), x.client_port});
  const std::uint32_t* peer = by_tuple_.find(mirrored);
  if (peer == nullptr || !exchanges_[*peer].live) return;
  Exchange& y = exchanges_[*peer];
  ConnectionRecord& ry = y.record;
  ry.synacks_sent = s.synacks_sent;
  if (s.reached_established) ry.server_established = s.established_time;
  if (y.client_conn == 0) return;
  const tcp::ConnectionStats& p = y.client_end->stats();
  r.synacks_sent = p.synacks_sent;
  if (p.reached_established) r.server_established = p.established_time;
}

void RequestResponse::capture_server(Exchange& x) {
  if (x.server_conn == 0) return;
  const tcp::ConnectionStats& s = x.server_end->stats();
  ConnectionRecord& r = x.record;
  r.synacks_sent = x.earlier_synacks + s.synacks_sent;
  if (s.reached_established) r.server_established = s.established_time;
}

void RequestResponse::forget_tuple(std::uint32_t slot) {
  const Exchange& x = exchanges_[slot];
  if (x.client_port == 0) return;  // never registered (connect() failed)
  const auto tuple = tcp::FourTuple::of({x.client->address(), x.client_port},
                                        {x.server->address(), x.server_port});
  if (const std::uint32_t* owner = by_tuple_.find(tuple); owner != nullptr && *owner == slot)
    by_tuple_.erase(tuple);
}

void RequestResponse::maybe_finish(std::uint32_t slot) {
  Exchange& x = exchanges_[slot];
  if (x.client_conn != 0 || x.server_conn != 0) return;  // an end still open
  x.live = false;
  flush();
}

void RequestResponse::flush() {
  while (!pending_.empty() && !exchanges_[pending_.front()].live) {
    const std::uint32_t slot = pending_.front();
    sink_->on_connection(exchanges_[slot].record);
    pending_.pop_front();
    free_.push_back(slot);
  }
}

void RequestResponse::finish() {
  for (Exchange& x : exchanges_) {  // connections still open when the run ended
    if (!x.live) continue;
    capture_client(x);
    capture_server(x);
    x.live = false;
  }
  flush();
  SYNLAB_ASSERT(pending_.empty(), "RequestResponse::finish: every record was sent");
}

}  // namespace synlab::apps
