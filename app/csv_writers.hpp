// The run's CSV files written as the run goes (docs/running.md "Output files"): connections.csv,
// packets.csv and states.csv. Rows are built in a buffer and handed to the stream in large
// blocks; nothing per finished connection stays in memory.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app/background_job.hpp"
#include "app/scenario.hpp"
#include "models/apps/connection_record.hpp"
#include "models/net/packet_record.hpp"
#include "models/tcp/four_tuple.hpp"
#include "models/tcp/tcp_record.hpp"
#include "sim/csv_row.hpp"
#include "sim/flat_hash_map.hpp"
#include "sim/port_table.hpp"
#include "sim/trace.hpp"

namespace synlab::app {

// Whole rows written in place into a buffer, and to `out` in blocks of about 256 KiB. With a core
// to spare (Consumer::OwnThread), a full block is written by a thread of its own while the next one
// fills: copying the bytes into the file (the kernel's share) overlaps the simulation (issue 11).
// On one core (Consumer::Inline) the filler writes it itself: a thread there would overlap nothing
// and cost two context switches per block. A row is formatted where it stays (row()): not in a
// buffer of its own, then appended.
//
// Over a DirectFile that takes direct writes (found by its stream buffer) the blocks are about 1
// MiB, cut to whole disk blocks (the rest begins the next block), and always written by a thread
// of their own: there the thread waits for the disk, which copies the bytes itself, and the filler
// goes on meanwhile, even on one core.
class RowBuffer {
 public:
  static constexpr std::size_t block_bytes = 256 * 1024;
  // A DirectFile's: each write to the disk costs a system call, a wake-up of the writer and, on a
  // virtual machine, an exit to the host, whatever its size. At N = 10^6 with traces, 256 KiB
  // blocks spent 10% of a one-core run on those (perf); 1 MiB blocks a quarter of that.
  static constexpr std::size_t direct_block_bytes = 1024 * 1024;

  explicit RowBuffer(std::ostream& out, Consumer writing = Consumer::OwnThread);
  RowBuffer(const RowBuffer&) = delete;
  RowBuffer& operator=(const RowBuffer&) = delete;

  // One row: `write(char* p)` writes at most `most` characters at p and returns their end; the
  // line end follows. Hands a full block to the writer.
  template <class Write>
  void row(std::size_t most, Write&& write) {
    if (most >= text_.capacity - text_.size) [[unlikely]]
      make_room(most + 1);
    char* const end = write(text_.bytes.get() + text_.size);
    *end = '\n';
    text_.size = static_cast<std::size_t>(end + 1 - text_.bytes.get());
    if (text_.size >= block_bytes_) [[unlikely]]
      hand_over();
  }
  // Text already in CSV form, its line ends included (a header line).
  void append(std::string_view text);
  void flush();  // writes what is left and waits: then the stream can be checked

 private:
  // Memory aligned to DirectFileBuf::block, as its direct writes need.
  struct AlignedDelete {
    void operator()(char* p) const;
  };
  struct Block {
    std::unique_ptr<char[], AlignedDelete> bytes;
    std::size_t size = 0;
    std::size_t capacity = 0;
  };
  void make_room(std::size_t n);  // at least n characters free after the text
  void hand_over();               // the full block to the writer thread, or written (Inline)

  std::ostream* out_;
  Consumer writing_;
  // Blocks are handed over in multiples of this many bytes (a DirectFile's block; else 1): the
  // rest of the text stays, to begin the next block.
  std::size_t whole_;
  std::size_t block_bytes_;  // a block is handed over once it holds this many bytes
  Block text_;
  // The block the writer is writing to `out_` (between its start() and wait()).
  Block block_;
  // Last: destroyed first, so its thread ends before what it writes.
  BackgroundJob writer_{
      [this] { out_->write(block_.bytes.get(), static_cast<std::streamsize>(block_.size)); }};
};

// What the trace writers ask of the run: which connection (its id in connections.csv) a packet
// or a host's connection belongs to, while that connection is open; 0 if none (ids count from
// 1), as a number in a register rather than an optional built on the stack
// (apps::RequestResponse::connection_at).
class ConnectionNames {
 public:
  virtual ~ConnectionNames() = default;
  virtual std::uint64_t by_sockets(tcp::SocketAddress client, tcp::SocketAddress server) const = 0;
  virtual std::uint64_t by_host(std::size_t node, tcp::ConnId id) const = 0;
};

// Records per batch handed to a CSV file's formatting (BatchHandOff): about 400 KiB of packet
// records. On a thread of its own, smaller batches cost more hand-overs: at N = 10^5 with traces,
// batches of 256, 1,024, 4,096 and 16,384 records took 489, 412, 384 and 378 ms (medians).
inline constexpr std::size_t record_batch = 4096;

// connections.csv: one row per connection of every run.
class ConnectionsCsv final : public apps::ConnectionSink {
 public:
  static constexpr std::string_view header =
      "point,replication,conn,client,client_port,server,server_port,open_time,"
      "client_established,server_established,handshake_time,syns_sent,synacks_sent,outcome\n";
  // Rows of run (point, replication); node names from `scenario`, which must outlive this. The
  // rows are formatted in batches, where `formatting` says (as the traces', below), and their
  // blocks written where `writing` says (RowBuffer).
  ConnectionsCsv(std::ostream& out, const Scenario& scenario, std::uint64_t point,
                 std::uint64_t replication, Consumer formatting = Consumer::Inline,
                 Consumer writing = Consumer::OwnThread);
  void on_connection(const apps::ConnectionRecord& c) override { rows_to_format_.push(c); }
  void flush();  // writes every row given so far

 private:
  void format(const apps::ConnectionRecord& c);  // the formatting's: the row

  // The formatting's: on its own thread, nothing else touches these until flush().
  RowBuffer rows_;
  std::vector<std::string> names_;  // the nodes' names, escaped once
  std::uint64_t point_;
  std::uint64_t replication_;
  // Last: destroyed first, so the thread ends before what it touches.
  BatchHandOff<apps::ConnectionRecord> rows_to_format_;
};

// packets.csv's view of one direction of a 4-tuple: the initial sequence number of that side
// (the seq of the SYN it sent last), and the connection it last opened as client, so that
// packets still in flight after the client's end is gone keep their connection.
struct FlowSide {
  std::uint64_t conn = 0;
  std::uint32_t isn = 0;
  bool has_conn = false;
  bool has_isn = false;
  friend constexpr bool operator==(const FlowSide&, const FlowSide&) = default;
};
// Both directions of a 4-tuple, filed under the tuple as its lower socket (by address, then
// port) sends it: sides[0] is that direction's, sides[1] the other's. One entry, so a packet's row
// finds its own side and its peer's in one look-up and one cache line.
struct FlowPair {
  std::array<FlowSide, 2> sides{};
  bool stored = false;  // true in every entry: the table's `none` is a default FlowPair
  friend constexpr bool operator==(const FlowPair&, const FlowPair&) = default;
};
// The number a canonical 4-tuple is filed under (sim::PortTable): the higher of its two
// ports, as a client's ephemeral port is higher than the well-known port it connects to.
struct HigherPort {
  std::uint16_t operator()(const tcp::FourTuple& t) const noexcept;
};

// packets.csv: one row per packet event, with names for nodes and links, the connection id,
// and seq/ack both absolute and relative to each side's initial sequence number (as Wireshark
// shows them). Writes the header at construction.
//
// The rows are formatted in batches, on a thread of their own or inline (issue 11): write()
// looks up, at the record's instant, what only the run knows (the open connection on the
// packet's sockets), and hands the record and that answer over; the formatting keeps the flows,
// formats the rows and fills the buffer.
class PacketsCsv final : public sim::TraceSink<net::PacketRecord> {
 public:
  // Names from `scenario`, which must outlive this. `formatting` says where the rows are
  // formatted and their blocks written (RowBuffer).
  PacketsCsv(std::ostream& out, const Scenario& scenario, const ConnectionNames& names,
             Consumer formatting);
  void write(const net::PacketRecord& r) override;
  void release_held();  // a connection was opened (ConnectionSink::on_open): its SYN is named
  void finish();        // writes what is held back and flushes
  // The packet with this id (sim::Network::next_packet_id()) is a crafted segment: its rows say
  // "injected" where a drop's reason would go.
  void mark_injected(std::uint64_t packet_id) { injected_.insert(packet_id); }

 private:
  // Which end of the open connection on a packet's sockets sent it (ConnectionNames::by_sockets).
  enum class Sender : std::uint8_t { NoOpenConnection, Client, Server };
  // A record and what the run said of it at its instant. Made in place in the batch
  // (BatchHandOff::push), by a constructor: clang before 16 has no aggregate made from
  // parentheses.
  struct Item {
    Item(const net::PacketRecord& r, std::uint64_t conn, Sender s, bool crafted)
        : record(r), open_conn(conn), sender(s), injected(crafted) {}
    net::PacketRecord record;
    std::uint64_t open_conn = 0;  // the open connection's id, unless NoOpenConnection
    Sender sender = Sender::NoOpenConnection;
    bool injected = false;
  };
  void emit(const net::PacketRecord& r);  // hands the record over
  void format(const Item& item);          // the formatting's: the row

  // The formatting's: on its own thread, nothing else touches these until finish().
  RowBuffer rows_;
  // The scenario's node and link names, by index (the scenario outlives this), and the text of
  // each node's address.
  std::vector<std::string_view> node_names_;
  std::vector<std::string_view> link_names_;
  std::vector<std::string> node_addresses_;
  // The 4-tuples' two directions, bounded by the 4-tuples used, not the connections.
  sim::PortTable<tcp::FourTuple, FlowPair, tcp::FourTupleHash, HigherPort, FlowPair{}> flows_;
  // The tail cells of the packets seen last (net::put_tail_csv: all but time, event, reason and
  // node), by packet id modulo the table's size: a packet's recv (or drop) row reuses its send
  // row's, if its record (net::same_tail) and its connection and relative numbers are the same.
  // A fixed table: packets in flight beyond its size only cost a miss.
  struct KeptTail {
    net::PacketRecord record;
    std::optional<std::uint64_t> conn;
    std::optional<std::uint32_t> rel_seq;
    std::optional<std::uint32_t> rel_ack;
    // Its cells (net::put_tail_csv), in a buffer of its own: written where they stay, not on the
    // stack and then appended to a string.
    std::unique_ptr<char[]> text;
    std::size_t capacity = 0;
    std::size_t size = 0;
    bool valid = false;
  };
  static constexpr std::size_t kept_tails = 1024;  // a power of two: the modulo is a mask
  std::vector<KeptTail> tails_;
  sim::csv::TimeText time_text_;
  net::PacketNames row_names_;  // the names of the row being formatted (format())

  // The simulation's.
  const ConnectionNames* names_;
  // A connection's first SYN is sent inside connect(), before the application knows its id:
  // such a record, and those after it at the same instant, wait until it is known or time
  // moves on (or finish()).
  std::vector<net::PacketRecord> held_;
  std::set<std::uint64_t> injected_;  // a scenario's few crafted segments, by packet id
  // Last: destroyed first, so the thread ends before what it touches.
  BatchHandOff<Item> rows_to_format_;
};

// states.csv: one row per TCP state transition. Writes the header at construction. The rows
// are formatted in batches, as packets.csv's: write() looks up the record's connection at its
// instant.
class StatesCsv final : public sim::TraceSink<tcp::TcpRecord> {
 public:
  StatesCsv(std::ostream& out, const Scenario& scenario, const ConnectionNames& names,
            Consumer formatting);
  void write(const tcp::TcpRecord& r) override;
  void release_held();  // as PacketsCsv's
  void finish();

 private:
  struct Item {  // made in place, as PacketsCsv's
    Item(const tcp::TcpRecord& r, std::uint64_t c) : record(r), conn(c) {}
    tcp::TcpRecord record;
    std::uint64_t conn = 0;  // 0: a listener, or one no app opened
  };
  void emit(const tcp::TcpRecord& r);                    // hands the record over
  void format(const Item& item);                         // the formatting's: the row
  std::uint64_t conn_of(const tcp::TcpRecord& r) const;  // 0: none

  // The formatting's: on its own thread, nothing else touches these until finish().
  RowBuffer rows_;
  sim::csv::TimeText time_text_;
  // Each transition's last three cells (tcp::put_transition_csv), by from, to and cause: a run
  // has a few dozen transitions, repeated in every connection.
  sim::FlatHashMap<std::uint32_t, std::string, sim::IntegerHash> transitions_;

  // The simulation's.
  const ConnectionNames* names_;
  std::vector<tcp::TcpRecord> held_;  // CLOSED -> SYN-SENT inside connect(), as for packets
  // Node indices by the 15-character name records carry; -1 where two nodes share it (their
  // records then name no connection rather than a wrong one).
  std::vector<std::pair<tcp::NodeName, std::ptrdiff_t>> nodes_;
  // Last: destroyed first, so the thread ends before what it touches.
  BatchHandOff<Item> rows_to_format_;
};

}  // namespace synlab::app
