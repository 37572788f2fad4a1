// LossModel: everything that may drop a TCP packet entering one link direction — outages,
// scripted drops and one random model (Bernoulli or Gilbert-Elliott) with its own stream.
// It is the sim::LossPolicy of IpNetwork; by default it drops nothing.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "models/net/bernoulli_loss.hpp"
#include "models/net/gilbert_elliott.hpp"
#include "models/net/ip_payload.hpp"
#include "models/net/outages.hpp"
#include "models/net/scripted_drops.hpp"
#include "models/tcp/segment.hpp"
#include "sim/drop_reason.hpp"
#include "sim/packet.hpp"
#include "sim/random_stream.hpp"
#include "sim/time.hpp"

namespace synlab::net {

struct NoRandomLoss {};
using RandomLoss = std::variant<NoRandomLoss, BernoulliLoss, GilbertElliott>;

class LossModel {
 public:
  LossModel() = default;
  // `random` draws from `stream` only; name it after the link direction, e.g.
  // sim::stream_name(topology, link, direction, "loss").
  LossModel(RandomLoss random, sim::RandomStream stream, ScriptedDrops scripted = {},
            Outages outages = {})
      : random_(std::move(random)),
        stream_(stream),
        scripted_(std::move(scripted)),
        outages_(std::move(outages)) {}

  // The random model decides and the scripted rules count first, for every packet, so the
  // random stream and the rule counts do not depend on what else drops it. Then the reason,
  // by precedence: link-down, scripted, loss.
  std::optional<sim::DropReason> verdict(const sim::Packet<IpPayload>& packet, sim::Time now) {
    const bool lost = std::visit(
        [this](auto& model) {
          if constexpr (std::is_same_v<std::decay_t<decltype(model)>, NoRandomLoss>)
            return false;
          else
            return model.lose(stream_);
        },
        random_);
    // Scripted rules match TCP segments (RFC 9293 §3.1 control bits); other packets pass them.
    const tcp::Segment* segment = packet.payload.tcp();
    const bool scripted = !scripted_.empty() && segment != nullptr && scripted_.drop(*segment, now);
    if (!outages_.empty() && outages_.down_at(now)) return sim::DropReason::LinkDown;
    if (scripted) return sim::DropReason::Scripted;
    if (lost) return sim::DropReason::Loss;
    return std::nullopt;
  }

  const RandomLoss& random() const noexcept { return random_; }

 private:
  RandomLoss random_;
  sim::RandomStream stream_{0, "loss/unused"};
  ScriptedDrops scripted_;
  Outages outages_;
};

}  // namespace synlab::net
