// sweep and overrides: the swept paths, --set and sweep values applied to the YAML document,
// and the sweep's points (docs/scenario-format.md#sweeps-and-repetitions).
#include "app/scenario_sections.hpp"
#include "app/suggest.hpp"
#include "app/yaml_documents.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

namespace {

// Whether the dotted `path` is `key` or a path under it ("sweep", "sweep.links.wan.loss").
bool at_or_under(std::string_view path, std::string_view key) {
  return path == key ||
         (path.size() > key.size() && path.starts_with(key) && path[key.size()] == '.');
}

// Why `path` cannot be a sweep's axis, or "": the sweep itself and repeat shape the runs, and
// the outputs are the whole sweep's (a sweep writes sweep.csv, no packets.csv or pcap files), as
// are the expectations (each checked at every point, as written).
std::string unsweepable(const std::string& path) {
  if (at_or_under(path, "sweep") || at_or_under(path, "repeat")) return "cannot be swept";
  if (at_or_under(path, "outputs"))
    return "cannot be swept: the outputs are the whole sweep's, not a point's";
  if (at_or_under(path, "expect"))
    return "cannot be swept: each expectation is the whole sweep's, checked at every point";
  return "";
}

// `path` with each list index written without leading zeros: "apps.01.count" -> "apps.1.count".
std::string without_leading_zeros(std::string_view path) {
  std::string out;
  std::size_t from = 0;
  for (;;) {
    const std::size_t dot = path.find('.', from);
    std::string_view part = path.substr(from, dot == std::string_view::npos ? dot : dot - from);
    if (!part.empty() && part.find_first_not_of("0123456789") == std::string_view::npos)
      while (part.size() > 1 && part.front() == '0') part.remove_prefix(1);
    out += part;
    if (dot == std::string_view::npos) return out;
    out += '.';
    from = dot + 1;
  }
}

}  // namespace

SweepSpec read_sweep(const Reader& r, const YAML::Node& n, const YAML::Node& root) {
  r.mapping(n, "sweep", Keys{}, Keys{}, "a mapping of path: [values]");
  SweepSpec sweep;
  // Each axis's path, as written, and where: two axes setting the same value, or one a value
  // inside the other's, would give points whose labels say a value the run did not use.
  // Compared with list indices as numbers (apps.01.count is apps.1.count).
  std::vector<std::pair<std::string, SourceMark>> seen;
  const auto once = [&](const YAML::Node& key, const std::string& label, const std::string& as) {
    const std::string path = without_leading_zeros(as);
    for (const auto& [other, where] : seen)
      if (at_or_under(path, other) || at_or_under(other, path))
        r.fail(
            key, label,
            (path == other ? "is swept twice: also at " : "overlaps the axis " + other + " at ") +
                where.to_string() + " (a value takes its values from one axis only)");
    seen.emplace_back(path, r.where(key, label));
  };
  for (const auto& entry : n) {
    const std::string key = entry.first.Scalar();
    const YAML::Node& values = entry.second;
    if (key != "zip") {
      if (const std::string why = unsweepable(key); !why.empty())
        r.fail(entry.first, "sweep." + key, why);
      if (const auto problem = check_scenario_path(key, root))
        r.fail(entry.first, "sweep." + key, *problem);
      once(entry.first, "sweep." + key, key);
      sweep.grid.push_back(read_axis(r, key, values, "sweep." + key));
      continue;
    }
    r.mapping(values, "sweep.zip", Keys{}, Keys{},
              "a mapping of path: [values], all lists the same length");
    for (const auto& z : values) {
      const std::string zpath = z.first.Scalar();
      if (const std::string why = unsweepable(zpath); !why.empty())
        r.fail(z.first, "sweep.zip." + zpath, why);
      if (const auto problem = check_scenario_path(zpath, root))
        r.fail(z.first, "sweep.zip." + zpath, *problem);
      once(z.first, "sweep.zip." + zpath, zpath);
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
  if (second_document_line(o.value))
    throw ScenarioError(o.where, o.path + ": the value '" + o.value +
                                     "' holds more than one YAML document (a `---` line)");
  YAML::Node value;
  try {
    value = YAML::Load(o.value);
  } catch (const YAML::Exception& e) {
    throw ScenarioError(o.where,
                        o.path + ": the value '" + o.value + "' is not valid YAML (" + e.msg + ")");
  }
  const auto not_a_path = [&] {
    return ScenarioError(o.where, "'" + o.path + "' is not a dotted path such as links.wan.loss");
  };
  if (!o.path.empty() && o.path.back() == '.') throw not_a_path();  // getline drops a last ""
  std::vector<std::string> parts;
  std::stringstream ss(o.path);
  for (std::string part; std::getline(ss, part, '.');) {
    if (part.empty()) throw not_a_path();
    parts.push_back(part);
  }
  if (parts.empty())
    throw ScenarioError(o.where, "an empty path: write PATH=VALUE such as links.wan.loss=0.1");
  // A sweep's keys are dotted paths themselves: sweep.links.wan.loss=[0, 0.1] sets the key
  // "links.wan.loss" of sweep (of sweep.zip after "sweep.zip."), not sweep.links.wan.loss.
  if (parts.size() > 1 && parts[0] == "sweep") {
    const std::size_t key = parts[1] == "zip" && parts.size() > 2 ? 2 : 1;
    std::string swept;
    for (std::size_t i = key; i < parts.size(); ++i) swept = join_path(swept, parts[i]);
    parts.resize(key);
    parts.push_back(swept);
  }
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
    if ((!child.IsDefined() || child.IsNull()) && walked == "links." + part) {
      // A link is named by the file: a misspelt name would make a new, incomplete link and the
      // error would then blame the file (issue 15). Say so here, against the option.
      std::vector<std::string> names;
      if (at.IsMap())
        for (const auto& kv : at) names.push_back(kv.first.as<std::string>());
      const std::vector<std::string_view> views(names.begin(), names.end());
      throw ScenarioError(o.where, o.path + ": no link '" + part + "'" + did_you_mean(part, views) +
                                       " (links: " + join(views) + ")");
    }
    if ((!child.IsDefined() || child.IsNull()) && i + 1 < parts.size() &&
        parts[i + 1].find_first_not_of("0123456789") == std::string::npos) {
      // drops.0.nth where the scenario has no drops: an index into a list that is not there
      // would make a mapping with the key "0", refused later as the wrong type.
      throw ScenarioError(o.where, o.path + ": the scenario has no list at " + walked +
                                       " to index; set it whole, e.g. --set '" + walked +
                                       "=[{...}]'");
    }
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

namespace {

__extension__ using Wide = unsigned __int128;  // products of list lengths never overflow it

// The apps index N of "apps.N.count", if `path` is one.
std::optional<std::size_t> count_path_index(std::string_view path) {
  constexpr std::string_view head = "apps.";
  constexpr std::string_view tail = ".count";
  if (path.size() <= head.size() + tail.size() || !path.starts_with(head) || !path.ends_with(tail))
    return std::nullopt;
  const std::string_view digits = path.substr(head.size(), path.size() - head.size() - tail.size());
  std::size_t index = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return index;
}

// The connections app `c` opens over every point, once each: its count, or, when an axis
// sets apps.N.count, the sum of that axis's values times the points each value is in (one axis
// at most names a path: read_sweep).
// A value that is not a whole number is left to the loader, which refuses it.
Wide connections_over_points(const ConnectApp& c, const SweepSpec& sweep, Wide points) {
  const SweepAxis* last = nullptr;
  for (const auto* axes : {&sweep.grid, &sweep.zip})
    for (const SweepAxis& a : *axes)
      if (count_path_index(a.path) == c.index) last = &a;
  if (last == nullptr) return Wide{c.count} * points;
  Wide sum = 0;
  for (const std::string& v : last->values) {
    std::uint64_t count = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), count);
    if (ec == std::errc() && end == v.data() + v.size()) sum += count;
  }
  return sum * (points / last->values.size());
}

}  // namespace

std::vector<std::vector<Override>> sweep_points(const Scenario& s) {
  // From the lists' lengths, before anything is expanded. Past the limit the count stops
  // growing (many long axes would overflow any integer), so 128 bits hold every product below.
  Wide points = 1;
  bool beyond = false;
  auto times = [&](std::size_t length) {
    points *= length;
    if (points > Limits::sweep_runs) points = Limits::sweep_runs + 1, beyond = true;
  };
  for (const SweepAxis& a : s.sweep.grid) times(a.values.size());
  if (!s.sweep.zip.empty()) times(s.sweep.zip.front().values.size());
  const auto text = [](Wide v) {
    return v > UINT64_MAX ? std::string("more than 2^64") : std::to_string(std::uint64_t(v));
  };
  // Each limit is the product of several keys: the error points at repeat if it is above 1,
  // else at the sweep, or (no sweep either) at the connect line with the most connections.
  if (points * s.repeat > Limits::sweep_runs)
    throw ScenarioError(
        s.repeat > 1 ? s.repeat_where : s.sweep_where,
        "sweep: " + (beyond ? "more than " + text(Limits::sweep_runs) : text(points)) +
            " points x repeat " + std::to_string(s.repeat) + " runs is more than the limit of " +
            std::to_string(Limits::sweep_runs));
  // Connections over every run, apps.N.count sweeps counted at their values.
  Wide connections = 0;
  for (const ConnectApp& c : s.connects) connections += connections_over_points(c, s.sweep, points);
  if (connections * s.repeat > Limits::total_connections) {
    SourceMark where = s.repeat > 1 ? s.repeat_where : s.sweep_where;
    if (s.repeat == 1 && points == 1) {
      const auto most = std::max_element(
          s.connects.begin(), s.connects.end(),
          [](const ConnectApp& a, const ConnectApp& b) { return a.count < b.count; });
      if (most != s.connects.end()) where = most->where;
    }
    throw ScenarioError(where, text(points) + " sweep points x repeat " + std::to_string(s.repeat) +
                                   " open " + text(connections * s.repeat) +
                                   " connections in all, more than the limit of " +
                                   std::to_string(Limits::total_connections));
  }
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

ScenarioDocument without_section(const ScenarioDocument& document, const std::string& key) {
  // The section's bytes, from its key to the next top-level key (or the end), are dropped but
  // for its line breaks and the indentation before that key: every other node keeps its line and
  // column when the text is parsed again, and the text is no longer than the rest of the file.
  const YAML::Node& root = document.root;
  std::optional<std::size_t> from;
  std::size_t to = document.text.size();
  if (root.IsMap() && root.Style() == YAML::EmitterStyle::Block && !document.text.empty()) {
    for (const auto& entry : root)
      if (entry.first.Scalar() == key && entry.first.Mark().pos >= 0)
        from = static_cast<std::size_t>(entry.first.Mark().pos);
    if (from)
      for (const auto& entry : root) {
        const int pos = entry.first.Mark().pos;
        if (pos > static_cast<int>(*from) && static_cast<std::size_t>(pos) < to)
          to = static_cast<std::size_t>(pos);
      }
  }
  const auto cloned = [&] {  // a copy without marks (and without text)
    ScenarioDocument copy{document.file, {}, YAML::Clone(root)};
    copy.root.remove(key);
    return copy;
  };
  if (!from || *from >= to) return cloned();  // no such section, or a flow-style file
  const std::string& t = document.text;
  const std::size_t last_break = t.rfind('\n', to == 0 ? 0 : to - 1);
  const std::size_t keep_from = last_break == std::string::npos || last_break < *from
                                    ? to
                                    : last_break + 1;  // the next key's indentation
  std::string text = t.substr(0, *from);
  for (std::size_t i = *from; i < keep_from; ++i)
    if (t[i] == '\n') text += '\n';
  text.append(t, keep_from, std::string::npos);
  ScenarioDocument copy{document.file, std::move(text), {}};
  try {
    copy.root = YAML::Load(copy.text);
  } catch (const YAML::Exception&) {  // e.g. an alias of an anchor the section held
    return cloned();
  }
  const YAML::Node& cut = copy.root;
  if (!cut.IsMap() || cut[key].IsDefined()) return cloned();  // a key written twice...
  return copy;
}

void load_points(const ScenarioDocument& document, const std::vector<Override>& sets,
                 const Scenario& base, const std::vector<std::vector<Override>>& points,
                 const std::function<void(Scenario&&)>& each) {
  // The points are loaded without the sweep section: `base` has read it already, and a point
  // that copied and read every value of every axis would make a sweep's cost its square. The
  // same goes for a --set of the sweep or of one of its axes (sweep.links.wan.loss=[...]).
  const ScenarioDocument without_sweep = without_section(document, "sweep");
  std::vector<Override> unswept;
  for (const Override& o : sets)
    if (!at_or_under(o.path, "sweep")) unswept.push_back(o);
  // A --set of a value the sweep varies would be replaced at every point, silently: refused.
  for (const Override& o : unswept) {
    const std::string set = without_leading_zeros(o.path);
    for (const auto& [axes, section] :
         {std::pair{&base.sweep.grid, "sweep."}, std::pair{&base.sweep.zip, "sweep.zip."}})
      for (const SweepAxis& a : *axes) {
        const std::string swept = without_leading_zeros(a.path);
        if (at_or_under(set, swept))  // (a --set of a mapping holding it: the point's on top)
          throw ScenarioError(o.where, o.path + ": the sweep varies " + a.path +
                                           ", whose values would replace this one at every "
                                           "point; set them with --set \"" +
                                           section + a.path + "=[...]\"");
      }
  }
  std::uint64_t connections = 0;  // over every run so far: at most 10^6 x 10^7 x a few apps
  for (std::size_t index = 0; index < points.size(); ++index) {
    const std::vector<Override>& point = points[index];
    std::vector<Override> all = unswept;
    all.insert(all.end(), point.begin(), point.end());
    Scenario loaded;
    try {
      loaded = load_scenario(without_sweep, all);
    } catch (const ScenarioError& e) {
      if (points.size() < 2) throw;
      // Which point: an error at a key the sweep does not vary (max_rto beside a swept
      // initial_rto) does not say it by its place.
      std::string at = e.message();
      at.append(" (at sweep point ").append(std::to_string(index));
      for (std::size_t k = 0; k < point.size(); ++k)
        at.append(k == 0 ? ": " : ", ").append(point[k].path).append("=").append(point[k].value);
      throw ScenarioError(e.where(), at.append(")"));
    }
    connections += loaded.connections() * base.repeat;
    if (connections > Limits::total_connections)
      throw ScenarioError(SourceMark{base.file, 0, 0},
                          "the sweep's points open more than the limit of " +
                              std::to_string(Limits::total_connections) +
                              " connections in all (counted over repeat " +
                              std::to_string(base.repeat) + ")");
    each(std::move(loaded));
  }
}

}  // namespace synlab::app
