// apps::RequestResponse (models/apps/request_response.hpp): what a client does with its
// connection after close() (AfterClose), over two nodes joined by a 10 ms wire.
#include <doctest/doctest.h>

#include <chrono>
#include <vector>

#include "models/apps/request_response.hpp"
#include "tests/models/apps/node_pair.hpp"

using namespace synlab;
using namespace std::chrono_literals;

namespace {

// Each record, with the time it was handed over.
struct Records final : apps::ConnectionSink {
  explicit Records(const sim::Scheduler& s) : scheduler(&s) {}
  void on_connection(const apps::ConnectionRecord& r) override {
    records.push_back(r);
    times.push_back(scheduler->now());
  }
  const sim::Scheduler* scheduler;
  std::vector<apps::ConnectionRecord> records;
  std::vector<sim::Time> times;
};

// Three connections from a to b:80, at 0, 1 and 2 s, each closed by its client once established
// (no request, no response), over rfc6298 (no timer slack; TIME-WAIT 2 x MSL = 240 s).
Records three_connections(apps::test::NodePair& p, apps::AfterClose after_close) {
  Records sink(p.scheduler);
  apps::RequestResponse app(p.scheduler, sink, after_close);
  REQUIRE(app.listen(*p.b, 80, 16) == tcp::ListenError::Ok);
  apps::ClientLine line;
  line.client = p.a.get();
  line.server = p.b.get();
  line.server_port = 80;
  line.count = 3;
  line.interval = 1s;
  app.add_client(line);
  p.scheduler.run();
  app.finish();
  return sink;
}

}  // namespace

TEST_CASE(
    "AfterClose::LetGo: the records Hold gives, 240 s sooner, and the client's host frees all") {
  // d = 10 ms. Connection k opens at k s: the client is ESTABLISHED at +20 ms and closes (FIN);
  // the server's child is ESTABLISHED at +30 ms, when the FIN arrives too, and closes; the client
  // enters TIME-WAIT at +40 ms and the child is CLOSED at +50 ms (the last ACK).
  // Hold: the record goes out when the client's end is CLOSED, 2 MSL = 240 s after +40 ms.
  // LetGo: the client lets go at close(), and the record goes out with the server's end, at +50 ms.
  apps::test::NodePair held_pair(tcp::rfc6298_profile());
  apps::test::NodePair let_go_pair(tcp::rfc6298_profile());
  const Records held = three_connections(held_pair, apps::AfterClose::Hold);
  const Records let_go = three_connections(let_go_pair, apps::AfterClose::LetGo);
  REQUIRE(held.records.size() == 3);
  REQUIRE(let_go.records.size() == 3);
  for (std::size_t k = 0; k < 3; ++k) {
    CAPTURE(k);
    const sim::Time open = sim::at(std::chrono::seconds(k));
    const apps::ConnectionRecord& h = held.records[k];
    const apps::ConnectionRecord& g = let_go.records[k];
    CHECK(h.id == k + 1);
    CHECK(h.open_time == open);
    CHECK(h.client_established == open + 20ms);
    CHECK(h.server_established == open + 30ms);
    CHECK(h.syns_sent == 1);
    CHECK(h.synacks_sent == 1);
    CHECK(h.outcome == tcp::Outcome::Established);
    CHECK(g.id == h.id);
    CHECK(g.client_port == h.client_port);
    CHECK(g.open_time == h.open_time);
    CHECK(g.client_established == h.client_established);
    CHECK(g.server_established == h.server_established);
    CHECK(g.syns_sent == h.syns_sent);
    CHECK(g.synacks_sent == h.synacks_sent);
    CHECK(g.outcome == h.outcome);
    CHECK(held.times[k] == open + 40ms + 240s);
    CHECK(let_go.times[k] == open + 50ms);
  }
  // Either way the client's host ends with no connection: the orphans it freed itself.
  CHECK(held_pair.a->tcp().connection_count() == 0);
  CHECK(let_go_pair.a->tcp().connection_count() == 0);
  CHECK(let_go_pair.b->tcp().connection_count() == 1);  // the listener
}
