// RequestResponse: the scenario applications (docs/scenario-format.md "Applications") on top of
// each node's TCP, through its socket-like calls (RFC 9293 §3.10 OPEN, SEND, CLOSE, ABORT). A
// client line opens `count` connections, one every `interval`; each sends `request` bytes once
// established and closes once it has the `response`, or, with timed actions, sends, closes or
// aborts at times after its open and holds the connection in between. A listener accepts at
// once, later or never, sends the response once it has accepted and the request is in, closes
// after the client does, and may itself close at a time. Each connection's record, joined from
// both ends by 4-tuple, goes to a ConnectionSink in id order as soon as it is final: memory
// follows the live connections.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#include "models/apps/connection_record.hpp"
#include "models/node/application.hpp"
#include "models/node/node.hpp"
#include "models/tcp/four_tuple.hpp"
#include "sim/port_table.hpp"
#include "sim/ring_buffer.hpp"
#include "sim/scheduler.hpp"

namespace synlab::apps {

// `bytes` sent `at` after the connection's open.
struct TimedSend {
  sim::Duration at{};
  std::uint32_t bytes = 0;
};

struct ClientLine {
  node::Node* client = nullptr;
  node::Node* server = nullptr;
  std::uint16_t server_port = 0;
  std::uint16_t client_port = 0;  // 0: an ephemeral port
  std::uint64_t count = 1;
  sim::Duration start{};
  sim::Duration interval{};
  std::uint64_t request_bytes = 0;
  std::uint64_t response_bytes = 0;
  // Timed actions, each after the connection's open (connect() called). With any of them the
  // client does not close once it has the response: it holds the connection until close_at,
  // abort_at, the peer's FIN or the end of the run.
  std::vector<TimedSend> sends;
  std::optional<sim::Duration> close_at;  // CLOSE (§3.10.4): FIN, or nothing in SYN-SENT
  std::optional<sim::Duration> abort_at;  // ABORT (§3.10.5): RST once synchronized
  bool holds() const { return !sends.empty() || close_at || abort_at; }
};

struct ListenerLine {
  node::Node* server = nullptr;
  std::uint16_t port = 0;
  std::uint32_t backlog = 128;
  // accept() of each connection this long after it joins the accept queue (0: at once);
  // nullopt: never, so the queue fills (Linux's backlog rules, TcpHost::receive()).
  std::optional<sim::Duration> accept_delay = sim::Duration::zero();
  std::optional<sim::Duration> close_at;  // the listener closes at this time (TcpHost::close())
};

// A connection's two ends as they are now: a conn of 0 is an end not open (not yet, or gone).
struct ConnectionEnds {
  node::Node* client = nullptr;
  node::Node* server = nullptr;
  tcp::ConnId client_conn = 0;
  tcp::ConnId server_conn = 0;
  std::uint16_t client_port = 0;
  std::uint16_t server_port = 0;
};

// What a client does with its connection once it has closed it, having had its response.
enum class AfterClose : std::uint8_t {
  // It holds the connection until CLOSED, after TIME-WAIT (Profile::time_wait): until then the
  // connection can be named (connection_at(), connection_of(): the traces' conn column) and
  // reached (ends(): injected segments).
  Hold,
  // It lets go at once, as a Linux application's close() orphans its socket
  // (node::Node::orphan(): only the ownership; Linux's limits on orphans are not modelled): the
  // host finishes the connection alone, and the record goes out when the server's end is done,
  // not after TIME-WAIT, so this application keeps nothing for the
  // connections in TIME-WAIT (docs/kernel.md). The records are Hold's. A client that holds its
  // connection (ClientLine::holds()), a simultaneous open's and one whose server end is not
  // claimed yet (a SYN cookie's child comes with the client's third ACK) are held all the same.
  LetGo,
};

class RequestResponse final : public node::Application {
 public:
  // `scheduler` and `sink` must outlive this object.
  RequestResponse(sim::Scheduler& scheduler, ConnectionSink& sink,
                  AfterClose after_close = AfterClose::Hold);
  RequestResponse(const RequestResponse&) = delete;
  RequestResponse& operator=(const RequestResponse&) = delete;

  // A passive open on `port` of `server`, answered by this application, which accepts at once.
  [[nodiscard]] tcp::ListenError listen(node::Node& server, std::uint16_t port,
                                        std::uint32_t backlog);
  // The same with the line's accept timing and closing time (scheduled from now).
  [[nodiscard]] tcp::ListenError listen(const ListenerLine& line);
  // `server` rebooted after a crash (node::Node::reboot()): its listeners open again, as its
  // init system would restart the server, except those whose close_at has passed. The
  // connections the crash took were recorded when the host told of it (HostCrashed).
  void restart(node::Node& server);
  // Schedules the line's connections (connections are numbered in the order they open; ties in
  // the order of add_client calls).
  void add_client(const ClientLine& line);
  // At the end of the run: records the connections still open as they are now and sends every
  // remaining record to the sink.
  void finish();

  // The id of the connection between these sockets whose client end is still open, if ours; else
  // 0 (ids count from 1). A number, not an optional: returned in a register, where GCC builds an
  // optional on the stack and reads it back in one load that waits for both stores.
  std::uint64_t connection_at(tcp::SocketAddress client, tcp::SocketAddress server) const;
  // Connection `id`'s ends, if it was opened (connect() succeeded) and one end is still open.
  std::optional<ConnectionEnds> ends(std::uint64_t id) const;
  // The id of the connection that `node`'s connection `id` is an end of, if ours and open; else 0.
  std::uint64_t connection_of(const node::Node& node, tcp::ConnId id) const;

  void on_notification(node::Node& node, tcp::ConnId id, tcp::Notification what,
                       std::uint64_t cookie) override;
  void on_passive_open(node::Node& node, tcp::ConnId child, tcp::SocketAddress local,
                       tcp::SocketAddress remote) override;

 private:
  static constexpr std::uint32_t no_slot = std::numeric_limits<std::uint32_t>::max();

  // A connection's two ends and what its applications still owe.
  struct Exchange {
    std::uint64_t id = 0;
    node::Node* client = nullptr;
    node::Node* server = nullptr;
    tcp::ConnId client_conn = 0;  // 0: released (or never opened)
    tcp::ConnId server_conn = 0;  // 0: no child claimed yet, or released
    // The two ends' endpoints, read without a look-up: set with client_conn and server_conn,
    // valid while they are (a host keeps a connection until it is released).
    const tcp::TcpEndpoint* client_end = nullptr;
    const tcp::TcpEndpoint* server_end = nullptr;
    std::uint16_t client_port = 0;  // as in its record: the 4-tuple without a look-up
    std::uint16_t server_port = 0;
    // SYN/ACKs of the server children already released on this 4-tuple: a request that expired
    // and the one a later SYN made count together (issue 13 item 6).
    std::uint32_t earlier_synacks = 0;
    std::uint64_t request_bytes = 0;
    std::uint64_t response_bytes = 0;
    bool holds = false;     // the client closes only at its close_at (ClientLine::holds())
    bool accepted = false;  // the server's application has accept()ed its child
    bool server_peer_closed = false;  // the client's FIN reached the server's child
    bool responded = false;
    bool client_closed = false;
    bool server_closed = false;
    bool live = false;  // the connection's ends are not both done (or the run goes on)
    // Its row, filled in as it goes. Kept here, not in a queue of its own: the slot is reused as
    // soon as the row goes out, so this line is still in cache then, where a queue's next entry
    // was last touched thousands of connections before (docs/kernel.md).
    ConnectionRecord record;
  };

  void open(std::size_t line, std::uint64_t k);
  // Schedules the line's sends, close and abort for the connection in `slot`.
  void schedule_actions(const ClientLine& app, std::uint32_t slot);
  // The client connection in `slot` if it is still exchange `id`'s and open.
  node::Node* client_of(std::uint32_t slot, std::uint64_t id) const;
  void client_gone(std::uint32_t slot);  // the client's end reached CLOSED: record, release
  // accept() on `port` until exchange `id`'s child `child` (in `slot`) is accepted.
  void accept_until(node::Node& server, std::uint16_t port, std::uint32_t slot, std::uint64_t id,
                    tcp::ConnId child);
  void on_accepted(node::Node& n, std::uint32_t slot);
  void respond_if_due(node::Node& n, Exchange& x);
  void on_client(node::Node& n, std::uint32_t slot, tcp::Notification what);
  void on_server(node::Node& n, std::uint32_t slot, tcp::Notification what);
  void send(node::Node& n, tcp::ConnId id, std::uint64_t bytes);
  void close(node::Node& n, tcp::ConnId id, bool& closed);
  void close_client(node::Node& n, std::uint32_t slot);  // and let go of it (AfterClose)
  void capture_client(Exchange& x);
  void capture_server(Exchange& x);
  void forget_tuple(std::uint32_t slot);  // its client end is gone
  void maybe_finish(std::uint32_t slot);  // a record whose both ends are done goes out
  void flush();  // sends the done records at the front of pending_, frees their slots

  sim::Scheduler* scheduler_;
  ConnectionSink* sink_;
  AfterClose after_close_;
  std::vector<ClientLine> lines_;
  // A node is the client of one line and the server of another (or of the same): only then can
  // a connection have a mirrored one (a simultaneous open, capture_client()).
  bool mirrors_possible_ = false;
  std::vector<ListenerLine> listener_lines_;  // those listening once, for restart()
  // Accept delay by (server node index, port); a port not in it accepts at once.
  std::map<std::pair<std::uint32_t, std::uint16_t>, std::optional<sim::Duration>> accepts_;
  // Slots; cookie = slot * 2 + (1 for the server end). A slot is freed when its record goes out.
  std::vector<Exchange> exchanges_;
  std::vector<std::uint32_t> free_;
  // Slots by 4-tuple (client to server), while the client's end is open. Indexed by the client's
  // port: connections opened in sequence take neighbouring ports (sim::PortTable).
  struct ClientPort {
    std::uint16_t operator()(const tcp::FourTuple& t) const noexcept { return t.from().port; }
  };
  sim::PortTable<tcp::FourTuple, std::uint32_t, tcp::FourTupleHash, ClientPort, no_slot> by_tuple_;
  // The slots of the records not yet sent, in id order; a record is final once its exchange is
  // no longer live.
  sim::RingBuffer<std::uint32_t> pending_;
  std::uint64_t next_id_ = 1;
};

}  // namespace synlab::apps
