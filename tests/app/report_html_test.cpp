// The report page (app/report_html.hpp): escaping, the sections, failed expectations, the
// model column, and the marks of a comparison. The rendering in a browser is checked by
// tests/app/report_browser_test.sh.
#include "app/report_html.hpp"

#include <doctest/doctest.h>

#include <string>

using synlab::app::compare_html;
using synlab::app::html_escape;
using synlab::app::inline_svg;
using synlab::app::report_html;
using synlab::app::ReportRun;

namespace {

// A run of two sweep points; `mean` is point 1's measured mean.
ReportRun sweep_run(const std::string& dir, double mean, bool passed) {
  ReportRun run;
  run.dir = dir;
  run.summary = nlohmann::json::parse(R"({
    "scenario": {"name": "lab <1>", "file": "lab.yaml", "sha256": "ab"},
    "seed": 7, "repeat": 3,
    "synlab": {"version": "0.1.0", "source_revision": "abc"},
    "command_line": ["synlab", "run", "lab.yaml"],
    "expectations": [
      {"where": "lab.yaml:9:5", "expected": "timeouts = 0", "observed": "2 at point 1",
       "passed": false}],
    "points": [
      {"parameters": {"links.wan.loss": "0"},
       "summary": {"connections": 10, "established": 10, "timeouts": 0, "refused": 0,
                   "mean_s": 0.1, "ci95_low_s": 0.1, "ci95_high_s": 0.1, "median_s": 0.1,
                   "p95_s": 0.1, "max_s": 0.1}},
      {"parameters": {"links.wan.loss": "0.2"},
       "summary": {"connections": 10, "established": 8, "timeouts": 2, "refused": 0,
                   "mean_s": 0.5, "ci95_low_s": 0.2, "ci95_high_s": 0.8, "median_s": 0.1,
                   "p95_s": 3.1, "max_s": 3.1}}]})");
  run.summary["points"][1]["summary"]["mean_s"] = mean;
  run.summary["expectations"][0]["passed"] = passed;
  run.model_mean_s = {0.1, 0.678};
  run.scenario = "name: lab\n# a < b & c\n";
  run.plots.push_back({"timing", "<svg width=\"10\" height=\"10\"><rect/></svg>"});
  return run;
}

}  // namespace

TEST_CASE("html_escape escapes the five characters HTML gives meaning to") {
  CHECK(html_escape(R"(<a href="x">Tom's & Jerry's</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; Jerry&#39;s&lt;/a&gt;");
  CHECK(html_escape("plain") == "plain");
}

TEST_CASE("inline_svg keeps the <svg> element and drops the XML prolog") {
  const std::string file =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE svg>\n<svg a=\"1\"><g/></svg>\n";
  CHECK(inline_svg(file) == "<svg a=\"1\"><g/></svg>\n");
  CHECK(inline_svg("not an svg").empty());
}

TEST_CASE("a sweep's page: provenance, a failed expectation, the sweep table with the model") {
  const std::string page = report_html(sweep_run("out/lab", 0.5, false));
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("<title>synlab report: lab &lt;1&gt;</title>") != std::string::npos);
  // Provenance.
  CHECK(page.find("<th>seed</th><td>7</td>") != std::string::npos);
  CHECK(page.find("<th>replications</th><td>3</td>") != std::string::npos);
  CHECK(page.find("<th>command line</th><td>synlab run lab.yaml</td>") != std::string::npos);
  // The expectation failed: counted, and its row marked.
  CHECK(page.find("0 of 1 expectations met.") != std::string::npos);
  CHECK(page.find("<tr class=\"fail\"><td>lab.yaml:9:5</td>") != std::string::npos);
  CHECK(page.find("FAIL") != std::string::npos);
  // The sweep table: point 1's measured mean, its interval, and the model beside it.
  CHECK(page.find("<td class=\"num\">0.500</td><td>[0.200, 0.800]</td>") != std::string::npos);
  CHECK(page.find("<td class=\"num\">0.678</td></tr>") != std::string::npos);
  // The plot inline, the scenario escaped, no script anywhere.
  CHECK(page.find("<figcaption>timing</figcaption>\n<svg") != std::string::npos);
  CHECK(page.find("# a &lt; b &amp; c") != std::string::npos);
  CHECK(page.find("<script") == std::string::npos);
}

TEST_CASE("a passed expectation, and a scenario that changed since the run") {
  ReportRun run = sweep_run("out/lab", 0.5, true);
  run.scenario.reset();
  run.scenario_note = "The scenario file lab.yaml has changed since the run.";
  const std::string page = report_html(run);
  CHECK(page.find("1 of 1 expectations met.") != std::string::npos);
  CHECK(page.find("<tr class=\"pass\">") != std::string::npos);
  CHECK(page.find("has changed since the run") != std::string::npos);
}

TEST_CASE("comparing two runs marks exactly the values that differ") {
  const std::string page =
      compare_html(sweep_run("out/a", 0.5, true), sweep_run("out/b", 0.75, true));
  // Point 1's mean differs (0.500 against 0.750): marked on both sides.
  CHECK(page.find("<td class=\"num diff\">0.500</td>") != std::string::npos);
  CHECK(page.find("<td class=\"num diff\">0.750</td>") != std::string::npos);
  // Everything else is equal: point 0's mean (0.100) is not marked, nor the seed.
  CHECK(page.find("<td class=\"num diff\">0.100</td>") == std::string::npos);
  CHECK(page.find("<th>seed</th><td class=\"diff\">") == std::string::npos);
  // Both folders are named.
  CHECK(page.find("<h3>out/a</h3>") != std::string::npos);
  CHECK(page.find("<h3>out/b</h3>") != std::string::npos);
}

TEST_CASE("--set is provenance that decides the numbers: compared by its row, present or not") {
  ReportRun a = sweep_run("out/a", 0.5, true);
  a.summary["set"] = {"links.wan.delay=20ms", "repeat=2"};
  ReportRun b = sweep_run("out/b", 0.5, true);
  CHECK(report_html(a).find("<th>--set</th><td>links.wan.delay=20ms repeat=2</td>") !=
        std::string::npos);
  // Only one run has a --set row: marked, and the rows after it still pair by name.
  std::string page = compare_html(a, b);
  CHECK(page.find("<th>--set</th><td class=\"diff\">links.wan.delay=20ms repeat=2</td>") !=
        std::string::npos);
  CHECK(page.find("<th>command line</th><td class=\"diff\">") == std::string::npos);
  CHECK(page.find("<th>seed</th><td class=\"diff\">") == std::string::npos);
  // The same --set on both sides: not marked; another value: marked on both.
  b.summary["set"] = a.summary["set"];
  page = compare_html(a, b);
  CHECK(page.find("<th>--set</th><td>links.wan.delay=20ms repeat=2</td>") != std::string::npos);
  CHECK(page.find("<th>--set</th><td class=\"diff\">") == std::string::npos);
  // Rows pair by name: a row only one run has (MPI ranks) does not shift the others.
  a.summary["mpi_ranks"] = 2;
  page = compare_html(a, b);
  CHECK(page.find("<th>MPI ranks</th><td class=\"diff\">2</td>") != std::string::npos);
  CHECK(page.find("<th>--set</th><td class=\"diff\">") == std::string::npos);
  b.summary["set"] = {"links.wan.delay=30ms"};
  page = compare_html(a, b);
  CHECK(page.find("<th>--set</th><td class=\"diff\">links.wan.delay=30ms</td>") !=
        std::string::npos);
}

TEST_CASE("comparing two sweeps pairs their points by swept value, not by number") {
  // B swept only A's second value (loss 0.2), with the same results: B's point 0 is A's point 1.
  ReportRun b = sweep_run("out/b", 0.5, true);
  b.summary["points"].erase(0);
  b.model_mean_s = {0.678};
  const std::string page = compare_html(sweep_run("out/a", 0.5, true), b);
  // The paired points agree: their means (0.500) and the model (0.678) are not marked.
  CHECK(page.find("<td class=\"num\">0.500</td>") != std::string::npos);
  CHECK(page.find("<td class=\"num diff\">0.500</td>") == std::string::npos);
  CHECK(page.find("<td class=\"num diff\">0.678</td>") == std::string::npos);
  // A's point 0 (loss 0) has no counterpart: marked whole, its mean 0.100 with it.
  CHECK(page.find("<td class=\"diff\">0</td>") != std::string::npos);
  CHECK(page.find("<td class=\"num diff\">0.100</td>") != std::string::npos);
  // Paired by number, as before, B's 0.2 would have met A's 0 and been marked.
  CHECK(page.find("<td class=\"diff\">0.2</td>") == std::string::npos);
}

TEST_CASE("comparing sweeps of different parameters marks every point") {
  ReportRun b = sweep_run("out/b", 0.5, true);
  for (auto& point : b.summary["points"]) {
    point["parameters"]["links.wan.delay"] = point["parameters"]["links.wan.loss"];
    point["parameters"].erase("links.wan.loss");
  }
  const std::string page = compare_html(sweep_run("out/a", 0.5, true), b);
  CHECK(page.find("<td class=\"num\">0.500</td>") == std::string::npos);
  CHECK(page.find("<td class=\"num diff\">0.500</td>") != std::string::npos);
}

// summary.json lists a point's parameters by name (a JSON object's keys, sorted); the table
// follows the scenario's order, which sweep.csv's header keeps (found by a new-user test).
TEST_CASE("a sweep of two parameters: its table's columns in the scenario's order") {
  ReportRun run = sweep_run("out/lab", 0.5, true);
  for (nlohmann::json& point : run.summary["points"])
    point["parameters"]["links.wan.delay"] = "10ms";  // sorts before links.wan.loss
  const auto columns = [](const std::string& page) {
    const std::size_t delay = page.find("<th>links.wan.delay</th>");
    const std::size_t loss = page.find("<th>links.wan.loss</th>");
    REQUIRE(delay != std::string::npos);
    REQUIRE(loss != std::string::npos);
    return loss < delay ? "loss, delay" : "delay, loss";
  };
  CHECK(std::string(columns(report_html(run))) == "delay, loss");  // no sweep.csv: by name
  run.swept = {"links.wan.loss", "links.wan.delay"};
  CHECK(std::string(columns(report_html(run))) == "loss, delay");
  // A header that names other parameters than summary.json's is not taken.
  run.swept = {"links.wan.loss", "tcp.profile"};
  CHECK(std::string(columns(report_html(run))) == "delay, loss");
}

// Each table follows its own scenario's order: two runs that sweep the same two parameters in
// another order still pair their points, and the same results are not marked (found by a review).
TEST_CASE("comparing sweeps of the same parameters in another order pairs their points") {
  ReportRun a = sweep_run("out/a", 0.5, true);
  ReportRun b = sweep_run("out/b", 0.5, true);
  for (ReportRun* run : {&a, &b})
    for (nlohmann::json& point : run->summary["points"])
      point["parameters"]["links.wan.delay"] = "10ms";
  a.swept = {"links.wan.loss", "links.wan.delay"};
  b.swept = {"links.wan.delay", "links.wan.loss"};
  const std::string page = compare_html(a, b);
  CHECK(page.find("<td class=\"num\">0.500</td>") != std::string::npos);
  CHECK(page.find("<td class=\"num diff\">") == std::string::npos);
  CHECK(page.find("<td class=\"diff\">") == std::string::npos);
}
