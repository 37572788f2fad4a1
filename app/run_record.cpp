// RunRecord (see run_record.hpp). Layout, version 2: "SRR" 2, point, replication, seed,
// end_time ns, events, connections_opened (u64 each); the kept connections; the tally; the
// packet counts; the hosts' counters (tcp::host_counters' order); the CSV rows.
#include "app/run_record.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "sim/assert.hpp"

namespace synlab::app {
namespace {

constexpr std::string_view magic = "SRR\x02";

class Writer {
 public:
  explicit Writer(std::string& out) : out_(&out) {}
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out_->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void u8(std::uint8_t v) { out_->push_back(static_cast<char>(v)); }
  void text(std::string_view s) {
    u64(s.size());
    out_->append(s);
  }
  void time(std::optional<sim::Time> t) {
    u8(t ? 1 : 0);
    i64(t ? t->time_since_epoch().count() : 0);
  }

 private:
  std::string* out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint64_t u64() {
    const std::string_view b = take(8);
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
      v = (v << 8) | static_cast<unsigned char>(b[static_cast<std::size_t>(i)]);
    return v;
  }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  std::uint8_t u8() { return static_cast<unsigned char>(take(1)[0]); }
  std::uint8_t u8_at_most(std::uint8_t max, const char* what) {
    const std::uint8_t v = u8();
    if (v > max)
      throw RunRecordError(std::string("malformed run record: ") + what + " out of range");
    return v;
  }
  template <typename T>
  T narrow(const char* what) {
    const std::uint64_t v = u64();
    if (v > std::numeric_limits<T>::max())
      throw RunRecordError(std::string("malformed run record: ") + what + " out of range");
    return static_cast<T>(v);
  }
  // A count of items of at least `item_bytes` each: never more than the bytes left allow.
  std::uint64_t count(std::size_t item_bytes) {
    const std::uint64_t n = u64();
    if (n > in_.size() / item_bytes) throw RunRecordError("malformed run record: truncated");
    return n;
  }
  std::string_view text() { return take(count(1)); }
  std::optional<sim::Time> time() {
    const bool present = u8_at_most(1, "a time's flag") == 1;
    const std::int64_t ns = i64();
    if (!present) return std::nullopt;
    return sim::Time{sim::Duration{ns}};
  }
  std::string_view take(std::size_t n) {
    if (n > in_.size()) throw RunRecordError("malformed run record: truncated");
    const std::string_view b = in_.substr(0, n);
    in_.remove_prefix(n);
    return b;
  }
  bool done() const noexcept { return in_.empty(); }

 private:
  std::string_view in_;
};

constexpr auto last_outcome = static_cast<std::uint8_t>(tcp::Outcome::Reset);
constexpr auto last_error = static_cast<std::uint8_t>(tcp::ConnectError::NoPortLeft);

}  // namespace

void encode_run_record(const RunResult& run, std::string_view connections_csv, std::string& out) {
  SYNLAB_ASSERT(run.packets.empty() && run.tcp.empty(), "in-memory traces are not transported");
  Writer w(out);
  out.append(magic);
  w.u64(run.point);
  w.u64(run.replication);
  w.u64(run.seed);
  w.i64(run.end_time.time_since_epoch().count());
  w.u64(run.events);
  w.u64(run.connections_opened);
  w.u64(run.connections.size());
  for (const ConnectionResult& c : run.connections) {
    w.u64(c.id);
    w.u64(c.client_node);
    w.u64(c.server_node);
    w.u64(c.client_port);
    w.u64(c.server_port);
    w.time(c.open_time);
    w.time(c.client_established);
    w.time(c.server_established);
    w.u64(c.syns_sent);
    w.u64(c.synacks_sent);
    w.u8(static_cast<std::uint8_t>(c.outcome));
    w.u8(static_cast<std::uint8_t>(c.error));
    w.text(c.client);
    w.text(c.server);
  }
  const HandshakeTally& t = run.tally;
  for (const std::uint64_t n :
       {t.connections, t.established, t.timeouts, t.refused, t.reset, t.other})
    w.u64(n);
  w.u64(t.times_ns.size());
  for (const std::int64_t ns : t.times_ns) w.i64(ns);
  w.u64(run.packet_counts.size());
  for (const std::uint64_t n : run.packet_counts) w.u64(n);
  w.u64(run.hosts.size());
  for (const tcp::HostCounters& h : run.hosts)
    for (const tcp::HostCounter& c : tcp::host_counters) w.u64(h.*c.member);
  w.text(connections_csv);
}

RunRecord decode_run_record(std::string_view bytes) {
  Reader r(bytes);
  if (r.take(std::min(bytes.size(), magic.size())) != magic)
    throw RunRecordError("not a run record of this synlab version");
  RunRecord record;
  RunResult& run = record.result;
  run.point = r.u64();
  run.replication = r.u64();
  run.seed = r.u64();
  run.end_time = sim::Time{sim::Duration{r.i64()}};
  run.events = r.u64();
  run.connections_opened = r.u64();
  const std::uint64_t kept = r.count(8);
  run.connections.reserve(kept);
  for (std::uint64_t k = 0; k < kept; ++k) {
    ConnectionResult c;
    c.id = r.u64();
    c.client_node = r.narrow<std::uint32_t>("a node");
    c.server_node = r.narrow<std::uint32_t>("a node");
    c.client_port = r.narrow<std::uint16_t>("a port");
    c.server_port = r.narrow<std::uint16_t>("a port");
    const auto open = r.time();
    if (!open) throw RunRecordError("malformed run record: a connection without open time");
    c.open_time = *open;
    c.client_established = r.time();
    c.server_established = r.time();
    c.syns_sent = r.narrow<std::uint32_t>("a SYN count");
    c.synacks_sent = r.narrow<std::uint32_t>("a SYN/ACK count");
    c.outcome = static_cast<tcp::Outcome>(r.u8_at_most(last_outcome, "an outcome"));
    c.error = static_cast<tcp::ConnectError>(r.u8_at_most(last_error, "a connect error"));
    c.client = std::string(r.text());
    c.server = std::string(r.text());
    run.connections.push_back(std::move(c));
  }
  HandshakeTally& t = run.tally;
  for (std::uint64_t* n :
       {&t.connections, &t.established, &t.timeouts, &t.refused, &t.reset, &t.other})
    *n = r.u64();
  const std::uint64_t times = r.count(8);
  t.times_ns.reserve(times);
  for (std::uint64_t k = 0; k < times; ++k) t.times_ns.push_back(r.i64());
  const std::uint64_t counts = r.count(8);
  run.packet_counts.reserve(counts);
  for (std::uint64_t k = 0; k < counts; ++k) run.packet_counts.push_back(r.u64());
  const std::uint64_t hosts = r.count(8 * tcp::host_counters.size());
  run.hosts.resize(hosts);
  for (tcp::HostCounters& h : run.hosts)
    for (const tcp::HostCounter& c : tcp::host_counters) h.*c.member = r.u64();
  record.connections_csv = std::string(r.text());
  if (!r.done()) throw RunRecordError("malformed run record: bytes after its end");
  return record;
}

}  // namespace synlab::app
