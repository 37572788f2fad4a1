// LinkDirection<Payload, Loss>: one direction of a link — loss verdict, drop-tail queue,
// serialization at the line rate, propagation delay plus jitter — then hand-off to a hook.
// One scheduled event per accepted packet (its arrival); the queue is bookkeeping only. Unless
// the link may reorder, packets arrive in the order they were sent, so those in flight wait in a
// FIFO, their arrivals are an EventStream, and each arrival takes the front packet.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "sim/assert.hpp"
#include "sim/drop_reason.hpp"
#include "sim/event_id.hpp"
#include "sim/event_stream.hpp"
#include "sim/link_direction_config.hpp"
#include "sim/loss_policy.hpp"
#include "sim/packet.hpp"
#include "sim/packet_hook.hpp"
#include "sim/random_stream.hpp"
#include "sim/ring_buffer.hpp"
#include "sim/scheduler.hpp"
#include "sim/slot_pool.hpp"
#include "sim/time.hpp"

namespace synlab::sim {

// Time to clock `size_bytes` onto a line of `rate_bps` bits/s, rounded up to whole ns
// (the last bit is not sent before then). 0 when rate_bps == 0 (an infinitely fast line).
constexpr Duration serialization_delay(std::uint32_t size_bytes, std::uint64_t rate_bps) noexcept {
  if (rate_bps == 0) return Duration{0};
  __extension__ using Wide = unsigned __int128;  // bits * 1e9 overflows 64 bits above ~2 GB
  const Wide bit_ns = Wide{size_bytes} * 8u * 1'000'000'000u;
  return Duration{static_cast<std::int64_t>((bit_ns + rate_bps - 1) / rate_bps)};
}

template <class Payload, class Loss = NoLoss>
requires LossPolicy<Loss, Payload>
class LinkDirection {
 public:
  // `on_arrival` runs from the event loop when a packet reaches the far end; it must outlive
  // this object. `jitter_random` is this direction's own stream.
  LinkDirection(Scheduler& scheduler, const LinkDirectionConfig& config, RandomStream jitter_random,
                PacketHook<Payload> on_arrival)
      : scheduler_(&scheduler),
        config_(config),
        jitter_random_(jitter_random),
        on_arrival_(on_arrival),
        plain_(config.rate_bps == 0 && config.jitter.kind == Jitter::Kind::None &&
               !config.allow_reordering),
        arrivals_(EventStream::bind<&LinkDirection::arrive_in_order>(scheduler, *this)) {}

  // Scheduled arrivals capture `this`: neither copied nor moved.
  LinkDirection(const LinkDirection&) = delete;
  LinkDirection& operator=(const LinkDirection&) = delete;
  // Cancels the arrivals still pending, so no event outlives the link (arrivals_ closes its
  // stream).
  ~LinkDirection() {
    reordered_.for_each([this](InFlight& f) { scheduler_->cancel(f.arrival); });
  }

  // Offers `packet` to this direction at now(). Returns the reason if it is dropped here
  // (loss policy first, then the drop-tail queue); otherwise its arrival is scheduled.
  [[nodiscard]] std::optional<DropReason> send(const Packet<Payload>& packet) {
    const Time now = scheduler_->now();
    if (const std::optional<DropReason> drop = loss_.verdict(packet, now)) return drop;

    if (plain_) return send_plain(packet, now);

    forget_started(now);
    if (busy_until_ > now) {  // the line is busy: the packet must wait in the queue
      if (config_.queue_packets && waiting_.size() >= *config_.queue_packets)
        return DropReason::QueueFull;
      if (config_.queue_bytes && waiting_bytes_ + packet.size_bytes > *config_.queue_bytes)
        return DropReason::QueueFull;
    }

    const Time start = std::max(now, busy_until_);
    busy_until_ = saturating_add(start, serialization_delay(packet.size_bytes, config_.rate_bps));
    if (start > now) {
      waiting_.push_back(Waiting{start, packet.size_bytes});
      waiting_bytes_ += packet.size_bytes;
    }

    // Saturating: a long queue on a slow line, or years of delay, ends at time_last.
    Time arrival = saturating_add(saturating_add(busy_until_, config_.delay),
                                  config_.jitter.sample(jitter_random_));
    if (!config_.allow_reordering) arrival = std::max(arrival, last_arrival_);
    last_arrival_ = std::max(last_arrival_, arrival);

    if (config_.allow_reordering) {
      const std::uint32_t slot = reordered_.put(InFlight{packet, EventId{}, arrival});
      reordered_[slot].arrival =
          scheduler_->schedule_at(arrival, [this, slot] { arrive_reordered(slot); });
    } else {
      // Arrival times never decrease here, and events at the same time run in the order they
      // were scheduled: the arrivals run in send order, each for the FIFO's front packet.
      arrivals_.schedule_at(arrival);
      in_order_.emplace_back(packet, arrival);
    }
    return std::nullopt;
  }

  Loss& loss() noexcept { return loss_; }
  const LinkDirectionConfig& config() const noexcept { return config_; }

  // Packets waiting behind the one being serialized, at now().
  std::size_t queued_packets() {
    forget_started(scheduler_->now());
    return waiting_.size();
  }
  // Packets accepted and not yet arrived (queued, on the wire or propagating).
  std::size_t in_flight() const noexcept { return in_order_.size() + reordered_.size(); }

 private:
  struct Waiting {
    Time start;  // when its serialization begins
    std::uint32_t size_bytes;
  };
  struct Arriving {  // in order
    Packet<Payload> packet;
    Time at;  // when it arrives
  };
  struct InFlight {  // reordered
    Packet<Payload> packet;
    EventId arrival;
    Time at;  // when it arrives
  };

  // send() on an infinitely fast line without jitter, in order: what the general path computes
  // then (no queue ever forms, busy_until_ is the last send's time), without its tests. Apart,
  // so that the general path's code stays as it was (inlined here, it made kernel_bench's links,
  // which have a rate, 1.5% dearer).
  [[gnu::noinline]] std::optional<DropReason> send_plain(const Packet<Payload>& packet, Time now) {
    busy_until_ = now;
    const Time arrival = std::max(saturating_add(now, config_.delay), last_arrival_);
    last_arrival_ = arrival;
    arrivals_.schedule_at(arrival);
    in_order_.emplace_back(packet, arrival);
    return std::nullopt;
  }

  // Packets whose serialization has begun by `now` have left the queue.
  void forget_started(Time now) noexcept {
    while (!waiting_.empty() && waiting_.front().start <= now) {
      waiting_bytes_ -= waiting_.front().size_bytes;
      waiting_.pop_front();
    }
  }

  // Each is taken out first: the hook may send on this very direction.
  void arrive_in_order() {
    SYNLAB_ASSERT(in_order_.front().at == scheduler_->now(),
                  "LinkDirection: an arrival ran for a packet that is not the FIFO's front");
    const Packet<Payload> packet = in_order_.front().packet;
    in_order_.pop_front();
    on_arrival_(packet);
  }
  void arrive_reordered(std::uint32_t slot) {
    const Packet<Payload> packet = reordered_.take(slot).packet;
    on_arrival_(packet);
  }

  Scheduler* scheduler_;
  LinkDirectionConfig config_;
  RandomStream jitter_random_;
  PacketHook<Payload> on_arrival_;
  Loss loss_{};
  // rate 0, no jitter, no reordering: each packet arrives `delay` after it is sent, or with the
  // one before it (the link's own delay cannot change; see send()).
  bool plain_;

  Time busy_until_ = time_zero;    // when the line finishes the last accepted packet
  Time last_arrival_ = time_zero;  // latest arrival scheduled so far
  RingBuffer<Waiting> waiting_;
  std::uint64_t waiting_bytes_ = 0;
  // Packets accepted and not yet arrived: in send order, or (allow_reordering) by slot.
  RingBuffer<Arriving> in_order_;
  SlotPool<InFlight> reordered_;
  EventStream arrivals_;  // of in_order_, one event each
};

}  // namespace synlab::sim
