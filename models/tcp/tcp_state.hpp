// State: the eleven TCP connection states (RFC 9293 §3.3.2, Figure 5), and the reasons a
// connection moves between them (the labels on Figure 5's arrows).
#pragma once

#include <cstdint>
#include <string_view>

namespace synlab::tcp {

enum class State : std::uint8_t {
  Closed,
  Listen,
  SynSent,
  SynReceived,
  Established,
  FinWait1,
  FinWait2,
  CloseWait,
  Closing,
  LastAck,
  TimeWait,
};
inline constexpr int state_count = 11;

// The RFC's spelling: "SYN-SENT", "FIN-WAIT-1", "TIME-WAIT".
std::string_view to_string(State s) noexcept;

// Why a transition happened: the user call, the segment (by its control bits) or the timer.
enum class Cause : std::uint8_t {
  UserConnect,      // OPEN, active (§3.10.1)
  UserListen,       // OPEN, passive (§3.10.1)
  UserClose,        // CLOSE (§3.10.4)
  UserAbort,        // ABORT (§3.10.5)
  RcvSyn,           // a SYN without ACK
  RcvSynAck,        // a SYN with an acceptable ACK
  RcvAck,           // an ACK of our SYN or FIN (pure or with data)
  RcvFin,           // a FIN
  RcvFinAck,        // a FIN whose ACK also covers our FIN
  RcvRst,           // an acceptable RST
  SynTimeout,       // SYN retries exhausted (§3.8.3 R2)
  SynAckTimeout,    // SYN/ACK retries exhausted
  DataTimeout,      // data or FIN retries exhausted (§3.8.3 R2)
  TimeWaitTimeout,  // 2*MSL elapsed (§3.10.8)
  ListenerClosed,   // the listener that forked this connection closed before accept()
  DataAfterClose,   // new data arrived after a reading application's close() (RFC 1122)
  RcvCookieAck,     // an ACK carrying a valid SYN cookie (Linux cookie_v4_check())
  HostCrash,        // the host crashed and lost its memory of the connection (§3.5.1)
};

std::string_view to_string(Cause c) noexcept;

// How a connection attempt ended, for handshake statistics.
enum class Outcome : std::uint8_t {
  Pending,      // not decided yet
  Established,  // reached ESTABLISHED
  Timeout,      // retries exhausted before ESTABLISHED (ETIMEDOUT), or a request dropped
  Refused,      // a RST answered our SYN (ECONNREFUSED)
  Reset,        // a RST after ESTABLISHED was reached, or a half-open request reset
  Cancelled,    // its user closed or aborted it before the handshake was decided (§3.10.4,
                // §3.10.5 in SYN-SENT)
  Crashed,      // its host crashed before the handshake was decided (§3.5.1)
};

std::string_view to_string(Outcome o) noexcept;

// The RFC 9293 timers a connection owns (§3.8.1, §3.10.8). One scheduled event each in the
// adapter (TcpHost).
enum class TimerKind : std::uint8_t {
  Retransmission,  // SYN, SYN/ACK, data and FIN (RFC 6298)
  TimeWait,        // 2*MSL in TIME-WAIT
};
inline constexpr int timer_kind_count = 2;

std::string_view to_string(TimerKind t) noexcept;

// What the endpoint tells its user (§3.9.1 "TCP-to-user messages"), through Effects::notify.
enum class Notification : std::uint8_t {
  Established,       // the connection is open (connect() returns; accept() may return it)
  Refused,           // connection refused (RST in SYN-SENT)
  TimedOut,          // connection or data timed out; the connection is gone
  Reset,             // connection reset by the peer; the connection is gone
  ReturnedToListen,  // a passive half-open connection was reset back to LISTEN (§3.10.7.4)
  DataReceived,      // new in-order bytes arrived (bytes_received() grew)
  DataAcked,         // every byte sent so far is acknowledged
  PeerClosed,        // the peer's FIN arrived ("connection closing")
  Closed,            // the connection reached CLOSED after a close (TIME-WAIT or LAST-ACK)
  HostCrashed,       // the host crashed: the connection is gone and nothing was sent (§3.5.1)
};

std::string_view to_string(Notification n) noexcept;

}  // namespace synlab::tcp
