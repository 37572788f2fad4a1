// ReportHtml (report_html.hpp): the page, built as text from a ReportRun.
#include "app/report_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace synlab::app {
namespace {

using nlohmann::json;

// Inline style only: the page must stand alone. Colours keep their meaning in grayscale too:
// a failed expectation and a changed value are also bold.
constexpr const char* style = R"(
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1300px; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fail td, .fail { background: #fde2e1; font-weight: bold; }
tr.pass td.result { background: #e3f4e1; }
td.diff { background: #fff3bf; font-weight: bold; }
pre { background: #f6f6f6; padding: 0.8em; overflow-x: auto; font-size: 0.9em; }
figure { margin: 1em 0; } figcaption { font-weight: bold; margin-bottom: 0.3em; }
figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
.note { color: #555; font-style: italic; }
.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5em; }
.columns > div { min-width: 0; overflow-x: auto; }
)";

std::string text_of(const json& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_null()) return "";
  return j.dump();
}

// Seconds with millisecond precision, as the sweep table of `synlab run` prints them.
std::string seconds(double s) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3f", s);
  return buffer;
}

std::string seconds_field(const json& summary, const char* key) {
  if (!summary.contains(key) || !summary[key].is_number()) return "-";
  return seconds(summary[key].get<double>());
}

std::string count_field(const json& summary, const char* key) {
  if (!summary.contains(key) || !summary[key].is_number()) return "-";
  return summary[key].dump();
}

std::string name_of(const ReportRun& run) {
  const json& s = run.summary;
  if (s.contains("scenario") && s["scenario"].contains("name"))
    return text_of(s["scenario"]["name"]);
  return run.dir.filename().string();
}

// The swept parameters' names: in the scenario's order when sweep.csv gave it for the same
// names, else in the order the first point lists them (by name).
std::vector<std::string> parameter_names(const ReportRun& run) {
  const json& summary = run.summary;
  std::vector<std::string> names;
  if (!summary.contains("points") || summary["points"].empty()) return names;
  const json& first = summary["points"][0];
  if (first.contains("parameters"))
    for (const auto& [key, value] : first["parameters"].items()) names.push_back(key);
  if (std::is_permutation(names.begin(), names.end(), run.swept.begin(), run.swept.end()))
    return run.swept;
  return names;
}

bool is_sweep(const ReportRun& run) {
  const json& s = run.summary;
  const std::size_t points = s.contains("points") ? s["points"].size() : 0;
  const std::uint64_t repeat = s.contains("repeat") ? s["repeat"].get<std::uint64_t>() : 1;
  return points > 1 || repeat > 1;
}

// One table row per sweep point: its parameters, then the measured statistics, then the model.
struct SweepTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // per column
};

SweepTable sweep_table(const ReportRun& run) {
  SweepTable t;
  const std::vector<std::string> names = parameter_names(run);
  t.header = {"point"};
  for (const std::string& n : names) t.header.push_back(n);
  for (const char* h : {"connections", "established", "timeouts", "refused", "mean (s)",
                        "95% CI of the mean over connections (s)", "median (s)", "p95 (s)",
                        "max (s)", "model mean (s)"})
    t.header.push_back(h);
  t.numeric.assign(t.header.size(), true);
  for (std::size_t i = 1; i <= names.size(); ++i) t.numeric[i] = false;
  t.numeric[names.size() + 6] = false;  // the interval
  const json& points = run.summary["points"];
  for (std::size_t p = 0; p < points.size(); ++p) {
    const json& point = points[p];
    const json summary = point.contains("summary") ? point["summary"] : json::object();
    std::vector<std::string> row = {std::to_string(p)};
    for (const std::string& n : names)
      row.push_back(point.contains("parameters") && point["parameters"].contains(n)
                        ? text_of(point["parameters"][n])
                        : "");
    row.push_back(count_field(summary, "connections"));
    row.push_back(count_field(summary, "established"));
    row.push_back(count_field(summary, "timeouts"));
    row.push_back(count_field(summary, "refused"));
    row.push_back(seconds_field(summary, "mean_s"));
    const std::string low = seconds_field(summary, "ci95_low_s");
    const std::string high = seconds_field(summary, "ci95_high_s");
    row.push_back(low == "-" ? "-" : "[" + low + ", " + high + "]");
    row.push_back(seconds_field(summary, "median_s"));
    row.push_back(seconds_field(summary, "p95_s"));
    row.push_back(seconds_field(summary, "max_s"));
    const bool model = p < run.model_mean_s.size() && run.model_mean_s[p].has_value();
    row.push_back(model ? seconds(*run.model_mean_s[p]) : "-");
    t.rows.push_back(std::move(row));
  }
  return t;
}

// `differs[r][c]`: mark that cell.
std::string table_html(const SweepTable& t, const std::vector<std::vector<bool>>& differs = {}) {
  std::string out = "<table>\n<tr>";
  for (const std::string& h : t.header) out += "<th>" + html_escape(h) + "</th>";
  out += "</tr>\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    out += "<tr>";
    for (std::size_t c = 0; c < t.rows[r].size(); ++c) {
      std::string cls = c < t.numeric.size() && t.numeric[c] ? "num" : "";
      if (r < differs.size() && c < differs[r].size() && differs[r][c])
        cls += cls.empty() ? "diff" : " diff";
      out += cls.empty() ? "<td>" : "<td class=\"" + cls + "\">";
      out += html_escape(t.rows[r][c]) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

// The provenance rows: what made these files.
std::vector<std::pair<std::string, std::string>> provenance(const ReportRun& run) {
  const json& s = run.summary;
  std::vector<std::pair<std::string, std::string>> rows;
  auto add = [&](const std::string& key, const std::string& value) {
    rows.emplace_back(key, value);
  };
  if (s.contains("scenario")) {
    add("scenario", text_of(s["scenario"].value("name", json())));
    add("scenario file", text_of(s["scenario"].value("file", json())));
    add("scenario sha256", text_of(s["scenario"].value("sha256", json())));
  }
  add("seed", s.contains("seed") ? s["seed"].dump() : "");
  add("replications", s.contains("repeat") ? s["repeat"].dump() : "1");
  add("sweep points", s.contains("points") ? std::to_string(s["points"].size()) : "0");
  if (s.contains("synlab")) {
    add("synlab version", text_of(s["synlab"].value("version", json())));
    add("source revision", text_of(s["synlab"].value("source_revision", json())));
  }
  if (s.contains("mpi_ranks")) add("MPI ranks", s["mpi_ranks"].dump());
  if (s.contains("set")) {  // --set: what the runs changed of the scenario
    std::string sets;
    for (const json& assignment : s["set"]) sets += (sets.empty() ? "" : " ") + text_of(assignment);
    add("--set", sets);
  }
  std::string command;
  if (s.contains("command_line"))
    for (const json& arg : s["command_line"])
      command += (command.empty() ? "" : " ") + text_of(arg);
  add("command line", command);
  add("output folder", run.dir.string());
  return rows;
}

std::string provenance_html(const ReportRun& run, const ReportRun* other = nullptr) {
  const auto rows = provenance(run);
  const auto other_rows = other != nullptr ? provenance(*other) : rows;
  std::string out = "<table>\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    // Compared: what decides the numbers (not the paths or the command line).
    const bool compared = rows[i].first != "scenario file" && rows[i].first != "command line" &&
                          rows[i].first != "output folder";
    // By key: a row only one run has (--set, MPI ranks) differs.
    const auto same_key = std::find_if(other_rows.begin(), other_rows.end(),
                                       [&](const auto& r) { return r.first == rows[i].first; });
    const bool differs = other != nullptr && compared &&
                         (same_key == other_rows.end() || same_key->second != rows[i].second);
    out += "<tr><th>" + html_escape(rows[i].first) + "</th><td" +
           (differs ? " class=\"diff\"" : "") + ">" + html_escape(rows[i].second) + "</td></tr>\n";
  }
  return out + "</table>\n";
}

std::string expectations_html(const ReportRun& run) {
  const json& s = run.summary;
  if (!s.contains("expectations") || s["expectations"].empty())
    return "<p class=\"note\">The scenario states no expectations.</p>\n";
  std::size_t failed = 0;
  std::string rows;
  for (const json& e : s["expectations"]) {
    const bool passed = e.value("passed", false);
    failed += passed ? 0 : 1;
    rows += std::string("<tr class=\"") + (passed ? "pass" : "fail") + "\"><td>" +
            html_escape(text_of(e.value("where", json()))) + "</td><td>" +
            html_escape(text_of(e.value("expected", json()))) + "</td><td>" +
            html_escape(text_of(e.value("observed", json()))) + "</td><td class=\"result\">" +
            (passed ? "pass" : "FAIL") + "</td></tr>\n";
  }
  const std::size_t total = s["expectations"].size();
  return "<p>" + std::to_string(total - failed) + " of " + std::to_string(total) +
         " expectations met.</p>\n<table>\n<tr><th>where</th><th>expected</th><th>observed</th>"
         "<th>result</th></tr>\n" +
         rows + "</table>\n";
}

std::string connections_html(const ReportRun& run) {
  if (run.connection_csv.empty()) return "<p class=\"note\">No connections.csv.</p>\n";
  std::string out = "<table>\n";
  for (std::size_t r = 0; r < run.connection_csv.size(); ++r) {
    out += "<tr>";
    std::string cell;
    auto flush = [&] {
      out += (r == 0 ? "<th>" : "<td>") + html_escape(cell) + (r == 0 ? "</th>" : "</td>");
      cell.clear();
    };
    bool quoted = false;
    for (const char ch : run.connection_csv[r]) {
      if (ch == '"') {
        quoted = !quoted;
      } else if (ch == ',' && !quoted) {
        flush();
      } else {
        cell += ch;
      }
    }
    flush();
    out += "</tr>\n";
  }
  out += "</table>\n";
  const std::size_t shown = run.connection_csv.size() - 1;
  if (run.connection_rows > shown)
    out += "<p class=\"note\">The first " + std::to_string(shown) + " of " +
           std::to_string(run.connection_rows) +
           " connections (connections.csv has them all).</p>\n";
  return out;
}

std::string results_html(const ReportRun& run, const std::vector<std::vector<bool>>& differs = {}) {
  std::string out;
  if (is_sweep(run)) {
    out += table_html(sweep_table(run), differs);
    if (!run.model_note.empty())
      out += "<p class=\"note\">" + html_escape(run.model_note) + "</p>\n";
  } else {
    out += table_html(sweep_table(run), differs);
    if (!run.narrative.empty())
      out += "<h3>What happened</h3>\n<pre>" + html_escape(run.narrative) + "</pre>\n";
    out += "<h3>Connections</h3>\n" + connections_html(run);
  }
  return out;
}

std::string plots_html(const ReportRun& run) {
  std::string out;
  for (const ReportRun::Plot& p : run.plots)
    out +=
        "<figure><figcaption>" + html_escape(p.name) + "</figcaption>\n" + p.svg + "\n</figure>\n";
  for (const std::string& note : run.plot_notes)
    out += "<p class=\"note\">" + html_escape(note) + "</p>\n";
  if (out.empty()) out = "<p class=\"note\">No plot could be drawn from these files.</p>\n";
  return out;
}

std::string scenario_html(const ReportRun& run) {
  if (run.scenario) return "<pre>" + html_escape(*run.scenario) + "</pre>\n";
  return "<p class=\"note\">" + html_escape(run.scenario_note) + "</p>\n";
}

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
         html_escape(title) + "</title>\n<style>" + style + "</style>\n</head>\n<body>\n" + body +
         "</body>\n</html>\n";
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string inline_svg(const std::string& file_text) {
  const std::size_t start = file_text.find("<svg");
  return start == std::string::npos ? std::string() : file_text.substr(start);
}

std::string report_html(const ReportRun& run) {
  const std::string name = name_of(run);
  std::string body = "<h1>synlab report: " + html_escape(name) + "</h1>\n";
  body += "<h2 id=\"provenance\">Provenance</h2>\n" + provenance_html(run);
  body += "<h2 id=\"expectations\">Expectations</h2>\n" + expectations_html(run);
  body += std::string("<h2 id=\"results\">") + (is_sweep(run) ? "Sweep" : "Result") + "</h2>\n" +
          results_html(run);
  body += "<h2 id=\"plots\">Plots</h2>\n" + plots_html(run);
  body += "<h2 id=\"scenario\">Scenario</h2>\n" + scenario_html(run);
  return page("synlab report: " + name, body);
}

std::string compare_html(const ReportRun& a, const ReportRun& b) {
  const SweepTable ta = sweep_table(a);
  const SweepTable tb = sweep_table(b);
  // A cell differs when the other run has the same column, at the point with the same swept
  // values, with another value. Points pair by their values, not their numbers: a sweep of loss
  // 0.1 and 0.2 beside one of 0, 0.1 and 0.2 compares 0.1 with 0.1. A point the other run has
  // no counterpart for is marked whole; so is every point when the runs sweep other parameters.
  // (A value listed twice pairs with the other run's same occurrence of it.)
  const std::size_t parameters_a = parameter_names(a).size();
  const std::size_t parameters_b = parameter_names(b).size();
  auto marks = [](const SweepTable& t, std::size_t parameters, const SweepTable& other,
                  std::size_t other_parameters) {
    // A table's parameter columns (1 to count) by name: two runs that sweep the same parameters
    // in another order (each table follows its scenario's) pair their points all the same.
    const auto by_name = [](const SweepTable& table, std::size_t count) {
      std::vector<std::size_t> columns(count);
      for (std::size_t k = 0; k < count; ++k) columns[k] = k + 1;
      std::sort(columns.begin(), columns.end(),
                [&](std::size_t x, std::size_t y) { return table.header[x] < table.header[y]; });
      return columns;
    };
    const std::vector<std::size_t> mine_by_name = by_name(t, parameters);
    const std::vector<std::size_t> other_by_name = by_name(other, other_parameters);
    const auto values = [](const SweepTable& table, std::size_t row,
                           const std::vector<std::size_t>& columns) {
      std::vector<std::string> v;
      for (const std::size_t c : columns) v.push_back(table.rows[row][c]);
      return v;
    };
    const bool same_parameters =
        parameters == other_parameters &&
        std::equal(mine_by_name.begin(), mine_by_name.end(), other_by_name.begin(),
                   [&](std::size_t x, std::size_t y) { return t.header[x] == other.header[y]; });
    // The other run's rows by their values, each list in row order; the n-th row of the same
    // values here pairs with the n-th there. (A map: two sweeps of 10,000 points each pair in
    // milliseconds, not minutes.)
    std::map<std::vector<std::string>, std::vector<std::size_t>> other_rows;
    std::map<std::vector<std::string>, std::size_t> seen;  // rows of these values so far, here
    if (same_parameters)
      for (std::size_t o = 0; o < other.rows.size(); ++o)
        other_rows[values(other, o, other_by_name)].push_back(o);
    // Each of this table's columns in the other's, or other.header.size().
    std::vector<std::size_t> other_column(t.header.size(), other.header.size());
    for (std::size_t c = 0; c < t.header.size(); ++c)
      for (std::size_t k = 0; k < other.header.size(); ++k)
        if (other.header[k] == t.header[c]) other_column[c] = k;
    std::vector<std::vector<bool>> m(t.rows.size());
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      m[r].assign(t.rows[r].size(), true);
      if (!same_parameters) continue;
      const std::vector<std::string> mine = values(t, r, mine_by_name);
      const std::size_t occurrence = seen[mine]++;
      const auto it = other_rows.find(mine);
      if (it == other_rows.end() || occurrence >= it->second.size()) continue;
      const std::size_t pair = it->second[occurrence];
      m[r][0] = false;  // the point's number: its values are what pair it
      for (std::size_t c = 1; c < t.rows[r].size(); ++c)
        m[r][c] = other_column[c] == other.header.size() ||
                  other.rows[pair][other_column[c]] != t.rows[r][c];
    }
    return m;
  };
  const std::string title = "synlab report: " + name_of(a) + " (" + a.dir.string() + ") and " +
                            name_of(b) + " (" + b.dir.string() + ")";
  std::string body = "<h1>" + html_escape(title) + "</h1>\n";
  body += "<p>Values that differ between the two runs are marked.</p>\n";
  auto column = [](const std::string& heading, const std::string& html) {
    return "<div><h3>" + html_escape(heading) + "</h3>\n" + html + "</div>\n";
  };
  auto side_by_side = [&](const std::string& h2, const std::string& left,
                          const std::string& right) {
    body += "<h2>" + h2 + "</h2>\n<div class=\"columns\">\n" + column(a.dir.string(), left) +
            column(b.dir.string(), right) + "</div>\n";
  };
  side_by_side("Provenance", provenance_html(a, &b), provenance_html(b, &a));
  side_by_side("Expectations", expectations_html(a), expectations_html(b));
  side_by_side("Results", results_html(a, marks(ta, parameters_a, tb, parameters_b)),
               results_html(b, marks(tb, parameters_b, ta, parameters_a)));
  side_by_side("Plots", plots_html(a), plots_html(b));
  side_by_side("Scenario", scenario_html(a), scenario_html(b));
  return page(title, body);
}

}  // namespace synlab::app
