// TcpRecord's text and CSV forms (tcp_record.hpp).
#include "models/tcp/tcp_record.hpp"

#include <algorithm>

namespace synlab::tcp {

NodeName::NodeName(std::string_view name) noexcept {
  size_ = static_cast<std::uint8_t>(std::min(name.size(), chars_.size()));
  std::copy_n(name.begin(), size_, chars_.begin());
}

std::string_view to_string(RecordKind k) noexcept {
  switch (k) {
    case RecordKind::State:
      return "STATE";
    case RecordKind::Tx:
      return "TX";
    case RecordKind::Rx:
      return "RX";
    case RecordKind::Drop:
      return "DROP";
    case RecordKind::TimerArmed:
      return "TIMER-ARMED";
    case RecordKind::TimerFired:
      return "TIMER-FIRED";
    case RecordKind::TimerCancelled:
      return "TIMER-CANCELLED";
    case RecordKind::Outcome:
      return "OUTCOME";
    case RecordKind::CookieSent:
      return "COOKIE-SENT";
    case RecordKind::CookieInvalid:
      return "COOKIE-INVALID";
    case RecordKind::CookieValid:
      return "COOKIE-VALID";
  }
  return "?";
}

std::string_view to_string(DropReason r) noexcept {
  switch (r) {
    case DropReason::None:
      return "none";
    case DropReason::AcceptQueueFull:
      return "AcceptQueueFull";
    case DropReason::SynQueueFull:
      return "SynQueueFull";
    case DropReason::NotAcceptable:
      return "NotAcceptable";
    case DropReason::BadAck:
      return "BadAck";
    case DropReason::RstIgnored:
      return "RstIgnored";
    case DropReason::NoAck:
      return "NoAck";
    case DropReason::RateLimited:
      return "RateLimited";
    case DropReason::Unexpected:
      return "Unexpected";
  }
  return "?";
}

void TcpRecord::set_segment(const Segment& s) noexcept {
  src_port = s.src_port;
  dst_port = s.dst_port;
  seq = s.seq.value();
  ack = s.ack.value();
  flags = s.flags;
  window = s.window;
  payload_bytes = s.payload_bytes;
}

namespace {

// "SYN,ACK": Wireshark's names without spaces, so a line splits on blanks.
std::string compact_flags(Flags f) {
  std::string out = f.to_string();
  out.erase(std::remove(out.begin(), out.end(), ' '), out.end());
  return out;
}

void append(std::string& out, std::string_view a) {
  out.append(a);
}
void append(std::string& out, std::uint64_t v) {
  out.append(std::to_string(v));
}

void append_segment(std::string& out, const TcpRecord& r) {
  append(out, " ");
  append(out, compact_flags(r.flags));
  append(out, " ");
  append(out, std::uint64_t{r.src_port});
  append(out, ">");
  append(out, std::uint64_t{r.dst_port});
  append(out, " seq=");
  append(out, std::uint64_t{r.seq});
  append(out, " ack=");
  append(out, std::uint64_t{r.ack});
  append(out, " win=");
  append(out, std::uint64_t{r.window});
  append(out, " len=");
  append(out, std::uint64_t{r.payload_bytes});
}

}  // namespace

// Built by appending: GCC 12 warns falsely (-Wrestrict) on long operator+ chains.
std::string to_text(const TcpRecord& r) {
  std::string out = std::to_string(r.time_ns);
  append(out, " ");
  append(out, r.node.view());
  append(out, "#");
  append(out, std::uint64_t{r.conn});
  append(out, " ");
  append(out, to_string(r.kind));
  switch (r.kind) {
    case RecordKind::State:
      append(out, " ");
      append(out, to_string(r.from));
      append(out, " ");
      append(out, to_string(r.to));
      append(out, " ");
      append(out, to_string(r.cause));
      break;
    case RecordKind::Tx:
    case RecordKind::Rx:
    case RecordKind::CookieSent:
    case RecordKind::CookieInvalid:
    case RecordKind::CookieValid:
      append_segment(out, r);
      break;
    case RecordKind::Drop:
      append(out, " ");
      append(out, to_string(r.reason));
      append_segment(out, r);
      break;
    case RecordKind::TimerArmed:
      append(out, " ");
      append(out, to_string(r.timer));
      append(out, " ");
      out.append(std::to_string(r.deadline_ns));
      break;
    case RecordKind::TimerFired:
    case RecordKind::TimerCancelled:
      append(out, " ");
      append(out, to_string(r.timer));
      break;
    case RecordKind::Outcome:
      append(out, " ");
      append(out, to_string(r.outcome));
      break;
  }
  return out;
}

void to_csv(const TcpRecord& r, sim::CsvRow& row) {
  row.add(r.time_ns)
      .add(r.node.view())
      .add(r.conn)
      .add(to_string(r.kind))
      .add(to_string(r.from))
      .add(to_string(r.to))
      .add(to_string(r.cause))
      .add(to_string(r.timer))
      .add(r.deadline_ns)
      .add(to_string(r.outcome))
      .add(to_string(r.reason))
      .add(std::uint32_t{r.src_port})
      .add(std::uint32_t{r.dst_port})
      .add(r.seq)
      .add(r.ack)
      .add(compact_flags(r.flags))
      .add(std::uint32_t{r.window})
      .add(r.payload_bytes);
}

void state_to_csv(const TcpRecord& r, std::optional<std::uint64_t> conn, sim::CsvRow& row) {
  row.add(sim::Duration{r.time_ns}).add(r.node.view());
  if (conn)
    row.add(*conn);
  else
    row.add_empty();
  row.add(to_string(r.from)).add(to_string(r.to)).add(to_string(r.cause));
}

}  // namespace synlab::tcp
