// HandshakeModel: Cardwell, Savage and Anderson (INFOCOM 2000) and its variants at points
// worked out by hand (docs/handshake-model.md).
#include "viz/handshake_model.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "viz/model_curve.hpp"

namespace viz = synlab::viz;

TEST_CASE("Cardwell et al. E[T] at hand-computed points") {
  // RTT 0.1, Ts 3, pf = pr = 0.3: (1-0.3)/(1-0.6) = 1.75 each; 1.75 + 1.75 - 2 = 1.5;
  // 0.1 + 3 * 1.5 = 4.6 s (the number in scenarios/timing-under-loss.yaml).
  CHECK(viz::cardwell_expected_handshake_s(0.1, 3, 0.3, 0.3) == doctest::Approx(4.6));
  // RTT 0.2, Ts 1, pf 0.1, pr 0.2: 0.9/0.8 = 1.125, 0.8/0.6 = 1.33333; sum - 2 = 0.458333.
  CHECK(viz::cardwell_expected_handshake_s(0.2, 1, 0.1, 0.2) == doctest::Approx(0.658333));
  // No loss: one RTT.
  CHECK(viz::cardwell_expected_handshake_s(0.05, 1, 0, 0) == doctest::Approx(0.05));
  // The mean diverges at p = 0.5.
  CHECK(std::isnan(viz::cardwell_expected_handshake_s(0.1, 1, 0.5, 0)));
  CHECK(std::isnan(viz::cardwell_expected_handshake_s(0.1, 1, 0, -0.1)));
}

TEST_CASE("finite retry limit: conditional mean wait and success probability") {
  // Ts 1, p 0.5, one retry: only i = 1 waits, 1 s with probability 0.5 * 0.5 = 0.25; the side
  // succeeds with 1 - 0.25 = 0.75; conditional mean 0.25 / 0.75 = 1/3 s.
  CHECK(viz::doubling_wait_limited_s(1, 0.5, 1) == doctest::Approx(1.0 / 3));
  // Ts 3, p 0.3, two retries: i=1: 1 * 0.7 * 0.3 = 0.21; i=2: 3 * 0.7 * 0.09 = 0.189;
  // 0.399 / (1 - 0.027) = 0.410072 Ts = 1.230216 s.
  CHECK(viz::doubling_wait_limited_s(3, 0.3, 2) == doctest::Approx(1.230216));
  // Many retries: the unlimited term (1-p)/(1-2p) - 1 = 0.7/0.4 - 1 = 0.75 Ts.
  CHECK(viz::doubling_wait_limited_s(1, 0.3, 60) == doctest::Approx(0.75));
  // Both sides: 0.1 + 1.230216 + 1.230216.
  CHECK(viz::cardwell_expected_handshake_limited_s(0.1, 3, 0.3, 0.3, 2, 2) ==
        doctest::Approx(2.560432));
  // Success: (1 - 0.5^2)(1 - 0.2^3) = 0.75 * 0.992 = 0.744.
  CHECK(viz::handshake_success_probability(0.5, 0.2, 1, 2) == doctest::Approx(0.744));
}

TEST_CASE("the distribution: values RTT + Ts(2^i - 1) + Ts(2^j - 1)") {
  CHECK(viz::doubling_send_times_s(1, 4) == std::vector<double>{0, 1, 3, 7, 15});
  // RTT 0.1, Ts 1, one retry each side, pf 0.2, pr 0.5:
  //   (0,0) 0.1 s: 0.8 * 0.5 = 0.4; (0,1) 1.1 s: 0.8 * 0.5 * 0.5 = 0.2;
  //   (1,0) 1.1 s: 0.2 * 0.8 * 0.5 = 0.08; (1,1) 2.1 s: 0.2 * 0.8 * 0.5 * 0.5 = 0.04.
  const auto times = viz::doubling_send_times_s(1, 1);
  const auto atoms = viz::handshake_distribution(0.1, times, 0.2, times, 0.5);
  REQUIRE(atoms.size() == 3);
  CHECK(atoms[0].time_s == doctest::Approx(0.1));
  CHECK(atoms[0].probability == doctest::Approx(0.4));
  CHECK(atoms[1].time_s == doctest::Approx(1.1));
  CHECK(atoms[1].probability == doctest::Approx(0.28));
  CHECK(atoms[2].time_s == doctest::Approx(2.1));
  CHECK(atoms[2].probability == doctest::Approx(0.04));
  // Mass 0.72 = (1 - 0.2^2)(1 - 0.5^2); mean (0.04 + 0.308 + 0.084) / 0.72 = 0.6, the same as
  // the finite-retry formula: 0.1 + 0.16/0.96 + 0.25/0.75.
  CHECK(viz::conditional_mean_s(atoms) == doctest::Approx(0.6));
  CHECK(viz::cardwell_expected_handshake_limited_s(0.1, 1, 0.2, 0.5, 1, 1) == doctest::Approx(0.6));
}

TEST_CASE("a schedule with linear timeouts: Linux 6.18 SYNs at 0, 1, 2, 3, 4, 5, 7, ...") {
  // docs/linux-reference.md, "The schedules". RTT 0.1, p = 0.1 on SYNs, no SYN/ACK loss:
  // E[wait] = 0.9 (0.1*1 + 0.01*2 + 0.001*3 + 0.0001*4 + 1e-5*5 + 1e-6*7 + 1e-7*11 + ...)
  //         = 0.9 * 0.123458 = 0.111112; doubling would give 0.9/0.8 - 1 = 0.125.
  const std::vector<double> linux_syn{0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67};
  const auto atoms = viz::handshake_distribution(0.1, linux_syn, 0.1, {0}, 0);
  CHECK(viz::conditional_mean_s(atoms) == doctest::Approx(0.1 + 0.111112).epsilon(1e-5));
  // The timing overlay samples the same functions: p = 0, 0.1, 0.2 at max_loss 0.2, 2 steps.
  viz::TcpTimers t{"linux", 1, linux_syn, {0, 1, 3, 7, 15, 31}, std::nullopt};
  const auto curve = viz::schedule_curve(0.1, t, 0.2, 2);
  REQUIRE(curve.size() == 3);
  CHECK(curve[0].time_s == doctest::Approx(0.1));
  const auto classic = viz::cardwell_curve(0.1, 3, 0.6, 6);  // p = 0.5, 0.6 dropped
  REQUIRE(classic.size() == 5);
  CHECK(classic[3].loss == doctest::Approx(0.3));
  CHECK(classic[3].time_s == doctest::Approx(4.6));
}

TEST_CASE("a handshake that would end after the client gave up is a failure, not an atom") {
  // Lab 6: syn_retries 1, SYNs at 0 and 1 s, connect() times out at 3 s. RTT 0.1, pf = pr = 0.5,
  // SYN/ACKs at 0, 1, 3, 7 s. Atoms RTT + s_i + a_j <= 3: 0.1 (0.25), 1.1 (0.125 + 0.125),
  // 2.1 (0.0625); 3.1, 4.1, 7.1 and 8.1 s come after the client gave up. The success
  // probability is 0.5625 and the mean of success (0.025 + 0.275 + 0.13125) / 0.5625 = 0.7667.
  const auto atoms = viz::handshake_distribution(0.1, {0, 1}, 0.5, {0, 1, 3, 7}, 0.5, 3.0);
  REQUIRE(atoms.size() == 3);
  CHECK(atoms[2].time_s == doctest::Approx(2.1));
  double mass = 0;
  for (const auto& a : atoms) mass += a.probability;
  CHECK(mass == doctest::Approx(0.5625));
  CHECK(viz::conditional_mean_s(atoms) == doctest::Approx(0.431250 / 0.5625));
  // Without the give-up: 7 atoms (1.1 s comes twice, merged), the last at 8.1 s.
  CHECK(viz::handshake_distribution(0.1, {0, 1}, 0.5, {0, 1, 3, 7}, 0.5).size() == 7);
}
