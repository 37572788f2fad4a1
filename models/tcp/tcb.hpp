// Tcb: the Transmission Control Block's variables (RFC 9293 §3.3.1) plus the options negotiated
// in the handshake (RFC 9293 §3.7.1 MSS, RFC 7323 window scale and timestamps, RFC 2018 SACK).
#pragma once

#include <cstdint>

#include "models/tcp/seq_num.hpp"
#include "models/tcp/socket_address.hpp"

namespace synlab::tcp {

struct Tcb {
  SocketAddress local;
  SocketAddress remote;

  // Send sequence variables (§3.3.1, Figure 3).
  SeqNum snd_una;
  SeqNum snd_nxt;
  std::uint32_t snd_wnd = 0;  // bytes, already scaled
  SeqNum snd_wl1;
  SeqNum snd_wl2;
  SeqNum iss;

  // Receive sequence variables (§3.3.1, Figure 4).
  SeqNum rcv_nxt;
  std::uint32_t rcv_wnd = 0;  // bytes
  SeqNum irs;

  // Negotiated in the handshake: an option is in effect only if both SYNs carried it.
  std::uint16_t snd_mss = 536;  // RFC 9293 §3.7.1 (MUST-15): 536 without an MSS option
  std::uint8_t snd_wscale = 0;  // shift applied to windows we receive (RFC 7323 §2.3)
  std::uint8_t rcv_wscale = 0;  // shift applied to windows we send
  bool wscale_ok = false;
  bool sack_ok = false;
  bool ts_ok = false;
  std::uint32_t ts_recent = 0;  // RFC 7323 §4.3: TS.Recent, echoed in TSecr
  std::uint32_t ts_offset = 0;  // our TSval = ts_offset + ticks since time zero
};

}  // namespace synlab::tcp
