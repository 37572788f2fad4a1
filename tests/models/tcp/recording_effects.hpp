// RecordingEffects: a test double for tcp::Effects that keeps every effect in order, so endpoint
// tables run without a kernel (STYLE §10 "Endpoint tables, with no kernel").
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "models/tcp/effects.hpp"

namespace synlab::tcp::test {

class RecordingEffects final : public Effects {
 public:
  struct Sent {
    Segment segment;
    HostAddress to;
  };
  void send(const Segment& segment, HostAddress to) override { sent.push_back({segment, to}); }
  void arm_timer(TimerKind t, sim::Time deadline) override {
    timers[static_cast<std::size_t>(t)] = deadline;
  }
  void cancel_timer(TimerKind t) override { timers[static_cast<std::size_t>(t)].reset(); }
  void notify(Notification n) override { notes.push_back(n); }

  void clear() {
    sent.clear();
    notes.clear();
  }

  std::vector<Sent> sent;
  std::vector<Notification> notes;
  std::array<std::optional<sim::Time>, timer_kind_count> timers{};
};

}  // namespace synlab::tcp::test
