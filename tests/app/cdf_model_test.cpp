// The CDF plot's model staircase follows the profile's real schedule (issue 14): its steps are
// RTT + the SYN send times that app/ takes from models/tcp/handshake_schedule (the one schedule
// function) and writes into summary.json, not a second, doubling copy.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "app/handshake_timers.hpp"
#include "app/run_outputs.hpp"
#include "app/scenario_loader.hpp"
#include "viz/cdf_data.hpp"

namespace viz = synlab::viz;

namespace {

// The model's step times minus the RTT, with SYN loss only (pr = 0: every SYN/ACK arrives).
std::vector<double> syn_steps(const char* profile, std::size_t count) {
  const auto timers = synlab::app::preset_timers(profile);
  REQUIRE(timers.has_value());
  const double rtt = 0.05;
  const auto steps = viz::schedule_model_cdf(rtt, *timers, 0.1, 0);
  std::vector<double> times;
  for (std::size_t i = 0; i < steps.size() && i < count; ++i)
    times.push_back(steps[i].time_s - rtt);
  return times;
}

bool near(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) {
           return std::abs(x - y) < 1e-9;
         });
}

}  // namespace

TEST_CASE("CDF model: linux steps at 1, 2, 3, 4, 5, 7 s, not doubling's 1, 3, 7") {
  // docs/linux-reference.md, "The schedules": the initial RTO is 1 s (RFC 6298 (2.1)); with
  // tcp_syn_linear_timeouts = 4 the first 4 timeouts stay 1 s, so SYNs go at 0, 1, 2, 3, 4, then
  // 4 + 1 = 5, then the timeout doubles: 5 + 2 = 7, 7 + 4 = 11. A handshake whose first i SYNs
  // were lost completes at RTT + that send time.
  CHECK(near(syn_steps("linux", 7), {0, 1, 2, 3, 4, 5, 7}));
  // linux-classic (no linear timeouts) doubles from 1 s: 0, 1, 1 + 2 = 3, 3 + 4 = 7.
  CHECK(near(syn_steps("linux-classic", 4), {0, 1, 3, 7}));
  // classic: Ts = 3 s doubling: 0, 3, 3 + 6 = 9, 9 + 12 = 21.
  CHECK(near(syn_steps("classic", 4), {0, 3, 9, 21}));
}

TEST_CASE("CDF model with SYN/ACK loss too: linux still has its steps at 1, 2, 3, 4, 5, 7 s") {
  const auto timers = synlab::app::preset_timers("linux");
  REQUIRE(timers.has_value());
  const auto steps = viz::schedule_model_cdf(0, *timers, 0.1, 0.1);
  for (const double t : {1.0, 2.0, 3.0, 4.0, 5.0, 7.0}) {
    CAPTURE(t);
    CHECK(std::any_of(steps.begin(), steps.end(),
                      [&](const viz::CdfStep& s) { return std::abs(s.time_s - t) < 1e-9; }));
  }
}

TEST_CASE("summary.json's effective loss: the Gilbert-Elliott chain's long-run loss rate") {
  const std::string text =
      "nodes: [client, server]\n"
      "links:\n"
      "  wan:\n"
      "    between: [client, server]\n"
      "    loss: {model: gilbert-elliott, p: 0.05, r: 0.5, loss_good: 0.01, loss_bad: 0.5}\n"
      "  other: {between: [client, server], loss: 0.1}\n";
  const auto doc = synlab::app::parse_scenario_text(text, "t.yaml");
  const auto swept = synlab::app::load_scenario(
      synlab::app::parse_scenario_text(text + "sweep:\n  links.wan.loss.p: [0.05]\n", "t.yaml"));
  const auto point = synlab::app::load_scenario(doc);
  const auto j = synlab::app::effective_loss_json(point, swept.sweep);
  // The bad state's share is p/(p+r) = 0.05/0.55 = 1/11: 1/11 * 0.5 + 10/11 * 0.01 = 0.6/11.
  CHECK(j.at("links.wan.forward").get<double>() == doctest::Approx(0.6 / 11));
  CHECK(j.at("links.wan.reverse").get<double>() == doctest::Approx(0.6 / 11));
  CHECK_FALSE(j.contains("links.other.forward"));  // Bernoulli, and not swept
  // Nothing swept under a link's loss: nothing written (shipped summaries stay as they were).
  CHECK(synlab::app::effective_loss_json(point, point.sweep).empty());
}
