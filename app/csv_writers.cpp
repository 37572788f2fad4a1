// The run's CSV files, streamed (csv_writers.hpp).
#include "app/csv_writers.hpp"

#include <algorithm>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <ostream>

#include "app/direct_file.hpp"
#include "app/network_builder.hpp"
#include "sim/csv_row.hpp"

namespace synlab::app {
namespace {

// The name at `index`, or none (the row shows the number).
std::string_view name_at(const std::vector<std::string_view>& names, std::size_t index) {
  return index < names.size() ? names[index] : std::string_view();
}

}  // namespace

// Each of the two buffers holds a block and room for the row that fills it (a row longer than
// that grows it). Allocated without being filled: a small run's pages are never touched.
constexpr std::size_t buffer_bytes(std::size_t block) {
  return block + block / 16;
}

RowBuffer::RowBuffer(std::ostream& out, Consumer writing)
    : out_(&out), writing_(writing), whole_(1), block_bytes_(block_bytes) {
  // A DirectFile's blocks go to the disk directly: they are cut to whole disk blocks, and
  // written by a thread of their own even on one core, which then waits for the disk while the
  // core goes on with the run. One whose file system refused direct writes is an ordinary file.
  if (const auto* direct = dynamic_cast<DirectFileBuf*>(out.rdbuf());
      direct != nullptr && direct->direct()) {
    whole_ = DirectFileBuf::block;
    writing_ = Consumer::OwnThread;
    block_bytes_ = direct_block_bytes;
  }
  make_room(buffer_bytes(block_bytes_));
}

void RowBuffer::AlignedDelete::operator()(char* p) const {
  ::operator delete[](p, std::align_val_t{DirectFileBuf::block});
}

void RowBuffer::make_room(std::size_t n) {
  if (n <= text_.capacity - text_.size) return;
  const std::size_t capacity = std::max(2 * text_.capacity, text_.size + n);
  std::unique_ptr<char[], AlignedDelete> bytes(
      static_cast<char*>(::operator new[](capacity, std::align_val_t{DirectFileBuf::block})));
  if (text_.size > 0) std::memcpy(bytes.get(), text_.bytes.get(), text_.size);
  text_.bytes = std::move(bytes);
  text_.capacity = capacity;
}

void RowBuffer::append(std::string_view text) {
  make_room(text.size());
  std::memcpy(text_.bytes.get() + text_.size, text.data(), text.size());
  text_.size += text.size();
}

void RowBuffer::hand_over() {
  const std::size_t whole = text_.size - text_.size % whole_;
  const std::size_t rest = text_.size - whole;
  if (writing_ == Consumer::Inline) {
    out_->write(text_.bytes.get(), static_cast<std::streamsize>(whole));
    std::memmove(text_.bytes.get(), text_.bytes.get() + whole, rest);
    text_.size = rest;
    return;
  }
  writer_.wait();
  std::swap(block_, text_);  // text_ goes on in the other block's buffer
  text_.size = 0;
  // At the first hand-over the other block has no buffer yet.
  make_room(buffer_bytes(block_bytes_));
  std::memcpy(text_.bytes.get(), block_.bytes.get() + whole, rest);
  text_.size = rest;
  block_.size = whole;
  writer_.start();
}

void RowBuffer::flush() {
  writer_.wait();
  out_->write(text_.bytes.get(), static_cast<std::streamsize>(text_.size));
  text_.size = 0;
}

// --- connections.csv ---------------------------------------------------------------------------

ConnectionsCsv::ConnectionsCsv(std::ostream& out, const Scenario& scenario, std::uint64_t point,
                               std::uint64_t replication, Consumer formatting, Consumer writing)
    : rows_(out, writing),
      point_(point),
      replication_(replication),
      rows_to_format_(record_batch, formatting,
                      [this](const apps::ConnectionRecord& c) { format(c); }) {
  for (const std::string& name : scenario.nodes) names_.push_back(sim::CsvRow::escape(name));
}

void ConnectionsCsv::flush() {
  rows_to_format_.drain();
  rows_.flush();
}

void ConnectionsCsv::format(const apps::ConnectionRecord& c) {
  namespace csv = sim::csv;
  // Each cell formatted straight into one buffer: a row per connection is the run's main output
  // (issue 11).
  const std::string& client = names_.at(c.client_node);
  const std::string& server = names_.at(c.server_node);
  std::string error;  // an error's outcome: words that could need quotes
  if (c.error != tcp::ConnectError::Ok) error = apps::outcome_text(c);
  const std::string_view outcome =
      c.error == tcp::ConnectError::Ok ? tcp::to_string(c.outcome) : std::string_view(error);
  // 13 commas, 7 integers, 4 times.
  const std::size_t most = 13 + 7 * csv::max_integer_chars + 4 * sim::max_seconds_chars +
                           client.size() + server.size() + csv::max_text_chars(outcome);
  // A time in exact seconds, or an empty cell; then a comma.
  const auto put_time = [](char* p, const std::optional<sim::Time>& t) {
    if (t) p = csv::put(p, *t);
    return csv::comma(p);
  };
  rows_.row(most, [&](char* p) {
    p = csv::comma(csv::put(p, point_));
    p = csv::comma(csv::put(p, replication_));
    p = csv::comma(csv::put(p, c.id));
    p = csv::comma(csv::put_raw(p, client));
    p = csv::comma(csv::put(p, c.client_port));
    p = csv::comma(csv::put_raw(p, server));
    p = csv::comma(csv::put(p, c.server_port));
    p = csv::comma(csv::put(p, c.open_time));
    p = put_time(p, c.client_established);
    p = put_time(p, c.server_established);
    if (const std::optional<sim::Duration> d = c.handshake_time()) p = csv::put(p, *d);
    p = csv::comma(p);
    p = csv::comma(csv::put(p, c.syns_sent));
    p = csv::comma(csv::put(p, c.synacks_sent));
    return csv::put_text(p, outcome);
  });
}

// --- packets.csv -------------------------------------------------------------------------------

PacketsCsv::PacketsCsv(std::ostream& out, const Scenario& scenario, const ConnectionNames& names,
                       Consumer formatting)
    : rows_(out, formatting),
      tails_(kept_tails),
      names_(&names),
      rows_to_format_(record_batch, formatting, [this](const Item& item) { format(item); }) {
  for (const std::string& name : scenario.nodes) node_names_.emplace_back(name);
  for (std::size_t i = 0; i < scenario.nodes.size(); ++i)
    node_addresses_.push_back(node_address(i).to_string());
  for (const LinkSpec& link : scenario.links) link_names_.emplace_back(link.name);
  rows_.append(net::PacketRecord::csv_header);
  rows_.append("\n");
}

std::uint16_t HigherPort::operator()(const tcp::FourTuple& t) const noexcept {
  return std::max(t.from().port, t.to().port);
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
  // sent inside connect(): it waits until the connection has its id. So does one dropped there
  // (no route from its node).
  const bool opening_syn =
      (r.event == sim::PacketEventKind::Send || r.event == sim::PacketEventKind::Drop) &&
      r.flags == tcp::Flags(tcp::Flag::Syn) &&
      names_->by_sockets({r.src.value, r.src_port}, {r.dst.value, r.dst_port}) == 0;
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
  rows_to_format_.drain();
  rows_.flush();
}

void PacketsCsv::emit(const net::PacketRecord& r) {
  // The open connection on the packet's sockets, the sender as its client, then as its server.
  const tcp::SocketAddress src{r.src.value, r.src_port};
  const tcp::SocketAddress dst{r.dst.value, r.dst_port};
  std::uint64_t open_conn = 0;
  Sender sender = Sender::NoOpenConnection;
  if (const std::uint64_t id = names_->by_sockets(src, dst); id != 0) {
    open_conn = id;
    sender = Sender::Client;
  } else if (const std::uint64_t peer_id = names_->by_sockets(dst, src); peer_id != 0) {
    open_conn = peer_id;
    sender = Sender::Server;
  }
  rows_to_format_.push(r, open_conn, sender, injected_.contains(r.packet_id));
}

void PacketsCsv::format(const Item& item) {
  const net::PacketRecord& r = item.record;
  const tcp::SocketAddress src{r.src.value, r.src_port};
  const tcp::SocketAddress dst{r.dst.value, r.dst_port};
  // The tuple as its lower socket sends it: this packet's side is sides[0] if it is sent so.
  const bool turned = dst < src;  // by host, then port
  const auto canonical = turned ? tcp::FourTuple::of(dst, src) : tcp::FourTuple::of(src, dst);
  FlowPair& pair = flows_.find_or_emplace(canonical, FlowPair{.stored = true});
  FlowSide& own = pair.sides[turned ? 1 : 0];
  // A packet a socket sends to itself (a self-connect) has one direction: it is its own peer.
  FlowSide& peer = src == dst ? own : pair.sides[turned ? 0 : 1];
  const bool injected = item.injected;
  // A crafted SYN opens no connection: the flow keeps its numbering (as the segment was written).
  if (r.flags.has(tcp::Flag::Syn) && !injected) {
    if (r.event == sim::PacketEventKind::Send) {
      own.isn = r.seq;  // a new connection on a 4-tuple used before starts afresh
      own.has_isn = true;
      if (!r.flags.has(tcp::Flag::Ack)) own.has_conn = false;
    } else if (!own.has_isn) {
      own.isn = r.seq;
      own.has_isn = true;
    }
  }
  // The row's names, each field set here: written in place, not built on the stack and copied
  // (a copy reads an optional back in one load that waits for the stores of both its parts).
  // Names the scenario does not have (empty) make the row show the number or the address.
  net::PacketNames& names = row_names_;
  names.time = time_text_(r.time);
  names.node = name_at(node_names_, r.node.value);
  names.link = r.link.valid() ? name_at(link_names_, r.link.value) : std::string_view();
  names.from_host = {};  // only a new tail shows them: below
  names.to_host = {};
  names.from_address = {};
  names.to_address = {};
  // The open connection (remembered in the side of its client), or else the one last seen on
  // this 4-tuple.
  if (item.sender != Sender::NoOpenConnection) {
    FlowSide& client = item.sender == Sender::Client ? own : peer;
    client.conn = item.open_conn;
    client.has_conn = true;
    names.conn = item.open_conn;
  } else if (own.has_conn) {
    names.conn = own.conn;
  } else if (peer.has_conn) {
    names.conn = peer.conn;
  } else {
    names.conn.reset();
  }
  if (own.has_isn)
    names.rel_seq = r.seq - own.isn;
  else
    names.rel_seq.reset();
  if (r.flags.has(tcp::Flag::Ack) && peer.has_isn)
    names.rel_ack = r.ack - peer.isn;
  else
    names.rel_ack.reset();
  names.injected = injected;
  names.tail = {};
  KeptTail& kept = tails_[r.packet_id % kept_tails];
  if (!kept.valid || kept.record.packet_id != r.packet_id || !net::same_tail(kept.record, r) ||
      kept.conn != names.conn || kept.rel_seq != names.rel_seq || kept.rel_ack != names.rel_ack) {
    kept.record = r;
    kept.conn = names.conn;
    kept.rel_seq = names.rel_seq;
    kept.rel_ack = names.rel_ack;
    // A node's address is 10.0.0.(i+1) (network_builder.hpp): its name and its address's text,
    // if the scenario has it.
    const auto host = [&](sim::Ipv4Address a, std::string_view& name, std::string_view& text) {
      const std::optional<std::size_t> index = node_index(a);
      if (!index || *index >= node_names_.size()) return;
      name = node_names_[*index];
      text = node_addresses_[*index];
    };
    host(r.src, names.from_host, names.from_address);
    host(r.dst, names.to_host, names.to_address);
    const std::size_t most = net::tail_csv_chars(r, names);
    if (most > kept.capacity) {
      kept.capacity = std::max(most, 2 * kept.capacity);
      kept.text = std::make_unique_for_overwrite<char[]>(kept.capacity);
    }
    kept.size =
        static_cast<std::size_t>(net::put_tail_csv(kept.text.get(), r, names) - kept.text.get());
    kept.valid = true;
  }
  names.tail = std::string_view(kept.text.get(), kept.size);
  rows_.row(net::csv_chars(r, names), [&](char* p) { return net::put_csv(p, r, names); });
}

// --- states.csv --------------------------------------------------------------------------------

StatesCsv::StatesCsv(std::ostream& out, const Scenario& scenario, const ConnectionNames& names,
                     Consumer formatting)
    : rows_(out, formatting),
      names_(&names),
      rows_to_format_(record_batch, formatting, [this](const Item& item) { format(item); }) {
  rows_.append(tcp::state_csv_header);
  rows_.append("\n");
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

std::uint64_t StatesCsv::conn_of(const tcp::TcpRecord& r) const {
  // Records name their node by its first 15 characters (tcp::NodeName).
  for (const auto& [name, index] : nodes_)
    if (name == r.node)
      return index < 0 ? 0 : names_->by_host(static_cast<std::size_t>(index), r.conn);
  return 0;
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
  if (r.from == tcp::State::Closed && r.to == tcp::State::SynSent && conn_of(r) == 0)
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
  rows_to_format_.drain();
  rows_.flush();
}

void StatesCsv::emit(const tcp::TcpRecord& r) {
  rows_to_format_.push(r, conn_of(r));
}

void StatesCsv::format(const Item& item) {
  const tcp::TcpRecord& r = item.record;
  const std::optional<std::uint64_t> conn =
      item.conn != 0 ? std::optional(item.conn) : std::nullopt;
  const std::string_view time = time_text_(sim::Time{sim::Duration{r.time_ns}});
  std::string& transition = transitions_[(std::uint32_t{static_cast<std::uint8_t>(r.from)} << 16u) |
                                         (std::uint32_t{static_cast<std::uint8_t>(r.to)} << 8u) |
                                         static_cast<std::uint8_t>(r.cause)];
  if (transition.empty()) {
    transition.resize(tcp::transition_csv_chars(r));
    transition.resize(static_cast<std::size_t>(tcp::put_transition_csv(transition.data(), r) -
                                               transition.data()));
  }
  rows_.row(tcp::state_csv_chars(r, transition),
            [&](char* p) { return tcp::put_state_csv(p, r, conn, time, transition); });
}

}  // namespace synlab::app
