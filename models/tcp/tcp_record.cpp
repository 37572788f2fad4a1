// TcpRecord's text and CSV forms (tcp_record.hpp).
#include "models/tcp/tcp_record.hpp"

#include <algorithm>

#include "sim/csv_row.hpp"

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
    case DropReason::PawsRejected:
      return "PawsRejected";
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

void to_csv(const TcpRecord& r, std::string& out) {
  namespace csv = sim::csv;
  const std::string_view node = r.node.view();
  const std::string flags = compact_flags(r.flags);  // "SYN,ACK": a comma, so quoted
  const std::array<std::string_view, 7> words{
      to_string(r.kind),  to_string(r.from),    to_string(r.to),    to_string(r.cause),
      to_string(r.timer), to_string(r.outcome), to_string(r.reason)};
  std::size_t most = 18 + 9 * csv::max_integer_chars + csv::max_text_chars(node) +
                     csv::max_text_chars(flags);  // 18 commas, 9 numbers
  for (const std::string_view w : words) most += csv::max_text_chars(w);
  csv::append_row(out, most, [&](char* p) {
    p = csv::comma(csv::put(p, r.time_ns));
    p = csv::comma(csv::put_text(p, node));
    p = csv::comma(csv::put(p, r.conn));
    for (std::size_t i = 0; i < 5; ++i) p = csv::comma(csv::put_text(p, words[i]));
    p = csv::comma(csv::put(p, r.deadline_ns));
    for (std::size_t i = 5; i < 7; ++i) p = csv::comma(csv::put_text(p, words[i]));
    p = csv::comma(csv::put(p, r.src_port));
    p = csv::comma(csv::put(p, r.dst_port));
    p = csv::comma(csv::put(p, r.seq));
    p = csv::comma(csv::put(p, r.ack));
    p = csv::comma(csv::put_text(p, flags));
    p = csv::comma(csv::put(p, r.window));
    return csv::put(p, r.payload_bytes);
  });
}

std::size_t transition_csv_chars(const TcpRecord& r) {
  return 2 + to_string(r.from).size() + to_string(r.to).size() + to_string(r.cause).size();
}

char* put_transition_csv(char* p, const TcpRecord& r) {
  namespace csv = sim::csv;
  p = csv::comma(csv::put_raw(p, to_string(r.from)));  // words such as SYN-SENT: nothing to quote
  p = csv::comma(csv::put_raw(p, to_string(r.to)));
  return csv::put_raw(p, to_string(r.cause));
}

std::size_t state_csv_chars(const TcpRecord& r, std::string_view transition) {
  return 3 + sim::max_seconds_chars + sim::csv::max_text_chars(r.node.view()) +
         sim::csv::max_integer_chars +
         (transition.empty() ? transition_csv_chars(r) : transition.size());
}

char* put_state_csv(char* p, const TcpRecord& r, std::optional<std::uint64_t> conn,
                    std::string_view time, std::string_view transition) {
  namespace csv = sim::csv;
  p = csv::comma(time.empty() ? csv::put(p, sim::Duration{r.time_ns}) : csv::put_raw(p, time));
  p = csv::comma(csv::put_text(p, r.node.view()));
  if (conn) p = csv::put(p, *conn);
  p = csv::comma(p);
  return transition.empty() ? put_transition_csv(p, r) : csv::put_raw(p, transition);
}

void state_to_csv(const TcpRecord& r, std::optional<std::uint64_t> conn, std::string& out) {
  sim::csv::append_row(out, state_csv_chars(r), [&](char* p) { return put_state_csv(p, r, conn); });
}

}  // namespace synlab::tcp
