// HandshakeModel: formulas of Cardwell, Savage and Anderson (INFOCOM 2000) and their variants;
// derivations in docs/handshake-model.md.
#include "viz/handshake_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace synlab::viz {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// sum_{i=0}^{N} (2^i - 1)(1-p) p^i = (1-p)[sum (2p)^i - sum p^i]
//   = (1-p)(1 - (2p)^(N+1))/(1 - 2p) - (1 - p^(N+1)),  with sum (2p)^i = N+1 at p = 1/2.
double doubling_wait_sum(double p, std::size_t retries) {
  const double n1 = static_cast<double>(retries) + 1;
  const double geometric_2p =
      std::abs(1 - 2 * p) < 1e-12 ? n1 : (1 - std::pow(2 * p, n1)) / (1 - 2 * p);
  return (1 - p) * geometric_2p - (1 - std::pow(p, n1));
}

}  // namespace

double cardwell_expected_handshake_s(double rtt_s, double ts_s, double pf, double pr) {
  if (!(pf >= 0 && pf < 0.5 && pr >= 0 && pr < 0.5)) return nan;
  return rtt_s + ts_s * ((1 - pr) / (1 - 2 * pr) + (1 - pf) / (1 - 2 * pf) - 2);
}

double doubling_wait_limited_s(double ts_s, double p, std::size_t retries) {
  if (!(p >= 0 && p < 1)) return nan;
  const double n1 = static_cast<double>(retries) + 1;
  return ts_s * doubling_wait_sum(p, retries) / (1 - std::pow(p, n1));
}

double cardwell_expected_handshake_limited_s(double rtt_s, double ts_s, double pf, double pr,
                                             std::size_t syn_retries, std::size_t synack_retries) {
  return rtt_s + doubling_wait_limited_s(ts_s, pf, syn_retries) +
         doubling_wait_limited_s(ts_s, pr, synack_retries);
}

double handshake_success_probability(double pf, double pr, std::size_t syn_retries,
                                     std::size_t synack_retries) {
  return (1 - std::pow(pf, static_cast<double>(syn_retries) + 1)) *
         (1 - std::pow(pr, static_cast<double>(synack_retries) + 1));
}

std::vector<double> doubling_send_times_s(double ts_s, std::size_t retries) {
  std::vector<double> times;
  double timeout = ts_s;
  double t = 0;
  for (std::size_t i = 0; i <= retries; ++i) {
    times.push_back(t);
    t += timeout;
    timeout *= 2;
  }
  return times;
}

std::vector<HandshakeAtom> handshake_distribution(double rtt_s,
                                                  const std::vector<double>& syn_times_s, double pf,
                                                  const std::vector<double>& synack_times_s,
                                                  double pr, double give_up_s) {
  std::vector<HandshakeAtom> atoms;
  double pf_i = 1;  // pf^i
  for (const double syn_wait : syn_times_s) {
    double pr_j = 1;  // pr^j
    for (const double synack_wait : synack_times_s) {
      const double probability = (1 - pf) * pf_i * (1 - pr) * pr_j;
      const double time_s = rtt_s + syn_wait + synack_wait;
      if (probability > 0 && time_s <= give_up_s) atoms.push_back({time_s, probability});
      pr_j *= pr;
    }
    pf_i *= pf;
  }
  std::sort(atoms.begin(), atoms.end(),
            [](const HandshakeAtom& a, const HandshakeAtom& b) { return a.time_s < b.time_s; });
  std::vector<HandshakeAtom> merged;
  for (const HandshakeAtom& a : atoms) {
    if (!merged.empty() && std::abs(merged.back().time_s - a.time_s) < 1e-9)
      merged.back().probability += a.probability;
    else
      merged.push_back(a);
  }
  return merged;
}

double conditional_mean_s(const std::vector<HandshakeAtom>& atoms) {
  double mass = 0;
  double sum = 0;
  for (const HandshakeAtom& a : atoms) {
    mass += a.probability;
    sum += a.time_s * a.probability;
  }
  return mass > 0 ? sum / mass : nan;
}

}  // namespace synlab::viz
