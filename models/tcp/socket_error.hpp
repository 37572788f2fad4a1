// SocketError: a connection's pending error as the socket layer reports it (SO_ERROR, or the
// failing call's errno): what RFC 9293 §3.9.1 calls the "error: connection refused / reset /
// aborted due to user timeout" signals, named by their POSIX errno.
#pragma once

#include <cstdint>
#include <string_view>

namespace synlab::tcp {

enum class SocketError : std::uint8_t {
  None,
  ConnectionRefused,  // ECONNREFUSED: a RST answered our SYN (§3.10.7.3, §3.10.7.4 second)
  ConnectionReset,    // ECONNRESET: a RST in a synchronized state (§3.10.7.4 second)
  TimedOut,           // ETIMEDOUT: SYN or data retries, or the user timeout, ran out (§3.8.3)
  BrokenPipe,         // EPIPE: a RST in CLOSE-WAIT (Linux: tcp_reset())
};

// The errno's name: "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE"; "" for None.
constexpr std::string_view errno_name(SocketError e) noexcept {
  switch (e) {
    case SocketError::None:
      return "";
    case SocketError::ConnectionRefused:
      return "ECONNREFUSED";
    case SocketError::ConnectionReset:
      return "ECONNRESET";
    case SocketError::TimedOut:
      return "ETIMEDOUT";
    case SocketError::BrokenPipe:
      return "EPIPE";
  }
  return "";
}

}  // namespace synlab::tcp
