// LossPolicy: what a link direction asks, for each packet entering it, whether to drop it
// before it is queued (netem decides loss in netem_enqueue() the same way). Models supply
// the real ones (models/net/loss_model.hpp); NoLoss drops nothing.
#pragma once

#include <concepts>
#include <optional>

#include "sim/drop_reason.hpp"
#include "sim/packet.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

template <class L, class Payload>
concept LossPolicy = std::default_initializable<L> && std::movable<L> &&
    requires(L& loss, const Packet<Payload>& packet, Time now) {
  { loss.verdict(packet, now) } -> std::same_as<std::optional<DropReason>>;
};

struct NoLoss {
  template <class Payload>
  std::optional<DropReason> verdict(const Packet<Payload>&, Time) noexcept {
    return std::nullopt;
  }
};

}  // namespace synlab::sim
