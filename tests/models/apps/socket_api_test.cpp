// apps::SocketApi (models/apps/socket_api.hpp): descriptors as POSIX numbers them, errno values
// as Linux answers them, over two nodes joined by a 10 ms wire.
#include <doctest/doctest.h>

#include <chrono>

#include "models/apps/socket_api.hpp"
#include "tests/models/apps/node_pair.hpp"

using namespace synlab;
using namespace std::chrono_literals;
using apps::CallResult;
using apps::Errno;

namespace {

using Pair = apps::test::NodePair;

int fd(const CallResult& r) {
  return static_cast<int>(r.value);
}

// A socket bound to `port` and listening (backlog 4): its descriptor.
int listening(apps::SocketApi& api, std::uint16_t port) {
  const int l = fd(api.socket());
  CHECK(api.bind(l, port) == CallResult::ok());
  CHECK(api.listen(l, 4) == CallResult::ok());
  return l;
}

// A server listening on port 80 (socket l) and a client (socket c) whose connect() to it has
// begun at 0: the SYN arrives at 10 ms, the SYN,ACK at 20 ms, the third ACK at 30 ms.
struct Connecting {
  Connecting() { CHECK(client.connect(c, {2, 80}) == CallResult::fail(Errno::InProgress)); }
  Pair p;
  apps::SocketApi server{*p.b};
  apps::SocketApi client{*p.a};
  int l = listening(server, 80);
  int c = fd(client.socket());
};

}  // namespace

TEST_CASE("socket api: errno names and Linux's numbers") {
  // <asm-generic/errno.h>
  CHECK(apps::errno_number(Errno::ConnRefused) == 111);
  CHECK(apps::errno_number(Errno::TimedOut) == 110);
  CHECK(apps::errno_number(Errno::ConnReset) == 104);
  CHECK(apps::errno_number(Errno::InProgress) == 115);
  CHECK(apps::errno_number(Errno::Again) == 11);
  CHECK(apps::errno_number(Errno::Ok) == 0);
  CHECK(apps::errno_from_name("EWOULDBLOCK") == Errno::Again);  // the same number on Linux
  CHECK(apps::errno_from_name("ECONNREFUSED") == Errno::ConnRefused);
  CHECK_FALSE(apps::errno_from_name("ENOSUCH"));
  CHECK(apps::errno_name(Errno::Already) == "EALREADY");
}

TEST_CASE("socket api: descriptors start at 3 and the lowest free one is reused (POSIX)") {
  Pair p;
  apps::SocketApi api(*p.a);
  CHECK(api.socket() == CallResult::ok(3));
  CHECK(api.socket() == CallResult::ok(4));
  CHECK(api.close(3) == CallResult::ok());
  CHECK(api.socket() == CallResult::ok(3));
  CHECK(api.close(7) == CallResult::fail(Errno::BadF));
}

TEST_CASE("socket api: listen, connect, accept, write and read over the handshake") {
  Pair p;
  apps::SocketApi server(*p.b);
  apps::SocketApi client(*p.a);
  const int l = fd(server.socket());
  CHECK(server.bind(l, 80) == CallResult::ok());
  CHECK(server.listen(l, 4) == CallResult::ok());
  CHECK(server.accept(l) == CallResult::fail(Errno::Again));
  const int c = fd(client.socket());
  CHECK(client.connect(c, {2, 80}) == CallResult::fail(Errno::InProgress));
  CHECK(client.connect(c, {2, 80}) == CallResult::fail(Errno::Already));
  CHECK_FALSE(client.connect_status(c));
  // SYN at 0, SYN/ACK at 10 ms, ACK at 20 ms: the client is open at 20 ms, the server at 30 ms.
  p.scheduler.run_until(sim::at(25ms));
  CHECK(client.connect_status(c) == CallResult::ok());
  CHECK(client.connect(c, {2, 80}) == CallResult::fail(Errno::IsConn));
  CHECK(server.accept(l) == CallResult::fail(Errno::Again));
  p.scheduler.run_until(sim::at(30ms));
  const CallResult accepted = server.accept(l);
  REQUIRE(accepted.error == Errno::Ok);
  const int s = fd(accepted);
  CHECK(client.write(c, 100) == CallResult::ok(100));
  CHECK(server.read(s, 1000) == CallResult::fail(Errno::Again));
  p.scheduler.run_until(sim::at(45ms));
  CHECK(server.read(s, 60) == CallResult::ok(60));
  CHECK(server.read(s, 60) == CallResult::ok(40));
  CHECK(server.read(s, 60) == CallResult::fail(Errno::Again));
  CHECK(client.close(c) == CallResult::ok());
  p.scheduler.run_until(sim::at(60ms));
  CHECK(server.read(s, 60) == CallResult::ok(0));  // the FIN: end of the stream
}

TEST_CASE("socket api: listen() without bind() listens on a free ephemeral port (Linux)") {
  // Linux inet_csk_listen_start(): an unbound socket is bound by inet_csk_get_port(sk, 0); the
  // model takes the first free port from the host's first ephemeral port (40000 by default),
  // so a second such socket gets 40001, and a client reaches the first at 40000.
  Pair p;
  apps::SocketApi server(*p.b);
  apps::SocketApi client(*p.a);
  const int first = fd(server.socket());
  CHECK(server.listen(first, 4) == CallResult::ok());
  const int second = fd(server.socket());
  CHECK(server.listen(second, 4) == CallResult::ok());
  CHECK(p.b->tcp().listener(40000).has_value());
  CHECK(p.b->tcp().listener(40001).has_value());
  CHECK(server.bind(fd(server.socket()), 40000) == CallResult::fail(Errno::AddrInUse));
  const int c = fd(client.socket());
  CHECK(client.connect(c, {2, 40000}) == CallResult::fail(Errno::InProgress));
  p.scheduler.run_until(sim::at(30ms));  // SYN, SYN/ACK, ACK: 10 ms each way
  CHECK(client.connect_status(c) == CallResult::ok());
  CHECK(server.accept(first).error == Errno::Ok);
  CHECK(server.accept(second) == CallResult::fail(Errno::Again));
  // A port an active open uses is not free either (Linux: its bind bucket has an owner): the
  // client's connect() took 40000 on its node, so a listen() there without bind() gets 40001.
  const int l = fd(client.socket());
  CHECK(client.listen(l, 4) == CallResult::ok());
  CHECK_FALSE(p.a->tcp().listener(40000).has_value());
  CHECK(p.a->tcp().listener(40001).has_value());
}

TEST_CASE("socket api: a refused connection's error is read once (SO_ERROR, then connect)") {
  Pair p;
  apps::SocketApi client(*p.a);
  const int c = fd(client.socket());
  CHECK(client.set_nonblocking(c, true) == CallResult::ok());
  CHECK(client.connect(c, {2, 80}) == CallResult::fail(Errno::InProgress));
  p.scheduler.run_until(sim::at(30ms));  // nobody listens on 2:80: RST/ACK at 10 ms
  CHECK(client.getsockopt(c, apps::SocketOption::Error) == CallResult::ok(111));
  CHECK(client.getsockopt(c, apps::SocketOption::Error) == CallResult::ok(0));
  // Linux __inet_stream_connect(): sock_error() is 0 now, so ECONNABORTED.
  CHECK(client.connect(c, {2, 80}) == CallResult::fail(Errno::ConnAborted));
}

TEST_CASE("socket api: TCP_USER_TIMEOUT 0 means none, as in Linux, and must fit an int") {
  // Found by fuzz_drill: 0 reached the model as a zero timeout, which it rejects.
  Pair p;
  apps::SocketApi client(*p.a);
  const int c = fd(client.socket());
  CHECK(client.setsockopt(c, apps::SocketOption::UserTimeout, 0) == CallResult::ok());
  CHECK(client.getsockopt(c, apps::SocketOption::UserTimeout) == CallResult::ok(0));
  CHECK(client.setsockopt(c, apps::SocketOption::UserTimeout, -1) ==
        CallResult::fail(Errno::Inval));
  CHECK(client.setsockopt(c, apps::SocketOption::UserTimeout, std::int64_t{1} << 31) ==
        CallResult::fail(Errno::Inval));
  CHECK(client.connect(c, {2, 80}) == CallResult::fail(Errno::InProgress));
  p.scheduler.run_until(sim::at(30ms));  // refused (nobody listens): the connection ran
  CHECK(client.getsockopt(c, apps::SocketOption::Error) == CallResult::ok(111));
}

TEST_CASE("socket api: close() with unread data resets the connection (Linux tcp_close())") {
  Pair p;
  apps::SocketApi server(*p.b);
  apps::SocketApi client(*p.a);
  const int l = fd(server.socket());
  (void)server.bind(l, 80);
  (void)server.listen(l, 4);
  const int c = fd(client.socket());
  (void)client.connect(c, {2, 80});
  p.scheduler.run_until(sim::at(30ms));
  const int s = fd(server.accept(l));
  CHECK(client.write(c, 10) == CallResult::ok(10));
  p.scheduler.run_until(sim::at(45ms));
  CHECK(server.close(s) == CallResult::ok());  // 10 bytes unread: a RST, not a FIN
  p.scheduler.run_until(sim::at(60ms));
  CHECK(client.read(c, 10) == CallResult::fail(Errno::ConnReset));
}

TEST_CASE("socket api: connect() and shutdown() on a listener answer as Linux's do") {
  // Linux inet_stream_connect(): a socket whose TCP state is not CLOSE cannot connect, EISCONN.
  // inet_shutdown(): SHUT_WR on a listener does nothing and returns 0; SHUT_RD or SHUT_RDWR
  // disconnects it (tcp_disconnect(): the listen stops); the socket keeps the port bind() gave it
  // and may listen again, but a port listen() chose is let go. (All checked on Linux 6.18.)
  using How = apps::SocketApi::Shutdown;
  for (const How how : {How::Read, How::Both}) {
    CAPTURE(static_cast<int>(how));
    Pair p;
    apps::SocketApi server(*p.b);
    apps::SocketApi client(*p.a);
    const int l = listening(server, 80);
    CHECK(server.connect(l, {1, 80}) == CallResult::fail(Errno::IsConn));
    CHECK(server.shutdown(l, How::Write) == CallResult::ok());
    CHECK(p.b->tcp().listener(80).has_value());  // still listening
    CHECK(server.shutdown(l, how) == CallResult::ok());
    CHECK_FALSE(p.b->tcp().listener(80).has_value());
    // A SYN to port 80 now finds no listener: RST, refused.
    const int c = fd(client.socket());
    CHECK(client.connect(c, {2, 80}) == CallResult::fail(Errno::InProgress));
    p.scheduler.run_until(sim::at(30ms));
    CHECK(client.connect_status(c) == CallResult::fail(Errno::ConnRefused));
    // The socket still holds port 80: another socket cannot bind it, and it listens again.
    CHECK(server.bind(fd(server.socket()), 80) == CallResult::fail(Errno::AddrInUse));
    CHECK(server.bind(l, 81) == CallResult::fail(Errno::Inval));  // bound already
    CHECK(server.listen(l, 4) == CallResult::ok());
    CHECK(p.b->tcp().listener(80).has_value());
    // A port listen() chose is let go: another socket may bind it.
    const int a = fd(server.socket());
    CHECK(server.listen(a, 4) == CallResult::ok());
    CHECK(p.b->tcp().listener(40000).has_value());
    CHECK(server.shutdown(a, how) == CallResult::ok());
    CHECK(server.bind(fd(server.socket()), 40000) == CallResult::ok());
  }
}

TEST_CASE("socket api: shutdown() drops a connect in progress, ECONNRESET left for SO_ERROR") {
  // Linux inet_shutdown(): a socket in SYN-SENT is disconnected whatever `how` (tcp_disconnect()
  // sends nothing there and sets sk_err ECONNRESET); the call returns 0 and the socket may
  // connect again (EINPROGRESS). Checked on Linux 6.18. Here the SYN at 0 would be answered at
  // 20 ms; the shutdown at 5 ms leaves no connection to answer it (a RST from the host).
  using How = apps::SocketApi::Shutdown;
  for (const How how : {How::Read, How::Write, How::Both}) {
    CAPTURE(static_cast<int>(how));
    Connecting x;
    auto& [p, server, client, l, c] = x;
    p.scheduler.run_until(sim::at(5ms));
    CHECK(client.shutdown(c, how) == CallResult::ok());
    p.scheduler.run_until(sim::at(50ms));
    CHECK(server.accept(l) == CallResult::fail(Errno::Again));  // the handshake never ended
    CHECK(client.getsockopt(c, apps::SocketOption::Error) == CallResult::ok(104));  // ECONNRESET
    CHECK(client.getsockopt(c, apps::SocketOption::Error) == CallResult::ok(0));    // once
    CHECK(client.connect(c, {2, 80}) == CallResult::fail(Errno::InProgress));
    p.scheduler.run_until(sim::at(100ms));
    CHECK(client.connect_status(c) == CallResult::ok());
  }
}

TEST_CASE("socket api: shutdown() in SYN-RECEIVED (a simultaneous open) sends the FIN") {
  // Linux inet_shutdown(): only SYN-SENT is disconnected; a socket in SYN_RECV takes the default
  // branch, tcp_shutdown(), which for SHUT_WR moves it to FIN-WAIT-1 with a FIN (RFC 9293 §3.10.4
  // CLOSE in SYN-RECEIVED with nothing queued: "form a FIN segment and send it"). Both ends
  // connect at 0 (ports 5000 and 6000); each SYN arrives at 10 ms, each SYN,ACK at 20 ms.
  Pair p;
  apps::SocketApi a(*p.a);
  apps::SocketApi b(*p.b);
  const int x = fd(a.socket());
  const int y = fd(b.socket());
  CHECK(a.bind(x, 5000) == CallResult::ok());
  CHECK(b.bind(y, 6000) == CallResult::ok());
  CHECK(a.connect(x, {2, 6000}) == CallResult::fail(Errno::InProgress));
  CHECK(b.connect(y, {1, 5000}) == CallResult::fail(Errno::InProgress));
  p.scheduler.run_until(sim::at(15ms));
  REQUIRE(a.connection(x).has_value());
  const tcp::TcpEndpoint* end = p.a->tcp().endpoint(*a.connection(x));
  REQUIRE(end != nullptr);
  REQUIRE(end->state() == tcp::State::SynReceived);
  CHECK(a.shutdown(x, apps::SocketApi::Shutdown::Write) == CallResult::ok());
  CHECK(end->state() == tcp::State::FinWait1);  // not aborted
  p.scheduler.run_until(sim::at(100ms));
  CHECK(a.getsockopt(x, apps::SocketOption::Error) == CallResult::ok(0));
  CHECK(b.connect_status(y) == CallResult::ok());
  CHECK(b.read(y, 100) == CallResult::ok(0));  // a's FIN: the end of b's stream
}

TEST_CASE("socket api: shutdown() once the connection has ended is ENOTCONN, as in Linux") {
  // The socket of a connection that is CLOSED (LAST-ACK done) or gone on as TIME-WAIT is in
  // Linux's CLOSE state: inet_shutdown() answers ENOTCONN.
  Connecting x;
  auto& [p, server, client, l, c] = x;
  p.scheduler.run_until(sim::at(30ms));
  const CallResult accepted = server.accept(l);
  REQUIRE(accepted.error == Errno::Ok);
  const int s = fd(accepted);
  using How = apps::SocketApi::Shutdown;
  CHECK(client.shutdown(c, How::Write) == CallResult::ok());  // FIN at 30 ms, there at 40
  p.scheduler.run_until(sim::at(45ms));
  CHECK(server.read(s, 10) == CallResult::ok(0));
  CHECK(server.shutdown(s, How::Write) == CallResult::ok());  // FIN at 45 ms: LAST-ACK
  p.scheduler.run_until(sim::at(100ms));                      // its ACK at 65 ms: CLOSED
  CHECK(server.shutdown(s, How::Write) == CallResult::fail(Errno::NotConn));
  CHECK(client.shutdown(c, How::Both) == CallResult::fail(Errno::NotConn));  // TIME-WAIT
}

TEST_CASE("socket api: shutdown() of a socket neither connected nor listening is ENOTCONN") {
  Pair p;
  apps::SocketApi api(*p.a);
  const int s = fd(api.socket());
  for (const auto how : {apps::SocketApi::Shutdown::Read, apps::SocketApi::Shutdown::Write,
                         apps::SocketApi::Shutdown::Both})
    CHECK(api.shutdown(s, how) == CallResult::fail(Errno::NotConn));
}
