// to_string for the State, Cause, Outcome, TimerKind and Notification enums (tcp_state.hpp).
#include "models/tcp/tcp_state.hpp"

namespace synlab::tcp {

std::string_view to_string(State s) noexcept {
  switch (s) {
    case State::Closed:
      return "CLOSED";
    case State::Listen:
      return "LISTEN";
    case State::SynSent:
      return "SYN-SENT";
    case State::SynReceived:
      return "SYN-RECEIVED";
    case State::Established:
      return "ESTABLISHED";
    case State::FinWait1:
      return "FIN-WAIT-1";
    case State::FinWait2:
      return "FIN-WAIT-2";
    case State::CloseWait:
      return "CLOSE-WAIT";
    case State::Closing:
      return "CLOSING";
    case State::LastAck:
      return "LAST-ACK";
    case State::TimeWait:
      return "TIME-WAIT";
  }
  return "?";
}

std::string_view to_string(Cause c) noexcept {
  switch (c) {
    case Cause::UserConnect:
      return "UserConnect";
    case Cause::UserListen:
      return "UserListen";
    case Cause::UserClose:
      return "UserClose";
    case Cause::UserAbort:
      return "UserAbort";
    case Cause::RcvSyn:
      return "RcvSyn";
    case Cause::RcvSynAck:
      return "RcvSynAck";
    case Cause::RcvAck:
      return "RcvAck";
    case Cause::RcvFin:
      return "RcvFin";
    case Cause::RcvFinAck:
      return "RcvFinAck";
    case Cause::RcvRst:
      return "RcvRst";
    case Cause::SynTimeout:
      return "SynTimeout";
    case Cause::SynAckTimeout:
      return "SynAckTimeout";
    case Cause::DataTimeout:
      return "DataTimeout";
    case Cause::TimeWaitTimeout:
      return "TimeWaitTimeout";
    case Cause::ListenerClosed:
      return "ListenerClosed";
    case Cause::DataAfterClose:
      return "DataAfterClose";
    case Cause::RcvCookieAck:
      return "RcvCookieAck";
    case Cause::HostCrash:
      return "HostCrash";
  }
  return "?";
}

std::string_view to_string(Outcome o) noexcept {
  switch (o) {
    case Outcome::Pending:
      return "pending";
    case Outcome::Established:
      return "established";
    case Outcome::Timeout:
      return "timeout";
    case Outcome::Refused:
      return "refused";
    case Outcome::Reset:
      return "reset";
    case Outcome::Cancelled:
      return "cancelled";
    case Outcome::Crashed:
      return "crashed";
  }
  return "?";
}

std::string_view to_string(TimerKind t) noexcept {
  switch (t) {
    case TimerKind::Retransmission:
      return "retransmission";
    case TimerKind::TimeWait:
      return "time-wait";
  }
  return "?";
}

std::string_view to_string(Notification n) noexcept {
  switch (n) {
    case Notification::Established:
      return "established";
    case Notification::Refused:
      return "refused";
    case Notification::TimedOut:
      return "timed-out";
    case Notification::Reset:
      return "reset";
    case Notification::ReturnedToListen:
      return "returned-to-listen";
    case Notification::DataReceived:
      return "data-received";
    case Notification::DataAcked:
      return "data-acked";
    case Notification::PeerClosed:
      return "peer-closed";
    case Notification::Closed:
      return "closed";
    case Notification::HostCrashed:
      return "host-crashed";
  }
  return "?";
}

}  // namespace synlab::tcp
