// The files a run writes (see run_outputs.hpp).
#include "app/run_outputs.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <ostream>

#include "models/tcp/flags.hpp"
#include "sim/csv_row.hpp"

namespace synlab::app {
namespace {

void line(std::ostream& out, std::string& buffer) {
  buffer += '\n';
  out << buffer;
  buffer.clear();
}

}  // namespace

void write_sweep_csv(std::ostream& out, const Scenario& base,
                     std::span<const PointResults> points) {
  out << "point";
  for (const SweepAxis& a : base.sweep.grid) out << ',' << a.path;
  for (const SweepAxis& a : base.sweep.zip) out << ',' << a.path;
  out << ",runs,n,established,timeouts,refused,mean,median,p95,max,ci95_low,ci95_high\n";
  std::string buffer;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const PointResults& p = points[i];
    sim::CsvRow row(buffer);
    row.add(std::uint64_t{i});
    for (const Override& o : p.overrides) row.add(o.value);
    const HandshakeSummary& s = p.summary;
    row.add(std::uint64_t{p.runs.size()})
        .add(s.connections)
        .add(s.established)
        .add(s.timeouts)
        .add(s.refused);
    for (const auto& v : {s.mean, s.median, s.p95, s.max, s.ci95_low, s.ci95_high})
      if (v)
        row.add(*v);
      else
        row.add_empty();
    line(out, buffer);
  }
}

nlohmann::json summary_json(const HandshakeSummary& s) {
  nlohmann::json j{{"connections", s.connections},
                   {"established", s.established},
                   {"timeouts", s.timeouts},
                   {"refused", s.refused},
                   {"reset", s.reset},
                   {"other", s.other}};
  auto put = [&](const char* key, const std::optional<double>& v) {
    j[key] = v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  put("mean_s", s.mean);
  put("median_s", s.median);
  put("p95_s", s.p95);
  put("max_s", s.max);
  put("ci95_low_s", s.ci95_low);
  put("ci95_high_s", s.ci95_high);
  return j;
}

nlohmann::json effective_loss_json(const Scenario& point, const SweepSpec& sweep) {
  nlohmann::json j = nlohmann::json::object();
  for (const LinkSpec& link : point.links) {
    const std::string prefix = "links." + link.name + ".loss";
    bool swept = false;
    for (const auto* axes : {&sweep.grid, &sweep.zip})
      for (const SweepAxis& a : *axes) swept = swept || a.path.starts_with(prefix);
    if (!swept) continue;
    for (const auto& [name, d] :
         {std::pair{"forward", &link.forward}, {"reverse", &link.reverse}}) {
      const LossSpec& l = d->loss;
      if (l.kind != LossSpec::Kind::GilbertElliott) continue;
      // The chain's stationary share of the bad state is p/(p+r); with p = r = 0 it never
      // leaves the good state it starts in.
      const double bad = l.p + l.r > 0 ? l.p / (l.p + l.r) : 0;
      j["links." + link.name + "." + name] = bad * l.loss_bad + (1 - bad) * l.loss_good;
    }
  }
  return j;
}

std::optional<double> loss_both_ways(const Scenario& point) {
  if (point.links.size() != 1 || !point.drops.empty()) return std::nullopt;
  const LinkSpec& link = point.links.front();
  auto p = [](const DirectionSpec& d) -> std::optional<double> {
    if (!d.outages.empty()) return std::nullopt;
    if (d.loss.kind == LossSpec::Kind::None) return 0.0;
    if (d.loss.kind == LossSpec::Kind::Bernoulli) return d.loss.p;
    return std::nullopt;  // Gilbert-Elliott: losses are not independent
  };
  const auto forward = p(link.forward);
  const auto reverse = p(link.reverse);
  if (!forward || !reverse || *forward != *reverse) return std::nullopt;
  return forward;
}

void print_run_table(std::ostream& out, const Scenario& s, std::span<const PointResults> points) {
  auto ms = [](const std::optional<double>& v) {
    if (!v) return std::string("-");
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.3f", *v * 1e3);
    return std::string(text.data());
  };
  if (points.size() == 1 && points[0].runs.size() == 1) {
    const RunResult& run = *points[0].runs[0];
    std::array<char, 200> text{};
    std::snprintf(text.data(), text.size(), "%5s  %-28s %-12s %14s %5s %9s\n", "conn",
                  "client -> server", "outcome", "handshake ms", "SYNs", "SYN/ACKs");
    out << text.data();
    for (const ConnectionResult& c : run.connections) {
      if (c.id > table_rows) break;
      const std::string pair = c.client + ":" + std::to_string(c.client_port) + " -> " + c.server +
                               ":" + std::to_string(c.server_port);
      const auto h = c.handshake_time();
      std::snprintf(text.data(), text.size(), "%5llu  %-28s %-12s %14s %5u %9u\n",
                    static_cast<unsigned long long>(c.id), pair.c_str(),
                    apps::outcome_text(c).c_str(),
                    h ? ms(std::chrono::duration<double>(*h).count()).c_str() : "-", c.syns_sent,
                    c.synacks_sent);
      out << text.data();
    }
    if (run.connections_opened > table_rows)
      out << "  ... " << run.connections_opened - table_rows << " more in connections.csv\n";
  }
  if (points.size() == 1 && points[0].runs.size() == 1) {
    const HandshakeSummary& h = points[0].summary;
    // Reset and the other outcomes (pending, cancelled, crashed, never opened: no port left)
    // only when there are some, so that the counts always add up to the connections.
    std::string more;
    if (h.reset > 0) more += ", " + std::to_string(h.reset) + " reset";
    if (h.other > 0)
      more += ", " + std::to_string(h.other) + " other (see connections.csv's outcome)";
    std::array<char, 320> text{};
    std::snprintf(text.data(), text.size(),
                  "%llu connections: %llu established, %llu timed out, %llu refused%s; handshake "
                  "ms: mean %s, median %s, p95 %s, max %s\n",
                  static_cast<unsigned long long>(h.connections),
                  static_cast<unsigned long long>(h.established),
                  static_cast<unsigned long long>(h.timeouts),
                  static_cast<unsigned long long>(h.refused), more.c_str(), ms(h.mean).c_str(),
                  ms(h.median).c_str(), ms(h.p95).c_str(), ms(h.max).c_str());
    out << text.data();
    return;
  }
  // A sweep (or replications): one aligned row per point, the swept values then the statistics;
  // the interval is the mean's 95% confidence interval over the point's connections.
  std::vector<std::string> header = {"point"};
  for (const auto* axes : {&s.sweep.grid, &s.sweep.zip})
    for (const SweepAxis& a : *axes) header.push_back(a.path);
  const std::size_t swept = header.size() - 1;
  for (const char* h : {"connections", "established", "timeouts", "refused", "mean ms", "95% CI ms",
                        "median ms", "p95 ms", "max ms"})
    header.emplace_back(h);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const PointResults& p = points[i];
    const HandshakeSummary& h = p.summary;
    std::vector<std::string> row = {std::to_string(i)};
    for (const Override& o : p.overrides) row.push_back(o.value);
    row.resize(1 + swept);
    row.push_back(std::to_string(h.connections));
    row.push_back(std::to_string(h.established));
    row.push_back(std::to_string(h.timeouts));
    row.push_back(std::to_string(h.refused));
    row.push_back(ms(h.mean));
    row.push_back(h.ci95_low && h.ci95_high ? std::string("[")
                                                  .append(ms(h.ci95_low))
                                                  .append(", ")
                                                  .append(ms(h.ci95_high))
                                                  .append("]")
                                            : std::string("-"));
    row.push_back(ms(h.median));
    row.push_back(ms(h.p95));
    row.push_back(ms(h.max));
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(header.size(), 0);
  for (std::size_t c = 0; c < header.size(); ++c) {
    width[c] = header[c].size();
    for (const auto& row : rows) width[c] = std::max(width[c], row[c].size());
  }
  // Swept values left-aligned, numbers (and their headings) right-aligned.
  auto line = [&](const std::vector<std::string>& cells) {
    std::string text;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const bool left = c >= 1 && c <= swept;
      const std::string pad(width[c] - cells[c].size(), ' ');
      if (c > 0) text.append("  ");
      text.append(left ? cells[c] : pad).append(left ? pad : cells[c]);
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << "\n";
  };
  line(header);
  for (const auto& row : rows) line(row);
}

}  // namespace synlab::app
