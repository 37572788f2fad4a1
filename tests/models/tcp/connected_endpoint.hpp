// Connected: one TcpEndpoint driven to ESTABLISHED by an active open, with no host (STYLE §10
// "Endpoint tables, with no kernel"): our ISS 1000 from host 1 port 40000, the peer's 5000
// from host 2 port 80. The peer's segments come through in(); what the endpoint does is in fx.
#pragma once

#include <cstdint>
#include <optional>

#include <doctest/doctest.h>

#include "models/tcp/tcp_endpoint.hpp"
#include "tests/models/tcp/recording_effects.hpp"

namespace synlab::tcp::test {

inline constexpr SocketAddress kLocal{1, 40000};
inline constexpr SocketAddress kRemote{2, 80};

struct Connected {
  // `peer_tsval`: the peer's segments carry timestamps with this TSval (and TSecr 0), its SYN,ACK
  // included, so that timestamps are on if the profile has them; none by default.
  explicit Connected(const Profile& p, SocketOptions o = {},
                     std::optional<std::uint32_t> peer_tsval = std::nullopt)
      : tsval(peer_tsval),
        ctx{&p, nullptr, IsnSource{nullptr, 1000}, NodeName("a")},
        ep(ctx, fx, 1, TcpEndpoint::Start::Closed, {}, o) {
    REQUIRE(ep.connect(now, kLocal, kRemote) == UserError::Ok);
    in(Flag::Syn | Flag::Ack, 5000, 1001);
    REQUIRE(ep.state() == State::Established);
    fx.clear();
  }
  // A segment from the peer (port 80 -> 40000).
  void in(Flags flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len = 0) {
    Segment s;
    s.src_port = kRemote.port;
    s.dst_port = kLocal.port;
    s.flags = flags;
    s.seq = SeqNum(seq);
    s.ack = SeqNum(ack);
    s.window = 65535;
    s.payload_bytes = len;
    if (tsval) s.options.timestamps = Timestamps{*tsval, 0};
    ep.on_segment(now, s, kRemote.host);
  }
  sim::Time now = sim::at(std::chrono::seconds(0));
  std::optional<std::uint32_t> tsval;
  RecordingEffects fx;
  EndpointContext ctx;
  TcpEndpoint ep;
};

}  // namespace synlab::tcp::test
