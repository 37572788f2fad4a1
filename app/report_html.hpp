// ReportHtml: one self-contained HTML page for a finished run, or two runs side by side
// (`synlab report`, docs/running.md#report): the scenario, its provenance, the expectations with
// pass or fail, the connections (a single run) or the sweep table with the analytic model's mean
// beside the measured one, and every plot inline as SVG. No script, no external file: a
// student can hand the one file in.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace synlab::app {

// What the page shows of one run, read from its output directory.
struct ReportRun {
  std::filesystem::path dir;
  nlohmann::json summary;  // summary.json
  // The swept parameters in the scenario's order (sweep.csv's header, between point and runs):
  // summary.json lists a point's parameters by name. Empty without sweep.csv.
  std::vector<std::string> swept;
  std::optional<std::string> scenario;      // the scenario file's text, when it is unchanged
  std::string scenario_note;                // why it is not shown, or ""
  std::vector<std::string> connection_csv;  // connections.csv: the header and the first rows
  std::size_t connection_rows = 0;          // rows in connections.csv in all
  std::string narrative;                    // a single run's (narrative.hpp), or \"\"
  // Per sweep point: the analytic model's mean handshake time (docs/handshake-model.md, "With
  // a profile's own schedule"), when the point's loss and timers are known.
  std::vector<std::optional<double>> model_mean_s;
  std::string model_note;  // how the model column was computed, or why it is empty
  struct Plot {
    std::string name;  // "ladder", "cdf" ...
    std::string svg;   // the <svg> element
  };
  std::vector<Plot> plots;
  std::vector<std::string> plot_notes;  // plots left out, and why
};

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string html_escape(const std::string& text);

// The page for one run.
std::string report_html(const ReportRun& run);
// The page comparing two runs: their provenance and tables side by side, and each value of a's
// sweep table that differs from b's marked.
std::string compare_html(const ReportRun& a, const ReportRun& b);

// An SVG file's markup without what may not stand inside HTML (the XML declaration, a DOCTYPE):
// from the first "<svg" on. "" when there is no <svg> element.
std::string inline_svg(const std::string& file_text);

}  // namespace synlab::app
