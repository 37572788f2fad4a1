// HandshakeTally (handshake_tally.hpp).
#include "app/handshake_tally.hpp"

namespace synlab::app {

void HandshakeTally::add(tcp::Outcome outcome, std::optional<sim::Duration> handshake_time) {
  ++connections;
  switch (outcome) {
    case tcp::Outcome::Established:
      ++established;
      break;
    case tcp::Outcome::Timeout:
      ++timeouts;
      break;
    case tcp::Outcome::Refused:
      ++refused;
      break;
    case tcp::Outcome::Reset:
      ++reset;
      break;
    case tcp::Outcome::Cancelled:
    case tcp::Outcome::Crashed:
    case tcp::Outcome::Pending:
      ++other;
      break;
  }
  if (handshake_time) times_ns.push_back(handshake_time->count());
}

void HandshakeTally::merge(const HandshakeTally& o) {
  static_cast<OutcomeCounts&>(*this) += o;
  times_ns.insert(times_ns.end(), o.times_ns.begin(), o.times_ns.end());
}

void HandshakeTally::merge(HandshakeTally&& o) {
  if (!times_ns.empty()) {
    merge(o);
    return;
  }
  static_cast<OutcomeCounts&>(*this) += o;
  times_ns = std::move(o.times_ns);
}

}  // namespace synlab::app
