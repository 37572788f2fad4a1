// RunInfo: what a run's summary.json says about where its files came from: the scenario, the
// seed, the repetitions, each sweep point's parameters and TCP timers (docs/running.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "viz/tcp_timers.hpp"

namespace synlab::viz {

using Parameters = std::map<std::string, std::string>;  // swept path -> value, e.g. tcp.profile

struct RunInfo {
  std::string scenario_name;
  std::string scenario_file;
  std::uint64_t seed = 0;
  std::uint64_t repeat = 1;
  std::vector<Parameters> points;  // index: sweep point
  // Each point's handshake timers (the "tcp" object of a point), when summary.json has them.
  std::vector<std::optional<TcpTimers>> timers;
  // Each point's long-run Gilbert-Elliott loss rates ("effective_loss"), keyed
  // "links.<name>.forward" / ".reverse"; empty when the sweep varies no such link.
  std::vector<std::map<std::string, double>> effective_loss;
  // Each point's per-packet loss probability, the same both ways on its one link
  // ("loss_both_ways"), when the analytic model applies; nullopt otherwise.
  std::vector<std::optional<double>> loss_both_ways;
};

// Checks that parsed summary.json has the shape synlab writes (docs/running.md): each key it
// reads of the type it reads it as, so a hand-edited file is refused, naming the key, instead
// of failing deep inside a reader. Throws VizError "SOURCE: not a synlab summary: KEY: ...".
void check_summary(const nlohmann::json& summary, const std::string& source);
// Parses summary.json text, checked by check_summary(); `source` names it in errors. Throws
// VizError on malformed JSON or a file of another shape.
RunInfo parse_run_info(const std::string& json_text, const std::string& source);
// A JSON library message without its id ("[json.exception.parse_error.101] "): what a user reads.
std::string json_message(std::string_view what);
RunInfo read_run_info(const std::filesystem::path& summary_json);

// "links.wan.loss=0.1, tcp.profile=linux" (keys in order); "" when empty.
std::string describe(const Parameters& parameters);

}  // namespace synlab::viz
