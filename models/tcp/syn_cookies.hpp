// SynCookies: Linux's SYN cookies (RFC 4987 §3.6): a listener whose SYN queue is full answers a
// SYN with a SYN,ACK whose ISS encodes the connection (MSS, time) and keeps nothing; the ACK
// that returns ISS+1 rebuilds the connection. With timestamps, TSval carries the SYN's options.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "models/tcp/seq_num.hpp"
#include "models/tcp/socket_address.hpp"
#include "sim/time.hpp"

namespace synlab::tcp {

// Linux: msstab[] of net/ipv4/syncookies.c: the MSS values a cookie can carry (two bits).
inline constexpr std::array<std::uint16_t, 4> syncookie_msstab = {536, 1300, 1440, 1460};

// The peer's SYN options a cookie SYN,ACK stored in its TSval (Linux cookie_init_timestamp()).
struct CookieOptions {
  std::optional<std::uint8_t> window_scale;  // the peer's shift; nullopt: its SYN had none
  bool sack_permitted = false;
};

class SynCookies {
 public:
  // Linux: MAX_SYNCOOKIE_AGE: a cookie is good while the minute counter moved by less than 2.
  static constexpr std::uint32_t max_age = 2;
  // Linux: TCP_SYNCOOKIE_PERIOD (60 * HZ): the counter ticks once a minute.
  static constexpr sim::Duration period = std::chrono::seconds(60);
  // Linux: TSBITS: the low 6 bits of the cookie SYN,ACK's TSval carry options.
  static constexpr std::uint32_t ts_bits = 6;

  // `secret_key` comes from the host's RandomStream (as IsnGenerator's).
  explicit SynCookies(std::uint64_t secret_key) noexcept : key_(secret_key) {}

  // The index in syncookie_msstab of the largest value not above `mss` (0 below 536).
  // Linux: __cookie_v4_init_sequence().
  static std::uint32_t mss_index(std::uint16_t mss) noexcept;

  // Linux: tcp_cookie_time(): minutes since time zero.
  static std::uint32_t count(sim::Time now) noexcept;

  // The cookie for a SYN with sequence number `peer_isn` from `remote` to `local`
  // (Linux secure_tcp_syn_cookie()):
  //   H(tuple, 0) + peer_isn + (count << 24) + ((H(tuple, count) + mss_index) mod 2^24).
  // Deviation: H is a keyed SplitMix64 mix (sim::mix64), not SipHash; a simulator needs no
  // cryptographic strength.
  SeqNum make(sim::Time now, SocketAddress local, SocketAddress remote, SeqNum peer_isn,
              std::uint32_t mss_index) const noexcept;

  // The MSS a returned cookie carries, or nullopt if it is not one of ours, is 2 minutes old or
  // older, or decodes to no table index (Linux check_tcp_syn_cookie(), __cookie_v4_check():
  // `cookie` is SEG.ACK - 1, `peer_isn` SEG.SEQ - 1).
  std::optional<std::uint16_t> check(sim::Time now, SocketAddress local, SocketAddress remote,
                                     SeqNum peer_isn, SeqNum cookie) const noexcept;

  // The TSval clock value (before the connection's offset) of a cookie SYN,ACK at `ts_now`:
  // `ts_now` with its low 6 bits replaced by the options (bits 0-3 the peer's window scale, 0xf
  // if none; bit 4 SACK; bit 5 ECN, never set here), stepped back 64 ticks if that is later
  // than `ts_now` (Linux cookie_init_timestamp()).
  static std::uint32_t encode_tsval(std::uint32_t ts_now, const CookieOptions& o) noexcept;
  // The options of an echoed TSval (TSecr less the connection's offset); Linux
  // cookie_timestamp_decode().
  static CookieOptions decode_tsecr(std::uint32_t tsecr) noexcept;

 private:
  std::uint32_t hash(SocketAddress local, SocketAddress remote, std::uint32_t count,
                     std::uint64_t salt) const noexcept;
  std::uint64_t key_;
};

}  // namespace synlab::tcp
