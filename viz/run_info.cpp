// RunInfo: reading summary.json with nlohmann-json (run_info.hpp).
#include "viz/run_info.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "viz/viz_error.hpp"

namespace synlab::viz {

std::string json_message(std::string_view what) {
  if (what.starts_with("[json.exception.")) {
    const std::size_t end = what.find("] ");
    if (end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  return std::string(what);
}

RunInfo parse_run_info(const std::string& json_text, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    throw VizError(source + ": not valid JSON: " + json_message(e.what()));
  }
  RunInfo info;
  try {
    const auto& scenario = j.at("scenario");
    info.scenario_name = scenario.value("name", "");
    info.scenario_file = scenario.value("file", "");
    info.seed = j.value("seed", std::uint64_t{0});
    info.repeat = j.value("repeat", std::uint64_t{1});
    for (const auto& point : j.at("points")) {
      Parameters p;
      for (const auto& [key, value] : point.at("parameters").items())
        p[key] = value.is_string() ? value.get<std::string>() : value.dump();
      info.points.push_back(std::move(p));
      std::optional<TcpTimers> timers;
      if (point.contains("tcp")) {
        const auto& tcp = point.at("tcp");
        timers = TcpTimers{tcp.at("profile").get<std::string>(),
                           tcp.at("initial_timeout_s").get<double>(),
                           tcp.at("syn_send_times_s").get<std::vector<double>>(),
                           tcp.at("synack_send_times_s").get<std::vector<double>>()};
      }
      info.timers.push_back(std::move(timers));
      std::map<std::string, double> loss;
      if (point.contains("effective_loss"))
        for (const auto& [key, value] : point.at("effective_loss").items())
          loss[key] = value.get<double>();
      info.effective_loss.push_back(std::move(loss));
      info.loss_both_ways.push_back(point.contains("loss_both_ways")
                                        ? std::optional(point.at("loss_both_ways").get<double>())
                                        : std::nullopt);
    }
  } catch (const nlohmann::json::exception& e) {
    throw VizError(source + ": not a synlab summary: " + json_message(e.what()));
  }
  return info;
}

RunInfo read_run_info(const std::filesystem::path& summary_json) {
  std::ifstream in(summary_json);
  if (!in) throw VizError(summary_json.string() + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_run_info(text.str(), summary_json.string());
}

std::string describe(const Parameters& parameters) {
  std::string text;
  for (const auto& [key, value] : parameters) {
    if (!text.empty()) text += ", ";
    text += key + "=" + value;
  }
  return text;
}

}  // namespace synlab::viz
