// ns3_handshake_bench: bench/run_bench.sh's `synlab run` scenario on ns-3, so the two can be
// timed side by side (issue 11). Built only when Debian's libns3-dev is installed.
//   - two nodes, 10.0.0.1 (client) and 10.0.0.2 (server), joined by a point-to-point link:
//     50 ms one way, 10 Gbps (serialization negligible), a 100,000-packet drop-tail queue and
//     no queue disc (synlab's link has a drop-tail queue and nothing else);
//   - TCP as close to Linux's defaults as ns-3's attributes go (docs/kernel.md lists what
//     differs), with run_bench's 5 s MSL: TIME-WAIT lasts 10 s;
//   - a server listening on port 80 that closes each connection when the client closes it;
//   - N connections from the client, one every 1 ms from t = 0, one socket each
//     (Socket::CreateSocket, as ns-3's examples do), closed by the client once established;
//   - one CSV row per connection (a subset of synlab's connections.csv columns), written as
//     each handshake ends: handshake time is Connect() to the connection-succeeded callback.
// Prints N, wall seconds (the whole process but loading: set-up, run, CSV, Destroy) and
// handshakes per second.
// Usage: ns3_handshake_bench N [--csv=FILE]   (default FILE: ns3-connections.csv)
// ns-3's own options work too, e.g. --SchedulerType=ns3::HeapScheduler or
// --ns3::TcpSocket::ConnTimeout=3s.
// C++17: ns-3 3.37's headers are not valid C++20 (so no synlab header here either).
#include <ns3/core-module.h>
#include <ns3/internet-module.h>
#include <ns3/network-module.h>
#include <ns3/point-to-point-module.h>
#include <ns3/traffic-control-module.h>
#include <ns3/version-defines.h>

#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>

namespace {

struct Bench {
  ns3::Ptr<ns3::Node> client;
  ns3::InetSocketAddress server{ns3::Ipv4Address::GetAny(), 80};
  std::uint64_t n = 0;
  std::uint64_t opened = 0;
  std::uint64_t established = 0;
  std::uint64_t failed = 0;
  std::FILE* csv = nullptr;
};

Bench bench;

// `ns` as exact decimal seconds ("0.100000092"), as synlab's CSV files print times.
void put_seconds(std::FILE* out, std::int64_t ns) {
  std::fprintf(out, "%" PRId64 ".%09" PRId64, ns / 1'000'000'000, ns % 1'000'000'000);
}

void put_endpoint(std::FILE* out, const ns3::InetSocketAddress& a) {
  const std::uint32_t ip = a.GetIpv4().Get();
  std::fprintf(out, "%u.%u.%u.%u:%u", ip >> 24, (ip >> 16) & 255u, (ip >> 8) & 255u, ip & 255u,
               static_cast<unsigned>(a.GetPort()));
}

// One connections.csv row: conn, client, server, open_time, established_time,
// handshake_time (seconds), outcome.
void write_row(std::uint64_t conn, std::int64_t open_ns, const ns3::Ptr<ns3::Socket>& socket,
               bool established) {
  std::FILE* out = bench.csv;
  std::fprintf(out, "%" PRIu64 ",", conn);
  ns3::Address local;
  if (socket->GetSockName(local) == 0)
    put_endpoint(out, ns3::InetSocketAddress::ConvertFrom(local));
  std::fputc(',', out);
  put_endpoint(out, bench.server);
  std::fputc(',', out);
  put_seconds(out, open_ns);
  std::fputc(',', out);
  if (established) {
    const std::int64_t now_ns = ns3::Simulator::Now().GetNanoSeconds();
    put_seconds(out, now_ns);
    std::fputc(',', out);
    put_seconds(out, now_ns - open_ns);
  } else {
    std::fputc(',', out);
  }
  std::fputs(established ? ",established\n" : ",failed\n", out);
}

// Client: the handshake is done; record it and close at once (request 0, response 0).
void on_connected(std::uint64_t conn, std::int64_t open_ns, ns3::Ptr<ns3::Socket> socket) {
  ++bench.established;
  write_row(conn, open_ns, socket, true);
  socket->Close();
}

// Client: a reset or the last SYN timed out.
void on_failed(std::uint64_t conn, std::int64_t open_ns, ns3::Ptr<ns3::Socket> socket) {
  ++bench.failed;
  write_row(conn, open_ns, socket, false);
}

// Opens connection number `opened + 1` and schedules the next one 1 ms later.
void open_next() {
  const std::uint64_t conn = ++bench.opened;
  const std::int64_t open_ns = ns3::Simulator::Now().GetNanoSeconds();
  const ns3::Ptr<ns3::Socket> socket =
      ns3::Socket::CreateSocket(bench.client, ns3::TcpSocketFactory::GetTypeId());
  socket->SetConnectCallback(ns3::MakeBoundCallback(&on_connected, conn, open_ns),
                             ns3::MakeBoundCallback(&on_failed, conn, open_ns));
  socket->Bind();
  socket->Connect(bench.server);
  if (bench.opened < bench.n) ns3::Simulator::Schedule(ns3::MilliSeconds(1), &open_next);
}

// Server: the client closed; close too (the server app of request 0 / response 0), as an
// application does once it reads the end of the stream: after TCP has acknowledged the FIN, so
// the ACK and the FIN go out separately, as from synlab's server. (Close() from within this
// callback would send the FIN first, then a duplicate ACK.)
void on_peer_close(ns3::Ptr<ns3::Socket> socket) {
  ns3::Simulator::ScheduleNow(&ns3::Socket::Close, socket);
}

void on_peer_error(ns3::Ptr<ns3::Socket> /*socket*/) {}

void on_accept(ns3::Ptr<ns3::Socket> socket, const ns3::Address& /*from*/) {
  socket->SetCloseCallbacks(ns3::MakeCallback(&on_peer_close), ns3::MakeCallback(&on_peer_error));
}

// Linux's defaults where ns-3 has the knob (docs/kernel.md lists the rest).
void linux_like_tcp() {
  using ns3::Config::SetDefault;
  SetDefault("ns3::TcpSocket::ConnTimeout", ns3::TimeValue(ns3::Seconds(1)));  // TCP_TIMEOUT_INIT
  SetDefault("ns3::TcpSocket::ConnCount", ns3::UintegerValue(6));              // tcp_syn_retries
  SetDefault("ns3::TcpSocket::DataRetries", ns3::UintegerValue(15));           // tcp_retries2
  SetDefault("ns3::TcpSocket::SegmentSize", ns3::UintegerValue(1448));   // MSS 1460 - timestamps
  SetDefault("ns3::TcpSocket::InitialCwnd", ns3::UintegerValue(10));     // TCP_INIT_CWND
  SetDefault("ns3::TcpSocket::SndBufSize", ns3::UintegerValue(16384));   // tcp_wmem[1]
  SetDefault("ns3::TcpSocket::RcvBufSize", ns3::UintegerValue(131072));  // tcp_rmem[1]
  SetDefault("ns3::TcpSocketBase::MinRto", ns3::TimeValue(ns3::MilliSeconds(200)));  // tcp_rto_min
  SetDefault("ns3::TcpSocketBase::MaxSegLifetime", ns3::DoubleValue(5));  // run_bench's msl: 5s
  SetDefault("ns3::TcpSocketBase::Sack", ns3::BooleanValue(true));
  SetDefault("ns3::TcpSocketBase::Timestamp", ns3::BooleanValue(true));
  SetDefault("ns3::TcpSocketBase::WindowScaling", ns3::BooleanValue(true));
  SetDefault("ns3::TcpL4Protocol::SocketType", ns3::TypeIdValue(ns3::TcpCubic::GetTypeId()));
}

}  // namespace

int main(int argc, char** argv) {
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t n = 0;
  std::string csv_path = "ns3-connections.csv";
  linux_like_tcp();
  ns3::CommandLine cmd(__FILE__);
  cmd.Usage(
      "run_bench.sh's scenario on ns-3: N connections, one per ms, over a 50 ms link, each\n"
      "closed by the client once established; one CSV row per connection.");
  cmd.AddNonOption("N", "connections to open", n);
  cmd.AddValue("csv", "the CSV file to write", csv_path);
  cmd.Parse(argc, argv);
  if (n == 0) {
    std::fprintf(stderr, "usage: ns3_handshake_bench N [--csv=FILE]   (N >= 1; --help)\n");
    return 2;
  }
  bench.n = n;
  bench.csv = std::fopen(csv_path.c_str(), "w");
  if (bench.csv == nullptr) {
    std::perror(csv_path.c_str());
    return 1;
  }
  static char buffer[1 << 20];
  std::setvbuf(bench.csv, buffer, _IOFBF, sizeof buffer);
  std::fputs("conn,client,server,open_time,established_time,handshake_time,outcome\n", bench.csv);

  ns3::NodeContainer nodes;
  nodes.Create(2);
  ns3::PointToPointHelper p2p;
  p2p.SetDeviceAttribute("DataRate", ns3::StringValue("10Gbps"));
  p2p.SetChannelAttribute("Delay", ns3::StringValue("50ms"));
  p2p.SetQueue("ns3::DropTailQueue<Packet>", "MaxSize", ns3::StringValue("100000p"));
  const ns3::NetDeviceContainer devices = p2p.Install(nodes);
  ns3::InternetStackHelper internet;
  internet.Install(nodes);
  ns3::Ipv4AddressHelper addresses;
  addresses.SetBase("10.0.0.0", "255.255.255.0");
  const ns3::Ipv4InterfaceContainer interfaces = addresses.Assign(devices);
  // Assign() gave each device ns-3's default queue disc (FqCoDel); synlab's link has only
  // its drop-tail queue, so the device queue is the only one here too.
  ns3::TrafficControlHelper().Uninstall(devices);

  ns3::Ptr<ns3::Socket> listener =
      ns3::Socket::CreateSocket(nodes.Get(1), ns3::TcpSocketFactory::GetTypeId());
  listener->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), 80));
  listener->Listen();
  listener->SetAcceptCallback(
      ns3::MakeNullCallback<bool, ns3::Ptr<ns3::Socket>, const ns3::Address&>(),
      ns3::MakeCallback(&on_accept));
  listener = nullptr;  // the TCP stack keeps it

  bench.client = nodes.Get(0);
  bench.server = ns3::InetSocketAddress(interfaces.GetAddress(1), 80);
  ns3::Simulator::ScheduleWithContext(bench.client->GetId(), ns3::Seconds(0), &open_next);
  ns3::Simulator::Run();
  const double end_s = ns3::Simulator::Now().GetSeconds();
  bench.client = nullptr;
  ns3::Simulator::Destroy();
  const bool write_ok = std::fclose(bench.csv) == 0;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::printf("ns3_handshake_bench: ns-3 %d.%d, %" PRIu64 " connections: %" PRIu64
              " established, %" PRIu64 " failed; simulated %.3f s; %s\n",
              NS3_VERSION_MAJOR, NS3_VERSION_MINOR, n, bench.established, bench.failed, end_s,
              csv_path.c_str());
  std::printf("%-10s %10s %14s\n", "N", "wall_s", "handshakes/s");
  std::printf("%-10" PRIu64 " %10.2f %14.0f\n", n, wall, static_cast<double>(n) / wall);
  if (!write_ok) {
    std::perror(csv_path.c_str());
    return 1;
  }
  return bench.established + bench.failed == n ? 0 : 1;
}
