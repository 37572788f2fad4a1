// TimingData: choosing the x axis and grouping sweep.csv rows into series (timing_data.hpp).
#include "viz/timing_data.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "viz/viz_error.hpp"

namespace synlab::viz {
namespace {

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// The last component of a dotted path: "links.wan.loss.p" -> "p".
std::string_view leaf(std::string_view path) {
  const std::size_t dot = path.rfind('.');
  return dot == std::string_view::npos ? path : path.substr(dot + 1);
}

// A per-packet (Bernoulli) loss probability: a link's `loss`, or one direction's
// (`loss.forward`, `loss.reverse`: docs/scenario-format.md).
bool is_loss_probability(std::string_view path) {
  return ends_with(path, "loss") || ends_with(path, "loss.forward") ||
         ends_with(path, "loss.reverse");
}

// The units docs/scenario-format.md gives durations, in seconds; a suffix before any suffix of it.
constexpr std::pair<std::string_view, double> duration_units[] = {
    {"ns", 1e-9}, {"us", 1e-6},  {"\xC2\xB5s", 1e-6}, {"ms", 1e-3},
    {"s", 1.0},   {"min", 60.0}, {"h", 3600.0}};  // \xC2\xB5: U+00B5 MICRO SIGN in UTF-8

bool is_duration(std::string_view text) {
  for (const auto& [unit, seconds] : duration_units)
    if (ends_with(text, unit)) return true;
  return false;
}

}  // namespace

std::optional<double> swept_number(std::string_view text) {
  double scale = 1;
  for (const auto& [unit, seconds] : duration_units)
    if (ends_with(text, unit)) {
      text.remove_suffix(unit.size());
      scale = seconds;
      break;
    }
  // As the scenario reads a time: "10 ms" and "+5ms" too.
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.starts_with('+')) text.remove_prefix(1);
  if (text.empty() || text.front() == '+') return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value * scale;
}

std::string TimingAxis::label() const {
  return unit.empty() ? path : path + " (" + unit + ")";
}

TimingAxisChoice choose_timing_axis(const std::vector<SweptParameter>& swept) {
  const SweptParameter* best = nullptr;
  int best_rank = 0;  // 3: a loss probability, 2: several values, 1: one value
  for (const SweptParameter& s : swept) {
    if (s.values.empty()) continue;
    if (!std::all_of(s.values.begin(), s.values.end(),
                     [](const std::string& v) { return swept_number(v).has_value(); }))
      continue;
    const std::set<std::string> distinct(s.values.begin(), s.values.end());
    const int rank = is_loss_probability(s.path) ? 3 : distinct.size() > 1 ? 2 : 1;
    if (rank > best_rank) best = &s, best_rank = rank;
  }
  TimingAxisChoice choice;
  if (best == nullptr) {
    std::string names;
    for (const SweptParameter& s : swept) {  // appends: GCC 12 warns on a chain of +
      if (!names.empty()) names += ", ";
      names += s.path;
      names += " [";
      if (!s.values.empty()) names += s.values.front();
      names += s.values.size() > 1 ? ", ...]" : "]";
    }
    choice.why_not =
        "needs a sweep over a numeric value (a loss probability, a Gilbert-Elliott p or r, a "
        "delay, an initial RTO...), e.g. sweep: {links.wan.loss: [0, 0.1, 0.2]}; this sweep has ";
    choice.why_not += names.empty() ? "no parameter" : names;
    if (!names.empty()) choice.why_not += ", none of them numeric at every point";
    return choice;
  }
  TimingAxis axis;
  axis.path = best->path;
  axis.loss_probability = best_rank == 3;
  const std::string_view last = leaf(best->path);
  const bool probability = is_loss_probability(best->path) || last == "p" || last == "r" ||
                           last == "loss_good" || last == "loss_bad";
  const std::string_view unit = is_duration(best->values.front()) ? "s"
                                : probability                     ? "probability"
                                                                  : "";
  axis.unit = std::string(unit);
  choice.axis = std::move(axis);
  return choice;
}

void use_effective_loss(TimingData& data, const RunInfo& info) {
  // links.<name>.loss[.forward|.reverse].<p|r|loss_good|loss_bad>
  const std::string& path = data.axis.path;
  const std::size_t name_end = path.find('.', 6);
  const bool link_loss = path.starts_with("links.") && name_end != std::string::npos &&
                         path.compare(name_end, 6, ".loss.") == 0;
  const std::string_view last = leaf(path);
  if (!link_loss || !(last == "p" || last == "r" || last == "loss_good" || last == "loss_bad"))
    throw VizError(
        "the effective loss rate needs a sweep over a Gilbert-Elliott parameter "
        "(links.<name>.loss.p, .r, .loss_good or .loss_bad); the timing plot's axis "
        "is " +
        path);
  const bool reverse = path.find(".reverse.") != std::string::npos;
  const std::string link = path.substr(0, name_end);
  const std::string key = link + (reverse ? ".reverse" : ".forward");
  const std::string other = link + (reverse ? ".forward" : ".reverse");
  bool both_ways = true;
  for (TimingSeries& s : data.series) {
    for (TimingPoint& p : s.points) {
      if (p.point >= info.effective_loss.size() || !info.effective_loss[p.point].contains(key))
        throw VizError("summary.json has no effective loss rate of " + key + " for point " +
                       std::to_string(p.point) + " (is its loss Gilbert-Elliott?)");
      const std::map<std::string, double>& rates = info.effective_loss[p.point];
      p.x = rates.at(key);
      both_ways = both_ways && rates.contains(other) && std::abs(rates.at(other) - p.x) <= 1e-12;
    }
    std::stable_sort(s.points.begin(), s.points.end(),
                     [](const TimingPoint& a, const TimingPoint& b) { return a.x < b.x; });
  }
  data.axis.path = "long-run loss rate of " + key + ", from " + path;
  data.axis.unit = "probability";
  data.axis.loss_probability = true;
  data.axis.effective_loss = true;
  data.axis.effective_both_ways = both_ways;
}

std::optional<std::string> find_loss_parameter(const std::vector<std::string>& names) {
  for (const std::string& n : names)
    if (ends_with(n, "loss")) return n;
  return std::nullopt;
}

std::vector<SweptParameter> swept_parameters(const CsvTable& sweep) {
  // The swept parameters stand between "point" and "runs" (docs/running.md).
  const auto& header = sweep.header();
  const std::size_t first = sweep.column("point") + 1;
  const std::size_t last = sweep.column("runs");
  std::vector<SweptParameter> swept;
  for (std::size_t c = first; c < last; ++c) {
    SweptParameter s{header[c], {}};
    for (std::size_t r = 0; r < sweep.rows(); ++r) s.values.emplace_back(sweep.cell(r, c));
    swept.push_back(std::move(s));
  }
  return swept;
}

TimingData build_timing(const CsvTable& sweep) {
  // A run writes one row per sweep point: a file without rows was cut short or emptied.
  if (sweep.rows() == 0)
    throw VizError(sweep.source() +
                   ": no rows (a sweep's file has one row per sweep point): the timing plot has "
                   "nothing to draw");
  const std::vector<SweptParameter> swept = swept_parameters(sweep);
  TimingAxisChoice choice = choose_timing_axis(swept);
  if (!choice.axis) throw VizError(sweep.source() + ": the timing plot " + choice.why_not);
  TimingData data;
  data.axis = std::move(*choice.axis);
  for (std::size_t r = 0; r < sweep.rows(); ++r) {
    Parameters group;
    for (const SweptParameter& p : swept)
      if (p.path != data.axis.path) group[p.path] = sweep.cell(r, p.path);
    const auto mean = sweep.number(r, "mean");
    if (!mean) continue;
    TimingPoint point;
    point.point = static_cast<std::size_t>(sweep.count(r, "point").value_or(0));
    point.x = swept_number(sweep.cell(r, data.axis.path)).value_or(0);
    point.mean_s = *mean;
    point.ci95_low_s = sweep.number(r, "ci95_low");
    point.ci95_high_s = sweep.number(r, "ci95_high");
    point.connections = sweep.count(r, "n").value_or(0);
    point.established = sweep.count(r, "established").value_or(0);
    point.timeouts = sweep.count(r, "timeouts").value_or(0);
    auto it = std::find_if(data.series.begin(), data.series.end(),
                           [&](const TimingSeries& s) { return s.group == group; });
    if (it == data.series.end()) {
      const std::string label = group.empty() ? "measured" : describe(group);
      data.series.push_back({group, label, {}});
      it = data.series.end() - 1;
    }
    it->points.push_back(point);
  }
  if (data.series.empty())
    throw VizError(sweep.source() +
                   ": the timing plot has nothing to draw: no sweep point has an established "
                   "connection (every handshake timed out or was refused)");
  for (TimingSeries& s : data.series)
    std::stable_sort(s.points.begin(), s.points.end(),
                     [](const TimingPoint& a, const TimingPoint& b) { return a.x < b.x; });
  return data;
}

}  // namespace synlab::viz
