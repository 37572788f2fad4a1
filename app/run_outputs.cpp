// The files a run writes (see run_outputs.hpp).
#include "app/run_outputs.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdio>
#include <map>
#include <ostream>
#include <tuple>

#include "models/tcp/flags.hpp"
#include "sim/csv_row.hpp"

namespace synlab::app {
namespace {

std::string node_name(const Scenario& s, std::uint32_t index) {
  return index < s.nodes.size() ? s.nodes[index] : std::to_string(index);
}

// Node names by address: node i is 10.0.0.(i+1) (network_builder.hpp).
std::string name_at(const Scenario& s, sim::Ipv4Address a) {
  const std::uint32_t index = a.value - ((10u << 24u) + 1);
  return index < s.nodes.size() ? s.nodes[index] : a.to_string();
}

void line(std::ostream& out, std::string& buffer) {
  buffer += '\n';
  out << buffer;
  buffer.clear();
}

std::string seconds_or_empty(const std::optional<sim::Time>& t) {
  return t ? sim::format_seconds(*t) : std::string{};
}

std::string outcome_of(const ConnectionResult& c) {
  return c.error.empty() ? std::string(tcp::to_string(c.outcome)) : "error: " + c.error;
}

}  // namespace

void write_packets_csv(std::ostream& out, const Scenario& s, const RunResult& run) {
  out << "time,event,reason,node,link,direction,from,to,src,src_port,dst,dst_port,conn,flags,seq,"
         "ack,rel_seq,rel_ack,window,payload_bytes,size_bytes,packet_id,mss,wscale,sack_permitted,"
         "tsval,tsecr\n";
  // Connection ids by 4-tuple, in the client -> server direction.
  using Tuple = std::tuple<std::uint32_t, std::uint16_t, std::uint32_t, std::uint16_t>;
  std::map<Tuple, std::uint64_t> conn_of;
  for (const ConnectionResult& c : run.connections) {
    std::uint32_t client = 0;
    std::uint32_t server = 0;
    for (std::size_t i = 0; i < s.nodes.size(); ++i) {
      if (s.nodes[i] == c.client) client = (10u << 24u) + static_cast<std::uint32_t>(i) + 1;
      if (s.nodes[i] == c.server) server = (10u << 24u) + static_cast<std::uint32_t>(i) + 1;
    }
    conn_of[{client, c.client_port, server, c.server_port}] = c.id;
  }
  // Each side's initial sequence number: the seq of the first SYN it sent.
  std::map<Tuple, std::uint32_t> isn;
  std::string buffer;
  for (const net::PacketRecord& r : run.packets) {
    const Tuple forward{r.src.value, r.src_port, r.dst.value, r.dst_port};
    const Tuple backward{r.dst.value, r.dst_port, r.src.value, r.src_port};
    if (r.flags.has(tcp::Flag::Syn)) isn.try_emplace(forward, r.seq);
    sim::CsvRow row(buffer);
    row.add(r.time).add(to_string(r.event));
    if (r.reason)
      row.add(to_string(*r.reason));
    else
      row.add_empty();
    row.add(node_name(s, r.node.value));
    if (r.link.valid())
      row.add(r.link.value < s.links.size() ? s.links[r.link.value].name
                                            : std::to_string(r.link.value))
          .add(r.direction == sim::Direction::Forward ? "forward" : "reverse");
    else
      row.add_empty().add_empty();
    row.add(name_at(s, r.src) + ":" + std::to_string(r.src_port))
        .add(name_at(s, r.dst) + ":" + std::to_string(r.dst_port));
    row.add(r.src.to_string())
        .add(std::uint32_t{r.src_port})
        .add(r.dst.to_string())
        .add(std::uint32_t{r.dst_port});
    auto conn = conn_of.find(forward);
    if (conn == conn_of.end()) conn = conn_of.find(backward);
    if (conn != conn_of.end())
      row.add(conn->second);
    else
      row.add_empty();
    row.add(r.flags.to_string()).add(r.seq).add(r.ack);
    const auto own = isn.find(forward);
    const auto peer = isn.find(backward);
    if (own != isn.end())
      row.add(r.seq - own->second);
    else
      row.add_empty();
    if (r.flags.has(tcp::Flag::Ack) && peer != isn.end())
      row.add(r.ack - peer->second);
    else
      row.add_empty();
    row.add(std::uint32_t{r.window}).add(r.payload_bytes).add(r.size_bytes).add(r.packet_id);
    net::options_to_csv(r.options, row);
    line(out, buffer);
  }
}

void write_states_csv(std::ostream& out, const RunResult& run) {
  out << "time,node,conn,from,to,cause\n";
  std::map<std::pair<std::string, std::uint32_t>, std::uint64_t> ids(run.conn_ids.begin(),
                                                                     run.conn_ids.end());
  std::string buffer;
  for (const tcp::TcpRecord& r : run.tcp) {
    if (r.kind != tcp::RecordKind::State) continue;
    sim::CsvRow row(buffer);
    row.add(sim::Duration{r.time_ns}).add(r.node.view());
    const auto it = ids.find({std::string(r.node.view()), r.conn});
    if (it != ids.end())
      row.add(it->second);
    else
      row.add_empty();  // a listener, or a connection no app opened
    row.add(tcp::to_string(r.from)).add(tcp::to_string(r.to)).add(tcp::to_string(r.cause));
    line(out, buffer);
  }
}

void write_connections_csv(std::ostream& out, std::span<const RunResult> runs) {
  out << "point,replication,conn,client,client_port,server,server_port,open_time,"
         "client_established,server_established,handshake_time,syns_sent,synacks_sent,outcome\n";
  std::string buffer;
  for (const RunResult& run : runs)
    for (const ConnectionResult& c : run.connections) {
      sim::CsvRow row(buffer);
      row.add(run.point)
          .add(run.replication)
          .add(c.id)
          .add(c.client)
          .add(std::uint32_t{c.client_port});
      row.add(c.server).add(std::uint32_t{c.server_port}).add(c.open_time);
      row.add(seconds_or_empty(c.client_established)).add(seconds_or_empty(c.server_established));
      if (const auto h = c.handshake_time())
        row.add(*h);
      else
        row.add_empty();
      row.add(c.syns_sent).add(c.synacks_sent).add(outcome_of(c));
      line(out, buffer);
    }
}

void write_sweep_csv(std::ostream& out, const Scenario& base,
                     std::span<const PointResults> points) {
  out << "point";
  for (const SweepAxis& a : base.sweep.grid) out << ',' << a.path;
  for (const SweepAxis& a : base.sweep.zip) out << ',' << a.path;
  out << ",runs,n,established,timeouts,refused,mean,median,p95,max,ci95_low,ci95_high\n";
  std::string buffer;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const PointResults& p = points[i];
    sim::CsvRow row(buffer);
    row.add(std::uint64_t{i});
    for (const Override& o : p.overrides) row.add(o.value);
    const HandshakeSummary& s = p.summary;
    row.add(std::uint64_t{p.runs.size()})
        .add(s.connections)
        .add(s.established)
        .add(s.timeouts)
        .add(s.refused);
    for (const auto& v : {s.mean, s.median, s.p95, s.max, s.ci95_low, s.ci95_high})
      if (v)
        row.add(*v);
      else
        row.add_empty();
    line(out, buffer);
  }
}

std::string sha256_hex(const std::string& bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    std::array<char, 3> two{};
    std::snprintf(two.data(), two.size(), "%02x", digest[i]);
    hex += two.data();
  }
  return hex;
}

nlohmann::json summary_json(const HandshakeSummary& s) {
  nlohmann::json j{{"connections", s.connections},
                   {"established", s.established},
                   {"timeouts", s.timeouts},
                   {"refused", s.refused},
                   {"reset", s.reset},
                   {"other", s.other}};
  auto put = [&](const char* key, const std::optional<double>& v) {
    j[key] = v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  put("mean_s", s.mean);
  put("median_s", s.median);
  put("p95_s", s.p95);
  put("max_s", s.max);
  put("ci95_low_s", s.ci95_low);
  put("ci95_high_s", s.ci95_high);
  return j;
}

void print_run_table(std::ostream& out, const Scenario& s, std::span<const PointResults> points) {
  auto ms = [](const std::optional<double>& v) {
    if (!v) return std::string("-");
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.3f", *v * 1e3);
    return std::string(text.data());
  };
  if (points.size() == 1 && points[0].runs.size() == 1) {
    const RunResult& run = *points[0].runs[0];
    std::array<char, 200> text{};
    std::snprintf(text.data(), text.size(), "%5s  %-28s %-12s %14s %5s %9s\n", "conn",
                  "client -> server", "outcome", "handshake ms", "SYNs", "SYN/ACKs");
    out << text.data();
    std::size_t shown = 0;
    for (const ConnectionResult& c : run.connections) {
      if (++shown > 20) {
        out << "  ... " << run.connections.size() - 20 << " more in connections.csv\n";
        break;
      }
      const std::string pair = c.client + ":" + std::to_string(c.client_port) + " -> " + c.server +
                               ":" + std::to_string(c.server_port);
      const auto h = c.handshake_time();
      std::snprintf(text.data(), text.size(), "%5llu  %-28s %-12s %14s %5u %9u\n",
                    static_cast<unsigned long long>(c.id), pair.c_str(), outcome_of(c).c_str(),
                    h ? ms(std::chrono::duration<double>(*h).count()).c_str() : "-", c.syns_sent,
                    c.synacks_sent);
      out << text.data();
    }
  }
  std::array<char, 240> text{};
  if (points.size() > 1 || points[0].runs.size() > 1) {
    out << "point";
    for (const SweepAxis& a : s.sweep.grid) out << "  " << a.path;
    for (const SweepAxis& a : s.sweep.zip) out << "  " << a.path;
    out << "\n";
  }
  for (std::size_t i = 0; i < points.size(); ++i) {
    const PointResults& p = points[i];
    if (points.size() > 1 || p.runs.size() > 1) {
      out << i;
      for (const Override& o : p.overrides) out << "  " << o.value;
      out << ":  ";
    }
    const HandshakeSummary& h = p.summary;
    std::snprintf(text.data(), text.size(),
                  "%llu connections: %llu established, %llu timed out, %llu refused; handshake ms: "
                  "mean %s, median %s, p95 %s, max %s\n",
                  static_cast<unsigned long long>(h.connections),
                  static_cast<unsigned long long>(h.established),
                  static_cast<unsigned long long>(h.timeouts),
                  static_cast<unsigned long long>(h.refused), ms(h.mean).c_str(),
                  ms(h.median).c_str(), ms(h.p95).c_str(), ms(h.max).c_str());
    out << text.data();
  }
}

}  // namespace synlab::app
