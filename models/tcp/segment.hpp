// Segment: one TCP segment as a value (RFC 9293 §3.1 header fields; STYLE §6).
// Bytes exist only at the edge (the pcap codec); everywhere else a Segment is this struct.
#pragma once

#include <cstdint>
#include <string>

#include "models/tcp/flags.hpp"
#include "models/tcp/options.hpp"
#include "models/tcp/seq_num.hpp"

namespace synlab::tcp {

struct Segment {
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  SeqNum seq;
  SeqNum ack;
  Flags flags;
  std::uint16_t window = 0;  // the 16-bit field as sent (not scaled)
  Options options;
  std::uint32_t payload_bytes = 0;

  friend bool operator==(const Segment&, const Segment&) = default;

  // RFC 9293 §3.3.1 SEG.LEN: payload octets, plus one each for SYN and FIN.
  constexpr std::uint32_t seg_len() const noexcept {
    return payload_bytes + (flags.has(Flag::Syn) ? 1 : 0) + (flags.has(Flag::Fin) ? 1 : 0);
  }

  // TCP header bytes: 20 plus options (RFC 9293 §3.1, Data Offset).
  constexpr std::uint32_t header_bytes() const noexcept { return 20 + options.wire_bytes(); }

  // A tcpdump-like line with absolute numbers:
  // "40000 > 80 [SYN] seq=1000 win=64240 <mss 1460,sackOK,TS val 7 ecr 0,wscale 10> len=0"
  std::string to_string() const;
};

}  // namespace synlab::tcp
