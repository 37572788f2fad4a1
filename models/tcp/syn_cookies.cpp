// SynCookies: the cookie arithmetic of Linux's net/ipv4/syncookies.c (syn_cookies.hpp).
#include "models/tcp/syn_cookies.hpp"

#include "sim/random_stream.hpp"

namespace synlab::tcp {

namespace {
constexpr std::uint32_t cookie_bits = 24;  // Linux: COOKIEBITS, the counter above them
constexpr std::uint32_t cookie_mask = (1u << cookie_bits) - 1;
constexpr std::uint32_t ts_wscale_mask = 0xf;  // Linux: TS_OPT_WSCALE_MASK (0xf: no scaling)
constexpr std::uint32_t ts_sack = 1u << 4;     // Linux: TS_OPT_SACK
}  // namespace

std::uint32_t SynCookies::mss_index(std::uint16_t mss) noexcept {
  std::uint32_t i = syncookie_msstab.size() - 1;
  while (i > 0 && mss < syncookie_msstab[i]) --i;
  return i;
}

std::uint32_t SynCookies::count(sim::Time now) noexcept {
  return static_cast<std::uint32_t>(sim::to_ns(now) / period.count());
}

std::uint32_t SynCookies::hash(SocketAddress local, SocketAddress remote, std::uint32_t count,
                               std::uint64_t salt) const noexcept {
  std::uint64_t h = sim::mix64(key_ ^ salt);
  h = sim::mix64(h ^ ((std::uint64_t{remote.host} << 16u) | remote.port));
  h = sim::mix64(h ^ ((std::uint64_t{local.host} << 16u) | local.port));
  h = sim::mix64(h ^ count);
  return static_cast<std::uint32_t>(h);
}

SeqNum SynCookies::make(sim::Time now, SocketAddress local, SocketAddress remote, SeqNum peer_isn,
                        std::uint32_t mss_index) const noexcept {
  const std::uint32_t c = count(now);
  // Two hashes with salts of their own (Linux: syncookie_secret[0] and [1]).
  const std::uint32_t outer = hash(local, remote, 0, 0xc0u);
  const std::uint32_t inner = hash(local, remote, c, 0xc1u);
  return SeqNum(outer + peer_isn.value() + (c << cookie_bits) +
                ((inner + mss_index) & cookie_mask));
}

std::optional<std::uint16_t> SynCookies::check(sim::Time now, SocketAddress local,
                                               SocketAddress remote, SeqNum peer_isn,
                                               SeqNum cookie) const noexcept {
  const std::uint32_t c = count(now);
  // Strip the outer hash and the peer's ISN: (count << 24) + (inner + mss_index) mod 2^24.
  const std::uint32_t rest = cookie.value() - (hash(local, remote, 0, 0xc0u) + peer_isn.value());
  // The counter's 8 bits, modulo 2^8 as Linux's `& ((__u32)-1 >> COOKIEBITS)`.
  const std::uint32_t diff = (c - (rest >> cookie_bits)) & (0xffff'ffffu >> cookie_bits);
  if (diff >= max_age) return std::nullopt;
  const std::uint32_t index = (rest - hash(local, remote, c - diff, 0xc1u)) & cookie_mask;
  if (index >= syncookie_msstab.size()) return std::nullopt;
  return syncookie_msstab[index];
}

std::uint32_t SynCookies::encode_tsval(std::uint32_t ts_now, const CookieOptions& o) noexcept {
  std::uint32_t options = o.window_scale ? (*o.window_scale & ts_wscale_mask) : ts_wscale_mask;
  if (o.sack_permitted) options |= ts_sack;
  std::uint32_t ts = ((ts_now >> ts_bits) << ts_bits) | options;
  // Later TSvals come from the plain clock: this one must not be ahead of it. (Both share the
  // bits above the low 6, so the plain comparison is exact.)
  if (ts > ts_now) ts -= 1u << ts_bits;
  return ts;
}

CookieOptions SynCookies::decode_tsecr(std::uint32_t tsecr) noexcept {
  CookieOptions o;
  o.sack_permitted = (tsecr & ts_sack) != 0;
  if ((tsecr & ts_wscale_mask) != ts_wscale_mask)
    o.window_scale = static_cast<std::uint8_t>(tsecr & ts_wscale_mask);
  return o;
}

}  // namespace synlab::tcp
