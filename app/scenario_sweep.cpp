// sweep and overrides: the swept paths, --set and sweep values applied to the YAML document,
// and the sweep's points (docs/scenario-format.md#sweeps-and-repetitions).
#include "app/scenario_sections.hpp"

#include <charconv>
#include <sstream>
#include <utility>

namespace synlab::app {
namespace {

SweepAxis read_axis(const Reader& r, const std::string& path, const YAML::Node& values,
                    const std::string& axis_path) {
  if (!values.IsSequence() || values.size() == 0)
    r.expected(values, axis_path, "a non-empty list of values");
  SweepAxis axis;
  axis.path = path;
  for (std::size_t i = 0; i < values.size(); ++i) {
    YAML::Emitter out;
    out << YAML::Flow << values[i];
    axis.values.emplace_back(out.c_str());
    axis.where.push_back(r.where(values[i], axis_path));
  }
  return axis;
}

}  // namespace

SweepSpec read_sweep(const Reader& r, const YAML::Node& n, const YAML::Node& root) {
  r.mapping(n, "sweep", Keys{}, Keys{}, "a mapping of path: [values]");
  SweepSpec sweep;
  for (const auto& entry : n) {
    const std::string key = entry.first.Scalar();
    const YAML::Node& values = entry.second;
    if (key != "zip") {
      if (key.rfind("sweep", 0) == 0 || key == "repeat")
        r.fail(entry.first, "sweep." + key, "cannot be swept");
      if (const auto problem = check_scenario_path(key, root))
        r.fail(entry.first, "sweep." + key, *problem);
      sweep.grid.push_back(read_axis(r, key, values, "sweep." + key));
      continue;
    }
    r.mapping(values, "sweep.zip", Keys{}, Keys{},
              "a mapping of path: [values], all lists the same length");
    for (const auto& z : values) {
      const std::string zpath = z.first.Scalar();
      if (const auto problem = check_scenario_path(zpath, root))
        r.fail(z.first, "sweep.zip." + zpath, *problem);
      sweep.zip.push_back(read_axis(r, zpath, z.second, "sweep.zip." + zpath));
      if (sweep.zip.back().values.size() != sweep.zip.front().values.size())
        r.fail(z.second, "sweep.zip." + zpath,
               "has " + std::to_string(sweep.zip.back().values.size()) + " values but " +
                   sweep.zip.front().path + " has " +
                   std::to_string(sweep.zip.front().values.size()) +
                   " (zipped lists vary together, so they must be the same length)");
    }
  }
  return sweep;
}

// Replaces (or adds) the value at a dotted path in `root`.
void apply_override(YAML::Node root, const Override& o) {
  YAML::Node value;
  try {
    value = YAML::Load(o.value);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(o.where,
                        o.path + ": the value '" + o.value + "' is not valid YAML (" + e.msg + ")");
  }
  std::vector<std::string> parts;
  std::stringstream ss(o.path);
  for (std::string part; std::getline(ss, part, '.');) {
    if (part.empty())
      throw ScenarioError(o.where, "'" + o.path + "' is not a dotted path such as links.wan.loss");
    parts.push_back(part);
  }
  if (parts.empty())
    throw ScenarioError(o.where, "an empty path: write PATH=VALUE such as links.wan.loss=0.1");
  YAML::Node at = root;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    const bool last = i + 1 == parts.size();
    walked = join_path(walked, part);
    if (at.IsSequence()) {
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
      if (ec != std::errc() || end != part.data() + part.size() || index >= at.size())
        throw ScenarioError(o.where, o.path + ": '" + part + "' is not an index of the list at " +
                                         walked.substr(0, walked.size() - part.size() - 1) +
                                         " (0 to " + std::to_string(at.size() - 1) + ")");
      if (last) {
        at[index] = value;
        return;
      }
      at.reset(at[index]);
      continue;
    }
    if (!at.IsMap() && !at.IsNull())
      throw ScenarioError(o.where, o.path + ": cannot set '" + part + "' inside a single value");
    if (last) {
      at[part] = value;
      return;
    }
    YAML::Node child = at[part];
    if (!child.IsDefined() || child.IsNull()) {
      at[part] = YAML::Node(YAML::NodeType::Map);
      child = at[part];
    }
    at.reset(child);
  }
}

Override parse_set_option(std::string_view option) {
  const std::size_t eq = option.find('=');
  const SourceMark where{"--set " + std::string(option), 0, 0};
  if (eq == std::string_view::npos || eq == 0)
    throw ScenarioError(where, "expected PATH=VALUE such as links.wan.loss=0.1");
  return Override{std::string(option.substr(0, eq)), std::string(option.substr(eq + 1)), where};
}

std::vector<std::vector<Override>> sweep_points(const Scenario& s) {
  std::uint64_t points = 1;
  const auto too_many = [&] { return points * s.repeat > Limits::sweep_runs; };
  for (const SweepAxis& a : s.sweep.grid) {
    points *= a.values.size();
    if (too_many()) break;
  }
  if (!s.sweep.zip.empty()) points *= s.sweep.zip.front().values.size();
  if (too_many())
    throw ScenarioError(SourceMark{s.file, 0, 0},
                        "sweep: " + std::to_string(points) + " points x repeat " +
                            std::to_string(s.repeat) + " runs is more than the limit of " +
                            std::to_string(Limits::sweep_runs));
  std::uint64_t per_run = 0;
  for (const ConnectApp& c : s.connects) per_run += c.count;
  const std::uint64_t runs = points * s.repeat;
  if (per_run > 0 && runs > Limits::total_connections / per_run)
    throw ScenarioError(SourceMark{s.file, 0, 0},
                        std::to_string(points) + " sweep points x repeat " +
                            std::to_string(s.repeat) + " x " + std::to_string(per_run) +
                            " connections per run is more than the limit of " +
                            std::to_string(Limits::total_connections) + " connections in all");
  // Axes in file order, the zip group last; the first axis varies slowest.
  std::vector<std::vector<Override>> result{{}};
  auto cross = [&](std::size_t n, auto&& overrides_for) {
    std::vector<std::vector<Override>> next;
    for (const auto& base : result)
      for (std::size_t i = 0; i < n; ++i) {
        next.push_back(base);
        overrides_for(i, next.back());
      }
    result = std::move(next);
  };
  for (const SweepAxis& a : s.sweep.grid)
    cross(a.values.size(), [&](std::size_t i, std::vector<Override>& o) {
      o.push_back(Override{a.path, a.values[i], a.where[i]});
    });
  if (!s.sweep.zip.empty())
    cross(s.sweep.zip.front().values.size(), [&](std::size_t i, std::vector<Override>& o) {
      for (const SweepAxis& a : s.sweep.zip) o.push_back(Override{a.path, a.values[i], a.where[i]});
    });
  return result;
}

}  // namespace synlab::app
