// The run's CSV files, streamed (csv_writers.hpp).
#include "app/csv_writers.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <ostream>

#include "app/network_builder.hpp"
#include "sim/csv_row.hpp"

namespace synlab::app {
namespace {

constexpr std::size_t block_bytes = 256 * 1024;

// A node's name, or its number; `scratch` holds the text when it is not the scenario's.
std::string_view node_name(const Scenario& s, std::uint32_t index, std::string& scratch) {
  if (index < s.nodes.size()) return s.nodes[index];
  scratch = std::to_string(index);
  return scratch;
}

// "client:40000": a node's name by its address (network_builder.hpp), else the address; built
// in `out`, whose buffer is reused from row to row.
std::string_view socket_name(const Scenario& s, sim::Ipv4Address a, std::uint16_t port,
                             std::string& out) {
  const std::optional<std::size_t> index = node_index(a);
  if (index && *index < s.nodes.size())
    out = s.nodes[*index];
  else
    out = a.to_string();
  out += ':';
  std::array<char, 8> digits;
  out.append(digits.data(), std::to_chars(digits.data(), digits.data() + digits.size(), port).ptr);
  return out;
}

}  // namespace

void RowBuffer::end_row() {
  text_ += '\n';
  if (text_.size() >= block_bytes) flush();
}

void RowBuffer::flush() {
  out_->write(text_.data(), static_cast<std::streamsize>(text_.size()));
  text_.clear();
}

// --- connections.csv ---------------------------------------------------------------------------

ConnectionsCsv::ConnectionsCsv(std::ostream& out, const Scenario& scenario, std::uint64_t point,
                               std::uint64_t replication)
    : rows_(out), point_(point), replication_(replication) {
  for (const std::string& name : scenario.nodes) names_.push_back(sim::CsvRow::escape(name));
}

namespace {

// Writes `value` then a comma at `p`, which has room for 21 characters; returns the end.
char* put_cell(char* p, std::uint64_t value) noexcept {
  p = std::to_chars(p, p + 20, value).ptr;
  *p++ = ',';
  return p;
}

// A time in exact seconds (sim::write_seconds), or nothing if there is none; then a comma.
char* put_cell(char* p, std::optional<sim::Duration> d) noexcept {
  if (d) p = sim::write_seconds(p, *d);
  *p++ = ',';
  return p;
}

}  // namespace

void ConnectionsCsv::on_connection(const apps::ConnectionRecord& c) {
  // The cells CsvRow would write, each number formatted straight into one buffer and appended
  // with the names in five pieces: a row per connection is the run's main output (issue 11).
  std::string& text = rows_.text();
  std::array<char, 3 * 21> head;  // point, replication, conn
  char* p = put_cell(put_cell(put_cell(head.data(), point_), replication_), c.id);
  text.append(head.data(), p);
  text += names_.at(c.client_node);
  std::array<char, 1 + 21> client_port;  // ",40000,"
  client_port[0] = ',';
  p = put_cell(client_port.data() + 1, std::uint64_t{c.client_port});
  text.append(client_port.data(), p);
  text += names_.at(c.server_node);
  std::array<char, 1 + 21 + 4 * (sim::max_seconds_chars + 1) + 2 * 21> tail;
  tail[0] = ',';
  p = put_cell(tail.data() + 1, std::uint64_t{c.server_port});
  p = put_cell(p, c.open_time.time_since_epoch());
  const auto since_epoch = [](const std::optional<sim::Time>& t) -> std::optional<sim::Duration> {
    if (!t) return std::nullopt;
    return t->time_since_epoch();
  };
  p = put_cell(p, since_epoch(c.client_established));
  p = put_cell(p, since_epoch(c.server_established));
  p = put_cell(p, c.handshake_time());
  p = put_cell(put_cell(p, std::uint64_t{c.syns_sent}), std::uint64_t{c.synacks_sent});
  text.append(tail.data(), p);
  if (c.error == tcp::ConnectError::Ok)
    text += tcp::to_string(c.outcome);  // a word: nothing to quote
  else
    text += sim::CsvRow::escape(apps::outcome_text(c));
  rows_.end_row();
}

// --- packets.csv -------------------------------------------------------------------------------

std::size_t PacketsCsv::TupleHash::operator()(const Tuple& t) const noexcept {
  return static_cast<std::size_t>(
      sim::mix64((std::uint64_t{std::get<0>(t)} << 32u) ^ std::get<2>(t) ^
                 (std::uint64_t{std::get<1>(t)} << 16u) ^ (std::uint64_t{std::get<3>(t)} << 48u)));
}

PacketsCsv::PacketsCsv(std::ostream& out, const Scenario& scenario, const ConnectionNames& names)
    : rows_(out), scenario_(&scenario), names_(&names) {
  rows_.text() = net::PacketRecord::csv_header;
  rows_.text() += '\n';
}

std::optional<std::uint64_t> PacketsCsv::conn_of(const net::PacketRecord& r) {
  const tcp::SocketAddress src{r.src.value, r.src_port};
  const tcp::SocketAddress dst{r.dst.value, r.dst_port};
  const Tuple forward{r.src.value, r.src_port, r.dst.value, r.dst_port};
  const Tuple backward{r.dst.value, r.dst_port, r.src.value, r.src_port};
  // The live connection first (the sender as its client, then as its server), then the one last
  // seen on this 4-tuple.
  if (const auto id = names_->by_sockets(src, dst)) return flows_[forward].conn = id;
  if (const auto id = names_->by_sockets(dst, src)) return flows_[backward].conn = id;
  for (const Tuple& t : {forward, backward})
    if (const Flow* flow = flows_.find(t); flow != nullptr && flow->conn) return flow->conn;
  return std::nullopt;
}

void PacketsCsv::write(const net::PacketRecord& r) {
  if (!held_.empty()) {
    // The application names the connection when connect() returns (on_open), at this instant.
    if (r.time == held_.front().time) {
      held_.push_back(r);
      return;
    }
    release_held();
  }
  // A SYN's sender is its connection's client. A SYN opening a connection on this 4-tuple is
  // sent inside connect(): it waits until the connection has its id.
  const bool opening_syn =
      r.event == sim::PacketEventKind::Send && r.flags == tcp::Flags(tcp::Flag::Syn) &&
      !names_->by_sockets({r.src.value, r.src_port}, {r.dst.value, r.dst_port});
  if (opening_syn)
    held_.push_back(r);
  else
    emit(r);
}

void PacketsCsv::release_held() {
  for (const net::PacketRecord& r : held_) emit(r);
  held_.clear();
}

void PacketsCsv::finish() {
  release_held();
  rows_.flush();
}

void PacketsCsv::emit(const net::PacketRecord& r) {
  const Tuple forward{r.src.value, r.src_port, r.dst.value, r.dst_port};
  const Tuple backward{r.dst.value, r.dst_port, r.src.value, r.src_port};
  const bool injected = injected_.contains(r.packet_id);
  // A crafted SYN opens no connection: the flow keeps its numbering (as the segment was written).
  if (r.flags.has(tcp::Flag::Syn) && !injected) {
    Flow& flow = flows_[forward];
    if (r.event == sim::PacketEventKind::Send) {
      flow.isn = r.seq;  // a new connection on a 4-tuple used before starts afresh
      if (!r.flags.has(tcp::Flag::Ack)) flow.conn.reset();
    } else if (!flow.isn) {
      flow.isn = r.seq;
    }
  }
  const Scenario& s = *scenario_;
  std::string_view link;
  if (r.link.valid() && r.link.value < s.links.size()) {
    link = s.links[r.link.value].name;
  } else if (r.link.valid()) {
    link_scratch_ = std::to_string(r.link.value);
    link = link_scratch_;
  }
  net::PacketNames names{node_name(s, r.node.value, node_scratch_),
                         link,
                         socket_name(s, r.src, r.src_port, from_),
                         socket_name(s, r.dst, r.dst_port, to_),
                         conn_of(r),
                         std::nullopt,
                         std::nullopt,
                         injected};
  if (const Flow* own = flows_.find(forward); own != nullptr && own->isn)
    names.rel_seq = r.seq - *own->isn;
  if (const Flow* peer = flows_.find(backward);
      r.flags.has(tcp::Flag::Ack) && peer != nullptr && peer->isn)
    names.rel_ack = r.ack - *peer->isn;
  sim::CsvRow row(rows_.text());
  net::to_csv(r, names, row);
  rows_.end_row();
}

// --- states.csv --------------------------------------------------------------------------------

StatesCsv::StatesCsv(std::ostream& out, const Scenario& scenario, const ConnectionNames& names)
    : rows_(out), scenario_(&scenario), names_(&names) {
  rows_.text() = tcp::state_csv_header;
  rows_.text() += '\n';
  for (std::size_t i = 0; i < scenario.nodes.size(); ++i) {
    const tcp::NodeName name(scenario.nodes[i]);
    auto same =
        std::find_if(nodes_.begin(), nodes_.end(), [&](const auto& n) { return n.first == name; });
    if (same == nodes_.end())
      nodes_.emplace_back(name, static_cast<std::ptrdiff_t>(i));
    else
      same->second = -1;
  }
}

std::optional<std::uint64_t> StatesCsv::conn_of(const tcp::TcpRecord& r) const {
  // Records name their node by its first 15 characters (tcp::NodeName).
  for (const auto& [name, index] : nodes_)
    if (name == r.node)
      return index < 0 ? std::nullopt : names_->by_host(static_cast<std::size_t>(index), r.conn);
  return std::nullopt;
}

void StatesCsv::write(const tcp::TcpRecord& r) {
  if (r.kind != tcp::RecordKind::State) return;
  if (!held_.empty()) {
    if (r.time_ns == held_.front().time_ns) {
      held_.push_back(r);
      return;
    }
    release_held();
  }
  if (r.from == tcp::State::Closed && r.to == tcp::State::SynSent && !conn_of(r))
    held_.push_back(r);
  else
    emit(r);
}

void StatesCsv::release_held() {
  for (const tcp::TcpRecord& r : held_) emit(r);
  held_.clear();
}

void StatesCsv::finish() {
  release_held();
  rows_.flush();
}

void StatesCsv::emit(const tcp::TcpRecord& r) {
  sim::CsvRow row(rows_.text());
  tcp::state_to_csv(r, conn_of(r), row);  // no conn: a listener, or one no app opened
  rows_.end_row();
}

}  // namespace synlab::app
