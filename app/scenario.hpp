// Scenario: the typed content of one scenario file (docs/scenario-format.md), values already
// in their units. The runner turns it into a simulation; models never see it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/drill_script.hpp"
#include "app/scenario_error.hpp"
#include "models/tcp/tcp_state.hpp"
#include "models/tcp/timer_wheel.hpp"
#include "sim/time.hpp"
#include "viz/plot_kind.hpp"

namespace synlab::app {

// Delay variation added to a packet's propagation delay.
struct JitterSpec {
  enum class Kind { None, Uniform, Normal, Exponential };
  Kind kind = Kind::None;
  sim::Duration max{};     // uniform: U[0, max]
  sim::Duration mean{};    // normal and exponential
  sim::Duration stddev{};  // normal (clamped at 0)
  bool reorder = false;    // may a packet overtake the one sent before it?
};

struct LossSpec {
  enum class Kind { None, Bernoulli, GilbertElliott };
  Kind kind = Kind::None;
  double p = 0;          // Bernoulli: loss probability. Gilbert-Elliott: P(good -> bad) per packet
  double r = 0;          // Gilbert-Elliott: P(bad -> good) per packet
  double loss_good = 0;  // Gilbert-Elliott: loss probability in the good state
  double loss_bad = 1;   // Gilbert-Elliott: loss probability in the bad state
};

struct OutageSpec {
  sim::Duration from{};   // the link goes down at this time...
  sim::Duration until{};  // ...and comes back up at this one
};

// One direction of a link.
struct DirectionSpec {
  sim::Duration delay{};
  JitterSpec jitter;
  std::uint64_t rate_bps = 0;       // 0: no serialization delay
  std::uint64_t queue_packets = 0;  // 0: no limit in packets
  std::uint64_t queue_bytes = 0;    // 0: no limit in bytes
  LossSpec loss;
  std::vector<OutageSpec> outages;
};

struct LinkSpec {
  std::string name;
  std::string a;  // "forward" is a -> b
  std::string b;  // "reverse" is b -> a
  DirectionSpec forward;
  DirectionSpec reverse;
  SourceMark where;
};

enum class Direction { Forward, Reverse, Both };

// A scripted drop: drop the packets on a link direction that match a filter.
struct DropSpec {
  std::string link;
  Direction direction = Direction::Both;
  std::optional<std::uint8_t> flags;   // exact TCP flag bits (RFC 9293 §3.1); none: any packet
  std::vector<std::uint64_t> nth;      // 1-based indices among matching packets; empty: all
  std::optional<sim::Duration> from;   // only packets sent at or after...
  std::optional<sim::Duration> until;  // ...and before
  SourceMark where;
};

// TCP settings: a named profile and the fields overridden (docs/scenario-format.md#tcp).
struct TcpSpec {
  std::string profile = "linux";
  std::optional<sim::Duration> initial_rto;
  std::optional<sim::Duration> max_rto;
  std::optional<std::uint64_t> backoff;  // RTO multiplier per expiry
  std::optional<std::uint64_t> syn_retries;
  std::optional<std::uint64_t> synack_retries;
  std::optional<std::uint64_t> linear_timeouts;
  std::optional<sim::Duration> msl;
  std::optional<std::uint64_t> mss;
  std::optional<std::uint64_t> window_scale;
  std::optional<bool> sack;
  std::optional<bool> timestamps;
  std::optional<std::uint64_t> syncookies;  // Linux tcp_syncookies: 0, 1, 2
  std::optional<tcp::TimerSlack> timer_slack;
  bool shared_ticks = false;         // one timer wheel phase for every node (tcp.shared_ticks)
  std::optional<std::uint64_t> isn;  // fixed initial sequence number (easy-to-read traces)
  SourceMark where;
};

struct Endpoint {
  std::string node;
  std::uint16_t port = 0;
};

// When a listener's application calls accept() (docs/scenario-format.md#applications).
struct AcceptSpec {
  enum class Kind { Now, Delay, Never };
  Kind kind = Kind::Now;
  sim::Duration delay{};  // Delay: after the connection joins the accept queue
};

struct ListenApp {
  Endpoint at;
  std::uint64_t backlog = 128;
  AcceptSpec accept;
  std::optional<sim::Duration> close_at;  // the listener closes (listeners open at 0 s)
  SourceMark where;
};

// `bytes` sent `at` after the connection's open (connect() called).
struct SendSpec {
  sim::Duration at{};
  std::uint64_t bytes = 0;
};

struct ConnectApp {
  std::size_t index = 0;        // its place in the apps list (apps.<index>)
  std::string from;             // client node
  std::uint16_t from_port = 0;  // 0: an ephemeral port chosen by the client
  Endpoint to;
  std::uint64_t count = 1;
  sim::Duration start{};
  sim::Duration interval{};
  std::uint64_t request_bytes = 0;
  std::uint64_t response_bytes = 0;
  // Timed actions, each relative to its connection's open. With any of them the client no
  // longer closes once it has the response: it holds the connection.
  std::vector<SendSpec> sends;
  std::optional<sim::Duration> close_at;
  std::optional<sim::Duration> abort_at;
  SourceMark where;
};

// A crafted segment (docs/scenario-format.md#injected-segments): sent `at` from one end of
// connection `conn`, its numbers relative to the connection's ISNs as packetdrill writes them.
// Or, with `src` and `dst`, between two sockets that need no connection, its numbers absolute.
struct InjectSpec {
  sim::Duration at{};
  std::uint64_t conn = 0;    // 1-based connection id; 0: the sockets form (src, dst)
  bool from_server = false;  // which end sends it (its node, address and port)
  Endpoint src;              // the sockets form
  Endpoint dst;
  std::string segment;       // as written: "R 1001:1001(0)"
  drill::PacketSpec packet;  // parsed, inbound (`<`): seq from the sender's ISN, ack the receiver's
  SourceMark where;
};

// A node's crash (docs/scenario-format.md#crashes): at `at` it loses every connection and
// listener and goes down; at `reboot_at`, if given, it comes back up and its listeners reopen.
struct CrashSpec {
  std::string node;
  sim::Duration at{};
  std::optional<sim::Duration> reboot_at;  // nullopt: down until the run ends
  SourceMark where;
};

// One swept path: its values, as YAML text, each with where it was written.
struct SweepAxis {
  std::string path;
  std::vector<std::string> values;
  std::vector<SourceMark> where;
};

struct SweepSpec {
  std::vector<SweepAxis> grid;  // crossed: every combination
  std::vector<SweepAxis> zip;   // varied together (same length), crossed with the grid
};

// Which pcap files a single run writes (docs/pcap.md).
struct PcapSpec {
  bool enabled = false;
  bool links = true;      // link-<link>.pcap: each link's packets as sent
  bool received = false;  // link-<link>.received.pcap too: as received
  // node-<node>.pcap for these nodes; absent: every node that runs an app.
  std::optional<std::vector<std::string>> nodes;
};

struct OutputsSpec {
  bool packets = true;
  bool states = true;
  PcapSpec pcap;
  std::vector<viz::PlotKind> plots;    // drawn at the end of the run
  std::vector<SourceMark> plot_where;  // where each of `plots` is written
};

// A statistic of a sweep point's runs that `expect` can check
// (docs/scenario-format.md#expectations). The order is the one messages list them in.
enum class Metric : std::uint8_t {
  MeanHandshakeTime,
  MedianHandshakeTime,
  P95HandshakeTime,
  MaxHandshakeTime,
  Connections,
  Established,
  Refused,
  Timeouts,
};

inline constexpr Metric all_metrics[] = {Metric::MeanHandshakeTime, Metric::MedianHandshakeTime,
                                         Metric::P95HandshakeTime,  Metric::MaxHandshakeTime,
                                         Metric::Connections,       Metric::Established,
                                         Metric::Refused,           Metric::Timeouts};

// "mean_handshake_time": as scenario files and messages write it.
constexpr std::string_view to_string(Metric m) {
  switch (m) {
    case Metric::MeanHandshakeTime:
      return "mean_handshake_time";
    case Metric::MedianHandshakeTime:
      return "median_handshake_time";
    case Metric::P95HandshakeTime:
      return "p95_handshake_time";
    case Metric::MaxHandshakeTime:
      return "max_handshake_time";
    case Metric::Connections:
      return "connections";
    case Metric::Established:
      return "established";
    case Metric::Refused:
      return "refused";
    case Metric::Timeouts:
      return "timeouts";
  }
  return "?";
}

// A handshake time (in seconds), rather than a number of connections?
constexpr bool is_time(Metric m) {
  switch (m) {
    case Metric::MeanHandshakeTime:
    case Metric::MedianHandshakeTime:
    case Metric::P95HandshakeTime:
    case Metric::MaxHandshakeTime:
      return true;
    case Metric::Connections:
    case Metric::Established:
    case Metric::Refused:
    case Metric::Timeouts:
      return false;
  }
  return false;
}

// One line of `expect`.
struct Expectation {
  enum class Kind { Connection, Metric, PacketCount };
  Kind kind = Kind::Connection;
  std::uint64_t conn = 0;               // Connection: 1-based connection id
  std::optional<tcp::Outcome> outcome;  // Connection: how it ended
  std::optional<sim::Duration> established_at;
  sim::Duration tolerance{};
  Metric metric = Metric::Connections;  // Metric
  std::optional<double> equals;         // Metric or PacketCount
  std::optional<double> min;            // Metric: between [min, max]
  std::optional<double> max;
  std::string link;  // PacketCount
  Direction direction = Direction::Both;
  std::optional<std::uint8_t> flags;
  SourceMark where;
};

struct Scenario {
  std::string file;
  std::string name;
  std::uint64_t seed = 1;
  sim::Duration stop{};
  std::vector<std::string> nodes;
  std::vector<LinkSpec> links;
  TcpSpec tcp;
  std::vector<ListenApp> listens;
  std::vector<ConnectApp> connects;
  std::vector<DropSpec> drops;
  std::vector<InjectSpec> injects;
  std::vector<CrashSpec> crashes;
  SweepSpec sweep;
  SourceMark sweep_where;  // the sweep key's value, when there is one (else the file's)
  std::uint64_t repeat = 1;
  SourceMark repeat_where;  // the repeat key's value, when there is one (else the file's)
  OutputsSpec outputs;
  std::vector<Expectation> expect;

  // The connections its apps open in one run: the counts of its connect lines (each at most
  // Limits' count, so no overflow).
  std::uint64_t connections() const {
    std::uint64_t n = 0;
    for (const ConnectApp& c : connects) n += c.count;
    return n;
  }
};

// Limits that turn absurd input into a clear error instead of an out-of-memory crash.
struct Limits {
  static constexpr std::uint64_t nodes = 10'000;            // routes: one Dijkstra per node
  static constexpr std::uint64_t connections = 10'000'000;  // per connect line
  static constexpr std::uint64_t repeat = 100'000;
  static constexpr std::uint64_t sweep_runs = 1'000'000;  // points x repeat
  // Connections over every run: each one's result is kept until the outputs are written.
  static constexpr std::uint64_t total_connections = 50'000'000;
  static constexpr std::uint64_t queue_packets = 100'000'000;
  // Any time a scenario writes (a delay, a timeout, a start, an outage, `stop`): 100 years of
  // 365 days, in hours. Simulated time ends at 2^63 - 1 ns (about 292 years); sums past it
  // saturate there (sim::saturating_add).
  static constexpr std::uint64_t time_hours = 876'000;
  static constexpr sim::Duration time = std::chrono::hours{time_hours};
  // A scenario file, in bytes: read whole before it is parsed.
  static constexpr std::uint64_t file_bytes = 1'000'000;
  // A name (the scenario's, a node's, a link's), in characters: names become parts of file
  // names (out/NAME, link-NAME.received.pcap, OUTDIR's staging folder), at most 255 bytes.
  static constexpr std::uint64_t name_chars = 100;
};

}  // namespace synlab::app
