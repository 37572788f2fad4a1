// RunInfo: reading summary.json with nlohmann-json (run_info.hpp).
#include "viz/run_info.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "viz/read_file.hpp"
#include "viz/viz_error.hpp"

namespace synlab::viz {

std::string json_message(std::string_view what) {
  if (what.starts_with("[json.exception.")) {
    const std::size_t end = what.find("] ");
    if (end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  return std::string(what);
}

namespace {

using json = nlohmann::json;

enum class Kind { Object, Array, String, Number, Count, Bool };

const char* name_of(Kind k) {
  switch (k) {
    case Kind::Object:
      return "an object";
    case Kind::Array:
      return "a list";
    case Kind::String:
      return "a string";
    case Kind::Number:
      return "a number";
    case Kind::Count:
      return "a whole number from 0";
    case Kind::Bool:
      return "true or false";
  }
  return "";
}

bool is(const json& v, Kind k) {
  switch (k) {
    case Kind::Object:
      return v.is_object();
    case Kind::Array:
      return v.is_array();
    case Kind::String:
      return v.is_string();
    case Kind::Number:
      return v.is_number();
    case Kind::Count:
      return v.is_number_unsigned();
    case Kind::Bool:
      return v.is_boolean();
  }
  return false;
}

// The checks of check_summary(): each names the key's path ("points[2].tcp.profile").
struct Shape {
  const std::string& source;

  [[noreturn]] void refuse(const std::string& path, const std::string& what) const {
    throw VizError(source + ": not a synlab summary: " + path + ": " + what);
  }
  void need(const json& v, const std::string& path, Kind k) const {
    if (!is(v, k)) refuse(path, std::string("expected ") + name_of(k) + ", found " + v.type_name());
  }
  // `key` of object `o` (at `path`), when it is there (or `required`), of kind `k`.
  const json* field(const json& o, const std::string& path, const char* key, Kind k,
                    bool required = false) const {
    const std::string at = path.empty() ? key : path + "." + key;
    if (!o.contains(key)) {
      if (required) refuse(at, "missing");
      return nullptr;
    }
    need(o.at(key), at, k);
    return &o.at(key);
  }
  void list_of(const json& o, const std::string& path, const char* key, Kind k) const {
    if (const json* list = field(o, path, key, Kind::Array))
      for (std::size_t i = 0; i < list->size(); ++i)
        need(list->at(i), (path.empty() ? "" : path + ".") + key + "[" + std::to_string(i) + "]",
             k);
  }
  void numbers_or_null(const json& o, const std::string& path) const {
    for (const auto& [key, value] : o.items())
      if (!value.is_null() && !value.is_number()) refuse(path + "." + key, "expected a number");
  }
};

}  // namespace

void check_summary(const json& j, const std::string& source) {
  const Shape s{source};
  s.need(j, "the file", Kind::Object);
  const json& scenario = *s.field(j, "", "scenario", Kind::Object, true);
  for (const char* key : {"name", "file", "sha256"})
    s.field(scenario, "scenario", key, Kind::String);
  if (const json* synlab = s.field(j, "", "synlab", Kind::Object))
    for (const char* key : {"version", "source_revision", "source", "command"})
      s.field(*synlab, "synlab", key, Kind::String);
  s.field(j, "", "seed", Kind::Count);
  if (const json* repeat = s.field(j, "", "repeat", Kind::Count); repeat && *repeat == 0)
    s.refuse("repeat", "expected at least 1");
  s.field(j, "", "mpi_ranks", Kind::Count);
  s.list_of(j, "", "command_line", Kind::String);
  s.list_of(j, "", "set", Kind::String);
  const json& points = *s.field(j, "", "points", Kind::Array, true);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::string at = "points[" + std::to_string(i) + "]";
    const json& point = points[i];
    s.need(point, at, Kind::Object);
    s.field(point, at, "point", Kind::Count);
    const json& parameters = *s.field(point, at, "parameters", Kind::Object, true);
    for (const auto& [key, value] : parameters.items())
      if (value.is_structured()) s.refuse(at + ".parameters." + key, "expected a value");
    if (const json* summary = s.field(point, at, "summary", Kind::Object))
      s.numbers_or_null(*summary, at + ".summary");
    if (const json* tcp = s.field(point, at, "tcp", Kind::Object)) {
      s.field(*tcp, at + ".tcp", "profile", Kind::String, true);
      s.field(*tcp, at + ".tcp", "initial_timeout_s", Kind::Number, true);
      s.field(*tcp, at + ".tcp", "give_up_s", Kind::Number);
      s.list_of(*tcp, at + ".tcp", "syn_send_times_s", Kind::Number);
      s.list_of(*tcp, at + ".tcp", "synack_send_times_s", Kind::Number);
      s.field(*tcp, at + ".tcp", "syn_send_times_s", Kind::Array, true);
      s.field(*tcp, at + ".tcp", "synack_send_times_s", Kind::Array, true);
    }
    if (const json* loss = s.field(point, at, "effective_loss", Kind::Object))
      for (const auto& [key, value] : loss->items())
        s.need(value, at + ".effective_loss." + key, Kind::Number);
    s.field(point, at, "loss_both_ways", Kind::Number);
  }
  if (const json* expectations = s.field(j, "", "expectations", Kind::Array))
    for (std::size_t i = 0; i < expectations->size(); ++i) {
      const std::string at = "expectations[" + std::to_string(i) + "]";
      const json& e = expectations->at(i);
      s.need(e, at, Kind::Object);
      for (const char* key : {"where", "expected", "observed"}) s.field(e, at, key, Kind::String);
      s.field(e, at, "passed", Kind::Bool);
      s.list_of(e, at, "failures", Kind::Object);
    }
  if (const json* drill = s.field(j, "", "drill", Kind::Object)) {
    s.field(*drill, "drill", "profile", Kind::String);
    s.field(*drill, "drill", "passed", Kind::Bool);
    s.field(*drill, "drill", "failure", Kind::String);
  }
}

RunInfo parse_run_info(const std::string& json_text, const std::string& source) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::exception& e) {
    throw VizError(source + ": not valid JSON: " + json_message(e.what()));
  }
  check_summary(j, source);
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
        timers = TcpTimers{
            tcp.at("profile").get<std::string>(), tcp.at("initial_timeout_s").get<double>(),
            tcp.at("syn_send_times_s").get<std::vector<double>>(),
            tcp.at("synack_send_times_s").get<std::vector<double>>(),
            tcp.contains("give_up_s") ? std::optional(tcp.at("give_up_s").get<double>())
                                      : std::nullopt};
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
  // A summary.json a run writes is a few kilobytes per point; 256 MiB is 100,000 points' worth.
  return parse_run_info(read_regular_file(summary_json, std::uintmax_t{256} << 20),
                        summary_json.string());
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
