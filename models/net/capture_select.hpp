// CaptureSelect: which packet records one pcap file takes — where (a link or a node) and at
// which point ("as sent": entering a link; "as received": leaving it). See docs/pcap.md.
#pragma once

#include <cstdint>

#include "models/net/packet_record.hpp"
#include "sim/link_id.hpp"
#include "sim/node_id.hpp"
#include "sim/packet_event.hpp"

namespace synlab::net {

struct CaptureSelect {
  enum class Scope : std::uint8_t { Link, Node };
  Scope scope = Scope::Link;
  std::uint32_t id = 0;   // a LinkId or NodeId value, by scope
  bool sent = true;       // `send` records: the packet entering a link, dropped or not
  bool received = false;  // `recv` records: the packet arriving at the link's far node

  // Both directions of `link`, each packet as it enters the link (its `send` record), at
  // the time it is sent. A packet the link loses is here: this is the sender's side.
  static constexpr CaptureSelect link_as_sent(sim::LinkId link) noexcept {
    return {Scope::Link, link.value, true, false};
  }
  // Both directions of `link`, each packet that came out of it, at its arrival time. A packet
  // the link lost is absent.
  static constexpr CaptureSelect link_as_received(sim::LinkId link) noexcept {
    return {Scope::Link, link.value, false, true};
  }
  // What tcpdump on `node` shows: what it sends, at the send time, and what arrives at it, at
  // the arrival time. A router's capture has each forwarded packet twice, in and out.
  static constexpr CaptureSelect node_traffic(sim::NodeId node) noexcept {
    return {Scope::Node, node.value, true, true};
  }

  // Drop records are never taken: a dropped packet appears once, through its `send` record
  // (a no-route drop, which has no `send`, never reaches a wire and is in no capture).
  constexpr bool selects(const PacketRecord& r) const noexcept {
    const bool point = (r.event == sim::PacketEventKind::Send && sent) ||
                       (r.event == sim::PacketEventKind::Recv && received);
    if (!point) return false;
    switch (scope) {
      case Scope::Link:
        return r.link.valid() && r.link.value == id;
      case Scope::Node:
        return r.node.value == id;
    }
    return false;
  }

  friend constexpr bool operator==(const CaptureSelect&, const CaptureSelect&) = default;
};

}  // namespace synlab::net
