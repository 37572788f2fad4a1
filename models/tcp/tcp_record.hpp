// TcpRecord: one flat trace record of the TCP model (STYLE §7): a state transition, a segment
// sent or received, a drop, a timer armed/fired/cancelled, a connection's outcome, or a SYN
// cookie sent or checked.
// to_text() is the one text form shared by tests, goldens and the CLI.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "models/tcp/flags.hpp"
#include "models/tcp/segment.hpp"
#include "models/tcp/tcp_state.hpp"

namespace synlab::tcp {

// A node's name, stored inline so a record stays a flat value (15 characters at most).
class NodeName {
 public:
  constexpr NodeName() noexcept = default;
  explicit NodeName(std::string_view name) noexcept;
  std::string_view view() const noexcept { return {chars_.data(), size_}; }
  // The 16 bytes (characters, zeros after the name, and the size) as two words: no call to
  // memcmp, which the member-wise comparison of the characters is (states.csv compares a
  // record's node with the scenario's for every row).
  friend bool operator==(const NodeName& a, const NodeName& b) noexcept {
    std::array<std::uint64_t, 2> x{};
    std::array<std::uint64_t, 2> y{};
    std::memcpy(x.data(), &a, sizeof(NodeName));
    std::memcpy(y.data(), &b, sizeof(NodeName));
    return ((x[0] ^ y[0]) | (x[1] ^ y[1])) == 0;
  }

 private:
  std::array<char, 15> chars_{};
  std::uint8_t size_ = 0;
};
static_assert(sizeof(NodeName) == 16 && std::is_trivially_copyable_v<NodeName>);

enum class RecordKind : std::uint8_t {
  State,           // from, to, cause
  Tx,              // segment fields
  Rx,              // segment fields
  Drop,            // segment fields, reason
  TimerArmed,      // timer, deadline_ns
  TimerFired,      // timer
  TimerCancelled,  // timer
  Outcome,         // outcome
  // SYN cookies (syn_cookies.hpp), each with segment fields. A listener's:
  CookieSent,     // the cookie SYN,ACK (also a Tx record); Linux: LINUX_MIB_SYNCOOKIESSENT
  CookieInvalid,  // an ACK whose cookie fails (Linux: LINUX_MIB_SYNCOOKIESFAILED)
  // The connection a valid cookie ACK creates (Linux: LINUX_MIB_SYNCOOKIESRECV):
  CookieValid,
};

enum class DropReason : std::uint8_t {
  None,
  AcceptQueueFull,  // Linux: tcp_conn_request(), sk_acceptq_is_full()
  SynQueueFull,     // Linux: inet_csk_reqsk_queue_is_full()
  NotAcceptable,    // RFC 9293 §3.10.7.4 first check (sequence number)
  BadAck,           // an unacceptable ACK (§3.10.7.3, §3.10.7.4 fifth check)
  RstIgnored,       // a RST that fails its checks (§3.10.7.3, RFC 5961 §3.2)
  NoAck,            // a segment without ACK in a synchronized state (§3.10.7.4)
  RateLimited,      // Linux: tcp_oow_rate_limited()
  PawsRejected,     // Linux: an acceptable ACK's TSecr out of range in SYN-SENT (PAWSActive)
  Unexpected,       // a segment the state has no use for (e.g. no SYN in LISTEN)
};

std::string_view to_string(RecordKind k) noexcept;
std::string_view to_string(DropReason r) noexcept;

struct TcpRecord {
  std::int64_t time_ns = 0;
  NodeName node;
  std::uint32_t conn = 0;  // connection id within the node
  RecordKind kind = RecordKind::State;
  State from = State::Closed;
  State to = State::Closed;
  Cause cause = Cause::UserConnect;
  TimerKind timer = TimerKind::Retransmission;
  std::int64_t deadline_ns = 0;
  Outcome outcome = Outcome::Pending;
  DropReason reason = DropReason::None;
  // Segment fields (Tx, Rx, Drop, Cookie*).
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  Flags flags;
  std::uint16_t window = 0;
  std::uint32_t payload_bytes = 0;

  static constexpr std::string_view csv_header =
      "time_ns,node,conn,kind,from,to,cause,timer,deadline_ns,outcome,reason,src_port,dst_port,"
      "seq,ack,flags,window,len";

  void set_segment(const Segment& s) noexcept;
};

// One line, integer ns first, fields in a fixed order, e.g.
//   1000000000 client#1 STATE SYN-SENT ESTABLISHED RcvSynAck
//   0 client#1 TX SYN seq=0 ack=0 win=64240 len=0
//   1000000000 client#1 TIMER-FIRED retransmission
//   131000000000 client#1 OUTCOME timeout
//   0 server#1 COOKIE-SENT SYN,ACK 80>40000 seq=2834981034 ack=1 win=65160 len=0
std::string to_text(const TcpRecord& r);

// The record as one CSV row of csv_header's columns, appended without a line end to `out`.
void to_csv(const TcpRecord& r, std::string& out);

// The CSV form of a state transition (RecordKind::State) in a run's states.csv: exact seconds,
// the node, `conn` (the connection's number in the run; empty when none), from, to, cause.
// Appended without a line end to `out`, each cell formatted straight into one buffer
// (sim::csv), since states.csv has a row per transition (issue 11).
inline constexpr std::string_view state_csv_header = "time,node,conn,from,to,cause";
void state_to_csv(const TcpRecord& r, std::optional<std::uint64_t> conn, std::string& out);
// The same row written at `p`, which has room for state_csv_chars(r) characters; returns
// its end. For a writer that formats rows where they stay; `time` is the time cell as
// sim::csv::TimeText wrote it (empty: from the record).
// `transition` is the row's last three cells as put_transition_csv wrote them for a record with
// the same from, to and cause (a writer may keep them per transition); empty: from the record.
std::size_t state_csv_chars(const TcpRecord& r, std::string_view transition = {});
char* put_state_csv(char* p, const TcpRecord& r, std::optional<std::uint64_t> conn,
                    std::string_view time = {}, std::string_view transition = {});
// The last three cells of a state row (from, to, cause), written at `p`, which has room for
// transition_csv_chars(r) characters; returns their end.
std::size_t transition_csv_chars(const TcpRecord& r);
char* put_transition_csv(char* p, const TcpRecord& r);

}  // namespace synlab::tcp
