// SocketOptions: what one socket sets before connect() or listen(), as Linux's setsockopt() does
// (TCP_USER_TIMEOUT, TCP_SYNCNT), plus whether its application reads what arrives. RFC 9293
// §3.10.1 (OPEN's timeout parameter), §3.10.8 (USER TIMEOUT); RFC 1122 §4.2.2.13.
#pragma once

#include <cstdint>
#include <optional>

#include "sim/time.hpp"

namespace synlab::tcp {

struct SocketOptions {
  // TCP_USER_TIMEOUT (RFC 9293 §3.10.1 "timeout", §3.10.8 USER TIMEOUT; RFC 5482): how long a
  // SYN may stay unacknowledged before the connection gives up (ETIMEDOUT). How it ends the
  // handshake is the profile's `user_timeout_rule`. nullopt: none (Linux: 0). A listener's value
  // passes to its children (Linux: sk_clone_lock() copies icsk_user_timeout).
  std::optional<sim::Duration> user_timeout;
  // TCP_SYNCNT: SYN retransmissions before connect() gives up, instead of the profile's
  // `syn_retries`; on a listener, its SYN/ACK retransmissions instead of `synack_retries`
  // (Linux: reqsk_timer_handler() reads the listener's icsk_syn_retries).
  std::optional<std::uint32_t> syn_retries;
  // The application consumes received octets with read(). Only then does close() with unread
  // octets reset the connection (RFC 1122 §4.2.2.13; Linux tcp_close(), "data_was_unread"): an
  // application that never reads (the scenario apps) closes with a FIN as before.
  bool app_reads = false;
  // TCP_MAXSEG set before connect() or listen() (Linux: rx_opt.user_mss, 88 to 32767): caps the
  // MSS this end advertises and the one it sends with (tcp_advertise_mss(), tcp_mss_clamp());
  // the window is rounded to it. A listener's value passes to its children.
  std::optional<std::uint16_t> max_segment;
};

}  // namespace synlab::tcp
