// LinkDirection: serialization + queueing + propagation arithmetic, drop-tail capacity,
// jitter with and without reordering.
#include "sim/link_direction.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "sim/packet_hook.hpp"
#include "sim/random_stream.hpp"
#include "sim/scheduler.hpp"
#include "sim/time.hpp"

using namespace std::chrono_literals;
using synlab::sim::at;
using synlab::sim::DropReason;
using synlab::sim::Duration;
using synlab::sim::Jitter;
using synlab::sim::LinkDirectionConfig;
using synlab::sim::Packet;
using synlab::sim::PacketHook;
using synlab::sim::RandomStream;
using synlab::sim::Scheduler;
using synlab::sim::serialization_delay;
using synlab::sim::Time;

namespace {

struct Tag {
  int n = 0;
  friend bool operator==(const Tag&, const Tag&) = default;
};
using TestPacket = Packet<Tag>;

// Records (tag, arrival time) of every packet that reaches the far end.
struct Receiver {
  Scheduler* scheduler;
  std::vector<std::pair<int, Time>> arrivals;
  void on_packet(const TestPacket& p) { arrivals.emplace_back(p.payload.n, scheduler->now()); }
};

TestPacket packet(int n, std::uint32_t size_bytes) {
  return TestPacket{static_cast<std::uint64_t>(n), size_bytes, {}, {}, Tag{n}};
}

using Line = synlab::sim::LinkDirection<Tag>;

// A direction delivering to `rx` (on its scheduler), its jitter drawn from `random`.
Line line_to(Receiver& rx, const LinkDirectionConfig& config,
             RandomStream random = RandomStream(1, "test")) {
  return Line(*rx.scheduler, config, std::move(random),
              PacketHook<Tag>::bind<&Receiver::on_packet>(rx));
}

}  // namespace

TEST_CASE("serialization delay = wire bits / rate, rounded up to whole ns") {
  // 1000 bytes = 8000 bits; 8000 / 8,000,000 b/s = 1 ms.
  CHECK(serialization_delay(1000, 8'000'000) == 1ms);
  // 1500 bytes = 12,000 bits at 1 Gb/s = 12 us.
  CHECK(serialization_delay(1500, 1'000'000'000) == 12us);
  // 1 byte = 8 bits at 3 b/s = 2.666...67 s: 8e9 / 3 = 2,666,666,666.67 ns -> 2,666,666,667.
  CHECK(serialization_delay(1, 3) == Duration{2'666'666'667});
  // 2^32 - 1 bytes at 1 Gb/s take (2^32 - 1) * 8 ns = 34,359,738,360 ns; the intermediate
  // bits * 1e9 = 3.4e19 exceeds 2^64 = 1.8e19, so this checks the 128-bit arithmetic.
  CHECK(serialization_delay(0xffffffffu, 1'000'000'000) == Duration{34'359'738'360});
  // 0 b/s means an infinitely fast line.
  CHECK(serialization_delay(1500, 0) == 0ns);
}

TEST_CASE("back-to-back packets: serialization, queueing and propagation add up exactly") {
  Scheduler s;
  Receiver rx{&s, {}};
  LinkDirectionConfig config;
  config.delay = 10ms;
  config.rate_bps = 8'000'000;  // 1 byte = 1 us
  Line line = line_to(rx, config);
  // All at t = 0:
  //   #1 1000 B: on the wire 0 -> 1 ms,      arrives 1 + 10      = 11 ms
  //   #2 1000 B: queued, wire 1 -> 2 ms,     arrives 2 + 10      = 12 ms
  //   #3  500 B: queued, wire 2 -> 2.5 ms,   arrives 2.5 + 10    = 12.5 ms
  CHECK_FALSE(line.send(packet(1, 1000)));
  CHECK_FALSE(line.send(packet(2, 1000)));
  CHECK_FALSE(line.send(packet(3, 500)));
  CHECK(line.queued_packets() == 2);  // #2 and #3 wait; #1 is on the wire
  CHECK(line.in_flight() == 3);
  // At t = 5 ms the line has been idle since 2.5 ms:
  //   #4 250 B: wire 5 -> 5.25 ms, arrives 15.25 ms
  s.schedule_at(at(5ms), [&] { CHECK_FALSE(line.send(packet(4, 250))); });
  s.run();
  const std::vector<std::pair<int, Time>> expected{
      {1, at(11ms)}, {2, at(12ms)}, {3, at(12'500us)}, {4, at(15'250us)}};
  CHECK(rx.arrivals == expected);
  CHECK(line.in_flight() == 0);
}

TEST_CASE("drop-tail queue: packets beyond the capacity are dropped with queue-full") {
  Scheduler s;
  Receiver rx{&s, {}};
  LinkDirectionConfig config;
  config.delay = 10ms;
  config.rate_bps = 8'000'000;  // 1000 B take 1 ms
  config.queue_packets = 2;

  SUBCASE("capacity in packets") {
    Line line = line_to(rx, config);
    // At t = 0: #1 goes on the wire, #2 and #3 fill the 2-packet queue, #4 and #5 are dropped.
    std::vector<std::optional<DropReason>> verdicts;
    for (int n = 1; n <= 5; ++n) verdicts.push_back(line.send(packet(n, 1000)));
    CHECK(verdicts == std::vector<std::optional<DropReason>>{std::nullopt, std::nullopt,
                                                             std::nullopt, DropReason::QueueFull,
                                                             DropReason::QueueFull});
    // At t = 1 ms #2 starts serializing, so one place is free again: #6 is accepted and
    // follows #3 (wire 3 -> 4 ms, arrives 14 ms); #7 finds the queue full.
    s.schedule_at(at(1ms), [&] {
      CHECK_FALSE(line.send(packet(6, 1000)));
      CHECK(line.send(packet(7, 1000)) == DropReason::QueueFull);
    });
    s.run();
    const std::vector<std::pair<int, Time>> expected{
        {1, at(11ms)}, {2, at(12ms)}, {3, at(13ms)}, {6, at(14ms)}};
    CHECK(rx.arrivals == expected);
  }

  SUBCASE("capacity in bytes") {
    config.queue_packets.reset();
    config.queue_bytes = 1500;
    Line line = line_to(rx, config);
    CHECK_FALSE(line.send(packet(1, 1000)));                    // on the wire: not counted
    CHECK_FALSE(line.send(packet(2, 1000)));                    // queue 1000 <= 1500
    CHECK(line.send(packet(3, 600)) == DropReason::QueueFull);  // 1000 + 600 = 1600 > 1500
    CHECK_FALSE(line.send(packet(4, 500)));  // 1000 + 500 = 1500 <= 1500: exactly full
    CHECK(line.send(packet(5, 1)) == DropReason::QueueFull);  // 1501 > 1500
    s.run();
    CHECK(rx.arrivals.size() == 3);
  }

  SUBCASE("capacity 0: only the packet on the wire") {
    config.queue_packets = 0;
    Line line = line_to(rx, config);
    CHECK_FALSE(line.send(packet(1, 1000)));
    CHECK(line.send(packet(2, 1000)) == DropReason::QueueFull);
    // Deadline edge: at 1 ms - 1 ns the line is still busy; at 1 ms it is free.
    s.schedule_at(at(1ms - 1ns), [&] { CHECK(line.send(packet(3, 1)) == DropReason::QueueFull); });
    s.schedule_at(at(1ms), [&] { CHECK_FALSE(line.send(packet(4, 1))); });
    s.run();
    CHECK(rx.arrivals.size() == 2);
  }
}

TEST_CASE("jitter never reorders a direction unless reordering is allowed") {
  // 1000 packets 10 us apart, delay 1 ms, uniform jitter in [0, 10 ms]: far wider than the
  // spacing, so unconstrained arrivals would overtake one another many times.
  constexpr int count = 1000;
  constexpr Duration spacing = 10us;
  constexpr Duration delay = 1ms;
  constexpr Duration max_jitter = 10ms;
  for (const bool allow : {false, true}) {
    CAPTURE(allow);
    Scheduler s;
    Receiver rx{&s, {}};
    LinkDirectionConfig config;
    config.delay = delay;
    config.jitter = Jitter::uniform(max_jitter);
    config.allow_reordering = allow;
    Line line = line_to(rx, config, RandomStream(7, "jitter"));
    struct Source {
      Scheduler* s;
      Line* line;
      int n = 0;
      void next() {
        CHECK_FALSE(line->send(packet(++n, 100)));
        if (n < count) s->schedule_in(spacing, [this] { next(); });
      }
    } source{&s, &line};
    s.schedule_at(at(0ns), [&source] { source.next(); });
    s.run();
    REQUIRE(rx.arrivals.size() == count);
    int overtakes = 0;
    for (std::size_t i = 0; i < rx.arrivals.size(); ++i) {
      const auto [n, t] = rx.arrivals[i];
      const Time sent = at(spacing * (n - 1));
      CHECK(t >= sent + delay);  // jitter only adds
      if (allow) CHECK(t <= sent + delay + max_jitter);
      if (i > 0 && n < rx.arrivals[i - 1].first) ++overtakes;
    }
    if (allow)
      CHECK(overtakes > 0);
    else
      CHECK(overtakes == 0);
  }
}

TEST_CASE("destroying a link cancels its pending arrivals") {
  // Both ways of holding the packets in flight: a FIFO, or slots when reordering is allowed.
  for (const bool allow : {false, true}) {
    CAPTURE(allow);
    Scheduler s;
    Receiver rx{&s, {}};
    {
      LinkDirectionConfig config;
      config.allow_reordering = allow;
      Line line = line_to(rx, config);
      CHECK_FALSE(line.send(packet(1, 100)));
      CHECK_FALSE(line.send(packet(2, 100)));
      CHECK(line.in_flight() == 2);
      CHECK(s.counters().pending == 2);
    }
    CHECK(s.counters().pending == 0);
    s.run();
    CHECK(rx.arrivals.empty());
  }
}

TEST_CASE("an arrival's hook may send again on the same direction") {
  // Packet 1 leaves at 0 and arrives at 10 ms; its arrival sends packet 2 on the same direction
  // (arriving at 20 ms). Packet 3, sent at 5 ms, is already in flight behind packet 1.
  Scheduler s;
  LinkDirectionConfig config;
  config.delay = 10ms;
  std::vector<std::pair<int, Time>> arrivals;
  std::optional<Line> line;
  auto hook = [&](const TestPacket& p) {
    arrivals.emplace_back(p.payload.n, s.now());
    if (p.payload.n == 1) CHECK_FALSE(line->send(packet(2, 100)));
  };
  line.emplace(s, config, RandomStream(1, "test"), PacketHook<Tag>::ref(hook));
  CHECK_FALSE(line->send(packet(1, 100)));
  s.schedule_at(at(5ms), [&] { CHECK_FALSE(line->send(packet(3, 100))); });
  s.run();
  const std::vector<std::pair<int, Time>> want = {{1, at(10ms)}, {3, at(15ms)}, {2, at(20ms)}};
  CHECK(arrivals == want);
  CHECK(line->in_flight() == 0);
}
